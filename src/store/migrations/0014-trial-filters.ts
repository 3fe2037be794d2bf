import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// The patient and coordinator filters (issue 19 item 4): each trial's eligibility ages (in
// years), sex, start and completion dates and lead sponsor class, derived from its current
// document, in a table of their own keyed by the trial (a new table, not new `trials` columns: on
// SQLite, altering a table once the FTS5 tables exist has corrupted a long-lived connection's view
// of them). Written with each version, in the same transaction (src/store/trial-filter.repository.ts).
//
// The trials stored before this migration get their values here: the few document values are read
// with the database's JSON functions, in batches by id, and turned into the stored values by a
// copy of the rules of src/domain/trial-filter-values.ts as they were when this was written.

const BATCH = 1000;

interface Extracted {
  id: string;
  source: string;
  ct_min: string | null;
  ct_max: string | null;
  ct_sex: string | null;
  ct_start: string | null;
  ct_completion: string | null;
  ct_class: string | null;
  kr_min_value: number | string | null;
  kr_min_unit: string | null;
  kr_max_value: number | string | null;
  kr_max_unit: string | null;
  kr_sex: string | null;
  kr_start: string | null;
  kr_completion: string | null;
}

const PATHS: Readonly<Record<Exclude<keyof Extracted, 'id' | 'source'>, readonly string[]>> = {
  ct_min: ['sourceFields', 'eligibility', 'minimumAge'],
  ct_max: ['sourceFields', 'eligibility', 'maximumAge'],
  ct_sex: ['sourceFields', 'eligibility', 'sex'],
  ct_start: ['sourceFields', 'dates', 'start', 'date'],
  ct_completion: ['sourceFields', 'dates', 'completion', 'date'],
  ct_class: ['sourceFields', 'leadSponsor', 'class'],
  kr_min_value: ['sourceFields', 'normalized', 'ageRange', 'min', 'value'],
  kr_min_unit: ['sourceFields', 'normalized', 'ageRange', 'min', 'unit'],
  kr_max_value: ['sourceFields', 'normalized', 'ageRange', 'max', 'value'],
  kr_max_unit: ['sourceFields', 'normalized', 'ageRange', 'max', 'unit'],
  kr_sex: ['sourceFields', 'normalized', 'gender', 'code'],
  kr_start: ['sourceFields', 'normalized', 'dates', 'enrolment'],
  kr_completion: ['sourceFields', 'normalized', 'dates', 'completion'],
};

function yearsOf(amount: number, unit: string): number | null {
  switch (unit) {
    case 'YEAR':
    case 'YEARS':
      return amount;
    case 'MONTH':
    case 'MONTHS':
      return amount / 12;
    case 'WEEK':
    case 'WEEKS':
      return (amount * 7) / 365.25;
    case 'DAY':
    case 'DAYS':
      return amount / 365.25;
    case 'HOUR':
    case 'HOURS':
      return amount / 8766;
    case 'MINUTE':
    case 'MINUTES':
      return amount / 525960;
    default:
      return null;
  }
}

function ctgovAge(value: string | null): number | null {
  if (value === null) return null;
  const match = /^(\d{1,4}(?:\.\d{1,4})?) ([A-Za-z]+)$/.exec(value.trim());
  return match === null ? null : yearsOf(Number(match[1]), match[2]!.toUpperCase());
}

function crisAge(value: number | string | null, unit: string | null): number | null {
  const amount = typeof value === 'string' ? Number(value) : value;
  if (amount === null || !Number.isFinite(amount) || amount < 0 || unit === null) return null;
  return yearsOf(amount, unit.toUpperCase());
}

function date(value: string | null): string | null {
  if (value === null) return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
  return match === null ? null : `${match[1]}-${match[2] ?? '01'}-${match[3] ?? '01'}`;
}

function sex(value: string | null): string | null {
  const code = value?.trim().toUpperCase() ?? null;
  return code === 'ALL' || code === 'FEMALE' || code === 'MALE' ? code : null;
}

function code(value: string | null): string | null {
  const folded = value?.trim().toUpperCase() ?? '';
  return folded === '' ? null : folded;
}

function rowOf(row: Extracted) {
  const none = {
    min_age_years: null,
    max_age_years: null,
    sex: null,
    start_date: null,
    completion_date: null,
    sponsor_class: null,
  };
  if (row.source === 'ctgov') {
    return {
      trial_id: row.id,
      min_age_years: ctgovAge(row.ct_min),
      max_age_years: ctgovAge(row.ct_max),
      sex: sex(row.ct_sex),
      start_date: date(row.ct_start),
      completion_date: date(row.ct_completion),
      sponsor_class: code(row.ct_class),
    };
  }
  if (row.source === 'cris') {
    return {
      trial_id: row.id,
      min_age_years: crisAge(row.kr_min_value, row.kr_min_unit),
      max_age_years: crisAge(row.kr_max_value, row.kr_max_unit),
      sex: sex(row.kr_sex),
      start_date: date(row.kr_start),
      completion_date: date(row.kr_completion),
      sponsor_class: null,
    };
  }
  return { trial_id: row.id, ...none };
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const real = postgres ? 'DOUBLE PRECISION' : 'REAL';
  await sql
    .raw(
      `CREATE TABLE IF NOT EXISTS trial_filters (
        trial_id TEXT PRIMARY KEY NOT NULL,
        min_age_years ${real},
        max_age_years ${real},
        sex TEXT,
        start_date TEXT,
        completion_date TEXT,
        sponsor_class TEXT
      )${postgres ? '' : ' WITHOUT ROWID'}`,
    )
    .execute(db);
  // The date sorts walk these in order (dated rows, then the undated by id).
  for (const column of ['start_date', 'completion_date']) {
    await sql
      .raw(`CREATE INDEX IF NOT EXISTS trial_filters_${column} ON trial_filters (${column}, trial_id)`)
      .execute(db);
  }
  await sql
    .raw('CREATE INDEX IF NOT EXISTS trial_filters_sponsor_class ON trial_filters (sponsor_class, trial_id)')
    .execute(db);

  const extract = (path: readonly string[]) =>
    postgres ? `(d #>> '{${path.join(',')}}')` : `json_extract(doc, '$.${path.join('.')}')`;
  const columns = Object.entries(PATHS)
    .map(([name, path]) => `${extract(path)} AS ${name}`)
    .join(', ');
  const from = postgres ? '(SELECT id, source, doc::jsonb AS d FROM trials) x' : 'trials';
  let after = '';
  for (;;) {
    const result = await sql<Extracted>`${sql.raw(`SELECT id, source, ${columns} FROM ${from}`)}
      WHERE id > ${after} ORDER BY id LIMIT ${BATCH}`.execute(db);
    const rows = result.rows;
    if (rows.length === 0) break;
    await db
      .insertInto('trial_filters')
      .values(rows.map(rowOf))
      .onConflict((oc) => oc.column('trial_id').doNothing())
      .execute();
    after = rows.at(-1)!.id;
    if (rows.length < BATCH) break;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trial_filters').ifExists().execute();
}
