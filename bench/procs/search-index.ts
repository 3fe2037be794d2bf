/**
 * The search index of an existing database, in its own process: its size on disk, and the time to
 * build it for the trials already stored — the search migrations (every bundled migration whose
 * name holds `search`) taken down and run up again, as `trialwatch migrate` backfills a database
 * harvested before them. Each `up` runs in one transaction, as the migrator runs it.
 */
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Store } from '../../src/store/database.js';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface IndexSize {
  /** Bytes per part of the search index (tables, FTS5 shadow tables, indexes), largest first. */
  parts: Record<string, number>;
  totalBytes: number;
  /** Rows in the CJK (substring) documents: the rows short Korean terms scan. */
  cjkRows: number;
  trials: number;
}

export interface RebuildOutcome {
  /** Milliseconds of each search migration's `up` (the backfill), in order. */
  upMs: Record<string, number>;
  totalMs: number;
  before: IndexSize;
  after: IndexSize;
}

/** SQLite objects of the search index: its tables, FTS5 shadow tables and indexes. */
const SQLITE_PARTS = /^(search_|trial_facets|trials_search_)/;

async function indexSize(store: Store): Promise<IndexSize> {
  const parts: Record<string, number> = {};
  if (store.dialect.name === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    const rows = await sql<{ name: string; bytes: number }>`
      select name, sum(pgsize) as bytes from dbstat group by name`.execute(store.db);
    for (const row of rows.rows) if (SQLITE_PARTS.test(row.name)) parts[row.name] = Number(row.bytes);
  } else {
    // Every relation apart: heap, TOAST and each index (GIN, trigram, b-tree) on its own line.
    const rows = await sql<{ name: string; bytes: string }>`
      select c.relname as name, pg_relation_size(c.oid) + coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'i')
        and (c.relname like 'search%' or c.relname like 'trial_facets%' or c.relname like 'trials_search%')`.execute(
      store.db,
    );
    for (const row of rows.rows) parts[row.name] = Number(row.bytes);
  }
  const sorted = Object.fromEntries(Object.entries(parts).sort((a, b) => b[1] - a[1]));
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(store.db))
        .rows[0]?.n ?? 0,
    );
  return {
    parts: sorted,
    totalBytes: Object.values(parts).reduce((sum, bytes) => sum + bytes, 0),
    cjkRows: await count('search_cjk_docs'),
    trials: await count('trials'),
  };
}

function open(databaseUrl: string): Store {
  const config = parseDatabaseUrl(databaseUrl);
  if (config === undefined) throw new Error(`not a DATABASE_URL: ${databaseUrl}`);
  return openStore(config);
}

/**
 * Migrates the database to the latest (a cached database may predate a migration: its time is the
 * backfill of the trials already stored) and measures its search index.
 */
async function size(databaseUrl: string): Promise<IndexSize & { migrated: string[]; migrateMs: number }> {
  const store = open(databaseUrl);
  try {
    const started = performance.now();
    const report = await migrateToLatest(store.db);
    const migrateMs = performance.now() - started;
    const migrated = report.filter((result) => result.status === 'Success').map((result) => result.name);
    if (migrated.length > 0 && store.dialect.name === 'postgres') await sql`analyze`.execute(store.db);
    return { ...(await indexSize(store)), migrated, migrateMs };
  } finally {
    await store.close();
  }
}

async function rebuild(databaseUrl: string): Promise<RebuildOutcome> {
  const store = open(databaseUrl);
  try {
    await migrateToLatest(store.db);
    const before = await indexSize(store);
    const names = Object.keys(MIGRATIONS)
      .filter((name) => name.includes('search'))
      .sort();
    for (const name of [...names].reverse()) {
      await store.db.transaction().execute((trx) => MIGRATIONS[name]!.down!(trx));
    }
    const upMs: Record<string, number> = {};
    const started = performance.now();
    for (const name of names) {
      const t0 = performance.now();
      await store.db.transaction().execute((trx) => MIGRATIONS[name]!.up(trx));
      upMs[name] = performance.now() - t0;
    }
    const totalMs = performance.now() - started;
    if (store.dialect.name === 'postgres') await sql`analyze`.execute(store.db);
    return { upMs, totalMs, before, after: await indexSize(store) };
  } finally {
    await store.close();
  }
}

export interface TextIndexOutcome {
  /** The index as seeded (with the text people read: migration 0013), through the triggers. */
  withText: IndexSize;
  /** After 0013's up on the stored trials (PostgreSQL: with the dead rows its updates leave). */
  reindexed: IndexSize;
  /** The same database with migration 0013 taken down: the index before the text was added. */
  withoutText: IndexSize;
  /** Milliseconds of 0013's `up` on the stored trials (its re-index), in one transaction. */
  upMs: number;
  downMs: number;
}

/** Migration 0013 (issue 19: the text people read): the index without it and with it, and its up. */
const TEXT_MIGRATION = '0013-search-text';

async function textIndex(databaseUrl: string): Promise<TextIndexOutcome> {
  const store = open(databaseUrl);
  try {
    await migrateToLatest(store.db);
    const migration = MIGRATIONS[TEXT_MIGRATION];
    if (migration?.down === undefined) throw new Error(`no migration ${TEXT_MIGRATION} with a down step`);
    const withText = await indexSize(store);
    let t0 = performance.now();
    await store.db.transaction().execute((trx) => migration.down!(trx));
    const downMs = performance.now() - t0;
    // PostgreSQL keeps a dropped column's space until the table is rewritten: measured compacted.
    if (store.dialect.name === 'postgres')
      await sql`vacuum full search_docs, search_cjk_docs`.execute(store.db);
    const withoutText = await indexSize(store);
    t0 = performance.now();
    await store.db.transaction().execute((trx) => migration.up(trx));
    const upMs = performance.now() - t0;
    if (store.dialect.name === 'postgres') await sql`analyze`.execute(store.db);
    const reindexed = await indexSize(store);
    return { withText, withoutText, reindexed, upMs, downMs };
  } finally {
    await store.close();
  }
}

/** After a bulk load, what autovacuum would do before long: statistics and the visibility map. */
async function settle(databaseUrl: string): Promise<null> {
  const store = open(databaseUrl);
  try {
    if (store.dialect.name === 'postgres') await sql`vacuum analyze`.execute(store.db);
    return null;
  } finally {
    await store.close();
  }
}

answerCalls({
  settle: (payload) => settle(String(payload)),
  size: (payload) => size(String(payload)),
  rebuild: (payload) => rebuild(String(payload)),
  textIndex: (payload) => textIndex(String(payload)),
});
exitWithParent();
sendReady({ pid: process.pid });
