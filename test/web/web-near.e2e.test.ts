/**
 * The web page's near search in a real browser (Debian's Chromium driven by playwright-core, as
 * web-page.e2e.test.ts), on each database: the 200 real ClinicalTrials.gov studies of the fixtures
 * imported through the harvest; a city picked from the suggestions of the near box, the radius
 * narrowed, a result opened, and its sites (with their status) and its distance seen. What the page
 * shows is checked against a brute-force haversine over the fixtures' raw sites (not the mirror's).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GeoPoint } from '../../src/domain/geo.js';
import { haversineKm } from '../../src/domain/geo.js';
import { labelOf } from '../../src/domain/labels.js';
import { storeKinds } from '../support/test-store.js';
import type { Study } from './support/ctgov-page.js';
import { ctgovPage, ID_OF, STUDIES } from './support/ctgov-page.js';

/** What the page's elements offer the checks (the tests compile without the DOM library). */
interface Element {
  getAttribute(name: string): string | null;
  querySelector(selector: string): Element | null;
  textContent: string | null;
}

const LOCATIONS = (study: Study): Study[] =>
  (study.protocolSection.contactsLocationsModule?.locations ?? []) as Study[];

/** The trials with a site within `radiusKm` of `centre`, with their nearest site's distance. */
function bruteForce(centre: GeoPoint, radiusKm: number): Map<string, number> {
  const nearest = new Map<string, number>();
  for (const study of STUDIES) {
    for (const location of LOCATIONS(study)) {
      if (location.geoPoint === undefined) continue;
      const km = haversineKm(centre, location.geoPoint as GeoPoint);
      if (km > radiusKm) continue;
      const known = nearest.get(ID_OF(study));
      if (known === undefined || km < known) nearest.set(ID_OF(study), km);
    }
  }
  return nearest;
}

interface Place {
  name: string;
  city: string;
  lat: number;
  lon: number;
  trials: number;
}

describe.each(storeKinds())('web page near search on %s', (kind) => {
  const browserPage = ctgovPage(kind);
  const { openPage, settled, pageErrors } = browserPage;

  const results = (on: Page) =>
    on.locator('ol.results li').evaluateAll((items: Element[]) =>
      items.map((item) => ({
        id: item.getAttribute('data-id'),
        km: Number(item.querySelector('.distance')?.getAttribute('data-km')),
        distance: item.querySelector('.distance')?.textContent,
      })),
    );

  const places = async (q: string): Promise<Place[]> =>
    (
      (await (await fetch(`${browserPage.base}/api/v1/places?q=${encodeURIComponent(q)}`)).json()) as {
        items: Place[];
      }
    ).items;

  it('picks a city from the suggestions, narrows by radius, opens a result and shows its sites and distance', async () => {
    const page = await openPage('en-US');
    await page.goto(`${browserPage.base}/#/`);
    await settled(page);
    const seoul = (await places('Seo')).find((place) => place.city === 'Seoul')!;
    expect(seoul).toBeDefined();
    // Typing offers the mirror's places; picking one puts the name `near` takes in the box.
    await page.locator('input[name=near]').pressSequentially('Seo', { delay: 30 });
    const suggestion = page.locator(`ul.suggestions button[data-name="${seoul.name}"]`);
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain(`${seoul.trials} trial`);
    await suggestion.click();
    expect(await page.inputValue('input[name=near]')).toBe(seoul.name);
    await expect(page.locator('ul.suggestions').isHidden()).resolves.toBe(true);

    // The widest radius first, then a narrower one: fewer trials, each within it, nearest first.
    const shown: Record<string, { id: string | null; km: number; distance: string | null | undefined }[]> =
      {};
    for (const radius of ['500km', '10km']) {
      await page.selectOption('select[name=radius]', radius);
      await page.click('button[type=submit]');
      await page.waitForURL(new RegExp(`radius=${radius}`));
      await settled(page);
      const expected = bruteForce(seoul, Number.parseInt(radius, 10));
      expect(expected.size).toBeGreaterThan(0);
      await expect(page.locator('p.summary').first().textContent()).resolves.toBe(
        `${expected.size} trial${expected.size === 1 ? '' : 's'}`,
      );
      const items = await results(page);
      expect(items.length).toBe(Math.min(expected.size, 20));
      for (const item of items) {
        expect(expected.has(item.id!), `${radius}: ${item.id}`).toBe(true);
        expect(item.km).toBeCloseTo(expected.get(item.id!)!, 6);
        expect(item.distance).toMatch(/ km away: /);
      }
      const kms = items.map((item) => item.km);
      expect(kms).toEqual([...kms].sort((a, b) => a - b));
      // The nearest first: no trial brute force finds is nearer than the last one shown.
      expect(Math.max(...kms)).toBeLessThanOrEqual(
        [...expected.values()].sort((a, b) => a - b)[items.length - 1]! + 1e-9,
      );
      shown[radius] = items;
    }
    expect(shown['10km']!.length).toBeLessThan(bruteForce(seoul, 500).size);

    // Open the first result: its page lists every site with its status, nearest first, measured
    // from the same centre; the nearest is the distance the result showed.
    const first = shown['10km']![0]!;
    await page.click(`ol.results li[data-id="${first.id}"] a.result-title`);
    await page.waitForURL(/#\/trials\/NCT/);
    await settled(page);
    const study = STUDIES.find((one) => ID_OF(one) === first.id)!;
    const rows = await page.locator('table.sites tr.site').evaluateAll((items: Element[]) =>
      items.map((row) => ({
        status: row.getAttribute('data-status'),
        km: row.getAttribute('data-km'),
        text: row.textContent,
      })),
    );
    const locations = LOCATIONS(study);
    expect(rows).toHaveLength(locations.length);
    await expect(page.locator('section.sites h2').textContent()).resolves.toBe(`Sites (${locations.length})`);
    const expectedKms = locations
      .map((location) =>
        location.geoPoint === undefined ? Infinity : haversineKm(seoul, location.geoPoint as GeoPoint),
      )
      .sort((a, b) => a - b);
    rows.forEach((row, index) => {
      const km = row.km === null ? Infinity : Number(row.km);
      expect(km).toBeCloseTo(expectedKms[index]!, 6);
      if (row.status) expect(row.text).toContain(labelOf('status', row.status).en);
    });
    expect(Number(rows[0]!.km)).toBeCloseTo(first.km, 6);
    expect(rows[0]!.text).toContain(' km');
    // Each site's status as the registry gave it.
    expect(rows.map((row) => row.status ?? '').sort()).toEqual(
      locations.map((location) => (location.status as string | undefined) ?? '').sort(),
    );

    // The details the page did not show before: summary, eligibility, dates, sponsor.
    const ps = study.protocolSection;
    const about = (await page.locator('section.about').textContent()) ?? '';
    const words = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(words(about)).toContain(words(ps.descriptionModule.briefSummary as string).slice(0, 120));
    if (ps.eligibilityModule?.eligibilityCriteria)
      expect(words(about)).toContain(words(ps.eligibilityModule.eligibilityCriteria as string).slice(0, 120));
    expect(about).toContain(ps.sponsorCollaboratorsModule.leadSponsor.name as string);
    if (ps.statusModule.startDateStruct)
      expect(about).toContain(ps.statusModule.startDateStruct.date as string);
    if (ps.eligibilityModule?.minimumAge) expect(about).toContain(ps.eligibilityModule.minimumAge as string);
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('speaks Korean to a Korean browser, and an unknown city says why with close names', async () => {
    const page = await openPage('ko-KR');
    await page.goto(`${browserPage.base}/#/?near=Seoull&radius=50km`);
    await settled(page);
    expect(await page.getAttribute('input[name=near]', 'placeholder')).toBe('도시 (예: Seoul, Boston)');
    const error = (await page.locator('section p.error').textContent()) ?? '';
    expect(error).toContain('Seoull');
    expect(error).toContain('Seoul');
    // The form stays, with the city as typed.
    expect(await page.inputValue('input[name=near]')).toBe('Seoull');
    const study = STUDIES.find((one) =>
      LOCATIONS(one).some((location) => location.city === 'Seoul' && location.status === 'RECRUITING'),
    );
    expect(study, 'a fixture study with a recruiting site in Seoul').toBeDefined();
    await page.goto(`${browserPage.base}/#/trials/${ID_OF(study!)}?near=Seoul`);
    await settled(page);
    await expect(page.locator('table.sites').textContent()).resolves.toContain(
      labelOf('status', 'RECRUITING').ko,
    );
    await expect(page.locator('section.sites h2').textContent()).resolves.toMatch(/^연구 기관 \(\d+\)$/);
    expect(pageErrors.filter((text) => !/400/.test(text))).toEqual([]);
  }, 120_000);
});
