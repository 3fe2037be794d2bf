/** The original brief's routes, with its exact envelopes, on the real Korean records. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatListSchema, CompatSearchSchema } from '../../src/api/schemas/compat.schema.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY, HOUR, T0 } from './support/test-app.js';

const korean = koreanSnapshot();
/** 2024-05-02T00:00:00Z, 30 days before T0: 09:00 in Korea. */
const CREATED = T0 - 30 * DAY;

describe.each(storeKinds())('compat routes on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.now = T0;
    await t.seed.createMany(korean.map(koreanTrial), CREATED);
    const record = korean.find((item) => item['과제번호'] === 'C130011')!;
    await t.seed.update(
      'C130011',
      {
        raw: { ...record, 전체목표연구대상자수: '550' },
        fields: { enrollment: 550 },
        sourceFields: { upstream: { ...record, 전체목표연구대상자수: '550' } },
      },
      T0 - 2 * DAY,
    );
    await t.seed.update('C100002', { fields: { title: 'Lymphoma Study for Auto-PBSCT' } }, T0 - 5 * HOUR);
    await t.seed.update('C110007', { fields: { title: 'changed' } }, T0 - 8 * DAY);
    await t.seed.update('C140012', { fields: { title: 'changed' } }, T0 - 3 * HOUR);
    await t.seed.remove('C140012', T0 - 2 * HOUR);
    await t.seed.create(
      {
        id: 'NCT50000001',
        source: 'ctgov',
        fields: {
          title: 'A Study',
          enrollment: 40,
          institution: 'Mayo Clinic',
          studyType: 'INTERVENTIONAL',
          phase: 'PHASE2',
        },
      },
      T0 - HOUR,
    );
  });
  afterAll(async () => t.close());

  it('reads one record by its number in the brief’s envelope', async () => {
    const response = await t.app.inject('/api/search/C130011');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expectSchema(CompatSearchSchema, response.json());
    expect(response.body).toBe(
      JSON.stringify({
        RESULT: {
          research_number: 'C130011',
          research_name: '대한민국 쇼그렌 증후군 코호트 구축',
          research_subject_count: 550,
          research_period: '6년',
          research_created_at: '2024.05.02 09:00:00',
          research_updated_at: '2024.05.30 09:00:00',
          department_name: 'Rheumatology',
          hospital_name: '가톨릭대 서울성모병원',
          type_name: '관찰연구',
          scope_name: '국내다기관',
          stage_name: '코호트',
        },
      }),
    );
  });

  it('keeps the registry’s values as given, empty cells as null', async () => {
    for (const record of korean) {
      const body = (await t.app.inject(`/api/search/${record['과제번호']}`)).json();
      const result = body.RESULT;
      if (['C130011', 'C100002', 'C110007', 'C140012'].includes(record['과제번호'])) continue;
      expect(result.research_name).toBe(record['과제명']);
      const empty = (value: string) => (value.trim() === '' ? null : value);
      expect(result.research_period).toBe(empty(record['연구기간']));
      expect(result.stage_name).toBe(empty(record['임상시험단계(연구모형)']));
      expect(result.hospital_name).toBe(empty(record['연구책임기관']));
      expect(result.research_subject_count).toBe(
        /^\d+$/.test(record['전체목표연구대상자수']) ? Number(record['전체목표연구대상자수']) : null,
      );
    }
    // A title that ends in a space keeps it.
    expect((await t.app.inject('/api/search/C150010')).json().RESULT.research_name).toMatch(/ $/);
  });

  it('answers 404 {"MESSAGE":"NOT LIST"} for an unknown number', async () => {
    const response = await t.app.inject('/api/search/C999999');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe('{"MESSAGE":"NOT LIST"}');
    expect((await t.app.inject('/api/search/anything%20else')).body).toBe('{"MESSAGE":"NOT LIST"}');
  });

  it('fills a non-Korean record from the common fields', async () => {
    const body = (await t.app.inject('/api/search/NCT50000001')).json();
    expect(body.RESULT).toMatchObject({
      research_number: 'NCT50000001',
      research_name: 'A Study',
      research_subject_count: 40,
      research_period: null,
      hospital_name: 'Mayo Clinic',
      type_name: 'INTERVENTIONAL',
      scope_name: null,
      stage_name: 'PHASE2',
    });
  });

  it('lists the records changed within the last 7 days, most recent first', async () => {
    const response = await t.app.inject('/api/list');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectSchema(CompatListSchema, body);
    expect(Object.keys(body)).toEqual(['RESULT']);
    expect(body.RESULT.map((item: { research_number: string }) => item.research_number)).toEqual([
      'NCT50000001',
      'C100002',
      'C130011',
    ]);
    expect(body.RESULT[2]).toEqual((await t.app.inject('/api/search/C130011')).json().RESULT);
  });

  it('pages the list with skip and limit', async () => {
    const page = async (query: string) =>
      (await t.app.inject(`/api/list?${query}`))
        .json<{ RESULT: { research_number: string }[] }>()
        .RESULT.map((item) => item.research_number);
    expect(await page('limit=1')).toEqual(['NCT50000001']);
    expect(await page('skip=1&limit=1')).toEqual(['C100002']);
    expect(await page('skip=2&limit=10')).toEqual(['C130011']);
  });

  it('answers 404 {"MESSAGE":"NO DATA"} past the end or when nothing changed', async () => {
    const past = await t.app.inject('/api/list?skip=3');
    expect(past.statusCode).toBe(404);
    expect(past.body).toBe('{"MESSAGE":"NO DATA"}');
    t.clock.now = T0 + 30 * DAY;
    try {
      expect((await t.app.inject('/api/list')).body).toBe('{"MESSAGE":"NO DATA"}');
    } finally {
      t.clock.now = T0;
    }
  });

  it('validates skip and limit with problem details', async () => {
    const problem = async (query: string) => {
      const response = await t.app.inject(`/api/list?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      return response.json<Record<string, unknown>>();
    };
    expect(await problem('limit=1001')).toMatchObject({ code: 'LIMIT_TOO_LARGE', details: { cap: 1000 } });
    expect(await problem('limit=0')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { parameter: 'limit' },
    });
    expect(await problem('skip=-1')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { parameter: 'skip' },
    });
    expect(await problem('skip=x')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { parameter: 'skip' },
    });
    expect(await problem('offset=5')).toMatchObject({
      code: 'UNKNOWN_PARAMETER',
      details: { parameter: 'offset' },
    });
    const search = await t.app.inject('/api/search/C130011?q=1');
    expect(search.json()).toMatchObject({ code: 'UNKNOWN_PARAMETER' });
    expect((await t.app.inject(`/api/search/${'C'.repeat(65)}`)).json().code).toBe('VALIDATION_FAILED');
  });
});
