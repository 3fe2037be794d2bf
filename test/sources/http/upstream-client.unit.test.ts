import { createServer } from 'node:http';
import iconv from 'iconv-lite';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/app-error.js';
import {
  bodyText,
  firstLine,
  parseJsonBody,
  parseRetryAfter,
  UpstreamClient,
} from '../../../src/sources/http/upstream-client.js';
import { declaredCharset, decodeUpstreamBody } from '../../../src/sources/http/body-text.js';
import { redact } from '../../../src/sources/http/redact.js';

type Step = {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  destroy?: boolean;
  delayMs?: number;
};
let script: Step[] = [];
const server = createServer((req, res) => {
  const step = script.shift() ?? { status: 200, body: '{}' };
  if (step.destroy === true) {
    req.socket.destroy();
    return;
  }
  setTimeout(() => {
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(step.body ?? '');
  }, step.delayMs ?? 0);
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(
  overrides: Partial<ConstructorParameters<typeof UpstreamClient>[0]> = {},
  sleeps: number[] = [],
) {
  return new UpstreamClient({
    source: 'demo',
    config: { timeoutMs: 500, retries: 3, backoffMs: 100, maxBackoffMs: 1000, minIntervalMs: 0 },
    secrets: ['s3cr3t/key+='],
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 1,
    ...overrides,
  });
}

describe('UpstreamClient', () => {
  it('retries 5xx with capped exponential backoff, then succeeds', async () => {
    script = [
      { status: 503, body: 'busy' },
      { status: 500, body: 'oops' },
      { status: 200, body: '{"ok":true}' },
    ];
    const sleeps: number[] = [];
    const c = client({}, sleeps);
    const response = await c.get({ url: `${base}/x` });
    expect(response.status).toBe(200);
    expect(sleeps).toEqual([100, 200]);
    expect(c.retries).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    script = [
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 200, body: '{}' },
    ];
    const sleeps: number[] = [];
    await client({}, sleeps).get({ url: `${base}/x` });
    expect(sleeps).toEqual([3000]);
  });

  it('does not retry a 4xx and returns it for the source to read', async () => {
    script = [{ status: 401, body: '{"code":-401}' }];
    const sleeps: number[] = [];
    const response = await client({}, sleeps).get({ url: `${base}/x` });
    expect(response.status).toBe(401);
    expect(sleeps).toEqual([]);
  });

  it('fails with the source, the request (key redacted) and the first line of the body', async () => {
    script = [1, 2, 3, 4].map(() => ({
      status: 502,
      body: '<html><body>\n<h1>Bad Gateway</h1></body></html>',
    }));
    const key = encodeURIComponent('s3cr3t/key+=');
    const error = await client()
      .get({ url: `${base}/x?serviceKey=${key}&page=1` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    expect(message).toContain('demo: GET');
    expect(message).toContain('HTTP 502');
    expect(message).toContain('Bad Gateway');
    expect(message).toContain('after 4 attempts');
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain(key);
  });

  it('retries connection resets and timeouts, then reports them clearly', async () => {
    script = [
      { status: 200, destroy: true },
      { status: 200, delayMs: 2000, body: '{}' },
      { status: 200, body: '{"a":1}' },
    ];
    const response = await client().get({ url: `${base}/x` });
    expect(parseJsonBody(response, 'demo')).toEqual({ a: 1 });
    script = [0, 1].map(() => ({ status: 200, delayMs: 2000 }));
    const error = await client({
      config: { timeoutMs: 200, retries: 1, backoffMs: 1, maxBackoffMs: 1, minIntervalMs: 0 },
    })
      .get({ url: `${base}/x` })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('UPSTREAM_TIMEOUT');
  });

  it('retries a host name that does not resolve once, after at most a second, and says so', async () => {
    const sleeps: number[] = [];
    const c = client(
      { config: { timeoutMs: 5000, retries: 8, backoffMs: 5000, maxBackoffMs: 60_000, minIntervalMs: 0 } },
      sleeps,
    );
    // .invalid never resolves (RFC 6761): the resolver answers at once, with or without a network.
    const error = await c
      .get({ url: 'http://trialwatch-test.invalid/x?serviceKey=s3cr3t' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UPSTREAM_NETWORK');
    expect((error as AppError).message).toMatch(
      /^demo: GET http:\/\/trialwatch-test\.invalid\/x\?serviceKey=\*\*\* failed: the host name trialwatch-test\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\): is there a network connection, and is the source's base URL right\? \(after 2 attempts\)$/,
    );
    expect(c.requests).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await client({ signal: controller.signal })
      .get({ url: `${base}/x` })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('HARVEST_INTERRUPTED');
  });

  it('keeps the minimum interval between requests', async () => {
    script = [
      { status: 200, body: '{}' },
      { status: 200, body: '{}' },
    ];
    const sleeps: number[] = [];
    const c = client(
      { config: { timeoutMs: 500, retries: 0, backoffMs: 1, maxBackoffMs: 1, minIntervalMs: 1000 } },
      sleeps,
    );
    await c.get({ url: `${base}/x` });
    await c.get({ url: `${base}/x` });
    expect(sleeps.length).toBe(1);
    expect(sleeps[0]).toBeGreaterThan(900);
  });

  it('retries a body that is not valid UTF-8 like a truncated one, and uses the next whole body', async () => {
    const whole = Buffer.from('{"title":"악성림프종 연구"}');
    script = [
      { status: 200, body: Buffer.concat([whole.subarray(0, 12), Buffer.from([0xff]), whole.subarray(12)]) },
      { status: 200, body: whole },
    ];
    const sleeps: number[] = [];
    const c = client({}, sleeps);
    const response = await c.get({ url: `${base}/x` });
    expect(parseJsonBody(response, 'demo')).toEqual({ title: '악성림프종 연구' });
    expect(c.retries).toBe(1);
    expect(sleeps).toEqual([100]);
  });

  it('fails a body that stays invalid UTF-8 with UPSTREAM_BAD_RESPONSE, naming the source and request', async () => {
    const korean = iconv.encode('{"title":"서울대학교병원"}', 'cp949');
    script = [1, 2, 3, 4].map(() => ({ status: 200, body: korean }));
    const key = encodeURIComponent('s3cr3t/key+=');
    const observed: string[] = [];
    const error = await client({ observer: { onAttempt: (_s, outcome) => observed.push(outcome) } })
      .get({ url: `${base}/x?serviceKey=${key}&page=2` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const { code, message } = error as AppError;
    expect(code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(message).toContain(`demo: GET ${base}/x?serviceKey=***&page=2`);
    expect(message).toContain('not valid UTF-8');
    expect(message).toContain('the first bad byte at offset 10');
    expect(message).toContain('after 4 attempts');
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain(key);
    expect(message).not.toContain('\uFFFD');
    expect(observed).toEqual(['retry', 'retry', 'retry', 'error']);
  });

  it('decodes a body by its declared Korean charset, and refuses bytes that are not in it', async () => {
    script = [
      {
        status: 200,
        body: iconv.encode('{"title":"서울대학교병원 임상시험"}', 'cp949'),
        headers: { 'content-type': 'application/json; charset=EUC-KR' },
      },
    ];
    const response = await client().get({ url: `${base}/x` });
    expect(parseJsonBody(response, 'demo')).toEqual({ title: '서울대학교병원 임상시험' });

    script = [1, 2, 3, 4].map(() => ({
      status: 200,
      body: Buffer.concat([iconv.encode('{"title":"서울', 'cp949'), Buffer.from([0xff, 0x22, 0x7d])]),
      headers: { 'content-type': 'application/json; charset="ks_c_5601-1987"' },
    }));
    const error = await client()
      .get({ url: `${base}/x` })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((error as AppError).message).toContain('not valid ks_c_5601-1987');
  });

  it('leaves the body of an error answer to the source, undecoded', async () => {
    script = [{ status: 401, body: Buffer.from([0x7b, 0xff, 0x7d]) }];
    const response = await client().get({ url: `${base}/x` });
    expect(response.status).toBe(401);
    expect(response.text).toBeUndefined();
  });

  it('explains a body that is not JSON', () => {
    const error = (() => {
      try {
        parseJsonBody(
          {
            status: 200,
            contentType: 'application/json',
            body: Buffer.from('<html>Down</html>'),
            safeUrl: 'u',
          },
          'demo',
        );
      } catch (e) {
        return e;
      }
    })();
    expect((error as AppError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((error as AppError).message).toContain('Down');
  });
});

describe('decoding upstream bodies', () => {
  it('reads the declared charset', () => {
    expect(declaredCharset('application/json; charset=UTF-8')).toBe('utf-8');
    expect(declaredCharset('application/json;charset="EUC-KR"')).toBe('euc-kr');
    expect(declaredCharset('application/json')).toBeUndefined();
  });

  it('decodes UTF-8 whole (without a BOM) and never into U+FFFD', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(decodeUpstreamBody(Buffer.concat([bom, Buffer.from('{"a":"천식"}')]), '')).toEqual({
      ok: true,
      text: '{"a":"천식"}',
    });
    const cut = Buffer.from('{"a":"천식"}').subarray(0, 8);
    const decoded = decodeUpstreamBody(cut, 'application/json; charset=utf-8');
    expect(decoded.ok).toBe(false);
    expect(decodeUpstreamBody(Buffer.from('{}'), 'application/json; charset=iso-8859-1')).toEqual({
      ok: false,
      problem: 'a body in charset "iso-8859-1", which is not read (JSON is UTF-8)',
    });
  });

  it('decodes a response built without the client the same way', () => {
    const response = {
      status: 200,
      contentType: 'application/json',
      body: Buffer.from([0x22, 0xe2, 0x82, 0x22]),
      safeUrl: 'http://x/list?serviceKey=***',
    };
    expect(() => bodyText(response, 'demo')).toThrow(
      /demo: GET http:\/\/x\/list\?serviceKey=\*\*\* answered HTTP 200 with a body that is not valid UTF-8/,
    );
    expect(bodyText({ ...response, body: Buffer.from('"ok"') }, 'demo')).toBe('"ok"');
  });
});

describe('helpers', () => {
  it('parses Retry-After in seconds and as a date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('takes the first non-empty line, without markup', () => {
    expect(firstLine('\n\n  hello\nworld')).toBe('hello');
    expect(firstLine('')).toBe('(empty body)');
  });

  it('redacts a secret in every encoding and any serviceKey value', () => {
    const secret = 'a/b+c=';
    const text = `x=${secret} y=${encodeURIComponent(secret)} z=${encodeURIComponent(encodeURIComponent(secret))} ?serviceKey=other`;
    const out = redact(text, [secret]);
    expect(out).not.toContain('a/b+c=');
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).toContain('serviceKey=***');
  });
});
