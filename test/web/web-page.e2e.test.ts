/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core) against the app
 * listening on loopback, on each database: search with Korean and English terms and a filter,
 * "changed this week" (each change event with its kind and summary, removed trials included,
 * material changes only by default, a type filter), one trial with its timeline (inline SVG) and
 * its history (summaries, then the field diff with readable names), the page in Korean for a
 * Korean browser, times in the browser's time zone, errors from the API shown as text, and
 * upstream text never interpreted as HTML.
 *
 * The changes are real: ClinicalTrials.gov studies imported through the harvest, then imported
 * again with a status change, an enrollment change and a bookkeeping-only update; a trial the
 * registry no longer lists; seeded Korean trials. Stored events are classified as
 * `trialwatch migrate` does. Every clock (server, harvest, browser) is the test's.
 *
 * The browser is `CHROMIUM_PATH` or /usr/bin/chromium (test/support/browser-once.ts installs it
 * when missing, or fails the run). A missing browser fails the test: it is not skipped.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyStoredChanges } from '../../src/harvest/classification-backfill.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { krIcreatSource } from '../../src/sources/kr-icreat/kr-icreat-source.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { importCtgovStudies } from '../api/support/harvest-file.js';
import { koreanSnapshot, koreanTrial } from '../api/support/seed.js';
import type { TestApp } from '../api/support/test-app.js';
import { createTestApp, DAY, TEST_SOURCES } from '../api/support/test-app.js';
import { CHROMIUM_PATH as CHROMIUM } from '../support/browser-once.js';
import { storeKinds } from '../support/test-store.js';

/** What the page's elements offer the checks (the tests compile without the DOM library). */
interface Element {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  textContent: string | null;
}

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"> Lymphoma <b>bold</b>';
const IDS = ctgovFixtureIds().slice(0, 12);
const STATUS_ID = 'NCT00000410'; // COMPLETED → TERMINATED, with why stopped
const ENROLLMENT_ID = 'NCT00124774'; // 50 ESTIMATED → 45 ACTUAL
const BOOKKEEPING_ID = 'NCT00203190'; // only the last-update dates
const REMOVED_ID = 'NCT00000077';

function studies(changed: boolean): Study[] {
  const list: Study[] = IDS.map((id) => ctgovFixture(id));
  if (!changed) return list;
  const byId = (id: string) => list[IDS.indexOf(id)]!;
  const status = byId(STATUS_ID).protocolSection.statusModule as Study;
  status.overallStatus = 'TERMINATED';
  status.whyStopped = 'Funding ended';
  byId(ENROLLMENT_ID).protocolSection.designModule.enrollmentInfo = { count: 45, type: 'ACTUAL' };
  const bookkeeping = byId(BOOKKEEPING_ID).protocolSection.statusModule as Study;
  bookkeeping.lastUpdateSubmitDate = '2024-06-27';
  bookkeeping.lastUpdatePostDateStruct = { date: '2024-06-28', type: 'ACTUAL' };
  return list;
}

interface ApiChange {
  seq: number;
  trialId: string;
  kind: string;
  occurredAt: string;
  material: boolean | null;
  summary: { en: string; ko: string } | null;
}

describe.each(storeKinds())('web page on %s', (kind) => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** A page in a browser context of its own: language, time zone, and the test's clock. */
  const openPage = async (options: { locale: string; timezoneId: string }): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    await context.clock.setFixedTime(new Date(t.clock.now));
    const opened = await context.newPage();
    opened.on('pageerror', (error) => pageErrors.push(String(error)));
    opened.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return opened;
  };

  /** The week's events as the API lists them, with the page's window. */
  const apiWeek = async (query: string): Promise<ApiChange[]> => {
    const since = new Date(t.clock.now - 7 * DAY).toISOString();
    const response = await fetch(`${base}/api/v1/changes?limit=1000&since=${since}${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: ApiChange[] }).items;
  };

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    // kr-icreat and ctgov enabled and holding trials; CRIS enabled with none.
    t = await createTestApp(kind, {
      sources: TEST_SOURCES.map((source) => (source.id === 'ctgov' ? { ...source, enabled: true } : source)),
    });
    // The Korean snapshot and two ctgov trials, 30 days before "now"; the studies a day later.
    await t.seed.createMany(koreanSnapshot().map(koreanTrial));
    await t.seed.create({
      id: 'NCT00000042',
      source: 'ctgov',
      fields: { title: HOSTILE_TITLE, status: 'RECRUITING', conditions: ['Lymphoma'] },
    });
    await t.seed.create({
      id: REMOVED_ID,
      source: 'ctgov',
      fields: { title: 'A study the registry stopped listing', status: 'RECRUITING' },
    });
    let clock = t.clock.now + DAY;
    await importCtgovStudies(t.store, studies(false), () => (clock += 1000));
    t.clock.now += 20 * DAY;
    await t.seed.update('C110007', { fields: { status: 'COMPLETED' } }, t.clock.now);
    t.clock.now += 7 * DAY;
    await t.seed.remove(REMOVED_ID, t.clock.now);
    t.clock.now += DAY;
    clock = t.clock.now;
    await importCtgovStudies(t.store, studies(true), () => (clock += 1000));
    t.clock.now += DAY;
    await t.seed.update('NCT00000042', { fields: { status: 'COMPLETED' } }, t.clock.now);
    t.clock.now += DAY;
    // What `trialwatch migrate` does for events stored without a classification.
    await classifyStoredChanges(t.store.db, ctgovSource);
    await classifyStoredChanges(t.store.db, krIcreatSource);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await openPage({ locale: 'en-US', timezoneId: 'UTC' });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  }, 120_000); // closing Chromium can take long on a loaded machine

  /** Waits until the page shows what its address names (the page sets `data-shown` when loaded). */
  const settled = (on: Page) =>
    on.waitForFunction(() => {
      const browser = globalThis as unknown as {
        document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
        location: { hash: string };
      };
      return browser.document.getElementById('main')?.dataset.shown === browser.location.hash;
    });

  /** Opens `hash` on `on` and waits until it is shown. */
  const visit = async (on: Page, hash: string) => {
    await on.goto(`${base}/${hash}`);
    await settled(on);
  };

  const resultIds = async (on = page) =>
    on
      .locator('ol.results li')
      .evaluateAll((items: Element[]) => items.map((item) => item.getAttribute('data-id')));

  /** The week list as shown: trial, kind (attribute and text), summary, time. */
  const weekItems = async (on = page) => {
    await settled(on);
    return on.locator('ol.changes li').evaluateAll((items: Element[]) =>
      items.map((item) => ({
        seq: Number(item.getAttribute('data-seq')),
        trial: item.getAttribute('data-trial'),
        kind: item.getAttribute('data-kind'),
        kindText: item.querySelector('.kind')?.textContent,
        summary: item.querySelector('.change-summary')?.textContent,
        time: item.querySelector('time')?.textContent,
      })),
    );
  };

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
    await visit(page, `#/?q=${encodeURIComponent('림프종')}`);
    await page.locator('ol.results li').first().waitFor();
    const ids = await resultIds();
    expect(ids).toContain('C110007');
    expect(ids).not.toContain('C130011');
    await expect(page.locator('p.summary').first().textContent()).resolves.toBe(
      `${ids.length} trial${ids.length === 1 ? '' : 's'}`,
    );
  });

  it('applies the source filter chosen in the form', async () => {
    await visit(page, `#/`);
    await page.locator('ol.results li').first().waitFor();
    await page.fill('input[name=q]', 'lymphoma');
    await page.locator('select[name=source] option[value=ctgov]').waitFor({ state: 'attached' });
    await page.selectOption('select[name=source]', 'ctgov');
    await page.click('button[type=submit]');
    await page.waitForURL(/source=ctgov/);
    await settled(page);
    expect(await resultIds()).toEqual(['NCT00000042']);
  });

  it('offers "follow" links to the feeds of the current search and of the week\'s filter', async () => {
    await visit(page, `#/?q=lymphoma&source=ctgov`);
    await page.locator('p.follow a[data-format=atom]').waitFor();
    const hrefs = await page
      .locator('p.follow a')
      .evaluateAll((links: Element[]) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toEqual(
      ['atom', 'rss', 'jsonfeed'].map(
        (format) => `/api/v1/changes?q=lymphoma&source=ctgov&material=true&format=${format}`,
      ),
    );
    // The feed holds exactly the search's material change events.
    const feed = await fetch(`${base}${hrefs[2]!}`);
    expect(feed.headers.get('content-type')).toMatch(/^application\/feed\+json/);
    const items = ((await feed.json()) as { items: { id: string }[] }).items;
    const events = (await (
      await fetch(`${base}/api/v1/changes?q=lymphoma&source=ctgov&material=true`)
    ).json()) as { items: { seq: number }[] };
    expect(items.length).toBe(events.items.length);
    expect(items.length).toBeGreaterThan(0);
    await visit(page, `#/changes?type=status`);
    await page.locator('p.follow a[data-format=rss]').waitFor();
    expect(await page.locator('p.follow a[data-format=rss]').getAttribute('href')).toBe(
      '/api/v1/changes?type=status&material=true&format=rss',
    );
  });

  it('offers only the enabled sources with trials, in the form and the footer alike', async () => {
    const sources = (await (await fetch(`${base}/api/v1/sources`)).json()) as {
      items: { id: string; name: string; enabled: boolean; trials: { active: number } }[];
    };
    const shown = sources.items.filter((source) => source.enabled && source.trials.active > 0);
    const hidden = sources.items.filter((source) => !shown.includes(source));
    expect(shown.map((source) => source.id).sort()).toEqual(['ctgov', 'kr-icreat']);
    expect(hidden.map((source) => source.id)).toContain('cris');
    await visit(page, `#/`);
    await page.locator('select[name=source] option[value=ctgov]').waitFor({ state: 'attached' });
    const offered = await page
      .locator('select[name=source] option')
      .evaluateAll((options: Element[]) => options.map((option) => option.getAttribute('value')));
    expect(offered).toEqual(['', ...shown.map((source) => source.id)]);
    await page.locator('#sources', { hasText: shown[0]!.name }).waitFor();
    const footer = (await page.locator('#sources').textContent()) ?? '';
    for (const source of shown) expect(footer).toContain(source.name);
    for (const source of hidden) expect(footer).not.toContain(source.name);
  });

  it('keeps the search form when the API refuses the search, with the reason under it', async () => {
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike';
    const refused = await fetch(`${base}/api/v1/trials?q=${encodeURIComponent(words)}`);
    expect(refused.status).toBe(400);
    const reason = ((await refused.json()) as { detail: string }).detail;
    // A page of its own: the browser logs the refused loads (400), which the last test counts.
    const own = await browser.newPage();
    await visit(own, `#/?q=${encodeURIComponent(words)}`);
    await own.locator('[role=alert]').waitFor();
    expect(await own.locator('[role=alert]').textContent()).toBe(reason);
    expect(await own.locator('form.search input[name=q]').inputValue()).toBe(words);
    expect(await own.locator('h1').textContent()).toBe('Search trials');
    // The form still works: a search it can answer replaces the error.
    await own.fill('input[name=q]', '림프종');
    await own.click('button[type=submit]');
    await own.locator('ol.results li').first().waitFor();
    expect(await own.locator('[role=alert]').count()).toBe(0);
    await own.close();
  });

  it('titles the tab after the view', async () => {
    await visit(page, `#/?q=lymphoma`);
    expect(await page.title()).toBe('lymphoma · Search trials · trialwatch');
    await visit(page, `#/changes`);
    expect(await page.title()).toBe('Changed this week · trialwatch');
    await visit(page, `#/trials/C110007`);
    expect(await page.title()).toMatch(/ \(C110007\) · trialwatch$/);
  });

  it('offers the statuses by their labels', async () => {
    await visit(page, `#/?source=ctgov`);
    await page.locator('select[name=status] option[value=TERMINATED]').waitFor({ state: 'attached' });
    expect(await page.locator('select[name=status] option[value=TERMINATED]').textContent()).toBe(
      'Terminated (2)',
    );
  });

  it('never interprets upstream text as HTML', async () => {
    await visit(page, `#/trials/NCT00000042`);
    await page.locator('h1', { hasText: 'Lymphoma' }).waitFor();
    expect(await page.locator('h1').textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator('main img, main b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('lists each change of the week with its kind and summary, removed trials included', async () => {
    await visit(page, `#/changes`);
    const shown = await weekItems();
    // Exactly the material events of the last 7 days, in feed order.
    const expected = await apiWeek('&material=true');
    expect(shown.map((item) => item.seq)).toEqual(expected.map((item) => item.seq));
    const of = (trial: string) => shown.filter((item) => item.trial === trial);
    expect(of(REMOVED_ID)).toEqual([
      expect.objectContaining({
        kind: 'removed',
        kindText: 'Removed',
        summary: 'No longer listed by the registry',
      }),
    ]);
    expect(of(STATUS_ID)).toEqual([
      expect.objectContaining({
        kind: 'updated',
        kindText: 'Updated',
        summary: 'Status: Completed → Terminated (why stopped: Funding ended)',
      }),
    ]);
    expect(of(ENROLLMENT_ID)).toEqual([
      expect.objectContaining({ kind: 'updated', summary: 'Enrollment: 50 (estimated) → 45 (actual)' }),
    ]);
    expect(of('NCT00000042')).toHaveLength(1);
    // Not this week: the Korean update 10 days ago, the creations a month ago.
    expect(of('C110007')).toEqual([]);
    expect(shown.filter((item) => item.kind === 'created')).toEqual([]);
    // The bookkeeping-only update is hidden by default.
    expect(of(BOOKKEEPING_ID)).toEqual([]);
    expect(await page.locator('input[name=material]').isChecked()).toBe(true);
  });

  it('shows the bookkeeping update when "material only" is unticked', async () => {
    await visit(page, `#/changes`);
    await weekItems();
    await page.locator('input[name=material]').uncheck();
    await page.waitForURL(/all=1/);
    const shown = await weekItems();
    expect(shown.map((item) => item.seq)).toEqual((await apiWeek('')).map((item) => item.seq));
    const bookkeeping = shown.filter((item) => item.trial === BOOKKEEPING_ID);
    expect(bookkeeping).toEqual([
      expect.objectContaining({ kind: 'updated', summary: 'Registry bookkeeping only' }),
    ]);
    expect(await page.locator(`li[data-trial=${BOOKKEEPING_ID}] .bookkeeping`).textContent()).toBe(
      'bookkeeping',
    );
    expect(shown.length).toBeGreaterThan(bookkeeping.length);
  });

  it('narrows the week to one type of change', async () => {
    await visit(page, `#/changes`);
    await weekItems();
    await page.selectOption('select[name=type]', 'status');
    await page.waitForURL(/type=status/);
    expect((await weekItems()).map((item) => item.trial)).toEqual([STATUS_ID]);
    await page.selectOption('select[name=type]', 'enrollment');
    await page.waitForURL(/type=enrollment/);
    expect((await weekItems()).map((item) => item.trial)).toEqual([ENROLLMENT_ID]);
    await page.locator('input[name=material]').uncheck();
    await page.waitForURL(/all=1/);
    await page.selectOption('select[name=type]', 'registry');
    await page.waitForURL(/type=registry/);
    expect((await weekItems()).map((item) => item.trial)).toEqual([BOOKKEEPING_ID]);
  });

  const diffRows = (on: Page, version: number) =>
    on
      .locator(`section.version[data-version="${version}"] table.diff tbody tr`)
      .evaluateAll((trs: Element[]) =>
        trs.map((tr) => ({
          name: tr.querySelector('.field-name')?.textContent,
          path: tr.querySelector('code.path')?.textContent,
          old: tr.querySelector('td.old')?.textContent,
          new: tr.querySelector('td.new')?.textContent,
        })),
      );

  it("shows a trial's history: the summaries first, then the field diff with readable names", async () => {
    await visit(page, `#/trials/${STATUS_ID}`);
    await page.locator('h2', { hasText: 'History (2 versions)' }).waitFor();
    const latest = page.locator('section.version[data-version="2"]');
    expect(await latest.locator('ul.summaries li').allTextContents()).toEqual([
      'Status: Completed → Terminated (why stopped: Funding ended)',
    ]);
    // The summaries come before the raw diff.
    const order = await latest.evaluate((section: Element & { children: ArrayLike<{ className: string }> }) =>
      Array.from(section.children, (child) => child.className),
    );
    expect(order.indexOf('summaries')).toBeGreaterThan(-1);
    expect(order.indexOf('summaries')).toBeLessThan(order.indexOf('field-changes'));
    const rows = await diffRows(page, 2);
    expect(rows).toContainEqual({
      name: 'Status › Overall status',
      path: 'protocolSection.statusModule.overallStatus',
      old: 'COMPLETED',
      new: 'TERMINATED',
    });
    expect(rows).toContainEqual({
      name: 'Status › Why stopped',
      path: 'protocolSection.statusModule.whyStopped',
      old: '(absent)',
      new: 'Funding ended',
    });
    expect(await page.locator('section.version h3').allTextContents()).toEqual([
      expect.stringMatching(/^Version 2 · Updated · /),
      expect.stringMatching(/^Version 1 · Created · /),
    ]);
    expect(await page.locator('dl.fields dd').allTextContents()).toContain('Terminated');
  });

  it('shows the diff of a seeded Korean trial by its field names', async () => {
    await visit(page, `#/trials/C110007`);
    await page.locator('h2', { hasText: 'History (2 versions)' }).waitFor();
    expect(await diffRows(page, 2)).toContainEqual({
      name: 'Status',
      path: 'status',
      old: '(absent)',
      new: 'COMPLETED',
    });
  });

  it("draws the trial's life as inline SVG: one period per status, enrollment over time", async () => {
    await visit(page, `#/trials/${STATUS_ID}`);
    const periods = page.locator('svg.timeline g.period');
    await periods.first().waitFor();
    expect(
      await periods.evaluateAll((gs: Element[]) => gs.map((g) => g.getAttribute('data-status'))),
    ).toEqual(['COMPLETED', 'TERMINATED']);
    expect(await page.locator('svg.timeline g.period title').allTextContents()).toEqual([
      expect.stringMatching(/^Completed: /),
      expect.stringMatching(/^Terminated: /),
    ]);
    await visit(page, `#/trials/${ENROLLMENT_ID}`);
    await page.locator('svg.timeline g.period').first().waitFor();
    expect(await page.locator('svg.timeline g.period').count()).toBe(1);
    expect(
      await page
        .locator('svg.timeline circle.enrollment-point')
        .evaluateAll((cs: Element[]) => cs.map((c) => c.getAttribute('data-count'))),
    ).toEqual(['50', '45']);
    // The removed trial's line ends at its removal.
    await visit(page, `#/trials/${REMOVED_ID}`);
    await page.locator('svg.timeline g.period').first().waitFor();
    expect(await page.locator('svg.timeline .removed-mark').count()).toBe(1);
    expect(await page.locator('section.version p.event[data-kind=removed]').count()).toBe(1);
  });

  it('is in Korean when the browser prefers Korean, with the labels of the API', async () => {
    const korean = await openPage({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    await visit(korean, `#/changes`);
    const shown = await weekItems(korean);
    expect(await korean.locator('html').getAttribute('lang')).toBe('ko');
    expect(await korean.locator('header nav a').allTextContents()).toEqual(['검색', '이번 주 변경', 'API']);
    expect(await korean.locator('h1').textContent()).toBe('이번 주 변경');
    expect(shown.find((item) => item.trial === STATUS_ID)).toMatchObject({
      kindText: '수정',
      summary: '상태: 완료 → 조기 종료 (중단 사유: Funding ended)',
    });
    expect(shown.find((item) => item.trial === REMOVED_ID)).toMatchObject({
      kindText: '삭제',
      summary: '등록처 목록에서 삭제됨',
    });
    await visit(korean, `#/trials/${STATUS_ID}`);
    await korean.locator('h2', { hasText: '변경 이력 (버전 2개)' }).waitFor();
    expect(await korean.locator('dl.fields dd').allTextContents()).toContain('조기 종료');
    expect(await korean.locator('dl.fields dt').allTextContents()).toContain('상태');
    expect(await diffRows(korean, 2)).toContainEqual(
      expect.objectContaining({ name: '상태 › 전체 상태', old: 'COMPLETED', new: 'TERMINATED' }),
    );
    expect(await korean.locator('svg.timeline g.period title').allTextContents()).toEqual([
      expect.stringMatching(/^완료: /),
      expect.stringMatching(/^조기 종료: /),
    ]);
    await visit(korean, `#/?q=${encodeURIComponent('림프종')}`);
    await korean.locator('ol.results li').first().waitFor();
    expect(await korean.locator('p.summary').first().textContent()).toMatch(/^임상시험 \d+건$/);
  });

  it("shows times in the browser's time zone", async () => {
    const event = (await apiWeek('&type=status'))[0]!;
    const hourIn = (timeZone: string) =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(event.occurredAt));
    const shownIn = async (timezoneId: string) => {
      const zoned = await openPage({ locale: 'en-US', timezoneId });
      await visit(zoned, `#/changes?type=status`);
      const item = (await weekItems(zoned)).find((row) => row.seq === event.seq)!;
      expect(await zoned.locator(`li[data-seq="${event.seq}"] time`).getAttribute('datetime')).toBe(
        event.occurredAt,
      );
      return item.time!;
    };
    const seoul = await shownIn('Asia/Seoul');
    const newYork = await shownIn('America/New_York');
    expect(hourIn('Asia/Seoul')).not.toBe(hourIn('America/New_York'));
    expect(seoul).toContain(hourIn('Asia/Seoul'));
    expect(newYork).toContain(hourIn('America/New_York'));
    expect(seoul).not.toBe(newYork);
  });

  it("shows the API's error for a trial that does not exist", async () => {
    await visit(page, `#/trials/NCT99999999`);
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/NCT99999999/);
  });

  it('raised no script error on any page', () => {
    // The 404 of the missing trial is the only failed load the browser reports.
    expect(pageErrors.filter((text) => !/404/.test(text))).toEqual([]);
  });
});
