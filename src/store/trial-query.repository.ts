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
 */
import { gunzipSync } from 'node:zlib';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { ChangeKind, FieldChange } from '../domain/trial.types.js';
import type { Db } from './database.js';
import type { ChangeRow, Database, TrialRow, TrialsTable } from './schema.js';

/** One trial's current state as stored; the document stays JSON text so it can be served as is. */
export interface TrialRecord {
  id: string;
  source: string;
  version: number;
  contentHash: string;
  /** Epoch ms. */
  firstSeenAt: number;
  lastSeenAt: number;
  lastChangedAt: number;
  /** `seq` of the trial's latest change event. */
  changeSeq: number;
  removedAt: number | null;
  /** The registry's own last-update date (ISO 8601 text), where it publishes one. */
  sourceUpdatedAt: string | null;
  /** `{"fields":…,"sourceFields":…}` of the current version, exactly as stored. */
  docJson: string;
}

export type TrialSort = '-lastChangedAt' | 'id' | '-sourceUpdatedAt';

/** Where a row stands in a walk: the sort key as of the walk's `asOf`. */
export type TrialPosition =
  | { sort: '-lastChangedAt'; seq: number }
  | { sort: 'id'; id: string }
  | { sort: '-sourceUpdatedAt'; updated: string | null; id: string };

export interface TrialFilter {
  source?: string;
  /** Keep removed trials (by default they are left out). */
  includeRemoved: boolean;
  /** Epoch ms, inclusive: only trials whose latest change happened at or after it. */
  changedSince?: number;
  status?: readonly string[];
  phase?: readonly string[];
  studyType?: readonly string[];
  institution?: string;
  department?: string;
}

export interface TrialPageQuery {
  filter: TrialFilter;
  sort: TrialSort;
  /** The change-feed position the walk is pinned to (see the file comment). */
  asOf: number;
  /** The position of the last row of the previous page; absent on the first page. */
  after?: TrialPosition;
  limit: number;
}

export interface PositionedTrial {
  trial: TrialRecord;
  position: TrialPosition;
}

export interface TrialPage {
  items: PositionedTrial[];
  /** Whether rows follow the last item. */
  hasMore: boolean;
}

export interface ChangeEvent {
  seq: number;
  trialId: string;
  source: string;
  version: number;
  kind: ChangeKind;
  /** Changed field paths (empty for created, removed, restored). */
  paths: string[];
  /** Epoch ms. */
  occurredAt: number;
  runId: number | null;
}

export interface TrialVersionRecord {
  trialId: string;
  version: number;
  contentHash: string;
  /** Epoch ms when the harvest saw this content first. */
  observedAt: number;
  runId: number | null;
  /** Null for version 1. */
  diff: FieldChange[] | null;
  sourceUpdatedAt: string | null;
}

export interface SourceTrialCounts {
  total: number;
  removed: number;
}

const TRIAL_COLUMNS = [
  't.id',
  't.source',
  't.version',
  't.content_hash',
  't.first_seen_at',
  't.last_seen_at',
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
  | 'content_hash'
  | 'first_seen_at'
  | 'last_seen_at'
  | 'last_changed_at'
  | 'change_seq'
  | 'removed_at'
  | 'source_updated_at'
  | 'doc'
>;

function toTrialRecord(row: TrialColumns): TrialRecord {
  return {
    id: row.id,
    source: row.source,
    version: row.version,
    contentHash: row.content_hash,
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

type TrialScope = Database & { t: TrialsTable };

/** Conditions on the current content of `t` (the same for settled and moved rows). */
function contentConditions(
  eb: ExpressionBuilder<TrialScope, 't'>,
  filter: TrialFilter,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.source !== undefined) conditions.push(eb('t.source', '=', filter.source));
  if (filter.status !== undefined) conditions.push(eb('t.status', 'in', [...filter.status]));
  if (filter.phase !== undefined) conditions.push(eb('t.phase', 'in', [...filter.phase]));
  if (filter.studyType !== undefined) conditions.push(eb('t.study_type', 'in', [...filter.studyType]));
  if (filter.institution !== undefined) conditions.push(eb('t.institution', '=', filter.institution));
  if (filter.department !== undefined) conditions.push(eb('t.department', '=', filter.department));
  return conditions;
}

/** Conditions for settled rows: their current columns are their as-of state. */
function settledConditions(
  eb: ExpressionBuilder<TrialScope, 't'>,
  filter: TrialFilter,
  asOf: number,
): Expression<SqlBool> {
  const conditions = contentConditions(eb, filter);
  conditions.push(eb('t.change_seq', '<=', asOf));
  if (!filter.includeRemoved) conditions.push(eb('t.removed_at', 'is', null));
  if (filter.changedSince !== undefined) conditions.push(eb('t.last_changed_at', '>=', filter.changedSince));
  return eb.and(conditions);
}

/**
 * Moved rows joined with `p`, their latest change event at or before `asOf`; rows created after
 * `asOf` have none and drop out of the inner join.
 */
function movedRows(db: Db, filter: TrialFilter, asOf: number) {
  return db
    .selectFrom('trials as t')
    .innerJoin('changes as p', 'p.trial_id', 't.id')
    .where('t.change_seq', '>', asOf)
    .where('p.seq', '=', (eb) =>
      eb
        .selectFrom('changes as c')
        .select((inner) => inner.fn.max('c.seq').as('seq'))
        .whereRef('c.trial_id', '=', 't.id')
        .where('c.seq', '<=', asOf),
    )
    .where((eb) => {
      const conditions = contentConditions(eb, filter);

      if (!filter.includeRemoved) conditions.push(eb('p.kind', '!=', 'removed'));
      if (filter.changedSince !== undefined) conditions.push(eb('p.occurred_at', '>=', filter.changedSince));
      return eb.and(conditions);
    });
}

/** Orders positions exactly as the database orders the same keys (ids and dates are ASCII). */
export function comparePositions(a: TrialPosition, b: TrialPosition): number {
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

async function settledPage(db: Db, query: TrialPageQuery, take: number): Promise<PositionedTrial[]> {
  const { filter, asOf, after } = query;
  const base = db
    .selectFrom('trials as t')
    .select(TRIAL_COLUMNS)
    .where((eb) => settledConditions(eb, filter, asOf));
  switch (query.sort) {
    case '-lastChangedAt': {
      let select = base.orderBy('t.change_seq', 'desc').limit(take);
      if (after?.sort === '-lastChangedAt') select = select.where('t.change_seq', '<', after.seq);
      const rows = await select.execute();
      return rows.map((row) => ({
        trial: toTrialRecord(row),
        position: { sort: '-lastChangedAt', seq: row.change_seq },
      }));
    }
    case 'id': {
      let select = base.orderBy('t.id', 'asc').limit(take);
      if (after?.sort === 'id') select = select.where('t.id', '>', after.id);
      const rows = await select.execute();
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
        for (const row of await dated.execute())
          out.push({ trial: toTrialRecord(row), position: position(row) });
      }
      if (out.length < take) {
        let undated = base
          .where('t.source_updated_at', 'is', null)
          .orderBy('t.id', 'desc')
          .limit(take - out.length);
        if (after?.sort === '-sourceUpdatedAt' && after.updated === null)
          undated = undated.where('t.id', '<', after.id);
        for (const row of await undated.execute())
          out.push({ trial: toTrialRecord(row), position: position(row) });
      }
      return out;
    }
  }
}

async function movedPage(db: Db, query: TrialPageQuery, take: number): Promise<PositionedTrial[]> {
  const { filter, asOf, after } = query;
  const moved = movedRows(db, filter, asOf);
  switch (query.sort) {
    case '-lastChangedAt': {
      let select = moved
        .select([...TRIAL_COLUMNS, 'p.seq as as_of_seq'])
        .orderBy('p.seq', 'desc')
        .limit(take);
      if (after?.sort === '-lastChangedAt') select = select.where('p.seq', '<', after.seq);
      const rows = await select.execute();
      return rows.map((row) => ({
        trial: toTrialRecord(row),
        position: { sort: '-lastChangedAt', seq: row.as_of_seq },
      }));
    }
    case 'id': {
      let select = moved.select(TRIAL_COLUMNS).orderBy('t.id', 'asc').limit(take);
      if (after?.sort === 'id') select = select.where('t.id', '>', after.id);
      const rows = await select.execute();
      return rows.map((row) => ({ trial: toTrialRecord(row), position: { sort: 'id', id: row.id } }));
    }
    case '-sourceUpdatedAt': {
      // The as-of registry date is the one of the version the trial had at `asOf`.
      let select = moved
        .leftJoin('trial_versions as v', (join) =>
          join.onRef('v.trial_id', '=', 't.id').onRef('v.version', '=', 'p.version'),
        )
        .select([...TRIAL_COLUMNS, 'v.source_updated_at as as_of_updated'])
        .orderBy((eb) => eb.case().when('v.source_updated_at', 'is', null).then(1).else(0).end())
        .orderBy('v.source_updated_at', 'desc')
        .orderBy('t.id', 'desc')
        .limit(take);
      if (after?.sort === '-sourceUpdatedAt') {
        const { updated, id } = after;
        select = select.where((eb) =>
          updated === null
            ? eb.and([eb('v.source_updated_at', 'is', null), eb('t.id', '<', id)])
            : eb.or([
                eb('v.source_updated_at', 'is', null),
                eb('v.source_updated_at', '<', updated),
                eb.and([eb('v.source_updated_at', '=', updated), eb('t.id', '<', id)]),
              ]),
        );
      }
      const rows = await select.execute();
      return rows.map((row) => ({
        trial: toTrialRecord(row),
        position: { sort: '-sourceUpdatedAt', updated: row.as_of_updated, id: row.id },
      }));
    }
  }
}

/** The newest change-feed position (0 when the feed is empty): where a new walk is pinned. */
export async function latestChangeSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return row?.seq == null ? 0 : Number(row.seq);
}

/** One page of a walk (see the file comment), `limit` rows at most, in the sort's order. */
export async function pageTrials(db: Db, query: TrialPageQuery): Promise<TrialPage> {
  const take = query.limit + 1;
  const [settled, moved] = await Promise.all([settledPage(db, query, take), movedPage(db, query, take)]);
  const merged =
    moved.length === 0
      ? settled
      : [...settled, ...moved].sort((a, b) => comparePositions(a.position, b.position));
  return { items: merged.slice(0, query.limit), hasMore: merged.length > query.limit };
}

/** How many rows a walk pinned at `asOf` returns in all. */
export async function countTrials(db: Db, filter: TrialFilter, asOf: number): Promise<number> {
  const [settled, moved] = await Promise.all([
    db
      .selectFrom('trials as t')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => settledConditions(eb, filter, asOf))
      .executeTakeFirst(),
    movedRows(db, filter, asOf)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  return Number(settled?.n ?? 0) + Number(moved?.n ?? 0);
}

export async function findTrial(db: Db, id: string): Promise<TrialRecord | undefined> {
  const row = await db
    .selectFrom('trials as t')
    .select(TRIAL_COLUMNS)
    .where('t.id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toTrialRecord(row);
}

/** The upstream record of one version as the registry sent it (JSON text), if the version exists. */
export async function findRawRecordJson(
  db: Db,
  trialId: string,
  version: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('trial_versions')
    .select('raw')
    .where('trial_id', '=', trialId)
    .where('version', '=', version)
    .executeTakeFirst();
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
