/**
 * Issue 14, item 2: long reads on SQLite run on reader threads. A query that takes seconds leaves
 * the event loop free (timers keep firing, the main connection keeps answering); a query past its
 * time limit fails with REQUEST_TIMEOUT and its thread is replaced; rows and parameters survive the
 * trip between threads (Buffers included); the pool refuses writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import type { Store } from '../../src/store/database.js';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import { SqliteReaderPool } from '../../src/store/sqlite-reader-pool.js';

/** A query that counts to `n` in SQLite itself: seconds of CPU inside one statement. */
const slowCount = (n: number) =>
  sql<{
    n: number;
  }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n}) select count(*) as n from c`;

/**
 * The rows of the first attempt that answers within 10 s: a fresh reader thread's start-up counts
 * against the 400 ms limit, which a busy machine can exceed.
 */
async function eventually<R>(query: () => Promise<{ rows: R[] }>): Promise<R[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      return (await query()).rows;
    } catch (error) {
      if (Date.now() > until || !isAppError(error) || error.code !== 'REQUEST_TIMEOUT') throw error;
    }
  }
}

describe('the SQLite reader pool', () => {
  let dir: string;
  let store: Store;
  /** The same file with a short time limit on reads. */
  let strict: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-readers-'));
    const path = join(dir, 'readers.db');
    const config = { kind: 'sqlite' as const, path, url: `sqlite:${path}` };
    store = openStore(config, { readers: { size: 2, timeoutMs: 20_000 } });
    strict = openStore(config, { readers: { size: 2, timeoutMs: 400 } });
    await migrateToLatest(store.db);
    await sql`create table blobs (id integer primary key, data blob, label text)`.execute(store.db);
    await sql`insert into blobs (id, data, label) values (1, ${Buffer.from([0, 1, 2, 255])}, ${'가나다'}), (2, null, 'b')`.execute(
      store.db,
    );
  });
  afterAll(async () => {
    await strict.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a separate pool from the main connection', () => {
    expect(store.reads).not.toBe(store.db);
  });

  it('returns rows, Buffers and parameters as the main connection does', async () => {
    const query = sql<{
      id: number;
      data: Buffer | null;
      label: string;
    }>`select id, data, label from blobs where id >= ${1} and label != ${Buffer.from('x')} order by id`;
    const main = await query.execute(store.db);
    const pooled = await query.execute(store.reads);
    expect(pooled.rows).toEqual(main.rows);
    expect(Buffer.isBuffer(pooled.rows[0]!.data)).toBe(true);
  });

  it('keeps the event loop free while a long query runs', async () => {
    let ticks = 0;
    let worstGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const at = performance.now();
      worstGapMs = Math.max(worstGapMs, at - last);
      last = at;
      ticks++;
    }, 10);
    try {
      const started = performance.now();
      const long = slowCount(1_500_000).execute(store.reads);
      // Point lookups on the main connection answer meanwhile.
      const quick = await sql<{ id: number }>`select id from blobs where id = 2`.execute(store.db);
      expect(quick.rows).toEqual([{ id: 2 }]);
      const { rows } = await long;
      const tookMs = performance.now() - started;
      expect(rows).toEqual([{ n: 1_500_000 }]);
      // The query really was long, and the timers kept firing all along.
      expect(tookMs).toBeGreaterThan(100);
      expect(ticks).toBeGreaterThan(tookMs / 10 / 4);
      expect(worstGapMs).toBeLessThan(Math.max(100, tookMs / 2));
    } finally {
      clearInterval(timer);
    }
  });

  it('fails a query past its time limit with REQUEST_TIMEOUT, then answers the next one', async () => {
    const started = Date.now();
    const error = await slowCount(12_000_000)
      .execute(strict.reads)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isAppError(error) && error.code).toBe('REQUEST_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      await eventually(() => sql<{ id: number }>`select id from blobs order by id`.execute(strict.reads)),
    ).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('times out queued queries too when every thread is busy', async () => {
    const outcome = (query: Promise<unknown>) =>
      query.then(
        () => 'answered',
        (caught: unknown) => (isAppError(caught) ? caught.code : String(caught)),
      );
    const busy = [
      outcome(slowCount(12_000_000).execute(strict.reads)),
      outcome(slowCount(12_000_000).execute(strict.reads)),
    ];
    expect(await outcome(sql`select 1 as one`.execute(strict.reads))).toBe('REQUEST_TIMEOUT');
    expect(await Promise.all(busy)).toEqual(['REQUEST_TIMEOUT', 'REQUEST_TIMEOUT']);
    expect(await eventually(() => sql<{ one: number }>`select 1 as one`.execute(strict.reads))).toEqual([
      { one: 1 },
    ]);
  });

  it('refuses writes', async () => {
    await expect(sql`insert into blobs (id, label) values (3, 'c')`.execute(store.reads)).rejects.toThrow();
    const { rows } = await sql<{ n: number }>`select count(*) as n from blobs`.execute(store.db);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('answers DATABASE_UNAVAILABLE when its threads cannot open the file, and recovers once they can', async () => {
    const path = join(dir, 'not-yet.db');
    const pool = new SqliteReaderPool({ path, size: 2, timeoutMs: 5_000 });
    try {
      const started = Date.now();
      const error = await pool.query('select 1 as one', []).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isAppError(error) && error.code).toBe('DATABASE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(4_000);
      // The file appears: the threads are tried again after a pause, and answer.
      new BetterSqlite3(path).close();
      const until = Date.now() + 10_000;
      let rows: unknown[] | undefined;
      while (rows === undefined && Date.now() < until) {
        rows = await pool.query('select 1 as one', []).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          return undefined;
        });
      }
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.close();
    }
  });
});
