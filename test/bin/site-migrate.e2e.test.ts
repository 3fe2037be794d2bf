/**
 * Issue 19, item 1 end to end: the built CLI imports real ClinicalTrials.gov studies, the database
 * is put back as it was before migration 0010 (trials stored, no sites), and `trialwatch migrate`
 * adds the sites table and writes every trial's sites exactly as the import had; run again, it has
 * nothing to do. On SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testkit/cli.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, migrateDownTo, storeKinds } from '../support/test-store.js';

describe.each(storeKinds())('trialwatch migrate writes the sites of stored trials on %s', (kind) => {
  let store: TestStore;
  let workDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    workDir = mkdtempSync(join(tmpdir(), 'trialwatch-sites-'));
    env = { DATABASE_URL: store.url };
  });
  afterAll(async () => {
    await store.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('backfills on migrate the sites the import wrote, once', async () => {
    const file = join(workDir, 'studies.json');
    const ids = ctgovFixtureIds();
    writeFileSync(file, JSON.stringify(ids.map((id) => ctgovFixture(id))));
    const imported = await runCli(['import', file, '--source', 'ctgov'], env);
    expect(imported.code, imported.stderr).toBe(0);
    const sites = () =>
      store.db.selectFrom('trial_sites').selectAll().orderBy('trial_id').orderBy('ordinal').execute();
    const written = await sites();
    expect(written.length).toBeGreaterThan(2000);

    await migrateDownTo(store.db, '0009-change-types');

    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('migration 0010-sites: Success');
    expect(migrated.stdout).toContain(`wrote the sites of ${ids.length} stored trials of ctgov`);
    expect(await sites()).toEqual(written);

    const again = await runCli(['migrate'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('wrote the sites');
  });
});
