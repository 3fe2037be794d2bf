/**
 * Issue 4's fault tests: a harvest against a faulty upstream is retried as configured and then either
 * succeeds cleanly or fails with a clear error — never removing anything it did not see.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvReader } from '../../src/config/env-reader.js';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { krIcreatSource } from '../../src/sources/kr-icreat/kr-icreat-source.js';
import type { Fault, FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { silentLog, testConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const PAGE = '/api/3074271';

describe.each(storeKinds())('harvests against a faulty upstream on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let deps: HarvestDeps;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream();
    const config = krIcreatSource.parseConfig(
      new EnvReader({
        KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
        KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
        KR_ICREAT_SERVICE_KEY: 'test',
        KR_ICREAT_UDDI: upstream.kr.uddi,
        KR_ICREAT_PER_PAGE: '50',
        KR_ICREAT_RETRIES: '2',
        KR_ICREAT_BACKOFF_MS: '10',
        KR_ICREAT_MAX_BACKOFF_MS: '50',
        KR_ICREAT_TIMEOUT_MS: '300',
      }),
      true,
    );
    deps = {
      config: testConfig(store.url, { 'kr-icreat': config }),
      store,
      sources: [krIcreatSource],
      log: silentLog,
    };
    // A first clean harvest: 145 active trials to protect.
    expect(await runHarvest(deps, { source: 'kr-icreat', mode: 'full', trigger: 'manual' })).toMatchObject({
      created: 145,
    });
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
  });
  beforeEach(() => {
    upstream.clearFaults();
    upstream.clearRequests();
  });

  const harvest = () => runHarvest(deps, { source: 'kr-icreat', mode: 'full', trigger: 'manual' });
  const active = async () =>
    (await store.db.selectFrom('trials').select('id').where('removed_at', 'is', null).execute()).length;

  const transient: [string, Fault][] = [
    ['a timeout', { kind: 'delay', ms: 1_000 }],
    ['a connection reset', { kind: 'reset' }],
    ['a 500', { kind: 'respond', status: 500, body: 'boom' }],
    ['a 503', { kind: 'respond', status: 503, body: 'busy' }],
    ['a 429 with Retry-After', { kind: 'respond', status: 429, headers: { 'retry-after': '0' } }],
    ['a truncated body', { kind: 'truncate' }],
  ];

  it.each(transient)('retries %s and then succeeds with nothing changed', async (_name, fault) => {
    upstream.injectFault(fault, { match: PAGE, times: 2 });
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', unchanged: 145, removed: 0, created: 0 });
    expect(upstream.pendingFaults()).toBe(0);
  });

  it('fails clearly after the retries run out on a 503, removing nothing', async () => {
    upstream.injectFault(
      { kind: 'respond', status: 503, body: 'Service Unavailable\nretry later' },
      { match: PAGE, times: Infinity },
    );
    const run = await harvest();
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('UPSTREAM_HTTP_ERROR');
    expect(run.errorMessage).toMatch(
      /kr-icreat: GET .*answered HTTP 503: Service Unavailable \(after 3 attempts\)/,
    );
    expect(run.errorMessage).not.toContain('serviceKey=test');
    expect(run.removed).toBe(0);
    expect(await active()).toBe(145);
  });

  it('fails clearly on an HTML error page served as JSON, removing nothing', async () => {
    upstream.injectFault({ kind: 'html', status: 200 }, { match: PAGE, times: Infinity });
    const run = await harvest();
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('UPSTREAM_BAD_RESPONSE');
    expect(run.errorMessage).toMatch(/not JSON/);
    expect(await active()).toBe(145);
  });

  it('never removes after a failure in the middle of the listing', async () => {
    upstream.injectFault(
      { kind: 'respond', status: 500 },
      {
        match: (request) => request.path.startsWith(PAGE) && request.query.get('page') === '2',
        times: Infinity,
      },
    );
    upstream.kr.removeRecord('C130010');
    const run = await harvest();
    expect(run).toMatchObject({ status: 'failed', removed: 0 });
    expect(await active()).toBe(145);
  });
});
