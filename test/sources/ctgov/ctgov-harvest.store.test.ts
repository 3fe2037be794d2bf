import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader.js';
import type { HarvestMode } from '../../../src/domain/trial.types.js';
import type { HarvestDeps } from '../../../src/harvest/harvest.service.js';
import { runHarvest } from '../../../src/harvest/harvest.service.js';
import type { CtgovConfig } from '../../../src/sources/ctgov/ctgov-config.js';
import { parseCtgovConfig } from '../../../src/sources/ctgov/ctgov-config.js';
import { ctgovSource } from '../../../src/sources/ctgov/ctgov-source.js';
import { decompressJson } from '../../../src/store/compression.js';
import { getSourceState } from '../../../src/store/source-state.repository.js';
import type { FakeCtgov, FakeStudy } from '../../../testkit/fake-ctgov.js';
import { installCtgov, loadCtgovFixtures } from '../../../testkit/fake-ctgov.js';
import { FakeServerCore } from '../../../testkit/fake-upstream.js';
import { silentLog, testConfig } from '../../../testkit/memory-source.js';
import type { TestStore } from '../../support/test-store.js';
import { createTestStore, storeKinds } from '../../support/test-store.js';
import { resetTables } from '../../support/reset-tables.js';

const ALL = loadCtgovFixtures();
/** 30 real studies: enough for several pages, quick enough for many harvests per test. */
const SUBSET = ALL.slice(0, 30);
const RANGE_FROM = (day: string) => `AREA[LastUpdatePostDate]RANGE[${day},MAX]`;

type Modules = Record<string, Record<string, unknown>>;
const protocol = (study: FakeStudy) => study.protocolSection as Modules;
const statusModule = (study: FakeStudy) => protocol(study).statusModule!;
const derived = (study: FakeStudy) => study.derivedSection as Modules;

describe.each(storeKinds())('ctgov harvests on %s', (kind) => {
  let store: TestStore;
  const core = new FakeServerCore();
  let ctgov: FakeCtgov;
  let deps: HarvestDeps;
  let clock: number;

  beforeAll(async () => {
    store = await createTestStore(kind);
    ctgov = installCtgov(core, { studies: SUBSET });
    await core.listen();
  });
  afterAll(async () => {
    await core.close();
    await store.drop();
  });

  /** Sets the harvest clock and the registry's data release to the given day (release at 09:00 UTC, run at 12:00). */
  function day(date: string): void {
    clock = Date.parse(`${date}T12:00:00Z`);
    ctgov.dataTimestamp = `${date}T09:00:05`;
  }

  function configure(env: Record<string, string> = {}): CtgovConfig {
    const reader = new EnvReader({
      CTGOV_BASE_URL: ctgov.apiBaseUrl,
      CTGOV_MIN_INTERVAL_MS: '0',
      CTGOV_RETRIES: '0',
      CTGOV_PAGE_SIZE: '7',
      ...env,
    });
    const config = parseCtgovConfig(reader, true);
    expect(reader.problems).toEqual([]);
    deps = {
      config: testConfig(store.url, { ctgov: config }),
      store,
      sources: [ctgovSource],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
    return config;
  }

  beforeEach(async () => {
    await resetTables(store.db);
    ctgov.setStudies(SUBSET);
    ctgov.emptyPages.clear();
    ctgov.sendTotalCount = true;
    ctgov.totalCountSkew = 0;
    core.clearFaults();
    day('2026-05-01');
    configure();
  });

  const harvest = async (mode: HarvestMode) => {
    core.clearRequests();
    return runHarvest(deps, { source: 'ctgov', mode, trigger: 'manual' });
  };
  const versionCount = async () =>
    (await store.db.selectFrom('trial_versions').select('trial_id').execute()).length;
  const activeIds = async () =>
    (
      await store.db.selectFrom('trials').select('id').where('removed_at', 'is', null).orderBy('id').execute()
    ).map((row) => row.id);
  const diffOf = async (id: string, version: number) => {
    const row = await store.db
      .selectFrom('trial_versions')
      .select('diff')
      .where('trial_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.diff!) as { path: string; old?: unknown; new?: unknown }[];
  };

  it('harvests all 200 real studies in full, with the same parameters on every page', async () => {
    ctgov.setStudies(ALL);
    configure({ CTGOV_PAGE_SIZE: '40' });
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'succeeded', fetched: 200, created: 200, skipped: 0, removed: 0 });
    expect(run.info).toMatchObject({
      plan: 'full',
      totalCount: 200,
      studies: 200,
      pages: 5,
      dataTimestamp: '2026-05-01T09:00:05',
      apiVersion: '2.0.5',
    });
    const listings = ctgov.listingRequests();
    expect(listings).toHaveLength(5);
    expect(listings[0]!.query).toEqual({ pageSize: '40', countTotal: 'true' });
    for (const request of listings.slice(1)) {
      expect(request.query).toEqual({ pageSize: '40', countTotal: 'true', pageToken: expect.any(String) });
    }
    expect(ctgov.versionRequests()).toHaveLength(1);

    const trial = await store.db
      .selectFrom('trials')
      .selectAll()
      .where('id', '=', 'NCT04431453')
      .executeTakeFirstOrThrow();
    expect(trial).toMatchObject({
      source: 'ctgov',
      version: 1,
      status: 'COMPLETED',
      phase: 'PHASE2/PHASE3',
      study_type: 'INTERVENTIONAL',
      institution: 'Gilead Sciences',
      enrollment: 59,
      source_updated_at: '2023-12-22',
      removed_at: null,
    });
    expect(Number(trial.has_results)).toBe(1);
    const state = await getSourceState(store.db, 'ctgov');
    expect(state.state).toMatchObject({
      dataTimestamp: '2026-05-01T09:00:05',
      since: '2026-05-01',
      query: '',
    });
    expect(state.state.lastReconciledAt).toEqual(state.state.lastFullAt);

    const again = await harvest('full');
    expect(again).toMatchObject({
      status: 'succeeded',
      fetched: 200,
      unchanged: 200,
      created: 0,
      updated: 0,
    });
    expect(await versionCount()).toBe(200);
  });

  it('fetches only the studies updated since a day before the last success (incremental)', async () => {
    expect(await harvest('full')).toMatchObject({ status: 'succeeded', created: 30 });
    const [a, b, c, d] = ctgov.ids();
    // a: updated after the run; b: posted on the overlap day; c: changed but posted before the window.
    ctgov.updateStudy(a!, (study) => {
      const status = statusModule(study);
      status.overallStatus = 'SUSPENDED';
      status.lastUpdatePostDateStruct = {
        ...(status.lastUpdatePostDateStruct as object),
        date: '2026-05-02',
      };
    });
    ctgov.updateStudy(b!, (study) => {
      statusModule(study).whyStopped = 'Funding';
      statusModule(study).lastUpdatePostDateStruct = { date: '2026-04-30', type: 'ACTUAL' };
    });
    ctgov.updateStudy(c!, (study) => {
      statusModule(study).whyStopped = 'Too early to be seen';
      statusModule(study).lastUpdatePostDateStruct = { date: '2026-04-29', type: 'ACTUAL' };
    });
    ctgov.removeStudy(d!);
    day('2026-05-02');

    const run = await harvest('incremental');
    expect(run).toMatchObject({
      status: 'succeeded',
      fetched: 2,
      updated: 2,
      unchanged: 0,
      removed: 0,
      created: 0,
    });
    expect(run.info).toMatchObject({ plan: 'incremental', updatedFrom: '2026-04-30', totalCount: 2 });
    const listings = ctgov.listingRequests();
    expect(listings).toHaveLength(1);
    expect(listings[0]!.query).toEqual({
      'filter.advanced': RANGE_FROM('2026-04-30'),
      pageSize: '7',
      countTotal: 'true',
    });
    expect((await diffOf(a!, 2)).map((change) => change.path)).toEqual([
      'protocolSection.statusModule.lastUpdatePostDateStruct.date',
      'protocolSection.statusModule.overallStatus',
    ]);
    // An incremental listing removes nothing: d is still active, c still at version 1.
    expect(await activeIds()).toContain(d);
    const cRow = await store.db
      .selectFrom('trials')
      .select('version')
      .where('id', '=', c!)
      .executeTakeFirstOrThrow();
    expect(cRow.version).toBe(1);

    // The next day's window starts a day before: a's update of 2026-05-02 is read again, unchanged.
    day('2026-05-03');
    const next = await harvest('incremental');
    expect(next).toMatchObject({ status: 'succeeded', fetched: 1, unchanged: 1, updated: 0 });
    expect(ctgov.listingRequests()[0]!.query['filter.advanced']).toBe(RANGE_FROM('2026-05-01'));
  });

  it('skips the run when /version has not moved since the last success', async () => {
    await harvest('full');
    const before = await getSourceState(store.db, 'ctgov');
    ctgov.setLastUpdatePostDate(ctgov.ids()[0]!, '2026-05-01');
    clock += 3_600_000;
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'skipped', fetched: 0, updated: 0 });
    expect(run.errorMessage).toBe(
      'ClinicalTrials.gov has published no new data since the last successful harvest (dataTimestamp 2026-05-01T09:00:05)',
    );
    expect(core.requests.map((request) => request.path)).toEqual(['/api/v2/version']);
    const after = await getSourceState(store.db, 'ctgov');
    expect(after.state).toEqual(before.state);
    expect(after.lastRunId).toBe(run.id);

    // A full harvest is never skipped.
    expect(await harvest('full')).toMatchObject({ status: 'succeeded', updated: 1 });
  });

  it('runs a full listing when asked for an incremental one without an earlier success', async () => {
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'succeeded', created: 30 });
    expect(run.info).toMatchObject({ plan: 'full', fullBecause: 'there is no earlier successful harvest' });
    expect(ctgov.listingRequests()[0]!.query['filter.advanced']).toBeUndefined();
  });

  it('reconciles by id: removes a vanished study and follows a merged id', async () => {
    configure({ CTGOV_RECONCILE_DAYS: '0' });
    await harvest('full');
    const [vanished, merged, survivor, changed] = ctgov.ids();
    ctgov.removeStudy(vanished!);
    // The merge leaves the survivor's last-update date alone: only the id pass can notice it.
    ctgov.mergeStudy(merged!, survivor!);
    ctgov.updateStudy(changed!, (study) => {
      statusModule(study).overallStatus = 'WITHDRAWN';
      statusModule(study).lastUpdatePostDateStruct = { date: '2026-05-02', type: 'ACTUAL' };
    });
    const fresh = structuredClone(ALL[100]!);
    ctgov.addStudy(fresh);
    day('2026-05-02');

    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'succeeded', updated: 2, removed: 2, restored: 0, created: 0 });
    // The new study's update date is old, so only the id pass saw it; a content harvest will fetch it.
    expect(run.skipped).toBe(1);
    expect(run.skippedReasons).toEqual([
      {
        id: (fresh.protocolSection as Modules).identificationModule!.nctId,
        reason: 'listed by id only and not stored yet: a content harvest will fetch it',
      },
    ]);
    expect(run.info).toMatchObject({
      plan: 'incremental+reconcile',
      reconciliation: { complete: true, listed: 29, totalCount: 29, merged: 1, mergedFetched: 1 },
    });

    const listings = ctgov.listingRequests();
    // The merged study is on the first id page: it is fetched in full before the next id page.
    expect(listings.map((request) => Object.keys(request.query).sort().join(','))).toEqual([
      'countTotal,filter.advanced,pageSize',
      'countTotal,fields,pageSize',
      'filter.ids,pageSize',
      ...Array.from({ length: 4 }, () => 'countTotal,fields,pageSize,pageToken'),
    ]);
    expect(listings[1]!.query.fields).toBe('NCTId,NCTIdAlias');
    expect(listings[2]!.query['filter.ids']).toBe(survivor);

    const removed = await store.db
      .selectFrom('trials')
      .select(['id', 'removed_at'])
      .where('id', 'in', [vanished!, merged!])
      .execute();
    expect(removed.every((row) => row.removed_at !== null)).toBe(true);
    expect(await activeIds()).toHaveLength(28);
    expect(await diffOf(survivor!, 2)).toEqual([
      { path: 'protocolSection.identificationModule.nctIdAliases', new: [merged] },
    ]);
    const aliases = await store.db.selectFrom('trial_aliases').select(['alias', 'trial_id']).execute();
    expect(aliases).toEqual([{ alias: merged, trial_id: survivor }]);
    const state = await getSourceState(store.db, 'ctgov');
    expect(state.state.lastReconciledAt).toBeGreaterThan(0);
    expect(state.state.lastFullAt).toBeLessThan(state.state.lastReconciledAt as number);
  });

  it('does not fetch a merged study twice when its update date moved too', async () => {
    configure({ CTGOV_RECONCILE_DAYS: '0' });
    await harvest('full');
    const [merged, survivor] = ctgov.ids();
    ctgov.mergeStudy(merged!, survivor!, '2026-05-02');
    day('2026-05-02');
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'succeeded', updated: 1, removed: 1, skipped: 0 });
    expect(ctgov.listingRequests().some((request) => 'filter.ids' in request.query)).toBe(false);
    const aliases = await store.db.selectFrom('trial_aliases').select(['alias', 'trial_id']).execute();
    expect(aliases).toEqual([{ alias: merged, trial_id: survivor }]);
  });

  it('reconciles only every CTGOV_RECONCILE_DAYS', async () => {
    configure({ CTGOV_RECONCILE_DAYS: '7' });
    await harvest('full');
    ctgov.removeStudy(ctgov.ids()[0]!);
    day('2026-05-02');
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'succeeded', removed: 0 });
    expect(run.info).toMatchObject({ plan: 'incremental' });
    expect(ctgov.listingRequests().some((request) => 'fields' in request.query)).toBe(false);
  });

  it('removes nothing when the id pass does not add up, and reconciles again next time', async () => {
    configure({ CTGOV_RECONCILE_DAYS: '0' });
    await harvest('full');
    const before = await getSourceState(store.db, 'ctgov');
    const [vanished] = ctgov.ids();
    ctgov.removeStudy(vanished!);
    ctgov.totalCountSkew = (query) => (query.has('fields') ? 1 : 0);
    day('2026-05-02');
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'succeeded', removed: 0, unchanged: 29 });
    expect(run.info).toMatchObject({
      reconciliation: {
        complete: false,
        listed: 29,
        totalCount: 30,
        reason: 'the id listing held 29 studies but totalCount is 30',
      },
    });
    expect(await activeIds()).toContain(vanished);
    const after = await getSourceState(store.db, 'ctgov');
    expect(after.state.lastReconciledAt).toBe(before.state.lastReconciledAt);
    expect(after.state.dataTimestamp).toBe('2026-05-02T09:00:05');

    ctgov.totalCountSkew = 0;
    day('2026-05-03');
    expect(await harvest('incremental')).toMatchObject({ status: 'succeeded', removed: 1 });
  });

  it('does not end the harvest at a page that has a nextPageToken but no studies', async () => {
    ctgov.emptyPages.add(1).add(3).add(4);
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'succeeded', created: 30 });
    expect(run.info).toMatchObject({ pages: 8, emptyPages: 3, totalCount: 30, studies: 30 });
    expect(ctgov.listingRequests()).toHaveLength(8);

    // The listing after empty pages is complete, so a vanished study is removed.
    ctgov.removeStudy(ctgov.ids()[29]!);
    expect(await harvest('full')).toMatchObject({ status: 'succeeded', removed: 1, unchanged: 29 });
  });

  it('removes nothing after a full listing that falls short of totalCount', async () => {
    await harvest('full');
    ctgov.removeStudy(ctgov.ids()[0]!);
    ctgov.totalCountSkew = 1;
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'partial', removed: 0, errorCode: 'HARVEST_INCOMPLETE' });
    expect(run.errorMessage).toContain('ctgov: the full listing held 29 studies but totalCount is 30');
  });

  it('creates no version for a versionHolder-only change', async () => {
    await harvest('full');
    for (const id of ctgov.ids()) {
      ctgov.updateStudy(id, (study) => {
        derived(study).miscInfoModule!.versionHolder = '2026-05-02';
      });
    }
    day('2026-05-02');
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'succeeded', unchanged: 30, updated: 0 });
    expect(await versionCount()).toBe(30);
  });

  it('creates no version when the derived MeSH lists are only re-ordered', async () => {
    await harvest('full');
    let reordered = 0;
    for (const id of ctgov.ids()) {
      ctgov.updateStudy(id, (study) => {
        for (const module of ['conditionBrowseModule', 'interventionBrowseModule']) {
          for (const list of ['meshes', 'ancestors', 'browseLeaves', 'browseBranches']) {
            const items = derived(study)[module]?.[list] as unknown[] | undefined;
            if (items !== undefined && items.length > 1) {
              items.reverse();
              reordered++;
            }
          }
        }
      });
    }
    expect(reordered).toBeGreaterThan(20);
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'succeeded', unchanged: 30, updated: 0 });
    expect(await versionCount()).toBe(30);
  });

  it('creates one version when a date goes from ESTIMATED to ACTUAL on the same day', async () => {
    await harvest('full');
    const id = ctgov.ids().find((candidate) => {
      const struct = statusModule(ctgov.study(candidate)!).primaryCompletionDateStruct as
        { type?: string } | undefined;
      return struct?.type === 'ESTIMATED';
    })!;
    expect(id).toBeDefined();
    const date = (statusModule(ctgov.study(id)!).primaryCompletionDateStruct as { date: string }).date;
    ctgov.updateStudy(id, (study) => {
      statusModule(study).primaryCompletionDateStruct = { date, type: 'ACTUAL' };
    });
    const run = await harvest('full');
    expect(run).toMatchObject({ status: 'succeeded', updated: 1, unchanged: 29 });
    expect(await versionCount()).toBe(31);
    expect(await diffOf(id, 2)).toEqual([
      {
        path: 'protocolSection.statusModule.primaryCompletionDateStruct.type',
        old: 'ESTIMATED',
        new: 'ACTUAL',
      },
    ]);
    const change = await store.db
      .selectFrom('changes')
      .select(['kind', 'paths'])
      .where('run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(change.kind).toBe('updated');
    expect(JSON.parse(change.paths)).toEqual([
      'protocolSection.statusModule.primaryCompletionDateStruct.type',
    ]);
  });

  it('applies CTGOV_QUERY to every mode, and harvests in full after it changes', async () => {
    ctgov.setStudies(ALL);
    configure({ CTGOV_QUERY: 'query.locn=Korea', CTGOV_RECONCILE_DAYS: '0' });
    const full = await harvest('full');
    expect(full).toMatchObject({ status: 'succeeded', created: 12 });
    for (const request of ctgov.listingRequests()) expect(request.query['query.locn']).toBe('Korea');

    day('2026-05-02');
    const incremental = await harvest('incremental');
    expect(incremental).toMatchObject({ status: 'succeeded', unchanged: 12, removed: 0 });
    const listings = ctgov.listingRequests();
    expect(listings.some((request) => 'filter.advanced' in request.query)).toBe(true);
    expect(listings.some((request) => 'fields' in request.query)).toBe(true);
    for (const request of listings) expect(request.query['query.locn']).toBe('Korea');

    // Narrowed to every status but TERMINATED: one of the twelve leaves the mirror.
    const statuses = 'RECRUITING,NOT_YET_RECRUITING,ACTIVE_NOT_RECRUITING,COMPLETED,UNKNOWN,WITHDRAWN';
    configure({
      CTGOV_QUERY: `query.locn=Korea&filter.overallStatus=${statuses}`,
      CTGOV_RECONCILE_DAYS: '0',
    });
    day('2026-05-03');
    const rescoped = await harvest('incremental');
    expect(rescoped.info).toMatchObject({
      plan: 'full',
      fullBecause: 'CTGOV_QUERY changed since the last successful harvest',
      query: `query.locn=Korea&filter.overallStatus=${encodeURIComponent(statuses)}`,
    });
    expect(rescoped).toMatchObject({ status: 'succeeded', unchanged: 11, removed: 1 });
    for (const request of ctgov.listingRequests()) {
      expect(request.query).toMatchObject({ 'query.locn': 'Korea', 'filter.overallStatus': statuses });
    }
  });

  it('keeps each study as the registry sent it, byte for byte, and diffs the next version from it', async () => {
    configure({ CTGOV_PAGE_SIZE: '10' });
    const first = await harvest('full');
    expect(first).toMatchObject({ status: 'succeeded', created: 30 });
    const changed = ctgov.ids()[3]!;
    const before = JSON.stringify(ctgov.study(changed));
    ctgov.updateStudy(changed, (study) => {
      statusModule(study).overallStatus = 'TERMINATED';
    });
    const second = await harvest('full');
    expect(second).toMatchObject({ status: 'succeeded', updated: 1, unchanged: 29 });
    const versions = await store.db
      .selectFrom('trial_versions')
      .select(['version', 'raw'])
      .where('trial_id', '=', changed)
      .orderBy('version')
      .execute();
    // The fake registry writes each study with JSON.stringify, as the real one writes compact JSON.
    expect(versions.map((row) => gunzipSync(row.raw).toString('utf8'))).toEqual([
      before,
      JSON.stringify(ctgov.study(changed)),
    ]);
    expect(decompressJson(versions[1]!.raw)).toEqual(ctgov.study(changed));
    expect(await diffOf(changed, 2)).toEqual([
      { path: 'protocolSection.statusModule.overallStatus', old: expect.any(String), new: 'TERMINATED' },
    ]);
  });

  it('fails the run with the first line of an error sent as text, and keeps the state', async () => {
    await harvest('full');
    const before = await getSourceState(store.db, 'ctgov');
    day('2026-05-02');
    ctgov.failWith('text', { status: 400, message: 'Invalid filter.advanced: unexpected token' });
    const run = await harvest('incremental');
    expect(run).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_REJECTED', removed: 0 });
    expect(run.errorMessage).toMatch(
      /^ctgov: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/studies\?filter\.advanced=.* was rejected with HTTP 400: Invalid filter\.advanced: unexpected token$/,
    );
    expect((await getSourceState(store.db, 'ctgov')).state).toEqual(before.state);

    ctgov.failWith('html-as-json', { status: 200, message: 'Access Denied' });
    const html = await harvest('incremental');
    expect(html).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_BAD_RESPONSE' });
    expect(html.errorMessage).toContain(
      'with an HTML page instead of JSON (content type application/json;charset=UTF-8): 200 Access Denied',
    );
  });
});
