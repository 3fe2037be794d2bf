/**
 * Every read query of trials, their versions and the change feed (the write side lives with the
 * harvest). Plain functions, `db` first, returning domain objects; row types stay in this folder.
 *
 * Paging is keyset only. A walk across pages pins the change-feed position `asOf` (the newest
 * `changes.seq` when the walk began) and orders every row by where it stood at `asOf`:
 * - a row whose `change_seq <= asOf` has not changed since, so its current columns are its
 *   as-of state and it pages through the indexes ("settled" rows);
 * - a row whose `change_seq > asOf` changed during the walk ("moved" rows, few): it is placed by
 *   its latest change event with `seq <= asOf`, and left out if it has none (created after the
 *   walk began).
 * Both sets are read with the same keyset and merged, so every row that existed at `asOf` is
 * returned exactly once however the rows change in between. Filters on content (status, phase, …)
 * apply to the current content; the time window, removal and the sort keys are taken as of `asOf`.
 *
 * A search (`q`) is a filter on current content too. Sorted by relevance or by change, its rows are
 * read through the search index, whose row keys are the `change_seq`, so the walk's keyset is the
 * index's own order (relevance adds the tier in front). A relevance tier is that of the current
 * content: a trial whose title changes during a walk may move to another tier (and so be read
 * twice or not at all), and so may a trial whose sites (`distance`) or start or completion date
 * (the date sorts, from `trial_filters`) change; every other order keeps the exactly-once promise.
 */
import type { CompiledQuery, ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';
import type { SearchLevel } from '../domain/search.types.js';
import { ANY_LEVEL, SEARCH_LEVELS } from '../domain/search.types.js';
import type {
  TrialSort,
  TrialPosition,
  TrialFilter,
  TrialPageQuery,
  PositionedTrial,
  TrialPage,
  DateSort,
} from '../domain/trial-read.types.js';
import { compiledOnce } from './compiled-once.js';
import type { Db } from './database.js';
import type { SearchSql } from './search-dialect.js';
import type { TrialScope } from './trial-filter.sql.js';
import { movedRows, nearPointOf, searchOf, settledConditions } from './trial-filter.sql.js';
import { nearestDistanceKm } from './site.repository.js';
import type { TrialColumns } from './trial-rows.js';
import { TRIAL_COLUMNS, toTrialRecord } from './trial-rows.js';

/** Orders positions exactly as the database orders the same keys (ids and dates are ASCII). */
export function comparePositions(a: TrialPosition, b: TrialPosition): number {
  if (a.sort === 'relevance' && b.sort === 'relevance') return a.tier - b.tier || b.seq - a.seq;
  if (a.sort === '-lastChangedAt' && b.sort === '-lastChangedAt') return b.seq - a.seq;
  if (a.sort === 'id' && b.sort === 'id') return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (a.sort === '-sourceUpdatedAt' && b.sort === '-sourceUpdatedAt') {
    // Trials without a registry date come last, then by id, newest first like the dates.
    if (a.updated !== b.updated) {
      if (a.updated === null) return 1;
      if (b.updated === null) return -1;
      return a.updated > b.updated ? -1 : 1;
    }
    return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
  }
  if ('date' in a && 'date' in b && a.sort === b.sort) {
    // Undated trials last; ties and the undated by id; `-`: both keys descending.
    const direction = a.sort.startsWith('-') ? -1 : 1;
    if (a.date !== b.date) {
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return (a.date < b.date ? -1 : 1) * direction;
    }
    return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * direction;
  }
  if (a.sort === 'distance' && b.sort === 'distance') {
    if (a.distanceKm !== b.distanceKm) return a.distanceKm - b.distanceKm;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }
  throw new TypeError('Positions of different sorts cannot be compared');
}

/**
 * The search levels a walk goes through, one tier each: the three tiers for `relevance`, all
 * matches as one tier for `-lastChangedAt`. Undefined when the rows are not read through the
 * search index (no positive term, or another order).
 */
function searchTiers(
  sort: TrialSort,
  search: SearchSql | undefined,
): { level: SearchLevel; tierOnly: boolean }[] | undefined {
  if (search === undefined || search.matching(ANY_LEVEL, false) === null) return undefined;
  if (sort === 'relevance') return SEARCH_LEVELS.map((level) => ({ level, tierOnly: true }));
  if (sort === '-lastChangedAt') return [{ level: ANY_LEVEL, tierOnly: false }];
  return undefined;
}

/** The change_seq a position stands at, for the orders that walk by change_seq. */
function seqOf(position: TrialPosition | undefined): { tier: number; seq: number } | undefined {
  if (position?.sort === 'relevance') return { tier: position.tier, seq: position.seq };
  if (position?.sort === '-lastChangedAt') return { tier: 0, seq: position.seq };
  return undefined;
}

/**
 * Settled rows read through the search index, tier after tier, each newest change first: on SQLite
 * the index's row ids are the change_seq, so a page stops after `take` rows whatever the number
 * of matches.
 */
async function searchSettledPage(
  db: Db,
  query: TrialPageQuery,
  take: number,
  search: SearchSql,
  tiers: readonly { level: SearchLevel; tierOnly: boolean }[],
): Promise<PositionedTrial[]> {
  const { filter, asOf, sort } = query;
  const after = seqOf(query.after);
  const out: PositionedTrial[] = [];
  for (let tier = after?.tier ?? 0; tier < tiers.length && out.length < take; tier++) {
    const { level, tierOnly } = tiers[tier] as { level: SearchLevel; tierOnly: boolean };
    const matching = search.matching(level, tierOnly);
    if (matching === null) continue;
    // A cross join keeps the index on the outside (SQLite never reorders one): walking `trials` in
    // change_seq order instead, to save the sort, would probe the index for every trial.
    let select = db
      .selectFrom(sql<{ seq: number }>`(${matching})`.as('m'))
      .crossJoin('trials as t')
      .whereRef('t.change_seq', '=', 'm.seq')
      .select(TRIAL_COLUMNS)
      .where((eb) => settledConditions(eb, filter, asOf, undefined))
      .where('m.seq', '<=', asOf)
      .orderBy('m.seq', 'desc')
      .limit(take - out.length);
    if (after !== undefined && after.tier === tier) select = select.where('m.seq', '<', after.seq);
    for (const row of await select.execute()) {
      out.push({
        trial: toTrialRecord(row),
        position:
          sort === 'relevance'
            ? { sort, tier, seq: row.change_seq }
            : { sort: '-lastChangedAt', seq: row.change_seq },
      });
    }
  }
  return out;
}

type SettledSelect = SelectQueryBuilder<TrialScope, 't', object>;

/** The full rows of these trials, in no particular order. */
function rowsByIds(db: Db, ids: string[]): Promise<TrialColumns[]> {
  return db.selectFrom('trials as t').select(TRIAL_COLUMNS).where('t.id', 'in', ids).execute();
}

/**
 * The rows a settled query selects, in its order. With `keysOnly` (a search sorted by id or
 * registry date, or a change-type filter: the database orders every match) only the keys are
 * sorted, from the covering index, and the few rows of the page are read afterwards, instead of
 * every match's document.
 */
async function readRows(db: Db, select: SettledSelect, keysOnly: boolean): Promise<TrialColumns[]> {
  if (!keysOnly) return select.select(TRIAL_COLUMNS).execute();
  const keyed = await rowsOfKeys(db, await select.select('t.id').execute());
  return keyed.map(({ row }) => row);
}

/** The whole rows of these keys, in the keys' order (a key whose row is gone is left out). */
async function rowsOfKeys<K extends { id: string }>(
  db: Db,
  keys: readonly K[],
): Promise<{ key: K; row: TrialColumns }[]> {
  if (keys.length === 0) return [];
  const rows = await rowsByIds(
    db,
    keys.map((key) => key.id),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return keys.flatMap((key) => {
    const row = byId.get(key.id);
    return row === undefined ? [] : [{ key, row }];
  });
}

function hasChangeTypes(filter: TrialFilter): boolean {
  return filter.changeTypes !== undefined && filter.changeTypes.length > 0;
}

/** Whether the filter selects trials through other tables' rows (events, sites): a sort of many. */
function selectsThroughOtherRows(filter: TrialFilter): boolean {
  return hasChangeTypes(filter) || filter.near !== undefined;
}

/** The compiled settled queries of plain walks (see `plainSettledRows`), per database and shape. */
const plainPageQueries = new WeakMap<Db, Map<string, CompiledQuery<TrialColumns>>>();
/** The only filter members a plain walk has: the list by change, whole or within a time window. */
const PLAIN_FILTER_KEYS = new Set(['includeRemoved', 'changedSince']);

/**
 * Settled rows of a walk in change order, for the filters without content conditions (the first
 * page of the list and of `updatedWithin=…`, the lists asked for most): the query is compiled once
 * per shape and run with this page's parameters, instead of being built and compiled again on
 * every request. Its parameters are, in order, the change_seq bound, the window start when there
 * is one, and the limit: the first compilation of a shape is checked against them, and a shape
 * whose compiled parameters differ is never cached (it is compiled every time, as before).
 */
async function plainSettledRows(
  db: Db,
  select: SettledSelect,
  filter: TrialFilter,
  asOf: number,
  before: number | undefined,
  take: number,
): Promise<TrialColumns[]> {
  const plain = Object.entries(filter).every(
    ([key, value]) => value === undefined || PLAIN_FILTER_KEYS.has(key),
  );
  if (!plain) return readRows(db, select, false);
  const parameters = [
    before === undefined ? asOf : Math.min(asOf + 1, before),
    ...(filter.changedSince === undefined ? [] : [filter.changedSince]),
    take,
  ];
  const key = `${filter.includeRemoved}|${filter.changedSince !== undefined}|${before !== undefined}`;
  let byShape = plainPageQueries.get(db);
  if (byShape === undefined) {
    byShape = new Map();
    plainPageQueries.set(db, byShape);
  }
  const cached = byShape.get(key);
  if (cached !== undefined) {
    const query: CompiledQuery<TrialColumns> = { ...cached, parameters };
    return (await db.executeQuery(query)).rows;
  }
  const compiled: CompiledQuery<TrialColumns> = select.select(TRIAL_COLUMNS).compile();
  const same =
    compiled.parameters.length === parameters.length &&
    compiled.parameters.every((value, index) => value === parameters[index]);
  if (same) byShape.set(key, compiled);
  return (await db.executeQuery(compiled)).rows;
}

async function settledPage(db: Db, query: TrialPageQuery, take: number): Promise<PositionedTrial[]> {
  const { filter, asOf, after } = query;
  const search = searchOf(db, filter);
  const tiers = searchTiers(query.sort, search);
  if (tiers !== undefined && search !== undefined) return searchSettledPage(db, query, take, search, tiers);
  const keysOnly = search !== undefined;
  const base: SettledSelect = db
    .selectFrom('trials as t')
    .where((eb) => settledConditions(eb, filter, asOf, search));
  switch (query.sort) {
    case 'relevance':
    case '-lastChangedAt': {
      const sort = query.sort;
      const from = seqOf(after);
      const select = db
        .selectFrom('trials as t')
        .where((eb) => settledConditions(eb, filter, asOf, search, from?.seq))
        .orderBy('t.change_seq', 'desc')
        .limit(take);
      // A change-type or distance filter selects trials through other rows (every matching event
      // of the window, every site in the box), all of which are then sorted: only the keys are,
      // and the page's documents are read after.
      const rows = selectsThroughOtherRows(filter)
        ? await readRows(db, select, true)
        : search === undefined
          ? await plainSettledRows(db, select, filter, asOf, from?.seq, take)
          : await readRows(db, select, false);
      return rows.map((row) => ({
        trial: toTrialRecord(row),
        position:
          sort === 'relevance' ? { sort, tier: 0, seq: row.change_seq } : { sort, seq: row.change_seq },
      }));
    }
    case 'id': {
      let select = base.orderBy('t.id', 'asc').limit(take);
      if (after?.sort === 'id') select = select.where('t.id', '>', after.id);
      const rows = await readRows(db, select, keysOnly);
      return rows.map((row) => ({ trial: toTrialRecord(row), position: { sort: 'id', id: row.id } }));
    }
    case '-sourceUpdatedAt': {
      // Two index range scans on (source_updated_at, id): dated rows newest first, then the
      // undated ones by id; one OR across both would defeat the index.
      const position = (row: TrialColumns): TrialPosition => ({
        sort: '-sourceUpdatedAt',
        updated: row.source_updated_at,
        id: row.id,
      });
      const inDated = after?.sort === '-sourceUpdatedAt' ? after.updated !== null : true;
      const out: PositionedTrial[] = [];
      if (inDated) {
        let dated = base
          .where('t.source_updated_at', 'is not', null)
          .orderBy('t.source_updated_at', 'desc')
          .orderBy('t.id', 'desc')
          .limit(take);
        if (after?.sort === '-sourceUpdatedAt' && after.updated !== null) {
          const { updated, id } = after;
          dated = dated.where((eb) =>
            eb(eb.refTuple('t.source_updated_at', 't.id'), '<', eb.tuple(updated, id)),
          );
        }
        for (const row of await readRows(db, dated, keysOnly))
          out.push({ trial: toTrialRecord(row), position: position(row) });
      }
      if (out.length < take) {
        let undated = base
          .where('t.source_updated_at', 'is', null)
          .orderBy('t.id', 'desc')
          .limit(take - out.length);
        if (after?.sort === '-sourceUpdatedAt' && after.updated === null)
          undated = undated.where('t.id', '<', after.id);
        for (const row of await readRows(db, undated, keysOnly))
          out.push({ trial: toTrialRecord(row), position: position(row) });
      }
      return out;
    }
    case 'startDate':
    case '-startDate':
    case 'completionDate':
    case '-completionDate':
      return datePage(db, query, query.sort, take, search);
    case 'distance': {
      // Nearest site first, then by id; the distance is that of the current sites (like a
      // relevance tier, a trial whose sites change during a walk may move).
      const distance = nearestDistanceKm(nearPointOf(filter));
      let select = base.select(distance.as('distance_km')).orderBy('distance_km').orderBy('t.id').limit(take);
      if (after?.sort === 'distance') {
        const { distanceKm, id } = after;
        select = select.where((eb) =>
          eb.or([
            eb(distance, '>', distanceKm),
            eb.and([eb(distance, '=', distanceKm), eb('t.id', '>', id)]),
          ]),
        );
      }
      // Every trial with a site in the circle is sorted: by its key and distance only, then the
      // page's documents are read.
      const keyed = await rowsOfKeys(db, await select.select('t.id').execute());
      return keyed.map(({ key, row }) => ({
        trial: toTrialRecord(row),
        position: { sort: 'distance', distanceKm: Number(key.distance_km), id: key.id },
      }));
    }
  }
}

/** The `trial_filters` column a date sort orders by. */
function dateColumnOf(sort: DateSort): 'start_date' | 'completion_date' {
  return sort === 'startDate' || sort === '-startDate' ? 'start_date' : 'completion_date';
}

/**
 * Settled rows by start or completion date: two range scans of the (date, trial_id) index, the
 * dated rows in the sort's direction, then the undated ones by id in the same direction (one OR
 * across both would defeat the index). The date is that of the current content: like a relevance
 * tier, a trial whose date changes during a walk may move. Keys first, then the page's rows.
 */
async function datePage(
  db: Db,
  query: TrialPageQuery,
  sort: DateSort,
  take: number,
  search: SearchSql | undefined,
): Promise<PositionedTrial[]> {
  const { filter, asOf, after } = query;
  const column = dateColumnOf(sort);
  const date = sql.ref<string | null>(`f.${column}`);
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const beyond = direction === 'desc' ? '<' : '>';
  const from = after !== undefined && 'date' in after && after.sort === sort ? after : undefined;
  // From the date index, in order, each candidate's trial found by its primary key: a cross join
  // keeps `f` outside (SQLite never reorders one), so a page stops after `take` matches instead
  // of sorting every match.
  const base = db
    .selectFrom('trial_filters as f')
    .crossJoin('trials as t')
    .whereRef('t.id', '=', 'f.trial_id')
    .where((eb) =>
      settledConditions(eb as unknown as ExpressionBuilder<TrialScope, 't'>, filter, asOf, search),
    )
    .select(['t.id as id', date.as('sort_date')]);
  const keys: { id: string; sort_date: string | null }[] = [];
  if (from === undefined || from.date !== null) {
    let dated = base
      .where(date, 'is not', null)
      .orderBy(date, direction)
      .orderBy('f.trial_id', direction)
      .limit(take);
    if (from !== undefined && from.date !== null) {
      const { date: value, id } = from;
      dated = dated.where((eb) => eb(eb.refTuple(`f.${column}`, 'f.trial_id'), beyond, eb.tuple(value, id)));
    }
    keys.push(...(await dated.execute()));
  }
  if (keys.length < take) {
    let undated = base
      .where(date, 'is', null)
      .orderBy('f.trial_id', direction)
      .limit(take - keys.length);
    if (from !== undefined && from.date === null) undated = undated.where('f.trial_id', beyond, from.id);
    keys.push(...(await undated.execute()));
  }
  if (keys.length === 0) return [];
  const rows = new Map(
    (
      await rowsByIds(
        db,
        keys.map((key) => key.id),
      )
    ).map((row) => [row.id, row]),
  );
  return keys.flatMap((key) => {
    const row = rows.get(key.id);
    return row === undefined
      ? []
      : [{ trial: toTrialRecord(row), position: { sort, date: key.sort_date, id: key.id } }];
  });
}

const anyMovedQuery = compiledOnce((db) =>
  db.selectFrom('trials').select('id').where('change_seq', '>', 0).limit(1).compile(),
);

/**
 * Moved rows of one page. Only their keys are read (no ORDER BY, so the planner drives from the
 * `change_seq` range instead of walking a sort index over the whole table); they are placed and
 * cut in memory with the same order as the database's, then the few kept rows are read whole.
 */
async function movedPage(db: Db, query: TrialPageQuery, take: number): Promise<PositionedTrial[]> {
  const { filter, asOf, after, sort } = query;
  // Nearly always nothing has moved (a first page, or no harvest during the walk): one index probe.
  if ((await db.executeQuery(anyMovedQuery(db, [asOf, 1]))).rows.length === 0) return [];
  const search = searchOf(db, filter);
  // With relevance, each moved row's tier is that of its current content.
  const tiers = sort === 'relevance' ? searchTiers(sort, search) : undefined;
  const distance = sort === 'distance' ? nearestDistanceKm(nearPointOf(filter)) : sql<number>`0`;
  const readKeys = (matching?: ReturnType<SearchSql['matching']>) =>
    movedRows(db, filter, asOf, search, matching)
      // The as-of registry date is the one of the version the trial had at `asOf`.
      .leftJoin('trial_versions as v', (join) =>
        join.onRef('v.trial_id', '=', 't.id').onRef('v.version', '=', 'p.version'),
      )
      .leftJoin('trial_filters as f', 'f.trial_id', 't.id')
      .select(['t.id', 'p.seq as as_of_seq', 'v.source_updated_at as as_of_updated'])
      .select(['f.start_date', 'f.completion_date'])
      .select(distance.as('distance_km'))
      .execute();
  const keys: {
    id: string;
    as_of_seq: number;
    as_of_updated: string | null;
    start_date: string | null;
    completion_date: string | null;
    distance_km: number;
    tier: number;
  }[] = [];
  if (tiers === undefined || search === undefined) {
    for (const key of await readKeys()) keys.push({ ...key, tier: 0 });
  } else {
    for (const [tier, { level, tierOnly }] of tiers.entries()) {
      for (const key of await readKeys(search.matching(level, tierOnly))) keys.push({ ...key, tier });
    }
  }
  if (keys.length === 0) return [];
  const positioned = keys
    .map((key): { id: string; position: TrialPosition } => {
      switch (sort) {
        case 'relevance':
          return { id: key.id, position: { sort, tier: key.tier, seq: Number(key.as_of_seq) } };
        case '-lastChangedAt':
          return { id: key.id, position: { sort, seq: Number(key.as_of_seq) } };
        case 'id':
          return { id: key.id, position: { sort, id: key.id } };
        case '-sourceUpdatedAt':
          return { id: key.id, position: { sort, updated: key.as_of_updated, id: key.id } };
        case 'distance':
          return { id: key.id, position: { sort, distanceKm: Number(key.distance_km), id: key.id } };
        case 'startDate':
        case '-startDate':
        case 'completionDate':
        case '-completionDate':
          return { id: key.id, position: { sort, date: key[dateColumnOf(sort)], id: key.id } };
      }
    })
    .filter((item) => after === undefined || comparePositions(item.position, after) > 0)
    .sort((a, b) => comparePositions(a.position, b.position))
    .slice(0, take);
  const keyed = await rowsOfKeys(db, positioned);
  return keyed.map(({ key, row }) => ({ trial: toTrialRecord(row), position: key.position }));
}

/** One page of a walk (see the file comment), `limit` rows at most, in the sort's order. */
export async function pageTrials(db: Db, query: TrialPageQuery): Promise<TrialPage> {
  const take = query.limit + 1;
  // Settled first, then moved, one after the other: a row can only go from settled to moved (its
  // change_seq never goes down), so a row that moves in between is read twice (and kept once
  // below, both reads give it the same position), never missed.
  const settled = await settledPage(db, query, take);
  const moved = await movedPage(db, query, take);
  if (moved.length === 0)
    return { items: settled.slice(0, query.limit), hasMore: settled.length > query.limit };
  const merged: PositionedTrial[] = [];
  const seen = new Set<string>();
  for (const item of [...settled, ...moved].sort((x, y) => comparePositions(x.position, y.position))) {
    if (seen.has(item.trial.id)) continue;
    seen.add(item.trial.id);
    merged.push(item);
  }
  return { items: merged.slice(0, query.limit), hasMore: merged.length > query.limit };
}

/**
 * How many trials match `filter` as of `asOf`: the rows a walk pinned there returns in all. One
 * statement, so one consistent snapshot.
 */
export async function countTrialsAsOf(db: Db, filter: TrialFilter, asOf: number): Promise<number> {
  const search = searchOf(db, filter);
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('trials as t')
        .select((inner) => inner.fn.countAll().as('n'))
        .where((inner) => settledConditions(inner, filter, asOf, search))
        .as('settled'),
      movedRows(db, filter, asOf, search)
        .select((inner) => inner.fn.countAll().as('n'))
        .as('moved'),
    ])
    .executeTakeFirst();
  return Number(row?.settled ?? 0) + Number(row?.moved ?? 0);
}
