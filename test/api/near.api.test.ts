/**
 * Issue 19 (sites, distance search, near=<city>, registryUrl) at the level a client sees it: the
 * 200 real ClinicalTrials.gov studies of the fixtures imported through the harvest, then
 * /api/v1/trials, /api/v1/facets and /api/v1/changes asked with `near`. Every answer is checked
 * against a brute-force haversine over every site of the fixtures (read from the raw records, not
 * from the mirror), on each database the run covers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { CSV_COLUMNS } from '../../src/api/trial-format.js';
import { FacetListSchema } from '../../src/api/schemas/facet.schema.js';
import { PlaceListSchema, TrialSiteListSchema } from '../../src/api/schemas/site.schema.js';
import { TrialListSchema } from '../../src/api/schemas/trial.schema.js';
import { sourceInfos } from '../../src/bin/context.js';
import type { GeoPoint } from '../../src/domain/geo.js';
import { haversineKm } from '../../src/domain/geo.js';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { ctgovFixture, ctgovFixtureIds, syntheticStudy } from '../../testkit/fake-ctgov.js';
import { silentLog, testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { parseCsv } from './support/csv.js';
import { expectSchema } from './support/expect-schema.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface RawSite extends GeoPoint {
  trialId: string;
  name: string | null;
  city: string;
  state: string | null;
  country: string | null;
  status: string | null;
}

interface Item {
  id: string;
  registryUrl: string | null;
  nearestSite?: { name: string | null; city: string | null; country: string | null; distanceKm: number };
}

/**
 * No fixture study has a site beyond 65°N or 37°S: one synthetic study made from a real one
 * (`syntheticStudy`) has its sites moved to real polar stations, so the box's pole and
 * antimeridian handling meets sites there too.
 */
function polarStudy(): Study {
  const study: Study = syntheticStudy(ctgovFixture(ctgovFixtureIds()[0]!), 1);
  const station = (facility: string, city: string, country: string, lat: number, lon: number) => ({
    facility,
    city,
    country,
    status: 'RECRUITING',
    geoPoint: { lat, lon },
  });
  study.protocolSection.contactsLocationsModule = {
    locations: [
      station('Amundsen-Scott South Pole Station', 'South Pole', 'Antarctica', -90, 0),
      station('McMurdo Station', 'McMurdo', 'Antarctica', -77.846, 166.676),
      station('Alert Station', 'Alert', 'Canada', 82.502, -62.348),
      station('Ny-Ålesund Research Station', 'Ny-Ålesund', 'Norway', 78.925, 11.93),
    ],
  };
  return study;
}

const STUDIES: Study[] = [...ctgovFixtureIds().map((id) => ctgovFixture(id)), polarStudy()];
const ID_OF = (study: Study): string => study.protocolSection.identificationModule.nctId as string;

/** Every site with coordinates of every fixture study, straight from the raw records. */
const SITES: RawSite[] = STUDIES.flatMap((study) =>
  ((study.protocolSection.contactsLocationsModule?.locations ?? []) as Study[])
    .filter((location) => location.geoPoint !== undefined)
    .map((location) => ({
      trialId: ID_OF(study),
      name: location.facility ?? null,
      city: location.city,
      state: location.state ?? null,
      country: location.country ?? null,
      status: location.status ?? null,
      lat: location.geoPoint.lat,
      lon: location.geoPoint.lon,
    })),
);

/** The trials brute force finds: a site within `radiusKm` (of these statuses, when given). */
function bruteForce(centre: GeoPoint, radiusKm: number, statuses?: string[]): Map<string, number> {
  const nearest = new Map<string, number>();
  for (const site of SITES) {
    if (statuses !== undefined && !statuses.includes(site.status ?? '')) continue;
    const distance = haversineKm(centre, site);
    if (distance > radiusKm) continue;
    const known = nearest.get(site.trialId);
    if (known === undefined || distance < known) nearest.set(site.trialId, distance);
  }
  return nearest;
}

const sorted = (ids: Iterable<string>) => [...ids].sort();
const site = (city: string) => SITES.find((candidate) => candidate.city === city)!;

describe.each(storeKinds())('sites and distance search through the API on %s', (kind) => {
  let store: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const list = async (query: string): Promise<{ items: Item[]; nextCursor: string | null }> => {
    const response = await app.inject(`/api/v1/trials?${query}`);
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    const body = response.json<{ items: Item[]; nextCursor: string | null }>();
    expectSchema(TrialListSchema, body);
    return body;
  };
  const problem = async (path: string) => {
    const response = await app.inject(path);
    expect(response.statusCode, `${path}: ${response.body}`).toBe(400);
    return response.json<{ code: string; detail: string; details?: { suggestions?: string[] } }>();
  };

  let deps: HarvestDeps;
  const harvest = async (studies: Study[]) => {
    const run = await runHarvest(deps, {
      source: 'ctgov',
      mode: 'full',
      trigger: 'import',
      file: { name: 'studies.json', content: Buffer.from(JSON.stringify(studies), 'utf8') },
    });
    expect(run.status, run.errorMessage ?? '').toBe('succeeded');
  };

  beforeAll(async () => {
    store = await createTestStore(kind);
    const config = testConfig(store.url, { ctgov: testSourceConfig() });
    deps = {
      config,
      store,
      sources: [ctgovSource],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
    await harvest(STUDIES);
    app = await buildApp({ config, store, sources: sourceInfos(config) });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.drop();
  });

  it('stores every site of every trial, with its coordinates where the registry gives them', async () => {
    const rows = await store.db.selectFrom('trial_sites').selectAll().execute();
    const all = STUDIES.flatMap(
      (study): unknown[] =>
        (study.protocolSection.contactsLocationsModule?.locations as unknown[] | undefined) ?? [],
    );
    expect(rows).toHaveLength(all.length);
    expect(rows.filter((row) => row.lat !== null)).toHaveLength(SITES.length);
    const seoul = rows.find((row) => row.city === 'Seoul' && row.lat !== null)!;
    expect(seoul).toMatchObject({ country: expect.any(String), city_key: 'seoul' });
  });

  const CENTRES: [string, GeoPoint][] = [
    ['Seoul', site('Seoul')],
    ['Helsinki', site('Helsinki')],
    ['Boston', site('Boston')],
    ['Auckland', site('Auckland')],
    // Across the antimeridian from Auckland (174.8°E): only reachable through the other side.
    ['antimeridian', { lat: -36.85, lon: -179.9 }],
    ['Lapland, near Oulu', { lat: 68.5, lon: 26 }],
    ['north pole', { lat: 90, lon: 0 }],
    ['south pole', { lat: -90, lon: 45 }],
    ['near the south pole', { lat: -89, lon: 100 }],
    ['near the north pole', { lat: 86.5, lon: -62.3 }],
    ['across the antimeridian from McMurdo', { lat: -77.85, lon: -178 }],
    ['mid-Atlantic', { lat: 40, lon: -40 }],
  ];
  const RADII = [0, 10, 50, 200, 500];

  it('finds exactly the trials brute force finds, for every centre and radius', async () => {
    let matched = 0;
    for (const [name, centre] of CENTRES) {
      for (const radius of RADII) {
        const query = `near=${centre.lat},${centre.lon}&radius=${radius}km&limit=1000`;
        const expected = bruteForce(centre, radius);
        const body = await list(query);
        expect(sorted(body.items.map((item) => item.id)), `${name} ${radius}km`).toEqual(
          sorted(expected.keys()),
        );
        for (const item of body.items) {
          expect(item.nearestSite!.distanceKm, `${name} ${item.id}`).toBeCloseTo(expected.get(item.id)!, 9);
        }
        matched += expected.size;
      }
    }
    // Auckland is found from across the antimeridian, Oulu from Lapland: the box is not naive.
    expect(bruteForce({ lat: -36.85, lon: -179.9 }, 500).size).toBeGreaterThan(0);
    expect(bruteForce({ lat: 68.5, lon: 26 }, 500).size).toBeGreaterThan(0);
    expect(bruteForce({ lat: -89, lon: 100 }, 200).size).toBe(1);
    expect(bruteForce({ lat: 86.5, lon: -62.3 }, 500).size).toBe(1);
    expect(bruteForce({ lat: -77.85, lon: -178 }, 500).size).toBe(1);
    expect(matched).toBeGreaterThan(100);
  });

  it('radius 0 finds the sites at the very point, and miles are miles', async () => {
    const centre = site('Helsinki');
    const at = bruteForce(centre, 0);
    expect(at.size).toBeGreaterThan(0);
    expect(
      sorted((await list(`near=${centre.lat},${centre.lon}&radius=0km&limit=1000`)).items.map((i) => i.id)),
    ).toEqual(sorted(at.keys()));
    const miles = bruteForce(site('Boston'), 100 * 1.609344);
    const body = await list(`near=${site('Boston').lat},${site('Boston').lon}&radius=100mi&limit=1000`);
    expect(sorted(body.items.map((item) => item.id))).toEqual(sorted(miles.keys()));
  });

  it('siteStatus counts only the sites of that status', async () => {
    let narrowed = 0;
    for (const [name, centre] of CENTRES.slice(0, 4)) {
      for (const statuses of [['RECRUITING'], ['NOT_YET_RECRUITING', 'RECRUITING']]) {
        const expected = bruteForce(centre, 500, statuses);
        const body = await list(
          `near=${centre.lat},${centre.lon}&radius=500km&siteStatus=${statuses.join(',')}&limit=1000`,
        );
        expect(sorted(body.items.map((item) => item.id)), `${name} ${statuses.join(',')}`).toEqual(
          sorted(expected.keys()),
        );
        for (const item of body.items)
          expect(item.nearestSite!.distanceKm).toBeCloseTo(expected.get(item.id)!, 9);
        narrowed += bruteForce(centre, 500).size - expected.size;
      }
    }
    expect(narrowed).toBeGreaterThan(0);
  });

  it('sort=distance is nearest first and pages by cursor without repeats or gaps', async () => {
    for (const [name, centre] of [CENTRES[0]!, CENTRES[2]!, CENTRES[1]!]) {
      const base = `near=${centre.lat},${centre.lon}&radius=500km&sort=distance`;
      const expected = [...bruteForce(centre, 500)].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
      const whole = (await list(`${base}&limit=1000`)).items;
      const distances = whole.map((item) => item.nearestSite!.distanceKm);
      expect(distances, name).toEqual([...distances].sort((a, b) => a - b));
      expect(sorted(whole.map((item) => item.id))).toEqual(sorted(expected.map(([id]) => id)));
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Item[]; nextCursor: string | null } = await list(
          `${base}&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        paged.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(paged, name).toEqual(whole.map((item) => item.id));
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged.length, name).toBeGreaterThan(3);
    }
  });

  it('combines near with q and the other filters', async () => {
    const centre = site('Boston');
    const near = bruteForce(centre, 500);
    for (const query of ['q=cancer', 'status=RECRUITING', 'q=study&sort=id']) {
      const alone = new Set((await list(`${query}&limit=1000`)).items.map((item) => item.id));
      const both = await list(`${query}&near=${centre.lat},${centre.lon}&radius=500km&limit=1000`);
      expect(sorted(both.items.map((item) => item.id)), query).toEqual(
        sorted([...near.keys()].filter((id) => alone.has(id))),
      );
    }
  });

  it('takes near on the facets and the change feed, with the same trials', async () => {
    const centre = site('Seoul');
    const expected = bruteForce(centre, 200);
    const facets = await app.inject(
      `/api/v1/facets?field=status&near=${centre.lat},${centre.lon}&radius=200km`,
    );
    expect(facets.statusCode, facets.body).toBe(200);
    const facetBody = facets.json<{ total: number }>();
    expectSchema(FacetListSchema, facetBody);
    expect(facetBody.total).toBe(expected.size);
    const changes = await app.inject(
      `/api/v1/changes?limit=1000&near=${centre.lat},${centre.lon}&radius=200km`,
    );
    expect(changes.statusCode, changes.body).toBe(200);
    const events = changes.json<{ items: { trialId: string }[] }>().items;
    expect(sorted(new Set(events.map((event) => event.trialId)))).toEqual(sorted(expected.keys()));
    expect(expected.size).toBeGreaterThan(0);
  });

  it('near=<city> is the mean of the city’s sites; a qualified name picks one of several places', async () => {
    const mean = (sites: RawSite[]): GeoPoint => ({
      lat: sites.reduce((sum, s) => sum + s.lat, 0) / sites.length,
      lon: sites.reduce((sum, s) => sum + s.lon, 0) / sites.length,
    });
    const seoul = mean(SITES.filter((s) => s.city.toLowerCase() === 'seoul'));
    const expected = bruteForce(seoul, 30);
    expect(sorted((await list('near=seoul&radius=30km&limit=1000')).items.map((i) => i.id))).toEqual(
      sorted(expected.keys()),
    );
    const ambiguous = await problem('/api/v1/trials?near=London');
    expect(ambiguous.code).toBe('AMBIGUOUS_CITY');
    expect(ambiguous.details?.suggestions).toEqual(
      expect.arrayContaining([expect.stringContaining('United Kingdom'), expect.stringContaining('Canada')]),
    );
    const london = mean(SITES.filter((s) => s.city === 'London' && s.country === 'United Kingdom'));
    const uk = bruteForce(london, 50);
    expect(uk.size).toBeGreaterThan(0);
    expect(
      sorted((await list('near=London,%20United%20Kingdom&radius=50km&limit=1000')).items.map((i) => i.id)),
    ).toEqual(sorted(uk.keys()));
    // A suggested name is a good `near`; a country with a comma of its own is one qualifier.
    for (const suggestion of ambiguous.details!.suggestions!) {
      expect(
        (await app.inject(`/api/v1/trials?near=${encodeURIComponent(suggestion)}`)).statusCode,
        suggestion,
      ).toBe(200);
    }
    const korea = mean(
      SITES.filter((s) => s.city.toLowerCase() === 'seoul' && s.country === 'Korea, Republic of'),
    );
    expect(
      sorted(
        (
          await list(`near=${encodeURIComponent('Seoul, Korea, Republic of')}&radius=30km&limit=1000`)
        ).items.map((i) => i.id),
      ),
    ).toEqual(sorted(bruteForce(korea, 30).keys()));
  });

  it('refuses a bad near, radius, unknown city or sort with a clear code', async () => {
    const cases: [string, string][] = [
      ['near=91,0', 'INVALID_NEAR'],
      ['near=0,181', 'INVALID_NEAR'],
      ['near=12.5,abc', 'INVALID_NEAR'],
      ['near=12.5', 'INVALID_NEAR'],
      ['near=37.5,127&radius=501km', 'INVALID_RADIUS'],
      ['near=37.5,127&radius=311mi', 'INVALID_RADIUS'],
      ['near=37.5,127&radius=50', 'INVALID_RADIUS'],
      ['near=37.5,127&radius=-5km', 'INVALID_RADIUS'],
      ['radius=50km', 'INVALID_RADIUS'],
      ['siteStatus=RECRUITING', 'VALIDATION_FAILED'],
      ['sort=distance', 'VALIDATION_FAILED'],
      ['near=Atlantis', 'UNKNOWN_CITY'],
    ];
    for (const [query, code] of cases) {
      for (const path of ['/api/v1/trials', '/api/v1/changes']) {
        if (path === '/api/v1/changes' && query.startsWith('sort=')) continue;
        expect((await problem(`${path}?${query}`)).code, `${path}?${query}`).toBe(code);
      }
      expect((await problem(`/api/v1/facets?field=status&${query}`)).code, query).toBe(
        query.startsWith('sort=') ? 'UNKNOWN_PARAMETER' : code,
      );
    }
    const typo = await problem('/api/v1/trials?near=Seoull');
    expect(typo.code).toBe('UNKNOWN_CITY');
    expect(typo.details?.suggestions?.[0]).toBe('Seoul');
    expect(typo.detail).toContain('Seoul');
  });

  it('keeps a sort=distance walk whole while a harvest changes trials mid-walk', async () => {
    const centre = site('Seoul');
    const base = `near=${centre.lat},${centre.lon}&radius=500km&sort=distance`;
    const whole = (await list(`${base}&limit=1000`)).items.map((item) => item.id);
    expect(whole.length).toBeGreaterThan(6);
    const first = await list(`${base}&limit=3`);
    // Trials on both sides of the cursor change (a new version each: they become "moved" rows).
    const changed = new Set([whole[1]!, whole[4]!, whole.at(-1)!]);
    await harvest(
      STUDIES.map((study) => {
        if (!changed.has(ID_OF(study))) return study;
        const copy = structuredClone(study);
        copy.protocolSection.statusModule.overallStatus = 'SUSPENDED';
        return copy;
      }),
    );
    const paged = first.items.map((item) => item.id);
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await list(`${base}&limit=3&cursor=${cursor}`);
      paged.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole);
  });

  it('gives every trial its registry page, in JSON, NDJSON and CSV', async () => {
    const body = await list('limit=1000');
    expect(body.items).toHaveLength(STUDIES.length);
    for (const item of body.items)
      expect(item.registryUrl).toBe(`https://clinicaltrials.gov/study/${item.id}`);
    const one = await app.inject(`/api/v1/trials/${body.items[0]!.id}`);
    expect(one.json<Item>().registryUrl).toBe(`https://clinicaltrials.gov/study/${body.items[0]!.id}`);
    const ndjson = await app.inject('/api/v1/trials?format=ndjson&limit=5');
    for (const line of ndjson.body.trim().split('\n')) {
      const item = JSON.parse(line) as Item;
      expect(item.registryUrl).toBe(`https://clinicaltrials.gov/study/${item.id}`);
    }
    const csv = parseCsv((await app.inject('/api/v1/trials?format=csv&limit=5')).body.replace(/^\uFEFF/, ''));
    const column = CSV_COLUMNS.indexOf('registryUrl');
    expect(csv[0]![column]).toBe('registryUrl');
    for (const row of csv.slice(1)) expect(row[column]).toBe(`https://clinicaltrials.gov/study/${row[0]}`);
    // With near, NDJSON lines carry the nearest site as the JSON page does.
    const centre = site('Seoul');
    const near = await app.inject(
      `/api/v1/trials?format=ndjson&near=${centre.lat},${centre.lon}&radius=100km`,
    );
    const lines = near.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Item);
    expect(sorted(lines.map((line) => line.id))).toEqual(sorted(bruteForce(centre, 100).keys()));
    for (const line of lines) expect(line.nearestSite?.distanceKm).toBeLessThanOrEqual(100);
  });

  /** A city as the mirror keys it, written out here: ASCII letters lower-cased, spaces single. */
  const keyOf = (city: string) =>
    city
      .trim()
      .replace(/\s+/g, ' ')
      .replace(/[A-Z]/g, (letter) => letter.toLowerCase());

  it('lists the places of the sites by the start of their city, with the names near takes', async () => {
    for (const prefix of ['seo', 'Bo', 'SAN ', 'new y', 'z']) {
      const groups = new Map<string, RawSite[]>();
      for (const raw of SITES) {
        if (!keyOf(raw.city).startsWith(keyOf(prefix))) continue;
        const key = JSON.stringify([keyOf(raw.city), raw.state, raw.country]);
        groups.set(key, [...(groups.get(key) ?? []), raw]);
      }
      const expected = [...groups.values()].map((sites) => ({
        state: sites[0]!.state,
        country: sites[0]!.country,
        sites: sites.length,
        trials: new Set(sites.map((one) => one.trialId)).size,
        lat: sites.reduce((sum, one) => sum + one.lat, 0) / sites.length,
        lon: sites.reduce((sum, one) => sum + one.lon, 0) / sites.length,
      }));
      const response = await app.inject(`/api/v1/places?q=${encodeURIComponent(prefix)}&limit=50`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ items: ((typeof expected)[number] & { name: string; city: string })[] }>();
      expectSchema(PlaceListSchema, body);
      expect(expected.length, prefix).toBeLessThanOrEqual(50);
      expect(body.items, prefix).toHaveLength(expected.length);
      const byKey = (place: { city?: string; state: string | null; country: string | null }) =>
        JSON.stringify([keyOf(place.city ?? ''), place.state, place.country]);
      const wanted = new Map([...groups.entries()].map(([key], index) => [key, expected[index]!] as const));
      for (const item of body.items) {
        const one = wanted.get(byKey(item));
        expect(one, `${prefix}: ${item.name}`).toBeDefined();
        expect(item).toMatchObject({ sites: one!.sites, trials: one!.trials });
        expect(item.lat).toBeCloseTo(one!.lat, 9);
        expect(item.lon).toBeCloseTo(one!.lon, 9);
        expect(item.name).toBe(
          [item.city, item.state, item.country].filter((part) => part !== null).join(', '),
        );
      }
      // The most trials first.
      for (let i = 1; i < body.items.length; i++)
        expect(body.items[i - 1]!.trials).toBeGreaterThanOrEqual(body.items[i]!.trials);
      // Each name is a near that stands for that place alone: the trials of its sites within 0 km
      // of its mean are found, and no name is refused as ambiguous.
      for (const item of body.items.slice(0, 5)) {
        const found = await list(`near=${encodeURIComponent(item.name)}&radius=500km&limit=1000`);
        expect(found.items.length, item.name).toBeGreaterThan(0);
        expect(sorted(found.items.map((one) => one.id))).toEqual(
          sorted(bruteForce({ lat: item.lat, lon: item.lon }, 500).keys()),
        );
      }
    }
    const limited = await app.inject('/api/v1/places?q=s&limit=3');
    expect(limited.json<{ items: unknown[] }>().items).toHaveLength(3);
    expect((await app.inject('/api/v1/places?q=xqzw')).json()).toEqual({ items: [] });
    expect((await app.inject('/api/v1/places')).statusCode).toBe(400);
    expect((await app.inject('/api/v1/places?q=seo&limit=51')).statusCode).toBe(400);
  });

  it('lists a trial’s sites in the registry’s order with their status, and their distance from near', async () => {
    const study = STUDIES.find((one) =>
      SITES.some((raw) => raw.trialId === ID_OF(one) && raw.city === 'Seoul'),
    )!;
    const id = ID_OF(study);
    const locations = (study.protocolSection.contactsLocationsModule.locations ?? []) as Study[];
    const response = await app.inject(`/api/v1/trials/${id}/sites`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ trialId: string; items: Record<string, unknown>[] }>();
    expectSchema(TrialSiteListSchema, body);
    expect(body.trialId).toBe(id);
    expect(body.items).toEqual(
      locations.map((location) => ({
        name: location.facility ?? null,
        city: location.city ?? null,
        state: location.state ?? null,
        country: location.country ?? null,
        postalCode: location.zip ?? null,
        status: location.status ?? null,
        lat: location.geoPoint?.lat ?? null,
        lon: location.geoPoint?.lon ?? null,
      })),
    );
    const centre = site('Seoul');
    const near = await app.inject(`/api/v1/trials/${id}/sites?near=${centre.lat},${centre.lon}`);
    const nearBody = near.json<{
      centre: GeoPoint;
      items: { lat: number | null; lon: number | null; distanceKm?: number }[];
    }>();
    expectSchema(TrialSiteListSchema, nearBody);
    expect(nearBody.centre).toEqual({ lat: centre.lat, lon: centre.lon });
    for (const [index, item] of nearBody.items.entries()) {
      const location = locations[index]!;
      if (location.geoPoint === undefined) expect(item.distanceKm).toBeUndefined();
      else expect(item.distanceKm).toBeCloseTo(haversineKm(centre, location.geoPoint as GeoPoint), 9);
    }
    // The nearest of them is the list's nearestSite for the same centre.
    const listed = await list(`near=${centre.lat},${centre.lon}&radius=500km&limit=1000`);
    const nearest = Math.min(...nearBody.items.flatMap((item) => item.distanceKm ?? []));
    expect(listed.items.find((item) => item.id === id)!.nearestSite!.distanceKm).toBeCloseTo(nearest, 9);
    // A city centre, as on the list.
    const byCity = (await app.inject(`/api/v1/trials/${id}/sites?near=Seoul`)).json<{ centre: GeoPoint }>();
    const seoul = SITES.filter((raw) => keyOf(raw.city) === 'seoul');
    expect(byCity.centre.lat).toBeCloseTo(seoul.reduce((sum, raw) => sum + raw.lat, 0) / seoul.length, 9);
    expect((await app.inject('/api/v1/trials/NCT00000000/sites')).statusCode).toBe(404);
    const unknown = await problem(`/api/v1/trials/${id}/sites?near=Atlantis`);
    expect(unknown.code).toBe('UNKNOWN_CITY');
    expect((await problem(`/api/v1/trials/${id}/sites?near=91,0`)).code).toBe('INVALID_NEAR');
    expect((await problem(`/api/v1/trials/${id}/sites?radius=5km`)).code).toBe('UNKNOWN_PARAMETER');
  });
});
