/** The change feed: its newest position (where a walk is pinned), a trial's events, feed pages. */
import type { ChangeKind } from '../domain/trial.types.js';
import type { ChangeEvent } from '../domain/trial-read.types.js';
import { compiledOnce } from './compiled-once.js';
import type { Db } from './database.js';
import type { ChangeRow } from './schema.js';
import { parseJsonOr } from './trial-rows.js';

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
