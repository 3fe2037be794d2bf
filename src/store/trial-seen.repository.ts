/** The end of a full run: which of a source's active trials the run saw (`trial_seen`), for the removal guard. */
import type { Db } from './database.js';

/** Active (not removed) trials of a source. */
export async function countActiveTrials(db: Db, source: string): Promise<number> {
  const row = await db
    .selectFrom('trials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', source)
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Active trials of a source that the given run did not see (candidates for removal). */
export async function findUnseenActiveTrials(
  db: Db,
  source: string,
  runId: number,
): Promise<{ id: string; version: number }[]> {
  return db
    .selectFrom('trials as t')
    .leftJoin('trial_seen as s', 's.trial_id', 't.id')
    .select(['t.id', 't.version'])
    .where('t.source', '=', source)
    .where('t.removed_at', 'is', null)
    .where((eb) => eb.or([eb('s.last_seen_run_id', 'is', null), eb('s.last_seen_run_id', '!=', runId)]))
    .orderBy('t.id')
    .execute();
}

/** Trials the given run marked seen (`trial_seen.last_seen_run_id`): the distinct stored ids it saw. */
export async function countTrialsSeenInRun(db: Db, runId: number): Promise<number> {
  const row = await db
    .selectFrom('trial_seen')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('last_seen_run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
