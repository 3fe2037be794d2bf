import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader.js';
import { AppError } from '../../../src/errors/app-error.js';
import type { UpstreamResponse } from '../../../src/sources/http/upstream-client.js';
import { UpstreamClient } from '../../../src/sources/http/upstream-client.js';
import {
  crisDetailRequest,
  crisListRequest,
  fetchCrisDetail,
  fetchCrisListPage,
  parseCrisDetail,
  parseCrisList,
} from '../../../src/sources/cris/cris-client.js';
import { readStatedError } from '../../../src/sources/cris/cris-stated-error.js';
import type { CrisConfig } from '../../../src/sources/cris/cris-config.js';
import { CRIS_DEFAULTS, parseCrisConfig } from '../../../src/sources/cris/cris-config.js';
import {
  emptyCrisState,
  listEntryFingerprint,
  quotaDayOf,
  readCrisState,
} from '../../../src/sources/cris/cris-state.js';
import type { CrisFakeError, FakeCris } from '../../../testkit/fake-cris.js';
import { CRIS_FAKE_KEY, CRIS_FIXTURES, crisFixtureText, installCris } from '../../../testkit/fake-cris.js';
import { FakeServerCore } from '../../../testkit/fake-upstream.js';
import { testSourceConfig } from '../../../testkit/memory-source.js';

let core: FakeServerCore;
let cris: FakeCris;

beforeAll(async () => {
  core = new FakeServerCore();
  cris = installCris(core);
  await core.listen();
});
afterAll(() => core.close());
beforeEach(() => {
  core.clearFaults();
  cris.resetCalls();
  cris.expectedKey = CRIS_FAKE_KEY;
});

function config(overrides: Partial<CrisConfig> = {}): CrisConfig {
  return {
    ...testSourceConfig(),
    baseUrl: cris.baseUrl,
    serviceKey: CRIS_FAKE_KEY,
    dailyCallBudget: 9_000,
    numOfRows: 50,
    ...overrides,
  };
}

function clientFor(cfg: CrisConfig): UpstreamClient {
  return new UpstreamClient({
    source: 'cris',
    config: cfg.upstream,
    secrets: [cfg.serviceKey],
    sleep: () => Promise.resolve(),
  });
}

function response(body: string, status = 200): UpstreamResponse {
  return {
    status,
    contentType: 'application/json',
    body: Buffer.from(body, 'utf8'),
    safeUrl: 'http://x/list?serviceKey=***',
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('cris config', () => {
  it('has the documented defaults and reports a missing key as not configured', () => {
    const reader = new EnvReader({});
    const parsed = parseCrisConfig(reader, true);
    expect(reader.problems).toEqual([]);
    expect(parsed).toMatchObject({
      enabled: true,
      missing: ['CRIS_SERVICE_KEY'],
      baseUrl: 'https://apis.data.go.kr/1352159/crisinfodataview',
      serviceKey: undefined,
      dailyCallBudget: 9000,
      numOfRows: 50,
      schedule: CRIS_DEFAULTS.schedule,
      timeZone: 'Asia/Seoul',
    });
    expect(parsed.upstream.minIntervalMs).toBe(50);
  });

  it('decodes an "Encoding" key once and names every bad value', () => {
    const reader = new EnvReader({
      CRIS_SERVICE_KEY: 'a%2Bb%2Fc%3D%3D',
      CRIS_DAILY_CALL_BUDGET: 'lots',
      CRIS_NUM_OF_ROWS: '100',
      CRIS_BASE_URL: 'ftp://x',
    });
    const parsed = parseCrisConfig(reader, false);
    expect(parsed.serviceKey).toBe('a+b/c==');
    expect(parsed.missing).toEqual([]);
    expect(reader.problems).toEqual([
      'CRIS_BASE_URL must be an http(s) URL (got "ftp://x")',
      'CRIS_DAILY_CALL_BUDGET must be a whole number (got "lots")',
      'CRIS_NUM_OF_ROWS must be between 1 and 50 (got 100)',
    ]);
  });
});

describe('requests', () => {
  it('sends serviceKey (encoded once), resultType=JSON, numOfRows (at most 50) and pageNo', () => {
    const cfg = config({
      baseUrl: 'https://apis.data.go.kr/1352159/crisinfodataview',
      serviceKey: 'a+b/c==',
    });
    expect(crisListRequest(cfg, 3).url).toBe(
      'https://apis.data.go.kr/1352159/crisinfodataview/list?serviceKey=a%2Bb%2Fc%3D%3D&resultType=JSON&numOfRows=50&pageNo=3',
    );
    expect(crisListRequest(cfg, 1, 100).url).toContain('numOfRows=50&');
    // The detail's parameter is crisNumber, not trial_id.
    expect(crisDetailRequest(cfg, 'KCT0000145').url).toBe(
      'https://apis.data.go.kr/1352159/crisinfodataview/detail?serviceKey=a%2Bb%2Fc%3D%3D&resultType=JSON&crisNumber=KCT0000145',
    );
  });

  it('reaches the fake with the key as given', async () => {
    cris.expectedKey = 'a+b/c==';
    const cfg = config({ serviceKey: 'a+b/c==' });
    const page = await fetchCrisListPage(clientFor(cfg), cfg, 1);
    expect(page.items).toHaveLength(12);
    expect(cris.requests()[0]!.query).toEqual({
      serviceKey: 'a+b/c==',
      resultType: 'JSON',
      numOfRows: '50',
      pageNo: '1',
    });
  });
});

describe('reading answers', () => {
  it('reads the real /list answer (pageNo a string, counts numbers)', () => {
    const page = parseCrisList(config(), response(crisFixtureText(CRIS_FIXTURES.list2026)));
    expect(page).toMatchObject({ totalCount: 19, pageNo: 1, noData: false });
    expect(page.items.map((item) => (item as { trial_id: string }).trial_id)).toEqual([
      'KCT0009342',
      'KCT0008659',
      'KCT0005497',
    ]);
  });

  it('reads the real /detail answer, fields at the top level', () => {
    const result = parseCrisDetail(config(), response(crisFixtureText(CRIS_FIXTURES.detail)), 'KCT0000145');
    expect(result.found).toBe(true);
    if (result.found) expect(result.detail.date_registration).toBe('2011/07/18');
  });

  it('reads 03 as "not found" on /detail and as an empty page on /list', () => {
    const body = crisFixtureText(CRIS_FIXTURES.detailNotFound);
    expect(parseCrisDetail(config(), response(body), 'KCT9999999')).toEqual({
      found: false,
      stated: { layer: 'application', format: 'json', code: '03', name: 'NODATA_ERROR', text: null },
    });
    expect(parseCrisList(config(), response(body))).toEqual({
      items: [],
      totalCount: undefined,
      pageNo: undefined,
      noData: true,
    });
  });

  it('reads a page past the end, and a single item given as an object', () => {
    expect(
      parseCrisList(
        config(),
        response('{"pageNo":"9","resultCode":"00","totalCount":3,"numOfRows":50,"items":[]}'),
      ).items,
    ).toEqual([]);
    expect(
      parseCrisList(
        config(),
        response('{"resultCode":"00","totalCount":"1","items":{"trial_id":"KCT0000001"}}'),
      ),
    ).toMatchObject({
      items: [{ trial_id: 'KCT0000001' }],
      totalCount: 1,
    });
  });

  it('reads both generations of the gateway header and the JSON-wrapped one', () => {
    expect(readStatedError(crisFixtureText(CRIS_FIXTURES.gatewayNotRegistered))).toEqual({
      layer: 'gateway',
      format: 'xml',
      code: '30',
      name: 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
      text: '등록되지 않은 서비스키',
    });
    expect(
      readStatedError(
        '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>',
      ),
    ).toEqual({
      layer: 'gateway',
      format: 'xml',
      code: '30',
      name: 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
      text: 'SERVICE ERROR',
    });
    expect(
      readStatedError(
        '{"OpenAPI_ServiceResponse":{"cmmMsgHeader":{"errMsg":"SERVICETIMEOUT_ERROR","returnAuthMsg":"서비스 시간초과","returnReasonCode":"05"}}}',
      ),
    ).toEqual({
      layer: 'gateway',
      format: 'json',
      code: '05',
      name: 'SERVICETIMEOUT_ERROR',
      text: '서비스 시간초과',
    });
    expect(
      readStatedError('{"response":{"header":{"resultCode":"22","resultMsg":"LIMITED"}}}'),
    ).toMatchObject({ code: '22' });
    expect(readStatedError('{"resultCode":"00","items":[]}')).toBeUndefined();
    expect(readStatedError('<html><body>502</body></html>')).toBeUndefined();
  });
});

describe('each error body yields its specific error, whatever the HTTP status', () => {
  const cases: [string, CrisFakeError, string][] = [
    ['application 22 (quota), HTTP 200', { layer: 'application', code: '22' }, 'UPSTREAM_QUOTA_EXCEEDED'],
    [
      'application 30 (key not registered), HTTP 200',
      { layer: 'application', code: '30' },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'application 20 (access denied), HTTP 200',
      { layer: 'application', code: '20' },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    ['application 31 (key expired), HTTP 200', { layer: 'application', code: '31' }, 'UPSTREAM_KEY_INVALID'],
    [
      'application 12 (no such service), HTTP 200',
      { layer: 'application', code: '12' },
      'UPSTREAM_SERVICE_UNKNOWN',
    ],
    ['application 10 (bad parameters), HTTP 200', { layer: 'application', code: '10' }, 'UPSTREAM_REJECTED'],
    ['application 99 (unknown), HTTP 200', { layer: 'application', code: '99' }, 'UPSTREAM_REJECTED'],
    [
      'application 22 (quota), HTTP 401',
      { layer: 'application', code: '22', status: 401 },
      'UPSTREAM_QUOTA_EXCEEDED',
    ],
    ['gateway XML 22, HTTP 200', { layer: 'gateway', format: 'xml', code: '22' }, 'UPSTREAM_QUOTA_EXCEEDED'],
    [
      'gateway XML 22, HTTP 403',
      { layer: 'gateway', format: 'xml', code: '22', status: 403 },
      'UPSTREAM_QUOTA_EXCEEDED',
    ],
    [
      'gateway XML 30, HTTP 200',
      { layer: 'gateway', format: 'xml', code: '30' },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'gateway XML 30, HTTP 401',
      { layer: 'gateway', format: 'xml', code: '30', status: 401 },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'gateway XML (older form) 30, HTTP 200',
      { layer: 'gateway', format: 'xml-legacy', code: '30' },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'gateway XML (older form) 22, HTTP 403',
      { layer: 'gateway', format: 'xml-legacy', code: '22', status: 403 },
      'UPSTREAM_QUOTA_EXCEEDED',
    ],
    ['gateway XML 31, HTTP 200', { layer: 'gateway', format: 'xml', code: '31' }, 'UPSTREAM_KEY_INVALID'],
    [
      'gateway XML 32, HTTP 403',
      { layer: 'gateway', format: 'xml', code: '32', status: 403 },
      'UPSTREAM_REJECTED',
    ],
    [
      'gateway JSON 22, HTTP 200',
      { layer: 'gateway', format: 'json', code: '22' },
      'UPSTREAM_QUOTA_EXCEEDED',
    ],
    [
      'gateway JSON 30, HTTP 403',
      { layer: 'gateway', format: 'json', code: '30', status: 403 },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'gateway JSON SERVICE_KEY_IS_NULL, HTTP 401',
      { layer: 'gateway', format: 'json', code: '20', name: 'SERVICE_KEY_IS_NULL', status: 401 },
      'UPSTREAM_KEY_MISSING',
    ],
    [
      'real gateway XML SERVICE_KEY_IS_NOT_REGISTERED_ERROR, HTTP 403',
      { layer: 'gateway-fixture', name: 'not-registered' },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'real gateway XML SERVICE_KEY_IS_NOT_REGISTERED_ERROR, HTTP 200',
      { layer: 'gateway-fixture', name: 'not-registered', status: 200 },
      'UPSTREAM_KEY_UNREGISTERED',
    ],
    [
      'real gateway XML SERVICE_KEY_IS_NULL, HTTP 401',
      { layer: 'gateway-fixture', name: 'key-null' },
      'UPSTREAM_KEY_MISSING',
    ],
  ];

  it.each(cases)('%s, on /list and on /detail', async (_name, fault, code) => {
    const cfg = config();
    for (const operation of ['list', 'detail'] as const) {
      cris.failWith(fault, { operation });
      const call =
        operation === 'list'
          ? fetchCrisListPage(clientFor(cfg), cfg, 1)
          : fetchCrisDetail(clientFor(cfg), cfg, 'KCT0000145');
      const error = await rejection(call);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/^cris: /);
      expect(error.message).toContain(`/${operation}?serviceKey=***`);
      expect(error.message).not.toContain(CRIS_FAKE_KEY);
      expect(error.details).toMatchObject({
        layer: fault.layer === 'application' ? 'application' : 'gateway',
      });
    }
    expect(core.pendingFaults()).toBe(0);
  });

  it('names the layer, the code and the status in the message', async () => {
    cris.failWith({ layer: 'gateway-fixture', name: 'not-registered' }, { operation: 'list' });
    const error = await rejection(fetchCrisListPage(clientFor(config()), config(), 1));
    expect(error.message).toContain(
      'gateway OpenAPI_ServiceResponse (XML) "30" "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" "등록되지 않은 서비스키"; HTTP 403',
    );
    expect(error.details).toEqual({
      status: 403,
      layer: 'gateway',
      format: 'xml',
      resultCode: '30',
      resultName: 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
      resultText: '등록되지 않은 서비스키',
    });
  });

  it('gets the real gateway answers for a wrong key and for no key, with the key kept out of messages', async () => {
    const wrong = config({ serviceKey: 'WRONG-KEY-0123456789' });
    const unregistered = await rejection(fetchCrisListPage(clientFor(wrong), wrong, 1));
    expect(unregistered.code).toBe('UPSTREAM_KEY_UNREGISTERED');
    expect(unregistered.message).not.toContain('WRONG-KEY');
    const none = config({ serviceKey: undefined });
    const missing = await rejection(fetchCrisDetail(clientFor(none), none, 'KCT0000145'));
    expect(missing.code).toBe('UPSTREAM_KEY_MISSING');
    expect(missing.message).toContain('set CRIS_SERVICE_KEY');
  });

  it('recognises a gateway error sent under a retryable status once the retries are spent', async () => {
    const cfg = config({ upstream: { ...testSourceConfig().upstream, retries: 1 } });
    cris.failWith(
      { layer: 'gateway', format: 'xml', code: '22', status: 503 },
      { operation: 'list', times: 2 },
    );
    const error = await rejection(fetchCrisListPage(clientFor(cfg), cfg, 1));
    expect(error.code).toBe('UPSTREAM_QUOTA_EXCEEDED');
    expect(error.cause).toMatchObject({ code: 'UPSTREAM_HTTP_ERROR' });
    expect(cris.calls().list).toBe(2);
  });

  it('retries a body that says "try again" (HTTP 200), then succeeds', async () => {
    const cfg = config({ upstream: { ...testSourceConfig().upstream, retries: 3 } });
    cris.failWith(
      { layer: 'gateway', format: 'json', code: '05', name: 'SERVICETIMEOUT_ERROR' },
      { operation: 'list', times: 2 },
    );
    const page = await fetchCrisListPage(clientFor(cfg), cfg, 1);
    expect(page.items).toHaveLength(12);
    expect(cris.calls().list).toBe(3);
  });

  it('fails clearly on answers that are neither data nor a known error', async () => {
    const cfg = config();
    core.injectFault({ kind: 'html', status: 200 }, { match: '/1352159/crisinfodataview/list' });
    expect((await rejection(fetchCrisListPage(clientFor(cfg), cfg, 1))).code).toBe('UPSTREAM_BAD_RESPONSE');
    core.injectFault(
      { kind: 'respond', status: 404, body: 'not found', contentType: 'text/plain' },
      { match: '/1352159/crisinfodataview/list' },
    );
    const rejected = await rejection(fetchCrisListPage(clientFor(cfg), cfg, 1));
    expect(rejected.code).toBe('UPSTREAM_REJECTED');
    expect(rejected.message).toContain('HTTP 404');
    core.injectFault(
      { kind: 'respond', status: 200, body: '{"resultCode":"00","rows":[]}' },
      { match: '/1352159/crisinfodataview/list' },
    );
    expect((await rejection(fetchCrisListPage(clientFor(cfg), cfg, 1))).message).toContain('no "items" list');
    core.injectFault(
      { kind: 'respond', status: 200, body: crisFixtureText(CRIS_FIXTURES.detail) },
      { match: '/1352159/crisinfodataview/detail' },
    );
    const other = await rejection(fetchCrisDetail(clientFor(cfg), cfg, 'KCT0009342'));
    expect(other.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(other.message).toContain('the record of KCT0000145 where KCT0009342 was asked for');
  });

  it('answers an unknown number with 03, read as not found', async () => {
    const result = await fetchCrisDetail(clientFor(config()), config(), 'KCT9999999');
    expect(result).toMatchObject({ found: false, stated: { code: '03' } });
  });
});

describe('sync state helpers', () => {
  it('counts the quota day in Korean time', () => {
    expect(quotaDayOf(Date.parse('2026-08-28T14:59:59Z'))).toBe('2026-08-28');
    expect(quotaDayOf(Date.parse('2026-08-28T15:00:00Z'))).toBe('2026-08-29');
  });

  it('fingerprints a list entry whatever its key order, and any change to it', () => {
    const item = { trial_id: 'KCT0000001', date_updated: '2026-01-01', date_registration: '2026-01-02' };
    const reordered = { date_registration: '2026-01-02', trial_id: 'KCT0000001', date_updated: '2026-01-01' };
    expect(listEntryFingerprint(item)).toBe(listEntryFingerprint(reordered));
    expect(listEntryFingerprint({ ...item, date_registration: '2026-01-03' })).not.toBe(
      listEntryFingerprint(item),
    );
    expect(listEntryFingerprint(item)).toMatch(/^[\w-]{16}$/);
  });

  it('reads saved state leniently', () => {
    expect(readCrisState({})).toEqual({ state: emptyCrisState() });
    expect(readCrisState({ version: 7 })).toEqual({
      state: emptyCrisState(),
      problem: 'unknown state version 7',
    });
    expect(
      readCrisState({
        version: 1,
        entries: { KCT0000001: 'abc', KCT0000002: 3 },
        pending: ['KCT0000003', 4],
        calls: { day: '2026-08-28', used: 12 },
      }).state,
    ).toEqual({
      version: 1,
      entries: { KCT0000001: 'abc' },
      pending: ['KCT0000003'],
      failed: [],
      calls: { day: '2026-08-28', used: 12 },
      totalCount: null,
    });
  });
});
