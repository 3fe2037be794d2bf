/**
 * Search terms, as parsed from `q` (src/services/search-query.ts) and run by the store
 * (src/store/search-dialect.ts).
 *
 * Glossary
 * - word term: matched against whole words of the index (case- and accent-insensitive).
 * - substring term: text with Korean (or other CJK) characters, matched as a substring.
 * - level: how much of a trial a match may use: 0 = its title (and its own id), 1 = with the
 *   official title and acronym, 2 = with conditions and keywords, 3 = with interventions,
 *   sponsors, sites, places and other ids, 4 = anything indexed (the summaries, descriptions,
 *   eligibility criteria and outcome measures too: migration 0013).
 * - tier: the relevance rank of a trial for a query: the lowest level at which every positive term
 *   matches. Tier 0 (every term in the title) comes first.
 */

/** One thing the query asks for (or, when `negated`, excludes). */
export type SearchTerm =
  /** Any word that starts with `stem` (a bare English word's stem, four letters or more). */
  | { kind: 'prefix'; stem: string; negated: boolean }
  /** Any of these exact words (a short bare word and its plural). */
  | { kind: 'anyOf'; words: string[]; negated: boolean }
  /** These words, consecutive and in order (one word: that exact word). */
  | { kind: 'phrase'; words: string[]; negated: boolean }
  /** This text as a substring (Korean and other CJK text), folded as the index folds it. */
  | { kind: 'substring'; text: string; negated: boolean };

export type WordTerm = Exclude<SearchTerm, { kind: 'substring' }>;
export type SubstringTerm = Extract<SearchTerm, { kind: 'substring' }>;

export interface ParsedSearch {
  /** The terms, without duplicates, in the order typed; every positive one must match. */
  terms: SearchTerm[];
  /** A stable key of the terms (binds a cursor to its search). */
  key: string;
}

export type SearchLevel = 0 | 1 | 2 | 3 | 4;
export const SEARCH_LEVELS: readonly SearchLevel[] = [0, 1, 2, 3, 4];
/** The level at which everything indexed may match. */
export const ANY_LEVEL: SearchLevel = 4;

/** Fields a facet can count (`GET /api/v1/facets?field=`). */
export const FACET_FIELDS = [
  'source',
  'status',
  'phase',
  'studyType',
  'institution',
  'department',
  'condition',
  'country',
  'hasResults',
  'sex',
  'sponsorClass',
  'recruiting',
] as const;
export type FacetField = (typeof FACET_FIELDS)[number];
