/**
 * Issue 20, item 7: a typed client no one here wrote. openapi-typescript (a maintained generator)
 * turns the served `/openapi.json` into types (test/api/generated/openapi.d.ts, compared with what it
 * generates now: `npx vitest run -u test/api/generated-client.api.test.ts` after an API change), and
 * openapi-fetch uses them against the app listening on loopback, on each database. `npm run check`
 * type-checks this file against the generated types, so a change to the contract that breaks a
 * client's code breaks the build.
 */
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-store.js';
import type { paths } from './generated/openapi.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY } from './support/test-app.js';

/** Pages answer application/json, errors application/problem+json (exports and feeds are other media). */
type Json = 'application/json' | 'application/problem+json';

describe.each(storeKinds())('a client generated from /openapi.json on %s', (kind) => {
  let t: TestApp;
  let client: ReturnType<typeof createClient<paths, Json>>;
  let document: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.seed.createMany(koreanSnapshot().map(koreanTrial));
    t.clock.now += 2 * DAY;
    await t.seed.update('C110007', { fields: { status: 'COMPLETED' } }, t.clock.now);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    document = (await t.app.inject('/openapi.json')).body;
    client = createClient<paths, Json>({ baseUrl: base });
  });
  afterAll(async () => t.close());

  it('the committed types are what the generator makes of the served document', async () => {
    const generated = astToString(await openapiTS(JSON.parse(document) as never));
    await expect(generated).toMatchFileSnapshot('./generated/openapi.d.ts');
  });

  it('lists trials with typed filters and reads one, its versions and a version', async () => {
    const list = await client.GET('/api/v1/trials', { params: { query: { q: '코호트', limit: 5 } } });
    expect(list.response.status).toBe(200);
    const items = list.data?.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    const id = items[0]!.id;
    const one = await client.GET('/api/v1/trials/{id}', { params: { path: { id } } });
    expect(one.data?.id).toBe(id);
    const versions = await client.GET('/api/v1/trials/{id}/versions', {
      params: { path: { id: 'C110007' } },
    });
    expect(versions.data?.items.map((version) => version.version)).toEqual([1, 2]);
    const first = await client.GET('/api/v1/trials/{id}/versions/{n}', {
      params: { path: { id: 'C110007', n: 1 } },
    });
    expect(first.data?.version).toBe(1);
  });

  it('follows the change feed of one trial, and reads facets, sources and harvests', async () => {
    const changes = await client.GET('/api/v1/changes', {
      params: { query: { trial: 'C110007', limit: 10 } },
    });
    expect(changes.data?.items.map((event) => [event.trialId, event.kind])).toEqual([
      ['C110007', 'created'],
      ['C110007', 'updated'],
    ]);
    expect(changes.data?.items[1]?.paths.length).toBeGreaterThan(0);
    const facets = await client.GET('/api/v1/facets', { params: { query: { field: 'source' } } });
    expect(facets.data?.items).toEqual([expect.objectContaining({ value: 'kr-icreat' })]);
    const sources = await client.GET('/api/v1/sources');
    expect(sources.data?.items.map((source) => source.id)).toContain('kr-icreat');
    const harvests = await client.GET('/api/v1/harvests', { params: { query: { limit: 5 } } });
    expect(harvests.response.status).toBe(200);
  });

  it('gets the documented problem answers as typed errors', async () => {
    const missing = await client.GET('/api/v1/trials/{id}', { params: { path: { id: 'C999999' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.code).toBe('TRIAL_NOT_FOUND');
    const bad = await client.GET('/api/v1/changes', { params: { query: { type: 'nonsense' } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBeDefined();
  });
});
