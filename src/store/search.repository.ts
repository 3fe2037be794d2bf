/**
 * Facet counts: how many of the trials a query selects have each value of a field, counted in the
 * database with every filter (and `q`) applied. Single-valued fields are columns of `trials`;
 * conditions and countries come from `trial_facets` (one row per distinct value and trial, kept by
 * the search triggers of migration 0004), so no document is parsed at query time.
 */
import type { SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { FacetField } from '../domain/search.types.js';
import type { Db } from './database.js';
import { codepointOrder, dialectInfoOf, searchSql, trialsForCounting } from './search-dialect.js';
import type { TrialFilter } from './trial-query.repository.js';
import { contentConditions } from './trial-query.repository.js';

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
} as const;

export interface FacetCount {
  value: string;
  count: number;
}

export interface FacetCounts {
  /** The most frequent values, most frequent first (ties by value, in code point order). */
  items: FacetCount[];
  /** Trials the query selects (with or without a value for the field). */
  total: number;
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
  const selected = db.selectFrom(trialsForCounting(dialect).as('t')).where((eb) => {
    const conditions = contentConditions(eb, filter, search);
    if (!filter.includeRemoved) conditions.push(eb('t.removed_at', 'is', null));
    if (filter.changedSince !== undefined)
      conditions.push(eb('t.last_changed_at', '>=', filter.changedSince));
    return eb.and(conditions);
  });
  const totalQuery = selected.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();

  let rows: { value: unknown; n: unknown }[];
  if (field === 'condition' || field === 'country') {
    // The facet rows of the selected trials, each found by its primary key (trial_id, field): a
    // join would let SQLite read every facet row of the field and look each trial up through the
    // filters index, which cannot find a trial by id (one pass over that index per facet row).
    rows = await db
      .selectFrom(sql<TrialFacetsTable>`trial_facets`.as('f'))
      .where(sql<SqlBool>`f.field = ${field}`)
      .where('f.trial_id', 'in', selected.select('t.id'))
      .select((eb) => [eb.fn.min('f.value').as('value'), eb.fn.countAll().as('n')])
      .groupBy('f.key')
      .orderBy('n', 'desc')
      .orderBy(codepointOrder(dialect, sql`min(f.value)`))
      .limit(limit)
      .execute();
  } else {
    const column = sql.ref(COLUMNS[field]);
    rows = await selected
      .select((eb) => [column.as('value'), eb.fn.countAll().as('n')])
      .where(sql<SqlBool>`${column} is not null`)
      .groupBy(column)
      .orderBy('n', 'desc')
      // has_results is a number: no collation applies.
      .orderBy(field === 'hasResults' ? sql`${column}` : codepointOrder(dialect, sql`${column}`))
      .limit(limit)
      .execute();
  }
  const total = Number((await totalQuery)?.n ?? 0);
  return {
    items: rows.map((row) => ({
      value: field === 'hasResults' ? String(Number(row.value) === 1) : String(row.value),
      count: Number(row.n),
    })),
    total,
  };
}
