/**
 * `trialwatch serve`: migrate, import the bundled snapshot into an empty database, then listen.
 * Shutdown on SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database.
 */
import { buildApp } from '../api/app.js';
import { messageOf } from '../errors/app-error.js';
import { bootstrapIfEmpty } from '../harvest/bootstrap.service.js';
import type { SourceInfo } from '../services/source.service.js';
import { SOURCE_ADAPTERS } from '../sources/registry.js';
import type { AppConfig } from '../config/config.js';
import { openContext } from './context.js';
import { summarizeRun } from './progress.js';

export function sourceInfos(config: AppConfig): SourceInfo[] {
  return SOURCE_ADAPTERS.map((adapter) => {
    const source = config.sources[adapter.id];
    return {
      id: adapter.id,
      name: adapter.name,
      enabled: source?.enabled ?? false,
      missing: source?.missing ?? [],
      schedule: source?.schedule ?? '',
      timeZone: source?.timeZone ?? 'UTC',
    };
  });
}

export async function serve(options: { scheduler: boolean }): Promise<void> {
  const context = await openContext();
  const { config, log, store } = context;
  if (config.bootstrap) {
    try {
      const run = await bootstrapIfEmpty(context.harvestDeps);
      if (run !== undefined) log.info({ runId: run.id }, `bootstrap import: ${summarizeRun(run)}`);
    } catch (error) {
      log.error({ err: error }, `bootstrap import failed: ${messageOf(error)}`);
    }
  }
  for (const source of sourceInfos(config)) {
    if (source.enabled && source.missing.length > 0) {
      log.warn(
        { source: source.id, missing: source.missing },
        `source ${source.id} is not configured: set ${source.missing.join(', ')}`,
      );
    }
  }
  if (options.scheduler)
    log.info('scheduled harvests are not part of this build yet; use `trialwatch harvest`');
  const app = await buildApp({ config, store, sources: sourceInfos(config), logger: log });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    app
      .close()
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
}
