/**
 * Wiring shared by every CLI command: the config (from the environment and `.env`), the logger, the
 * store (migrated), and the harvest dependencies. Order matters: config first (fail fast on a bad
 * one, before any file or connection is opened), then the store, then migrations.
 */
import pino from 'pino';
import type { AppConfig } from '../config/config.js';
import { buildConfig, loadDotEnv } from '../config/config.js';
import type { HarvestDeps } from '../harvest/harvest.service.js';
import { defaultHolder } from '../harvest/harvest.service.js';
import { DEFAULT_SOURCES, SOURCE_ADAPTERS, sourceConfigParsers } from '../sources/registry.js';
import type { Store } from '../services/database.service.js';
import { migrateToLatest, openStore } from '../services/database.service.js';
import type { SourceInfo } from '../services/source.service.js';
import { prettyDestination } from './terminal.js';

export type AppLogger = pino.Logger;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  loadDotEnv();
  return buildConfig(env, sourceConfigParsers(), DEFAULT_SOURCES);
}

/**
 * The logger on stderr: JSON lines (for a log collector), or text lines when stderr is a terminal
 * (a person reads them; they never break into the progress line, see terminal.ts).
 */
export function createLogger(config: AppConfig, stderr: NodeJS.WriteStream = process.stderr): AppLogger {
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '***' },
    },
    stderr.isTTY ? prettyDestination(stderr) : pino.destination({ dest: 2, sync: true }),
  );
}

/** Each registered source as the API and `sources` show it, from the config. */
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
      // Old versions are shown as the source's mapper reads their stored raw record.
      map: (raw: unknown) => {
        const mapped = adapter.map(raw);
        return { fields: mapped.fields, sourceFields: mapped.sourceFields };
      },
    };
  });
}

/** Batch work (harvests, imports, webhook delivery, the CLI): one statement may take this long. */
export const BATCH_STATEMENT_LIMIT_MS = 10 * 60_000;

/**
 * PostgreSQL time limits. For a process that answers requests they fit inside the request
 * timeout, so an unreachable database is answered 503 DATABASE_UNAVAILABLE (not REQUEST_TIMEOUT,
 * not a hang): waiting for a connection takes at most a quarter of it (0.5 to 5 s), one statement
 * the rest but a second of margin; without a request timeout, 5 s to connect and statements
 * unbounded. Batch work (`answersRequests` false) keeps the connect limit but lets one statement
 * run for BATCH_STATEMENT_LIMIT_MS: a reconcile or backfill over a large mirror may rightly take
 * longer than any request, and a connection that stops answering still fails in the end.
 */
export function databaseTimeouts(
  requestTimeoutMs: number,
  answersRequests = true,
): {
  connectTimeoutMs: number;
  queryTimeoutMs?: number;
} {
  if (requestTimeoutMs <= 0) {
    return answersRequests
      ? { connectTimeoutMs: 5_000 }
      : { connectTimeoutMs: 5_000, queryTimeoutMs: BATCH_STATEMENT_LIMIT_MS };
  }
  const connectTimeoutMs = Math.min(5_000, Math.max(500, Math.floor(requestTimeoutMs / 4)));
  if (!answersRequests) return { connectTimeoutMs, queryTimeoutMs: BATCH_STATEMENT_LIMIT_MS };
  return { connectTimeoutMs, queryTimeoutMs: Math.max(500, requestTimeoutMs - connectTimeoutMs - 1_000) };
}

export interface CliContext {
  config: AppConfig;
  log: AppLogger;
  store: Store;
  harvestDeps: HarvestDeps;
  close(): Promise<void>;
}

export async function openContext(
  options: {
    migrate?: boolean;
    /** Database connections (PostgreSQL), or how many the loaded config calls for. */
    poolSize?: number | ((config: AppConfig) => number);
    /** SQLite reader threads for long reads (Store.reads), bounded by REQUEST_TIMEOUT_MS. */
    readerThreads?: number;
    /** Whether this process answers HTTP requests (`serve`): its statements fit the request time limit. */
    answersRequests?: boolean;
    /** Settings given on the command line, which win over the environment (`serve --port`). */
    overrides?: Partial<Pick<AppConfig, 'host' | 'port'>>;
  } = {},
): Promise<CliContext> {
  const loaded = loadConfig();
  const config =
    options.overrides === undefined ? loaded : Object.freeze({ ...loaded, ...options.overrides });
  const log = createLogger(config);
  const store = openStore(config.database, {
    ...databaseTimeouts(config.requestTimeoutMs, options.answersRequests ?? false),
    ...(options.poolSize === undefined
      ? {}
      : { poolSize: typeof options.poolSize === 'number' ? options.poolSize : options.poolSize(config) }),
    ...(options.readerThreads === undefined
      ? {}
      : { readers: { size: options.readerThreads, timeoutMs: config.requestTimeoutMs } }),
  });
  try {
    if (options.migrate !== false) {
      const report = await migrateToLatest(store.db);
      for (const result of report) log.info({ migration: result.name, status: result.status }, 'migration');
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const harvestDeps: HarvestDeps = { config, store, sources: SOURCE_ADAPTERS, log, holder: defaultHolder() };
  return { config, log, store, harvestDeps, close: () => store.close() };
}
