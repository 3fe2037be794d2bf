/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core) against the app
 * listening on loopback, on each database: search with Korean and English terms and a filter,
 * "changed this week", one trial with its history and field diff, errors from the API shown as
 * text, and upstream text never interpreted as HTML.
 *
 * The browser is `CHROMIUM_PATH` or /usr/bin/chromium (test/support/browser-once.ts installs it
 * when missing, or fails the run). A missing browser fails the test: it is not skipped.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { koreanSnapshot, koreanTrial } from '../api/support/seed.js';
import type { TestApp } from '../api/support/test-app.js';
import { createTestApp, DAY } from '../api/support/test-app.js';
import { CHROMIUM_PATH as CHROMIUM } from '../support/browser-once.js';
import { storeKinds } from '../support/test-store.js';

/** What the page's elements offer the checks (the tests compile without the DOM library). */
interface Element {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}

const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"> Lymphoma <b>bold</b>';

describe.each(storeKinds())('web page on %s', (kind) => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    t = await createTestApp(kind);
    // The Korean snapshot, 30 days before "now"; two trials change later, one of them this week.
    await t.seed.createMany(koreanSnapshot().map(koreanTrial));
    await t.seed.create({
      id: 'NCT00000042',
      source: 'ctgov',
      fields: { title: HOSTILE_TITLE, status: 'RECRUITING', conditions: ['Lymphoma'] },
    });
    t.clock.now += 20 * DAY;
    await t.seed.update('C110007', { fields: { status: 'COMPLETED' } }, t.clock.now);
    t.clock.now += 9 * DAY;
    await t.seed.update('NCT00000042', { fields: { status: 'COMPLETED' } }, t.clock.now);
    t.clock.now += DAY;
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const resultIds = async () =>
    page
      .locator('ol.results li')
      .evaluateAll((items: Element[]) => items.map((item) => item.getAttribute('data-id')));

  it('serves the page with the HTML security policy, outside the API document', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${base}/ui/app.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(document.paths).some((path) => path === '/' || path.startsWith('/ui'))).toBe(false);
  });

  it('searches in Korean and shows the matching trials only', async () => {
    await page.goto(`${base}/#/?q=${encodeURIComponent('림프종')}`);
    await page.locator('ol.results li').first().waitFor();
    const ids = await resultIds();
    expect(ids).toContain('C110007');
    expect(ids).not.toContain('C130011');
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(
      `${ids.length} trial${ids.length === 1 ? '' : 's'}`,
    );
  });

  it('applies the source filter chosen in the form', async () => {
    await page.goto(`${base}/#/`);
    await page.locator('ol.results li').first().waitFor();
    await page.fill('input[name=q]', 'lymphoma');
    await page.locator('select[name=source] option[value=ctgov]').waitFor({ state: 'attached' });
    await page.selectOption('select[name=source]', 'ctgov');
    await page.click('button[type=submit]');
    await page.waitForURL(/source=ctgov/);
    await page.locator('ol.results li').first().waitFor();
    expect(await resultIds()).toEqual(['NCT00000042']);
  });

  it('never interprets upstream text as HTML', async () => {
    await page.goto(`${base}/#/trials/NCT00000042`);
    await page.locator('h1', { hasText: 'Lymphoma' }).waitFor();
    expect(await page.locator('h1').textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator('main img, main b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('lists what changed this week, newest first', async () => {
    await page.goto(`${base}/#/changes`);
    await page.locator('ol.results li').first().waitFor();
    // C110007 changed 10 days ago and the snapshot 30: only the ctgov trial is in the week.
    expect(await resultIds()).toEqual(['NCT00000042']);
  });

  it('shows a trial with its history and the field diff of each version', async () => {
    await page.goto(`${base}/#/trials/C110007`);
    await page.locator('h2', { hasText: 'History (2 versions)' }).waitFor();
    const rows = await page
      .locator('table.diff tbody tr')
      .evaluateAll((trs: Element[]) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)),
      );
    expect(rows).toContainEqual(['status', '(absent)', 'COMPLETED']);
    expect(await page.locator('section.version h3').allTextContents()).toEqual([
      expect.stringMatching(/^Version 2 · updated · /),
      expect.stringMatching(/^Version 1 · created · /),
    ]);
  });

  it("shows the API's error for a trial that does not exist", async () => {
    await page.goto(`${base}/#/trials/NCT99999999`);
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/NCT99999999/);
  });

  it('raised no script error on any page', () => {
    // The 404 of the missing trial is the only failed load the browser reports.
    expect(pageErrors.filter((text) => !/404/.test(text))).toEqual([]);
  });
});
