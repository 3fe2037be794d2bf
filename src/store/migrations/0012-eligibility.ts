import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// The patient and coordinator filters (issue 19 item 4) as columns of `trials`, so that both
// databases filter and sort by them from indexes: the eligibility ages in years (null: no limit
// given), sex (ALL, FEMALE, MALE), the start and completion days (`YYYY-MM-DD`; a date given to
// the month or year stands at its first day) and the lead sponsor's class. A harvest writes them
// with each version (src/domain/eligibility.ts and the source mappers).
//
// Trials stored before this migration get them here, from their stored documents (the source
// fields hold everything needed), with a copy of the derivation as it is at this migration, in
// batches by id.

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const PER_YEAR: Readonly<Record<string, number>> = {
  YEARS: 1,
  MONTHS: 12,
  WEEKS: 365.25 / 7,
  DAYS: 365.25,
  HOURS: 365.25 * 24,
  MINUTES: 365.25 * 24 * 60,
};

function years(value: number, unit: string): number | null {
  const per = PER_YEAR[unit];
  if (per === undefined || !Number.isFinite(value) || value < 0) return null;
  return value / per;
}

function ctgovAge(text: string | null): number | null {
  if (text === null) return null;
  const match = /^(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?$/i.exec(text.trim());
  return match === null ? null : years(Number(match[1]), `${match[2]!.toUpperCase()}S`);
}

function crisAge(value: unknown): number | null {
  const age = obj(value);
  return typeof age.value === 'number' && typeof age.unit === 'string' ? years(age.value, age.unit) : null;
}

function sex(code: string | null): string | null {
  const upper = code?.trim().toUpperCase() ?? null;
  return upper === 'ALL' || upper === 'FEMALE' || upper === 'MALE' ? upper : null;
}

function day(text: string | null): string | null {
  if (text === null) return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (match === null) return null;
  const [, year, month = '01', dayOfMonth = '01'] = match;
  const m = Number(month);
  const d = Number(dayOfMonth);
  const days = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return m < 1 || m > 12 || d < 1 || d > days ? null : `${year}-${month}-${dayOfMonth}`;
}

interface Columns {
  min_age_years: number | null;
  max_age_years: number | null;
  sex: string | null;
  start_date: string | null;
  completion_date: string | null;
  sponsor_class: string | null;
}

function columnsOf(source: string, docText: string): Columns | null {
  let doc: unknown;
  try {
    doc = JSON.parse(docText);
  } catch {
    return null;
  }
  const fields = obj(obj(doc).sourceFields);
  if (source === 'ctgov') {
    const eligibility = obj(fields.eligibility);
    const dates = obj(fields.dates);
    const sponsorClass = str(obj(fields.leadSponsor).class)?.trim().toUpperCase() ?? null;
    return {
      min_age_years: ctgovAge(str(eligibility.minimumAge)),
      max_age_years: ctgovAge(str(eligibility.maximumAge)),
      sex: sex(str(eligibility.sex)),
      start_date: day(str(obj(dates.start).date)),
      completion_date: day(str(obj(dates.completion).date)),
      sponsor_class: sponsorClass === '' ? null : sponsorClass,
    };
  }
  if (source === 'cris') {
    const normalized = obj(fields.normalized);
    const ages = obj(normalized.ageRange);
    const dates = obj(normalized.dates);
    return {
      min_age_years: crisAge(ages.min),
      max_age_years: crisAge(ages.max),
      sex: sex(str(obj(normalized.gender).code)),
      start_date: day(str(dates.enrolment)),
      completion_date: day(str(dates.completion)),
      sponsor_class: null,
    };
  }
  return null;
}

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const real = postgres ? 'double precision' : 'real';
  await db.schema.alterTable('trials').addColumn('min_age_years', sql.raw(real)).execute();
  await db.schema.alterTable('trials').addColumn('max_age_years', sql.raw(real)).execute();
  for (const column of ['sex', 'start_date', 'completion_date', 'sponsor_class']) {
    await db.schema.alterTable('trials').addColumn(column, 'text').execute();
  }
  // The date sorts walk these by keyset (date, id); the date ranges use them too.
  await sql.raw('CREATE INDEX IF NOT EXISTS trials_start_date ON trials (start_date, id)').execute(db);
  await sql
    .raw('CREATE INDEX IF NOT EXISTS trials_completion_date ON trials (completion_date, id)')
    .execute(db);

  let after = '';
  for (;;) {
    const rows: { id: string; source: string; doc: string }[] = await db
      .selectFrom('trials')
      .select(['id', 'source', 'doc'])
      .where('id', '>', after)
      .where('source', 'in', ['ctgov', 'cris'])
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const columns = columnsOf(row.source, row.doc);
      if (columns === null || Object.values(columns).every((value) => value === null)) continue;
      await db.updateTable('trials').set(columns).where('id', '=', row.id).execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS trials_completion_date').execute(db);
  await sql.raw('DROP INDEX IF EXISTS trials_start_date').execute(db);
  for (const column of [
    'sponsor_class',
    'completion_date',
    'start_date',
    'sex',
    'max_age_years',
    'min_age_years',
  ]) {
    await db.schema.alterTable('trials').dropColumn(column).execute();
  }
}
