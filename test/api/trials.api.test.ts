import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialListSchema, TrialSchema } from '../../src/api/schemas/trial.schema.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { SeedTrial } from './support/seed.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY, HOUR, T0 } from './support/test-app.js';

const korean = koreanSnapshot();

/** Five ClinicalTrials.gov-like trials with statuses, phases and registry dates. */
const ctgov: SeedTrial[] = [
  { id: 'NCT00000001', status: 'RECRUITING', phase: 'PHASE2', updated: '2024-05-20' },
  { id: 'NCT00000002', status: 'COMPLETED', phase: 'PHASE3', updated: '2024-05-28' },
  { id: 'NCT00000003', status: 'RECRUITING', phase: 'PHASE3', updated: '2024-05-28' },
  { id: 'NCT00000004', status: 'WITHDRAWN', phase: 'NA', updated: null },
  { id: 'NCT00000005', status: 'RECRUITING', phase: 'PHASE1', updated: '2024-04-01' },
].map(({ id, status, phase, updated }) => ({
  id,
  source: 'ctgov',
  fields: {
    title: `Study ${id}`,
    status,
    phase,
    studyType: 'INTERVENTIONAL',
    sourceUpdatedAt: updated,
    conditions: ['Lymphoma', 'Asthma'],
  },
  sourceFields: { protocolSection: { identificationModule: { nctId: id } } },
}));

interface Page {
  items: {
    id: string;
    removedAt: string | null;
    fields: Record<string, unknown>;
    sourceUpdatedAt: string | null;
  }[];
  nextCursor: string | null;
  total?: number;
}

describe.each(storeKinds())('trials API on %s', (kind) => {
  let t: TestApp;
  const get = async (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const page = async (url: string): Promise<Page> => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Page>();
    expectSchema(TrialListSchema, body);
    return body;
  };
  const walk = async (url: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const body = await page(
        cursor === null ? url : `${url}${separator}cursor=${encodeURIComponent(cursor)}`,
      );
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    return ids;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.seed.createMany(korean.map(koreanTrial), T0 - 30 * DAY);
    await t.seed.createMany(ctgov, T0 - 2 * DAY);
    await t.seed.update('C130011', { fields: { enrollment: 600 } }, T0 - 3 * HOUR);
    await t.seed.remove('NCT00000005', T0 - HOUR);
    t.clock.now = T0;
  });
  afterAll(async () => t.close());

  describe('GET /api/v1/trials/{id}', () => {
    it('answers one trial with its fields, source fields and times', async () => {
      const response = await get('/api/v1/trials/C130011');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = response.json();
      expectSchema(TrialSchema, body);
      expect(body).toMatchObject({
        id: 'C130011',
        source: 'kr-icreat',
        version: 2,
        firstSeenAt: new Date(T0 - 30 * DAY).toISOString(),
        lastChangedAt: new Date(T0 - 3 * HOUR).toISOString(),
        removedAt: null,
        fields: { title: '대한민국 쇼그렌 증후군 코호트 구축', enrollment: 600, department: 'Rheumatology' },
        sourceFields: { upstream: { 과제번호: 'C130011', 연구책임기관: '가톨릭대 서울성모병원' } },
      });
      expect(body).not.toHaveProperty('raw');
    });

    it('adds the upstream record as sent with include=raw', async () => {
      const response = await get('/api/v1/trials/C130011?include=raw');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expectSchema(TrialSchema, body);
      const record = korean.find((item) => item['과제번호'] === 'C130011');
      expect(body.raw).toEqual({ ...record, enrollment: 600, revision: 2 });
    });

    it('shows a removed trial with its removal time', async () => {
      const body = (await get('/api/v1/trials/NCT00000005')).json();
      expect(body.removedAt).toBe(new Date(T0 - HOUR).toISOString());
      expect(body.sourceUpdatedAt).toBe('2024-04-01');
    });

    it('tags the version with an ETag and answers 304 to If-None-Match', async () => {
      const first = await get('/api/v1/trials/C130011');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"2\.\d+"$/);
      expect(first.headers['cache-control']).toBe('no-cache');

      const same = await get('/api/v1/trials/C130011', { 'if-none-match': etag });
      expect(same.statusCode).toBe(304);
      expect(same.body).toBe('');
      expect(same.headers.etag).toBe(etag);
      expect((await get('/api/v1/trials/C130011', { 'if-none-match': `"x", ${etag}` })).statusCode).toBe(304);
      expect((await get('/api/v1/trials/C130011', { 'if-none-match': etag.slice(2) })).statusCode).toBe(304);
      expect((await get('/api/v1/trials/C130011', { 'if-none-match': '*' })).statusCode).toBe(304);
      expect((await get('/api/v1/trials/C130011', { 'if-none-match': 'W/"1.1"' })).statusCode).toBe(200);

      // The raw representation is another one: its own tag.
      const raw = await get('/api/v1/trials/C130011?include=raw', { 'if-none-match': etag });
      expect(raw.statusCode).toBe(200);
      expect(raw.headers.etag).not.toBe(etag);
    });

    it('changes the ETag when the trial changes, removal included', async () => {
      // Long ago, and removed at the end: the list tests do not see it.
      const at = T0 - 60 * DAY;
      await t.seed.create({ id: 'C999001', fields: { title: 'etag probe' } }, at);
      const before = (await get('/api/v1/trials/C999001')).headers.etag as string;
      await t.seed.remove('C999001', at + 1);
      const after = await get('/api/v1/trials/C999001', { 'if-none-match': before });
      expect(after.statusCode).toBe(200);
      expect(after.json().removedAt).not.toBeNull();
      await t.seed.restore('C999001', at + 2);
      await t.seed.update('C999001', { fields: { title: 'etag probe 2' } }, at + 3);
      const updated = await get('/api/v1/trials/C999001', { 'if-none-match': after.headers.etag as string });
      expect(updated.statusCode).toBe(200);
      expect(updated.json().version).toBe(2);
      await t.seed.remove('C999001', at + 4);
    });

    it('answers 404 TRIAL_NOT_FOUND for an unknown id', async () => {
      const response = await get('/api/v1/trials/C000000');
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toMatchObject({
        status: 404,
        code: 'TRIAL_NOT_FOUND',
        title: 'Trial not found',
      });
      expect(response.json().detail).toContain('C000000');
    });

    it('refuses a malformed id, an unknown parameter and a bad include', async () => {
      expect((await get('/api/v1/trials/bad%20id')).json()).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect((await get(`/api/v1/trials/${'C'.repeat(65)}`)).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      const unknown = (await get('/api/v1/trials/C130011?includ=raw')).json();
      expect(unknown).toMatchObject({
        status: 400,
        code: 'UNKNOWN_PARAMETER',
        details: { parameter: 'includ' },
      });
      expect(unknown.detail).toContain('"includ"');
      expect((await get('/api/v1/trials/C130011?include=everything')).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { parameter: 'include' },
      });
    });
  });

  describe('GET /api/v1/trials', () => {
    const active = () => [
      ...korean.map((record) => record['과제번호']),
      ...ctgov.slice(0, 4).map((trial) => trial.id),
    ];

    it('lists the most recently changed first, 20 by default, without removed trials', async () => {
      const body = await page('/api/v1/trials');
      expect(body.items).toHaveLength(20);
      expect(body.items[0]?.id).toBe('C130011');
      expect(body.items.slice(1, 5).map((item) => item.id)).toEqual([
        'NCT00000004',
        'NCT00000003',
        'NCT00000002',
        'NCT00000001',
      ]);
      expect(body.nextCursor).toEqual(expect.any(String));
      expect(body).not.toHaveProperty('total');
    });

    it('walks every page exactly once, in each sort', async () => {
      const expected = active().sort();
      for (const sort of ['-lastChangedAt', 'id', '-sourceUpdatedAt']) {
        const ids = await walk(`/api/v1/trials?limit=7&sort=${sort}`);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort()).toEqual(expected.filter((id) => id !== 'C999001'));
      }
    });

    it('orders by id and by registry date (undated last)', async () => {
      const byId = await walk('/api/v1/trials?sort=id&limit=1000');
      expect(byId).toEqual([...byId].sort());
      const byDate = (await page('/api/v1/trials?sort=-sourceUpdatedAt&limit=4')).items;
      expect(byDate.map((item) => [item.id, item.sourceUpdatedAt])).toEqual([
        ['NCT00000003', '2024-05-28'],
        ['NCT00000002', '2024-05-28'],
        ['NCT00000001', '2024-05-20'],
        ['NCT00000004', null],
      ]);
    });

    it('counts the whole result with count=true', async () => {
      expect((await page('/api/v1/trials?count=true&limit=1')).total).toBe(active().length);
      expect((await page('/api/v1/trials?count=true&source=ctgov')).total).toBe(4);
      expect((await page('/api/v1/trials?count=true&source=ctgov&includeRemoved=true')).total).toBe(5);
    });

    it('filters by change time: updatedWithin and updatedSince', async () => {
      const ids = async (query: string) =>
        (await page(`/api/v1/trials?${query}&limit=1000`)).items.map((item) => item.id);
      expect(await ids('updatedWithin=7d')).toEqual([
        'C130011',
        'NCT00000004',
        'NCT00000003',
        'NCT00000002',
        'NCT00000001',
      ]);
      expect(await ids('updatedWithin=24h')).toEqual(['C130011']);
      expect(await ids('updatedWithin=180m')).toEqual(['C130011']);
      expect(await ids('updatedWithin=179m')).toEqual([]);
      expect(await ids('updatedWithin=30d')).toHaveLength(active().length);
      expect(await ids('updatedSince=2024-05-30')).toHaveLength(5);
      expect(await ids(`updatedSince=${encodeURIComponent('2024-05-30T09:00:00+09:00')}`)).toHaveLength(5);
      expect(await ids('updatedSince=2024-05-30T00:00:01Z')).toEqual(['C130011']);
      // Both narrow: the later bound wins.
      expect(await ids('updatedSince=2024-01-01&updatedWithin=24h')).toEqual(['C130011']);
      expect(await ids('updatedWithin=7d&includeRemoved=true')).toHaveLength(6);
    });

    it('filters by source, status, phase, study type, institution and department', async () => {
      const ids = async (query: string) =>
        (await page(`/api/v1/trials?${query}&limit=1000`)).items.map((item) => item.id).sort();
      expect(await ids('source=ctgov')).toEqual(['NCT00000001', 'NCT00000002', 'NCT00000003', 'NCT00000004']);
      expect(await ids('source=kr-icreat')).toHaveLength(korean.length);
      expect(await ids('source=cris')).toEqual([]);
      expect(await ids('status=RECRUITING')).toEqual(['NCT00000001', 'NCT00000003']);
      expect(await ids('status=recruiting,Completed')).toEqual(['NCT00000001', 'NCT00000002', 'NCT00000003']);
      expect(await ids('status=RECRUITING&includeRemoved=true')).toEqual([
        'NCT00000001',
        'NCT00000003',
        'NCT00000005',
      ]);
      expect(await ids('phase=PHASE3')).toEqual(['NCT00000002', 'NCT00000003']);
      expect(await ids('phase=PHASE3&status=COMPLETED')).toEqual(['NCT00000002']);
      const observational = korean
        .filter((record) => record['연구종류'] === '관찰연구')
        .map((r) => r['과제번호']);
      expect(observational.length).toBeGreaterThan(10);
      expect(await ids('studyType=OBSERVATIONAL')).toEqual(observational.sort());
      const asan = korean
        .filter((record) => record['연구책임기관'] === '서울아산병원')
        .map((r) => r['과제번호']);
      expect(asan.length).toBeGreaterThan(1);
      expect(await ids(`institution=${encodeURIComponent('서울아산병원')}`)).toEqual(asan.sort());
      const rheumatology = korean
        .filter((record) => record['진료과'] === 'Rheumatology')
        .map((r) => r['과제번호']);
      expect(await ids('department=Rheumatology')).toEqual(rheumatology.sort());
      expect(await ids('department=Rheumatology&source=ctgov')).toEqual([]);
    });

    it('validates every parameter', async () => {
      const problem = async (query: string) =>
        (await get(`/api/v1/trials?${query}`)).json<Record<string, unknown>>();
      expect(await problem('limit=0')).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { parameter: 'limit' },
      });
      expect(await problem('limit=abc')).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { parameter: 'limit' },
      });
      expect(await problem('limit=1&limit=2')).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await problem('updatedWithin=7w')).toMatchObject({ details: { parameter: 'updatedWithin' } });
      expect(await problem('updatedWithin=0d')).toMatchObject({ details: { parameter: 'updatedWithin' } });
      expect(await problem('updatedWithin=999999d')).toMatchObject({
        details: { parameter: 'updatedWithin' },
      });
      expect(await problem('updatedSince=yesterday')).toMatchObject({
        details: { parameter: 'updatedSince' },
      });
      expect(await problem('updatedSince=2024-02-30')).toMatchObject({
        details: { parameter: 'updatedSince' },
      });
      expect(await problem('updatedSince=2024-05-01T10:00:00')).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { parameter: 'updatedSince' },
      });
      expect(await problem('source=nowhere')).toMatchObject({ details: { parameter: 'source' } });
      expect(await problem('sort=title')).toMatchObject({ details: { parameter: 'sort' } });
      expect(await problem('status=RECRUITING;DROP')).toMatchObject({ details: { parameter: 'status' } });
      expect(await problem('includeRemoved=maybe')).toMatchObject({
        details: { parameter: 'includeRemoved' },
      });
      expect(await problem('institution=')).toMatchObject({ details: { parameter: 'institution' } });
      expect(await problem(`department=${'x'.repeat(201)}`)).toMatchObject({
        details: { parameter: 'department' },
      });
      expect(await problem('format=xml')).toMatchObject({ details: { parameter: 'format' } });
    });

    it('names an unknown parameter instead of ignoring it', async () => {
      const response = await get('/api/v1/trials?stauts=RECRUITING');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'UNKNOWN_PARAMETER',
        details: { parameter: 'stauts', known: expect.arrayContaining(['status', 'limit', 'cursor']) },
      });
    });

    it('refuses a limit above the cap with the cap in the message', async () => {
      const response = await get('/api/v1/trials?limit=1001');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'LIMIT_TOO_LARGE', details: { cap: 1000 } });
      expect(response.json().detail).toContain('1000');
      expect((await page('/api/v1/trials?limit=1000')).items).toHaveLength(active().length);
    });

    it('refuses tampered, foreign and mismatched cursors', async () => {
      const { nextCursor } = await page('/api/v1/trials?limit=2');
      const cursor = nextCursor as string;
      const codeOf = async (query: string) => {
        const response = await get(`/api/v1/trials?${query}`);
        expect(response.statusCode).toBe(400);
        return response.json().code as string;
      };
      const flipped = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
      expect(await codeOf(`limit=2&cursor=${flipped}`)).toBe('INVALID_CURSOR');
      const [body, mac] = cursor.split('.') as [string, string];
      const forged = Buffer.from(
        Buffer.from(body, 'base64url')
          .toString('utf8')
          .replace(/"a":\d+/, '"a":999999'),
      ).toString('base64url');
      expect(await codeOf(`cursor=${forged}.${mac}`)).toBe('INVALID_CURSOR');
      expect(await codeOf('cursor=not-a-cursor')).toBe('INVALID_CURSOR');
      expect(await codeOf('cursor=.')).toBe('INVALID_CURSOR');
      expect(await codeOf(`cursor=${'a'.repeat(1025)}`)).toBe('INVALID_CURSOR');
      // Another list's cursor, and this list's cursor with other filters or another sort.
      const changes = (await get('/api/v1/changes?limit=1')).json().nextCursor as string;
      expect(await codeOf(`cursor=${changes}`)).toBe('INVALID_CURSOR');
      expect(await codeOf(`limit=2&source=ctgov&cursor=${cursor}`)).toBe('INVALID_CURSOR');
      expect(await codeOf(`limit=2&sort=id&cursor=${cursor}`)).toBe('INVALID_CURSOR');
      // The same query with another limit is fine.
      expect((await get(`/api/v1/trials?limit=5&cursor=${cursor}`)).statusCode).toBe(200);
    });

    it('refuses a cursor signed with another key', async () => {
      const other = await createTestApp(kind, { cursorSecret: 'another key' });
      try {
        await other.seed.createMany(korean.slice(0, 5).map(koreanTrial));
        const cursor = (await other.app.inject('/api/v1/trials?limit=2')).json().nextCursor as string;
        expect((await get(`/api/v1/trials?limit=2&cursor=${cursor}`)).json().code).toBe('INVALID_CURSOR');
      } finally {
        await other.close();
      }
    });

    it('negotiates the representation from Accept and format', async () => {
      const csv = await get('/api/v1/trials?limit=2', { accept: 'text/csv' });
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const ndjson = await get('/api/v1/trials?limit=2', { accept: 'application/x-ndjson' });
      expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      const browser = await get('/api/v1/trials?limit=2', {
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      });
      expect(browser.headers['content-type']).toBe('application/json; charset=utf-8');
      const preferred = await get('/api/v1/trials?limit=2', { accept: 'application/json;q=0.5, text/csv' });
      expect(preferred.headers['content-type']).toBe('text/csv; charset=utf-8');
      const forced = await get('/api/v1/trials?limit=2&format=json', { accept: 'text/csv' });
      expect(forced.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(forced.headers.vary).toBe('accept');
      const refused = await get('/api/v1/trials', { accept: 'image/png' });
      expect(refused.statusCode).toBe(406);
      expect(refused.json()).toMatchObject({ code: 'NOT_ACCEPTABLE', status: 406 });
      expect((await get('/api/v1/trials', { accept: 'text/csv;q=0' })).statusCode).toBe(406);
    });
  });
});
