/**
 * Issue 15 item 10: the disk fills up during an import. The run must record the real cause —
 * DATABASE_FULL, "SQLITE_FULL: disk full" with the database's path — not the "cannot rollback - no
 * transaction is active" that SQLite's own rollback of the failed transaction made Kysely's ROLLBACK
 * throw in its place.
 *
 * A real full disk: a small tmpfs mounted for this test (needs root; skipped otherwise), migrated,
 * then filled with a filler file but for 160 KB, less than the import needs. The store tier has the
 * same check on any machine with SQLite's max_page_count (test/harvest/database-full.store.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testkit/cli.js';
import { fixturesDir } from '../../testkit/fake-upstream.js';

const FREE_BYTES = 160 * 1024;

function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'trialwatch-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

describe.skipIf(!canMountTmpfs())('an import onto a full disk (tmpfs)', () => {
  let dir: string;
  let mounted = false;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trialwatch-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [dir]);
    rmdirSync(dir);
  });

  it('records DATABASE_FULL with SQLITE_FULL and the path, and says so on the CLI', async () => {
    const path = join(dir, 'trialwatch.db');
    const env = { DATABASE_URL: `sqlite:${path}`, BOOTSTRAP_SNAPSHOT: 'false' };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const { bavail, bsize } = statfsSync(dir);
    writeFileSync(join(dir, 'filler'), Buffer.alloc(bavail * bsize - FREE_BYTES));

    const result = await runCli(['import', join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json')], env);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^kr-icreat: failed .*SQLITE_FULL: disk full/m);
    expect(result.stdout).toContain(path);
    expect(result.stdout + result.stderr).not.toContain('cannot rollback');

    unlinkSync(join(dir, 'filler'));
    const database = new BetterSqlite3(path, { readonly: true });
    try {
      const runs = database.prepare('select status, error_code, error_message from harvest_runs').all();
      expect(runs).toEqual([
        {
          status: 'failed',
          error_code: 'DATABASE_FULL',
          error_message: expect.stringMatching(
            /^SQLITE_FULL: disk full writing the database \(.*\): database or disk is full$/,
          ),
        },
      ]);
      expect((runs[0] as { error_message: string }).error_message).toContain(path);
      // Nothing of the failed transaction is left.
      expect(database.prepare('select count(*) as n from trials').get()).toEqual({ n: 0 });
    } finally {
      database.close();
    }
  });
});
