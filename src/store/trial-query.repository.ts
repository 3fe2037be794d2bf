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
 * twice or not at all); every other order keeps the exactly-once promise.
 */
import { gunzipSync } from 'node:zlib';
import type { CompiledQuery, Expression, ExpressionBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { SearchLevel } from '../domain/search.types.js';
import { ANY_LEVEL, SEARCH_LEVELS } from '../domain/search.types.js';
import type { ChangeKind, FieldChange } from '../domain/trial.types.js';
import type {
  TrialRecord,
  TrialSort,
  TrialPosition,
  TrialFilter,
  TrialPageQuery,
  PositionedTrial,
  TrialPage,
  ChangeEvent,
  TrialVersionRecord,
  SourceTrialCounts,
  StoredTrialLink,
} from '../domain/trial-read.types.js';
import type { Db } from './database.js';
import type { ChangeRow, Database, TrialRow, TrialsTable } from './schema.js';
import type { SearchSql } from './search-dialect.js';
import { dialectInfoOf, searchSql } from './search-dialect.js';

/** When a harvest last saw the trial `t` (kept in `trial_seen`; see migration 0007). */
const LAST_SEEN_AT =
  sql<number>`coalesce((select s.last_seen_at from trial_seen s where s.trial_id = t.id), t.last_seen_at)`.as(
    'last_seen_at',
  );

const TRIAL_COLUMNS = [
  't.id',
  't.source',
  't.version',
  't.first_seen_at',
  LAST_SEEN_AT,
  't.last_changed_at',
  't.change_seq',
  't.removed_at',
  't.source_updated_at',
  't.doc',
] as const;

type TrialColumns = Pick<
  TrialRow,
  | 'id'
  | 'source'
  | 'version'
  | 'first_seen_at'
  | 'last_changed_at'
  | 'change_seq'
  | 'removed_at'
  | 'source_updated_at'
  | 'doc'
> & { last_seen_at: number };

function toTrialRecord(row: TrialColumns): TrialRecord {
  return {
    id: row.id,
    source: row.source,
    version: row.version,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    lastChangedAt: row.last_changed_at,
    changeSeq: row.change_seq,
    removedAt: row.removed_at,
    sourceUpdatedAt: row.source_updated_at,
    docJson: row.doc,
  };
}

function parseJsonOr<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toChangeEvent(row: ChangeRow): ChangeEvent {
  return {
    seq: row.seq,
    trialId: row.trial_id,
    source: row.source,
    version: row.version,
    kind: row.kind as ChangeKind,
    paths: parseJsonOr<string[]>(row.paths, []),
    occurredAt: row.occurred_at,
    runId: row.run_id,
  };
}

/**
 * A query compiled once per database and run with fresh parameters: for the hottest lookups,
 * where Kysely's compile step would be a measurable share of a get-one request. Callers pass every
 * parameter of the compiled SQL, in order (a `limit` is one too).
 */
function compiledOnce<R>(
  build: (db: Db) => CompiledQuery<R>,
): (db: Db, parameters: readonly unknown[]) => CompiledQuery<R> {
  const cache = new WeakMap<Db, CompiledQuery<R>>();
  return (db, parameters) => {
    let compiled = cache.get(db);
    if (compiled === undefined) {
      compiled = build(db);
      cache.set(db, compiled);
    }
    return { ...compiled, parameters };
  };
}

type TrialScope = Database & { t: TrialsTable };

/** SQLite's lower(): ASCII letters only (facet keys are folded so, on both databases). */
export function lowerAscii(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** The search of a filter as this database runs it (undefined without `q`). */
function searchOf(db: Db, filter: TrialFilter): SearchSql | undefined {
  return filter.search === undefined ? undefined : searchSql(dialectInfoOf(db), filter.search);
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
  if (search !== undefined) {
    const matching = search.matching(ANY_LEVEL, false);
    const excluded = search.excluded();
    if (matching !== null) conditions.push(sql<SqlBool>`t.change_seq in (${matching})`);
    else if (excluded !== null) conditions.push(sql<SqlBool>`t.change_seq not in (${excluded})`);
  }
  return conditions;
}

/**
 * Conditions for settled rows: their current columns are their as-of state. `before`, when given,
 * is a keyset position in `change_seq` order: it joins the as-of bound as one exclusive upper
 * bound, since SQLite uses only one of two bounds on the same column (a walk 1,000 pages deep
 * would otherwise scan every index entry between the two).
 */
function settledConditions(
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
  if (filter.changedSince !== undefined) conditions.push(eb('t.last_changed_at', '>=', filter.changedSince));
  return eb.and(conditions);
}

/**
 * Moved rows joined with `p`, their latest change event at or before `asOf`; rows created after
 * `asOf` have none and drop out of the inner join. `matching` narrows them to a search tier.
 */
function movedRows(
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
      if (filter.changedSince !== undefined) conditions.push(eb('p.occurred_at', '>=', filter.changedSince));
      return eb.and(conditions);
    });
}

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
 * registry date: the database orders every match) only the keys are sorted, from the covering
 * index, and the few rows of the page are read afterwards, instead of every match's document.
 */
async function readRows(db: Db, select: SettledSelect, keysOnly: boolean): Promise<TrialColumns[]> {
  if (!keysOnly) return select.select(TRIAL_COLUMNS).execute();
  const keys = await select.select('t.id').execute();
  if (keys.length === 0) return [];
  const rows = await rowsByIds(
    db,
    keys.map((key) => key.id),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return keys.flatMap((key) => byId.get(key.id) ?? []);
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
      const rows = await readRows(db, select, false);
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
  }
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
  const readKeys = (matching?: ReturnType<SearchSql['matching']>) =>
    movedRows(db, filter, asOf, search, matching)
      // The as-of registry date is the one of the version the trial had at `asOf`.
      .leftJoin('trial_versions as v', (join) =>
        join.onRef('v.trial_id', '=', 't.id').onRef('v.version', '=', 'p.version'),
      )
      .select(['t.id', 'p.seq as as_of_seq', 'v.source_updated_at as as_of_updated'])
      .execute();
  const keys: { id: string; as_of_seq: number; as_of_updated: string | null; tier: number }[] = [];
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
      }
    })
    .filter((item) => after === undefined || comparePositions(item.position, after) > 0)
    .sort((a, b) => comparePositions(a.position, b.position))
    .slice(0, take);
  if (positioned.length === 0) return [];
  const rows = await rowsByIds(
    db,
    positioned.map((item) => item.id),
  );
  const byId = new Map(rows.map((row) => [row.id, toTrialRecord(row)]));
  const out: PositionedTrial[] = [];
  for (const item of positioned) {
    const trial = byId.get(item.id);
    if (trial !== undefined) out.push({ trial, position: item.position });
  }
  return out;
}

/** The newest change-feed position (0 when the feed is empty): where a new walk is pinned. */
const latestChangeSeqQuery = compiledOnce((db) =>
  db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .compile(),
);

export async function latestChangeSeq(db: Db): Promise<number> {
  const row = (await db.executeQuery(latestChangeSeqQuery(db, []))).rows[0];
  return row?.seq == null ? 0 : Number(row.seq);
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

/** How many rows a walk pinned at `asOf` returns in all: one statement, so one consistent snapshot. */
export async function countTrials(db: Db, filter: TrialFilter, asOf: number): Promise<number> {
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

const findTrialQuery = compiledOnce((db) =>
  db.selectFrom('trials as t').select(TRIAL_COLUMNS).where('t.id', '=', '').compile(),
);

export async function findTrial(db: Db, id: string): Promise<TrialRecord | undefined> {
  const row = (await db.executeQuery(findTrialQuery(db, [id]))).rows[0];
  return row === undefined ? undefined : toTrialRecord(row);
}

/** The upstream record of one version as the registry sent it (JSON text), if the version exists. */
const rawRecordQuery = compiledOnce((db) =>
  db.selectFrom('trial_versions').select('raw').where('trial_id', '=', '').where('version', '=', 0).compile(),
);

export async function findRawRecordJson(
  db: Db,
  trialId: string,
  version: number,
): Promise<string | undefined> {
  const row = (await db.executeQuery(rawRecordQuery(db, [trialId, version]))).rows[0];
  return row === undefined ? undefined : gunzipSync(row.raw).toString('utf8');
}

const VERSION_COLUMNS = [
  'trial_id',
  'version',
  'content_hash',
  'observed_at',
  'run_id',
  'diff',
  'source_updated_at',
] as const;

function toVersionRecord(row: {
  trial_id: string;
  version: number;
  content_hash: string;
  observed_at: number;
  run_id: number | null;
  diff: string | null;
  source_updated_at: string | null;
}): TrialVersionRecord {
  return {
    trialId: row.trial_id,
    version: row.version,
    contentHash: row.content_hash,
    observedAt: row.observed_at,
    runId: row.run_id,
    diff: parseJsonOr<FieldChange[] | null>(row.diff, null),
    sourceUpdatedAt: row.source_updated_at,
  };
}

/** Every version of a trial, oldest first (without the raw records). */
export async function listTrialVersions(db: Db, trialId: string): Promise<TrialVersionRecord[]> {
  const rows = await db
    .selectFrom('trial_versions')
    .select(VERSION_COLUMNS)
    .where('trial_id', '=', trialId)
    .orderBy('version', 'asc')
    .execute();
  return rows.map(toVersionRecord);
}

export async function findTrialVersion(
  db: Db,
  trialId: string,
  version: number,
): Promise<(TrialVersionRecord & { rawJson: string }) | undefined> {
  const row = await db
    .selectFrom('trial_versions')
    .select([...VERSION_COLUMNS, 'raw'])
    .where('trial_id', '=', trialId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { ...toVersionRecord(row), rawJson: gunzipSync(row.raw).toString('utf8') };
}

/** Every change event of one trial, oldest first. */
export async function listTrialEvents(db: Db, trialId: string): Promise<ChangeEvent[]> {
  const rows = await db
    .selectFrom('changes')
    .selectAll()
    .where('trial_id', '=', trialId)
    .orderBy('seq', 'asc')
    .execute();
  return rows.map(toChangeEvent);
}

/** Change events after `afterSeq`, in feed order. */
export async function pageChanges(
  db: Db,
  query: { afterSeq: number; source?: string; limit: number },
): Promise<ChangeEvent[]> {
  let select = db
    .selectFrom('changes')
    .selectAll()
    .where('seq', '>', query.afterSeq)
    .orderBy('seq', 'asc')
    .limit(query.limit);
  if (query.source !== undefined) select = select.where('source', '=', query.source);
  const rows = await select.execute();
  return rows.map(toChangeEvent);
}

/**
 * Trials not removed whose latest change is at or after `since`, newest change first, by offset
 * (the original brief's list pages by skip/limit).
 */
export async function listChangedSince(
  db: Db,
  query: { since: number; offset: number; limit: number },
): Promise<TrialRecord[]> {
  const rows = await db
    .selectFrom('trials as t')
    .select(TRIAL_COLUMNS)
    .where('t.removed_at', 'is', null)
    .where('t.last_changed_at', '>=', query.since)
    .orderBy('t.change_seq', 'desc')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return rows.map(toTrialRecord);
}

/** Trials per source: all of them, and how many are marked removed. */
export async function countTrialsBySource(db: Db): Promise<Map<string, SourceTrialCounts>> {
  const rows = await db
    .selectFrom('trials')
    .select((eb) => ['source', eb.fn.countAll().as('total'), eb.fn.count('removed_at').as('removed')])
    .groupBy('source')
    .execute();
  return new Map(rows.map((row) => [row.source, { total: Number(row.total), removed: Number(row.removed) }]));
}

/** The trial an old (merged) id now resolves to, if the registry merged it into one. */
export async function findAliasTarget(db: Db, alias: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('trial_aliases')
    .select('trial_id')
    .where('alias', '=', alias)
    .executeTakeFirst();
  return row?.trial_id;
}

/** Every link of a trial, both directions, in one statement (compiled once: get-one runs it). */
const trialLinksQuery = compiledOnce((db) =>
  db
    .selectFrom('trial_links as l')
    .leftJoin('trials as o', 'o.id', 'l.linked_id')
    .select(['l.linked_id as id', 'l.relation', 'o.source', sql<string>`'out'`.as('direction')])
    .where('l.trial_id', '=', '')
    .unionAll(
      db
        .selectFrom('trial_links as l')
        .leftJoin('trials as o', 'o.id', 'l.trial_id')
        .select(['l.trial_id as id', 'l.relation', 'o.source', sql<string>`'in'`.as('direction')])
        .where('l.linked_id', '=', ''),
    )
    .compile(),
);

export async function listTrialLinks(db: Db, id: string): Promise<StoredTrialLink[]> {
  const { rows } = await db.executeQuery(trialLinksQuery(db, [id, id]));
  return rows.map((row) => ({
    id: row.id,
    relation: row.relation,
    direction: row.direction === 'in' ? 'in' : 'out',
    source: row.source,
  }));
}
