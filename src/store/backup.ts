/**
 * Online backup of the SQLite database with SQLite's backup API (through better-sqlite3), safe
 * while `trialwatch serve` or a harvest uses the database: it reads one consistent snapshot (WAL
 * readers never block writers), writes it to a temporary file next to the target, checks the
 * copy (`PRAGMA integrity_check`) and only then renames it into place, so FILE is either a whole,
 * checked backup or absent. PostgreSQL is backed up with `pg_dump` (see the README).
 */
import type { Stats } from 'node:fs';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { AppError, messageOf } from '../errors/app-error.js';

export interface SqliteBackupOptions {
  /** Replace an existing file at the target path (otherwise that is an error). */
  overwrite?: boolean;
  /**
   * Pages copied per step, between which the event loop runs (for a backup taken inside a busy
   * process). Default: the whole database in one step. The backup API starts a multi-step copy
   * over when another connection writes between two steps, which under steady writes would never
   * end; so after the first such restart the rest is copied in one step.
   */
  pagesPerStep?: number;
  /** Called after each step with the pages copied so far and the total. */
  onProgress?: (copiedPages: number, totalPages: number) => void;
}

export interface SqliteBackupResult {
  /** Absolute path of the backup file. */
  path: string;
  bytes: number;
  pages: number;
  durationMs: number;
}

/** Copies the SQLite database at `sourcePath` to `targetPath` (see the module comment). */
export async function backupSqliteDatabase(
  sourcePath: string,
  targetPath: string,
  options: SqliteBackupOptions = {},
): Promise<SqliteBackupResult> {
  const started = Date.now();
  const source = resolve(sourcePath);
  const target = resolve(targetPath);
  if (source === target) {
    throw new AppError('VALIDATION_FAILED', `The backup file cannot be the database itself (${target})`);
  }
  if (!existsSync(source)) {
    throw new AppError('DATABASE_UNAVAILABLE', `There is no SQLite database at ${source} to back up`);
  }
  const existing = statOrUndefined(target);
  if (existing?.isDirectory() === true) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The backup destination ${target} is a directory; name the backup file (e.g. ${join(target, 'trialwatch.db')})`,
    );
  }
  if (existing !== undefined && options.overwrite !== true) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The backup destination ${target} already exists; choose another file or overwrite it (--force)`,
    );
  }
  // A folder that is not there is a typo more often than a wish: it is not created.
  const folder = statOrUndefined(dirname(target));
  if (folder === undefined || !folder.isDirectory()) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The backup destination's directory ${dirname(target)} ${folder === undefined ? 'does not exist' : 'is not a directory'}; create it first or choose another file`,
    );
  }
  const partial = `${target}.partial-${process.pid}-${Date.now()}`;
  let database: SqliteDatabase.Database | undefined;
  try {
    database = new SqliteDatabase(source, { fileMustExist: true });
    database.pragma('busy_timeout = 15000');
    let stepPages = options.pagesPerStep;
    let lastRemaining = Number.POSITIVE_INFINITY;
    const progress = await database.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages - remainingPages, totalPages);
        // More pages left than after the last step: a write made SQLite start the copy over.
        if (remainingPages > lastRemaining) stepPages = undefined;
        lastRemaining = remainingPages;
        return stepPages ?? totalPages;
      },
    });
    options.onProgress?.(progress.totalPages, progress.totalPages);
    checkCopy(partial, target);
    renameSync(partial, target);
    return {
      path: target,
      bytes: statSync(target).size,
      pages: progress.totalPages,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError(
      'DATABASE_UNAVAILABLE',
      `The backup of ${source} to ${target} failed: ${messageOf(error)}`,
      { cause: error },
    );
  } finally {
    database?.close();
  }
}

/** Opens the copy on its own and checks it page by page; throws when it is not sound. */
function checkCopy(path: string, target: string): void {
  const copy = new SqliteDatabase(path, { fileMustExist: true });
  try {
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const result = rows.map((row) => row.integrity_check).join('; ');
    if (result !== 'ok')
      throw new AppError(
        'DATABASE_UNAVAILABLE',
        `The backup copy for ${target} failed its integrity check (nothing was written there): ${result}`,
      );
    // A single file with no -wal beside it: the copy is self-contained wherever it is moved.
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
