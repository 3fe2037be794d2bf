/**
 * The WHERE side of trial reads: conditions on a trial's current content (shared by walks, counts
 * and facets), and the as-of conditions of a walk pinned at `asOf` (see trial-walk.repository.ts):
 * settled rows by their current columns, moved rows by their latest change event at `asOf`.
 */
import type { Expression, ExpressionBuilder, RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { ANY_LEVEL } from '../domain/search.types.js';
import type { Sex } from '../domain/trial-filter-values.js';
import { RECRUITING_STATUSES, sexesOpenTo } from '../domain/trial-filter-values.js';
import type { NearPoint, TrialContentFilter, TrialFilter } from '../domain/trial-read.types.js';
import type { Db } from './database.js';
import type { Database, TrialsTable } from './schema.js';
import type { SearchSql } from './search-dialect.js';
import { dialectInfoOf, searchSql } from './search-dialect.js';
import { hasSiteNear } from './site.repository.js';

export type TrialScope = Database & { t: TrialsTable };

/** SQLite's lower(): ASCII letters only (facet keys are folded so, on both databases). */
function lowerAscii(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** The filter's `near`, which the services have resolved to a point (a city name never gets here). */
export function nearPointOf(filter: TrialContentFilter): NearPoint {
  const near = filter.near;
  if (near === undefined || !('lat' in near)) {
    throw new TypeError('A near filter reached the store without its centre resolved to a point');
  }
  return near;
}

/** The search of a filter as this database runs it (undefined without `q`). */
export function searchOf(db: Db, filter: TrialFilter): SearchSql | undefined {
  return filter.search === undefined ? undefined : searchSql(dialectInfoOf(db), filter.search);
}

/**
 * `f` (a `trial_filters` row) is open to `sex`: its sex is one of `sexesOpenTo`, or unknown. The
 * codes are literals, so the facets can group by the same expression on PostgreSQL.
 */
export function openToSex(sex: Sex): RawBuilder<SqlBool> {
  const open = sexesOpenTo(sex).map((code) => sql.lit(code));
  return sql<SqlBool>`(f.sex is null or f.sex in (${sql.join(open)}))`;
}

/** The conditions of a filter on the trial's `trial_filters` row `f` (see TrialContentFilter). */
function filterValueConditions(filter: TrialContentFilter): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  // A person of age N is N to just under N + 1 years old: a trial whose youngest age is under
  // N + 1 (6 months, with maxAge=0) or whose oldest is at least N (65 years, with minAge=65) takes them.
  if (filter.minAge !== undefined)
    out.push(sql<SqlBool>`(f.max_age_years is null or f.max_age_years >= ${filter.minAge})`);
  if (filter.maxAge !== undefined)
    out.push(sql<SqlBool>`(f.min_age_years is null or f.min_age_years < ${filter.maxAge + 1})`);
  if (filter.sex !== undefined) out.push(openToSex(filter.sex));
  for (const [column, bound, op] of [
    ['start_date', filter.startFrom, '>='],
    ['start_date', filter.startTo, '<='],
    ['completion_date', filter.completionFrom, '>='],
    ['completion_date', filter.completionTo, '<='],
  ] as const) {
    if (bound !== undefined) out.push(sql<SqlBool>`${sql.ref(`f.${column}`)} ${sql.raw(op)} ${bound}`);
  }
  if (filter.sponsorClass !== undefined)
    out.push(sql<SqlBool>`f.sponsor_class in (${sql.join([...filter.sponsorClass])})`);
  return out;
}

/**
 * Conditions on the current content of `t` (the same for settled and moved rows). `search` is the
 * filter's search when the caller applies it here; a caller that drives the query from the search
 * index passes undefined.
 */
export function contentConditions(
  eb: ExpressionBuilder<TrialScope, 't'>,
  filter: TrialFilter,
  search: SearchSql | undefined,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.source !== undefined) conditions.push(eb('t.source', '=', filter.source));
  if (filter.status !== undefined) conditions.push(eb('t.status', 'in', [...filter.status]));
  if (filter.phase !== undefined) conditions.push(eb('t.phase', 'in', [...filter.phase]));
  if (filter.studyType !== undefined) conditions.push(eb('t.study_type', 'in', [...filter.studyType]));
  if (filter.institution !== undefined) conditions.push(eb('t.institution', '=', filter.institution));
  if (filter.department !== undefined) conditions.push(eb('t.department', '=', filter.department));
  for (const [field, value] of [
    ['condition', filter.condition],
    ['country', filter.country],
  ] as const) {
    if (value === undefined) continue;
    conditions.push(
      sql<SqlBool>`t.id in (select f.trial_id from trial_facets f where f.field = ${field} and f.key = ${lowerAscii(value)})`,
    );
  }
  if (filter.enrollmentMin !== undefined) conditions.push(eb('t.enrollment', '>=', filter.enrollmentMin));
  if (filter.enrollmentMax !== undefined) conditions.push(eb('t.enrollment', '<=', filter.enrollmentMax));
  if (filter.hasResults !== undefined) conditions.push(eb('t.has_results', '=', filter.hasResults ? 1 : 0));
  if (filter.linkedTo !== undefined) {
    const ids = [...filter.linkedTo];
    conditions.push(
      eb.or([
        eb(
          't.id',
          'in',
          eb.selectFrom('trial_links as l').select('l.linked_id').where('l.trial_id', 'in', ids),
        ),
        eb(
          't.id',
          'in',
          eb.selectFrom('trial_links as l').select('l.trial_id').where('l.linked_id', 'in', ids),
        ),
      ]),
    );
  }
  if (filter.recruiting !== undefined) {
    const open = [...RECRUITING_STATUSES];
    conditions.push(
      filter.recruiting
        ? eb('t.status', 'in', open)
        : eb.or([eb('t.status', 'is', null), eb('t.status', 'not in', open)]),
    );
  }
  const values = filterValueConditions(filter);
  if (values.length > 0) {
    // Probed per trial by its primary key, like a column of `trials`: these filters keep most
    // trials (ages and sex match when unknown), and an `in (…)` list would make SQLite read and
    // sort every match's row before a page of 20 (0.6 s at 20,000 trials for minAge=40).
    conditions.push(
      sql<SqlBool>`exists (select 1 from trial_filters f where f.trial_id = t.id and ${sql.join(values, sql` and `)})`,
    );
  }
  if (filter.near !== undefined) conditions.push(hasSiteNear(nearPointOf(filter)));
  if (search !== undefined) {
    const matching = search.matching(ANY_LEVEL, false);
    const excluded = search.excluded();
    if (matching !== null) conditions.push(sql<SqlBool>`t.change_seq in (${matching})`);
    else if (excluded !== null) conditions.push(sql<SqlBool>`t.change_seq not in (${excluded})`);
  }
  return conditions;
}

/**
 * The window of a filter that is not content: removal, `changedSince` on the trial's latest change
 * (`changedAt`: its column in this query), and the change types of its events in that window (up
 * to `asOf`, the walk's position, when given).
 */
export function windowConditions(
  eb: ExpressionBuilder<TrialScope, 't'>,
  filter: TrialFilter,
  changedAt: Expression<number>,
  asOf?: number,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.changedSince !== undefined) conditions.push(eb(changedAt, '>=', filter.changedSince));
  const types = filter.changeTypes;
  if (types !== undefined && types.length > 0) {
    // From the type index: a rare type costs what it finds.
    let typed = eb
      .selectFrom('change_type_rows as r')
      .innerJoin('changes as e', 'e.seq', 'r.seq')
      .select('e.trial_id')
      .where('r.type', 'in', [...types]);
    if (filter.changedSince !== undefined) typed = typed.where('e.occurred_at', '>=', filter.changedSince);
    if (asOf !== undefined) typed = typed.where('r.seq', '<=', asOf);
    conditions.push(eb('t.id', 'in', typed));
  }
  return conditions;
}

/**
 * Conditions for settled rows: their current columns are their as-of state. `before`, when given,
 * is a keyset position in `change_seq` order: it joins the as-of bound as one exclusive upper
 * bound, since SQLite uses only one of two bounds on the same column (a walk 1,000 pages deep
 * would otherwise scan every index entry between the two).
 */
export function settledConditions(
  eb: ExpressionBuilder<TrialScope, 't'>,
  filter: TrialFilter,
  asOf: number,
  search: SearchSql | undefined,
  before?: number,
): Expression<SqlBool> {
  const conditions = contentConditions(eb, filter, search);
  if (before === undefined) conditions.push(eb('t.change_seq', '<=', asOf));
  else conditions.push(eb('t.change_seq', '<', Math.min(asOf + 1, before)));
  if (!filter.includeRemoved) conditions.push(eb('t.removed_at', 'is', null));
  conditions.push(...windowConditions(eb, filter, eb.ref('t.last_changed_at'), asOf));
  return eb.and(conditions);
}

/**
 * Moved rows joined with `p`, their latest change event at or before `asOf`; rows created after
 * `asOf` have none and drop out of the inner join. `matching` narrows them to a search tier.
 */
export function movedRows(
  db: Db,
  filter: TrialFilter,
  asOf: number,
  search: SearchSql | undefined,
  matching?: ReturnType<SearchSql['matching']>,
) {
  // Joined on the primary key: one index probe per moved row, never a scan of the whole feed.
  return db
    .selectFrom('trials as t')
    .innerJoin('changes as p', (join) =>
      join.on((eb) =>
        eb(
          'p.seq',
          '=',
          eb
            .selectFrom('changes as c')
            .select((inner) => inner.fn.max('c.seq').as('seq'))
            .whereRef('c.trial_id', '=', 't.id')
            .where('c.seq', '<=', asOf),
        ),
      ),
    )
    .where('t.change_seq', '>', asOf)
    .where((eb) => {
      const conditions = contentConditions(eb, filter, matching === undefined ? search : undefined);
      if (matching !== undefined && matching !== null)
        conditions.push(sql<SqlBool>`t.change_seq in (${matching})`);
      if (!filter.includeRemoved) conditions.push(eb('p.kind', '!=', 'removed'));
      conditions.push(...windowConditions(eb, filter, eb.ref('p.occurred_at'), asOf));
      return eb.and(conditions);
    });
}
