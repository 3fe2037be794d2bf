/**
 * The SQLite file as the store opens it: checked to be trialwatch's before anything is written,
 * WAL mode, a bounded cache of prepared statements, migrations under one immediate transaction,
 * and rollbacks that survive SQLite ending a transaction by itself. dialect.ts picks it for a
 * `sqlite:` database.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type {
  DatabaseConnection,
  Driver,
  Kysely,
  MigrationLockOptions,
  SqliteDatabase,
  SqliteDialectConfig,
  SqliteStatement,
} from 'kysely';
import { SqliteAdapter, SqliteDialect, SqliteDriver, sql } from 'kysely';
import { ownershipProblem } from './ownership.js';

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

/**
 * SQLite ends a transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…); the
 * ROLLBACK Kysely then sends fails with "cannot rollback - no transaction is active", and that error
 * replaces the real one. A rollback of a transaction SQLite already rolled back is skipped.
 */
class RollbackSafeSqliteDriver extends SqliteDriver {
  readonly #inTransaction: () => boolean;

  constructor(config: SqliteDialectConfig, inTransaction: () => boolean) {
    super(config);
    this.#inTransaction = inTransaction;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#inTransaction()) return;
    await super.rollbackTransaction(connection);
  }
}

class LockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #inTransaction: () => boolean;

  constructor(config: SqliteDialectConfig, inTransaction: () => boolean) {
    super(config);
    this.#config = config;
    this.#inTransaction = inTransaction;
  }

  override createAdapter(): SqliteAdapter {
    return new LockingSqliteAdapter();
  }

  override createDriver(): Driver {
    return new RollbackSafeSqliteDriver(this.#config, this.#inTransaction);
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

/** The tables of the database (its main schema), bookkeeping of the engine itself left out. */
function sqliteTables(database: BetterSqlite3.Database): string[] {
  return database
    .prepare(
      "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite\\_%' escape '\\'",
    )
    .pluck()
    .all() as string[];
}

/**
 * Opens the SQLite file, refusing another application's database before changing anything in it
 * (setting WAL mode writes the file header, so the check comes first). Runs on Kysely's first
 * query, so a refused database fails every query with the reason.
 */
function openSqlite(path: string, location: string): BetterSqlite3.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  try {
    database.pragma('busy_timeout = 15000');
    const tables = sqliteTables(database);
    const applied = tables.includes('kysely_migration')
      ? (database.prepare('select name from kysely_migration').pluck().all() as string[])
      : [];
    const problem = ownershipProblem(tables, applied, location);
    if (problem !== undefined) throw problem;
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/**
 * The Kysely dialect of the SQLite file at `path` (or `:memory:`), and its absolute location for
 * messages. The file is opened on Kysely's first query.
 */
export function createSqliteDialect(path: string): { dialect: SqliteDialect; location: string } {
  const location = path === ':memory:' ? ':memory:' : resolve(path);
  let database: BetterSqlite3.Database | undefined;
  const dialect = new LockingSqliteDialect(
    {
      database: () => {
        database = openSqlite(path, location);
        return Promise.resolve(cachingSqliteDatabase(database));
      },
    },
    () => database?.inTransaction === true,
  );
  return { dialect, location };
}
