/**
 * Databases for one scenario run: a SQLite file in a temp folder, or a scratch PostgreSQL database
 * created on the server of `BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
 * and dropped afterwards. Also the size on disk, measured the same way from any process.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../../src/store/database.js';

export type DbKind = 'sqlite' | 'postgres';

export const DB_KINDS: readonly DbKind[] = ['sqlite', 'postgres'];

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function postgresAdminUrl(): string {
  return process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
}

export interface BenchDatabase {
  kind: DbKind;
  /** `DATABASE_URL` for the processes that use it. */
  url: string;
  /** Where it lives, without secrets (for the report). */
  location: string;
  drop(): Promise<void>;
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://***';
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Whether the benchmark's PostgreSQL server answers within a few seconds; the reason when not. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `${withoutPassword(postgresAdminUrl())}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabase(kind: DbKind, label: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `trialwatch-bench-${label}-`));
    const path = join(dir, 'bench.db');
    return {
      kind,
      url: `sqlite:${path}`,
      location: path,
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const admin = postgresAdminUrl();
  const name = `trialwatch_bench_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  return {
    kind,
    url,
    location: withoutPassword(url),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5_000 });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export interface DatabaseSize {
  /** Bytes on disk: the SQLite file after a WAL checkpoint, or `pg_database_size`. */
  totalBytes: number;
  /** Bytes per table (its indexes and, on PostgreSQL, TOAST included), largest first. */
  tables: Record<string, number>;
}

/** Size on disk, measured from inside the process that holds `store` open. */
export async function databaseSize(store: Store, sqlitePath?: string): Promise<DatabaseSize> {
  const tables: Record<string, number> = {};
  if (store.dialect.name === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    try {
      const rows = await sql<{ name: string; bytes: number }>`
        select coalesce(m.tbl_name, s.name) as name, sum(s.pgsize) as bytes
        from dbstat s left join sqlite_schema m on m.name = s.name
        group by 1 order by 2 desc`.execute(store.db);
      for (const row of rows.rows) tables[row.name] = Number(row.bytes);
    } catch {
      // dbstat is an optional SQLite module: the total is still known
    }
    const file = sqlitePath ?? '';
    const wal = `${file}-wal`;
    const totalBytes =
      (existsSync(file) ? statSync(file).size : 0) + (existsSync(wal) ? statSync(wal).size : 0);
    return { totalBytes, tables };
  }
  const total = await sql<{
    bytes: string | number;
  }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
  const rows = await sql<{ name: string; bytes: string | number }>`
    select c.relname as name, pg_total_relation_size(c.oid) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
    order by 2 desc`.execute(store.db);
  for (const row of rows.rows) tables[row.name] = Number(row.bytes);
  return { totalBytes: Number(total.rows[0]?.bytes ?? 0), tables };
}

/** `select sqlite_version()` or PostgreSQL's `server_version`. */
export async function databaseVersion(store: Store): Promise<string> {
  if (store.dialect.name === 'sqlite') {
    const rows = await sql<{ v: string }>`select sqlite_version() as v`.execute(store.db);
    return rows.rows[0]?.v ?? 'unknown';
  }
  const rows = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(store.db);
  return rows.rows[0]?.v ?? 'unknown';
}

/**
 * A copy of `source` in its current state (no process may have it open): a file copy of the SQLite
 * database (and its WAL), or `CREATE DATABASE … TEMPLATE` on the same PostgreSQL server.
 */
export async function copyDatabase(source: BenchDatabase, label: string): Promise<BenchDatabase> {
  const copy = await createDatabase(source.kind, label);
  if (source.kind === 'sqlite') {
    copyFileSync(source.location, copy.location);
    if (existsSync(`${source.location}-wal`)) copyFileSync(`${source.location}-wal`, `${copy.location}-wal`);
    return copy;
  }
  const from = decodeURIComponent(new URL(source.url).pathname.slice(1));
  const to = decodeURIComponent(new URL(copy.url).pathname.slice(1));
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`drop database "${to}"`);
    await client.query(`create database "${to}" template "${from}"`);
  } finally {
    await client.end();
  }
  return copy;
}

/**
 * PostgreSQL: `ANALYZE` of the whole database, and whether the server runs autovacuum. A seeded
 * bench database is otherwise planned without statistics when autovacuum is off (as on the bench's
 * test server), which no deployment sees for long: with autovacuum on, a table is analyzed soon
 * after a tenth of it changed. Returns the server's `autovacuum` setting (`on`/`off`).
 */
export async function analyzePostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const setting = await client.query<{ autovacuum: string }>('show autovacuum');
    await client.query('analyze');
    return setting.rows[0]?.autovacuum ?? 'unknown';
  } finally {
    await client.end();
  }
}
