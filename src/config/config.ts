import { constants as bufferConstants } from 'node:buffer';
import type { Stats } from 'node:fs';
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { AppError, messageOf } from '../errors/app-error.js';
import { EnvReader } from './env-reader.js';

export type DatabaseConfig =
  { kind: 'sqlite'; path: string; url: string } | { kind: 'postgres'; connectionString: string; url: string };

/** Settings every upstream call shares, per source (see `fetchUpstream`). */
export interface UpstreamConfig {
  /** Abort a request that has not finished after this many milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt, on network errors, 5xx and 429. */
  retries: number;
  /** First backoff delay; doubles per retry up to `maxBackoffMs`, with full jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Minimum milliseconds between two requests to the same source. */
  minIntervalMs: number;
}

/** The part of a source's config the harvest service and the API read; the adapter reads the rest. */
export interface SourceConfigBase {
  enabled: boolean;
  /** The names of the missing settings that keep the source from running, empty when configured. */
  missing: string[];
  /** Cron expression and time zone of the scheduled harvest. */
  schedule: string;
  timeZone: string;
  upstream: UpstreamConfig;
}

/** Webhook delivery (issue 18); every duration in milliseconds, as the names say. */
export interface WebhookConfig {
  /** Destinations on loopback, private, link-local and metadata addresses are allowed (tests). */
  allowPrivate: boolean;
  /** Hosts (names or addresses, lower case) that may be reached over plain http. */
  allowHttpHosts: readonly string[];
  /** Delay before each retry after a failed attempt; one attempt plus one retry per entry. */
  retryScheduleMs: readonly number[];
  /** An endpoint failing for longer than this (since its last success) is disabled. */
  disableAfterMs: number;
  /** One attempt's time limit, connection to the end of the (capped) response. */
  timeoutMs: number;
  /** How often the delivery worker looks for new change events and due retries. */
  pollIntervalMs: number;
  /** An endpoint's delivery lease lasts this long without renewal. */
  leaseTtlMs: number;
  /** Endpoints one webhook process delivers to at once (each one in feed order). */
  concurrentEndpoints: number;
  /** After a secret rotation, deliveries are signed with the old secret too for this long. */
  secretOverlapMs: number;
  /** Delivery log entries (not pending) older than this are pruned. */
  logMaxAgeMs: number;
  /** At most this many delivery log entries are kept per endpoint (the newest; pending ones always). */
  logMaxRowsPerEndpoint: number;
}

/** About 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000,
] as const;

export interface AppConfig {
  database: DatabaseConfig;
  host: string;
  port: number;
  adminToken: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bundled snapshot import when the database is empty at start-up. */
  bootstrap: boolean;
  /**
   * How long a harvest lease lasts without renewal (ms). A process that dies mid-harvest holds its
   * source for at most this long (on the same host a dead holder is noticed at once).
   */
  harvestLeaseTtlMs: number;
  /** `serve`: the V8 heap limit of each harvest process (MiB); 0 leaves Node's default. */
  harvestMaxHeapMb: number;
  /** Origins allowed by CORS (`*` for any); empty: CORS off. */
  corsOrigins: readonly string[];
  /** Requests per minute per client address; 0: no limit. */
  rateLimitPerMinute: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** A request not answered in this time gets 503; 0: no limit. */
  requestTimeoutMs: number;
  /** Fastify's trustProxy: false, true, a hop count, or a comma list of addresses/CIDRs. */
  trustProxy: boolean | number | string;
  /**
   * Largest file `trialwatch import` reads (bytes), checked before it is read: a file is read,
   * decoded and parsed whole, which takes a few times its size in memory.
   */
  importMaxFileBytes: number;
  /**
   * Key of the page cursors' MAC (`CURSOR_SECRET`); undefined: the one generated once and kept in
   * the database, which every process of the deployment reads.
   */
  cursorSecret: string | undefined;
  webhooks: WebhookConfig;
  sources: Readonly<Record<string, SourceConfigBase>>;
}

/** 256 MiB: several times the largest file a source offers for download (see the README). */
export const DEFAULT_IMPORT_MAX_FILE_BYTES = 268_435_456;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A source's config parser: reads its own keys, adding problems to the reader. */
export type SourceConfigParser = (reader: EnvReader, enabled: boolean) => SourceConfigBase;

/** Reads the upstream settings of one source, with `<PREFIX>_` keys and per-source defaults. */
export function readUpstreamConfig(
  reader: EnvReader,
  prefix: string,
  defaults: Partial<UpstreamConfig> = {},
): UpstreamConfig {
  return {
    timeoutMs: reader.integer(`${prefix}_TIMEOUT_MS`, defaults.timeoutMs ?? 30_000, {
      min: 100,
      max: 600_000,
    }),
    retries: reader.integer(`${prefix}_RETRIES`, defaults.retries ?? 4, { min: 0, max: 20 }),
    backoffMs: reader.integer(`${prefix}_BACKOFF_MS`, defaults.backoffMs ?? 1_000, { min: 0, max: 600_000 }),
    maxBackoffMs: reader.integer(`${prefix}_MAX_BACKOFF_MS`, defaults.maxBackoffMs ?? 60_000, {
      min: 0,
      max: 3_600_000,
    }),
    minIntervalMs: reader.integer(`${prefix}_MIN_INTERVAL_MS`, defaults.minIntervalMs ?? 0, {
      min: 0,
      max: 600_000,
    }),
  };
}

/**
 * Reads `<PREFIX>_SCHEDULE` and `<PREFIX>_TIMEZONE`, both checked here (the pattern in its own time
 * zone) so that `serve`, `harvest` and `sources` refuse a schedule the scheduler could not run.
 */
export function readSchedule(
  reader: EnvReader,
  prefix: string,
  defaults: { schedule: string; timeZone: string },
): { schedule: string; timeZone: string } {
  const timeZone = reader.timeZone(`${prefix}_TIMEZONE`, defaults.timeZone);
  return { schedule: reader.cron(`${prefix}_SCHEDULE`, defaults.schedule, timeZone), timeZone };
}

export function parseDatabaseUrl(value: string): DatabaseConfig | undefined {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') return undefined;
    return { kind: 'sqlite', path, url: value };
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    return { kind: 'postgres', connectionString: value, url: redactUrlPassword(value) };
  }
  return undefined;
}

function redactUrlPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://***';
  }
}

/**
 * Builds the one frozen config from an environment map. `sourceParsers` come from the source
 * registry (config sits below sources in the layering, so it is handed them). Throws one
 * `CONFIG_INVALID` error naming every bad key.
 */
export function buildConfig(
  env: Readonly<Record<string, string | undefined>>,
  sourceParsers: Readonly<Record<string, SourceConfigParser>>,
  defaultSources: readonly string[],
): AppConfig {
  const reader = new EnvReader(env);
  const databaseUrl = reader.string('DATABASE_URL', 'sqlite:./data/trialwatch.db');
  let database = parseDatabaseUrl(databaseUrl);
  if (database === undefined) {
    reader.problems.push(
      `DATABASE_URL must be sqlite:PATH or postgres://… (got "${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}")`,
    );
    database = { kind: 'sqlite', path: './data/trialwatch.db', url: 'sqlite:./data/trialwatch.db' };
  } else if (database.kind === 'sqlite') {
    const problem = sqlitePathProblem(database.path);
    if (problem !== undefined) reader.problems.push(`DATABASE_URL ${problem}`);
  }
  const enabled = reader.list('SOURCES', defaultSources);
  for (const id of enabled) {
    if (!(id in sourceParsers)) {
      reader.problems.push(
        `SOURCES names an unknown source "${id}" (known: ${Object.keys(sourceParsers).join(', ')})`,
      );
    }
  }
  const sources: Record<string, SourceConfigBase> = {};
  for (const [id, parse] of Object.entries(sourceParsers)) {
    sources[id] = Object.freeze(parse(reader, enabled.includes(id)));
  }
  const config: AppConfig = {
    database,
    host: reader.string('HOST', '0.0.0.0'),
    port: reader.integer('PORT', 8000, { min: 0, max: 65535 }),
    adminToken: reader.optionalString('ADMIN_TOKEN'),
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    bootstrap: reader.boolean('BOOTSTRAP_SNAPSHOT', true),
    harvestLeaseTtlMs: reader.integer('HARVEST_LEASE_TTL_MS', 60_000, { min: 1_000, max: 3_600_000 }),
    harvestMaxHeapMb: reader.integer('HARVEST_MAX_HEAP_MB', 0, { min: 0, max: 1_048_576 }),
    corsOrigins: readCorsOrigins(reader),
    rateLimitPerMinute: reader.integer('RATE_LIMIT_PER_MINUTE', 1_200, { min: 0, max: 1_000_000 }),
    bodyLimitBytes: reader.integer('BODY_LIMIT_BYTES', 65_536, { min: 1_024, max: 104_857_600 }),
    requestTimeoutMs: readRequestTimeout(reader),
    trustProxy: readTrustProxy(reader),
    // Above the longest string V8 can make, the decoded text of a file could not exist at all.
    importMaxFileBytes: reader.integer('IMPORT_MAX_FILE_BYTES', DEFAULT_IMPORT_MAX_FILE_BYTES, {
      min: 1_024,
      max: bufferConstants.MAX_STRING_LENGTH,
    }),
    cursorSecret: reader.optionalString('CURSOR_SECRET'),
    webhooks: readWebhookConfig(reader),
    sources: Object.freeze(sources),
  };
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    reader.problems.push('ADMIN_TOKEN must be at least 16 characters long');
  }
  if (config.harvestMaxHeapMb > 0 && config.harvestMaxHeapMb < 64) {
    reader.problems.push(
      `HARVEST_MAX_HEAP_MB must be 0 (Node's default) or at least 64 (got ${config.harvestMaxHeapMb})`,
    );
  }
  if (config.cursorSecret !== undefined && config.cursorSecret.length < 32) {
    reader.problems.push('CURSOR_SECRET must be at least 32 characters long');
  }
  if (reader.problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${reader.problems.join('; ')}`, {
      details: { problems: reader.problems },
    });
  }
  return Object.freeze(config);
}

function readWebhookConfig(reader: EnvReader): WebhookConfig {
  const scheduleText = reader.list(
    'WEBHOOK_RETRY_SCHEDULE_MS',
    DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.map(String),
  );
  const retryScheduleMs = scheduleText.map(Number);
  if (
    scheduleText.length > 20 ||
    !scheduleText.every((item) => /^\d+$/.test(item)) ||
    retryScheduleMs.some((ms) => ms > 604_800_000)
  ) {
    reader.problems.push(
      `WEBHOOK_RETRY_SCHEDULE_MS must be a comma list of at most 20 delays in milliseconds, each at most 604800000 (got "${scheduleText.join(',')}")`,
    );
  }
  return Object.freeze({
    allowPrivate: reader.boolean('WEBHOOK_ALLOW_PRIVATE', false),
    allowHttpHosts: Object.freeze(
      reader.list('WEBHOOK_ALLOW_HTTP_HOSTS', []).map((host) => host.toLowerCase()),
    ),
    retryScheduleMs: Object.freeze(retryScheduleMs.filter((ms) => Number.isSafeInteger(ms))),
    disableAfterMs: reader.integer('WEBHOOK_DISABLE_AFTER_MS', 259_200_000, {
      min: 1_000,
      max: 31_536_000_000,
    }),
    timeoutMs: reader.integer('WEBHOOK_TIMEOUT_MS', 15_000, { min: 100, max: 120_000 }),
    pollIntervalMs: reader.integer('WEBHOOK_POLL_INTERVAL_MS', 1_000, { min: 10, max: 600_000 }),
    leaseTtlMs: reader.integer('WEBHOOK_LEASE_TTL_MS', 60_000, { min: 1_000, max: 3_600_000 }),
    concurrentEndpoints: reader.integer('WEBHOOK_CONCURRENT_ENDPOINTS', 16, { min: 1, max: 1_000 }),
    secretOverlapMs: reader.integer('WEBHOOK_SECRET_OVERLAP_MS', 86_400_000, {
      min: 0,
      max: 2_592_000_000,
    }),
    logMaxAgeMs: reader.integer('WEBHOOK_LOG_MAX_AGE_MS', 2_592_000_000, {
      min: 60_000,
      max: 31_536_000_000,
    }),
    logMaxRowsPerEndpoint: reader.integer('WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT', 10_000, {
      min: 10,
      max: 100_000_000,
    }),
  });
}

function readCorsOrigins(reader: EnvReader): string[] {
  const origins = reader.list('CORS_ORIGINS', []);
  for (const origin of origins) {
    if (origin === '*') continue;
    let ok = false;
    try {
      const url = new URL(origin);
      ok =
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        (url.pathname === '/' || url.pathname === '') &&
        url.search === '' &&
        url.username === '' &&
        !origin.replace(/\/$/, '').includes('/', url.protocol.length + 2);
    } catch {
      ok = false;
    }
    if (!ok)
      reader.problems.push(`CORS_ORIGINS must list * or origins like https://example.org (got "${origin}")`);
  }
  return origins;
}

function readRequestTimeout(reader: EnvReader): number {
  const value = reader.integer('REQUEST_TIMEOUT_MS', 30_000, { min: 0, max: 600_000 });
  if (value !== 0 && value < 1_000) {
    reader.problems.push(`REQUEST_TIMEOUT_MS must be 0 (off) or at least 1000 (got ${value})`);
    return 30_000;
  }
  return value;
}

/** The names proxy-addr (Fastify's trustProxy) accepts for address ranges. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Whether `item` is an address, `address/prefix` or `address/netmask` as Fastify's trustProxy takes. */
function isProxyAddress(item: string): boolean {
  if (TRUST_PROXY_NAMES.has(item)) return true;
  const [address = '', range, ...rest] = item.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

function readTrustProxy(reader: EnvReader): boolean | number | string {
  const value = reader.raw('TRUST_PROXY');
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const bad = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => !isProxyAddress(item));
  if (bad.length > 0) {
    reader.problems.push(
      `TRUST_PROXY must be true, false, a hop count, or a comma list of addresses, CIDRs and loopback/linklocal/uniquelocal (not ${bad.map((item) => `"${item}"`).join(', ')})`,
    );
    return false;
  }
  return value;
}

/** Whether nobody may write `mode` (root ignores the bits, so `access` alone would not tell). */
function markedReadOnly(mode: number): boolean {
  return (mode & 0o222) === 0;
}

function writable(path: string, mode: number): boolean {
  try {
    accessSync(path, fsConstants.W_OK);
  } catch {
    return false;
  }
  return !markedReadOnly(mode);
}

/**
 * Why a SQLite database file cannot be used at `path`, or undefined. SQLite writes the file and,
 * in WAL mode, `-wal` and `-shm` files beside it, so the file and its folder must be writable; a
 * missing folder is created at start-up, so its nearest existing ancestor must be a writable folder.
 * Checked without creating anything (a recursive mkdir under `/proc` never returns).
 */
export function sqlitePathProblem(path: string): string | undefined {
  if (path === ':memory:') return undefined;
  const shown = `sqlite:${path}`;
  const file = statOrUndefined(path);
  if (file !== undefined) {
    if (file.isDirectory()) return `names a directory, not a database file (${shown})`;
    if (!writable(path, file.mode)) return `names a read-only file (${shown})`;
  }
  let dir = dirname(resolve(path));
  for (;;) {
    const found = statOrUndefined(dir);
    if (found !== undefined) {
      if (!found.isDirectory()) return `cannot be created: ${dir} is not a directory (${shown})`;
      if (!writable(dir, found.mode))
        return `cannot be written: the directory ${dir} is read-only (${shown})`;
      return undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return `cannot be created (${shown})`;
    dir = parent;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Loads `.env` from the working directory into `process.env` when present (values already set in
 * the environment win). A `.env` that is there but cannot be read is a configuration error naming
 * it, not a start without its settings.
 */
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): void {
  const found = statOrUndefined(path);
  if (found === undefined) return;
  const fail = (reason: string, cause?: unknown): never => {
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${path} ${reason}`, {
      ...(cause === undefined ? {} : { cause }),
      details: { problems: [`${path} ${reason}`] },
    });
  };
  if (!found.isFile()) fail('is not a file (a directory?); remove it or make it a file of KEY=value lines');
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`, error);
  }
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (env[key] === undefined) env[key] = value;
  }
}
