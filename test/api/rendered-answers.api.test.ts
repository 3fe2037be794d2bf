/**
 * Issue 14, item 3's guard: the answers of get-one, list pages, exports and the brief's routes,
 * over data written by real harvests (the kr-icreat snapshot and 40 real ClinicalTrials.gov
 * studies from the fake upstream, on a fixed clock), equal a response set recorded from the code
 * before the read-path work (`fixtures/rendered-answers.json`), on both databases. Cursors are
 * compared by presence only (their MAC key is configuration); everything else byte for byte in
 * meaning (parsed JSON, status, content type, ETag).
 *
 * To record again after an intended change of an answer: RECORD_RENDERED=1 on SQLite, then read
 * the diff of the fixture.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { sourceInfos } from '../../src/bin/context.js';
import { buildConfig } from '../../src/config/config.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { SOURCE_ADAPTERS, sourceConfigParsers } from '../../src/sources/registry.js';
import { ctgovFixtureIds, ctgovFixture } from '../../testkit/fake-ctgov.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/rendered-answers.json', import.meta.url));
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const STUDIES = ctgovFixtureIds()
  .slice(0, 40)
  .map((id) => ctgovFixture(id));
const FIRST_NCT = String(
  (STUDIES[0] as { protocolSection: { identificationModule: { nctId: string } } }).protocolSection
    .identificationModule.nctId,
);

const URLS = [
  '/api/v1/trials/C130011',
  '/api/v1/trials/C130011?include=raw',
  `/api/v1/trials/${FIRST_NCT}`,
  `/api/v1/trials/${FIRST_NCT}?include=raw`,
  '/api/v1/trials/C999999',
  '/api/v1/trials?limit=5',
  '/api/v1/trials?updatedWithin=7d&limit=10',
  '/api/v1/trials?source=ctgov&limit=7&sort=id',
  '/api/v1/trials?source=ctgov&sort=-sourceUpdatedAt&limit=4&count=true',
  '/api/v1/trials?q=%EC%95%94&limit=5',
  '/api/v1/trials?q=cancer&limit=5',
  '/api/v1/trials?status=RECRUITING&limit=5',
  '/api/v1/trials?source=kr-icreat&sort=id&limit=3&format=ndjson',
  '/api/v1/trials?source=ctgov&sort=id&limit=3&format=csv',
  '/api/search/C130011',
  '/api/list?skip=3&limit=4',
];

interface Recorded {
  url: string;
  status: number;
  contentType: string | undefined;
  etag: string | undefined;
  body: unknown;
}

/** Cursors carry a MAC whose key is configuration: only their presence is compared. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === 'nextCursor' && typeof inner === 'string' ? '<cursor>' : normalise(inner),
      ]),
    );
  }
  return value;
}

function parseBody(contentType: string | undefined, text: string): unknown {
  if (contentType?.includes('json') === true && !contentType.includes('ndjson'))
    return normalise(JSON.parse(text));
  if (contentType?.includes('ndjson') === true)
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  return text;
}

describe.each(storeKinds())('rendered answers on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream({ ctgov: { studies: STUDIES } });
    const config = buildConfig(
      {
        DATABASE_URL: store.url,
        LOG_LEVEL: 'silent',
        SOURCES: 'kr-icreat,ctgov',
        KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
        KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
        KR_ICREAT_SERVICE_KEY: 'test',
        KR_ICREAT_UDDI: upstream.kr.uddi,
        CTGOV_BASE_URL: upstream.ctgov.apiBaseUrl,
        CTGOV_MIN_INTERVAL_MS: '0',
        CTGOV_PAGE_SIZE: '9',
      },
      sourceConfigParsers(),
      ['kr-icreat'],
    );
    let clock = NOW - 3 * 86_400_000;
    const deps = {
      config,
      store,
      sources: SOURCE_ADAPTERS,
      log: silent,
      holder: 'test',
      now: () => (clock += 1000),
    };
    for (const source of ['kr-icreat', 'ctgov']) {
      const run = await runHarvest(deps, { source, mode: 'full', trigger: 'manual' });
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
    }
    const sources = sourceInfos(config);
    app = await buildApp({ config, store, sources, now: () => NOW });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await upstream.close();
    await store.drop();
  });

  it('answers as the recorded response set', async () => {
    const answers: Recorded[] = [];
    for (const url of URLS) {
      const response = await app.inject(url);
      const contentType = response.headers['content-type'] as string | undefined;
      answers.push({
        url,
        status: response.statusCode,
        contentType,
        etag: response.headers.etag,
        body: parseBody(contentType, response.body),
      });
    }
    // Page 2 of a list, by its cursor.
    const first = await app.inject('/api/v1/trials?limit=6&sort=id');
    const cursor = first.json<{ nextCursor: string }>().nextCursor;
    const second = await app.inject(`/api/v1/trials?limit=6&sort=id&cursor=${encodeURIComponent(cursor)}`);
    answers.push({
      url: '/api/v1/trials?limit=6&sort=id (page 2)',
      status: second.statusCode,
      contentType: second.headers['content-type'] as string | undefined,
      etag: undefined,
      body: normalise(second.json()),
    });
    if (process.env.RECORD_RENDERED === '1' && kind === 'sqlite') {
      writeFileSync(FIXTURE, `${JSON.stringify(answers, null, 1)}\n`);
    }
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded[];
    expect(answers.length).toBe(recorded.length);
    for (const [i, answer] of answers.entries()) expect(answer, answer.url).toEqual(recorded[i]);
  });
});
