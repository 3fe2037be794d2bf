import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../../testkit/fake-upstream.js';
import {
  fixturesDir,
  goJson,
  json,
  KR_FAKE_LAST_KNOWN_UDDI,
  startFakeUpstream,
} from '../../../testkit/fake-upstream.js';

// The fake is what every harvest test trusts, so it is checked against the real formats here.

let fake: FakeUpstream;
const pageUrl = (query: string) =>
  `${fake.kr.apiBaseUrl}/3074271/v1/uddi:${KR_FAKE_LAST_KNOWN_UDDI}?${query}`;
const withKey = { authorization: 'Infuser test' };
const fixture = (name: string) => readFileSync(`${fixturesDir()}/kr/${name}`, 'utf8');

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.clearRequests();
});

describe('fake odcloud gateway', () => {
  it('listens on 127.0.0.1', () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.kr.apiBaseUrl).toBe(`${fake.baseUrl}/api`);
  });

  it('serves pages byte for byte as the real gateway serialises them', async () => {
    const cases: [string, string][] = [
      ['page=1&perPage=10', 'kr-example-page1-perPage10.json'],
      ['page=15&perPage=10', 'kr-example-page15-perPage10.json'],
      ['page=1&perPage=145', 'kr-snapshot-2021-11.json'],
    ];
    for (const [query, file] of cases) {
      const response = await fetch(pageUrl(query), { headers: withKey });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(await response.text()).toBe(fixture(file));
    }
  });

  it('applies the executor defaults: perPage 0 is 500, missing perPage is 10, page 0 is 1', async () => {
    const all = (await (await fetch(pageUrl('perPage=0'), { headers: withKey })).json()) as Record<
      string,
      unknown
    >;
    expect(all).toMatchObject({ currentCount: 145, perPage: 500, page: 1, totalCount: 145 });
    const first = (await (await fetch(pageUrl('page=0'), { headers: withKey })).json()) as Record<
      string,
      unknown
    >;
    expect(first).toMatchObject({ currentCount: 10, perPage: 10, page: 1 });
  });

  it('answers the real bodies for a missing or wrong key, reading the header before serviceKey', async () => {
    const missing = await fetch(pageUrl('page=1'));
    expect(missing.status).toBe(401);
    expect(await missing.text()).toBe(fixture('errors/missing-service-key.json'));
    const wrong = await fetch(pageUrl('page=1&serviceKey=nope'));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe(fixture('errors/invalid-service-key.json'));
    const headerFirst = await fetch(pageUrl('page=1&serviceKey=nope'), { headers: withKey });
    expect(headerFirst.status).toBe(200);
    expect((await fetch(pageUrl('page=1&serviceKey=test'))).status).toBe(200);
  });

  it('answers -3 for a uddi it does not serve, and the text 404 for unknown routes', async () => {
    const unknown = await fetch(
      `${fake.kr.apiBaseUrl}/3074271/v1/uddi:00000000-0000-4000-8000-000000000000`,
      {
        headers: withKey,
      },
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe(fixture('errors/unregistered-service.json'));
    const route = await fetch(`${fake.baseUrl}/api/nowhere`);
    expect(route.status).toBe(404);
    expect(await route.text()).toBe('not found service');
  });

  it('lets a test edit the records between requests', async () => {
    const read = async () =>
      (
        (await (await fetch(pageUrl('perPage=0'), { headers: withKey })).json()) as {
          data: Record<string, string>[];
        }
      ).data;
    const before = await read();
    fake.kr.updateRecord('C130011', { 연구기간: '7년' });
    fake.kr.removeRecord('C130010');
    fake.kr.addRecord({ ...before[0]!, 과제번호: 'C999999' });
    const after = await read();
    expect(after).toHaveLength(145);
    expect(after[0]).toEqual({ ...before[1], 연구기간: '7년' });
    expect(after.at(-1)?.['과제번호']).toBe('C999999');
    fake.kr.setRecords(before);
    expect(await read()).toEqual(before);
  });

  it('lists its datasets in the OAS document', async () => {
    const document = (await (await fetch(fake.kr.oasUrl)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual([`/3074271/v1/uddi:${KR_FAKE_LAST_KNOWN_UDDI}`]);
  });
});

describe('fake upstream core', () => {
  it('routes with placeholders, later routes first, and logs requests', async () => {
    fake.route('GET', '/api/v2/studies/{nctId}', (request) => json(200, { id: request.params.nctId }));
    expect(await (await fetch(`${fake.baseUrl}/api/v2/studies/NCT01234567?x=1`)).json()).toEqual({
      id: 'NCT01234567',
    });
    fake.route('GET', '/api/v2/studies/{nctId}', () => json(410, {}));
    expect((await fetch(`${fake.baseUrl}/api/v2/studies/NCT01234567`)).status).toBe(410);
    expect(fake.requests.map((request) => [request.path, request.query, request.status])).toEqual([
      ['/api/v2/studies/NCT01234567', { x: '1' }, 200],
      ['/api/v2/studies/NCT01234567', {}, 410],
    ]);
  });

  it('applies a fault to as many matching requests as asked, then answers normally', async () => {
    fake.injectFault(
      { kind: 'respond', status: 503, body: 'busy', contentType: 'text/plain' },
      { match: '/api/', times: 2 },
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(pageUrl('page=1'), { headers: withKey })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(fake.pendingFaults()).toBe(0);
    expect(fake.requests.map((request) => request.fault)).toEqual(['respond', 'respond', null]);
  });

  it('resets connections and cuts bodies short', async () => {
    fake.injectFault({ kind: 'reset' });
    await expect(fetch(pageUrl('page=1'), { headers: withKey })).rejects.toThrow();
    fake.injectFault({ kind: 'truncate', bytes: 20 });
    const response = await fetch(pageUrl('page=1'), { headers: withKey });
    await expect(response.text()).rejects.toThrow();
    expect(fake.requests.map((request) => request.status)).toEqual([null, null]);
  });

  it('writes JSON as Go does', () => {
    expect(goJson({ b: 1, a: ['<&>', { d: 1, c: 2 }] })).toBe(
      '{"a":["\\u003c\\u0026\\u003e",{"c":2,"d":1}],"b":1}\n',
    );
  });
});
