/**
 * Issue 4 through the HTTP app: admin POST /api/v1/harvests (token rules, 202, 409), GET
 * /api/v1/harvests/{id}, /readyz, and /metrics moving when a harvest runs — with the real kr-icreat
 * adapter against the fake upstream, on SQLite and PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { EnvReader } from '../../src/config/env-reader.js';
import { HarvestCoordinator } from '../../src/harvest/coordinator.service.js';
import { Metrics } from '../../src/metrics/metrics.js';
import type { SourceInfo } from '../../src/services/source.service.js';
import { krIcreatSource } from '../../src/sources/kr-icreat/kr-icreat-source.js';
import { listLastSuccesses } from '../../src/store/source-state.repository.js';
import { countTrialsBySourceAndState } from '../../src/store/trial-count.repository.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { silentLog, testConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const TOKEN = 'admin-token-0123456789';

describe.each(storeKinds())('admin and operations routes on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let app: FastifyInstance;
  let coordinator: HarvestCoordinator;
  let metrics: Metrics;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream();
    const krConfig = krIcreatSource.parseConfig(
      new EnvReader({
        KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
        KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
        KR_ICREAT_SERVICE_KEY: 'test',
        KR_ICREAT_UDDI: upstream.kr.uddi,
        KR_ICREAT_RETRIES: '0',
      }),
      true,
    );
    const config = { ...testConfig(store.url, { 'kr-icreat': krConfig }), adminToken: TOKEN };
    metrics = new Metrics({ defaultMetrics: false });
    metrics.useSnapshot({
      recordCounts: () => countTrialsBySourceAndState(store.db),
      lastSuccess: () => listLastSuccesses(store.db),
    });
    coordinator = new HarvestCoordinator(
      { config, store, sources: [krIcreatSource], log: silentLog, observer: metrics.upstreamObserver() },
      { onFinished: (run) => metrics.recordRun(run) },
    );
    const sources: SourceInfo[] = [
      {
        id: 'kr-icreat',
        name: 'kr',
        enabled: true,
        missing: [],
        schedule: '0 4 * * *',
        timeZone: 'Asia/Seoul',
      },
      {
        id: 'ctgov',
        name: 'ctgov',
        enabled: false,
        missing: [],
        schedule: '0 4 * * *',
        timeZone: 'UTC',
      },
      {
        id: 'cris',
        name: 'cris',
        enabled: true,
        missing: ['CRIS_SERVICE_KEY'],
        schedule: '0 5 * * *',
        timeZone: 'Asia/Seoul',
      },
    ];
    app = await buildApp({ config: { ...config, logLevel: 'silent' }, store, sources, coordinator, metrics });
  });
  afterAll(async () => {
    await app.close();
    await coordinator.stopAll();
    await upstream.close();
    await store.drop();
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.inject({ method: 'POST', url: '/api/v1/harvests', payload: body as object, headers });

  it('refuses without a token (401), with a wrong one (403), and an unconfigured source (409)', async () => {
    const none = await post({ source: 'kr-icreat' }, {});
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    const wrong = await post({ source: 'kr-icreat' }, { authorization: 'Bearer not-the-token-at-all' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'FORBIDDEN' });
    const cris = await post({ source: 'cris' });
    expect(cris.statusCode).toBe(409);
    expect(cris.json()).toMatchObject({ code: 'SOURCE_NOT_CONFIGURED' });
    expect(cris.json().detail).toContain('CRIS_SERVICE_KEY');
    // Issue 20.4: a source that is not enabled is refused too, and neither records a run.
    const ctgov = await post({ source: 'ctgov' });
    expect(ctgov.statusCode).toBe(409);
    expect(ctgov.json()).toMatchObject({ code: 'SOURCE_NOT_CONFIGURED' });
    expect(ctgov.json().detail).toContain('not enabled: add it to SOURCES');
    expect(
      await store.db
        .selectFrom('harvest_runs')
        .select('id')
        .where('source', 'in', ['ctgov', 'cris'])
        .execute(),
    ).toEqual([]);
    const bad = await post({ source: 'kr-icreat', mode: 'sometimes' });
    expect(bad.statusCode).toBe(400);
  });

  it('starts a harvest (202 with the run id), refuses a second one (409), and records it', async () => {
    upstream.kr.pageHook = undefined;
    upstream.injectFault({ kind: 'delay', ms: 400 }, { match: '/api/3074271', times: 1 });
    const started = await post({ source: 'kr-icreat', mode: 'full' });
    expect(started.statusCode).toBe(202);
    const { runId } = started.json<{ runId: number }>();
    expect(started.headers.location).toBe(`/api/v1/harvests/${runId}`);
    const again = await post({ source: 'kr-icreat' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'HARVEST_IN_PROGRESS' });

    let run: { status: string; created: number } = { status: 'running', created: 0 };
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await app.inject(`/api/v1/harvests/${runId}`)).json();
    }
    expect(run).toMatchObject({ status: 'succeeded', created: 145 });
    expect((await app.inject('/api/v1/harvests/999999')).json()).toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('exposes Prometheus metrics that moved with the harvest', async () => {
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(/trialwatch_harvest_runs_total\{source="kr-icreat",status="succeeded"\} 1/);
    expect(text).toMatch(/trialwatch_records\{source="kr-icreat",state="active"\} 145/);
    expect(text).toMatch(/trialwatch_upstream_requests_total\{source="kr-icreat",outcome="ok"\} \d+/);
    expect(text).toMatch(/trialwatch_seconds_since_last_successful_harvest\{source="kr-icreat"\} \d/);
    expect(text).toMatch(
      /trialwatch_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/harvests",status="202"\} 1/,
    );
    // Every line is a comment, blank, or `name{labels} value`: parseable Prometheus text.
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/);
    }
    expect(text).not.toContain(TOKEN);
  });

  it('is ready while the database answers, and says why not when it does not', async () => {
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: kind });
    expect(ready.headers['x-request-id']).toBeTruthy();
    const echoed = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123');
  });
});

describe('admin routes without ADMIN_TOKEN', () => {
  let store: TestStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await createTestStore('sqlite');
    app = await buildApp({ config: testConfig(store.url), store, sources: [] });
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('answers 403 saying how to enable them', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/harvests',
      payload: { source: 'kr-icreat' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'ADMIN_DISABLED' });
    expect(response.json().detail).toContain('ADMIN_TOKEN');
  });

  it('fails /readyz when the database is unreachable', async () => {
    await store.close();
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'NOT_READY' });
  });
});
