/**
 * Picks the representation of a list from `format` (wins) or the Accept header (RFC 9110 media
 * ranges with q-values). Unknown or malformed ranges are ignored; if nothing acceptable is left, 406.
 * Trials come as JSON, CSV or NDJSON; the change feed also as Atom, JSON Feed and RSS.
 */
import { AppError } from '../errors/app-error.js';

export type TrialFormat = 'json' | 'csv' | 'ndjson';
export type FeedFormat = 'atom' | 'jsonfeed' | 'rss';
export type ChangeFormat = TrialFormat | FeedFormat;

const TRIAL_MEDIA: Readonly<Record<string, TrialFormat>> = {
  'application/json': 'json',
  'application/*': 'json',
  '*/*': 'json',
  'text/csv': 'csv',
  'text/*': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

/** Feed readers that ask for plain XML get Atom, the feed format with a standard of its own. */
const CHANGE_MEDIA: Readonly<Record<string, ChangeFormat>> = {
  ...TRIAL_MEDIA,
  'application/atom+xml': 'atom',
  'application/xml': 'atom',
  'text/xml': 'atom',
  'application/feed+json': 'jsonfeed',
  'application/rss+xml': 'rss',
};

export const CONTENT_TYPES: Readonly<Record<ChangeFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  jsonfeed: 'application/feed+json; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
};

export function isFeedFormat(format: ChangeFormat): format is FeedFormat {
  return format === 'atom' || format === 'jsonfeed' || format === 'rss';
}

/** Headers longer than this are not parsed (a client cannot make us split megabytes). */
const MAX_ACCEPT_LENGTH = 2048;

function negotiate<F extends string>(
  accept: string | undefined,
  media: Readonly<Record<string, F>>,
  available: readonly F[],
): F {
  if (accept === undefined || accept.trim() === '') return 'json' as F;
  let best: { format: F; q: number; specific: boolean } | undefined;
  for (const range of accept.slice(0, MAX_ACCEPT_LENGTH).split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const found = Object.hasOwn(media, type) ? media[type] : undefined;
    if (found === undefined) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^q=([01](?:\.\d{0,3})?)$/.exec(parameter);
      if (match !== null) q = Number(match[1]);
    }
    if (q <= 0) continue;
    const specific = !type.includes('*');
    // Higher q wins; at equal q an exact type beats a wildcard, then the first listed.
    if (best === undefined || q > best.q || (q === best.q && specific && !best.specific)) {
      best = { format: found, q, specific };
    }
  }
  if (best === undefined) {
    const types = available.map((format) => CONTENT_TYPES[format as ChangeFormat].split(';')[0] ?? '');
    const named = `${types.slice(0, -1).join(', ')} or ${types.at(-1) ?? ''}`;
    throw new AppError('NOT_ACCEPTABLE', `The list is available as ${named} (or use format=)`, {
      details: { available: available.map((format) => CONTENT_TYPES[format as ChangeFormat]) },
    });
  }
  return best.format;
}

const TRIAL_FORMATS: readonly TrialFormat[] = ['json', 'csv', 'ndjson'];
const CHANGE_FORMATS: readonly ChangeFormat[] = ['json', 'csv', 'ndjson', 'atom', 'jsonfeed', 'rss'];

export function chooseTrialFormat(format: TrialFormat | undefined, accept: string | undefined): TrialFormat {
  return format ?? negotiate(accept, TRIAL_MEDIA, TRIAL_FORMATS);
}

export function chooseChangeFormat(
  format: ChangeFormat | undefined,
  accept: string | undefined,
): ChangeFormat {
  return format ?? negotiate(accept, CHANGE_MEDIA, CHANGE_FORMATS);
}
