import { Kysely, Migrator } from 'kysely';
import type { DatabaseConfig } from '../config/config.js';
import { AppError, isAppError, messageOf } from '../errors/app-error.js';
import type { DialectInfo, DialectOptions } from './dialect.js';
import { createDialect, withoutQueryTimeout } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** An open database: the Kysely instance, what kind it is, and how to close it. */
export interface Store {
  db: Db;
  dialect: DialectInfo;
  close(): Promise<void>;
}

export function openStore(config: DatabaseConfig, options: DialectOptions = {}): Store {
  const { dialect, info } = createDialect(config, options);
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: info, close: () => db.destroy() };
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
    throw new AppError('DATABASE_UNAVAILABLE', `Migration failed: ${messageOf(error)}`, {
      cause: error,
      details: { results: report },
    });
  }
  return report;
}

/** Whether every bundled migration has been applied (readiness). */
export async function migrationsPending(db: Db): Promise<number> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const migrations = await migrator.getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).length;
}
