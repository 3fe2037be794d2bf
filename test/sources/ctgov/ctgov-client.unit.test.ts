import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader.js';
import { CanonicalSerializer } from '../../../src/domain/canonical.js';
import { pageReaderFor } from '../../../src/harvest/page-reader.js';
import { AppError } from '../../../src/errors/app-error.js';
import type { UpstreamResponse } from '../../../src/sources/http/upstream-client.js';
import { UpstreamClient } from '../../../src/sources/http/upstream-client.js';
import type { CtgovPage } from '../../../src/sources/ctgov/ctgov-client.js';
import {
  ctgovStudiesUrl,
  fetchCtgovStudy,
  fetchCtgovVersion,
  fetchStudiesByIds,
  lastUpdateClause,
  MAX_EMPTY_PAGES_IN_A_ROW,
  pageCtgovStudies,
  parseCtgovPage,
  readCtgovPage,
  withAdvancedFilter,
} from '../../../src/sources/ctgov/ctgov-client.js';
import {
  addDays,
  dataDay,
  incrementalStartDay,
  readCtgovState,
  reconciliationDue,
} from '../../../src/sources/ctgov/ctgov-state.js';
import type { CtgovConfig } from '../../../src/sources/ctgov/ctgov-config.js';
import {
  CTGOV_DEFAULTS,
  parseCtgovConfig,
  parseCtgovQuery,
} from '../../../src/sources/ctgov/ctgov-config.js';
import { ctgovSource } from '../../../src/sources/ctgov/ctgov-source.js';
import type { FakeCtgov } from '../../../testkit/fake-ctgov.js';
import { installCtgov, loadCtgovFixtures } from '../../../testkit/fake-ctgov.js';
import { FakeServerCore, fixturesDir } from '../../../testkit/fake-upstream.js';
import { drain, thrownAsync } from '../page-stream.js';

const dir = `${fixturesDir().replace(/\/?$/, '/')}ctgov/`;
const DAY_MS = 86_400_000;

function configFor(env: Record<string, string>): CtgovConfig {
  const reader = new EnvReader(env);
  const config = parseCtgovConfig(reader, true);
  expect(reader.problems).toEqual([]);
  return config;
}

function response(body: string, status = 200, contentType = 'application/json'): UpstreamResponse {
  return {
    status,
    contentType,
    body: Buffer.from(body, 'utf8'),
    safeUrl: 'https://clinicaltrials.gov/api/v2/studies',
  };
}

describe('ctgov config', () => {
  it('has the documented defaults and needs no key', () => {
    const reader = new EnvReader({});
    const config = parseCtgovConfig(reader, false);
    expect(reader.problems).toEqual([]);
    expect(config).toMatchObject({
      enabled: false,
      missing: [],
      baseUrl: 'https://clinicaltrials.gov/api/v2',
      pageSize: 1000,
      query: [],
      queryText: '',
      reconcileDays: 7,
      schedule: CTGOV_DEFAULTS.schedule,
      timeZone: 'UTC',
      upstream: { minIntervalMs: 1200, timeoutMs: 180_000, retries: 4 },
    });
    expect(ctgovSource).toMatchObject({ id: 'ctgov', name: 'ClinicalTrials.gov (API v2)' });
  });

  it('reads CTGOV_QUERY as query-string parameters, in order', () => {
    const config = configFor({
      CTGOV_QUERY: '?query.locn=Korea&filter.overallStatus=RECRUITING,NOT_YET_RECRUITING',
      CTGOV_BASE_URL: 'http://127.0.0.1:9/api/v2/',
      CTGOV_PAGE_SIZE: '50',
      CTGOV_RECONCILE_DAYS: '0',
    });
    expect(config.query).toEqual([
      ['query.locn', 'Korea'],
      ['filter.overallStatus', 'RECRUITING,NOT_YET_RECRUITING'],
    ]);
    expect(config.queryText).toBe('query.locn=Korea&filter.overallStatus=RECRUITING%2CNOT_YET_RECRUITING');
    expect(config).toMatchObject({ baseUrl: 'http://127.0.0.1:9/api/v2', pageSize: 50, reconcileDays: 0 });
  });

  it('names every CTGOV_QUERY parameter it cannot take', () => {
    const problems: string[] = [];
    const parsed = parseCtgovQuery(
      'pageSize=5&fields=NCTId&foo=1&query.cond=&query.term=a&query.term=b',
      problems,
    );
    expect(parsed.query).toEqual([['query.term', 'a']]);
    expect(problems).toEqual([
      'CTGOV_QUERY may not set pageSize: the harvester sets it itself',
      'CTGOV_QUERY may not set fields: the harvester sets it itself',
      'CTGOV_QUERY has an unknown parameter "foo" (use query.*, filter.*, postFilter.*, aggFilters or geoDecay)',
      'CTGOV_QUERY gives query.cond an empty value',
      'CTGOV_QUERY sets query.term more than once',
    ]);
    const reader = new EnvReader({ CTGOV_PAGE_SIZE: '1001', CTGOV_RECONCILE_DAYS: '-1' });
    parseCtgovConfig(reader, true);
    expect(reader.problems).toHaveLength(2);
  });
});

describe('ctgov requests and windows', () => {
  it('builds /studies URLs with the page token last', () => {
    expect(
      ctgovStudiesUrl({ baseUrl: 'https://clinicaltrials.gov/api/v2' }, [
        ['filter.advanced', lastUpdateClause('2024-01-14')],
        ['pageSize', '1000'],
      ]),
    ).toBe(
      'https://clinicaltrials.gov/api/v2/studies?filter.advanced=AREA%5BLastUpdatePostDate%5DRANGE%5B2024-01-14%2CMAX%5D&pageSize=1000',
    );
    expect(ctgovStudiesUrl({ baseUrl: 'http://x/api/v2' }, [['pageSize', '2']], 'a b')).toBe(
      'http://x/api/v2/studies?pageSize=2&pageToken=a+b',
    );
  });

  it("ANDs the incremental clause with the operator's own filter.advanced", () => {
    const clause = lastUpdateClause('2024-01-14');
    expect(withAdvancedFilter([['query.locn', 'Korea']], clause)).toEqual([
      ['query.locn', 'Korea'],
      ['filter.advanced', clause],
    ]);
    expect(withAdvancedFilter([['filter.advanced', 'AREA[Phase]PHASE3']], clause)).toEqual([
      ['filter.advanced', `(AREA[Phase]PHASE3) AND ${clause}`],
    ]);
  });

  it('starts the window a day before the earlier of the last success and the data day', () => {
    const lastSuccess = Date.parse('2024-01-15T06:30:00Z');
    expect(incrementalStartDay({}, lastSuccess)).toBe('2024-01-14');
    expect(incrementalStartDay({ since: '2024-01-12' }, lastSuccess)).toBe('2024-01-11');
    expect(incrementalStartDay({ since: '2024-01-20' }, lastSuccess)).toBe('2024-01-14');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(dataDay('2024-05-14T09:00:05')).toBe('2024-05-14');
    expect(dataDay('yesterday')).toBeUndefined();
  });

  it('reconciles when never done, when due (with an hour of slack), and always at 0 days', () => {
    const now = Date.parse('2024-01-15T07:00:00Z');
    expect(reconciliationDue({}, 7, now)).toBe(true);
    expect(reconciliationDue({ lastReconciledAt: now - 6 * DAY_MS }, 7, now)).toBe(false);
    expect(reconciliationDue({ lastReconciledAt: now - 7 * DAY_MS + 5_000 }, 7, now)).toBe(true);
    expect(reconciliationDue({ lastReconciledAt: now }, 0, now)).toBe(true);
  });

  it('reads saved state leniently', () => {
    expect(
      readCtgovState({ dataTimestamp: 'x', since: 'nope', query: '', lastReconciledAt: '5', lastFullAt: 7 }),
    ).toEqual({ dataTimestamp: 'x', query: '', lastFullAt: 7 });
  });
});

describe('ctgov responses', () => {
  it('reads the real page responses: totalCount on the first page only, a token until the last', () => {
    const first = parseCtgovPage(
      response(readFileSync(`${dir}pages/biomcp__search_phelan_limit5_20260811.json`, 'utf8')),
    );
    expect(first).toMatchObject({
      totalCount: 21,
      nextPageToken: 'ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw',
    });
    expect(first.studies).toHaveLength(5);
    const next = parseCtgovPage(
      response(readFileSync(`${dir}pages/biomcp__search_phelan_next_20260811.json`, 'utf8')),
    );
    expect(next).toMatchObject({
      totalCount: undefined,
      nextPageToken: 'ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4bmjeauvk_IQ',
    });
    const last = parseCtgovPage(
      response(readFileSync(`${dir}pages/biomcp__search_phelan_limit50_20260811.json`, 'utf8')),
    );
    expect(last.nextPageToken).toBeUndefined();
    expect(parseCtgovPage(response('{"studies":[],"nextPageToken":""}'))).toEqual({
      studies: [],
      totalCount: undefined,
      nextPageToken: undefined,
    });
  });

  it('reads a page study by study as parseCtgovPage reads it whole, keeping each study’s bytes', () => {
    const text = readFileSync(`${dir}pages/biomcp__search_phelan_limit5_20260811.json`, 'utf8');
    const whole = parseCtgovPage(response(text));
    const read = readCtgovPage(response(text));
    expect(read.meta).toEqual({ totalCount: whole.totalCount, nextPageToken: whole.nextPageToken });
    expect(read.count).toBe(5);
    const records = Array.from({ length: read.count }, (_, i) => read.record(i));
    expect(records).toEqual(whole.studies);
    for (let i = 0; i < read.count; i++) {
      expect(JSON.parse(Buffer.from(read.json(i)!).toString('utf8'))).toEqual(whole.studies[i]);
    }
    // A study that is not JSON inside a page whose structure is whole: the page fails, naming it.
    const broken = thrownSync(() => readCtgovPage(response('{"studies":[{"a":1},{"a":tru}]}')).record(1));
    expect(broken).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(broken.message).toContain('a page whose study 2 is not JSON');
    // Anything else is read whole, with parseCtgovPage's errors.
    const html = thrownSync(() => readCtgovPage(response('<html><body>Access Denied</body></html>')));
    expect(html.message).toContain('with an HTML page instead of JSON');
    const rejected = thrownSync(() => readCtgovPage(response('Invalid pageToken\n', 400, 'text/plain')));
    expect(rejected.message).toContain('Invalid pageToken');
  });

  it('turns text and HTML under a JSON content type into a clear error with the first line', () => {
    const text = thrownSync(() =>
      parseCtgovPage(response('Service Unavailable: maintenance until 10:00 ET\nmore')),
    );
    expect(text).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(text.message).toBe(
      'ctgov: GET https://clinicaltrials.gov/api/v2/studies answered HTTP 200 with text instead of JSON (content type application/json): Service Unavailable: maintenance until 10:00 ET',
    );
    const html = thrownSync(() =>
      parseCtgovPage(response('<!DOCTYPE html>\n<html><head><title>Access Denied</title></head></html>')),
    );
    expect(html.message).toContain(
      'with an HTML page instead of JSON (content type application/json): Access Denied',
    );
    const cut = thrownSync(() => parseCtgovPage(response('{"studies":[{"protocolSection":')));
    expect(cut.message).toContain('with JSON that cannot be read');
    const notPage = thrownSync(() => parseCtgovPage(response('{"message":"hello"}')));
    expect(notPage.message).toContain('is not a studies page');
  });

  it('reports a 4xx with the body first line or a JSON message', () => {
    const plain = thrownSync(() =>
      parseCtgovPage(response('Invalid value for parameter filter.advanced\n', 400, 'text/plain')),
    );
    expect(plain).toMatchObject({ code: 'UPSTREAM_REJECTED' });
    expect(plain.message).toBe(
      'ctgov: GET https://clinicaltrials.gov/api/v2/studies was rejected with HTTP 400: Invalid value for parameter filter.advanced',
    );
    const jsonMessage = thrownSync(() => parseCtgovPage(response('{"message":"pageSize too large"}', 400)));
    expect(jsonMessage.message).toContain('HTTP 400: pageSize too large');
    const missing = thrownSync(() =>
      parseCtgovPage(response('<html><body>Not Found</body></html>', 404, 'text/html')),
    );
    expect(missing).toMatchObject({ code: 'UPSTREAM_HTTP_ERROR' });
    expect(missing.message).toContain('HTTP 404 (Not Found); check CTGOV_BASE_URL');
  });
});

function thrownSync(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('ctgov client against the fake registry', () => {
  const core = new FakeServerCore();
  let ctgov: FakeCtgov;
  let config: CtgovConfig;
  const client = () =>
    new UpstreamClient({
      source: 'ctgov',
      config: config.upstream,
      sleep: () => Promise.resolve(),
      random: () => 0,
    });

  beforeAll(async () => {
    ctgov = installCtgov(core, { studies: loadCtgovFixtures().slice(0, 25) });
    await core.listen();
  });
  afterAll(() => core.close());
  beforeEach(() => {
    core.clearRequests();
    core.clearFaults();
    ctgov.emptyPages.clear();
    config = configFor({ CTGOV_BASE_URL: ctgov.apiBaseUrl, CTGOV_MIN_INTERVAL_MS: '0', CTGOV_RETRIES: '1' });
  });

  async function collect(params: [string, string][]): Promise<{ pages: CtgovPage[]; summary: unknown }> {
    const pages: CtgovPage[] = [];
    const stream = pageCtgovStudies(client(), config, params);
    for (;;) {
      const next = await stream.next();
      if (next.done === true) return { pages, summary: next.value };
      pages.push(next.value);
    }
  }

  it('follows nextPageToken with the same parameters until a page has none, through empty pages', async () => {
    ctgov.emptyPages.add(2).add(3);
    const { pages, summary } = await collect([
      ['pageSize', '10'],
      ['countTotal', 'true'],
    ]);
    expect(pages.map((page) => page.studies.length)).toEqual([10, 0, 0, 10, 5]);
    expect(summary).toEqual({ pages: 5, emptyPages: 2, studies: 25, totalCount: 25 });
    const requests = ctgov.listingRequests();
    expect(requests).toHaveLength(5);
    expect(requests[0]!.query.pageToken).toBeUndefined();
    for (const request of requests) {
      const { pageToken: _token, ...rest } = request.query;
      expect(rest).toEqual({ pageSize: '10', countTotal: 'true' });
    }
    expect(new Set(requests.slice(1).map((request) => request.query.pageToken)).size).toBe(4);
  });

  it('gives up on a registry that keeps sending empty pages', async () => {
    for (let page = 2; page <= MAX_EMPTY_PAGES_IN_A_ROW + 5; page++) ctgov.emptyPages.add(page);
    const error = await thrownAsync(() => collect([['pageSize', '10']]));
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(error.message).toContain(`${MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row`);
    expect(ctgov.listingRequests()).toHaveLength(MAX_EMPTY_PAGES_IN_A_ROW + 1);
  });

  it('refuses a page token it was handed before', async () => {
    const looping = new FakeServerCore();
    looping.route('GET', '/api/v2/studies', () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"studies":[],"nextPageToken":"same"}',
    }));
    await looping.listen();
    try {
      const loopConfig = configFor({
        CTGOV_BASE_URL: `${looping.baseUrl}/api/v2`,
        CTGOV_MIN_INTERVAL_MS: '0',
      });
      const stream = pageCtgovStudies(client(), loopConfig, [['pageSize', '10']]);
      const error = await thrownAsync(async () => {
        for await (const _page of stream) {
          // drained until it fails
        }
      });
      expect(error.message).toContain('handed out a page token it had handed out before (page 2)');
      expect(looping.requests).toHaveLength(2);
    } finally {
      await looping.close();
    }
  });

  it('reads /version and single studies; a missing study is undefined', async () => {
    ctgov.dataTimestamp = '2026-04-10T09:00:05';
    expect(await fetchCtgovVersion(client(), config)).toEqual({
      apiVersion: '2.0.5',
      dataTimestamp: '2026-04-10T09:00:05',
    });
    const id = ctgov.ids()[3]!;
    expect(await fetchCtgovStudy(client(), config, id)).toEqual(ctgov.study(id));
    expect(await fetchCtgovStudy(client(), config, id, 'NCTId')).toEqual({
      protocolSection: { identificationModule: { nctId: id } },
    });
    expect(await fetchCtgovStudy(client(), config, 'NCT99999998')).toBeUndefined();
  });

  it('fetches studies by id in chunks, keeping only the ids asked for', async () => {
    const ids = ctgov.ids();
    const wanted = [ids[20]!, ids[2]!, 'NCT99999998'];
    const found = await fetchStudiesByIds(client(), config, wanted);
    expect(
      found
        .map(
          (study) =>
            (study as { protocolSection: { identificationModule: { nctId: string } } }).protocolSection
              .identificationModule.nctId,
        )
        .sort(),
    ).toEqual([ids[2]!, ids[20]!].sort());
    expect(ctgov.listingRequests()[0]!.query).toEqual({ 'filter.ids': wanted.join(','), pageSize: '3' });
  });

  it('reports the registry errors with their first line, whatever the content type', async () => {
    ctgov.failWith('text', { status: 400, message: 'The filter.advanced expression is not valid' });
    const rejected = await thrownAsync(() => collect([['pageSize', '10']]));
    expect(rejected).toMatchObject({ code: 'UPSTREAM_REJECTED' });
    expect(rejected.message).toMatch(
      /was rejected with HTTP 400: The filter\.advanced expression is not valid$/,
    );

    ctgov.failWith('html-as-json', { status: 200, message: 'Request blocked' });
    const html = await thrownAsync(() => collect([['pageSize', '10']]));
    expect(html).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(html.message).toContain(
      'answered HTTP 200 with an HTML page instead of JSON (content type application/json;charset=UTF-8): 200 Request blocked',
    );

    ctgov.failWith('text-as-json', { status: 200, message: 'Too many requests, slow down' });
    const text = await thrownAsync(() => collect([['pageSize', '10']]));
    expect(text.message).toContain(
      'with text instead of JSON (content type application/json): Too many requests, slow down',
    );

    // 503 is retried (CTGOV_RETRIES=1) and then reported with the page's first line.
    ctgovFailTwice();
    const unavailable = await thrownAsync(() => collect([['pageSize', '10']]));
    expect(unavailable).toMatchObject({ code: 'UPSTREAM_HTTP_ERROR' });
    expect(unavailable.message).toContain('answered HTTP 503: 503 Down for maintenance');
    expect(unavailable.message).toContain('(after 2 attempts)');
    expect(core.pendingFaults()).toBe(0);
  });

  function ctgovFailTwice(): void {
    ctgov.failWith('html', { status: 503, message: 'Down for maintenance', times: 2 });
  }

  it('answers a bad page token or changed parameters with a 400 in text', async () => {
    const first = await collect([['pageSize', '10']]);
    expect(first.pages).toHaveLength(3);
    const token = first.pages[0]!.nextPageToken!;
    const changed = await thrownAsync(() =>
      fetch(
        ctgovStudiesUrl(
          config,
          [
            ['pageSize', '10'],
            ['query.cond', 'x'],
          ],
          token,
        ),
      ).then(async (res) => {
        throw new AppError(
          'UPSTREAM_REJECTED',
          `${res.status} ${res.headers.get('content-type')} ${await res.text()}`,
        );
      }),
    );
    expect(changed.message).toContain(
      '400 text/plain; charset=UTF-8 The pageToken was issued for a different query',
    );
  });
});

describe('harvestCtgov skip check', () => {
  it('skips without listing when dataTimestamp has not moved, keeping the state', async () => {
    const core = new FakeServerCore();
    const ctgov = installCtgov(core, {
      studies: loadCtgovFixtures().slice(0, 3),
      dataTimestamp: '2026-04-10T09:00:05',
    });
    await core.listen();
    try {
      const config = configFor({ CTGOV_BASE_URL: ctgov.apiBaseUrl, CTGOV_MIN_INTERVAL_MS: '0' });
      const state = {
        dataTimestamp: '2026-04-10T09:00:05',
        since: '2026-04-10',
        query: '',
        lastReconciledAt: 1,
      };
      const { pages, end } = await drain(
        ctgovSource.harvest({
          config,
          mode: 'incremental',
          state,
          lastSuccessAt: Date.parse('2026-04-10T12:00:00Z'),
          client: new UpstreamClient({ source: 'ctgov', config: config.upstream }),
          signal: new AbortController().signal,
          log: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
          },
          ...pageReaderFor(ctgovSource, new CanonicalSerializer(ctgovSource.canonicalRules)),
        }),
      );
      expect(pages).toEqual([]);
      expect(end).toMatchObject({ listing: 'partial', complete: true, state });
      expect(end.skippedBecause).toContain('dataTimestamp 2026-04-10T09:00:05');
      expect(core.requests.map((request) => request.path)).toEqual(['/api/v2/version']);
    } finally {
      await core.close();
    }
  });
});
