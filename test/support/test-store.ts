/**
 * One isolated database per test file, on every database the run covers: SQLite always (a temp
 * file, so child processes can open it too) and PostgreSQL when TEST_POSTGRES_URL is set (a
 * database cloned from a migrated template). An unreachable TEST_POSTGRES_URL fails the tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Store } from '../../src/store/database.js';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import { MIGRATIONS, migrationProvider } from '../../src/store/migrations/index.js';

/**
 * Puts a migrated database back to just after migration `name` (every later migration's `down`,
 * newest first): the database as older code left it, for tests of what a later migration does.
 */
export async function migrateDownTo(db: Store['db'], name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(name);
  if (error !== undefined)
    throw error instanceof Error ? error : new Error(`migrating down to ${name} failed`, { cause: error });
}

export type StoreKind = 'sqlite' | 'postgres';

export interface TestStore extends Store {
  kind: StoreKind;
  /** A DATABASE_URL for child processes (CLI, serve) to open the same database. */
  url: string;
  /** Closes and deletes the database. */
  drop(): Promise<void>;
}

export function storeKinds(): StoreKind[] {
  return process.env.TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

function postgresUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (url === undefined || url === '') throw new Error('TEST_POSTGRES_URL is not set');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The template's name follows the migrations' names and code, so a migration edited before it is
 * released never leaves tests on a template built by its older code.
 */
const MIGRATIONS_HASH = createHash('sha256')
  .update(
    Object.entries(MIGRATIONS)
      .map(([name, migration]) => `${name}\n${migration.up.toString()}\n${migration.down?.toString() ?? ''}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);
const TEMPLATE = `trialwatch_tpl_${Object.keys(MIGRATIONS).length}_${Object.keys(MIGRATIONS).at(-1)?.replace(/\W/g, '_')}_${MIGRATIONS_HASH}`;

async function ensureTemplate(admin: pg.Client, baseUrl: string): Promise<void> {
  // Several test workers may get here at once: one builds the template, the others wait.
  await admin.query('select pg_advisory_lock(72010002)');
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [TEMPLATE]);
    if (found.rowCount === 0) {
      await admin.query(`create database "${TEMPLATE}"`);
      const store = openStore(parseDatabaseUrl(withDatabase(baseUrl, TEMPLATE))!);
      try {
        await migrateToLatest(store.db);
      } finally {
        await store.close();
      }
    }
  } finally {
    await admin.query('select pg_advisory_unlock(72010002)');
  }
}

export async function createTestStore(
  kind: StoreKind,
  options: { poolSize?: number; readTimeoutMs?: number } = {},
): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'trialwatch-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    // As `serve` opens it: long reads on reader threads (Store.reads).
    const store = openStore(parseDatabaseUrl(url)!, {
      readers: { size: 2, timeoutMs: options.readTimeoutMs ?? 30_000 },
    });
    await migrateToLatest(store.db);
    return {
      ...store,
      kind,
      url,
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const baseUrl = postgresUrl();
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`TEST_POSTGRES_URL is set but PostgreSQL is not reachable: ${(error as Error).message}`);
  }
  const name = `trialwatch_t_${randomBytes(6).toString('hex')}`;
  try {
    await ensureTemplate(admin, baseUrl);
    await admin.query(`create database "${name}" template "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  const store = openStore(
    parseDatabaseUrl(url)!,
    options.poolSize === undefined ? {} : { poolSize: options.poolSize },
  );
  return {
    ...store,
    kind,
    url,
    drop: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
