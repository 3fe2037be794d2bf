import type {
  HarvestCounts,
  HarvestMode,
  HarvestRun,
  HarvestStatus,
  HarvestTrigger,
} from '../domain/trial.types.js';
import type { Db } from './database.js';
import type { HarvestRunRow } from './schema.js';

/** Skipped-record reasons kept per run; the count is always exact. */
export const MAX_SKIPPED_REASONS = 200;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toHarvestRun(row: HarvestRunRow): HarvestRun {
  return {
    id: row.id,
    source: row.source,
    mode: row.mode as HarvestMode,
    trigger: row.trigger as HarvestTrigger,
    status: row.status as HarvestStatus,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
    fetched: row.fetched,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    removed: row.removed,
    restored: row.restored,
    skipped: row.skipped,
    skippedReasons: parseJson(row.skipped_reasons, []),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    info: parseJson(row.info, {}),
  };
}

export async function createRun(
  db: Db,
  run: {
    source: string;
    mode: HarvestMode;
    trigger: HarvestTrigger;
    holder: string;
    now: number;
    info?: Record<string, unknown>;
  },
): Promise<number> {
  const row = await db
    .insertInto('harvest_runs')
    .values({
      source: run.source,
      mode: run.mode,
      trigger: run.trigger,
      status: 'running',
      holder: run.holder,
      started_at: run.now,
      heartbeat_at: run.now,
      info: JSON.stringify(run.info ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Saves progress (counts so far) and proves the run is alive. */
export async function heartbeatRun(db: Db, id: number, counts: HarvestCounts, now: number): Promise<void> {
  await db
    .updateTable('harvest_runs')
    .set({ ...counts, heartbeat_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export interface RunOutcome {
  status: Exclude<HarvestStatus, 'running'>;
  counts: HarvestCounts;
  skippedReasons: { id: string | null; reason: string }[];
  errorCode?: string | null;
  errorMessage?: string | null;
  info?: Record<string, unknown>;
  now: number;
}

export async function finishRun(db: Db, id: number, outcome: RunOutcome): Promise<void> {
  await db
    .updateTable('harvest_runs')
    .set({
      ...outcome.counts,
      status: outcome.status,
      finished_at: outcome.now,
      heartbeat_at: outcome.now,
      skipped_reasons: JSON.stringify(outcome.skippedReasons.slice(0, MAX_SKIPPED_REASONS)),
      error_code: outcome.errorCode ?? null,
      error_message: outcome.errorMessage ?? null,
      ...(outcome.info === undefined ? {} : { info: JSON.stringify(outcome.info) }),
    })
    .where('id', '=', id)
    .execute();
}

export async function getRun(db: Db, id: number): Promise<HarvestRun | undefined> {
  const row = await db.selectFrom('harvest_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toHarvestRun(row);
}

/** Runs, newest first; `beforeId` pages backwards. */
export async function listRuns(
  db: Db,
  query: { source?: string; status?: HarvestStatus; limit: number; beforeId?: number },
): Promise<HarvestRun[]> {
  let select = db.selectFrom('harvest_runs').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.source !== undefined) select = select.where('source', '=', query.source);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  const rows = await select.execute();
  return rows.map(toHarvestRun);
}

/** The newest run of each source with the given status (e.g. the last success per source). */
export async function latestRunBySource(db: Db, status?: HarvestStatus): Promise<Map<string, HarvestRun>> {
  let newest = db
    .selectFrom('harvest_runs')
    .select((eb) => eb.fn.max('id').as('id'))
    .groupBy('source');
  if (status !== undefined) newest = newest.where('status', '=', status);
  const rows = await db.selectFrom('harvest_runs').selectAll().where('id', 'in', newest).execute();
  return new Map(rows.map((row) => [row.source, toHarvestRun(row)]));
}

const ABANDONED = {
  status: 'abandoned',
  error_code: 'HARVEST_INTERRUPTED',
  error_message: 'The process running this harvest stopped without finishing it',
} as const;

/**
 * Marks as abandoned every run still "running" whose heartbeat is older than `staleBefore`:
 * its process died without finishing. Returns the ids marked.
 */
export async function abandonStaleRuns(db: Db, staleBefore: number, now: number): Promise<number[]> {
  const rows = await db
    .updateTable('harvest_runs')
    .set({ ...ABANDONED, finished_at: now })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Marks every run of `source` still "running" as abandoned. Called by the holder of the source's
 * harvest lease: holding it proves no live process is running those.
 */
export async function abandonRunningRuns(db: Db, source: string, now: number): Promise<number[]> {
  const rows = await db
    .updateTable('harvest_runs')
    .set({ ...ABANDONED, finished_at: now })
    .where('source', '=', source)
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Marks one run failed if it is still "running" (its process died before recording an end); the
 * counts stay as its last heartbeat saved them. Returns whether the run was marked.
 */
export async function failRunningRun(
  db: Db,
  id: number,
  error: { code: string; message: string },
  now: number,
): Promise<boolean> {
  const rows = await db
    .updateTable('harvest_runs')
    .set({ status: 'failed', finished_at: now, error_code: error.code, error_message: error.message })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.length > 0;
}
