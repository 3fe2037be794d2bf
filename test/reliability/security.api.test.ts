/**
 * Issue 9, part 4: the security plugin (src/api/security/) on an app wired like the real one
 * (the real error handler first, then the plugin, then routes), through inject: security headers
 * on every answer, CORS off by default and on for listed origins only, 413 on large bodies, 429
 * with Retry-After per client, and the request time limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../src/api/error-handler.js';
import type { SecurityOptions } from '../../src/api/security/plugin.js';
import { normalizeOrigin, security } from '../../src/api/security/plugin.js';
import { RateLimiter } from '../../src/api/security/rate-limit.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function makeApp(options: SecurityOptions = {}): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  await instance.register(security, options);
  installErrorHandling(instance);
  instance.get('/api/v1/things', () => ({ items: [] }));
  instance.get('/healthz', () => ({ status: 'ok' }));
  instance.get('/docs', (_request, reply) =>
    reply.type('text/html; charset=utf-8').send('<!doctype html><p>docs'),
  );
  instance.post('/api/v1/harvests', (request) => ({ received: JSON.stringify(request.body).length }));
  instance.post('/big', { bodyLimit: 10_000_000 }, (request) => ({
    received: JSON.stringify(request.body).length,
  }));
  instance.get('/slow', async () => {
    await sleep(400);
    return { late: true };
  });
  await instance.ready();
  app = instance;
  return instance;
}

function expectProblem(response: { headers: Record<string, unknown>; json: () => unknown }, code: string) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ code });
}

describe('security headers', () => {
  it('are on every answer: success, 404, 405 and validation problems', async () => {
    const server = await makeApp();
    const answers = await Promise.all([
      server.inject({ method: 'GET', url: '/api/v1/things' }),
      server.inject({ method: 'GET', url: '/nowhere' }),
      server.inject({ method: 'DELETE', url: '/api/v1/things' }),
      server.inject({
        method: 'POST',
        url: '/api/v1/harvests',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 404, 405, 400]);
    for (const answer of answers) {
      expect(answer.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
      expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    }
  });

  it('give pages a same-origin content security policy', async () => {
    const server = await makeApp();
    const answer = await server.inject({ method: 'GET', url: '/docs' });
    expect(answer.headers['content-security-policy']).toMatch(/^default-src 'self'/);
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('CORS', () => {
  const origin = 'https://app.example.org';

  it('is off by default: no CORS header for any origin, and preflights are not answered', async () => {
    const server = await makeApp();
    const simple = await server.inject({ method: 'GET', url: '/api/v1/things', headers: { origin } });
    expect(simple.statusCode).toBe(200);
    expect(Object.keys(simple.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await server.inject({
      method: 'OPTIONS',
      url: '/api/v1/things',
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers listed origins only, preflights included', async () => {
    const server = await makeApp({ corsOrigins: [`${origin}/`, 'http://localhost:5173'] });
    const allowed = await server.inject({ method: 'GET', url: '/api/v1/things', headers: { origin } });
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(allowed.headers.vary).toMatch(/Origin/);
    expect(allowed.headers['access-control-expose-headers']).toContain('retry-after');

    const other = await server.inject({
      method: 'GET',
      url: '/api/v1/things',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers.vary).toMatch(/Origin/);

    const preflight = await server.inject({
      method: 'OPTIONS',
      url: '/api/v1/harvests',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:5173',
      'access-control-max-age': '600',
    });
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');

    const refused = await server.inject({
      method: 'OPTIONS',
      url: '/api/v1/harvests',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(refused.statusCode).toBe(405);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin with *', async () => {
    const server = await makeApp({ corsOrigins: ['*'] });
    const answer = await server.inject({
      method: 'GET',
      url: '/api/v1/things',
      headers: { origin: 'https://anywhere.example' },
    });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses an origin list entry that is not an origin', async () => {
    await expect(makeApp({ corsOrigins: ['https://example.org/path'] })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    expect(normalizeOrigin('HTTPS://Example.ORG:8443')).toBe('https://example.org:8443');
    expect(normalizeOrigin('https://example.org/')).toBe('https://example.org');
    for (const bad of [
      'example.org',
      'ftp://example.org',
      'https://user@example.org',
      'https://e.org/?x',
      '',
    ]) {
      expect(normalizeOrigin(bad), bad).toBeUndefined();
    }
  });
});

describe('request body size limit', () => {
  it('answers 413 PAYLOAD_TOO_LARGE above the limit, and lets smaller bodies through', async () => {
    const server = await makeApp({ bodyLimitBytes: 1024 });
    const small = await server.inject({
      method: 'POST',
      url: '/api/v1/harvests',
      payload: { source: 'kr-icreat', pad: 'x'.repeat(900) },
    });
    expect(small.statusCode).toBe(200);
    const large = await server.inject({
      method: 'POST',
      url: '/api/v1/harvests',
      payload: { source: 'kr-icreat', pad: 'x'.repeat(2048) },
    });
    expect(large.statusCode).toBe(413);
    expectProblem(large, 'PAYLOAD_TOO_LARGE');
    // A route that sets its own limit keeps it.
    const own = await server.inject({ method: 'POST', url: '/big', payload: { pad: 'x'.repeat(50_000) } });
    expect(own.statusCode).toBe(200);
  });

  it('has a default limit of 64 KiB', async () => {
    const server = await makeApp();
    const answer = await server.inject({
      method: 'POST',
      url: '/api/v1/harvests',
      payload: { pad: 'x'.repeat(70_000) },
    });
    expect(answer.statusCode).toBe(413);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client has used its minute, per client', async () => {
    const clock = { now: 1_000_000 };
    const server = await makeApp({ rateLimitPerMinute: 5, now: () => clock.now });
    const get = (remoteAddress = '10.0.0.1') =>
      server.inject({ method: 'GET', url: '/api/v1/things', remoteAddress });
    for (let i = 0; i < 5; i++) {
      const answer = await get();
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expectProblem(limited, 'RATE_LIMITED');
    // 5 a minute: a token every 12 s.
    expect(limited.headers['retry-after']).toBe('12');
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    // Another client is not affected; health checks are never limited.
    expect((await get('10.0.0.2')).statusCode).toBe(200);
    expect(
      (await server.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode,
    ).toBe(200);
    clock.now += 6_000;
    const stillLimited = await get();
    expect(stillLimited.statusCode).toBe(429);
    expect(stillLimited.headers['retry-after']).toBe('6');
    clock.now += 6_000;
    expect((await get()).statusCode).toBe(200);
  });

  it('counts unknown paths against the limit too: a client walking paths gets 429, not endless 404s', async () => {
    const server = await makeApp({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await server.inject({ method: 'GET', url: `/wp-admin/${i}.php` })).statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
    const limited = await server.inject({ method: 'GET', url: '/api/v1/things' });
    expect(limited.statusCode).toBe(429);
    expectProblem(limited, 'RATE_LIMITED');
  });

  it('counts a 405 (a known path, a wrong method) against the limit as well', async () => {
    const other = await makeApp({ rateLimitPerMinute: 1 });
    expect((await other.inject({ method: 'DELETE', url: '/api/v1/things' })).statusCode).toBe(405);
    expect((await other.inject({ method: 'DELETE', url: '/api/v1/things' })).statusCode).toBe(429);
  });

  it('carries the CORS headers on a 429 to an allowed origin (so the browser shows the real error)', async () => {
    const server = await makeApp({ rateLimitPerMinute: 1, corsOrigins: ['https://app.example.org'] });
    const headers = { origin: 'https://app.example.org' };
    expect((await server.inject({ method: 'GET', url: '/api/v1/things', headers })).statusCode).toBe(200);
    const limited = await server.inject({ method: 'GET', url: '/api/v1/things', headers });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['access-control-allow-origin']).toBe('https://app.example.org');
  });

  it('is off with 0', async () => {
    const server = await makeApp({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 50; i++) {
      expect((await server.inject({ method: 'GET', url: '/api/v1/things' })).statusCode).toBe(200);
    }
  });

  it('keeps a bounded number of clients', () => {
    const limiter = new RateLimiter(10, 100);
    for (let i = 0; i < 1_000; i++) limiter.take(`10.1.${i >> 8}.${i & 255}`, 0);
    expect(limiter.trackedClients).toBe(100);
  });
});

describe('request time limit', () => {
  it('answers 503 REQUEST_TIMEOUT when a handler has not answered in time', async () => {
    const server = await makeApp({ requestTimeoutMs: 100 });
    const slow = await server.inject({ method: 'GET', url: '/slow' });
    expect(slow.statusCode).toBe(503);
    expectProblem(slow, 'REQUEST_TIMEOUT');
    expect(slow.headers['retry-after']).toBe('5');
    const quick = await server.inject({ method: 'GET', url: '/api/v1/things' });
    expect(quick.statusCode).toBe(200);
    // The whole request must also arrive in time (the HTTP server's own limit, for slow senders).
    expect(server.server.requestTimeout).toBe(100);
  });

  it('leaves slow answers alone when turned off', async () => {
    const server = await makeApp({ requestTimeoutMs: 0 });
    expect((await server.inject({ method: 'GET', url: '/slow' })).statusCode).toBe(200);
  });
});
