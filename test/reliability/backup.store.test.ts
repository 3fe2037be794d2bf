/**
 * Issue 9, part 5: backups. SQLite: `trialwatch backup` (backupCommand) copies the database while
 * the app serves and a writer keeps writing; the copy is sound, and once restored it serves the
 * same answers as the live database. PostgreSQL: the README's pg_dump / pg_restore procedure, run
 * for real, gives a database that serves the same answers.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { backupCommand } from '../../src/bin/backup.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/database.js';
import { backupSqliteDatabase } from '../../src/store/backup.js';
import { koreanSnapshot, koreanTrial, Seeder } from '../api/support/seed.js';
import { T0, TEST_SOURCES, testConfig } from '../api/support/test-app.js';
import { checkStoreInvariants, trialCounts } from '../../testkit/store-invariants.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const korean = koreanSnapshot();
const DAY = 86_400_000;

/** The answers compared between the live and the restored database. */
const URLS = [
  '/api/v1/trials?limit=50',
  '/api/v1/trials?limit=200&sort=id',
  '/api/v1/trials?updatedWithin=7d&limit=100',
  '/api/v1/trials?q=%EB%A6%BC%ED%94%84%EC%A2%85',
  '/api/v1/trials?q=%EC%B2%9C%EC%8B%9D',
  `/api/v1/trials/${korean[0]!['과제번호']}`,
  `/api/v1/trials/${korean[0]!['과제번호']}?include=raw`,
  `/api/v1/trials/${korean[0]!['과제번호']}/versions`,
  `/api/v1/trials/${korean[1]!['과제번호']}`,
  '/api/v1/changes?limit=500',
  '/api/v1/sources',
  `/api/search/${korean[2]!['과제번호']}`,
  '/api/list?skip=0&limit=50',
];

async function seedHistory(store: Store): Promise<Seeder> {
  const seed = new Seeder(store.db, T0 - 20 * DAY);
  await seed.createMany(korean.map(koreanTrial));
  seed.now = T0 - 3 * DAY;
  for (const record of korean.slice(0, 20)) {
    await seed.update(record['과제번호'], { fields: { title: `${record['과제명']} (개정)` } });
  }
  await seed.remove(korean[1]!['과제번호']);
  return seed;
}

async function appOn(store: Store, url: string): Promise<FastifyInstance> {
  const config = testConfig({ ...store, kind: store.dialect.name, url, drop: () => Promise.resolve() });
  const app = await buildApp({ config, store, sources: TEST_SOURCES, now: () => T0 });
  await app.ready();
  return app;
}

async function answers(
  app: FastifyInstance,
): Promise<{ url: string; status: number; etag: unknown; body: string }[]> {
  const out = [];
  for (const url of URLS) {
    const response = await app.inject({ method: 'GET', url });
    out.push({ url, status: response.statusCode, etag: response.headers.etag, body: response.body });
  }
  return out;
}

describe('SQLite backup while serving, and restore', () => {
  let live: TestStore;
  let app: FastifyInstance;
  let seed: Seeder;
  let dir: string;

  beforeAll(async () => {
    live = await createTestStore('sqlite');
    seed = await seedHistory(live);
    app = await appOn(live, live.url);
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-backup-'));
  });
  afterAll(async () => {
    await app.close();
    await live.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a consistent snapshot while the app answers and a writer writes', async () => {
    const target = join(dir, 'during-writes.db');
    let writing = true;
    let writes = 0;
    let reads = 0;
    const statuses = new Set<number>();
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const record = korean[20 + (i % 100)]!;
        seed.now = T0 - 2 * DAY + i;
        await seed.update(record['과제번호'], { fields: { title: `${record['과제명']} #${i}` } });
        writes++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const reader = (async () => {
      while (writing) {
        const response = await app.inject({ method: 'GET', url: '/api/v1/trials?limit=50' });
        statuses.add(response.statusCode);
        reads++;
        // better-sqlite3 answers synchronously: without a turn of the event loop this would spin.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Let both get going, then back up in small steps, so writes land between the steps.
    while (writes < 20 || reads < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const writesBefore = writes;
    const result = await backupSqliteDatabase(live.url.slice('sqlite:'.length), target, { pagesPerStep: 8 });
    const writesDuring = writes - writesBefore;
    writing = false;
    await Promise.all([writer, reader]);

    expect(result.pages).toBeGreaterThan(8);
    expect(writesDuring, 'the writer was not blocked by the backup').toBeGreaterThan(0);
    expect([...statuses]).toEqual([200]);
    const copy = openStore(parseDatabaseUrl(`sqlite:${target}`)!);
    try {
      expect(await checkStoreInvariants(copy)).toEqual([]);
      const [copied, now] = [await trialCounts(copy), await trialCounts(live)];
      expect(copied.trials).toBe(now.trials);
      expect(copied.versions).toBeGreaterThanOrEqual(145 + 20);
      expect(copied.versions).toBeLessThanOrEqual(now.versions);
    } finally {
      await copy.close();
    }
  });

  it('restores to a database that serves the same answers (trialwatch backup)', async () => {
    // The destination's folder must exist (issue 20.5; the CLI test checks the refusal).
    mkdirSync(join(dir, 'nested'));
    const target = join(dir, 'nested', 'trialwatch-backup.db');
    const out: string[] = [];
    const code = await backupCommand(
      target,
      {},
      {
        config: testConfig(live),
        out: { write: (text: string) => out.push(text) },
      },
    );
    expect(code).toBe(0);
    expect(out.join('')).toMatch(
      /^backup: .+ → .+trialwatch-backup\.db \(\d+\.\d MB, \d+ pages, integrity ok, /,
    );
    expect(existsSync(`${target}-wal`)).toBe(false);

    // Refuses to overwrite unless told to.
    await expect(
      backupCommand(target, {}, { config: testConfig(live), out: { write: () => true } }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      await backupCommand(target, { force: true }, { config: testConfig(live), out: { write: () => true } }),
    ).toBe(0);

    // Restoring is putting the file in place of the database: here, a fresh path.
    const restoredPath = join(dir, 'restored.db');
    copyFileSync(target, restoredPath);
    const restored = openStore(parseDatabaseUrl(`sqlite:${restoredPath}`)!);
    const restoredApp = await appOn(restored, `sqlite:${restoredPath}`);
    try {
      expect(await checkStoreInvariants(restored)).toEqual([]);
      const expected = await answers(app);
      expect(expected.every((answer) => answer.status === 200 || answer.url.startsWith('/api/list'))).toBe(
        true,
      );
      expect(await answers(restoredApp)).toEqual(expected);
    } finally {
      await restoredApp.close();
      await restored.close();
    }
  });

  it('explains pg_dump when the database is PostgreSQL, and refuses to copy a database onto itself', async () => {
    const config = {
      ...testConfig(live),
      database: {
        kind: 'postgres' as const,
        connectionString: 'postgres://u@h/db',
        url: 'postgres://u@h/db',
      },
    };
    await expect(
      backupCommand(join(dir, 'x.dump'), {}, { config, out: { write: () => true } }),
    ).rejects.toThrow(/pg_dump --format=custom/);
    const path = live.url.slice('sqlite:'.length);
    await expect(backupSqliteDatabase(path, path)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(backupSqliteDatabase(join(dir, 'missing.db'), join(dir, 'y.db'))).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
    });
  });
});

const hasPgTools = (() => {
  try {
    execFileSync('pg_dump', ['--version'], { stdio: 'ignore' });
    execFileSync('pg_restore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(storeKinds().includes('postgres'))('PostgreSQL backup with pg_dump, and restore', () => {
  let live: TestStore;
  const restoredName = `trialwatch_restore_${process.pid}_${Date.now()}`;
  let dir: string;

  beforeAll(async () => {
    live = await createTestStore('postgres');
    await seedHistory(live);
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-pgdump-'));
  });
  afterAll(async () => {
    await live.drop();
    const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${restoredName}" with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(hasPgTools)(
    'restores the README procedure to a database that serves the same answers',
    async () => {
      const dump = join(dir, 'trialwatch.dump');
      // The README's commands, exactly.
      execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, live.url]);
      const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
      await admin.connect();
      await admin.query(`create database "${restoredName}"`);
      await admin.end();
      const restoredUrl = new URL(live.url);
      restoredUrl.pathname = `/${restoredName}`;
      execFileSync('pg_restore', ['--no-owner', `--dbname=${restoredUrl.toString()}`, dump]);

      const liveApp = await appOn(live, live.url);
      const restored = openStore(parseDatabaseUrl(restoredUrl.toString())!);
      const restoredApp = await appOn(restored, restoredUrl.toString());
      try {
        expect(await checkStoreInvariants(restored)).toEqual([]);
        expect(await answers(restoredApp)).toEqual(await answers(liveApp));
      } finally {
        await restoredApp.close();
        await restored.close();
        await liveApp.close();
      }
    },
  );
});
