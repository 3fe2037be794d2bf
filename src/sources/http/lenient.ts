/**
 * Lenient readers for values registries send in more than one form (numbers as strings, keys pasted
 * encoded or not). Shared by every source so each quirk is handled one way.
 */

/** A count from a number or a numeric string (`145`, `"145"`); anything else is undefined. */
export function toCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A head count from a number or text (`500`, `"1,200"`, `"120명"`); empty or anything else → null. */
export function headcountOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const digits = value
    .trim()
    .replace(/,/g, '')
    .replace(/\s*명$/, '');
  if (!/^\d+$/.test(digits)) return null;
  const parsed = Number(digits);
  return Number.isSafeInteger(parsed) ? parsed : null;
}

/**
 * data.go.kr hands out each key twice, "decoded" and "encoded". Undoes one level of
 * percent-encoding when the key carries any (`%2B`, `%3D`, …), so the key goes on the wire encoded
 * exactly once. A key that is not valid percent-encoding is kept as given.
 */
export function decodeServiceKey(value: string): string {
  if (!/%[0-9a-f]{2}/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
