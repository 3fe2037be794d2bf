/**
 * Point reads of trials: one trial by id (compiled once: get-one runs it), and the original brief's
 * changed-since list. Walks are in trial-walk.repository.ts, versions, changes and links in their
 * own repositories; the write side is trial.repository.ts.
 */
import type { TrialHeadline, TrialRecord } from '../domain/trial-read.types.js';
import { compiledOnce } from './compiled-once.js';
import type { Db } from './database.js';
import { TRIAL_COLUMNS, toTrialRecord } from './trial-rows.js';

const findTrialQuery = compiledOnce((db) =>
  db.selectFrom('trials as t').select(TRIAL_COLUMNS).where('t.id', '=', '').compile(),
);

export async function findTrial(db: Db, id: string): Promise<TrialRecord | undefined> {
  const row = (await db.executeQuery(findTrialQuery(db, [id]))).rows[0];
  return row === undefined ? undefined : toTrialRecord(row);
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

/** The titles and latest change times of these trials, removed ones included (one query). */
export async function findTrialHeadlines(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, TrialHeadline>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('trials as t')
    .select(['t.id', 't.title', 't.title_en', 't.last_changed_at'])
    .where('t.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { title: row.title ?? row.title_en, lastChangedAt: Number(row.last_changed_at) },
    ]),
  );
}
