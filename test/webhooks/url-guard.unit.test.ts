/** The webhook URL and address guard (url-guard.ts), and the retry judgement of an attempt. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import { retryAfterMs } from '../../src/webhooks/delivery-client.js';
import { judgeOutcome } from '../../src/webhooks/delivery.service.js';
import { checkWebhookUrl, isForbiddenAddress, resolveDestination } from '../../src/webhooks/url-guard.js';

const strict = { allowPrivate: false, allowHttpHosts: [] as string[] };

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fd00:ec2::254',
    'fc00::5',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    'not-an-address',
  ])('%s is refused', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is allowed', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('checkWebhookUrl', () => {
  it('accepts https to a public host', () => {
    expect(checkWebhookUrl('https://hooks.example.org/in', strict).hostname).toBe('hooks.example.org');
  });

  it.each([
    'http://hooks.example.org/in',
    'ftp://hooks.example.org/in',
    'https://127.0.0.1/in',
    'https://[::1]/in',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.8/',
    'https://[fd00::1]/',
    'https://100.64.1.1/',
    'https://localhost/in',
    'https://api.localhost/in',
    'https://0.0.0.0/',
    'https://user:pass@hooks.example.org/',
  ])('%s is WEBHOOK_URL_FORBIDDEN', (url) => {
    expect(codeOf(() => checkWebhookUrl(url, strict))).toBe('WEBHOOK_URL_FORBIDDEN');
  });

  it('plain http only to the allowed hosts; private addresses only with the flag', () => {
    const httpLocal = { allowPrivate: false, allowHttpHosts: ['127.0.0.1', 'hooks.internal'] };
    expect(codeOf(() => checkWebhookUrl('http://hooks.internal/x', httpLocal))).toBeUndefined();
    expect(codeOf(() => checkWebhookUrl('http://127.0.0.1:8080/x', httpLocal))).toBe('WEBHOOK_URL_FORBIDDEN');
    const open = { allowPrivate: true, allowHttpHosts: ['127.0.0.1'] };
    expect(codeOf(() => checkWebhookUrl('http://127.0.0.1:8080/x', open))).toBeUndefined();
    expect(codeOf(() => checkWebhookUrl('not a url', open))).toBe('VALIDATION_FAILED');
  });
});

describe('resolveDestination', () => {
  const url = new URL('https://hooks.example.org/in');

  it('refuses a name that resolves to a private address (checked at each attempt)', async () => {
    const rebinding = () => Promise.resolve([{ address: '10.0.0.5', family: 4 as const }]);
    await expect(resolveDestination(url, strict, rebinding)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
    });
    const mixed = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 as const },
        { address: '::1', family: 6 as const },
      ]);
    await expect(resolveDestination(url, strict, mixed)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
    });
  });

  it('gives the first address of a public name, and private ones with the flag', async () => {
    const publicName = () => Promise.resolve([{ address: '93.184.216.34', family: 4 as const }]);
    await expect(resolveDestination(url, strict, publicName)).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    const privateName = () => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]);
    await expect(
      resolveDestination(url, { allowPrivate: true, allowHttpHosts: [] }, privateName),
    ).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });
});

describe('judgeOutcome and Retry-After', () => {
  const response = (status: number, retryAfter?: number) => ({
    kind: 'response' as const,
    status,
    retryAfterMs: retryAfter,
    bodyBytes: 0,
    latencyMs: 1,
  });

  it('retries timeouts, network errors, 429 and 5xx; 410 disables; other statuses fail for good', () => {
    expect(judgeOutcome(response(200))).toEqual({ result: 'succeeded' });
    expect(judgeOutcome(response(204))).toEqual({ result: 'succeeded' });
    expect(judgeOutcome(response(500))).toEqual({ result: 'retry' });
    expect(judgeOutcome(response(503, 120_000))).toEqual({ result: 'retry', afterMs: 120_000 });
    expect(judgeOutcome(response(429, 10 * 86_400_000))).toEqual({ result: 'retry', afterMs: 86_400_000 });
    expect(judgeOutcome(response(410))).toEqual({ result: 'gone' });
    expect(judgeOutcome(response(404))).toEqual({ result: 'failed' });
    expect(judgeOutcome(response(301))).toEqual({ result: 'failed' });
    expect(judgeOutcome({ kind: 'error', reason: 'timeout', message: 'x', latencyMs: 1 })).toEqual({
      result: 'retry',
    });
    expect(judgeOutcome({ kind: 'error', reason: 'network', message: 'x', latencyMs: 1 })).toEqual({
      result: 'retry',
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2024, 5, 1);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
