/**
 * Facet counts: how many of the trials a query selects have each value of a field, counted in the
 * database with every filter (and `q`) applied. Single-valued fields are columns of `trials` (or
 * of `trial_filters`: the sponsor class; `recruiting` is whether the status is open; `sex` counts
 * the trials open to each sex, as the filter selects them);
 * conditions and countries come from `trial_facets` (one row per distinct value and trial, kept by
 * the search triggers of migration 0004), so no document is parsed at query time.
 */
import type { ExpressionBuilder, RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { FacetField } from '../domain/search.types.js';
import type { Db } from './database.js';
import { codepointOrder, dialectInfoOf, searchSql, trialsForCounting } from './search-dialect.js';
import type { FacetCounts, TrialFilter } from '../domain/trial-read.types.js';
import type { TrialScope } from './trial-filter.sql.js';
import { contentConditions, openToSex, windowConditions } from './trial-filter.sql.js';
import { RECRUITING_STATUSES, SEXES } from '../domain/trial-filter-values.js';

export interface TrialFacetsTable {
  trial_id: string;
  /** `condition` or `country`. */
  field: string;
  /** The value with ASCII letters lower-cased: values that differ only so count together. */
  key: string;
  /** The value as written (the smallest spelling, when a trial lists several). */
  value: string;
}

const COLUMNS = {
  source: 't.source',
  status: 't.status',
  phase: 't.phase',
  studyType: 't.study_type',
  institution: 't.institution',
  department: 't.department',
  hasResults: 't.has_results',
  sponsorClass: 'f.sponsor_class',
} as const;

/** The facets whose values are true or false (numbers in the database: no collation applies). */
const BOOLEAN_FACETS: ReadonlySet<FacetField> = new Set(['hasResults', 'recruiting']);

/** The grouped value of a single-valued field (`recruiting`: whether the status is open, 1 or 0). */
function facetValue(field: Exclude<FacetField, 'condition' | 'country' | 'sex'>): RawBuilder<unknown> {
  if (field === 'recruiting') {
    // Literals, not parameters: PostgreSQL matches the GROUP BY expression with the selected one.
    const open = RECRUITING_STATUSES.map((status) => sql.lit(status));
    return sql`case when t.status in (${sql.join(open)}) then 1 else 0 end`;
  }
  return sql.ref(COLUMNS[field]);
}

/** Counts per value of `field` over the current trials that `filter` selects; `limit` values at most. */
export async function countFacet(
  db: Db,
  field: FacetField,
  filter: TrialFilter,
  limit: number,
): Promise<FacetCounts> {
  const dialect = dialectInfoOf(db);
  const search = filter.search === undefined ? undefined : searchSql(dialect, filter.search);
  // Each trial's filter values by its primary key (both databases drop the join when unused).
  const selected = db
    .selectFrom(trialsForCounting(dialect).as('t'))
    .leftJoin('trial_filters as f', 'f.trial_id', 't.id')
    .where((joined) => {
      const eb = joined as unknown as ExpressionBuilder<TrialScope, 't'>;
      const conditions = contentConditions(eb, filter, search);
      if (!filter.includeRemoved) conditions.push(eb('t.removed_at', 'is', null));
      conditions.push(...windowConditions(eb, filter, eb.ref('t.last_changed_at')));
      return eb.and(conditions);
    });
  // The selection is evaluated once per request: its size (`total`) comes with the counts.
  let rows: { value: unknown; n: unknown; total: unknown }[];
  if (field === 'condition' || field === 'country') {
    // The facet rows of the selected trials, each found by its primary key (trial_id, field): the
    // cross join keeps the selection outside (SQLite never reorders one), where a plain join would
    // let it read every facet row of the field (and each row's value through the primary key).
    rows = await db
      .with(
        (cte) => cte('sel').materialized(),
        () => selected.select('t.id'),
      )
      .selectFrom('sel as s')
      .crossJoin(sql<TrialFacetsTable>`trial_facets`.as('f'))
      .whereRef('f.trial_id', '=', 's.id')
      .where(sql<SqlBool>`f.field = ${field}`)
      .select((eb) => [
        eb.fn.min('f.value').as('value'),
        eb.fn.countAll().as('n'),
        sql<number>`(select count(*) from sel)`.as('total'),
      ])
      .groupBy('f.key')
      .orderBy('n', 'desc')
      .orderBy(codepointOrder(dialect, sql`min(f.value)`))
      .limit(limit)
      .execute();
  } else if (field === 'sex') {
    // Each sex counts the trials open to it, as `sex=` selects them (a trial for all, or without
    // one, counts for every sex): the counts do not add up to the total.
    const counts = await selected
      .select((eb) => [
        ...SEXES.map((sex) =>
          eb.fn.sum<number | string | null>(sql`case when ${openToSex(sex)} then 1 else 0 end`).as(sex),
        ),
        eb.fn.countAll().as('n'),
      ])
      .executeTakeFirst();
    const n = Number(counts?.n ?? 0);
    rows = SEXES.map((sex) => ({ value: sex, n: Number(counts?.[sex] ?? 0), total: n }))
      .filter((row) => row.n > 0)
      .sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1))
      .slice(0, limit);
  } else {
    // Every group, those without a value too (sorted last, left out below), so that their sum is
    // the selection's size.
    const column = facetValue(field);
    const groups = selected.select((eb) => [column.as('value'), eb.fn.countAll().as('n')]).groupBy(column);
    rows = await db
      .selectFrom(groups.as('g'))
      .select(['g.value', 'g.n', sql<number>`sum(g.n) over ()`.as('total')])
      .orderBy(sql`case when g.value is null then 1 else 0 end`)
      .orderBy('g.n', 'desc')
      // has_results is a number: no collation applies.
      .orderBy(BOOLEAN_FACETS.has(field) ? sql`g.value` : codepointOrder(dialect, sql`g.value`))
      .limit(limit + 1)
      .execute();
  }
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : Number((await selected.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  rows = rows.filter((row) => row.value !== null).slice(0, limit);
  return {
    items: rows.map((row) => ({
      value: BOOLEAN_FACETS.has(field) ? String(Number(row.value) === 1) : String(row.value),
      count: Number(row.n),
    })),
    total,
  };
}
