/**
 * Search the text people read: a sixth group, `text`, ranked below everything else (search level
 * 4), holding
 * - ClinicalTrials.gov: the brief summary, the detailed description, the eligibility criteria and
 *   the outcome measures (primary and secondary: measure and description), as the ctgov mapper
 *   keeps them in `sourceFields` (description, eligibility.criteria, outcomes);
 * - CRIS: the summary and the primary outcomes, Korean and English (`sourceFields.normalized`);
 * - KDCA iCReaT: nothing (the registry publishes none of it).
 *
 * SQLite: `search_docs` and `search_cjk_docs` get a `text` column, and both FTS5 tables are made
 * again with it (an FTS5 table cannot gain a column), so the triggers of 0004 are replaced by the
 * same statements with the text added. PostgreSQL: `search_docs.text_words` (the text's own
 * vector) and `words4`, generated: `words` and the text, kept apart by a position gap so that no
 * phrase spans both, with its GIN index (level 4); `search_cjk_docs.text`, in `alltext` too; the
 * trigger function of 0004 is replaced by the same with the text added.
 *
 * Existing rows are indexed again from their stored documents. A ClinicalTrials.gov document
 * stored before the mapper kept these texts has none of them: such trials get their text when
 * their record changes upstream (or their documents are mapped again).
 *
 * Self-contained like every migration (it imports nothing from the app or from 0004, which is
 * frozen): the statement builders of 0004 are repeated here, with the text as an option, so that
 * `down` puts back exactly what 0004 made.
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

const SEP = 'char(31)';
const PG_SEP = 'chr(31)';
const CJK_CLASS = '[\u1100-\u11FF\u3000-\uD7FF]';
const LOCATIONS_INDEXED = 200;
const NUMBER_SEPARATORS =
  '\u00b2\u00b3\u00b9\u00bc\u00bd\u00be\u2070\u2074\u2075\u2076\u2077\u2078\u2079' +
  '\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089' +
  String.fromCharCode(...range(0x2150, 0x215f), 0x2189, ...range(0x2460, 0x249b), ...range(0x24ea, 0x24ff)) +
  String.fromCharCode(...range(0x2776, 0x2793));

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The text group's values, as JSON paths (SQLite `jsonb_each` / PostgreSQL `jsonb_path_query`). */
const TEXT_VALUES: readonly { path: string; item?: string }[] = [
  { path: '$.sourceFields.description.briefSummary' },
  { path: '$.sourceFields.description.detailedDescription' },
  { path: '$.sourceFields.eligibility.criteria' },
  { path: '$.sourceFields.outcomes.primary', item: 'measure' },
  { path: '$.sourceFields.outcomes.primary', item: 'description' },
  { path: '$.sourceFields.outcomes.secondary', item: 'measure' },
  { path: '$.sourceFields.outcomes.secondary', item: 'description' },
  { path: '$.sourceFields.normalized.summary.kr' },
  { path: '$.sourceFields.normalized.summary.en' },
  { path: '$.sourceFields.normalized.outcomes', item: 'kr' },
  { path: '$.sourceFields.normalized.outcomes', item: 'en' },
];

// --------------------------------------------------------------------------------------------
// SQLite

/** The column of the new `search_docs` row that holds its JSONB document while the groups are computed (as in 0004). */
const BLOB = 'ids';

const GROUPS = ['title', 'official', 'subject', 'other', 'ids'] as const;
const CJK_GROUPS = ['title', 'official', 'subject', 'other'] as const;

/** The text group from the JSONB document held in column `blob`. */
function sqliteText(blob: string): string {
  const values = TEXT_VALUES.map(({ path, item }) =>
    item === undefined
      ? `json_extract(${blob}, '${path}')`
      : `(SELECT group_concat(json_extract(value, '$.${item}'), ${SEP} ORDER BY key) FROM jsonb_each(${blob}, '${path}'))`,
  );
  return `NULLIF(concat_ws(${SEP}, ${values.join(', ')}), '')`;
}

/** 0004's five groups (repeated verbatim), from the JSONB document held in `ids`. */
function sqliteGroups(): Record<(typeof GROUPS)[number], string> {
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

function sqliteFold(column: string): string {
  let out = `replace(replace(replace(lower(${column}), char(13), ' '), char(10), ' '), char(9), ' ')`;
  for (let i = 0; i < 3; i++) out = `replace(${out}, '  ', ' ')`;
  return out;
}

function sqliteHasCjk(text: string): string {
  return `(octet_length(${text}) > length(${text}) AND ${text} GLOB '*${CJK_CLASS}*')`;
}

function sqliteFacetStatements(where: string): string[] {
  const facet = (field: string, path: string) => `
    INSERT OR IGNORE INTO trial_facets(trial_id, field, key, value)
      SELECT d.trial_id, '${field}', lower(j.value), min(j.value)
      FROM search_docs d, json_each(d.${BLOB}, '${path}') j
      WHERE ${where} AND typeof(d.${BLOB}) = 'blob' AND j.type = 'text' AND j.value <> ''
      GROUP BY d.trial_id, lower(j.value)`;
  return [facet('condition', '$.fields.conditions'), facet('country', '$.fields.countries')];
}

/** The columns of `search_docs` / `search_cjk_docs` that the full-text tables index. */
const wordColumns = (withText: boolean) => [...GROUPS, ...(withText ? ['text'] : [])];
const cjkColumns = (withText: boolean) => [...CJK_GROUPS, ...(withText ? ['text'] : [])];

/** 0004's trigger statements for the rows matching `where`, with the text group when `withText`. */
function sqliteFillStatements(where: string, withText: boolean): string[] {
  const g = sqliteGroups();
  const words = wordColumns(withText).join(', ');
  const cjk = cjkColumns(withText);
  return [
    ...sqliteFacetStatements(where.replace(/\bseq\b/g, 'd.seq')),
    `UPDATE search_docs SET ${GROUPS.map((group) => `${group} = ${g[group]}`).join(', ')}
      ${withText ? `, text = ${sqliteText(BLOB)}` : ''}
      WHERE ${where} AND typeof(${BLOB}) = 'blob'`,
    `INSERT OR IGNORE INTO search_cjk_docs(seq, trial_id, ${cjk.join(', ')})
      SELECT seq, trial_id, ${cjk.map(sqliteFold).join(', ')}
      FROM search_docs WHERE ${where} AND ${sqliteHasCjk(`concat(${cjk.join(', ')})`)}`,
    `INSERT INTO search_words(rowid, ${words}) SELECT seq, ${words} FROM search_docs WHERE ${where}`,
    `INSERT INTO search_cjk(rowid, ${cjk.join(', ')})
      SELECT seq, ${cjk.join(', ')} FROM search_cjk_docs WHERE ${where}`,
  ];
}

function sqliteIndexStatements(r: string, withText: boolean): string[] {
  return [
    `INSERT INTO search_docs(seq, trial_id, ${BLOB}) VALUES (${r}.change_seq, ${r}.id, jsonb(${r}.doc))`,
    ...sqliteFillStatements(`seq = ${r}.change_seq`, withText),
  ];
}

function sqliteUnindexStatements(r: string, withText: boolean): string[] {
  const words = wordColumns(withText).join(', ');
  const cjk = cjkColumns(withText).join(', ');
  return [
    `INSERT INTO search_words(search_words, rowid, ${words})
      SELECT 'delete', seq, ${words} FROM search_docs WHERE seq = ${r}.change_seq`,
    `INSERT INTO search_cjk(search_cjk, rowid, ${cjk})
      SELECT 'delete', seq, ${cjk} FROM search_cjk_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM search_cjk_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM search_docs WHERE seq = ${r}.change_seq`,
    `DELETE FROM trial_facets WHERE trial_id = ${r}.id`,
  ];
}

const body = (statements: readonly string[]) => statements.map((statement) => `${statement};`).join('\n');

const TRIGGERS = ['trials_search_insert', 'trials_search_update', 'trials_search_delete'];

/** Drops the search triggers and both FTS5 tables, then makes them again for `withText`. */
async function sqliteRebuild(db: Kysely<any>, withText: boolean): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  for (const trigger of TRIGGERS) await run(`DROP TRIGGER IF EXISTS ${trigger}`);
  await run('DROP TABLE IF EXISTS search_words');
  await run('DROP TABLE IF EXISTS search_cjk');
  await run(`CREATE VIRTUAL TABLE search_words USING fts5(${wordColumns(withText).join(', ')},
    content = 'search_docs', content_rowid = 'seq', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2 separators ''${NUMBER_SEPARATORS}''')`);
  await run(`CREATE VIRTUAL TABLE search_cjk USING fts5(${cjkColumns(withText).join(', ')},
    content = 'search_cjk_docs', content_rowid = 'seq', columnsize = 0,
    tokenize = 'trigram case_sensitive 1')`);
  await run(`CREATE TRIGGER trials_search_insert AFTER INSERT ON trials BEGIN
    ${body(sqliteIndexStatements('new', withText))}
  END`);
  await run(`CREATE TRIGGER trials_search_update AFTER UPDATE OF doc, change_seq ON trials
    WHEN old.doc IS NOT new.doc OR old.change_seq IS NOT new.change_seq BEGIN
    ${body(sqliteUnindexStatements('old', withText))}
    ${body(sqliteIndexStatements('new', withText))}
  END`);
  await run(`CREATE TRIGGER trials_search_delete AFTER DELETE ON trials BEGIN
    ${body(sqliteUnindexStatements('old', withText))}
  END`);
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  // Safe to run again (as every search migration): a column already there is kept.
  for (const table of ['search_docs', 'search_cjk_docs']) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from pragma_table_info(${table})
      where name = 'text'`.execute(db);
    if (Number(rows[0]?.n) === 0) await run(`ALTER TABLE ${table} ADD COLUMN text TEXT`);
  }
  // Each document parsed once: its JSONB first goes to `text`, then the text is computed from it.
  await run(
    `UPDATE search_docs SET text = (SELECT jsonb(t.doc) FROM trials t WHERE t.change_seq = search_docs.seq)`,
  );
  await run(`UPDATE search_docs SET text = ${sqliteText('text')} WHERE typeof(text) = 'blob'`);
  await run(`UPDATE search_cjk_docs SET text = (SELECT ${sqliteFold('d.text')} FROM search_docs d
    WHERE d.seq = search_cjk_docs.seq)`);
  // Trials whose only Korean text is in the text group.
  await run(`INSERT OR IGNORE INTO search_cjk_docs(seq, trial_id, ${cjkColumns(true).join(', ')})
    SELECT seq, trial_id, ${cjkColumns(true).map(sqliteFold).join(', ')}
    FROM search_docs WHERE text IS NOT NULL AND ${sqliteHasCjk('text')}`);
  await sqliteRebuild(db, true);
  await run(`INSERT INTO search_words(search_words) VALUES ('rebuild')`);
  await run(`INSERT INTO search_cjk(search_cjk) VALUES ('rebuild')`);
}

async function downSqlite(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`DELETE FROM search_cjk_docs WHERE NOT ${sqliteHasCjk(`concat(${CJK_GROUPS.join(', ')})`)}`);
  await sqliteRebuild(db, false);
  await run('ALTER TABLE search_docs DROP COLUMN text');
  await run('ALTER TABLE search_cjk_docs DROP COLUMN text');
  await run(`INSERT INTO search_words(search_words) VALUES ('rebuild')`);
  await run(`INSERT INTO search_cjk(search_cjk) VALUES ('rebuild')`);
}

// --------------------------------------------------------------------------------------------
// PostgreSQL

const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';
const pgLowerAscii = (value: string) => `translate(${value}, '${ASCII_UPPER}', '${ASCII_LOWER}')`;

/** The text group of a parsed document, in the order of SQLite's. */
function pgTextFunction(): string {
  const values = TEXT_VALUES.map(({ path, item }) =>
    item === undefined
      ? `(SELECT string_agg(e #>> '{}', ${PG_SEP}) FROM jsonb_path_query(d, '${path}') AS x(e))`
      : `(SELECT string_agg(e #>> '{}', ${PG_SEP} ORDER BY n)
           FROM jsonb_path_query(d, '${path}[*].${item}') WITH ORDINALITY AS x(e, n))`,
  );
  return `CREATE OR REPLACE FUNCTION trialwatch_search_text(d jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $fn$
    SELECT NULLIF(concat_ws(${PG_SEP}, ${values.join(', ')}), '')
  $fn$`;
}

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

/** 0004's trigger function, with the text group when `withText`. */
function pgTriggerFunction(withText: boolean): string {
  const text = withText ? 't' : 'NULL';
  return `CREATE OR REPLACE FUNCTION trialwatch_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
  DECLARE
    d jsonb;
    g record;
    t text;
  BEGIN
    IF TG_OP = 'UPDATE' AND NEW.doc IS NOT DISTINCT FROM OLD.doc THEN
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
    ${withText ? 't := trialwatch_search_text(d);' : ''}
    INSERT INTO search_docs(seq, trial_id, words${withText ? ', text_words' : ''})
      VALUES (NEW.change_seq, NEW.id,
        trialwatch_search_vector(g.title, g.official, g.subject, g.other, g.ids)
        ${withText ? `, trialwatch_search_words(${text})` : ''});
    IF concat(g.title, g.official, g.subject, g.other, ${text}) ~ '${CJK_CLASS}' THEN
      INSERT INTO search_cjk_docs(seq, trial_id, title, official, subject, other${withText ? ', text' : ''}, alltext)
        SELECT NEW.change_seq, NEW.id, f.title, f.official, f.subject, f.other${withText ? ', f.text' : ''},
          concat_ws(chr(31), f.title, f.official, f.subject, f.other${withText ? ', f.text' : ''})
        FROM (SELECT trialwatch_search_fold(g.title) AS title, trialwatch_search_fold(g.official) AS official,
                trialwatch_search_fold(g.subject) AS subject, trialwatch_search_fold(g.other) AS other,
                trialwatch_search_fold(${text}) AS text) AS f;
    END IF;
    ${FACET_PATHS.map(([field, path]) => `${pgFacetInsert('NEW.id', 'd', field, path)};`).join('\n    ')}
    RETURN NULL;
  END
$fn$`;
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(`ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS text_words tsvector NOT NULL DEFAULT ''`);
  await run('ALTER TABLE search_cjk_docs ADD COLUMN IF NOT EXISTS text text');
  await run(pgTextFunction());
  await run(pgTriggerFunction(true));

  // Every stored document parsed once (OFFSET 0 keeps the cast from being repeated), into a work
  // table (not a temporary one: the statements may not all run on one connection).
  await run('DROP TABLE IF EXISTS search_text_backfill');
  await run(`CREATE UNLOGGED TABLE search_text_backfill AS
    SELECT t.id AS trial_id, trialwatch_search_text(p.d) AS text
    FROM trials t CROSS JOIN LATERAL (SELECT t.doc::jsonb AS d OFFSET 0) AS p`);
  await run('DELETE FROM search_text_backfill WHERE text IS NULL');
  await run(`UPDATE search_docs s SET text_words = trialwatch_search_words(b.text)
    FROM search_text_backfill b WHERE b.trial_id = s.trial_id`);
  await run(`UPDATE search_cjk_docs c SET text = trialwatch_search_fold(b.text),
      alltext = concat_ws(chr(31), c.title, c.official, c.subject, c.other, trialwatch_search_fold(b.text))
    FROM search_text_backfill b WHERE b.trial_id = c.trial_id`);
  // Trials whose only Korean text is in the text group.
  await run(`INSERT INTO search_cjk_docs(seq, trial_id, title, official, subject, other, text, alltext)
    SELECT seq, trial_id, title, official, subject, other, text,
      concat_ws(chr(31), title, official, subject, other, text)
    FROM (SELECT t.change_seq AS seq, t.id AS trial_id, trialwatch_search_fold(g.title) AS title,
            trialwatch_search_fold(g.official) AS official, trialwatch_search_fold(g.subject) AS subject,
            trialwatch_search_fold(g.other) AS other, trialwatch_search_fold(b.text) AS text
          FROM search_text_backfill b JOIN trials t ON t.id = b.trial_id
            CROSS JOIN LATERAL (SELECT t.doc::jsonb AS d OFFSET 0) AS p
            CROSS JOIN LATERAL trialwatch_search_groups(t.id, p.d) g
          WHERE b.text ~ '${CJK_CLASS}'
            AND NOT EXISTS (SELECT 1 FROM search_cjk_docs c WHERE c.trial_id = b.trial_id)) AS f
    ON CONFLICT DO NOTHING`);
  await run('DROP TABLE search_text_backfill');
  // Level 4: the groups and the text, a position gap between them (as between groups in 0004).
  await run(`ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS words4 tsvector GENERATED ALWAYS AS
    (ts_delete(words || 'zqxgapzqx:1'::tsvector || text_words, 'zqxgapzqx'::text)) STORED`);
  await run('CREATE INDEX IF NOT EXISTS search_docs_words4 ON search_docs USING gin (words4)');
}

async function downPostgres(db: Kysely<any>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);
  await run(pgTriggerFunction(false));
  await run('DROP INDEX IF EXISTS search_docs_words4');
  await run('ALTER TABLE search_docs DROP COLUMN IF EXISTS words4');
  await run('ALTER TABLE search_docs DROP COLUMN IF EXISTS text_words');
  await run(`DELETE FROM search_cjk_docs WHERE NOT concat(title, official, subject, other) ~ '${CJK_CLASS}'`);
  await run(`UPDATE search_cjk_docs SET alltext = concat_ws(chr(31), title, official, subject, other)
    WHERE text IS NOT NULL`);
  await run('ALTER TABLE search_cjk_docs DROP COLUMN IF EXISTS text');
  await run('DROP FUNCTION IF EXISTS trialwatch_search_text(jsonb)');
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await downPostgres(db);
  else await downSqlite(db);
}
