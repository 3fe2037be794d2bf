/**
 * `trialwatch serve`: the API and the scheduled harvests in one process.
 *
 * Start-up order: config and migrations (openContext), the bundled snapshot into an empty database
 * (so the first request already finds real data), the app, listen, and only then the scheduler —
 * the API answers at once while a catch-up harvest runs.
 * Harvests (scheduled or started by the admin route) run in child processes (harvest/child-runner.ts),
 * webhook deliveries in one more (webhooks/delivery-runner.ts).
 * Shutdown on SIGTERM/SIGINT: stop accepting and let in-flight requests finish (app.close), stop
 * running harvests at a record boundary (their runs are marked interrupted), close the database.
 */
import { buildApp } from '../api/app.js';
import { messageOf } from '../errors/app-error.js';
import { bootstrapIfEmpty } from '../harvest/bootstrap.service.js';
import { childProcessRunner } from '../harvest/child-runner.js';
import { abandonRunsOfStoppedProcesses, metricsSnapshotOf } from '../services/operations.service.js';
import { HarvestCoordinator } from '../harvest/coordinator.service.js';
import { Scheduler } from '../harvest/scheduler.service.js';
import { Metrics } from '../metrics/metrics.js';
import { startWebhookProcess } from '../webhooks/delivery-runner.js';
import { openContext, sourceInfos } from './context.js';
import { summarizeRun } from './progress.js';

/** SQLite reader threads: one per core of the 2-core machines this is sized for; PostgreSQL ignores it. */
const READER_THREADS = 2;

export interface ServeOptions {
  scheduler: boolean;
  /** `--port` and `--host`, instead of PORT and HOST. */
  port?: number;
  host?: string;
}

export async function serve(options: ServeOptions): Promise<void> {
  // Long reads on SQLite run on reader threads, bounded by the request time limit (Store.reads).
  const context = await openContext({
    answersRequests: true,
    readerThreads: READER_THREADS,
    overrides: {
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
    },
  });
  const { config, log, store } = context;
  const metrics = new Metrics();
  metrics.useSnapshot(metricsSnapshotOf(store.db));
  const harvestDeps = { ...context.harvestDeps, observer: metrics.upstreamObserver() };
  // A run whose heartbeat is older than two lease periods belongs to a dead process.
  const staleRunMs = 2 * config.harvestLeaseTtlMs;

  const abandoned = await abandonRunsOfStoppedProcesses(store.db, staleRunMs);
  if (abandoned.length > 0) log.warn({ runs: abandoned }, 'marked runs of stopped processes as abandoned');
  if (config.bootstrap) {
    try {
      const run = await bootstrapIfEmpty(harvestDeps);
      if (run !== undefined) log.info({ runId: run.id }, `bootstrap import: ${summarizeRun(run)}`);
    } catch (error) {
      log.error({ err: error }, `bootstrap import failed: ${messageOf(error)}`);
    }
  }

  const infos = sourceInfos(config);
  for (const source of infos) {
    if (source.enabled && source.missing.length > 0) {
      log.warn(
        { source: source.id, missing: source.missing },
        `source ${source.id} is not configured: set ${source.missing.join(', ')}`,
      );
    }
  }
  // Every harvest runs in a child process: the API's event loop does request work only.
  const coordinator = new HarvestCoordinator(harvestDeps, {
    onFinished: (run) => metrics.recordRun(run),
    runner: childProcessRunner({
      db: store.db,
      log,
      observer: harvestDeps.observer,
      ...(config.harvestMaxHeapMb > 0 ? { maxHeapMb: config.harvestMaxHeapMb } : {}),
    }),
  });
  const scheduled = infos.filter((source) => source.enabled && source.missing.length === 0);
  const scheduler = options.scheduler
    ? new Scheduler({
        db: store.db,
        coordinator,
        sources: scheduled.map((source) => ({
          id: source.id,
          schedule: source.schedule,
          timeZone: source.timeZone,
          mode: 'incremental' as const,
        })),
        log,
      })
    : undefined;

  const app = await buildApp({
    config,
    store,
    sources: infos,
    logger: log,
    coordinator,
    metrics,
    ...(scheduler === undefined ? {} : { nextRunAt: (source: string) => scheduler.nextRunAt(source) }),
  });

  // Another process may die mid-harvest at any time: keep marking its runs abandoned.
  const sweeper = setInterval(() => {
    abandonRunsOfStoppedProcesses(store.db, staleRunMs).catch((error: unknown) =>
      log.warn({ err: error }, 'could not sweep stale runs'),
    );
  }, config.harvestLeaseTtlMs);
  sweeper.unref();

  // Webhook deliveries run in a child process of their own, like harvests; it is started again if
  // it ends. It reads the change feed from the database, so it needs nothing from this process.
  const webhooks = startWebhookProcess({ log });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    app
      .close()
      .then(() => webhooks.stop())
      .then(() => (scheduler === undefined ? coordinator.stopAll() : scheduler.stop()))
      .then(() => context.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  if (scheduler !== undefined) {
    await scheduler.start();
    log.info(
      { sources: scheduled.map((source) => `${source.id} (${source.schedule} ${source.timeZone})`) },
      scheduled.length === 0 ? 'scheduler: no configured source to schedule' : 'scheduler started',
    );
  }
}
