/**
 * Issue 15 item 10 on any machine: SQLite's `max_page_count` makes the database "full" the way a
 * full disk does (SQLITE_FULL, and SQLite rolls the transaction back by itself). The import's run
 * records DATABASE_FULL with the file's path, not "cannot rollback - no transaction is active".
 * SQLite only: PostgreSQL has no per-connection size cap (its disk-full code, 53100, is classified
 * the same way). The real full disk, through the CLI, is test/reliability/disk-full.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { SOURCE_ADAPTERS } from '../../src/sources/registry.js';
import { fixturesDir } from '../../testkit/fake-upstream.js';
import { silentLog, testConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore } from '../support/test-store.js';

describe('an import into a full SQLite database', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore('sqlite');
  });
  afterAll(async () => store.drop());

  it('records DATABASE_FULL: SQLITE_FULL with the path', async () => {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
    // Room for the run record and the lease, not for 145 trials with their versions and index.
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 8}`).execute(store.db);
    const name = 'kr-snapshot-2021-11.json';
    const run = await runHarvest(
      { config: testConfig(store.url), store, sources: SOURCE_ADAPTERS, log: silentLog, holder: 'test' },
      {
        source: 'kr-icreat',
        mode: 'full',
        trigger: 'import',
        file: { name, content: readFileSync(join(fixturesDir(), 'kr', name)) },
      },
    );
    expect(run).toMatchObject({ status: 'failed', errorCode: 'DATABASE_FULL' });
    expect(run.errorMessage).toMatch(
      /^SQLITE_FULL: disk full writing the database \(.*\): database or disk is full$/,
    );
    expect(run.errorMessage).toContain(store.url.slice('sqlite:'.length));
    expect(await store.db.selectFrom('trials').select('id').execute()).toEqual([]);
  });
});
