/**
 * The store work of the process edges (serve, the CLI): sweeping the runs of stopped processes,
 * the metrics snapshot, and the per-source summary of `trialwatch sources`. The edges call these
 * rather than the repositories (the layer rules in eslint.layers.js).
 */
import type { HarvestRun } from '../domain/trial.types.js';
import type { Db } from '../store/database.js';
import { abandonStaleRuns, latestRunBySource } from '../store/harvest-run.repository.js';
import { listLastSuccesses } from '../store/source-state.repository.js';
import { countTrialsBySourceAndState } from '../store/trial-count.repository.js';
import { countActiveTrials } from '../store/trial-seen.repository.js';
import { latestChangeSeq } from '../store/change.repository.js';
import { endpointStats } from '../store/webhook.repository.js';

/** Marks `abandoned` every running run whose heartbeat is older than `staleRunMs`; returns their ids. */
export function abandonRunsOfStoppedProcesses(db: Db, staleRunMs: number, now = Date.now()) {
  return abandonStaleRuns(db, now - staleRunMs, now);
}

/** What `/metrics` reads from the database at each scrape. */
export function metricsSnapshotOf(db: Db) {
  return {
    recordCounts: () => countTrialsBySourceAndState(db),
    lastSuccess: () => listLastSuccesses(db),
    webhooks: async () => {
      const [stats, head] = await Promise.all([endpointStats(db), latestChangeSeq(db)]);
      return stats.map((row) => ({
        endpoint: row.id,
        delivered: row.delivered,
        failed: row.failed,
        failedAttempts: row.failedAttempts,
        lag: Math.max(0, head - row.position),
      }));
    },
  };
}

export interface SourceSummary {
  active: number;
  lastRun: HarvestRun | undefined;
}

/** Active trials and the latest run of each of `sourceIds`. */
export async function summarizeSources(
  db: Db,
  sourceIds: readonly string[],
): Promise<Map<string, SourceSummary>> {
  const lastRuns = await latestRunBySource(db);
  const summaries = new Map<string, SourceSummary>();
  for (const id of sourceIds) {
    summaries.set(id, { active: await countActiveTrials(db, id), lastRun: lastRuns.get(id) });
  }
  return summaries;
}
