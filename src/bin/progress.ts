import type { HarvestProgress } from '../harvest/harvest.service.js';
import type { HarvestRun } from '../domain/trial.types.js';
import { clearStatus, showStatus } from './terminal.js';

/**
 * A one-line progress display on a terminal (stderr), under the log lines (terminal.ts); silent
 * when stderr is not a terminal.
 */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update(progress: HarvestProgress): void;
  done(): void;
} {
  let last = 0;
  return {
    update(progress) {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const { counts } = progress;
      const total = progress.expectedTotal;
      const width = 24;
      const ratio = total !== undefined && total > 0 ? Math.min(1, counts.fetched / total) : undefined;
      const bar =
        ratio === undefined
          ? ''
          : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${Math.round(ratio * 100)}% `;
      showStatus(
        stream,
        `${progress.source} ${bar}${counts.fetched}${total === undefined ? '' : `/${total}`} fetched, ${counts.created} new, ${counts.updated} updated, page ${progress.pages}`,
      );
    },
    done() {
      clearStatus(stream);
    },
  };
}

/** The one-line summary printed at the end of a harvest or import. */
export function summarizeRun(run: HarvestRun): string {
  const seconds = run.finishedAt === null ? '?' : ((run.finishedAt - run.startedAt) / 1000).toFixed(1);
  const counts = `fetched ${run.fetched}, created ${run.created}, updated ${run.updated}, unchanged ${run.unchanged}, removed ${run.removed}, restored ${run.restored}, skipped ${run.skipped}`;
  const error = run.errorMessage === null ? '' : ` — ${run.errorMessage}`;
  return `${run.source}: ${run.status} (run ${run.id}, ${seconds} s) — ${counts}${error}`;
}
