import type { Db } from './database.js';

export interface SourceState {
  state: Record<string, unknown>;
  lastSuccessAt: number | null;
  lastRunId: number | null;
}

export async function getSourceState(db: Db, source: string): Promise<SourceState> {
  const row = await db.selectFrom('source_state').selectAll().where('source', '=', source).executeTakeFirst();
  if (row === undefined) return { state: {}, lastSuccessAt: null, lastRunId: null };
  let state: Record<string, unknown> = {};
  try {
    state = JSON.parse(row.state) as Record<string, unknown>;
  } catch {
    state = {};
  }
  return { state, lastSuccessAt: row.last_success_at, lastRunId: row.last_run_id };
}

/** Records a successful run: the adapter's new state and the success time. */
export async function saveSourceSuccess(
  db: Db,
  source: string,
  update: { state: Record<string, unknown>; runId: number; now: number },
): Promise<void> {
  const values = {
    state: JSON.stringify(update.state),
    last_success_at: update.now,
    last_run_id: update.runId,
    updated_at: update.now,
  };
  await db
    .insertInto('source_state')
    .values({ source, ...values })
    .onConflict((oc) => oc.column('source').doUpdateSet(values))
    .execute();
}

/**
 * Checkpoints the adapter's state during a run (or at its end when it did not succeed): the state
 * moves, the last success does not. A run that fails or is stopped later keeps what it did so far
 * (CRIS: the day's calls, the details stored).
 */
export async function saveSourceCheckpoint(
  db: Db,
  source: string,
  update: { state: Record<string, unknown>; now: number },
): Promise<void> {
  const values = { state: JSON.stringify(update.state), updated_at: update.now };
  await db
    .insertInto('source_state')
    .values({ source, ...values, last_success_at: null, last_run_id: null })
    .onConflict((oc) => oc.column('source').doUpdateSet(values))
    .execute();
}

/** The last successful harvest time of every source that has one. */
export async function listLastSuccesses(db: Db): Promise<{ source: string; at: number }[]> {
  const rows = await db
    .selectFrom('source_state')
    .select(['source', 'last_success_at'])
    .where('last_success_at', 'is not', null)
    .execute();
  return rows.map((row) => ({ source: row.source, at: row.last_success_at ?? 0 }));
}
