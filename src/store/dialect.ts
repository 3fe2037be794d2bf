/**
 * Every SQLite/PostgreSQL difference lives here, as capabilities and small helpers, with the SQLite
 * file's connection in sqlite-connection.ts. Nothing else branches on the dialect.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, PostgresPool, PostgresPoolClient, SqliteDialect, Transaction } from 'kysely';
import { PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { ownershipProblem } from './ownership.js';
import type { Database } from './schema.js';
import { createSqliteDialect } from './sqlite-connection.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectInfo {
  name: DialectName;
  /** Whether several processes can share the database (and so need the change-feed lock). */
  multiProcess: boolean;
  /** Where the database is, for error messages: the SQLite file's absolute path, or the URL without its password. */
  location?: string;
}

// PostgreSQL bigint (int8) and numeric counts arrive as strings by default; our times are epoch
// milliseconds, well inside the safe-integer range.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export interface OpenedDialect {
  dialect: SqliteDialect | PostgresDialect;
  info: DialectInfo;
}

export interface DialectOptions {
  /** PostgreSQL connections at most (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL: how long to wait for a connection (a free one from the pool or a new one), in ms
   * (default 5000). Past it the query fails as DATABASE_UNAVAILABLE.
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: how long one statement may go unanswered, in ms (default: no limit). Past it the
   * statement fails as DATABASE_UNAVAILABLE and its connection is thrown away: the server stopped
   * answering (packets dropped), or the statement is too slow to be worth waiting for. Migrations
   * are exempt (see `withoutQueryTimeout`).
   */
  queryTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Set while migrations run: their statements (index builds on a large table) may rightly take long. */
const queryTimeoutExempt = new AsyncLocalStorage<true>();

/** Runs `work` with no statement time limit on PostgreSQL (migrations). */
export function withoutQueryTimeout<T>(work: () => Promise<T>): Promise<T> {
  return queryTimeoutExempt.run(true, work);
}

/** What we know of one pooled PostgreSQL client. */
interface ClientState {
  /** The error that made the connection unusable: later statements fail with it, release drops it. */
  lost: Error | undefined;
  wrapper: PostgresPoolClient;
}

/**
 * The pg pool as Kysely sees it, made to survive connections that drop or stop answering:
 * - every client has an 'error' listener for its whole life. pg emits 'error' on a client whose
 *   connection ends (server restart, `pg_terminate_backend`, network reset) while no statement is
 *   running on it; the pool listens only while the client is idle, so a checked-out client (inside a
 *   transaction, between statements) would otherwise crash the process (`Unhandled 'error' event`);
 * - a client whose connection was lost, or whose statement timed out (its answer may still come,
 *   out of turn), is dropped on release, not returned to the pool: the pool opens a fresh one when
 *   the database is back;
 * - a statement on a lost client fails with the error that lost it (not "not queryable"), so a
 *   transaction's failed ROLLBACK, which Kysely throws in place of the first error, names the cause.
 */
function resilientPool(pool: pg.Pool, queryTimeoutMs: number | undefined, location: string): PostgresPool {
  const states = new WeakMap<pg.PoolClient, ClientState>();
  const connectionLost = (state: ClientState, error: unknown) => {
    if (state.lost === undefined && isConnectionLostError(error)) state.lost = error as Error;
  };
  const stateOf = (client: pg.PoolClient): ClientState => {
    const known = states.get(client);
    if (known !== undefined) return known;
    const state: ClientState = {
      lost: undefined,
      wrapper: {
        query: ((...args: unknown[]) => {
          const [text, values] = args;
          // A cursor object (streaming): passed through as it is.
          if (typeof text !== 'string')
            return (client.query as (...a: unknown[]) => unknown).apply(client, args);
          if (state.lost !== undefined) return Promise.reject(state.lost);
          const timeout = queryTimeoutExempt.getStore() === true ? undefined : queryTimeoutMs;
          const config: pg.QueryConfig = { text, values: values as unknown[] | undefined };
          if (timeout !== undefined) (config as { query_timeout?: number }).query_timeout = timeout;
          return client.query(config).catch((error: unknown) => {
            connectionLost(state, error);
            throw error;
          });
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(state.lost ?? destroy === true),
      },
    };
    // An 'error' event always means the connection is gone, whatever its code.
    client.on('error', (error) => {
      state.lost ??= error;
    });
    states.set(client, state);
    return state;
  };
  // Before any statement runs on a new client: its 'error' listener is in place from the start.
  pool.on('connect', (client) => void stateOf(client));
  // Another application's database is refused before anything (a migration) writes to it: once
  // per pool, on the first connection; a check that could not run (unreachable) runs again next time.
  let owned: Promise<void> | undefined;
  return {
    connect: async () => {
      const client = await pool.connect();
      try {
        owned ??= postgresOwnership(client, location).catch((error: unknown) => {
          owned = undefined;
          throw error;
        });
        await owned;
      } catch (error) {
        client.release(true);
        throw error;
      }
      return stateOf(client).wrapper;
    },
    end: () => pool.end(),
  };
}

export function createDialect(config: DatabaseConfig, options: DialectOptions = {}): OpenedDialect {
  if (config.kind === 'sqlite') {
    const { dialect, location } = createSqliteDialect(config.path);
    return { dialect, info: { name: 'sqlite', multiProcess: false, location } };
  }
  const location = config.url;
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: options.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // Dead idle connections (a peer gone without a word) are noticed by TCP instead of by a query.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client that loses its connection is removed by the pool; nothing else to do.
  pool.on('error', () => undefined);
  const dialect = new PostgresDialect({ pool: resilientPool(pool, options.queryTimeoutMs, location) });
  return { dialect, info: { name: 'postgres', multiProcess: true, location } };
}

async function postgresOwnership(client: pg.PoolClient, location: string): Promise<void> {
  const tables = await client.query<{ name: string }>(
    'select table_name as name from information_schema.tables where table_schema = current_schema()',
  );
  const names = tables.rows.map((row) => row.name);
  const applied = names.includes('kysely_migration')
    ? (await client.query<{ name: string }>('select name from kysely_migration')).rows.map((row) => row.name)
    : [];
  const problem = ownershipProblem(names, applied, location);
  if (problem !== undefined) throw problem;
}

/**
 * Makes change events commit in sequence order across processes: on PostgreSQL a transaction-level
 * advisory lock serialises the writers of the change feed, so a reader paging by `seq` never skips a
 * row that commits late with a smaller number. SQLite has one writer at a time already.
 */
export async function lockChangeFeed(trx: Transaction<Database>, info: DialectInfo): Promise<void> {
  if (info.name === 'postgres') await sql`select pg_advisory_xact_lock(72010001)`.execute(trx);
}

/** `PRAGMA integrity_check` on SQLite; PostgreSQL has no equivalent and answers "ok". */
export async function integrityCheck(db: Kysely<Database>, info: DialectInfo): Promise<string> {
  if (info.name !== 'sqlite') return 'ok';
  const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return result.rows.map((row) => row.integrity_check).join('; ');
}

/** Whether an error is the database refusing a write because another writer holds the lock. */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === '40001' || code === '40P01';
}

/** Connection-level failures: network errno, PostgreSQL classes 08 and 57P, too many clients. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * pg's own failures carry no code, only a message: a pool wait or a connect that timed out, a
 * connection that ended, a statement past `query_timeout`, a pool shut down.
 */
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Query read timeout$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^Connection closed$/,
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error and its causes, outermost first (bounded: a cause chain can be circular). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error, depth = 0; current != null && depth < 5; depth++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** Whether an error means the connection to the database is gone or does not answer. */
export function isConnectionLostError(error: unknown): boolean {
  return causeChain(error).some((link) => {
    const code = codeOf(link);
    if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    const message = link instanceof Error ? link.message : '';
    return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
  });
}

/**
 * The one classification of database failures into the catalogue: the database unreachable or
 * not answering, busy past the busy timeout, or out of disk — or undefined for anything else (a
 * bug, a constraint). `info` names the database in the message (logs and run records only; the
 * API shows no 5xx details).
 */
export function databaseErrorOf(error: unknown, info?: DialectInfo): AppError | undefined {
  const where = info?.location === undefined ? '' : ` (${info.location})`;
  for (const link of causeChain(error)) {
    const code = codeOf(link) ?? '';
    const message = link instanceof Error ? link.message : String(link);
    if (code === 'SQLITE_FULL' || code === '53100') {
      return new AppError('DATABASE_FULL', `${code}: disk full writing the database${where}: ${message}`, {
        cause: error,
        retryAfterSeconds: 60,
      });
    }
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
      return new AppError(
        'DATABASE_UNAVAILABLE',
        `${code}: the database file cannot be read or written${where}: ${message}`,
        {
          cause: error,
          retryAfterSeconds: 1,
        },
      );
    }
  }
  if (isConnectionLostError(error) || isBusyError(error)) {
    return new AppError(
      'DATABASE_UNAVAILABLE',
      `The database is not reachable${where}: ${messageOfChain(error)}`,
      {
        cause: error,
        retryAfterSeconds: 1,
      },
    );
  }
  return undefined;
}

function messageOfChain(error: unknown): string {
  return causeChain(error)
    .map((link) => (link instanceof Error ? link.message : String(link)))
    .filter((message, index, all) => message !== '' && all.indexOf(message) === index)
    .join(': ');
}
