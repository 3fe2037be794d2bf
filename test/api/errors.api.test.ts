/** Every error leaves as application/problem+json with a stable code; nothing a client sends is a 500. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { ProblemSchema } from '../../src/api/schemas/common.schema.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openStore } from '../../src/store/database.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, TEST_SOURCES, testConfig } from './support/test-app.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe.each(storeKinds())('errors on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.seed.create({ id: 'C600001', fields: { title: 'x' } });
  });
  afterAll(async () => t.close());

  const expectProblem = (response: {
    statusCode: number;
    headers: Record<string, unknown>;
    json(): unknown;
  }) => {
    expect(response.headers['content-type']).toBe(PROBLEM);
    const body = response.json() as {
      status: number;
      type: string;
      code: string;
      detail: string;
      instance?: string;
    };
    expectSchema(ProblemSchema, body);
    expect(body.status).toBe(response.statusCode);
    expect(body.type).toBe(`urn:trialwatch:problem:${body.code.toLowerCase().replace(/_/g, '-')}`);
    return body;
  };

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const response = await t.app.inject('/api/v2/trials');
    expect(response.statusCode).toBe(404);
    expect(expectProblem(response)).toMatchObject({ code: 'ROUTE_NOT_FOUND', instance: '/api/v2/trials' });
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/trials'],
      ['DELETE', '/api/v1/trials/C600001'],
      ['PUT', '/api/v1/trials/C600001/versions/1'],
      ['PATCH', '/healthz'],
      ['POST', '/api/search/C600001'],
    ] as const) {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
      expect(expectProblem(response).code).toBe('METHOD_NOT_ALLOWED');
    }
  });

  it('answers a trailing slash with 404, not 405', async () => {
    const response = await t.app.inject('/api/v1/trials/C600001/');
    expect(response.statusCode).toBe(404);
    expect(expectProblem(response).code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers HEAD like GET without a body', async () => {
    const response = await t.app.inject({ method: 'HEAD', url: '/api/v1/trials/C600001' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers.etag).toBeDefined();
  });

  it('refuses a badly encoded or over-long path with 400', async () => {
    const bad = await t.app.inject('/api/v1/trials/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(expectProblem(bad).code).toBe('VALIDATION_FAILED');
    const long = await t.app.inject(`/api/v1/trials/${'A'.repeat(500)}`);
    expect(long.statusCode).toBe(400);
    expect(expectProblem(long).code).toBe('VALIDATION_FAILED');
  });

  it('refuses unknown parameters on every route', async () => {
    for (const url of [
      '/api/v1/trials?x=1',
      '/api/v1/trials/C600001?x=1',
      '/api/v1/trials/C600001/versions?x=1',
      '/api/v1/trials/C600001/versions/1?x=1',
      '/api/v1/changes?x=1',
      '/api/v1/sources?x=1',
      '/api/v1/sources/kr-icreat?x=1',
      '/api/v1/harvests?x=1',
      '/api/search/C600001?x=1',
      '/api/list?x=1',
      '/healthz?x=1',
      '/openapi.json?x=1',
    ]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(expectProblem(response)).toMatchObject({
        code: 'UNKNOWN_PARAMETER',
        details: { parameter: 'x' },
      });
    }
  });

  it('hides the details of a server error', async () => {
    // A database whose trials table is gone: every trial query fails inside the driver.
    const broken = await createTestApp(kind);
    try {
      await broken.store.db.schema.dropTable('trials').execute();
      const response = await broken.app.inject('/api/v1/trials/C600001');
      expect(response.statusCode).toBe(500);
      const body = expectProblem(response);
      expect(body.code).toBe('INTERNAL');
      expect(body.detail).toMatch(/The error was logged/);
      const { instance: _instance, ...rest } = body;
      expect(JSON.stringify(rest)).not.toMatch(/relation|table|sqlite|select|trials|\.ts/i);
      expect(body).not.toHaveProperty('details');
      const list = await broken.app.inject('/api/v1/trials?format=csv');
      expect(list.statusCode).toBe(500);
      expectProblem(list);
    } finally {
      await broken.close();
    }
  });

  it('survives random and hostile requests: no 5xx, every 4xx a problem', async () => {
    const routes = [
      '/api/v1/trials',
      '/api/v1/trials/C600001',
      '/api/v1/trials/C600001/versions',
      '/api/v1/changes',
      '/api/v1/harvests',
      '/api/list',
      '/api/v1/sources',
    ];
    const names = [
      'limit',
      'cursor',
      'sort',
      'status',
      'updatedWithin',
      'updatedSince',
      'source',
      'skip',
      'format',
      'include',
      'count',
      'includeRemoved',
      'institution',
    ];
    const hostile = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constantFrom(
        "' OR 1=1 --",
        '%00',
        '-1',
        '1e309',
        '9'.repeat(400),
        '[]',
        '{}',
        'NaN',
        'true',
        '😀',
        '\u0000',
      ),
      fc.integer().map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), hostile), {
          maxLength: 4,
        }),
        fc.constantFrom('GET', 'HEAD'),
        async (route, params, method) => {
          const query = params
            .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
            .join('&');
          const response = await t.app.inject({ method, url: query === '' ? route : `${route}?${query}` });
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode >= 400 && method === 'GET') expectProblem(response);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('an unreachable database', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, details hidden', async () => {
    const database = parseDatabaseUrl('postgres://nobody@127.0.0.1:9/none')!;
    const store = openStore(database);
    const config = { ...testConfig({ kind: 'postgres', url: database.url } as never), database };
    const app = await buildApp({ config, store, sources: TEST_SOURCES });
    try {
      const response = await app.inject('/api/v1/trials/C600001');
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
      expect(response.body).not.toContain('127.0.0.1');
    } finally {
      await app.close();
      await store.close();
    }
  });
});
