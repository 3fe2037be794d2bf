/**
 * Issue 15 items 6 and 9 through the app: with the database refusing connections, /metrics still
 * answers 200 with the process's own metrics and `trialwatch_database_up 0`, /readyz answers
 * NOT_READY with Retry-After, and a data route 503 DATABASE_UNAVAILABLE. (The real outages, packets
 * dropped and connections killed under `serve`, are in test/reliability/database-faults.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { Metrics } from '../../src/metrics/metrics.js';
import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/database.js';
import { listLastSuccesses } from '../../src/store/source-state.repository.js';
import { countTrialsBySourceAndState } from '../../src/store/trial-count.repository.js';
import { TEST_SOURCES, testConfig } from './support/test-app.js';

describe('the database refusing connections', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    // Port 9 (discard) on loopback: nothing listens, every connect is refused at once.
    const database = parseDatabaseUrl('postgres://nobody@127.0.0.1:9/none')!;
    store = openStore(database);
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.useSnapshot({
      recordCounts: () => countTrialsBySourceAndState(store.db),
      lastSuccess: () => listLastSuccesses(store.db),
    });
    const config = { ...testConfig({ kind: 'postgres', url: database.url } as never), database };
    app = await buildApp({ config, store, sources: TEST_SOURCES, metrics });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers /metrics with what the process knows and trialwatch_database_up 0', async () => {
    await app.inject('/api/v1/trials');
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^trialwatch_database_up 0$/m);
    expect(response.body).toMatch(/^trialwatch_http_request_duration_seconds_count\{.*status="503"\} 1$/m);
    expect(response.body).not.toMatch(/^trialwatch_records\{/m);
  });

  it('answers /readyz 503 NOT_READY with Retry-After, and data routes 503 DATABASE_UNAVAILABLE', async () => {
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'NOT_READY' });
    expect(ready.headers['retry-after']).toBe('1');
    for (const url of ['/api/v1/trials', '/api/v1/changes', '/api/v1/sources', '/api/v1/harvests']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(503);
      expect(response.json(), url).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(response.headers['retry-after'], url).toBe('1');
    }
  });
});
