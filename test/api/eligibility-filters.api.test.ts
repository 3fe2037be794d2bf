/**
 * Issue 19 item 4 (the filters patients and coordinators use) at the level a client sees it: the
 * 200 real ClinicalTrials.gov studies of the fixtures imported through the harvest, then
 * /api/v1/trials, /api/v1/facets and /api/v1/changes asked with `minAge`/`maxAge`, `sex`, the
 * start and completion date ranges, `recruiting`, `sponsorClass` and `hasResults`, and sorted by
 * start and completion date. Every answer is checked against a brute-force filter over the
 * fixtures' own JSON (eligibilityModule, statusModule, sponsorCollaboratorsModule), never against
 * the mirror's columns, on each database the run covers. Then the migration's backfill: the
 * columns of trials stored before 0012 are what a harvest writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { FacetListSchema } from '../../src/api/schemas/facet.schema.js';
import { TrialListSchema } from '../../src/api/schemas/trial.schema.js';
import { ChangeListSchema } from '../../src/api/schemas/change.schema.js';
import { sourceInfos } from '../../src/bin/context.js';
import { migrateToLatest } from '../../src/store/database.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, migrateDownTo, storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import { importCtgovStudies } from './support/harvest-file.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the brute force reads of one study, straight from its JSON. */
interface Facts {
  id: string;
  minAge: number | null;
  maxAge: number | null;
  sex: string | null;
  start: string | null;
  completion: string | null;
  status: string | null;
  sponsorClass: string | null;
  hasResults: boolean | null;
}

/** `18 Years`, `6 Months`, `1 Year` → years; `N/A` or absent → null (no limit). */
function years(text: string | undefined): number | null {
  if (text === undefined) return null;
  const match = /^(\d+) (Year|Month|Week|Day)s?$/.exec(text);
  if (match === null) return null;
  const per = { Year: 1, Month: 12, Week: 365.25 / 7, Day: 365.25 }[match[2] as 'Year'];
  return Number(match[1]) / per;
}

/** A date given to the month stands at its first day. */
const day = (date: string | undefined): string | null =>
  date === undefined ? null : date.length === 7 ? `${date}-01` : date;

const STUDIES: Study[] = ctgovFixtureIds().map((id) => ctgovFixture(id));
const FACTS: Facts[] = STUDIES.map((study) => {
  const p = study.protocolSection;
  return {
    id: p.identificationModule.nctId,
    minAge: years(p.eligibilityModule?.minimumAge),
    maxAge: years(p.eligibilityModule?.maximumAge),
    sex: p.eligibilityModule?.sex ?? null,
    start: day(p.statusModule?.startDateStruct?.date),
    completion: day(p.statusModule?.completionDateStruct?.date),
    status: p.statusModule?.overallStatus ?? null,
    sponsorClass: p.sponsorCollaboratorsModule?.leadSponsor?.class ?? null,
    hasResults: typeof study.hasResults === 'boolean' ? study.hasResults : null,
  };
});

interface Query {
  minAge?: number;
  maxAge?: number;
  sex?: 'FEMALE' | 'MALE';
  startFrom?: string;
  startTo?: string;
  completionFrom?: string;
  completionTo?: string;
  recruiting?: boolean;
  sponsorClass?: string[];
  hasResults?: boolean;
}

function matches(f: Facts, q: Query): boolean {
  // A person aged within [minAge, maxAge] can take part; no limit on a side admits every age.
  if (q.minAge !== undefined && f.maxAge !== null && f.maxAge < q.minAge) return false;
  if (q.maxAge !== undefined && f.minAge !== null && f.minAge > q.maxAge) return false;
  if (q.sex !== undefined && f.sex !== null && f.sex !== 'ALL' && f.sex !== q.sex) return false;
  const inRange = (date: string | null, from?: string, to?: string) =>
    (from === undefined && to === undefined) ||
    (date !== null && (from === undefined || date >= from) && (to === undefined || date <= to));
  if (!inRange(f.start, q.startFrom, q.startTo)) return false;
  if (!inRange(f.completion, q.completionFrom, q.completionTo)) return false;
  const recruiting = f.status === 'RECRUITING' || f.status === 'ENROLLING_BY_INVITATION';
  if (q.recruiting !== undefined && recruiting !== q.recruiting) return false;
  if (q.sponsorClass !== undefined && !q.sponsorClass.includes(f.sponsorClass ?? '')) return false;
  if (q.hasResults !== undefined && f.hasResults !== q.hasResults) return false;
  return true;
}

const PARAMS: Record<keyof Query, string> = {
  minAge: 'minAge',
  maxAge: 'maxAge',
  sex: 'sex',
  startFrom: 'startDateFrom',
  startTo: 'startDateTo',
  completionFrom: 'completionDateFrom',
  completionTo: 'completionDateTo',
  recruiting: 'recruiting',
  sponsorClass: 'sponsorClass',
  hasResults: 'hasResults',
};

function queryString(q: Query): string {
  return Object.entries(q)
    .map(([key, value]) => {
      const text = Array.isArray(value) ? value.join(',') : String(value);
      return `${PARAMS[key as keyof Query]}=${encodeURIComponent(text)}`;
    })
    .join('&');
}

const expectedIds = (q: Query) =>
  FACTS.filter((f) => matches(f, q))
    .map((f) => f.id)
    .sort();

const AGES = [0, 0.25, 0.5, 1, 2, 5, 12, 15, 17, 18, 19, 21, 40, 45, 55, 60, 64, 65, 70, 75, 80, 90, 120];
const QUERIES: Query[] = [
  ...AGES.flatMap((age): Query[] => [{ minAge: age }, { maxAge: age }, { minAge: age, maxAge: age }]),
  { minAge: 12, maxAge: 17 },
  { minAge: 18, maxAge: 65 },
  { minAge: 70, maxAge: 100 },
  { sex: 'FEMALE' },
  { sex: 'MALE' },
  { startFrom: '2020-01-01' },
  { startTo: '2005-06-30' },
  { startFrom: '2010-01-01', startTo: '2015-12-31' },
  { startFrom: '2019-03-01', startTo: '2019-03-31' },
  { completionFrom: '2025-01-01' },
  { completionTo: '2012-12-31' },
  { completionFrom: '2016-01-01', completionTo: '2018-06-30' },
  { recruiting: true },
  { recruiting: false },
  { sponsorClass: ['INDUSTRY'] },
  { sponsorClass: ['NIH', 'OTHER_GOV'] },
  { sponsorClass: ['INDIV', 'NETWORK', 'OTHER'] },
  { hasResults: true },
  { hasResults: false },
  { minAge: 18, maxAge: 18, sex: 'FEMALE', recruiting: true },
  { minAge: 65, sponsorClass: ['INDUSTRY'], hasResults: true },
  { maxAge: 17, startFrom: '2015-01-01', recruiting: false },
  { minAge: 40, maxAge: 40, completionFrom: '2024-01-01', sex: 'MALE' },
];

describe.each(storeKinds())('patient and coordinator filters through the API on %s', (kind) => {
  let store: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const get = async <T>(url: string): Promise<T> => {
    const response = await app.inject(url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json<T>();
  };
  const trialIds = async (query: string): Promise<string[]> => {
    const body = await get<{ items: { id: string }[]; nextCursor: string | null }>(
      `/api/v1/trials?limit=1000&${query}`,
    );
    expectSchema(TrialListSchema, body);
    expect(body.nextCursor).toBeNull();
    return body.items.map((item) => item.id).sort();
  };

  beforeAll(async () => {
    store = await createTestStore(kind);
    const config = testConfig(store.url, { ctgov: testSourceConfig() });
    await importCtgovStudies(store, STUDIES, () => (clock += 1000));
    app = await buildApp({ config, store, sources: sourceInfos(config) });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.drop();
  });

  it('the fixtures have what the filters need: limits on both sides, open ones, months, every sex', () => {
    expect(FACTS).toHaveLength(200);
    expect(FACTS.filter((f) => f.maxAge === null).length).toBeGreaterThan(50);
    expect(FACTS.filter((f) => f.minAge === null).length).toBeGreaterThan(0);
    expect(FACTS.some((f) => f.minAge !== null && f.minAge > 0 && f.minAge < 1)).toBe(true);
    expect(new Set(FACTS.map((f) => f.sex))).toEqual(new Set(['ALL', 'FEMALE', 'MALE']));
    expect(FACTS.filter((f) => f.status === 'NOT_YET_RECRUITING').length).toBeGreaterThan(0);
    expect(FACTS.filter((f) => f.status === 'ENROLLING_BY_INVITATION').length).toBeGreaterThan(0);
    expect(STUDIES.some((s) => s.protocolSection.statusModule?.startDateStruct?.date?.length === 7)).toBe(
      true,
    );
  });

  it('finds exactly the trials brute force finds, for every filter and combination', async () => {
    let nonEmpty = 0;
    for (const q of QUERIES) {
      const expected = expectedIds(q);
      expect(await trialIds(queryString(q)), queryString(q)).toEqual(expected);
      if (expected.length > 0 && expected.length < FACTS.length) nonEmpty++;
    }
    // The queries tell trials apart (not all everything or nothing).
    expect(nonEmpty).toBeGreaterThan(QUERIES.length * 0.7);
  }, 180_000);

  it('takes months and years as date bounds (first day from, last day to) and codes in any case', async () => {
    const same: [string, Query][] = [
      ['startDateFrom=2019-03&startDateTo=2019-03', { startFrom: '2019-03-01', startTo: '2019-03-31' }],
      ['startDateFrom=2010&startDateTo=2015', { startFrom: '2010-01-01', startTo: '2015-12-31' }],
      ['completionDateTo=2012', { completionTo: '2012-12-31' }],
      [
        'completionDateFrom=2024-02&completionDateTo=2024-02',
        { completionFrom: '2024-02-01', completionTo: '2024-02-29' },
      ],
      ['sex=female', { sex: 'FEMALE' }],
      ['sponsorClass=industry,Nih', { sponsorClass: ['INDUSTRY', 'NIH'] }],
    ];
    for (const [query, q] of same) expect(await trialIds(query), query).toEqual(expectedIds(q));
  });

  it('applies the filters to the facets and the change feed, and counts the new facet fields', async () => {
    for (const q of QUERIES.filter((_, i) => i % 5 === 0)) {
      const expected = expectedIds(q);
      const facets = await get<{ total: number }>(`/api/v1/facets?field=source&${queryString(q)}`);
      expectSchema(FacetListSchema, facets);
      expect(facets.total, queryString(q)).toBe(expected.length);
      const changes = await get<{ items: { trialId: string }[] }>(
        `/api/v1/changes?limit=1000&${queryString(q)}`,
      );
      expectSchema(ChangeListSchema, changes);
      expect([...new Set(changes.items.map((item) => item.trialId))].sort(), queryString(q)).toEqual(
        expected,
      );
    }
    const count = (values: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
      return Object.fromEntries(counts);
    };
    const facet = async (field: string, query = '') => {
      const body = await get<{ items: { value: string; count: number }[]; total: number }>(
        `/api/v1/facets?field=${field}&limit=100${query}`,
      );
      expectSchema(FacetListSchema, body);
      return Object.fromEntries(body.items.map((item) => [item.value, item.count]));
    };
    // A woman (a man) can take part in the trials for her sex, for all, or that do not say.
    const forSex = (sex: 'FEMALE' | 'MALE') => FACTS.filter((f) => matches(f, { sex })).length;
    expect(await facet('sex')).toEqual({ FEMALE: forSex('FEMALE'), MALE: forSex('MALE') });
    expect(forSex('FEMALE')).toBeLessThan(FACTS.length);
    expect(await facet('sponsorClass')).toEqual(count(FACTS.map((f) => f.sponsorClass)));
    const recruiting = (f: Facts) =>
      String(f.status === 'RECRUITING' || f.status === 'ENROLLING_BY_INVITATION');
    expect(await facet('recruiting')).toEqual(count(FACTS.map(recruiting)));
    const older = FACTS.filter((f) => matches(f, { minAge: 65 }));
    expect(await facet('sponsorClass', '&minAge=65')).toEqual(count(older.map((f) => f.sponsorClass)));
    expect(await facet('recruiting', '&minAge=65')).toEqual(count(older.map(recruiting)));
  }, 180_000);

  const SORTS: [string, 'start' | 'completion', 1 | -1][] = [
    ['startDate', 'start', 1],
    ['-startDate', 'start', -1],
    ['completionDate', 'completion', 1],
    ['-completionDate', 'completion', -1],
  ];

  /** The brute-force order: dated trials by date then id (in the direction), undated last by id. */
  const sortedBy = (facts: Facts[], key: 'start' | 'completion', sign: 1 | -1) =>
    [...facts]
      .sort((a, b) => {
        const x = a[key];
        const y = b[key];
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return x < y ? -sign : sign;
        }
        return a.id < b.id ? -sign : sign;
      })
      .map((f) => f.id);

  const walk = async (query: string, limit: number): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/trials?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const body: { items: { id: string }[]; nextCursor: string | null } = await get(url);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      expect(++pages).toBeLessThan(200);
    } while (cursor !== null);
    return ids;
  };

  it('pages the date sorts by cursor in brute-force order, without repeats or gaps', async () => {
    for (const [sort, key, sign] of SORTS) {
      const expected = sortedBy(FACTS, key, sign);
      // Pages of 7 cross dated rows, ties and the undated rows at the end.
      const ids = await walk(`sort=${sort}`, 7);
      expect(ids, sort).toEqual(expected);
      expect(new Set(ids).size).toBe(FACTS.length);
      const first = await get<{ items: { id: string }[] }>(`/api/v1/trials?sort=${sort}&limit=1000`);
      expect(first.items.map((item) => item.id)).toEqual(expected);
      // With a filter and a search (the keys-only path), too.
      const q: Query = { recruiting: false, minAge: 18 };
      expect(await walk(`sort=${sort}&${queryString(q)}`, 5), `${sort} filtered`).toEqual(
        sortedBy(
          FACTS.filter((f) => matches(f, q)),
          key,
          sign,
        ),
      );
    }
    const searched = await walk('sort=startDate&q=cancer', 3);
    const all = await trialIds('q=cancer');
    expect([...searched].sort()).toEqual(all);
    expect(searched).toEqual(
      sortedBy(
        FACTS.filter((f) => all.includes(f.id)),
        'start',
        1,
      ),
    );
    // Ties: trials that share a start day are ordered by id.
    const starts = FACTS.map((f) => f.start).filter((d) => d !== null);
    expect(new Set(starts).size).toBeLessThan(starts.length);
  }, 180_000);

  it('refuses a cursor of another sort', async () => {
    const body = await get<{ nextCursor: string }>('/api/v1/trials?sort=startDate&limit=5');
    const response = await app.inject(
      `/api/v1/trials?sort=completionDate&limit=5&cursor=${encodeURIComponent(body.nextCursor)}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe('INVALID_CURSOR');
  });

  it('answers bad values with a 400 naming the parameter (and the allowed values), on every route', async () => {
    const cases: [string, string, string[]?][] = [
      ['minAge=-1', 'minAge'],
      ['minAge=abc', 'minAge'],
      ['maxAge=151', 'maxAge'],
      ['minAge=30&maxAge=20', 'maxAge'],
      ['sex=other', 'sex', ['FEMALE', 'MALE']],
      ['sex=ALL', 'sex', ['FEMALE', 'MALE']],
      ['sex=female,male', 'sex'],
      ['startDateFrom=yesterday', 'startDateFrom'],
      ['startDateTo=2024-13', 'startDateTo'],
      ['completionDateFrom=2023-02-29', 'completionDateFrom'],
      ['completionDateFrom=2024-05-01&completionDateTo=2024-04', 'completionDateTo'],
      ['recruiting=maybe', 'recruiting'],
      ['sponsorClass=PHARMA', 'sponsorClass', ['INDUSTRY', 'NIH', 'OTHER', 'OTHER_GOV', 'FED']],
      ['sponsorClass=industry,', 'sponsorClass'],
    ];
    for (const route of ['/api/v1/trials?', '/api/v1/facets?field=sex&', '/api/v1/changes?']) {
      for (const [query, parameter, allowed] of cases) {
        const response = await app.inject(`${route}${query}`);
        expect(response.statusCode, `${route}${query}: ${response.body}`).toBe(400);
        const body = response.json<{ code: string; detail: string; details?: { allowed?: string[] } }>();
        expect(body.code, `${route}${query}`).toBe('VALIDATION_FAILED');
        expect(body.detail, `${route}${query}`).toContain(parameter);
        for (const value of allowed ?? []) {
          expect(body.detail, `${route}${query}`).toContain(value);
          expect(body.details?.allowed, `${route}${query}`).toContain(value);
        }
      }
    }
  }, 180_000);

  it('backfills the columns of trials stored before migration 0012 as a harvest writes them', async () => {
    const COLUMNS = [
      'id',
      'min_age_years',
      'max_age_years',
      'sex',
      'start_date',
      'completion_date',
      'sponsor_class',
    ] as const;
    const read = () => store.db.selectFrom('trials').select(COLUMNS).orderBy('id').execute();
    const written = await read();
    expect(written.filter((row) => row.sponsor_class !== null).length).toBe(200);
    await migrateDownTo(store.db, '0011-webhooks');
    const report = await migrateToLatest(store.db);
    expect(report[0]).toEqual({ name: '0012-eligibility', status: 'Success' });
    expect(report.every((result) => result.status === 'Success')).toBe(true);
    const backfilled = await read();
    expect(backfilled).toEqual(written);
    const byId = new Map(FACTS.map((f) => [f.id, f]));
    for (const row of backfilled) {
      const f = byId.get(row.id)!;
      expect(row.min_age_years === null ? null : Number(row.min_age_years), row.id).toBe(f.minAge);
      expect(row.max_age_years === null ? null : Number(row.max_age_years), row.id).toBe(f.maxAge);
      expect([row.sex, row.start_date, row.completion_date, row.sponsor_class], row.id).toEqual([
        f.sex,
        f.start,
        f.completion,
        f.sponsorClass,
      ]);
    }
  }, 180_000);
});
