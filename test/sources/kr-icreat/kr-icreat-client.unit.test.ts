import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader.js';
import type { ErrorCode } from '../../../src/errors/app-error.js';
import { AppError } from '../../../src/errors/app-error.js';
import { UpstreamClient } from '../../../src/sources/http/upstream-client.js';
import { pickNewestUddi } from '../../../src/sources/kr-icreat/kr-icreat-client.js';
import type { KrIcreatConfig } from '../../../src/sources/kr-icreat/kr-icreat-config.js';
import { secretsOf } from '../../../src/sources/http/redact.js';
import { parseKrIcreatConfig } from '../../../src/sources/kr-icreat/kr-icreat-config.js';
import { krIcreatSource } from '../../../src/sources/kr-icreat/kr-icreat-source.js';
import type { HarvestContext, PageStream, SkippedRecord } from '../../../src/sources/source.types.js';
import { recordingReader } from '../recording-reader.js';
import type { FakeUpstream, KrGatewayErrorName } from '../../../testkit/fake-upstream.js';
import { krOasDocument, loadKrSnapshotRecords, startFakeUpstream } from '../../../testkit/fake-upstream.js';

/** Shaped like a real data.go.kr key: base64 with `+`, `/` and `=`, which must be encoded once. */
const KEY = 'Sec+ret/Key0123456789==';
const NEW_UDDI = '0f6a3c52-9d1e-4b7a-8c3e-5d2f1a7b9c40';
const snapshot = loadKrSnapshotRecords();

let fake: FakeUpstream;

beforeAll(async () => {
  fake = await startFakeUpstream({ kr: { expectedKey: KEY } });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.clearRequests();
  fake.kr.setRecords(snapshot);
  fake.kr.pageHook = undefined;
  fake.kr.limitQuirk = false;
  fake.kr.oasDocument = undefined;
  fake.kr.removeDataset(NEW_UDDI);
  fake.kr.resetPageCount();
});

interface Setup {
  env?: Record<string, string>;
  pin?: boolean;
  state?: Record<string, unknown>;
  /** Whether the UpstreamClient is told the key (the adapter must not rely on it). */
  secrets?: boolean;
  mode?: 'full' | 'incremental';
}

function contextFor({ env = {}, pin = true, state = {}, secrets = true, mode = 'full' }: Setup = {}) {
  const reader = new EnvReader({
    KR_ICREAT_BASE_URL: fake.kr.apiBaseUrl,
    KR_ICREAT_OAS_URL: fake.kr.oasUrl,
    KR_ICREAT_SERVICE_KEY: KEY,
    ...(pin ? { KR_ICREAT_UDDI: fake.kr.uddi } : {}),
    KR_ICREAT_RETRIES: '1',
    KR_ICREAT_BACKOFF_MS: '0',
    KR_ICREAT_TIMEOUT_MS: '2000',
    ...env,
  });
  const config = parseKrIcreatConfig(reader, true);
  expect(reader.problems).toEqual([]);
  const warnings: { object: object; message: string | undefined }[] = [];
  const ignore = () => undefined;
  // Keeps the records the harvest yields, as the upstream sent them (see `drain`).
  const pages = recordingReader();
  const context: HarvestContext<KrIcreatConfig> = {
    config,
    mode,
    state,
    lastSuccessAt: null,
    client: new UpstreamClient({
      source: 'kr-icreat',
      config: config.upstream,
      secrets: secrets ? secretsOf(config, krIcreatSource.secretKeys) : [],
    }),
    signal: new AbortController().signal,
    log: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (object, message) => warnings.push({ object, message }),
    },
    readPage: (response) => pages.readPage(response),
    prepare: (records) => pages.prepare(records),
  };
  return { context, warnings, received: pages.records };
}

async function drain(stream: PageStream, records: readonly unknown[]) {
  const skipped: SkippedRecord[] = [];
  let pages = 0;
  for (;;) {
    const step = await stream.next();
    if (step.done === true) return { records, skipped, pages, end: step.value };
    pages++;
    skipped.push(...(step.value.skipped ?? []));
  }
}

async function harvest(setup?: Setup) {
  const { context, warnings, received } = contextFor(setup);
  return { ...(await drain(krIcreatSource.harvest(context), received)), warnings };
}

async function harvestError(setup?: Setup): Promise<AppError> {
  try {
    await harvest(setup);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the harvest to fail');
}

/** Every text an error carries: message, details and the messages down its cause chain. */
function everyText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, JSON.stringify((current as AppError).details ?? {}));
    current = current.cause;
  }
  return parts.join('\n');
}

function expectNoKey(text: string): void {
  for (const form of [KEY, encodeURIComponent(KEY), encodeURIComponent(encodeURIComponent(KEY))]) {
    expect(text).not.toContain(form);
  }
}

describe('kr-icreat harvest against the fake upstream', () => {
  it('pages through all 145 records with a small perPage, sending the key as the Infuser header', async () => {
    const result = await harvest({ env: { KR_ICREAT_PER_PAGE: '10' } });
    expect(result.pages).toBe(15);
    expect(result.records).toEqual(snapshot);
    expect(result.skipped).toEqual([]);
    expect(result.end).toEqual({
      listing: 'full',
      complete: true,
      expectedTotal: 145,
      state: { uddi: fake.kr.uddi },
      info: {
        uddi: fake.kr.uddi,
        uddiFrom: 'config',
        totalCount: 145,
        records: 145,
        duplicates: 0,
        pages: 15,
        perPage: 10,
      },
    });
    const requests = fake.kr.pageRequests();
    expect(requests.map((request) => request.query)).toEqual(
      Array.from({ length: 15 }, (_, i) => ({ page: String(i + 1), perPage: '10', returnType: 'JSON' })),
    );
    expect(requests.every((request) => request.headers.authorization === `Infuser ${KEY}`)).toBe(true);
  });

  it('uses perPage 100 by default, and lists everything even when asked for an incremental run', async () => {
    const result = await harvest({ mode: 'incremental' });
    expect(result.records).toHaveLength(145);
    expect(result.end.listing).toBe('full');
    expect(result.pages).toBe(2);
    expect(result.end.complete).toBe(true);
  });

  it('sends the key as serviceKey encoded exactly once, from a key configured encoded or not', async () => {
    for (const configured of [KEY, encodeURIComponent(KEY)]) {
      fake.clearRequests();
      const result = await harvest({ env: { KR_ICREAT_KEY_IN: 'query', KR_ICREAT_SERVICE_KEY: configured } });
      expect(result.end.complete).toBe(true);
      const [first] = fake.kr.pageRequests();
      expect(first?.query.serviceKey).toBe(KEY);
      expect(first?.headers.authorization).toBeUndefined();
    }
  });

  it('fails before any request when no key is configured', async () => {
    const error = await harvestError({ env: { KR_ICREAT_SERVICE_KEY: '' } });
    expect(error.code).toBe('UPSTREAM_KEY_MISSING');
    expect(error.message).toContain('KR_ICREAT_SERVICE_KEY');
    expect(fake.requests).toEqual([]);
  });

  it('reports a wrong key as UPSTREAM_KEY_INVALID without showing it', async () => {
    const wrong = 'Wrong+Key/abc==';
    for (const keyIn of ['header', 'query']) {
      const error = await harvestError({ env: { KR_ICREAT_SERVICE_KEY: wrong, KR_ICREAT_KEY_IN: keyIn } });
      expect(error.code).toBe('UPSTREAM_KEY_INVALID');
      expect(error.message).toContain('-401');
      expect(error.message).toContain('유효하지 않은 인증키 입니다.');
      expect(everyText(error)).not.toContain(wrong);
      expect(everyText(error)).not.toContain(encodeURIComponent(wrong));
    }
  });

  const gatewayCases: [KrGatewayErrorName, ErrorCode, string][] = [
    ['missing-service-key', 'UPSTREAM_KEY_MISSING', 'gateway code -401 "인증키는 필수 항목 입니다."'],
    ['invalid-service-key', 'UPSTREAM_KEY_INVALID', 'gateway code -401 "유효하지 않은 인증키 입니다."'],
    [
      'unregistered-service-key',
      'UPSTREAM_KEY_UNREGISTERED',
      'gateway code -4 "등록되지 않은 인증키 입니다."',
    ],
    ['unregistered-service', 'UPSTREAM_SERVICE_UNKNOWN', 'gateway code -3 "등록되지 않은 서비스 입니다."'],
    ['terminated-service', 'UPSTREAM_SERVICE_ENDED', 'gateway code -9 "종료된 서비스 입니다."'],
    ['limit-exceeded', 'UPSTREAM_QUOTA_EXCEEDED', 'gateway code -10 "트래픽 허용 횟수를 초과하였습니다."'],
    ['internal-exception', 'UPSTREAM_REJECTED', 'gateway code -1 "시스템 내부 오류가 발생하였습니다."'],
    ['parameter-exception', 'UPSTREAM_REJECTED', 'gateway code -2 "요청하신 파라미터가 적합하지 않습니다."'],
    ['unknown', 'UPSTREAM_REJECTED', 'gateway code -999 "UNKNOWN"'],
    ['not-found-service', 'UPSTREAM_SERVICE_UNKNOWN', 'not found service'],
  ];

  it.each(gatewayCases)(
    'turns the gateway error %s into %s, with its code and message and no key',
    async (name, code, text) => {
      for (const keyIn of ['header', 'query']) {
        fake.kr.failWith(name);
        const error = await harvestError({ env: { KR_ICREAT_KEY_IN: keyIn } });
        expect(error.code).toBe(code);
        expect(error.message).toContain(text);
        expect(error.message).toMatch(/^kr-icreat: /);
        expect(fake.pendingFaults()).toBe(0);
        expectNoKey(everyText(error));
      }
    },
  );

  it('says a key that never arrived may be dropped on the way, and which placement to try', async () => {
    fake.kr.failWith('missing-service-key');
    const error = await harvestError();
    expect(error.message).toContain('KR_ICREAT_KEY_IN=query');
  });

  it('reads a gateway error body sent with HTTP 200', async () => {
    fake.injectFault(
      { kind: 'respond', status: 200, body: '{"code":-4,"msg":"등록되지 않은 인증키 입니다."}' },
      { match: '/api/' },
    );
    const error = await harvestError();
    expect(error.code).toBe('UPSTREAM_KEY_UNREGISTERED');
    expect(error.details).toMatchObject({ status: 200, gatewayCode: -4 });
  });

  it('fails mid-listing when the quota runs out on page 3, after yielding pages 1 and 2', async () => {
    fake.injectFault(
      { kind: 'respond', status: 400, body: '{"code":-10,"msg":"트래픽 허용 횟수를 초과하였습니다."}' },
      { match: /[?&]page=3&/ },
    );
    const { context } = contextFor({ env: { KR_ICREAT_PER_PAGE: '10' } });
    const stream = krIcreatSource.harvest(context);
    expect((await stream.next()).done).toBe(false);
    expect((await stream.next()).done).toBe(false);
    await expect(stream.next()).rejects.toMatchObject({ code: 'UPSTREAM_QUOTA_EXCEEDED' });
  });

  it('names an unknown pinned uddi and suggests unpinning it', async () => {
    const error = await harvestError({ env: { KR_ICREAT_UDDI: NEW_UDDI } });
    expect(error.code).toBe('UPSTREAM_SERVICE_UNKNOWN');
    expect(error.message).toContain(`uddi:${NEW_UDDI}`);
    expect(error.message).toContain('unset KR_ICREAT_UDDI');
  });

  it('reports a wrong base URL (the gateway 404) as an unknown service', async () => {
    const error = await harvestError({ env: { KR_ICREAT_BASE_URL: `${fake.baseUrl}/wrong` } });
    expect(error.code).toBe('UPSTREAM_SERVICE_UNKNOWN');
    expect(error.message).toContain('not found service');
    expect(error.message).toContain('KR_ICREAT_BASE_URL');
  });
});

describe('kr-icreat counts that do not add up', () => {
  it('calls a listing with fewer records than totalCount incomplete', async () => {
    fake.kr.pageHook = (body) => ({ ...body, totalCount: 150 });
    const result = await harvest();
    expect(result.records).toHaveLength(145);
    expect(result.end.complete).toBe(false);
    expect(result.end.expectedTotal).toBe(150);
    expect(result.end.incompleteReason).toBe('kr-icreat: page 3 was empty after 145 of 150 rows');
  });

  it('calls a listing whose totalCount changes between pages incomplete', async () => {
    fake.kr.pageHook = (body, { requestNumber }) =>
      requestNumber === 2 ? { ...body, totalCount: 146 } : body;
    const result = await harvest();
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toContain('totalCount changed from 145 to 146 on page 2');
  });

  it('calls a listing with an empty page before the end incomplete', async () => {
    fake.kr.pageHook = (body, { page }) => (page === 2 ? { ...body, currentCount: 0, data: [] } : body);
    const result = await harvest();
    expect(result.records).toHaveLength(100);
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toBe('kr-icreat: page 2 was empty after 100 of 145 rows');
  });

  it('calls a listing with more rows than totalCount incomplete', async () => {
    fake.kr.pageHook = (body) => ({ ...body, totalCount: 140 });
    const result = await harvest();
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toBe('kr-icreat: received 145 rows but totalCount is 140');
  });

  it('calls a listing without totalCount incomplete, but still reads it to the last short page', async () => {
    fake.kr.pageHook = (body) => ({ ...body, totalCount: undefined });
    const result = await harvest();
    expect(result.records).toEqual(snapshot);
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toContain('page 1 had no readable totalCount');
  });

  it('calls a page whose currentCount disagrees with its data incomplete', async () => {
    fake.kr.pageHook = (body, { page }) => (page === 1 ? { ...body, currentCount: 99 } : body);
    const result = await harvest();
    expect(result.end.incompleteReason).toContain('page 1 said currentCount 99 but held 100 rows');
  });

  it('reads counts sent as strings, in any key order', async () => {
    fake.kr.pageHook = (body) =>
      JSON.stringify({
        totalCount: String(body.totalCount),
        data: body.data,
        perPage: String(body.perPage),
        currentCount: String(body.currentCount),
        page: String(body.page),
      });
    const result = await harvest();
    expect(result.records).toEqual(snapshot);
    expect(result.end.complete).toBe(true);
  });

  it('keeps the first of two records with the same 과제번호 and skips the second with a reason', async () => {
    fake.kr.addRecord({ ...snapshot[0]!, 과제명: 'a second copy' });
    const result = await harvest();
    expect(result.records).toEqual(snapshot);
    expect(result.skipped).toEqual([
      {
        id: 'C130010',
        reason: 'duplicate 과제번호 C130010 on page 2 (first received on page 1); the first copy is kept',
      },
    ]);
    expect(result.end.complete).toBe(true);
    expect(result.end.info).toMatchObject({ totalCount: 146, records: 145, duplicates: 1 });
  });

  it('copes with the executor quirk that returns up to page×perPage rows', async () => {
    fake.kr.limitQuirk = true;
    const result = await harvest({ env: { KR_ICREAT_PER_PAGE: '20' } });
    expect(result.records).toEqual(snapshot);
    expect(result.end.complete).toBe(true);
    expect(result.skipped.length).toBeGreaterThan(0);
    expect(result.skipped.every((skip) => skip.reason.startsWith(`duplicate 과제번호 ${skip.id} `))).toBe(
      true,
    );
  });

  it('stops, incomplete, when the gateway answers page 1 to every page (the portal test key)', async () => {
    const result = await harvest({ env: { KR_ICREAT_SERVICE_KEY: 'data-portal-test-key' } });
    expect(result.records).toEqual(snapshot.slice(0, 10));
    expect(result.pages).toBe(1);
    expect(fake.kr.pageRequests()).toHaveLength(2);
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toContain('page 2 repeated the rows of page 1');
  });
});

describe('kr-icreat dataset version discovery', () => {
  const newRecords = snapshot
    .slice(0, 3)
    .map((record) => ({ ...record, 과제명: `${record['과제명']} (2024)` }));

  it('reads the newest version from the OAS document, without sending the key', async () => {
    fake.kr.addDataset({
      uddi: NEW_UDDI,
      summary: '질병관리청_임상연구 과제정보_20240730',
      records: newRecords,
    });
    const result = await harvest({ pin: false });
    expect(result.records).toEqual(newRecords);
    expect(result.end.info).toMatchObject({
      uddi: NEW_UDDI,
      uddiFrom: 'oas',
      datasetName: '질병관리청_임상연구 과제정보_20240730',
      datasetVersionDate: '2024-07-30',
      totalCount: 3,
    });
    expect(result.end.state).toEqual({ uddi: NEW_UDDI });
    expect(result.warnings).toEqual([]);
    const oas = fake.requests.find((request) => request.path === '/oas/docs');
    expect(oas?.query).toEqual({ namespace: '3074271/v1' });
    expect(oas?.headers.authorization).toBeUndefined();
  });

  it('falls back to the last known uddi with a warning when the OAS document is unreadable', async () => {
    fake.kr.oasDocument = '<html>maintenance</html>';
    const result = await harvest({ pin: false });
    expect(result.end.info).toMatchObject({ uddi: fake.kr.uddi, uddiFrom: 'last-known' });
    expect(result.records).toHaveLength(145);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.message).toContain(`uddi:${fake.kr.uddi}`);
    expect(result.warnings[0]?.object).toMatchObject({
      reason: expect.stringContaining('not JSON') as unknown,
    });
  });

  it('falls back when the OAS server cannot be reached or lists no dated path', async () => {
    fake.injectFault({ kind: 'reset' }, { match: '/oas/', times: Infinity });
    expect((await harvest({ pin: false })).end.info).toMatchObject({ uddiFrom: 'last-known' });
    fake.clearFaults();
    fake.kr.oasDocument = krOasDocument([{ uddi: NEW_UDDI, summary: 'no date here' }]);
    const result = await harvest({ pin: false });
    expect(result.end.info).toMatchObject({ uddiFrom: 'last-known' });
    expect(result.warnings[0]?.object).toMatchObject({
      reason: expect.stringContaining('no uddi path with a summary ending in _YYYYMMDD') as unknown,
    });
  });

  it('prefers the uddi of the last successful run to the last known one', async () => {
    fake.kr.addDataset({ uddi: NEW_UDDI, summary: 'x_20240730', records: newRecords });
    fake.injectFault({ kind: 'respond', status: 404, body: 'not found service' }, { match: '/oas/' });
    const result = await harvest({ pin: false, state: { uddi: NEW_UDDI } });
    expect(result.end.info).toMatchObject({ uddi: NEW_UDDI, uddiFrom: 'last-used' });
    expect(result.warnings[0]?.message).toContain('last successful run');
  });

  it('picks the newest dated path, whatever the order, where the summary sits, or extra paths', () => {
    expect(
      pickNewestUddi({
        paths: {
          '/3074271/v1/uddi:11111111-1111-4111-8111-111111111111': { get: { summary: 'a_20211115' } },
          '/3074271/v1/uddi:22222222-2222-4222-8222-222222222222': { summary: 'b_20240730 ' },
          '/3074271/v1/uddi:33333333-3333-4333-8333-333333333333': { post: { summary: 'c_20230101' } },
          '/3074271/v1/other': { get: { summary: 'd_20991231' } },
        },
      }),
    ).toEqual({
      uddi: '22222222-2222-4222-8222-222222222222',
      summary: 'b_20240730',
      versionDate: '2024-07-30',
    });
    expect(pickNewestUddi({ paths: {} })).toBeUndefined();
    expect(pickNewestUddi({ swagger: '2.0' })).toBeUndefined();
    expect(pickNewestUddi('nonsense')).toBeUndefined();
  });
});

describe('kr-icreat over a faulty network', () => {
  it('retries a reset connection and a truncated body, then completes', async () => {
    fake.injectFault({ kind: 'reset' }, { match: /[?&]page=1&/ });
    fake.injectFault({ kind: 'truncate' }, { match: /[?&]page=2&/ });
    const result = await harvest();
    expect(result.records).toEqual(snapshot);
    expect(result.end.complete).toBe(true);
    expect(fake.pendingFaults()).toBe(0);
    expect(fake.kr.pageRequests().map((request) => request.fault)).toEqual(['reset', null, 'truncate', null]);
  });

  it('fails with UPSTREAM_NETWORK when every attempt is cut short, without the key in query mode', async () => {
    fake.injectFault({ kind: 'truncate', bytes: 10 }, { match: '/api/', times: Infinity });
    const error = await harvestError({ env: { KR_ICREAT_KEY_IN: 'query' } });
    expect(error.code).toBe('UPSTREAM_NETWORK');
    expect(error.message).toContain('serviceKey=***');
    expectNoKey(everyText(error));
  });

  it('keeps the key out of errors even when the client was not told it', async () => {
    fake.kr.failWith('limit-exceeded');
    const gateway = await harvestError({ env: { KR_ICREAT_KEY_IN: 'query' }, secrets: false });
    expect(gateway.code).toBe('UPSTREAM_QUOTA_EXCEEDED');
    expectNoKey(everyText(gateway));
    fake.injectFault({ kind: 'reset' }, { match: '/api/', times: Infinity });
    const network = await harvestError({ env: { KR_ICREAT_KEY_IN: 'query' }, secrets: false });
    expect(network.code).toBe('UPSTREAM_NETWORK');
    expectNoKey(everyText(network));
  });

  it('fails with UPSTREAM_BAD_RESPONSE on a body that is not JSON', async () => {
    fake.injectFault({ kind: 'not-json' }, { match: '/api/' });
    const error = await harvestError();
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('not JSON');
  });

  it('fails with UPSTREAM_BAD_RESPONSE on JSON that is not a page', async () => {
    fake.injectFault({ kind: 'respond', status: 200, body: '{"result":"ok"}' }, { match: '/api/' });
    const error = await harvestError();
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('not an odcloud page');
  });

  it('retries an HTML 502 from a proxy, then fails with UPSTREAM_HTTP_ERROR', async () => {
    fake.injectFault({ kind: 'html', status: 502 }, { match: '/api/', times: 2 });
    const error = await harvestError();
    expect(error.code).toBe('UPSTREAM_HTTP_ERROR');
    expect(error.message).toContain('502 Bad Gateway');
  });

  it('times out on a slow upstream', async () => {
    fake.injectFault({ kind: 'delay', ms: 1500 }, { match: '/api/', times: 2 });
    const error = await harvestError({ env: { KR_ICREAT_TIMEOUT_MS: '200' } });
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
  });
});
