/**
 * Removes secrets from text meant for logs, errors and run records: each secret as given and in
 * its URL-encoded forms (once and twice), plus any `serviceKey=` query value.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 3) continue;
    const once = encodeURIComponent(secret);
    for (const form of new Set([secret, once, encodeURIComponent(once), once.replace(/%20/g, '+')])) {
      out = out.split(form).join('***');
    }
  }
  return out.replace(/([?&](?:serviceKey|service_key|apiKey|api_key|key)=)[^&#\s"]*/gi, '$1***');
}

/**
 * The secret values of a source's config: the string values of the keys its adapter declares in
 * `SourceAdapter.secretKeys` (unset ones are left out). The one place secrets are picked out, for
 * the `UpstreamClient` and for the errors a client builds itself.
 */
export function secretsOf(config: object, keys: readonly string[]): string[] {
  const values = config as Readonly<Record<string, unknown>>;
  return keys.map((key) => values[key]).filter((value): value is string => typeof value === 'string');
}
