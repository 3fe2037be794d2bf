import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HarvestMode } from '../../../src/domain/trial.types.js';
import type { HarvestDeps } from '../../../src/harvest/harvest.service.js';
import { runHarvest } from '../../../src/harvest/harvest.service.js';
import type { CrisConfig } from '../../../src/sources/cris/cris-config.js';
import type { CrisSyncState } from '../../../src/sources/cris/cris-state.js';
import { createCrisSource } from '../../../src/sources/cris/cris-source.js';
import { cleanLine } from '../../../src/sources/cris/cris-vocabulary.js';
import { decompressJson } from '../../../src/store/compression.js';
import { getSourceState } from '../../../src/store/source-state.repository.js';
import type { FakeCris } from '../../../testkit/fake-cris.js';
import {
  CRIS_FAKE_KEY,
  installCris,
  realCrisTrials,
  slashDate,
  syntheticCrisTrials,
} from '../../../testkit/fake-cris.js';
import { FakeServerCore } from '../../../testkit/fake-upstream.js';
import { silentLog, testConfig, testSourceConfig } from '../../../testkit/memory-source.js';
import type { TestStore } from '../../support/test-store.js';
import { createTestStore, storeKinds } from '../../support/test-store.js';
import { resetTables } from '../../support/reset-tables.js';

const DAY_MS = 86_400_000;

describe.each(storeKinds())('cris sync through the harvest service on %s', (kind) => {
  let store: TestStore;
  let core: FakeServerCore;
  let cris: FakeCris;
  let crisConfig: CrisConfig;
  let deps: HarvestDeps;
  /** The wall clock of the test: the quota day of the source and the harvest's timestamps. */
  let clock: number;

  beforeAll(async () => {
    store = await createTestStore(kind);
    core = new FakeServerCore();
    cris = installCris(core);
    await core.listen();
  });
  afterAll(async () => {
    await core.close();
    await store.drop();
  });

  beforeEach(async () => {
    await resetTables(store.db);
    core.clearFaults();
    cris.setTrials(realCrisTrials());
    cris.detailMissing.clear();
    cris.listHook = undefined;
    cris.dailyQuota = null;
    cris.resetQuota();
    cris.resetCalls();
    // 2026-09-01 09:00 KST.
    clock = Date.parse('2026-09-01T00:00:00Z');
    crisConfig = {
      ...testSourceConfig(),
      baseUrl: cris.baseUrl,
      serviceKey: CRIS_FAKE_KEY,
      dailyCallBudget: 9_000,
      numOfRows: 50,
    };
    deps = {
      config: testConfig(store.url, { cris: crisConfig }),
      store,
      sources: [createCrisSource({ now: () => clock })],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
  });

  const harvest = async (mode: HarvestMode = 'incremental') => {
    cris.resetCalls();
    return runHarvest(deps, { source: 'cris', mode, trigger: 'manual' });
  };
  const savedState = async () => (await getSourceState(store.db, 'cris')).state as unknown as CrisSyncState;
  const trialRow = (id: string) =>
    store.db.selectFrom('trials').selectAll().where('id', '=', id).executeTakeFirst();
  const activeIds = async () =>
    (
      await store.db.selectFrom('trials').select('id').where('removed_at', 'is', null).orderBy('id').execute()
    ).map((row) => row.id);
  const nextDay = () => {
    clock += DAY_MS;
    cris.resetQuota();
  };

  it('mirrors every trial on the first run: one list call, one detail per trial, raw = list + detail', async () => {
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', fetched: 12, created: 12, skipped: 0, removed: 0 });
    expect(cris.calls()).toEqual({ list: 1, detail: 12, total: 13 });
    expect(run.info).toMatchObject({
      listed: 12,
      totalCount: 12,
      detailsFetched: 12,
      detailsPending: 0,
      callsThisRun: 13,
      callsToday: 13,
    });

    const real = await trialRow('KCT0000145');
    expect(real).toMatchObject({
      source: 'cris',
      title: '아미트리프틸린염산염정제 10밀리그램과 25밀리그램의 약동학적 특성 평가를 위한 비교 연구',
      status: 'COMPLETED',
      study_type: 'INTERVENTIONAL',
      institution: '동화약품(주)',
      enrollment: 12,
      source_updated_at: '2013-12-04',
    });
    const version = await store.db
      .selectFrom('trial_versions')
      .select('raw')
      .where('trial_id', '=', 'KCT0008659')
      .executeTakeFirstOrThrow();
    const raw = decompressJson(version.raw) as {
      list: Record<string, unknown>;
      detail: Record<string, unknown>;
    };
    expect(raw.list.scientific_title_kr).toContain('\r\n');
    expect(raw.detail).toMatchObject({
      trial_id: 'KCT0008659',
      resultCode: '00',
      date_registration: '2023/07/28',
    });
    expect((await trialRow('KCT0008659'))!.title).not.toContain('\n');

    const state = await savedState();
    expect(Object.keys(state.entries)).toHaveLength(12);
    expect(state).toMatchObject({
      pending: [],
      failed: [],
      calls: { day: '2026-09-01', used: 13 },
      totalCount: 12,
    });
    // Sent as the API wants it.
    expect(cris.requests()[0]!.query).toMatchObject({ resultType: 'JSON', numOfRows: '50', pageNo: '1' });
  });

  it('on later runs fetches details only for changed list entries and new registrations', async () => {
    await harvest();
    const lastRun = clock;

    const idle = await harvest();
    expect(idle).toMatchObject({ status: 'succeeded', fetched: 12, unchanged: 12, created: 0, updated: 0 });
    expect(cris.calls()).toEqual({ list: 1, detail: 0, total: 1 });

    // An edit that moves date_updated, a late registration date change, and a detail-only change
    // that the list entry does not show.
    cris.updateTrial('KCT0009342', {
      list: { date_updated: '2026-09-01' },
      detail: {
        date_updated: '2026/09/01',
        recruitment_status_kr: '연구종결',
        recruitment_status_en: 'Completed',
      },
    });
    cris.updateTrial('KCT0006761', {
      list: { date_registration: '2021-11-17' },
      detail: { date_registration: '2021/11/17' },
    });
    cris.updateTrial('KCT0006762', { detail: { target_size: 40 } });
    // A new registration whose last edit predates the last run: date_updated alone would miss it.
    const [fresh] = syntheticCrisTrials(1, { firstNumber: 12_459, firstRegistration: '2026-09-02' });
    fresh!.list.date_updated = '2026-08-20';
    fresh!.detail.date_updated = '2026/08/20';
    expect(Date.parse(String(fresh!.list.date_updated))).toBeLessThan(lastRun);
    cris.addTrial(fresh!);
    clock += 3_600_000;

    const run = await harvest();
    expect(run).toMatchObject({
      status: 'succeeded',
      fetched: 13,
      created: 1,
      updated: 2,
      unchanged: 10,
      removed: 0,
    });
    expect(cris.calls()).toEqual({ list: 1, detail: 3, total: 4 });
    expect(cris.detailIds().sort()).toEqual(['KCT0006761', 'KCT0009342', 'KCT0012459']);
    expect(await trialRow('KCT0012459')).toMatchObject({ source_updated_at: '2026-09-02' });
    expect(await trialRow('KCT0009342')).toMatchObject({ status: 'COMPLETED', version: 2 });
    // Not fetched, so not seen: the list entry did not move.
    expect(await trialRow('KCT0006762')).toMatchObject({ enrollment: 100, version: 1 });

    // --full re-fetches every detail and finds the change the list did not show.
    const full = await harvest('full');
    expect(full).toMatchObject({ status: 'succeeded', fetched: 13, updated: 1, unchanged: 12 });
    expect(cris.calls()).toEqual({ list: 1, detail: 13, total: 14 });
    expect(await trialRow('KCT0006762')).toMatchObject({ enrollment: 40, version: 2 });
  });

  it('removes a trial a complete listing no longer holds, and restores it when it comes back', async () => {
    await harvest();
    const gone = cris.trial('KCT0006759')!;
    cris.removeTrial('KCT0006759');
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', removed: 1, unchanged: 11 });
    expect(cris.calls().detail).toBe(0);
    expect((await trialRow('KCT0006759'))!.removed_at).not.toBeNull();
    expect((await savedState()).entries).not.toHaveProperty('KCT0006759');

    cris.addTrial(gone);
    const back = await harvest();
    expect(back).toMatchObject({ status: 'succeeded', restored: 1, unchanged: 11 });
    expect(cris.detailIds()).toEqual(['KCT0006759']);
    expect((await trialRow('KCT0006759'))!.removed_at).toBeNull();
  });

  it('stops at the daily call budget, removes nothing, skips the rest of the day, and resumes the next day', async () => {
    await harvest();
    cris.addTrial(syntheticCrisTrials(1)[0]!);
    const synthetic = syntheticCrisTrials(120).slice(1);
    for (const trial of synthetic) cris.addTrial(trial);
    nextDay();
    crisConfig.dailyCallBudget = 70;
    crisConfig.numOfRows = 50;

    // 132 trials: 3 list pages, then 67 of the 120 new details.
    const first = await harvest();
    expect(first).toMatchObject({ status: 'succeeded', created: 67, unchanged: 12, removed: 0, skipped: 53 });
    expect(cris.calls()).toEqual({ list: 3, detail: 67, total: 70 });
    expect(first.info).toMatchObject({ stoppedBy: 'budget', detailsPending: 53, callsToday: 70, budget: 70 });
    expect(await activeIds()).toHaveLength(79);
    const afterFirst = await savedState();
    expect(afterFirst.pending).toHaveLength(53);
    expect(afterFirst.calls).toEqual({ day: '2026-09-02', used: 70 });
    const firstDetails = new Set(cris.detailIds());

    // Later the same day: no call at all.
    clock += 3_600_000;
    const sameDay = await harvest();
    expect(sameDay.status).toBe('skipped');
    expect(sameDay.errorMessage).toContain('daily call budget is spent (70 of 70 calls on 2026-09-02 KST');
    expect(cris.calls().total).toBe(0);
    expect(await savedState()).toEqual(afterFirst);

    // The next day: exactly the pending ones, then done.
    nextDay();
    const second = await harvest();
    expect(second).toMatchObject({ status: 'succeeded', created: 53, unchanged: 79, skipped: 0, removed: 0 });
    expect(cris.calls()).toEqual({ list: 3, detail: 53, total: 56 });
    expect(cris.detailIds().filter((id) => firstDetails.has(id))).toEqual([]);
    expect(cris.detailIds()).toEqual(afterFirst.pending);
    expect(await activeIds()).toHaveLength(132);
    expect(await savedState()).toMatchObject({
      pending: [],
      failed: [],
      calls: { day: '2026-09-03', used: 56 },
    });
  });

  it('stops cleanly when the upstream says the quota is spent mid-run, and the next day completes', async () => {
    cris.setTrials(syntheticCrisTrials(60));
    cris.dailyQuota = 30;
    const first = await harvest();
    // 2 list pages + 28 details, then the gateway's XML code 22 under HTTP 200.
    expect(first).toMatchObject({ status: 'succeeded', created: 28, removed: 0, skipped: 32 });
    expect(cris.calls()).toEqual({ list: 2, detail: 29, total: 31 });
    expect(first.info).toMatchObject({ stoppedBy: 'upstream-quota', detailsPending: 32 });
    // The day is marked as spent so that later runs today make no call.
    expect((await savedState()).calls).toEqual({ day: '2026-09-01', used: 9_000 });
    expect((await harvest()).status).toBe('skipped');
    expect(cris.calls().total).toBe(0);

    // The quota is the same every day: 28 more details, then the rest on the third day.
    nextDay();
    const second = await harvest();
    expect(second).toMatchObject({ status: 'succeeded', created: 28, unchanged: 28, skipped: 4 });
    expect(cris.calls()).toEqual({ list: 2, detail: 29, total: 31 });
    nextDay();
    const third = await harvest();
    expect(third).toMatchObject({ status: 'succeeded', created: 4, unchanged: 56, skipped: 0 });
    expect(third.info).not.toHaveProperty('stoppedBy');
    expect(cris.calls()).toEqual({ list: 2, detail: 4, total: 6 });
    expect(await activeIds()).toHaveLength(60);
    expect(await savedState()).toMatchObject({
      pending: [],
      failed: [],
      calls: { day: '2026-09-03', used: 6 },
    });
  });

  it('fails on a quota answer while listing, keeping the state of the last good run and counting its call', async () => {
    await harvest();
    const before = await getSourceState(store.db, 'cris');
    cris.updateTrial('KCT0009342', { list: { date_updated: '2026-09-01' } });
    cris.failWith({ layer: 'application', code: '22' }, { operation: 'list' });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_QUOTA_EXCEEDED', removed: 0 });
    expect(run.errorMessage).toContain('daily call quota');
    expect(cris.calls().detail).toBe(0);
    // Everything as the last good run left it, but the call the failed run made counts today.
    expect(before.state.calls).toEqual({ day: '2026-09-01', used: 13 });
    expect(await getSourceState(store.db, 'cris')).toEqual({
      ...before,
      state: { ...before.state, calls: { day: '2026-09-01', used: 14 } },
    });
  });

  it.each([
    [{ layer: 'gateway-fixture', name: 'not-registered' } as const, 'UPSTREAM_KEY_UNREGISTERED'],
    [{ layer: 'gateway-fixture', name: 'key-null' } as const, 'UPSTREAM_KEY_MISSING'],
    [{ layer: 'gateway', format: 'json', code: '30', status: 403 } as const, 'UPSTREAM_KEY_UNREGISTERED'],
    [{ layer: 'gateway', format: 'xml', code: '22', status: 200 } as const, 'UPSTREAM_QUOTA_EXCEEDED'],
    [{ layer: 'application', code: '30' } as const, 'UPSTREAM_KEY_UNREGISTERED'],
  ])('records a failed run with the specific error for %j on /list', async (fault, code) => {
    cris.failWith(fault, { operation: 'list' });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'failed', errorCode: code, created: 0 });
    expect(run.errorMessage).not.toContain(CRIS_FAKE_KEY);
  });

  it('fails the run on a key error during the details; the next run fetches them again', async () => {
    cris.failWith({ layer: 'gateway', format: 'xml', code: '30', status: 403 }, { operation: 'detail' });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_KEY_UNREGISTERED', created: 0 });
    expect(cris.calls()).toEqual({ list: 1, detail: 1, total: 2 });
    const again = await harvest();
    expect(again).toMatchObject({ status: 'succeeded', created: 12 });
  });

  it('stores a listed trial whose detail answers 03 from its list entry (list-only), and replaces it when /detail serves it', async () => {
    await harvest();
    cris.detailMissing.add('KCT0009342');
    cris.updateTrial('KCT0009342', { list: { date_updated: '2026-09-01' } });
    const [fresh] = syntheticCrisTrials(1);
    const freshId = String(fresh!.list.trial_id);
    cris.addTrial(fresh!);
    cris.detailMissing.add(freshId);
    const docOf = async (id: string) =>
      JSON.parse((await trialRow(id))!.doc) as { sourceFields: { listOnly: boolean } };

    const run = await harvest();
    // The stored one keeps its detail (seen, not replaced by less); the new one is stored from its list entry.
    expect(run).toMatchObject({ status: 'succeeded', unchanged: 12, created: 1, skipped: 0, removed: 0 });
    expect(run.info).toMatchObject({ detailsNotFound: 2, detailsFailed: 2, detailsListOnly: 1 });
    expect((await trialRow('KCT0009342'))!.removed_at).toBeNull();
    expect((await docOf('KCT0009342')).sourceFields.listOnly).toBe(false);
    const listOnly = await trialRow(freshId);
    expect(listOnly).toMatchObject({
      source: 'cris',
      version: 1,
      removed_at: null,
      institution: cleanLine(fresh!.list.primary_sponsor_kr),
      source_updated_at: fresh!.list.date_registration,
    });
    expect(listOnly!.title).toContain('(합성 1)');
    expect((await docOf(freshId)).sourceFields.listOnly).toBe(true);
    expect((await savedState()).failed.sort()).toEqual(['KCT0009342', freshId]);

    // Still no detail: nothing moves, and both are asked for again.
    const again = await harvest();
    expect(again).toMatchObject({ status: 'succeeded', unchanged: 13, created: 0, updated: 0, skipped: 0 });
    expect(cris.detailIds().sort()).toEqual(['KCT0009342', freshId]);

    cris.detailMissing.clear();
    const next = await harvest();
    // KCT0009342's list entry changed since its last fetch, and the list-only one gets its detail.
    expect(next).toMatchObject({ status: 'succeeded', created: 0, updated: 2, unchanged: 11 });
    expect(cris.detailIds().sort()).toEqual(['KCT0009342', freshId]);
    expect(await trialRow(freshId)).toMatchObject({ version: 2, removed_at: null });
    expect((await docOf(freshId)).sourceFields.listOnly).toBe(false);
    expect((await savedState()).failed).toEqual([]);
  });

  it('keeps the calls and the details of a run that fails mid-way: they count today and are not fetched again', async () => {
    cris.setTrials(syntheticCrisTrials(60));
    // The 30th detail in list order (newest registration first) answers with a key error.
    cris.failWith(
      { layer: 'gateway', format: 'xml', code: '30', status: 403 },
      { operation: 'detail', crisNumber: 'KCT0900030' },
    );
    const failed = await harvest();
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_KEY_UNREGISTERED', created: 29 });
    expect(cris.calls()).toEqual({ list: 2, detail: 30, total: 32 });
    const stored = (await activeIds()).filter((id) => id >= 'KCT0900031');
    expect(stored).toHaveLength(29);
    const saved = await getSourceState(store.db, 'cris');
    expect(saved.lastSuccessAt).toBeNull();
    const state = saved.state as unknown as CrisSyncState;
    expect(state.calls).toEqual({ day: '2026-09-01', used: 32 });
    expect(Object.keys(state.entries).sort()).toEqual(stored);

    // Later the same day, with 50 calls a day: 2 list pages and 16 details are left.
    crisConfig.dailyCallBudget = 50;
    const next = await harvest();
    expect(next).toMatchObject({ status: 'succeeded', created: 16, unchanged: 29 });
    expect(next.info).toMatchObject({ stoppedBy: 'budget', callsToday: 50, detailsPending: 15 });
    expect(cris.calls()).toEqual({ list: 2, detail: 16, total: 18 });
    expect(cris.detailIds().filter((id) => stored.includes(id))).toEqual([]);
  });

  it('keeps the calls and the details written before a run is interrupted', async () => {
    cris.setTrials(syntheticCrisTrials(60));
    const controller = new AbortController();
    core.injectFault(
      { kind: 'respond', status: 500, body: '' },
      {
        // Never matches: it stops the harvest when the 30th detail is asked for.
        match: (request) => {
          if (request.query.get('crisNumber') === 'KCT0900030') controller.abort();
          return false;
        },
      },
    );
    cris.resetCalls();
    const run = await runHarvest(deps, {
      source: 'cris',
      mode: 'incremental',
      trigger: 'manual',
      signal: controller.signal,
    });
    expect(run.status).toBe('interrupted');
    core.clearFaults();
    const state = await savedState();
    const stored = await activeIds();
    // At least the first page of 25 details is written, and the state says so.
    expect(stored.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(state.entries).sort()).toEqual(stored);
    expect(state.calls.day).toBe('2026-09-01');
    expect(state.calls.used).toBeGreaterThanOrEqual(2 + stored.length);
    expect(state.calls.used).toBeLessThanOrEqual(cris.calls().total);

    const next = await harvest();
    expect(next).toMatchObject({
      status: 'succeeded',
      created: 60 - stored.length,
      unchanged: stored.length,
    });
    expect(cris.detailIds().filter((id) => stored.includes(id))).toEqual([]);
    expect((await savedState()).calls.used).toBe(state.calls.used + cris.calls().total);
  });

  it('stops fetching details after repeated upstream failures, keeps what it has, and resumes', async () => {
    cris.failWith({ layer: 'application', code: '01' }, { operation: 'detail', times: 5 });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', created: 0, skipped: 12, removed: 0 });
    expect(run.info).toMatchObject({ stoppedBy: 'upstream-errors', detailsFailed: 5, detailsPending: 7 });
    expect(cris.calls()).toEqual({ list: 1, detail: 5, total: 6 });
    const state = await savedState();
    expect(state.pending).toHaveLength(7);
    expect(state.failed).toHaveLength(5);

    const next = await harvest();
    expect(next).toMatchObject({ status: 'succeeded', created: 12 });
    // The waiting ones first, the failed ones last.
    expect(cris.detailIds()).toEqual([...state.pending, ...state.failed]);
  });

  it('removes nothing when the total moves during the listing, but keeps the work done', async () => {
    await harvest();
    cris.removeTrial('KCT0006758');
    crisConfig.numOfRows = 5;
    // The second page reports one trial more than the first: a registration arrived mid-crawl.
    cris.listHook = (body, page) => ({
      ...body,
      totalCount: Number(body.totalCount) + (page.pageNo >= 2 ? 1 : 0),
    });
    cris.updateTrial('KCT0009342', { list: { date_updated: '2026-09-01' } });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', removed: 0, updated: 1, unchanged: 10 });
    // 11 trials in pages of 5; the third page leaves the listing one short of 12, so a fourth, empty
    // one ends it.
    expect(cris.calls()).toEqual({ list: 4, detail: 1, total: 5 });
    expect(run.info.listingProblems).toEqual(['totalCount changed during the listing (11 → 12)']);
    expect((await trialRow('KCT0006758'))!.removed_at).toBeNull();
    // The state keeps the unlisted trial's entry: a later trusted listing decides.
    expect((await savedState()).entries).toHaveProperty('KCT0006758');

    cris.listHook = undefined;
    const trusted = await harvest();
    expect(trusted).toMatchObject({ status: 'succeeded', removed: 1, unchanged: 11 });
    expect((await savedState()).entries).not.toHaveProperty('KCT0006758');
  });

  it('copes with a registration arriving mid-crawl: entries shift, one repeats, the newcomer waits', async () => {
    await harvest();
    crisConfig.numOfRows = 5;
    const [newcomer] = syntheticCrisTrials(1);
    cris.listHook = (body, page) => {
      // Registered right after page 1 was served: it heads the list, pushing everything down.
      if (page.pageNo === 1 && cris.trial(String(newcomer!.list.trial_id)) === undefined)
        cris.addTrial(newcomer!);
      return body;
    };
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', created: 0, unchanged: 12, removed: 0, skipped: 0 });
    expect(run.info).toMatchObject({
      duplicates: 1,
      listed: 12,
      listingProblems: ['totalCount changed during the listing (12 → 13)'],
    });
    cris.listHook = undefined;
    const next = await harvest();
    expect(next).toMatchObject({ status: 'succeeded', created: 1, unchanged: 12 });
    expect(cris.detailIds()).toEqual(['KCT0900000']);
  });

  it('skips a list item without a registration number, and still trusts the listing', async () => {
    await harvest();
    cris.listHook = (body) => ({
      ...body,
      totalCount: Number(body.totalCount) + 1,
      items: [...(body.items as unknown[]), { trial_id: '', scientific_title_kr: '번호 없음' }],
    });
    cris.removeTrial('KCT0006758');
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', skipped: 1, unchanged: 11, removed: 1 });
    expect(run.skippedReasons).toEqual([
      { id: '', reason: 'cris: list page 1 has an item without a KCT registration number' },
    ]);
  });

  it('writes the detail dates of a new record normalised, from the slash form', async () => {
    const [trial] = syntheticCrisTrials(1, { firstRegistration: '2026-08-30' });
    cris.setTrials([trial!]);
    expect(trial!.detail.date_registration).toBe(slashDate('2026-08-30'));
    await harvest();
    expect(await trialRow('KCT0900000')).toMatchObject({ source_updated_at: '2026-08-30' });
  });
});
