/**
 * Sites in the store, on each database: a distance search reads its candidates from the (lat, lon)
 * index (never a scan of every site); migration 0010 on a database whose trials were stored before
 * it, then the backfill, gives exactly the sites a harvest writes, also when interrupted and run
 * again; a trial a harvest rewrote meanwhile keeps the harvest's sites.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { backfillStoredSites } from '../../src/harvest/site-backfill.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { mapCtgovStudy } from '../../src/sources/ctgov/ctgov-mapper.js';
import { migrateToLatest } from '../../src/store/database.js';
import { replaceSites, saveBackfilledSites, siteWithin } from '../../src/store/site.repository.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { silentLog, testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, migrateDownTo, storeKinds } from '../support/test-store.js';

const STUDIES = ctgovFixtureIds().map((id) => ctgovFixture(id));

describe.each(storeKinds())('trial sites on %s', (kind) => {
  let store: TestStore;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const allSites = () =>
    store.db.selectFrom('trial_sites').selectAll().orderBy('trial_id').orderBy('ordinal').execute();

  /** Puts the database back as it was before migration 0010, with its trials, then migrates. */
  const storedBeforeSites = async () => {
    await migrateDownTo(store.db, '0009-change-types');
    const report = await migrateToLatest(store.db);
    expect(report[0]).toEqual({ name: '0010-sites', status: 'Success' });
    expect(report.every((result) => result.status === 'Success')).toBe(true);
  };

  beforeAll(async () => {
    store = await createTestStore(kind);
    const deps: HarvestDeps = {
      config: testConfig(store.url, { ctgov: testSourceConfig() }),
      store,
      sources: [ctgovSource],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
    const run = await runHarvest(deps, {
      source: 'ctgov',
      mode: 'full',
      trigger: 'import',
      file: { name: 'studies.json', content: Buffer.from(JSON.stringify(STUDIES), 'utf8') },
    });
    expect(run.status, run.errorMessage ?? '').toBe('succeeded');
  }, 120_000);
  afterAll(async () => {
    await store?.drop();
  });

  it('reads distance candidates through the (lat, lon) index', async () => {
    const near = { lat: 37.5665, lon: 126.978, radiusKm: 50 };
    const query = sql`select s.trial_id from trial_sites s where ${siteWithin(near)}`;
    if (kind === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan ${query}`.execute(store.db);
      const details = plan.rows.map((row) => row.detail).join('\n');
      expect(details).toMatch(/USING COVERING INDEX trial_sites_geo/);
      expect(details).not.toMatch(/SCAN s\b/);
    } else {
      // The table is small enough that the planner would rather scan it: forbid that, and see
      // that the predicate (the partial index's too) is answered by the index.
      const plan = await store.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
      });
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index.* using trial_sites_geo/);
    }
  });

  it('backfills, after migration 0010, the sites a harvest writes, interrupted or not', async () => {
    const harvested = await allSites();
    expect(harvested.length).toBeGreaterThan(2000);
    await storedBeforeSites();
    expect(await allSites()).toEqual([]);
    const listed = await store.db.selectFrom('site_backfill').select('trial_id').execute();
    expect(listed).toHaveLength(STUDIES.length);

    // Interrupted after its first batch (the signal is read before each one).
    let reads = 0;
    const signal = {
      get aborted() {
        return ++reads > 1;
      },
    } as AbortSignal;
    const first = await backfillStoredSites(store.db, ctgovSource, { signal, batchSize: 50 });
    expect(first).toBe(50);
    const left = await store.db.selectFrom('site_backfill').select('trial_id').execute();
    expect(left).toHaveLength(STUDIES.length - first);

    const rest = await backfillStoredSites(store.db, ctgovSource, { batchSize: 64 });
    expect(first + rest).toBe(STUDIES.length);
    expect(await backfillStoredSites(store.db, ctgovSource)).toBe(0);
    expect(await allSites()).toEqual(harvested);
  });

  it('keeps the sites a harvest wrote while the trial waited for the backfill', async () => {
    await storedBeforeSites();
    const mapped = STUDIES.map((study) => mapCtgovStudy(study)).find(
      (trial) => (trial.sites ?? []).length > 0,
    )!;
    const newer = { ...mapped, sites: [{ ...mapped.sites![0]!, name: 'Moved Clinic' }] };
    // The harvest's write of a new version (its transaction writes the sites and takes it off the list).
    await store.db.transaction().execute((trx) => replaceSites(trx, [newer]));
    expect(await saveBackfilledSites(store.db, [{ id: mapped.id, sites: mapped.sites! }])).toBe(0);
    const rows = await store.db
      .selectFrom('trial_sites')
      .selectAll()
      .where('trial_id', '=', mapped.id)
      .execute();
    expect(rows.map((row) => row.name)).toEqual(['Moved Clinic']);
    // The others still get theirs.
    expect(await backfillStoredSites(store.db, ctgovSource)).toBe(STUDIES.length - 1);
  });
});
