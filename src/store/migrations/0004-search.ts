// Long (434 lines) because a released migration is frozen history: it is never split or edited.
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// The search index, kept in step with `trials` by triggers: every harvest write (insert, new
// version, removal, restore) updates the index in the same statement, so in the same transaction.
// Updates that touch neither `doc` nor `change_seq` (the harvest's "seen" marks) fire nothing.
//
// Both databases index the same text, built from the stored document by the same rules:
// - five groups, joined from the document's values with U+001F between values:
//   title    = own id, title, English title;
//   official = official title, acronym, CRIS English scientific title;
//   subject  = conditions, keywords;
//   other   = institution, department, interventions (and their other names), collaborators,
//             organisation, sites (facility, city; first 200 locations), countries, CRIS sponsors,
//             funders and sites;
//   ids     = secondary ids, org study id, merged NCT ids;
// - words (unicode61 in SQLite FTS5, one column per group; a 'simple' tsvector of the same folding
//   in PostgreSQL, groups weighted A (title), B (official), C (subject), D (other, ids) and kept
//   apart so that phrases never span two groups);
// - the rows with Korean/CJK text also go, folded (ASCII lower case, single spaces), to a substring
//   index (FTS5 trigram in SQLite; pg_trgm in PostgreSQL when available, a bounded scan otherwise),
//   rows keyed by `trials.change_seq` so that the most recently changed rows come first cheaply;
// - conditions and countries, one row per distinct (case-folded) value, in `trial_facets`.

const SEP = 'char(31)';
const PG_SEP = 'chr(31)';
// Hangul jamo (U+1100–11FF) and U+3000–D7FF: CJK punctuation, kana, compatibility jamo, CJK
// ideographs, Hangul syllables. Two ranges keep the test cheap; the API classifies query terms
// with the same ranges (src/services/search-query.ts).
const CJK_CLASS = '[\u1100-\u11FF\u3000-\uD7FF]';
const LOCATIONS_INDEXED = 200;
// Number signs that PostgreSQL's text-search parser treats as separators (², ½, ①, …): SQLite is
// told to do the same, so both split "10¹²" or "①항" alike.
const NUMBER_SEPARATORS =
  '\u00b2\u00b3\u00b9\u00bc\u00bd\u00be\u2070\u2074\u2075\u2076\u2077\u2078\u2079' +
  '\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089' +
  String.fromCharCode(...range(0x2150, 0x215f), 0x2189, ...range(0x2460, 0x249b), ...range(0x24ea, 0x24ff)) +
  String.fromCharCode(...range(0x2776, 0x2793));

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// Search pages are read in index order and checked against the filters row by row: this index
// holds every filter column (and the sort keys), so a rejected row costs an index probe, never a
// read of its (large) `trials` row. Counts and facets over many trials read it alone, too.
const COVERING_INDEX = `CREATE INDEX IF NOT EXISTS trials_search_filters ON trials (change_seq, removed_at,
  last_changed_at, source, status, phase, study_type, has_results, enrollment, institution, department,
  id, source_updated_at)`;

// --------------------------------------------------------------------------------------------
// SQLite

// The document is parsed once per row: its binary form (JSONB) is first stored in `ids` of the new
// `search_docs` row, then one UPDATE computes the four groups from it (an UPDATE reads every column
// as it was before the statement). Parsing the text once per path instead costs ten times more.
const BLOB = 'ids';

/** The five group texts, from the JSONB document held in `ids` of the `search_docs` row. */
function sqliteGroups(): { title: string; official: string; subject: string; other: string; ids: string } {
  const get = (path: string) => `json_extract(${BLOB}, '${path}')`;
  const list = (path: string, item = 'value', where = '') =>
    `(SELECT group_concat(${item}, ${SEP} ORDER BY key) FROM jsonb_each(${BLOB}, '${path}')${where})`;
  const field = (name: string) => `json_extract(value, '$.${name}')`;
  const pairs = (path: string) => list(path, `concat_ws(${SEP}, ${field('kr')}, ${field('en')})`);
  return {
    title: `concat_ws(${SEP}, trial_id, ${get('$.fields.title')},
      NULLIF(${get('$.fields.titleEn')}, ${get('$.fields.title')}))`,
    official: `concat_ws(${SEP}, NULLIF(${get('$.fields.officialTitle')}, ${get('$.fields.title')}),
      ${get('$.fields.acronym')},
      NULLIF(NULLIF(${get('$.sourceFields.normalized.titles.scientificEn')}, ${get('$.fields.titleEn')}), ${get('$.fields.officialTitle')}))`,
    subject: `concat_ws(${SEP}, ${list('$.fields.conditions')}, ${list('$.fields.keywords')})`,
    other: `concat_ws(${SEP}, ${get('$.fields.institution')}, ${get('$.fields.department')},
      ${list('$.fields.interventions', field('name'))},
      (SELECT group_concat(o.value, ${SEP} ORDER BY i.key, o.key)
         FROM jsonb_each(${BLOB}, '$.sourceFields.interventions') i, jsonb_each(i.value, '$.otherNames') o),
      ${list('$.sourceFields.collaborators', field('name'))},
      ${get('$.sourceFields.organization.name')},
      ${list('$.sourceFields.locations', field('facility'), ` WHERE key < ${LOCATIONS_INDEXED}`)},
      ${list('$.sourceFields.locations', field('city'), ` WHERE key < ${LOCATIONS_INDEXED}`)},
      ${list('$.fields.countries')},
      ${pairs('$.sourceFields.normalized.sponsors')},
      ${pairs('$.sourceFields.normalized.funders')},
      ${pairs('$.sourceFields.normalized.sites')})`,
    ids: `concat_ws(${SEP}, ${list('$.fields.secondaryIds', field('id'))},
      ${get('$.sourceFields.orgStudyId.id')}, ${list('$.sourceFields.nctIdAliases')})`,
  };
}

/** CJK text folded for substring search: ASCII lower case, line breaks and tabs as spaces, runs of spaces shortened. */
function sqliteFold(column: string): string {
  let out = `replace(replace(replace(lower(${column}), char(13), ' '), char(10), ' '), char(9), ' ')`;
  for (let i = 0; i < 3; i++) out = `replace(${out}, '  ', ' ')`;
  return out;
}

/** Whether a text has CJK characters (pure ASCII/Latin-1 text is ruled out first, cheaply). */
function sqliteHasCjk(text: string): string {
  return `(octet_length(${text}) > length(${text}) AND ${text} GLOB '*${CJK_CLASS}*')`;
}

/** Facet rows of the `search_docs` rows matching `where`, read from their stored JSONB documents. */
function sqliteFacetStatements(where: string): string[] {
  const facet = (field: string, path: string) => `
    INSERT OR IGNORE INTO trial_facets(trial_id, field, key, value)
      SELECT d.trial_id, '${field}', lower(j.value), min(j.value)
      FROM search_docs d, json_each(d.${BLOB}, '${path}') j
      WHERE ${where} AND typeof(d.${BLOB}) = 'blob' AND j.type = 'text' AND j.value <> ''
      GROUP BY d.trial_id, lower(j.value)`;
  return [facet('condition', '$.fields.conditions'), facet('country', '$.fields.countries')];
}

/**
 * Fills the facets, the groups and the CJK copy of the `search_docs` rows matching `where` (rows
 * still holding their JSONB document), and with `indexRows` adds them to both full-text indexes.
 */
function sqliteFillStatements(where: string, indexRows: boolean): string[] {
  const g = sqliteGroups();
  return [
    ...sqliteFacetStatements(where.replace(/\bseq\b/g, 'd.seq')),
    `UPDATE search_docs SET title = ${g.title}, official = ${g.official}, subject = ${g.subject},
      other = ${g.other}, ids = ${g.ids}
      WHERE ${where} AND typeof(${BLOB}) = 'blob'`,
    `INSERT OR IGNORE INTO search_cjk_docs(seq, trial_id, title, official, subject, other)
      SELECT seq, trial_id, ${sqliteFold('title')}, ${sqliteFold('official')}, ${sqliteFold('subject')},
        ${sqliteFold('other')}
      FROM search_docs WHERE ${where} AND ${sqliteHasCjk('concat(title, official, subject, other)')}`,
    ...(indexRows
      ? [
          `INSERT INTO search_words(rowid, title, official, subject, other, ids)
            SELECT seq, title, official, subject, other, ids FROM search_docs WHERE ${where}`,
          `INSERT INTO search_cjk(rowid, title, official, subject, other)
            SELECT seq, title, official, subject, other FROM search_cjk_docs WHERE ${where}`,
        ]
      : []),
  ];
}

function sqliteIndexStatements(r: string): string[] {
  return [
    `INSERT INTO search_docs(seq, trial_id, ${BLOB}) VALUES (${r}.change_seq, ${r}.id, jsonb(${r}.doc))`,
    ...sqliteFillStatements(`seq = ${r}.change_seq`, true),
  ];
}

// External-content FTS5 tables forget a row only when told its indexed values: read them back first.
function sqliteUnindexStatements(r: string): string[] {
  return [
    `INSERT INTO search_words(search_words, rowid, title, official, subject, other, ids)
      SELECT 'delete', seq, title, official, subject, other, ids FROM search_docs WHERE seq = ${r}.change_seq`,
    `INSERT INTO search_cjk(search_cjk, rowid, title, official, subject, other)
      SELECT 'delete', seq, title, official, subject, other FROM search_cjk_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM search_cjk_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM search_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM trial_facets WHERE trial_id = ${r}.id`,
  ];
}

/** A trigger body: the statements, each ended by `;`. */
const body = (statements: readonly string[]) => statements.map((statement) => `${statement};`).join('\n');

async function upSqlite(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`CREATE TABLE IF NOT EXISTS search_docs (
    seq INTEGER PRIMARY KEY, trial_id TEXT NOT NULL,
    title TEXT, official TEXT, subject TEXT, other TEXT, ids TEXT)`);
  await run(`CREATE TABLE IF NOT EXISTS search_cjk_docs (
    seq INTEGER PRIMARY KEY, trial_id TEXT NOT NULL, title TEXT, official TEXT, subject TEXT, other TEXT)`);
  await run(`CREATE VIRTUAL TABLE IF NOT EXISTS search_words USING fts5(title, official, subject, other, ids,
    content = 'search_docs', content_rowid = 'seq', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2 separators ''${NUMBER_SEPARATORS}''')`);
  await run(`CREATE VIRTUAL TABLE IF NOT EXISTS search_cjk USING fts5(title, official, subject, other,
    content = 'search_cjk_docs', content_rowid = 'seq', columnsize = 0,
    tokenize = 'trigram case_sensitive 1')`);
  await run(`CREATE TABLE IF NOT EXISTS trial_facets (
    trial_id TEXT NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (trial_id, field, key)) WITHOUT ROWID`);
  await run('CREATE INDEX IF NOT EXISTS trial_facets_field_key ON trial_facets (field, key, trial_id)');
  await run(COVERING_INDEX);

  await run(`CREATE TRIGGER IF NOT EXISTS trials_search_insert AFTER INSERT ON trials BEGIN
    ${body(sqliteIndexStatements('new'))}
  END`);
  await run(`CREATE TRIGGER IF NOT EXISTS trials_search_update AFTER UPDATE OF doc, change_seq ON trials
    WHEN old.doc IS NOT new.doc OR old.change_seq IS NOT new.change_seq BEGIN
    ${body(sqliteUnindexStatements('old'))}
    ${body(sqliteIndexStatements('new'))}
  END`);
  await run(`CREATE TRIGGER IF NOT EXISTS trials_search_delete AFTER DELETE ON trials BEGIN
    ${body(sqliteUnindexStatements('old'))}
  END`);

  // Backfill what was harvested before this migration (nothing on a new database), then build
  // both full-text indexes from their content tables.
  await run(`INSERT OR IGNORE INTO search_docs(seq, trial_id, ${BLOB})
    SELECT change_seq, id, jsonb(doc) FROM trials`);
  for (const statement of sqliteFillStatements('1 = 1', false)) await run(statement);
  await run(`INSERT INTO search_words(search_words) VALUES ('rebuild')`);
  await run(`INSERT INTO search_cjk(search_cjk) VALUES ('rebuild')`);
}

// --------------------------------------------------------------------------------------------
// PostgreSQL

const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';
/** SQLite's lower(): ASCII letters only. */
const pgLowerAscii = (value: string) => `translate(${value}, '${ASCII_UPPER}', '${ASCII_LOWER}')`;

function pgGroupsFunction(): string {
  const get = (path: string) => `(d #>> '{${path}}')`;
  // Elements of a JSON path (lax: a missing path gives none), in document order.
  const list = (path: string) =>
    `(SELECT string_agg(e #>> '{}', ${PG_SEP} ORDER BY n) FROM jsonb_path_query(d, '${path}') WITH ORDINALITY AS x(e, n))`;
  const pairs = (path: string) =>
    `(SELECT string_agg(concat_ws(${PG_SEP}, e ->> 'kr', e ->> 'en'), ${PG_SEP} ORDER BY n)
       FROM jsonb_path_query(d, '${path}[*]') WITH ORDINALITY AS x(e, n))`;
  const last = LOCATIONS_INDEXED - 1;
  // Takes the parsed document: every path below reads the same jsonb value (a text argument
  // would be parsed once per path when the function is inlined).
  return `CREATE OR REPLACE FUNCTION trialwatch_search_groups(trial_id text, d jsonb)
    RETURNS TABLE (title text, official text, subject text, other text, ids text)
    LANGUAGE sql IMMUTABLE AS $fn$
    SELECT
      concat_ws(${PG_SEP}, trial_id, ${get('fields,title')},
        NULLIF(${get('fields,titleEn')}, ${get('fields,title')})),
      concat_ws(${PG_SEP}, NULLIF(${get('fields,officialTitle')}, ${get('fields,title')}),
        ${get('fields,acronym')},
        NULLIF(NULLIF(${get('sourceFields,normalized,titles,scientificEn')}, ${get('fields,titleEn')}), ${get('fields,officialTitle')})),
      concat_ws(${PG_SEP}, ${list('$.fields.conditions[*]')}, ${list('$.fields.keywords[*]')}),
      concat_ws(${PG_SEP}, ${get('fields,institution')}, ${get('fields,department')},
        ${list('$.fields.interventions[*].name')},
        ${list('$.sourceFields.interventions[*].otherNames[*]')},
        ${list('$.sourceFields.collaborators[*].name')},
        ${get('sourceFields,organization,name')},
        ${list(`$.sourceFields.locations[0 to ${last}].facility`)},
        ${list(`$.sourceFields.locations[0 to ${last}].city`)},
        ${list('$.fields.countries[*]')},
        ${pairs('$.sourceFields.normalized.sponsors')},
        ${pairs('$.sourceFields.normalized.funders')},
        ${pairs('$.sourceFields.normalized.sites')}),
      concat_ws(${PG_SEP}, ${list('$.fields.secondaryIds[*].id')},
        ${get('sourceFields,orgStudyId,id')}, ${list('$.sourceFields.nctIdAliases[*]')})
  $fn$`;
}

// Words as SQLite's unicode61 tokenizer (remove_diacritics 2) makes them: lower case, Latin
// diacritics removed, anything that is not a letter or digit a separator.
const PG_WORDS_FUNCTION = `CREATE OR REPLACE FUNCTION trialwatch_search_words(value text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE AS $fn$
  SELECT to_tsvector('simple', regexp_replace(
    normalize(regexp_replace(normalize(lower(coalesce(value, '')), NFD), '[\\u0300-\\u036f]', '', 'g'), NFC),
    '[^[:alnum:]]+', ' ', 'g'))
$fn$`;

// The groups weighted A (title), B (official), C (subject), D (other and ids), with a position gap
// between groups (a placeholder lexeme added, then deleted) so that a phrase never spans two of
// them, as in SQLite's columns.
const PG_VECTOR_FUNCTION = `CREATE OR REPLACE FUNCTION trialwatch_search_vector(
    title text, official text, subject text, other text, ids text)
  RETURNS tsvector LANGUAGE sql IMMUTABLE AS $fn$
  SELECT ts_delete(
    setweight(trialwatch_search_words(title), 'A') || 'zqxgapzqx:1'::tsvector ||
    setweight(trialwatch_search_words(official), 'B') || 'zqxgapzqx:1'::tsvector ||
    setweight(trialwatch_search_words(subject), 'C') || 'zqxgapzqx:1'::tsvector ||
    setweight(trialwatch_search_words(other), 'D') || 'zqxgapzqx:1'::tsvector ||
    setweight(trialwatch_search_words(ids), 'D'), 'zqxgapzqx'::text)
$fn$`;

function pgFold(value: string): string {
  let out = `replace(replace(replace(${pgLowerAscii(value)}, chr(13), ' '), chr(10), ' '), chr(9), ' ')`;
  for (let i = 0; i < 3; i++) out = `replace(${out}, '  ', ' ')`;
  return out;
}

const PG_FOLD_FUNCTION = `CREATE OR REPLACE FUNCTION trialwatch_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $fn$ SELECT ${pgFold('value')} $fn$`;

/** Facet rows of a trial from its parsed document `d`. */
function pgFacetInsert(id: string, d: string, field: string, path: string): string {
  return `INSERT INTO trial_facets(trial_id, field, key, value)
    SELECT ${id}, '${field}', ${pgLowerAscii('found.v')}, min(found.v)
    FROM (SELECT e #>> '{}' AS v FROM jsonb_path_query(${d}, '${path}') AS x(e)
          WHERE jsonb_typeof(e) = 'string') AS found
    WHERE found.v <> '' GROUP BY ${pgLowerAscii('found.v')}
    ON CONFLICT DO NOTHING`;
}

const FACET_PATHS = [
  ['condition', '$.fields.conditions[*]'],
  ['country', '$.fields.countries[*]'],
] as const;

const PG_TRIGGER_FUNCTION = `CREATE OR REPLACE FUNCTION trialwatch_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
  DECLARE
    d jsonb;
    g record;
  BEGIN
    IF TG_OP = 'UPDATE' AND NEW.doc IS NOT DISTINCT FROM OLD.doc THEN
      -- A removal or restore: same content, a new position in the change feed.
      UPDATE search_docs SET seq = NEW.change_seq WHERE trial_id = OLD.id;
      UPDATE search_cjk_docs SET seq = NEW.change_seq WHERE trial_id = OLD.id;
      RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
      DELETE FROM search_docs WHERE trial_id = OLD.id;
      DELETE FROM search_cjk_docs WHERE trial_id = OLD.id;
      DELETE FROM trial_facets WHERE trial_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RETURN NULL;
    END IF;
    d := NEW.doc::jsonb;
    SELECT * INTO g FROM trialwatch_search_groups(NEW.id, d);
    INSERT INTO search_docs(seq, trial_id, words)
      VALUES (NEW.change_seq, NEW.id,
        trialwatch_search_vector(g.title, g.official, g.subject, g.other, g.ids));
    IF concat(g.title, g.official, g.subject, g.other) ~ '${CJK_CLASS}' THEN
      INSERT INTO search_cjk_docs(seq, trial_id, title, official, subject, other, alltext)
        SELECT NEW.change_seq, NEW.id, f.title, f.official, f.subject, f.other,
          concat_ws(chr(31), f.title, f.official, f.subject, f.other)
        FROM (SELECT trialwatch_search_fold(g.title) AS title, trialwatch_search_fold(g.official) AS official,
                trialwatch_search_fold(g.subject) AS subject, trialwatch_search_fold(g.other) AS other) AS f;
    END IF;
    ${FACET_PATHS.map(([field, path]) => `${pgFacetInsert('NEW.id', 'd', field, path)};`).join('\n    ')}
    RETURN NULL;
  END
$fn$`;

async function upPostgres(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  // pg_trgm only speeds up substring search; without it (no privilege, not installed) the same
  // queries scan the CJK rows, which stay few whatever the size of the English registries.
  await run(`DO $do$ BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); substring search will scan the CJK rows', SQLERRM;
  END $do$`);
  await run(`CREATE TABLE IF NOT EXISTS search_docs (
    seq bigint PRIMARY KEY, trial_id text NOT NULL UNIQUE, words tsvector NOT NULL)`);
  await run('CREATE INDEX IF NOT EXISTS search_docs_words ON search_docs USING gin (words)');
  await run(`CREATE TABLE IF NOT EXISTS search_cjk_docs (
    seq bigint PRIMARY KEY, trial_id text NOT NULL UNIQUE, title text, official text, subject text,
    other text, alltext text NOT NULL)`);
  await run(`DO $do$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops') THEN
      EXECUTE 'CREATE INDEX IF NOT EXISTS search_cjk_docs_trgm ON search_cjk_docs USING gin (alltext gin_trgm_ops)';
    END IF;
  END $do$`);
  await run(`CREATE TABLE IF NOT EXISTS trial_facets (
    trial_id text NOT NULL, field text NOT NULL, key text NOT NULL, value text NOT NULL,
    PRIMARY KEY (trial_id, field, key))`);
  await run('CREATE INDEX IF NOT EXISTS trial_facets_field_key ON trial_facets (field, key, trial_id)');
  await run(COVERING_INDEX);

  await run(pgGroupsFunction());
  await run(PG_WORDS_FUNCTION);
  await run(PG_VECTOR_FUNCTION);
  await run(PG_FOLD_FUNCTION);
  await run(PG_TRIGGER_FUNCTION);
  await run('DROP TRIGGER IF EXISTS trials_search_insert ON trials');
  await run(`CREATE TRIGGER trials_search_insert AFTER INSERT ON trials
    FOR EACH ROW EXECUTE FUNCTION trialwatch_search_sync()`);
  await run('DROP TRIGGER IF EXISTS trials_search_update ON trials');
  await run(`CREATE TRIGGER trials_search_update AFTER UPDATE OF doc, change_seq ON trials
    FOR EACH ROW WHEN (OLD.doc IS DISTINCT FROM NEW.doc OR OLD.change_seq IS DISTINCT FROM NEW.change_seq)
    EXECUTE FUNCTION trialwatch_search_sync()`);
  await run('DROP TRIGGER IF EXISTS trials_search_delete ON trials');
  await run(`CREATE TRIGGER trials_search_delete AFTER DELETE ON trials
    FOR EACH ROW EXECUTE FUNCTION trialwatch_search_sync()`);

  // Backfill what was harvested before this migration (nothing on a new database). OFFSET 0 keeps
  // each document parsed once (the planner would otherwise repeat the cast at every use).
  const parsed = `trials t CROSS JOIN LATERAL (SELECT t.doc::jsonb AS d OFFSET 0) AS p
    CROSS JOIN LATERAL trialwatch_search_groups(t.id, p.d) g`;
  await run(`INSERT INTO search_docs(seq, trial_id, words)
    SELECT t.change_seq, t.id, trialwatch_search_vector(g.title, g.official, g.subject, g.other, g.ids)
    FROM ${parsed}
    ON CONFLICT DO NOTHING`);
  await run(`INSERT INTO search_cjk_docs(seq, trial_id, title, official, subject, other, alltext)
    SELECT seq, trial_id, title, official, subject, other, concat_ws(chr(31), title, official, subject, other)
    FROM (SELECT t.change_seq AS seq, t.id AS trial_id, trialwatch_search_fold(g.title) AS title,
            trialwatch_search_fold(g.official) AS official, trialwatch_search_fold(g.subject) AS subject,
            trialwatch_search_fold(g.other) AS other
          FROM ${parsed}
          WHERE concat(g.title, g.official, g.subject, g.other) ~ '${CJK_CLASS}') AS f
    ON CONFLICT DO NOTHING`);
  for (const [field, path] of FACET_PATHS) {
    await run(`INSERT INTO trial_facets(trial_id, field, key, value)
      SELECT t.id, '${field}', ${pgLowerAscii("x.e #>> '{}'")}, min(x.e #>> '{}')
      FROM trials t CROSS JOIN LATERAL (SELECT t.doc::jsonb AS d OFFSET 0) AS p
        CROSS JOIN LATERAL jsonb_path_query(p.d, '${path}') AS x(e)
      WHERE jsonb_typeof(x.e) = 'string' AND x.e #>> '{}' <> ''
      GROUP BY t.id, ${pgLowerAscii("x.e #>> '{}'")}
      ON CONFLICT DO NOTHING`);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const trigger of [
    'trials_search_insert',
    'trials_search_update',
    'trials_facets_update',
    'trials_search_delete',
  ]) {
    await run(postgres ? `DROP TRIGGER IF EXISTS ${trigger} ON trials` : `DROP TRIGGER IF EXISTS ${trigger}`);
  }
  await run('DROP INDEX IF EXISTS trials_search_filters');
  for (const table of ['search_words', 'search_cjk', 'search_cjk_docs', 'search_docs', 'trial_facets']) {
    if (postgres && (table === 'search_words' || table === 'search_cjk')) continue;
    await run(`DROP TABLE IF EXISTS ${table}`);
  }
  if (postgres) {
    for (const fn of [
      'trialwatch_search_sync()',
      'trialwatch_search_vector(text, text, text, text, text)',
      'trialwatch_search_words(text)',
      'trialwatch_search_fold(text)',
      'trialwatch_search_groups(text, jsonb)',
    ]) {
      await run(`DROP FUNCTION IF EXISTS ${fn}`);
    }
  }
}
