/**
 * Parses the `q` a person types into search terms, the same way for every database.
 *
 * - Words are matched as words: case- and accent-insensitive, split where the index splits them
 *   (anything not a letter or digit separates), with light English word forms (`lymphomas` and
 *   `lymphoma` both search the stem `lymphoma*`; `study`/`studies` both `stud*`). Words with digits
 *   (ids such as `NCT01234567`, `KCT0000145`, `C130011`, doses) match exactly.
 * - Text with Korean (or other CJK) characters is matched as a substring, because Korean attaches
 *   particles and writes compounds without spaces: `림프종` finds "악성림프종의…". Terms of one or
 *   two characters (천식, 간암, 치매) take their own path in the store (see search-dialect.ts).
 * - `"…"` is a phrase (words in that order; with Korean, that exact text), `-word` / `-"…"` exclude.
 * - Every term must match (AND).
 *
 * Nothing here is SQL: the store turns terms into its own syntax, quoting every value.
 */
import type { ParsedSearch, SearchTerm } from '../domain/search.types.js';
import { AppError } from '../errors/app-error.js';

/** Longest `q` accepted, in characters; longer is a 400 (the schema says so too). */
export const SEARCH_MAX_LENGTH = 200;
/** Most terms in one `q` (positive and excluded together); more is a 400. */
export const SEARCH_MAX_TERMS = 12;

// Hangul syllables and jamo, kana, CJK ideographs: text written without spaces between words.
// The migration that builds the index uses the same ranges to pick the rows it keeps for substring
// search (src/store/migrations/0004-search.ts).
const CJK = /[\u1100-\u11FF\u3000-\uD7FF]/u;
// Not a letter or digit, or a number sign PostgreSQL's parser splits on (², ½, ①, …): the
// separators of both indexes (see the migration).
const NOT_WORD =
  /(?:[^\p{L}\p{N}\p{Co}]|[\u00B2\u00B3\u00B9\u00BC-\u00BE\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215F\u2189\u2460-\u249B\u24EA-\u24FF\u2776-\u2793])+/u;
const CONTROL = /\p{Cc}/gu;
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}\p{Co}]+|[^\p{L}\p{N}\p{Co}]+$/gu;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `The query parameter "q" ${message}`, {
    details: { parameter: 'q', location: 'querystring' },
  });
}

/**
 * Word folding, as the index folds text: lower case, Latin diacritics removed (`Café` → `cafe`),
 * split on anything that is not a letter or digit.
 */
export function wordsOf(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFD').replace(COMBINING_DIACRITICS, '').normalize('NFC');
  return folded.split(NOT_WORD).filter((word) => word !== '');
}

/**
 * Substring folding, as the index folds CJK text: ASCII letters lower-cased (and nothing else, as
 * SQLite's `lower()`), white space made single spaces.
 */
export function substringOf(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The term for one bare English word: a stem matched as a prefix (plural, -ing, -ed, -ation, a
 * final -e or -y set aside), or, for a stem under four letters, the word and its plural exactly.
 * Words with digits or letters outside a–z match exactly.
 */
export function wordTerm(word: string, negated: boolean): SearchTerm {
  if (!/^[a-z]+$/.test(word)) return { kind: 'phrase', words: [word], negated };
  const stem = stemOf(word);
  if (stem.length >= 4) return { kind: 'prefix', stem, negated };
  return { kind: 'anyOf', words: word.endsWith('s') ? [word] : [word, `${word}s`], negated };
}

const SUFFIXES: readonly { suffix: string; keep: string; minLength: number }[] = [
  { suffix: 'ations', keep: '', minLength: 10 },
  { suffix: 'ation', keep: '', minLength: 9 },
  { suffix: 'sses', keep: 'ss', minLength: 5 },
  { suffix: 'ies', keep: '', minLength: 6 },
  { suffix: 'ches', keep: 'ch', minLength: 6 },
  { suffix: 'shes', keep: 'sh', minLength: 6 },
  { suffix: 'xes', keep: 'x', minLength: 5 },
  { suffix: 'ing', keep: '', minLength: 6 },
  { suffix: 'ed', keep: '', minLength: 5 },
  { suffix: 'ss', keep: 'ss', minLength: 0 },
  { suffix: 'us', keep: 'us', minLength: 0 },
  { suffix: 'is', keep: 'is', minLength: 0 },
  { suffix: 's', keep: '', minLength: 4 },
  { suffix: 'y', keep: '', minLength: 5 },
  { suffix: 'e', keep: '', minLength: 5 },
];

/** A rough English stem (only ever used as a prefix): `lymphomas` → `lymphoma`, `studies` → `stud`. */
export function stemOf(word: string): string {
  for (const { suffix, keep, minLength } of SUFFIXES) {
    if (word.length >= minLength && word.endsWith(suffix)) {
      let stem = word.slice(0, word.length - suffix.length) + keep;
      // `diseases` → `disease` → `diseas`: a plural's final -e goes too, so both forms share a stem.
      if (suffix === 's' && stem.length >= 5 && stem.endsWith('e')) stem = stem.slice(0, -1);
      return stem;
    }
  }
  return word;
}

interface RawTerm {
  text: string;
  quoted: boolean;
  negated: boolean;
}

/** Splits `q` into bare words and quoted phrases, each maybe negated with a leading `-`. */
function scan(q: string): RawTerm[] {
  const text = q.replace(CONTROL, ' ').replace(QUOTES, '"');
  const out: RawTerm[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/u.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let negated = false;
    while (i < text.length && (text[i] === '-' || text[i] === '+')) {
      if (text[i] === '-') negated = true;
      i++;
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end === -1 ? text.length : end;
      out.push({ text: text.slice(i + 1, stop), quoted: true, negated });
      i = stop + 1;
      continue;
    }
    const start = i;
    while (i < text.length && !/\s/u.test(text[i] as string) && text[i] !== '"') i++;
    out.push({ text: text.slice(start, i), quoted: false, negated });
  }
  return out;
}

function termsOf(raw: RawTerm): SearchTerm[] {
  if (CJK.test(raw.text)) {
    const text = substringOf(raw.quoted ? raw.text : raw.text.replace(EDGE_PUNCTUATION, ''));
    return text === '' ? [] : [{ kind: 'substring', text, negated: raw.negated }];
  }
  const words = wordsOf(raw.text);
  if (words.length === 0) return [];
  if (raw.quoted || words.length > 1) return [{ kind: 'phrase', words, negated: raw.negated }];
  return [wordTerm(words[0] as string, raw.negated)];
}

function termKey(term: SearchTerm): string {
  const sign = term.negated ? '-' : '+';
  switch (term.kind) {
    case 'prefix':
      return `${sign}p:${term.stem}`;
    case 'anyOf':
      return `${sign}a:${term.words.join('|')}`;
    case 'phrase':
      return `${sign}w:${term.words.join(' ')}`;
    case 'substring':
      return `${sign}s:${term.text}`;
  }
}

/**
 * The terms of `q`, or undefined when `q` is absent or blank (no search). Throws
 * `VALIDATION_FAILED` when it is too long, has too many terms, or has nothing to search for.
 */
export function parseSearch(q: string | undefined): ParsedSearch | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  if ([...q].length > SEARCH_MAX_LENGTH) invalidLength();
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const raw of scan(q)) {
    for (const term of termsOf(raw)) {
      const key = termKey(term);
      if (seen.has(key)) continue;
      seen.add(key);
      terms.push(term);
    }
  }
  if (terms.length === 0) {
    throw invalid('has nothing to search for: give at least one word (letters or digits)');
  }
  if (terms.length > SEARCH_MAX_TERMS) throw invalid(`has more than ${SEARCH_MAX_TERMS} terms`);
  return { terms, key: [...seen].join('\u0000') };
}

function invalidLength(): never {
  throw invalid(`must NOT have more than ${SEARCH_MAX_LENGTH} characters`);
}

/** Whether the search has a term that must match (not only exclusions). */
export function hasPositiveTerm(search: ParsedSearch): boolean {
  return search.terms.some((term) => !term.negated);
}
