/**
 * Issue 15, items 5 and 12: a bad configuration stops every command at start-up, before the
 * database is opened or migrated, with exit code 2 and one line naming each bad key or path —
 * schedules and time zones, TRUST_PROXY, the SQLite path, an unreadable `.env` — through the
 * built CLI.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testkit/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'trialwatch-config-e2e-'));
const database = `sqlite:${join(dir, 'db', 'trialwatch.db')}`;

afterAll(() => {
  chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** Exit 2, one line on stderr naming every expected piece, and nothing migrated. */
function expectConfigError(result: { code: number | null; stdout: string; stderr: string }, names: string[]) {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^trialwatch: Invalid configuration: /);
  for (const name of names) expect(lines[0]).toContain(name);
  expect(result.stdout).toBe('');
}

describe('start-up validation of schedules and time zones', () => {
  it('stops sources, harvest and serve on an unknown time zone or a bad schedule, naming both keys', async () => {
    const env = { DATABASE_URL: database, KR_ICREAT_TIMEZONE: 'Mars/Base', KR_ICREAT_SCHEDULE: 'bogus' };
    for (const args of [['sources'], ['harvest', '--source', 'kr-icreat'], ['serve']]) {
      const result = await runCli(args, env, { timeoutMs: 20_000 });
      expectConfigError(result, ['KR_ICREAT_TIMEZONE', 'Mars/Base', 'KR_ICREAT_SCHEDULE', 'bogus']);
    }
    // Refused before the database is touched: no migrations ran.
    expect(existsSync(join(dir, 'db'))).toBe(false);
  });
});

describe('start-up messages that name the path or the variable', () => {
  mkdirSync(join(dir, 'a-directory.db'));
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0o555);
  writeFileSync(join(dir, 'read-only.db'), '');
  chmodSync(join(dir, 'read-only.db'), 0o444);

  it('names a SQLite path that is a directory, read-only, or in a read-only folder', async () => {
    for (const path of [
      join(dir, 'a-directory.db'),
      join(dir, 'read-only.db'),
      join(dir, 'locked', 'sub', 'x.db'),
    ]) {
      const result = await runCli(['migrate'], { DATABASE_URL: `sqlite:${path}` }, { timeoutMs: 20_000 });
      expectConfigError(result, ['DATABASE_URL', path]);
    }
  });

  it('fails at once on sqlite:/proc/x/y.db instead of hanging', async () => {
    const started = Date.now();
    const result = await runCli(['sources'], { DATABASE_URL: 'sqlite:/proc/x/y.db' }, { timeoutMs: 15_000 });
    expectConfigError(result, ['DATABASE_URL', '/proc/x/y.db']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names a bad TRUST_PROXY before migrating', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: database, TRUST_PROXY: 'not a cidr!!' });
    expectConfigError(result, ['TRUST_PROXY', '"not a cidr!!"']);
    expect(existsSync(join(dir, 'db'))).toBe(false);
  });

  it('names a .env that is a directory', async () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(join(cwd, '.env'), { recursive: true });
    const result = await runCli(['sources'], { DATABASE_URL: database }, { cwd });
    expectConfigError(result, ['.env is not a file']);
  });
});
