import { Kysely, Migrator } from 'kysely';
import type { DatabaseConfig } from '../config/config.js';
import { AppError, isAppError, messageOf } from '../errors/app-error.js';
import type { DialectInfo, DialectOptions } from './dialect.js';
import { createDialect, databaseErrorOf, withoutQueryTimeout } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqliteReaderPool, SqliteReaderPoolDialect } from './sqlite-reader-pool.js';

export type Db = Kysely<Database>;

/** An open database: the Kysely instance, what kind it is, and how to close it. */
export interface Store {
  db: Db;
  /**
   * For reads that can run long (lists, searches, counts, facets, exports). On a SQLite file opened
   * with `readers`, a pool of read-only connections on worker threads (sqlite-reader-pool.ts), so
   * they never stall the event loop; otherwise the same as `db` (PostgreSQL's driver is already
   * asynchronous). Never used for writes.
   */
  reads: Db;
  dialect: DialectInfo;
  close(): Promise<void>;
}

export interface OpenStoreOptions extends DialectOptions {
  /** SQLite: reader threads for `reads`, and how long one of their queries may take (ms; 0 = no limit). */
  readers?: { size: number; timeoutMs: number };
}

export function openStore(config: DatabaseConfig, options: OpenStoreOptions = {}): Store {
  const { dialect, info } = createDialect(config, options);
  const db = new Kysely<Database>({ dialect });
  const { readers } = options;
  if (config.kind !== 'sqlite' || config.path === ':memory:' || readers === undefined || readers.size < 1) {
    return { db, reads: db, dialect: info, close: () => db.destroy() };
  }
  const pool = new SqliteReaderPool({ path: config.path, size: readers.size, timeoutMs: readers.timeoutMs });
  const reads = new Kysely<Database>({ dialect: new SqliteReaderPoolDialect(pool) });
  return {
    db,
    reads,
    dialect: info,
    close: async () => {
      await reads.destroy();
      await db.destroy();
    },
  };
}

export interface MigrationReport {
  name: string;
  status: 'Success' | 'Error' | 'NotExecuted';
}

/**
 * Applies every bundled migration not yet applied. Safe when several processes start at once
 * (PostgreSQL: advisory lock; SQLite: an immediate transaction). Returns every result.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await withoutQueryTimeout(() => migrator.migrateToLatest());
  const report = (results ?? []).map((result) => ({ name: result.migrationName, status: result.status }));
  // Refused before anything was written: the reason as it is, not as a failed migration.
  if (isAppError(error) && error.code === 'DATABASE_NOT_TRIALWATCH') throw error;
  if (error !== undefined) {
    // A connection lost or a disk full mid-migration says so, as any other query would.
    const named = databaseErrorOf(error);
    throw new AppError(
      named?.code ?? 'DATABASE_UNAVAILABLE',
      `Migration failed: ${messageOf(named ?? error)}`,
      {
        cause: error,
        details: { results: report },
      },
    );
  }
  return report;
}

/** Whether every bundled migration has been applied (readiness). */
export async function migrationsPending(db: Db): Promise<number> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const migrations = await migrator.getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).length;
}
