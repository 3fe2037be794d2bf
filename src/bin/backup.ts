/**
 * `trialwatch backup FILE [--force]`: a consistent copy of the SQLite database, taken while the
 * service runs. With PostgreSQL it explains the `pg_dump` way instead (see the README, "Backups").
 */
import type { AppConfig } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { backupSqliteDatabase } from '../services/database.service.js';
import { loadConfig } from './context.js';

export interface BackupCommandOptions {
  /** Overwrite FILE when it exists. */
  force?: boolean;
}

export interface BackupCommandDeps {
  config: AppConfig;
  out: { write(text: string): unknown };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Runs the command; returns the exit code (errors are thrown as AppError, with a one-line message). */
export async function backupCommand(
  file: string,
  options: BackupCommandOptions = {},
  deps: BackupCommandDeps = { config: loadConfig(), out: process.stdout },
): Promise<number> {
  const { database } = deps.config;
  if (database.kind !== 'sqlite') {
    throw new AppError(
      'CONFIG_INVALID',
      `trialwatch backup copies a SQLite database, and DATABASE_URL is PostgreSQL (${database.url}): use pg_dump, e.g. pg_dump --format=custom --file=${file} "$DATABASE_URL" (see "Backups" in the README)`,
    );
  }
  if (database.path === ':memory:') {
    throw new AppError(
      'CONFIG_INVALID',
      'DATABASE_URL is an in-memory SQLite database: there is nothing to back up',
    );
  }
  const result = await backupSqliteDatabase(database.path, file, { overwrite: options.force === true });
  deps.out.write(
    `backup: ${database.path} → ${result.path} (${megabytes(result.bytes)}, ${result.pages} pages, integrity ok, ${(result.durationMs / 1000).toFixed(1)} s)\n`,
  );
  return 0;
}
