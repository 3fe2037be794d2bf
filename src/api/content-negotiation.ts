/**
 * Picks the representation of the trial list from `format` (wins) or the Accept header (RFC 9110
 * media ranges with q-values). Unknown or malformed ranges are ignored; if nothing acceptable is
 * left, 406.
 */
import { AppError } from '../errors/app-error.js';

export type TrialFormat = 'json' | 'csv' | 'ndjson';

const MEDIA: Readonly<Record<string, TrialFormat>> = {
  'application/json': 'json',
  'application/*': 'json',
  '*/*': 'json',
  'text/csv': 'csv',
  'text/*': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

export const CONTENT_TYPES: Readonly<Record<TrialFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** Headers longer than this are not parsed (a client cannot make us split megabytes). */
const MAX_ACCEPT_LENGTH = 2048;

export function chooseTrialFormat(format: TrialFormat | undefined, accept: string | undefined): TrialFormat {
  if (format !== undefined) return format;
  if (accept === undefined || accept.trim() === '') return 'json';
  let best: { format: TrialFormat; q: number; specific: boolean } | undefined;
  for (const range of accept.slice(0, MAX_ACCEPT_LENGTH).split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const found = MEDIA[type];
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
    throw new AppError(
      'NOT_ACCEPTABLE',
      'The list is available as application/json, text/csv or application/x-ndjson (or use format=)',
      { details: { available: Object.values(CONTENT_TYPES) } },
    );
  }
  return best.format;
}
