/**
 * Links between registries and merged ids, end to end: the ctgov and cris adapters harvest the
 * fake registries (real fixtures) through the real harvest service, and the API shows what they
 * recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TrialSchema,
  TrialVersionListSchema,
  TrialVersionSchema,
} from '../../src/api/schemas/trial.schema.js';
import { EnvReader } from '../../src/config/env-reader.js';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { createCrisSource } from '../../src/sources/cris/cris-source.js';
import { parseCtgovConfig } from '../../src/sources/ctgov/ctgov-config.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { CRIS_FAKE_KEY, realCrisTrials } from '../../testkit/fake-cris.js';
import type { FakeStudy } from '../../testkit/fake-ctgov.js';
import { ctgovFixture } from '../../testkit/fake-ctgov.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { silentLog, testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';

/** A real study that, as many Korean sponsors' studies do, lists its CRIS registration. */
const NAMES_CRIS = 'NCT04044170';
/** A real CRIS trial (the one real detail record). */
const CRIS_TRIAL = 'KCT0000145';
/** A CRIS trial whose detail names a ClinicalTrials.gov study. */
const CRIS_NAMING = 'KCT0006758';
const NAMED_BY_CRIS = 'NCT00000410';
/** Merged into SURVIVOR by the registry during the test. */
const MERGED = 'NCT00124774';
const SURVIVOR = 'NCT00203190';

interface Link {
  id: string;
  source: string | null;
  relation: string;
  mirrored: boolean;
}
interface TrialBody {
  id: string;
  links: Link[];
  resolvedFrom?: string;
}

function studies(): FakeStudy[] {
  const naming = ctgovFixture(NAMES_CRIS);
  const identification = (naming.protocolSection as Record<string, Record<string, unknown>>)
    .identificationModule as Record<string, unknown>;
  identification.secondaryIdInfos = [
    ...((identification.secondaryIdInfos as unknown[] | undefined) ?? []),
    { id: CRIS_TRIAL, type: 'REGISTRY', domain: 'CRIS' },
    // Registered in CRIS, but not in this mirror.
    { id: 'KCT0999999', type: 'REGISTRY', domain: 'CRIS' },
  ];
  return [naming, ...[NAMED_BY_CRIS, MERGED, SURVIVOR].map((id) => ctgovFixture(id))];
}

describe.each(storeKinds())('links between registries and merged ids on %s', (kind) => {
  let t: TestApp;
  let upstream: FakeUpstream;
  let deps: HarvestDeps;
  let clock = Date.parse('2026-05-01T12:00:00Z');

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const trial = async (id: string): Promise<TrialBody> => {
    const response = await get(`/api/v1/trials/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<TrialBody>();
    expectSchema(TrialSchema, body);
    return body;
  };
  const ids = async (query: string) =>
    (await get(`/api/v1/trials?limit=1000&${query}`))
      .json<{ items: { id: string }[] }>()
      .items.map((item) => item.id);
  const harvest = (source: 'ctgov' | 'cris', mode: 'full' | 'incremental' = 'full') =>
    runHarvest(deps, { source, mode, trigger: 'manual' });

  beforeAll(async () => {
    t = await createTestApp(kind);
    const crisTrials = realCrisTrials();
    const naming = crisTrials.find((item) => item.list.trial_id === CRIS_NAMING);
    if (naming === undefined) throw new Error(`no ${CRIS_NAMING} in the CRIS fixtures`);
    naming.detail.secondary_id = `${NAMED_BY_CRIS}, SPONSOR-2021-01`;
    upstream = await startFakeUpstream({ ctgov: { studies: studies() }, cris: { trials: crisTrials } });
    upstream.ctgov.dataTimestamp = '2026-05-01T09:00:05';
    const reader = new EnvReader({
      CTGOV_BASE_URL: upstream.ctgov.apiBaseUrl,
      CTGOV_MIN_INTERVAL_MS: '0',
      CTGOV_RETRIES: '0',
      CTGOV_RECONCILE_DAYS: '0',
    });
    const ctgov = parseCtgovConfig(reader, true);
    expect(reader.problems).toEqual([]);
    const cris = {
      ...testSourceConfig(),
      baseUrl: upstream.cris.baseUrl,
      serviceKey: CRIS_FAKE_KEY,
      dailyCallBudget: 9_000,
      numOfRows: 50,
    };
    deps = {
      config: testConfig(t.store.url, { ctgov, cris }),
      store: t.store,
      sources: [ctgovSource, createCrisSource({ now: () => clock })],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
  });
  afterAll(async () => {
    await upstream.close();
    await t.close();
  });

  it('shows a ClinicalTrials.gov study and the CRIS trial it names as linked, from both sides', async () => {
    expect(await harvest('cris')).toMatchObject({ status: 'succeeded', created: 12 });
    const before = await get(`/api/v1/trials/${CRIS_TRIAL}`);
    expect(before.json<TrialBody>().links).toEqual([]);
    const etag = before.headers.etag as string;

    expect(await harvest('ctgov')).toMatchObject({ status: 'succeeded', created: 4 });
    expect((await trial(NAMES_CRIS)).links).toEqual([
      { id: CRIS_TRIAL, source: 'cris', relation: 'secondary-id', mirrored: true },
      { id: 'KCT0999999', source: 'cris', relation: 'secondary-id', mirrored: false },
    ]);
    expect((await trial(CRIS_TRIAL)).links).toEqual([
      { id: NAMES_CRIS, source: 'ctgov', relation: 'named-by', mirrored: true },
    ]);
    // A link that appears changes the trial's ETag, though its version did not change.
    const after = await get(`/api/v1/trials/${CRIS_TRIAL}`, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });

  it('shows a CRIS trial that names a ClinicalTrials.gov study as linked, from both sides', async () => {
    expect((await trial(CRIS_NAMING)).links).toEqual([
      { id: NAMED_BY_CRIS, source: 'ctgov', relation: 'secondary-id', mirrored: true },
    ]);
    expect((await trial(NAMED_BY_CRIS)).links).toEqual([
      { id: CRIS_NAMING, source: 'cris', relation: 'named-by', mirrored: true },
    ]);
  });

  it('filters the list with linkedTo, in either direction, combined with other filters', async () => {
    expect(await ids(`linkedTo=${CRIS_TRIAL}`)).toEqual([NAMES_CRIS]);
    expect(await ids(`linkedTo=${NAMES_CRIS}`)).toEqual([CRIS_TRIAL]);
    expect(await ids(`linkedTo=${NAMED_BY_CRIS.toLowerCase()}`)).toEqual([CRIS_NAMING]);
    expect(await ids(`linkedTo=${CRIS_NAMING}&source=cris`)).toEqual([]);
    expect(await ids(`linkedTo=${CRIS_NAMING}&source=ctgov`)).toEqual([NAMED_BY_CRIS]);
    expect(await ids('linkedTo=KCT0999999')).toEqual([NAMES_CRIS]);
    expect(await ids('linkedTo=NCT99999999')).toEqual([]);
    // It narrows: 16 trials in all.
    expect(await ids('')).toHaveLength(16);
  });

  it('answers a merged id with the current study, says so, and follows it for the versions', async () => {
    upstream.ctgov.mergeStudy(MERGED, SURVIVOR, '2026-05-02');
    clock = Date.parse('2026-05-02T12:00:00Z');
    upstream.ctgov.dataTimestamp = '2026-05-02T09:00:05';
    expect(await harvest('ctgov', 'incremental')).toMatchObject({ status: 'succeeded', removed: 1 });

    const response = await get(`/api/v1/trials/${MERGED}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<TrialBody>();
    expectSchema(TrialSchema, body);
    expect(body).toMatchObject({ id: SURVIVOR, resolvedFrom: MERGED });
    expect(response.headers['content-location']).toBe(`/api/v1/trials/${SURVIVOR}`);
    // The current id answers as itself, with no resolvedFrom.
    const current = await get(`/api/v1/trials/${SURVIVOR}`);
    expect(current.json<TrialBody>().resolvedFrom).toBeUndefined();
    expect(current.headers['content-location']).toBeUndefined();
    expect(current.headers.etag).not.toBe(response.headers.etag);

    const versions = await get(`/api/v1/trials/${MERGED}/versions`);
    expect(versions.statusCode).toBe(200);
    expectSchema(TrialVersionListSchema, versions.json());
    expect(versions.json()).toMatchObject({ trialId: SURVIVOR, currentVersion: 2, resolvedFrom: MERGED });
    expect(versions.headers['content-location']).toBe(`/api/v1/trials/${SURVIVOR}/versions`);
    const version = await get(`/api/v1/trials/${MERGED}/versions/2`);
    expect(version.statusCode).toBe(200);
    expectSchema(TrialVersionSchema, version.json());
    expect(version.json()).toMatchObject({ trialId: SURVIVOR, version: 2, resolvedFrom: MERGED });
    expect(version.headers['content-location']).toBe(`/api/v1/trials/${SURVIVOR}/versions/2`);

    // The merged study's own record stays in the list of removed trials, under its own id.
    expect(await ids(`includeRemoved=true&q=${MERGED}`)).toContain(MERGED);
    const unknown = await get('/api/v1/trials/NCT99999999');
    expect(unknown.statusCode).toBe(404);
  });
});
