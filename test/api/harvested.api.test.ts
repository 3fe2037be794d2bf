/**
 * The API over data written by the real harvest (the bundled kr-icreat snapshot imported as on a
 * fresh `serve`), not by the test seeder: proves both sides keep the same storage contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { sourceInfos } from '../../src/bin/context.js';
import { TrialListSchema, TrialSchema, TrialVersionSchema } from '../../src/api/schemas/trial.schema.js';
import { buildConfig } from '../../src/config/config.js';
import { bootstrapIfEmpty } from '../../src/harvest/bootstrap.service.js';
import { SOURCE_ADAPTERS, sourceConfigParsers } from '../../src/sources/registry.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe.each(storeKinds())('API over a real harvest on %s', (kind) => {
  let store: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    const config = buildConfig({ DATABASE_URL: store.url, LOG_LEVEL: 'silent' }, sourceConfigParsers(), [
      'kr-icreat',
    ]);
    const run = await bootstrapIfEmpty({ config, store, sources: SOURCE_ADAPTERS, log: silent });
    expect(run?.status).toBe('succeeded');
    const sources = sourceInfos(config);
    app = await buildApp({ config, store, sources });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('serves C130011 as the brief asks', async () => {
    const response = await app.inject('/api/v1/trials/C130011?include=raw');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectSchema(TrialSchema, body);
    expect(body.fields.title).toBe('대한민국 쇼그렌 증후군 코호트 구축');
    expect(body.raw['과제번호']).toBe('C130011');
    const compat = (await app.inject('/api/search/C130011')).json();
    expect(compat.RESULT).toMatchObject({
      research_number: 'C130011',
      research_name: '대한민국 쇼그렌 증후군 코호트 구축',
      research_subject_count: 500,
      research_period: '6년',
      hospital_name: '가톨릭대 서울성모병원',
      department_name: 'Rheumatology',
      type_name: '관찰연구',
      scope_name: '국내다기관',
      stage_name: '코호트',
    });
  });

  it('lists every harvested trial in the documented shape', async () => {
    const body = (await app.inject('/api/v1/trials?limit=1000&count=true')).json();
    expectSchema(TrialListSchema, body);
    expect(body.total).toBe(145);
    expect(body.items).toHaveLength(145);
    const week = (await app.inject('/api/list?limit=1000')).json();
    expect(week.RESULT).toHaveLength(145);
  });

  it('shows the first version through the real mapper', async () => {
    const body = (await app.inject('/api/v1/trials/C130011/versions/1')).json();
    expectSchema(TrialVersionSchema, body);
    expect(body).toMatchObject({
      version: 1,
      kind: 'created',
      current: true,
      fields: { title: '대한민국 쇼그렌 증후군 코호트 구축' },
    });
    const sources = (await app.inject('/api/v1/sources/kr-icreat')).json();
    expect(sources).toMatchObject({
      trials: { total: 145, active: 145 },
      lastRun: { trigger: 'bootstrap', status: 'succeeded' },
    });
  });
});
