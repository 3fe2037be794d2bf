/**
 * Issue 15, item 8: every answer is problem+json with the security headers, including what Node's
 * HTTP parser answers before Fastify sees a request, and a 413 on a keep-alive connection can be
 * read. Real sockets throughout: `inject` bypasses Node's parser (and normalises `.` segments).
 */
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore } from '../support/test-store.js';
import { koreanSnapshot, koreanTrial, Seeder } from '../api/support/seed.js';
import { T0, TEST_SOURCES, testConfig } from '../api/support/test-app.js';
import { exchange, expectSecurityHeaders, parseAnswers } from '../support/raw-http.js';

describe('answers at the edge of HTTP, over real sockets', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let port: number;
  let trialId: string;

  beforeAll(async () => {
    store = await createTestStore('sqlite');
    const records = koreanSnapshot().slice(0, 2);
    trialId = records[0]!['과제번호'];
    await new Seeder(store.db, T0).createMany(records.map(koreanTrial));
    app = await buildApp({
      config: { ...testConfig(store), adminToken: 'edge-admin-token-0123456789', bodyLimitBytes: 65_536 },
      store,
      sources: TEST_SOURCES,
      now: () => T0,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  const get = (target: string, headers = '') =>
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;

  it("answers what Node's parser refuses as problem+json with the security headers and Connection: close", async () => {
    const manyParameters = Array.from({ length: 2_000 }, (_, i) => `parameter${i}=value${i}`).join('&');
    const cases: [string, string, number, string][] = [
      ['a URL over 16 KB', get(`/api/v1/trials?q=${'a'.repeat(17_000)}`), 431, 'HEADERS_TOO_LARGE'],
      ['2,000 parameters', get(`/api/v1/trials?${manyParameters}`), 431, 'HEADERS_TOO_LARGE'],
      [
        'a huge Accept',
        get('/api/v1/trials', `Accept: ${'text/html, '.repeat(2_000)}\r\n`),
        431,
        'HEADERS_TOO_LARGE',
      ],
      [
        'a huge If-None-Match',
        get(`/api/v1/trials/${trialId}`, `If-None-Match: ${'"abc", '.repeat(3_000)}\r\n`),
        431,
        'HEADERS_TOO_LARGE',
      ],
      ['a control character in a header', get('/healthz', 'X-Odd: a\u0001b\r\n'), 400, 'MALFORMED_REQUEST'],
      ['bytes that are not HTTP', '\u0000\u0001\u0002 not http\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ];
    for (const [label, request, status, code] of cases) {
      const answers = parseAnswers(await exchange(port, request));
      expect(answers, label).toHaveLength(1);
      const [answer] = answers;
      expect(answer!.status, label).toBe(status);
      expect(answer!.headers['content-type'], label).toMatch(/^application\/problem\+json/);
      expect(answer!.headers.connection, label).toBe('close');
      expectSecurityHeaders(answer!.headers);
      expect(JSON.parse(answer!.body), label).toMatchObject({ status, code });
    }
  });

  it('answers a pipelined good request before the bad one that follows it', async () => {
    const answers = parseAnswers(
      await exchange(
        port,
        `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nX-Odd: \u0001\r\n\r\n`,
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 400]);
    expect(JSON.parse(answers[0]!.body)).toEqual({ status: 'ok' });
  });

  it('lets a keep-alive client read the 413 of each oversized body and reuse the connection', async () => {
    const body = 'x'.repeat(200_000);
    const post = `POST /api/v1/harvests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const socket = connect(port, '127.0.0.1');
    const errors: string[] = [];
    let received = '';
    socket.on('error', (error) => errors.push(error.message));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const answersSoFar = async (count: number) => {
      for (let i = 0; i < 100 && parseAnswers(received).length < count; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      return parseAnswers(received);
    };
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(post);
    expect((await answersSoFar(1)).map((answer) => answer.status)).toEqual([413]);
    socket.write(post);
    expect((await answersSoFar(2)).map((answer) => answer.status)).toEqual([413, 413]);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const answers = await answersSoFar(3);
    socket.destroy();
    expect(errors).toEqual([]);
    expect(answers.map((answer) => answer.status)).toEqual([413, 413, 200]);
    expect(JSON.parse(answers[1]!.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expectSecurityHeaders(answers[1]!.headers);
  });

  it('answers a path with dot or empty segments, or bad encoding, with 400 and the security headers', async () => {
    for (const target of [
      '/api/v1/trials/%E0%A4%A',
      `/api/v1/trials/${'R'.repeat(300)}`,
      '/docs/static/./index.html',
      '/docs/static/../index.html',
      '/docs/static//index.html',
    ]) {
      const [answer] = parseAnswers(await exchange(port, get(target)));
      expect(answer?.status, target).toBe(400);
      expect(JSON.parse(answer!.body), target).toMatchObject({ code: 'VALIDATION_FAILED' });
      expectSecurityHeaders(answer!.headers);
    }
  });

  it('takes only canonical decimal integers in paths and query strings', async () => {
    for (const target of [
      `/api/v1/trials/${trialId}/versions/0x1`,
      `/api/v1/trials/${trialId}/versions/%201`,
      `/api/v1/trials/${trialId}/versions/1e0`,
      `/api/v1/trials/${trialId}/versions/01`,
      `/api/v1/trials/${trialId}/versions/+1`,
      '/api/v1/harvests/0x1',
      '/api/v1/trials?limit=0x2',
      '/api/v1/trials?limit=%202',
    ]) {
      const [answer] = parseAnswers(await exchange(port, get(target)));
      expect(answer?.status, target).toBe(400);
      expect(JSON.parse(answer!.body), target).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const [ok] = parseAnswers(await exchange(port, get(`/api/v1/trials/${trialId}/versions/1`)));
    expect(ok?.status).toBe(200);
  });
});
