/**
 * The store work of the process edges (serve, the CLI): sweeping the runs of stopped processes
 * and the metrics snapshot (`trialwatch sources` reads SourceService, as the API does). The edges call these
 * rather than the repositories (the layer rules in eslint.layers.js).
 */
import type { Db } from '../store/database.js';
import { abandonStaleRuns } from '../store/harvest-run.repository.js';
import { listLastSuccesses } from '../store/source-state.repository.js';
import { countTrialsBySourceAndState } from '../store/trial-count.repository.js';
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
