/**
 * Issue 20.8, at the HTTP level on both databases: an unknown `status`, `phase` or `studyType` on
 * /api/v1/trials, /api/v1/facets and /api/v1/changes is a 400 naming the allowed codes (it used to
 * be a 200 with nothing in it), while every code the registries' data has is taken, in any case;
 * and a time that is not ISO 8601 (`updatedSince`, `since`, `until`) says which format is expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-store.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';

const ROUTES = ['/api/v1/trials', '/api/v1/facets?field=status', '/api/v1/changes'];

describe.each(storeKinds())('filter values on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.seed.create({
      id: 'NCT90000001',
      source: 'ctgov',
      fields: { title: 'a', status: 'RECRUITING', phase: 'PHASE2/PHASE3', studyType: 'INTERVENTIONAL' },
    });
    await t.seed.create({
      id: 'C900001',
      fields: { title: 'b', phase: 'COHORT', studyType: 'OBSERVATIONAL' },
    });
    await t.seed.create({
      id: 'KCT0900001',
      source: 'cris',
      fields: { title: 'c', status: 'COMPLETED', phase: 'PHASE1/PHASE2/PHASE3', studyType: 'OTHER' },
    });
  });
  afterAll(async () => t.close());

  const get = (url: string) => t.app.inject(url);
  const join = (route: string, query: string) => `${route}${route.includes('?') ? '&' : '?'}${query}`;
  const ids = async (url: string) => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json<{ items: { id: string }[] }>()
      .items.map((item) => item.id)
      .sort();
  };

  it('answers an unknown status, phase or study type with a 400 listing the allowed codes, on every route', async () => {
    const cases: [string, string, string[]][] = [
      ['status=FOO', 'status', ['RECRUITING', 'COMPLETED', 'UNKNOWN']],
      ['status=recruiting,Nope', 'status', ['RECRUITING']],
      ['phase=PHASE5', 'phase', ['PHASE1', 'NA', 'COHORT', 'phases joined by /']],
      ['studyType=CLINICAL', 'studyType', ['INTERVENTIONAL', 'OBSERVATIONAL', 'EXPANDED_ACCESS']],
    ];
    for (const route of ROUTES) {
      for (const [query, parameter, named] of cases) {
        const response = await get(join(route, query));
        expect(response.statusCode, `${route} ${query}`).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
        const body = response.json<{
          code: string;
          detail: string;
          details: { parameter: string; allowed: string[] };
        }>();
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(body.details.parameter).toBe(parameter);
        expect(body.detail).toMatch(
          new RegExp(`^The query parameter "${parameter}" has unknown values \\("`),
        );
        expect(body.detail).toContain('allowed: ');
        for (const code of named) expect(body.detail).toContain(code);
        expect(body.details.allowed).toEqual(expect.arrayContaining(named.filter((c) => !c.includes(' '))));
      }
    }
    // The unknown values are named, the known one is not.
    const mixed = (await get('/api/v1/trials?status=recruiting,Nope')).json<{ detail: string }>();
    expect(mixed.detail).toContain('unknown values ("NOPE")');
  });

  it('takes every code the data has, in any case, and finds the trials that have it', async () => {
    expect(await ids('/api/v1/trials?status=recruiting')).toEqual(['NCT90000001']);
    expect(await ids('/api/v1/trials?phase=cohort')).toEqual(['C900001']);
    expect(await ids('/api/v1/trials?phase=PHASE1/PHASE2/PHASE3')).toEqual(['KCT0900001']);
    expect(await ids('/api/v1/trials?phase=PHASE2/PHASE3,COHORT')).toEqual(['C900001', 'NCT90000001']);
    expect(await ids('/api/v1/trials?studyType=OTHER')).toEqual(['KCT0900001']);
    // A known code no trial has is an empty answer, not an error.
    expect(await ids('/api/v1/trials?status=WITHDRAWN&studyType=EXPANDED_ACCESS')).toEqual([]);
    const facets = await get('/api/v1/facets?field=phase&studyType=observational');
    expect(facets.statusCode).toBe(200);
    expect(facets.json()).toMatchObject({ items: [{ value: 'COHORT', count: 1 }] });
    const changes = await get('/api/v1/changes?status=COMPLETED');
    expect(changes.statusCode).toBe(200);
    const events = changes.json<{ items: { trialId: string }[] }>().items;
    expect(events.map((event) => event.trialId)).toEqual(['KCT0900001']);
  });

  it('says which time format it expects for updatedSince, since and until', async () => {
    for (const [url, parameter] of [
      ['/api/v1/trials?updatedSince=yesterday', 'updatedSince'],
      ['/api/v1/facets?field=status&updatedSince=2024-13', 'updatedSince'],
      ['/api/v1/changes?since=yesterday', 'since'],
      ['/api/v1/changes?until=1%20May', 'until'],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      const body = response.json<{ code: string; detail: string; details: { parameter: string } }>();
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details.parameter).toBe(parameter);
      expect(body.detail).toMatch(
        new RegExp(
          `^The query parameter "${parameter}" must be an ISO 8601 date or date-time with a zone, e\\.g\\. 2024-05-01 or 2024-05-01T09:00:00\\+09:00 \\(got ".+"\\)$`,
        ),
      );
      expect(body.detail).not.toContain('characters');
    }
    expect(await ids('/api/v1/trials?updatedSince=2024-05-01T09:00:00%2B09:00')).toHaveLength(3);
  });
});
