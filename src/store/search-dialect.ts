/**
 * The search index's SQLite/PostgreSQL differences, as small helpers: nothing else branches on the
 * dialect for search. Both databases index the same text the same way (see migration 0004):
 *
 * - SQLite: `search_words`, an FTS5 (unicode61) index over `search_docs` (title, official,
 *   subject, other, ids), and `search_cjk`, an FTS5 trigram index over `search_cjk_docs` (the same
 *   groups but ids, folded, only for rows with Korean/CJK text). Row ids are `trials.change_seq`.
 * - PostgreSQL: `search_docs.words`, a tsvector with the groups weighted A (title), B (official),
 *   C (subject), D (other, ids), and `words0`, `words1`, `words2`, the same filtered to the groups
 *   of levels 0–2 (migration 0006); each has a GIN index, so a level's word terms need no weight
 *   label, and the index alone answers plain and prefix terms (no vector read back). Also
 *   `search_cjk_docs.alltext` (pg_trgm GIN when available). `seq` is `trials.change_seq`.
 *
 * Word terms use the words index: the title only (level 0), with the official title (level 1),
 * with conditions and keywords (level 2), with the rest but the text people read (level 3), or
 * everything (level 4: summaries, descriptions, eligibility criteria, outcome measures; migration
 * 0013 adds them, as a `text` column in SQLite and `text_words` / `words4` in PostgreSQL). Substring terms of three
 * characters or more use the trigram
 * index; shorter ones (천식, 간암, 치매) scan `search_cjk_docs`, which holds only the CJK rows
 * (the Korean registries: thousands of rows, not the hundreds of thousands of ClinicalTrials.gov),
 * so that scan stays bounded whatever the size of the English registries.
 *
 * Every value reaches the database as a bound parameter; inside the full-text query languages every
 * user word is quoted, so no input can change a query's structure.
 */
import type { RawBuilder } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';
import type { ParsedSearch, SearchLevel, SubstringTerm, WordTerm } from '../domain/search.types.js';
import { ANY_LEVEL } from '../domain/search.types.js';
import type { Db } from './database.js';
import type { DialectInfo } from './dialect.js';
import type { TrialsTable } from './schema.js';

/** SQL selecting one column, `seq`: `trials.change_seq` of matching trials. */
export type SeqQuery = RawBuilder<{ seq: number }>;

export interface SearchSql {
  /**
   * The trials whose current content matches the search at `level` (every positive term, no
   * excluded one); with `tierOnly`, only those that do not match at `level - 1` already. Null when
   * the search has no positive term (then only `excluded` applies).
   */
  matching(level: SearchLevel, tierOnly: boolean): SeqQuery | null;
  /** The trials matching any excluded term (already left out by `matching`); null when none. */
  excluded(): SeqQuery | null;
}

const dialects = new WeakMap<object, DialectInfo>();

/**
 * The dialect of a Kysely instance, for callers that were not handed a `DialectInfo` (the read
 * services get only `db`): read from its adapter, once per instance.
 */
export function dialectInfoOf(db: Db): DialectInfo {
  let info = dialects.get(db);
  if (info === undefined) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    info = { name: postgres ? 'postgres' : 'sqlite', multiProcess: postgres };
    dialects.set(db, info);
  }
  return info;
}

/**
 * `trials`, for queries that count or group many trials (facets): on SQLite read through the
 * index that holds every filter column (migration 0004), which the planner would otherwise pass
 * over for a scan of the table, not knowing how large its rows are (the stored documents).
 */
export function trialsForCounting(dialect: DialectInfo): RawBuilder<TrialsTable> {
  return dialect.name === 'sqlite'
    ? sql<TrialsTable>`(select * from trials indexed by trials_search_filters)`
    : sql<TrialsTable>`trials`;
}

/** Orders text by code point on both databases (PostgreSQL would use the database's collation). */
export function codepointOrder(dialect: DialectInfo, expression: RawBuilder<unknown>): RawBuilder<string> {
  return dialect.name === 'postgres' ? sql<string>`${expression} collate "C"` : sql<string>`${expression}`;
}

/** Substring terms shorter than this take the scan path: a trigram index needs three characters. */
const TRIGRAM = 3;

interface Split {
  words: WordTerm[];
  substrings: SubstringTerm[];
  notWords: WordTerm[];
  notSubstrings: SubstringTerm[];
}

function split(search: ParsedSearch): Split {
  const out: Split = { words: [], substrings: [], notWords: [], notSubstrings: [] };
  for (const term of search.terms) {
    if (term.kind === 'substring') (term.negated ? out.notSubstrings : out.substrings).push(term);
    else (term.negated ? out.notWords : out.words).push(term);
  }
  return out;
}

const isShort = (term: SubstringTerm) => [...term.text].length < TRIGRAM;
const and = (parts: readonly RawBuilder<unknown>[]) => sql.join(parts, sql` and `);
const or = (parts: readonly RawBuilder<unknown>[]) => sql`(${sql.join(parts, sql` or `)})`;

// ------------------------------------------------------------------------------------------------
// SQLite: FTS5 query strings

const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

function ftsWord(term: WordTerm): string {
  switch (term.kind) {
    case 'prefix':
      return `${ftsString(term.stem)} *`;
    case 'anyOf':
      return `(${term.words.map(ftsString).join(' OR ')})`;
    case 'phrase':
      return ftsString(term.words.join(' '));
  }
}

/** The columns each level may match. */
const FTS_COLUMNS: Readonly<Record<SearchLevel, string>> = {
  0: '{title} : ',
  1: '{title official} : ',
  2: '{title official subject} : ',
  3: '{title official subject other ids} : ',
  4: '',
};

const ftsAll = (parts: readonly string[], level: SearchLevel) =>
  `${FTS_COLUMNS[level]}(${parts.join(' AND ')})`;
const ftsAny = (parts: readonly string[]) => `(${parts.join(' OR ')})`;

/** The CJK columns each level may match. */
const CJK_COLUMNS: Readonly<Record<SearchLevel, readonly string[]>> = {
  0: ['title'],
  1: ['title', 'official'],
  2: ['title', 'official', 'subject'],
  3: ['title', 'official', 'subject', 'other'],
  4: ['title', 'official', 'subject', 'other', 'text'],
};

/** The column filter of `search_cjk` at each level (every column at the last). */
const CJK_FTS_COLUMNS: Readonly<Record<SearchLevel, string>> = {
  0: '{title} : ',
  1: '{title official} : ',
  2: '{title official subject} : ',
  3: '{title official subject other} : ',
  4: '',
};

/** Conditions on `search_cjk_docs c`: every term is a substring of the level's columns. */
function sqliteCjkAll(terms: readonly SubstringTerm[], level: SearchLevel): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  const long = terms.filter((term) => !isShort(term));
  if (long.length > 0) {
    const expression = `${CJK_FTS_COLUMNS[level]}(${long.map((term) => ftsString(term.text)).join(' AND ')})`;
    conditions.push(sql`c.seq in (select rowid from search_cjk(${expression}))`);
  }
  for (const term of terms.filter(isShort)) {
    conditions.push(
      or(
        CJK_COLUMNS[level].map(
          (column) => sql`coalesce(instr(${sql.ref(`c.${column}`)}, ${term.text}), 0) > 0`,
        ),
      ),
    );
  }
  return conditions;
}

/** A condition on `search_cjk_docs c`: some term is a substring of some column. */
function sqliteCjkAny(terms: readonly SubstringTerm[]): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const long = terms.filter((term) => !isShort(term));
  if (long.length > 0) {
    const expression = ftsAny(long.map((term) => ftsString(term.text)));
    parts.push(sql`c.seq in (select rowid from search_cjk(${expression}))`);
  }
  for (const term of terms.filter(isShort)) {
    for (const column of CJK_COLUMNS[ANY_LEVEL]) {
      parts.push(sql`coalesce(instr(${sql.ref(`c.${column}`)}, ${term.text}), 0) > 0`);
    }
  }
  return or(parts);
}

function sqliteSearch(search: ParsedSearch): SearchSql {
  const { words, substrings, notWords, notSubstrings } = split(search);
  const wordExpression = (level: SearchLevel) => ftsAll(words.map(ftsWord), level);
  const notWordExpression = () => ftsAny(notWords.map(ftsWord));
  const cjkSeqs = (level: SearchLevel) =>
    sql`select c.seq from search_cjk_docs c where ${and(sqliteCjkAll(substrings, level))}`;
  const notCjkSeqs = () => sql`select c.seq from search_cjk_docs c where ${sqliteCjkAny(notSubstrings)}`;

  return {
    matching(level, tierOnly) {
      const previous = tierOnly && level > 0 ? ((level - 1) as SearchLevel) : null;
      if (words.length > 0) {
        // Driven by the words index in row-id (= change_seq) order, so a page stops early.
        let expression = wordExpression(level);
        if (previous !== null && substrings.length === 0)
          expression = `(${expression}) NOT (${wordExpression(previous)})`;
        if (notWords.length > 0) expression = `(${expression}) NOT ${notWordExpression()}`;
        const conditions: RawBuilder<unknown>[] = [sql`1 = 1`];
        if (substrings.length > 0) conditions.push(sql`m.rowid in (${cjkSeqs(level)})`);
        if (previous !== null && substrings.length > 0) {
          conditions.push(
            sql`m.rowid not in (select w.rowid from search_words(${wordExpression(previous)}) w where w.rowid in (${cjkSeqs(previous)}))`,
          );
        }
        if (notSubstrings.length > 0) conditions.push(sql`m.rowid not in (${notCjkSeqs()})`);
        return sql<{
          seq: number;
        }>`select m.rowid as seq from search_words(${expression}) m where ${and(conditions)}`;
      }
      if (substrings.length > 0) {
        const conditions = sqliteCjkAll(substrings, level);
        if (previous !== null) conditions.push(sql`not (${and(sqliteCjkAll(substrings, previous))})`);
        if (notSubstrings.length > 0) conditions.push(sql`not ${sqliteCjkAny(notSubstrings)}`);
        if (notWords.length > 0)
          conditions.push(sql`c.seq not in (select rowid from search_words(${notWordExpression()}))`);
        return sql<{ seq: number }>`select c.seq as seq from search_cjk_docs c where ${and(conditions)}`;
      }
      return null;
    },
    excluded() {
      const parts: RawBuilder<unknown>[] = [];
      if (notWords.length > 0) parts.push(sql`select rowid as seq from search_words(${notWordExpression()})`);
      if (notSubstrings.length > 0) parts.push(notCjkSeqs());
      return parts.length === 0 ? null : sql<{ seq: number }>`${sql.join(parts, sql` union `)}`;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// PostgreSQL: tsquery text and LIKE

/** The tsvector column of each level. */
const TS_COLUMNS: Readonly<Record<SearchLevel, string>> = {
  0: 'd.words0',
  1: 'd.words1',
  2: 'd.words2',
  3: 'd.words',
  4: 'd.words4',
};

const tsLexeme = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function tsWord(term: WordTerm): string {
  switch (term.kind) {
    case 'prefix':
      return `${tsLexeme(term.stem)}:*`;
    case 'anyOf':
      return `(${term.words.map(tsLexeme).join(' | ')})`;
    case 'phrase':
      return `(${term.words.map(tsLexeme).join(' <-> ')})`;
  }
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** Conditions on `search_cjk_docs c`: every term is a substring of the level's columns. */
function pgCjkAll(terms: readonly SubstringTerm[], level: SearchLevel): RawBuilder<unknown>[] {
  return terms.map((term) => {
    // The LIKE on `alltext` is what the trigram index serves; the level then narrows by column.
    const anywhere = sql`c.alltext like ${likePattern(term.text)}`;
    if (level === ANY_LEVEL) return anywhere;
    const columns = CJK_COLUMNS[level].map(
      (column) => sql`coalesce(strpos(${sql.ref(`c.${column}`)}, ${term.text}), 0) > 0`,
    );
    return sql`(${anywhere} and ${or(columns)})`;
  });
}

function pgCjkAny(terms: readonly SubstringTerm[]): RawBuilder<unknown> {
  return or(terms.map((term) => sql`c.alltext like ${likePattern(term.text)}`));
}

const hasDigit = (term: WordTerm) =>
  term.kind === 'prefix' ? /\d/.test(term.stem) : term.words.some((word) => /\d/.test(word));

function postgresSearch(search: ParsedSearch): SearchSql {
  const { words, substrings, notWords, notSubstrings } = split(search);
  const allWords = words.map(tsWord).join(' & ');
  const anyNotWord = notWords.map(tsWord).join(' | ');
  const wordsMatch = (level: SearchLevel, query: string) =>
    sql`${sql.raw(TS_COLUMNS[level])} @@ cast(${query} as tsquery)`;
  const cjkSeqs = (level: SearchLevel) =>
    sql`select c.seq from search_cjk_docs c where ${and(pgCjkAll(substrings, level))}`;
  const notCjkSeqs = () => sql`select c.seq from search_cjk_docs c where ${pgCjkAny(notSubstrings)}`;

  return {
    matching(level, tierOnly) {
      const previous = tierOnly && level > 0 ? ((level - 1) as SearchLevel) : null;
      if (words.length > 0) {
        const conditions: RawBuilder<unknown>[] = [wordsMatch(level, allWords)];
        if (substrings.length > 0) conditions.push(sql`d.seq in (${cjkSeqs(level)})`);
        if (previous !== null) {
          conditions.push(
            substrings.length === 0
              ? sql`not (${wordsMatch(previous, allWords)})`
              : sql`not (${wordsMatch(previous, allWords)} and d.seq in (${cjkSeqs(previous)}))`,
          );
        }
        if (notWords.length > 0) conditions.push(sql`not (${wordsMatch(ANY_LEVEL, anyNotWord)})`);
        if (notSubstrings.length > 0) conditions.push(sql`d.seq not in (${notCjkSeqs()})`);
        // A term with digits (an id, mostly) matches a handful of trials, but the planner cannot
        // know it and, for the few rows a page needs, walks `seq` backwards testing every row (a
        // full scan). The fence makes it read the index first; other terms keep its choice, which
        // serves common words best (their first matches come early in that walk).
        const fence = words.some(hasDigit) ? sql` offset 0` : sql``;
        return sql<{ seq: number }>`select d.seq as seq from search_docs d where ${and(conditions)}${fence}`;
      }
      if (substrings.length > 0) {
        const conditions = pgCjkAll(substrings, level);
        if (previous !== null) conditions.push(sql`not (${and(pgCjkAll(substrings, previous))})`);
        if (notSubstrings.length > 0) conditions.push(sql`not ${pgCjkAny(notSubstrings)}`);
        if (notWords.length > 0) {
          conditions.push(
            sql`c.seq not in (select d.seq from search_docs d where ${wordsMatch(ANY_LEVEL, anyNotWord)})`,
          );
        }
        return sql<{ seq: number }>`select c.seq as seq from search_cjk_docs c where ${and(conditions)}`;
      }
      return null;
    },
    excluded() {
      const parts: RawBuilder<unknown>[] = [];
      if (notWords.length > 0)
        parts.push(sql`select d.seq from search_docs d where ${wordsMatch(ANY_LEVEL, anyNotWord)}`);
      if (notSubstrings.length > 0) parts.push(notCjkSeqs());
      return parts.length === 0 ? null : sql<{ seq: number }>`${sql.join(parts, sql` union `)}`;
    },
  };
}

/** The search's SQL for this database. */
export function searchSql(dialect: DialectInfo, search: ParsedSearch): SearchSql {
  return dialect.name === 'postgres' ? postgresSearch(search) : sqliteSearch(search);
}
