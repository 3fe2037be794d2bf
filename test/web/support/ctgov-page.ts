/**
 * A browser on the web page over the real ClinicalTrials.gov fixtures, for the page's search tests
 * (near, filters): the 200 studies imported through the harvest into a test app on `kind`, the app
 * listening on loopback, and Debian's Chromium driven by playwright-core. Call it inside a
 * `describe`: it adds the suite's beforeAll and afterAll.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ctgovFixture, ctgovFixtureIds } from '../../../testkit/fake-ctgov.js';
import { importCtgovStudies } from '../../api/support/harvest-file.js';
import type { TestApp } from '../../api/support/test-app.js';
import { createTestApp, TEST_SOURCES } from '../../api/support/test-app.js';
import { CHROMIUM_PATH as CHROMIUM } from '../../support/browser-once.js';
import type { StoreKind } from '../../support/test-store.js';

export type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The fixtures' raw studies, as the registry gives them (the tests' brute force reads these). */
export const STUDIES: Study[] = ctgovFixtureIds().map((id) => ctgovFixture(id));
export const ID_OF = (study: Study): string => study.protocolSection.identificationModule.nctId as string;

export interface CtgovPage {
  /** The app's address (`http://127.0.0.1:PORT`), once the suite's beforeAll has run. */
  readonly base: string;
  /** Errors the pages threw or logged to the console. */
  readonly pageErrors: string[];
  /** A new page in a context of its own, in this locale and UTC. */
  readonly openPage: (locale: string) => Promise<Page>;
  /** Waits until the page has shown the view its address names. */
  readonly settled: (on: Page) => Promise<unknown>;
}

export function ctgovPage(kind: StoreKind): CtgovPage {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let base: string | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    t = await createTestApp(kind, {
      sources: TEST_SOURCES.map((source) => (source.id === 'ctgov' ? { ...source, enabled: true } : source)),
    });
    let clock = t.clock.now - 86_400_000;
    await importCtgovStudies(t.store, STUDIES, () => (clock += 1000));
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  }, 120_000);

  return {
    get base() {
      if (base === undefined) throw new Error('ctgovPage: the suite has not started');
      return base;
    },
    pageErrors,
    openPage: async (locale) => {
      if (browser === undefined) throw new Error('ctgovPage: the suite has not started');
      const context = await browser.newContext({ locale, timezoneId: 'UTC' });
      contexts.push(context);
      const opened = await context.newPage();
      opened.on('pageerror', (error) => pageErrors.push(String(error)));
      opened.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      return opened;
    },
    settled: (on) =>
      on.waitForFunction(() => {
        const page = globalThis as unknown as {
          document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
          location: { hash: string };
        };
        return page.document.getElementById('main')?.dataset.shown === page.location.hash;
      }),
  };
}
