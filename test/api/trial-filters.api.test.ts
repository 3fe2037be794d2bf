/**
 * Issue 19 item 4 (the filters patients and coordinators use) at the level a client sees it: the
 * real ClinicalTrials.gov studies of the fixtures imported through the harvest, then
 * /api/v1/trials, /api/v1/facets and /api/v1/changes asked with `minAge`/`maxAge`, `sex`, the date
 * ranges, `recruiting` and `sponsorClass`, and sorted by start and completion date. Every answer is
 * checked against a brute-force filter over the raw records (their eligibility, status, dates and
 * lead sponsor as the registry wrote them, parsed here), on each database the run covers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { FacetListSchema } from '../../src/api/schemas/facet.schema.js';
import { TrialListSchema } from '../../src/api/schemas/trial.schema.js';
import { sourceInfos } from '../../src/bin/context.js';
import * as m0014 from '../../src/store/migrations/0014-trial-filters.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import { importCtgovStudies } from './support/harvest-file.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What brute force reads of one raw study. */
interface Facts {
  id: string;
  minYears: number | null;
  maxYears: number | null;
  sex: string | null;
  status: string | null;
  start: string | null;
  completion: string | null;
  sponsorClass: string | null;
}

const DAYS_PER_UNIT: Readonly<Record<string, number>> = {
  minute: 1 / 1440,
  hour: 1 / 24,
  day: 1,
  week: 7,
};

/** `18 Years`, `1 Month`, `6 Months`, `2 Weeks` as years (a year 365.25 days, a month 1/12 year). */
function years(text: string | undefined): number | null {
  if (text === undefined) return null;
  const [amount, unit] = text.split(' ') as [string, string];
  const n = Number(amount);
  const singular = unit.toLowerCase().replace(/s$/, '');
  if (singular === 'year') return n;
  if (singular === 'month') return n / 12;
  const days = DAYS_PER_UNIT[singular];
  if (days === undefined) throw new Error(`unexpected age unit in a fixture: ${text}`);
  return (n * days) / 365.25;
}

/** A registry date as the first day it covers. */
function firstDay(date: string | undefined): string | null {
  if (date === undefined) return null;
  if (date.length === 4) return `${date}-01-01`;
  if (date.length === 7) return `${date}-01`;
  return date;
}

const STUDIES: Study[] = ctgovFixtureIds().map((id) => ctgovFixture(id));
const FACTS: Facts[] = STUDIES.map((study) => {
  const p = study.protocolSection;
  const eligibility = p.eligibilityModule ?? {};
  return {
    id: p.identificationModule.nctId,
    minYears: years(eligibility.minimumAge),
    maxYears: years(eligibility.maximumAge),
    sex: eligibility.sex ?? null,
    status: p.statusModule?.overallStatus ?? null,
    start: firstDay(p.statusModule?.startDateStruct?.date),
    completion: firstDay(p.statusModule?.completionDateStruct?.date),
    sponsorClass: p.sponsorCollaboratorsModule?.leadSponsor?.class ?? null,
  };
});

/** Whether someone of some whole-year age from `low` to `high` (each N: N to under N + 1) can take part. */
function ageFits(facts: Facts, low: number | undefined, high: number | undefined): boolean {
  if (low !== undefined && facts.maxYears !== null && facts.maxYears < low) return false;
  if (high !== undefined && facts.minYears !== null && facts.minYears >= high + 1) return false;
  return true;
}

const OPEN = ['RECRUITING', 'ENROLLING_BY_INVITATION'];
const sorted = (ids: Iterable<string>) => [...ids].sort();
const idsWhere = (keep: (facts: Facts) => boolean) => sorted(FACTS.filter(keep).map((facts) => facts.id));

describe.each(storeKinds())('patient and coordinator filters through the API on %s', (kind) => {
  let store: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const list = async (query: string): Promise<{ items: { id: string }[]; nextCursor: string | null }> => {
    const response = await app.inject(`/api/v1/trials?${query}`);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    const body = response.json<{ items: { id: string }[]; nextCursor: string | null }>();
    expectSchema(TrialListSchema, body);
    return body;
  };
  const ids = async (query: string) =>
    sorted((await list(`${query}&limit=1000`)).items.map((item) => item.id));
  const changedIds = async (query: string) => {
    const response = await app.inject(`/api/v1/changes?limit=1000&${query}`);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    return sorted(
      new Set(response.json<{ items: { trialId: string }[] }>().items.map((event) => event.trialId)),
    );
  };
  const facet = async (query: string) => {
    const response = await app.inject(`/api/v1/facets?${query}`);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    const body = response.json<{ items: { value: string; count: number }[]; total: number }>();
    expectSchema(FacetListSchema, body);
    return body;
  };
  /** The same trials from the list, the facets' total and the change feed (one event per trial here). */
  const expectSame = async (query: string, expected: string[]) => {
    expect(await ids(query), query).toEqual(expected);
    expect((await facet(`field=status&${query}`)).total, query).toBe(expected.length);
    expect(await changedIds(query), query).toEqual(expected);
  };

  beforeAll(async () => {
    store = await createTestStore(kind);
    const config = testConfig(store.url, { ctgov: testSourceConfig() });
    const run = await importCtgovStudies(store, STUDIES, () => (clock += 1000));
    expect(run.status, run.errorMessage ?? '').toBe('succeeded');
    app = await buildApp({ config, store, sources: sourceInfos(config) });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.drop();
  });

  it('the fixtures hold every kind of value the filters tell apart', () => {
    expect(FACTS.some((f) => f.minYears !== null && f.minYears < 1)).toBe(true);
    expect(FACTS.some((f) => f.minYears === null)).toBe(true);
    expect(FACTS.some((f) => f.maxYears === null)).toBe(true);
    expect(new Set(FACTS.map((f) => f.sex))).toEqual(new Set(['ALL', 'FEMALE', 'MALE']));
    expect(FACTS.some((f) => f.status === 'ENROLLING_BY_INVITATION')).toBe(true);
    expect(FACTS.some((f) => f.status === 'NOT_YET_RECRUITING')).toBe(true);
    expect(FACTS.some((f) => f.start?.endsWith('-01') === true && f.start.length === 10)).toBe(true);
    expect(FACTS.some((f) => f.completion === null)).toBe(true);
  });

  it('minAge and maxAge select exactly the trials a person of those ages can take part in', async () => {
    const cases: [number | undefined, number | undefined][] = [
      [0, 0],
      [1, 1],
      [5, 5],
      [17, 17],
      [18, 18],
      [29, 29],
      [40, 40],
      [65, 65],
      [66, 66],
      [90, 90],
      [91, 150],
      [10, 20],
      [30, undefined],
      [undefined, 17],
      [undefined, 0],
      [70, undefined],
    ];
    for (const [low, high] of cases) {
      const query = [
        ...(low === undefined ? [] : [`minAge=${low}`]),
        ...(high === undefined ? [] : [`maxAge=${high}`]),
      ].join('&');
      const expected = idsWhere((facts) => ageFits(facts, low, high));
      await expectSame(query, expected);
      expect(expected.length, query).toBeLessThanOrEqual(FACTS.length);
    }
    // The bounds narrow for real: children and the very old are few.
    expect(idsWhere((f) => ageFits(f, 5, 5)).length).toBeLessThan(20);
    expect(idsWhere((f) => ageFits(f, 40, 40)).length).toBeGreaterThan(100);
  });

  it('sex selects the trials open to that sex (ALL counts for both; unknown matches)', async () => {
    for (const sex of ['FEMALE', 'MALE', 'ALL']) {
      const open = sex === 'ALL' ? ['ALL'] : [sex, 'ALL'];
      const expected = idsWhere((facts) => facts.sex === null || open.includes(facts.sex));
      await expectSame(`sex=${sex}`, expected);
    }
    expect(await ids('sex=FEMALE')).not.toEqual(await ids('sex=MALE'));
  });

  it('the date ranges select by start and completion date, inclusive, undated trials left out', async () => {
    const cases: [string, (facts: Facts) => boolean][] = [
      ['startFrom=2015-01-01', (f) => f.start !== null && f.start >= '2015-01-01'],
      ['startTo=2006-06-20', (f) => f.start !== null && f.start <= '2006-06-20'],
      [
        'startFrom=2010-01-01&startTo=2012-12-31',
        (f) => f.start !== null && f.start >= '2010-01-01' && f.start <= '2012-12-31',
      ],
      ['startFrom=2016-01-13&startTo=2016-01-13', (f) => f.start === '2016-01-13'],
      ['completionFrom=2026-01-01', (f) => f.completion !== null && f.completion >= '2026-01-01'],
      ['completionTo=2010-04-05', (f) => f.completion !== null && f.completion <= '2010-04-05'],
      [
        'startFrom=2015-01-01&completionTo=2018-12-31',
        (f) =>
          f.start !== null &&
          f.start >= '2015-01-01' &&
          f.completion !== null &&
          f.completion <= '2018-12-31',
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = idsWhere(keep);
      expect(expected.length, query).toBeGreaterThan(0);
      await expectSame(query, expected);
    }
  });

  it('recruiting=true is RECRUITING or ENROLLING_BY_INVITATION only; false is every other trial', async () => {
    const open = idsWhere((f) => f.status !== null && OPEN.includes(f.status));
    await expectSame('recruiting=true', open);
    await expectSame(
      'recruiting=false',
      idsWhere((f) => f.status === null || !OPEN.includes(f.status)),
    );
    expect(open.length).toBeGreaterThan(0);
    const notYet = FACTS.filter((f) => f.status === 'NOT_YET_RECRUITING').map((f) => f.id);
    expect(open.some((id) => notYet.includes(id))).toBe(false);
  });

  it('sponsorClass selects by the lead sponsor class, several with a comma', async () => {
    for (const value of ['INDUSTRY', 'OTHER', 'indiv,NETWORK', 'NIH', 'OTHER_GOV']) {
      const classes = value.toUpperCase().split(',');
      await expectSame(
        `sponsorClass=${value}`,
        idsWhere((f) => f.sponsorClass !== null && classes.includes(f.sponsorClass)),
      );
    }
  });

  it('the filters combine, with each other and with the older ones', async () => {
    const query = 'recruiting=true&minAge=10&maxAge=10&sex=MALE&startFrom=2010-01-01&hasResults=false';
    const hasResults = new Map(
      STUDIES.map((s) => [s.protocolSection.identificationModule.nctId, s.hasResults === true]),
    );
    await expectSame(
      query,
      idsWhere(
        (f) =>
          f.status !== null &&
          OPEN.includes(f.status) &&
          ageFits(f, 10, 10) &&
          (f.sex === null || ['MALE', 'ALL'].includes(f.sex)) &&
          f.start !== null &&
          f.start >= '2010-01-01' &&
          hasResults.get(f.id) === false,
      ),
    );
  });

  it('counts sex, sponsorClass and recruiting as facets, each count what filtering by it lists', async () => {
    const count = (values: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
      return [...counts]
        .map(([value, n]) => ({ value, count: n }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    for (const filter of ['', '&minAge=18&maxAge=18', '&startFrom=2015-01-01']) {
      const kept = FACTS.filter((f) =>
        filter === ''
          ? true
          : filter.includes('minAge')
            ? ageFits(f, 18, 18)
            : f.start !== null && f.start >= '2015-01-01',
      );
      // Each sex counts the trials open to it, as sex= selects them (the counts overlap).
      const sex = await facet(`field=sex&limit=100${filter}`);
      expect(sex.items, filter).toEqual(
        count(
          kept.flatMap((f) =>
            ['FEMALE', 'MALE', 'ALL'].filter(
              (asked) => f.sex === null || f.sex === asked || (asked !== 'ALL' && f.sex === 'ALL'),
            ),
          ),
        ),
      );
      expect(sex.total).toBe(kept.length);
      for (const item of sex.items) {
        expect((await ids(`sex=${item.value}${filter}`)).length, `sex=${item.value}${filter}`).toBe(
          item.count,
        );
      }
      const sponsor = await facet(`field=sponsorClass&limit=100${filter}`);
      expect(sponsor.items, filter).toEqual(count(kept.map((f) => f.sponsorClass)));
      const recruiting = await facet(`field=recruiting&limit=100${filter}`);
      expect(recruiting.items, filter).toEqual(
        count(kept.map((f) => String(f.status !== null && OPEN.includes(f.status)))),
      );
    }
  });

  it('sorts by start and completion date in both directions, paging by cursor without repeats or gaps', async () => {
    for (const [sort, key] of [
      ['startDate', 'start'],
      ['-startDate', 'start'],
      ['completionDate', 'completion'],
      ['-completionDate', 'completion'],
    ] as const) {
      const direction = sort.startsWith('-') ? -1 : 1;
      const expected = [...FACTS]
        .sort((a, b) => {
          const x = a[key];
          const y = b[key];
          if (x !== y) {
            if (x === null) return 1;
            if (y === null) return -1;
            return (x < y ? -1 : 1) * direction;
          }
          return (a.id < b.id ? -1 : 1) * direction;
        })
        .map((f) => f.id);
      for (const filter of ['', '&recruiting=false']) {
        const want =
          filter === ''
            ? expected
            : expected.filter((id) => {
                const status = FACTS.find((f) => f.id === id)!.status;
                return status === null || !OPEN.includes(status);
              });
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await list(
            `sort=${sort}&limit=7${filter}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
          );
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 100);
        expect(seen, `${sort}${filter}`).toEqual(want);
        expect(new Set(seen).size).toBe(seen.length);
      }
      // The dates really are monotonic in the sort's direction (undated last).
      const dates = expected.map((id) => FACTS.find((f) => f.id === id)![key]);
      const dated = dates.filter((d) => d !== null);
      expect(dates.slice(dated.length).every((d) => d === null)).toBe(true);
      for (let i = 1; i < dated.length; i++) {
        const [before, after] = [dated[i - 1]!, dated[i]!];
        expect(direction * (after < before ? -1 : after > before ? 1 : 0), sort).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('refuses bad values with 400 VALIDATION_FAILED naming the parameter', async () => {
    const cases: [string, string][] = [
      ['minAge=-1', 'minAge'],
      ['minAge=abc', 'minAge'],
      ['maxAge=151', 'maxAge'],
      ['minAge=2.5', 'minAge'],
      ['minAge=50&maxAge=40', 'maxAge'],
      ['sex=OTHER', 'sex'],
      ['startFrom=2020-02-30', 'startFrom'],
      ['startTo=2020-13-01', 'startTo'],
      ['completionFrom=2020-1-1', 'completionFrom'],
      ['completionTo=yesterday', 'completionTo'],
      ['startFrom=2021-01-01&startTo=2020-12-31', 'startTo'],
      ['completionFrom=2030-01-02&completionTo=2030-01-01', 'completionTo'],
      ['sponsorClass=PHARMA', 'sponsorClass'],
      ['sponsorClass=', 'sponsorClass'],
      ['recruiting=maybe', 'recruiting'],
    ];
    for (const [query, parameter] of cases) {
      for (const path of ['/api/v1/trials', '/api/v1/changes', '/api/v1/facets?field=status&']) {
        const url = path.endsWith('&') ? `${path}${query}` : `${path}?${query}`;
        const response = await app.inject(url);
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        const body = response.json<{ code: string; detail: string; details?: { parameter?: string } }>();
        expect(body.code, url).toBe('VALIDATION_FAILED');
        expect(`${body.details?.parameter ?? ''} ${body.detail}`, url).toContain(parameter);
      }
    }
  });

  it('the migration derives from the stored documents exactly what each write stores', async () => {
    const rows = async () =>
      (await store.db.selectFrom('trial_filters').selectAll().orderBy('trial_id').execute()).map((row) => ({
        ...row,
        min_age_years: row.min_age_years === null ? null : Number(row.min_age_years),
        max_age_years: row.max_age_years === null ? null : Number(row.max_age_years),
      }));
    const written = await rows();
    expect(written).toHaveLength(FACTS.length);
    await store.db.deleteFrom('trial_filters').execute();
    await m0014.up(store.db);
    expect(await rows()).toEqual(written);
  });
});
