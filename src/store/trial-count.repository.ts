/**
 * Counts of stored trials for the edges and the start-up check: every trial (is the database still
 * empty?), per source (the sources listing), per source and state (metrics). The harvest's own
 * counts (active set, seen in a run) are with its lookups in trial.repository.ts.
 */
import type { SourceTrialCounts } from '../domain/trial-read.types.js';
import type { Db } from './database.js';

/** Every stored trial, removed ones included. */
export async function countStoredTrials(db: Db): Promise<number> {
  const row = await db
    .selectFrom('trials')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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

/** Trials per source and state, for metrics and the sources listing. */
export async function countTrialsBySourceAndState(
  db: Db,
): Promise<{ source: string; state: 'active' | 'removed'; count: number }[]> {
  const rows = await db
    .selectFrom('trials')
    .select((eb) => [
      'source',
      eb.case().when('removed_at', 'is', null).then('active').else('removed').end().as('state'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['source', 'state'])
    .execute();
  return rows.map((row) => ({
    source: row.source,
    state: row.state as 'active' | 'removed',
    count: Number(row.n),
  }));
}
