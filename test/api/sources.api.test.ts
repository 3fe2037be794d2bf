import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarvestListSchema } from '../../src/api/schemas/harvest.schema.js';
import { SourceListSchema, SourceSchema } from '../../src/api/schemas/source.schema.js';
import type { HarvestStatus } from '../../src/domain/trial.types.js';
import { createRun, finishRun } from '../../src/store/harvest-run.repository.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, HOUR, T0 } from './support/test-app.js';

const counts = { fetched: 3, created: 2, updated: 1, unchanged: 0, removed: 0, restored: 0, skipped: 0 };

describe.each(storeKinds())('sources and harvests API on %s', (kind) => {
  let t: TestApp;
  const runIds: number[] = [];

  async function run(source: string, status: HarvestStatus, at: number): Promise<number> {
    const id = await createRun(t.store.db, {
      source,
      mode: 'full',
      trigger: 'schedule',
      holder: 'test',
      now: at,
    });
    if (status !== 'running') {
      await finishRun(t.store.db, id, {
        status,
        counts,
        skippedReasons: status === 'partial' ? [{ id: 'C1', reason: 'no title' }] : [],
        ...(status === 'failed'
          ? { errorCode: 'UPSTREAM_TIMEOUT', errorMessage: 'The upstream did not answer' }
          : {}),
        info: { uddi: 'cfc19dda' },
        now: at + 60_000,
      });
    }
    runIds.push(id);
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.now = T0;
    await t.seed.create({ id: 'C400001' });
    await t.seed.create({ id: 'C400002' });
    await t.seed.create({ id: 'C400003' });
    await t.seed.remove('C400003');
    await t.seed.create({ id: 'NCT40000001', source: 'ctgov' });
    await run('kr-icreat', 'succeeded', T0 - 30 * HOUR);
    await run('ctgov', 'failed', T0 - 20 * HOUR);
    await run('kr-icreat', 'partial', T0 - 10 * HOUR);
    for (let i = 0; i < 4; i++) await run('ctgov', 'succeeded', T0 - (9 - i) * HOUR);
    await run('kr-icreat', 'failed', T0 - 2 * HOUR);
  });
  afterAll(async () => t.close());

  it('describes every registered source: configuration, trials, last run and next run', async () => {
    const response = await t.app.inject('/api/v1/sources');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectSchema(SourceListSchema, body);
    expect(body.items.map((source: { id: string }) => source.id)).toEqual(['kr-icreat', 'ctgov', 'cris']);
    const [kr, ctgov, cris] = body.items;
    expect(kr).toMatchObject({
      enabled: true,
      configured: true,
      missing: [],
      schedule: '0 4 * * *',
      timeZone: 'Asia/Seoul',
      // 04:00 in Seoul is 19:00 UTC the day before.
      nextRunAt: '2024-06-01T19:00:00.000Z',
      trials: { total: 3, active: 2, removed: 1 },
      lastRun: { status: 'failed', source: 'kr-icreat' },
      lastSuccessAt: new Date(T0 - 30 * HOUR + 60_000).toISOString(),
    });
    expect(ctgov).toMatchObject({
      enabled: false,
      nextRunAt: null,
      trials: { total: 1, active: 1, removed: 0 },
    });
    expect(ctgov.lastRun.status).toBe('succeeded');
    expect(cris).toMatchObject({
      enabled: true,
      configured: false,
      missing: ['CRIS_SERVICE_KEY'],
      nextRunAt: null,
      lastRun: null,
      lastSuccessAt: null,
      trials: { total: 0, active: 0, removed: 0 },
    });
  });

  it('answers one source, or 404 SOURCE_NOT_FOUND', async () => {
    const one = await t.app.inject('/api/v1/sources/ctgov');
    expect(one.statusCode).toBe(200);
    expectSchema(SourceSchema, one.json());
    expect(one.json().name).toBe('ClinicalTrials.gov');
    const missing = await t.app.inject('/api/v1/sources/who-ictrp');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'SOURCE_NOT_FOUND', details: { id: 'who-ictrp' } });
    expect((await t.app.inject('/api/v1/sources/Bad_Id')).json().code).toBe('VALIDATION_FAILED');
    expect((await t.app.inject('/api/v1/sources?verbose=1')).json().code).toBe('UNKNOWN_PARAMETER');
  });

  it('uses the scheduler’s own next run when it is given one', async () => {
    const { buildApp } = await import('../../src/api/app.js');
    const { testConfig, TEST_SOURCES } = await import('./support/test-app.js');
    const app = await buildApp({
      config: testConfig(t.store),
      store: t.store,
      sources: TEST_SOURCES,
      now: () => T0,
      nextRunAt: (source) => (source === 'kr-icreat' ? T0 + 5000 : null),
    });
    try {
      const body = (await app.inject('/api/v1/sources/kr-icreat')).json();
      expect(body.nextRunAt).toBe(new Date(T0 + 5000).toISOString());
    } finally {
      await app.close();
    }
  });

  it('lists harvest runs newest first, in pages, with counts and errors', async () => {
    const first = (await t.app.inject('/api/v1/harvests?limit=3')).json();
    expectSchema(HarvestListSchema, first);
    const newest = [...runIds].reverse();
    expect(first.items.map((item: { id: number }) => item.id)).toEqual(newest.slice(0, 3));
    expect(first.items[0]).toMatchObject({
      source: 'kr-icreat',
      status: 'failed',
      mode: 'full',
      trigger: 'schedule',
      errorCode: 'UPSTREAM_TIMEOUT',
      errorMessage: 'The upstream did not answer',
      fetched: 3,
      created: 2,
      startedAt: new Date(T0 - 2 * HOUR).toISOString(),
      finishedAt: new Date(T0 - 2 * HOUR + 60_000).toISOString(),
      info: { uddi: 'cfc19dda' },
    });
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = (
        await t.app.inject(`/api/v1/harvests?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`)
      ).json();
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(ids).toEqual(newest);
  });

  it('filters harvest runs by source and status', async () => {
    const kr = (await t.app.inject('/api/v1/harvests?source=kr-icreat')).json();
    expect(kr.items.map((item: { status: string }) => item.status)).toEqual([
      'failed',
      'partial',
      'succeeded',
    ]);
    expect(kr.items[1].skippedReasons).toEqual([{ id: 'C1', reason: 'no title' }]);
    const failed = (await t.app.inject('/api/v1/harvests?status=failed')).json();
    expect(failed.items.map((item: { source: string }) => item.source)).toEqual(['kr-icreat', 'ctgov']);
  });

  it('validates the harvest list parameters', async () => {
    const code = async (query: string) =>
      (await t.app.inject(`/api/v1/harvests?${query}`)).json().code as string;
    expect(await code('limit=101')).toBe('LIMIT_TOO_LARGE');
    expect(await code('status=done')).toBe('VALIDATION_FAILED');
    expect(await code('source=elsewhere')).toBe('VALIDATION_FAILED');
    expect(await code('cursor=abc.def')).toBe('INVALID_CURSOR');
    expect(await code('page=2')).toBe('UNKNOWN_PARAMETER');
    const changes = (await t.app.inject('/api/v1/changes?limit=1')).json().nextCursor as string;
    expect(await code(`cursor=${changes}`)).toBe('INVALID_CURSOR');
  });
});
