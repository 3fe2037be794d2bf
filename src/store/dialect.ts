/**
 * Every SQLite/PostgreSQL difference lives here, as capabilities and small helpers. Nothing
 * else branches on the dialect.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely, MigrationLockOptions, SqliteDatabase, SqliteStatement, Transaction } from 'kysely';
import { PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectInfo {
  name: DialectName;
  /** Whether several processes can share the database (and so need the change-feed lock). */
  multiProcess: boolean;
}

/**
 * SQLite migrations run inside one `BEGIN IMMEDIATE` transaction, so a second process starting at
 * the same moment waits (busy timeout) and then finds the work done, instead of racing.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    await sql`commit`.execute(db);
  }
}

class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new LockingSqliteAdapter();
  }
}

/** Prepared statements kept per database connection (SQLite), least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 database as Kysely's SQLite driver sees it, with `prepare` answering from a
 * bounded LRU cache keyed by SQL text. Kysely's driver prepares every statement on every execution,
 * which inside a write transaction costs about as much as running it (see bench/BASELINE.md); a
 * statement is a compiled program that can be run again with new parameters, so reusing it changes
 * nothing Kysely relies on (`reader`, `run` → changes and lastInsertRowid, `all`, `iterate`).
 * A cached statement that is still busy (an unfinished `iterate`) is not shared: the caller gets a
 * fresh one.
 */
export function cachingSqliteDatabase(
  database: BetterSqlite3.Database,
  capacity = STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cachedStatements: number } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    get cachedStatements() {
      return cache.size;
    },
    close(): void {
      cache.clear();
      database.close();
    },
    prepare(sqlText: string): SqliteStatement {
      const cached = cache.get(sqlText);
      if (cached !== undefined) {
        if (cached.busy) return database.prepare(sqlText);
        // Map iteration order is insertion order: re-inserting marks it most recently used.
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = database.prepare(sqlText);
      cache.set(sqlText, statement);
      if (cache.size > capacity) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      return statement;
    },
  };
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

export function createDialect(config: DatabaseConfig, options: { poolSize?: number } = {}): OpenedDialect {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const database = new BetterSqlite3(config.path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 15000');
    database.pragma('foreign_keys = ON');
    return {
      dialect: new LockingSqliteDialect({ database: cachingSqliteDatabase(database) }),
      info: { name: 'sqlite', multiProcess: false },
    };
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: options.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), info: { name: 'postgres', multiProcess: true } };
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
