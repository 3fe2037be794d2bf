/**
 * Issue 20.5, through the built CLI: `trialwatch backup` errors name the destination that failed,
 * and a destination directory that does not exist is an error (it is not created). SQLite is
 * backed up by the command; with PostgreSQL it explains pg_dump, naming the file.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testkit/cli.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'trialwatch-backup-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(storeKinds())('trialwatch backup on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store.drop());

  const backup = (target: string, ...flags: string[]) =>
    runCli(['backup', target, ...flags], { DATABASE_URL: store.url });

  it('names the destination that failed and creates no directory (PostgreSQL: explains pg_dump)', async () => {
    if (kind === 'postgres') {
      const result = await backup(join(dir, 'pg.dump'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`pg_dump --format=custom --file=${join(dir, 'pg.dump')}`);
      return;
    }
    const missing = join(dir, 'no-such-dir', 'deeper', 'backup.db');
    const noDir = await backup(missing);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toBe(
      `trialwatch: The backup destination's directory ${join(dir, 'no-such-dir', 'deeper')} does not exist; create it first or choose another file\n`,
    );
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);

    writeFileSync(join(dir, 'a-file'), 'x');
    const underFile = await backup(join(dir, 'a-file', 'backup.db'));
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toContain(`directory ${join(dir, 'a-file')} is not a directory`);

    mkdirSync(join(dir, 'a-dir'));
    const onDir = await backup(join(dir, 'a-dir'), '--force');
    expect(onDir.code).toBe(1);
    expect(onDir.stderr).toContain(`The backup destination ${join(dir, 'a-dir')} is a directory`);

    const target = join(dir, 'backup.db');
    const done = await backup(target);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`→ ${target} (`);
    const again = await backup(target);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `trialwatch: The backup destination ${target} already exists; choose another file or overwrite it (--force)\n`,
    );
    expect((await backup(target, '--force')).code).toBe(0);

    // A directory nobody can create files in (not even root): the failure names the destination.
    const unwritable = '/proc/trialwatch-backup.db';
    const denied = await backup(unwritable);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^trialwatch: The backup of \S+ to \/proc\/trialwatch-backup\.db failed: /);
  });
});
