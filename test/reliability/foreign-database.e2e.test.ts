/**
 * Issue 15 item 13: a DATABASE_URL that points at another application's database is refused before
 * anything is written — no table added, no migration bookkeeping left behind, not even SQLite's WAL
 * mode switched on — with a one-line error naming where it is.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testkit/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const postgresUrl = process.env.TEST_POSTGRES_URL ?? '';

function expectRefused(result: { code: number | null; stdout: string; stderr: string }, where: string): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^trialwatch: The database at .* belongs to another application/);
  expect(lines[0]).toContain(where);
  expect(lines[0]).toContain('nothing was changed');
}

describe('another application’s SQLite file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-foreign-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function createDatabase(name: string, ddl: string): string {
    const path = join(dir, name);
    const database = new BetterSqlite3(path);
    database.exec(ddl);
    database.close();
    return path;
  }

  function tablesOf(path: string): string[] {
    const database = new BetterSqlite3(path, { readonly: true });
    try {
      return database
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .pluck()
        .all() as string[];
    } finally {
      database.close();
    }
  }

  it.each([
    [
      'a users table',
      'users.db',
      "create table users (id integer primary key, name text); insert into users values (1, 'ann')",
      ['users'],
    ],
    [
      'a conflicting trials table',
      'trials.db',
      'create table trials (id integer primary key, title text)',
      ['trials'],
    ],
  ])(
    'with %s is refused by sources and migrate, byte for byte unchanged',
    async (_label, name, ddl, tables) => {
      const path = createDatabase(name, ddl);
      const before = sha(path);
      for (const command of [['sources'], ['migrate'], ['harvest', '--source', 'kr-icreat']]) {
        const result = await runCli(command, { DATABASE_URL: `sqlite:${path}`, BOOTSTRAP_SNAPSHOT: 'false' });
        expectRefused(result, path);
      }
      expect(sha(path)).toBe(before);
      expect(existsSync(`${path}-wal`)).toBe(false);
      expect(tablesOf(path)).toEqual(tables);
    },
  );

  it('still takes an empty file and its own database', async () => {
    const path = join(dir, 'ours.db');
    const env = { DATABASE_URL: `sqlite:${path}` };
    const first = await runCli(['sources'], env);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['migrate'], env);
    expect(second.stdout).toBe('migrations: already up to date\n');
  });
});

describe.skipIf(postgresUrl === '')('another application’s PostgreSQL database', () => {
  const name = `trialwatch_foreign_${process.pid}`;
  let admin: pg.Client;
  let url: string;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${name}"`);
    await admin.query(`create database "${name}"`);
    const parsed = new URL(postgresUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('create table users (id serial primary key, name text)');
    await other.end();
  });
  afterAll(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it('is refused by sources and migrate, and no table is added', async () => {
    for (const command of [['sources'], ['migrate']]) {
      expectRefused(await runCli(command, { DATABASE_URL: url, BOOTSTRAP_SNAPSHOT: 'false' }), name);
    }
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const tables = await other.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(['users']);
    } finally {
      await other.end();
    }
  });
});
