/**
 * The web page's age and recruiting filters in a real browser (Debian's Chromium driven by
 * playwright-core, as web-near.e2e.test.ts), on each database: the real ClinicalTrials.gov studies
 * of the fixtures imported through the harvest; an age typed, then "recruiting now" ticked, and the
 * results checked after each against a brute-force filter over the fixtures' raw eligibility ages
 * and overall statuses (not the mirror's), together with the near box.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { haversineKm } from '../../src/domain/geo.js';
import { storeKinds } from '../support/test-store.js';
import type { Study } from './support/ctgov-page.js';
import { ctgovPage, ID_OF, STUDIES } from './support/ctgov-page.js';

/** What the page's elements offer the checks (the tests compile without the DOM library). */
interface Element {
  getAttribute(name: string): string | null;
}

/** `18 Years`, `6 Months`, `1 Month` as years (a month 1/12 of one). */
function years(text: string | undefined): number | null {
  if (text === undefined) return null;
  const [amount, unit] = text.split(' ') as [string, string];
  if (/^years?$/i.test(unit)) return Number(amount);
  if (/^months?$/i.test(unit)) return Number(amount) / 12;
  throw new Error(`unexpected age unit in a fixture: ${text}`);
}

/** The trials someone `age` years old (age to just under age + 1) can take part in; `recruiting`: open now. */
function bruteForce(age: number, recruiting: boolean): string[] {
  return STUDIES.filter((study) => {
    const eligibility = study.protocolSection.eligibilityModule ?? {};
    const min = years(eligibility.minimumAge);
    const max = years(eligibility.maximumAge);
    if (min !== null && min >= age + 1) return false;
    if (max !== null && max < age) return false;
    const status = study.protocolSection.statusModule?.overallStatus as string | undefined;
    return !recruiting || status === 'RECRUITING' || status === 'ENROLLING_BY_INVITATION';
  })
    .map(ID_OF)
    .sort();
}

describe.each(storeKinds())('web page age and recruiting filters on %s', (kind) => {
  const browserPage = ctgovPage(kind);
  const { openPage, settled, pageErrors } = browserPage;

  const shownIds = async (on: Page) =>
    (
      await on
        .locator('ol.results li')
        .evaluateAll((items: Element[]) => items.map((item) => item.getAttribute('data-id')))
    ).sort();

  const submit = async (on: Page, expectedUrl: RegExp) => {
    await on.click('button[type=submit]');
    await on.waitForURL(expectedUrl);
    await settled(on);
  };

  const summaryOf = (n: number) => `${n} trial${n === 1 ? '' : 's'}`;

  it('an age, then recruiting now, narrow the results to exactly the trials brute force finds', async () => {
    const page = await openPage('en-US');
    await page.goto(`${browserPage.base}/#/`);
    await settled(page);
    const all = STUDIES.length;
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(summaryOf(all));

    // A ten-year-old: the children's trials and those without an age bound that reaches them.
    await page.fill('input[name=age]', '10');
    await submit(page, /minAge=10&maxAge=10/);
    const forAge = bruteForce(10, false);
    expect(forAge.length).toBeGreaterThan(0);
    expect(forAge.length).toBeLessThan(20);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(summaryOf(forAge.length));
    expect(await shownIds(page)).toEqual(forAge);

    // Recruiting now as well: RECRUITING or ENROLLING_BY_INVITATION only.
    await page.check('input[name=recruiting]');
    await submit(page, /recruiting=true/);
    const open = bruteForce(10, true);
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(forAge.length);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(summaryOf(open.length));
    expect(await shownIds(page)).toEqual(open);
    // The form keeps what was asked (the address is the state), and a reload shows the same.
    expect(await page.inputValue('input[name=age]')).toBe('10');
    expect(await page.isChecked('input[name=recruiting]')).toBe(true);
    await page.reload();
    await settled(page);
    expect(await shownIds(page)).toEqual(open);

    // Clearing both brings every trial back.
    await page.fill('input[name=age]', '');
    await page.uncheck('input[name=recruiting]');
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.hash.includes('minAge') && !url.hash.includes('recruiting'));
    await settled(page);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(summaryOf(all));
    expect(pageErrors).toEqual([]);
  });

  it('the age and recruiting filters combine with the near box', async () => {
    const page = await openPage('en-US');
    // Seoul's sites, 500 km: the trials with a site near it, of those an adult of 40 can join, open now.
    const seoul = STUDIES.flatMap((study) =>
      ((study.protocolSection.contactsLocationsModule?.locations ?? []) as Study[]).filter(
        (location) => location.city === 'Seoul' && location.geoPoint !== undefined,
      ),
    )[0]!.geoPoint as { lat: number; lon: number };
    const near = new Set(
      STUDIES.filter((study) =>
        ((study.protocolSection.contactsLocationsModule?.locations ?? []) as Study[]).some(
          (location) => location.geoPoint !== undefined && haversineKm(seoul, location.geoPoint) <= 500,
        ),
      ).map(ID_OF),
    );
    const expected = bruteForce(40, true).filter((id) => near.has(id));
    await page.goto(
      `${browserPage.base}/#/?near=${seoul.lat},${seoul.lon}&radius=500km&minAge=40&maxAge=40&recruiting=true`,
    );
    await settled(page);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThanOrEqual(20);
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(summaryOf(expected.length));
    expect(await shownIds(page)).toEqual(expected);
    expect(await page.inputValue('input[name=age]')).toBe('40');
    expect(pageErrors).toEqual([]);
  });
});
