/**
 * Issue 9, part 4: upstream keys and the admin token never leave the process. Keys are planted
 * (with characters that URL encoding changes), the fake upstream is made to echo them back in its
 * error bodies, and every output is collected and searched for them, raw and encoded: the built
 * CLI's stdout and stderr at debug level (successful and failed harvests, the key sent in the
 * header and in the query string, `sources`), a `serve` process's logs and its answers
 * (`/api/v1/sources`, `/api/v1/harvests`, `/metrics`, `/readyz`, `/openapi.json`, admin errors),
 * and every row of the run records, the source state and the leases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../../testkit/cli.js';
import { CRIS_FAKE_PATH } from '../../testkit/fake-cris.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { KR_FAKE_LAST_KNOWN_UDDI, startFakeUpstream } from '../../testkit/fake-upstream.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const KR_KEY = 'Pl4nted/Kr+Key==7f3a9c1e5b';
const CRIS_KEY = 'Pl4nted+Cris/Key=9d8e7f3c';
const ADMIN_TOKEN = 'planted-admin-token-4b8d2e6f0a1c';
const SECRETS = [KR_KEY, CRIS_KEY, ADMIN_TOKEN];

/** Every form a secret could take in a URL, a header or JSON. */
function forms(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ k: secret }).toString().slice(2),
      encodeURIComponent(encodeURIComponent(secret)),
      JSON.stringify(secret).slice(1, -1),
      // The distinctive middle part, in case only a piece is shown.
      secret.slice(3, -3),
    ]),
  ];
}

function findLeaks(outputs: Record<string, string>): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(outputs)) {
    for (const secret of SECRETS) {
      for (const form of forms(secret)) {
        const at = text.indexOf(form);
        if (at >= 0) leaks.push(`${where}: "${text.slice(Math.max(0, at - 80), at + form.length + 40)}"`);
      }
    }
  }
  return leaks;
}

describe.each(storeKinds())('no secret in any output on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let env: Record<string, string>;
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream({ kr: { expectedKey: KR_KEY }, cris: { expectedKey: CRIS_KEY } });
    env = {
      DATABASE_URL: store.url,
      LOG_LEVEL: 'debug',
      SOURCES: 'kr-icreat,cris',
      BOOTSTRAP_SNAPSHOT: 'false',
      ADMIN_TOKEN,
      KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
      KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
      KR_ICREAT_SERVICE_KEY: KR_KEY,
      KR_ICREAT_UDDI: KR_FAKE_LAST_KNOWN_UDDI,
      KR_ICREAT_RETRIES: '1',
      KR_ICREAT_BACKOFF_MS: '10',
      CRIS_BASE_URL: upstream.cris.baseUrl,
      CRIS_SERVICE_KEY: CRIS_KEY,
      CRIS_RETRIES: '1',
      CRIS_BACKOFF_MS: '10',
      CRIS_MIN_INTERVAL_MS: '0',
    };
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
  });

  const cli = async (name: string, args: string[], extra: Record<string, string> = {}) => {
    const result = await runCli(args, { ...env, ...extra });
    outputs[`${name} stdout`] = result.stdout;
    outputs[`${name} stderr`] = result.stderr;
    return result;
  };

  it(
    'keeps the keys and the token out of the CLI, the server, the API, the metrics and the database',
    { timeout: 120_000 },
    async () => {
      // 1. Harvests that succeed, with the key in the header (kr-icreat) and in the query (cris).
      const ok = await cli('harvest ok', ['harvest', '--source', 'kr-icreat', '--source', 'cris']);
      expect(ok.code, `${ok.stdout}\n${ok.stderr}`).toBe(0);

      // 2. Upstreams that echo the key back in their error bodies.
      const echo = `invalid key ${KR_KEY} (${encodeURIComponent(KR_KEY)})`;
      upstream.injectFault(
        { kind: 'respond', status: 401, body: JSON.stringify({ code: -401, msg: echo }) },
        { match: '/api/3074271', times: 1 },
      );
      upstream.injectFault(
        {
          kind: 'respond',
          status: 200,
          contentType: 'text/xml;charset=UTF-8',
          body: `<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR ${CRIS_KEY}</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>`,
        },
        { match: CRIS_FAKE_PATH, times: 1 },
      );
      const echoed = await cli('harvest echoed', ['harvest', '--source', 'kr-icreat', '--source', 'cris']);
      expect(echoed.code).toBe(1);
      expect(echoed.stdout).toMatch(/kr-icreat: failed/);
      expect(echoed.stdout).toMatch(/cris: failed/);

      // 3. The key in the URL, and a server error that puts the URL in the message (after retries).
      upstream.injectFault({ kind: 'html', status: 503 }, { match: '/api/3074271', times: 2 });
      const inQuery = await cli('harvest key in query', ['harvest', '--source', 'kr-icreat'], {
        KR_ICREAT_KEY_IN: 'query',
      });
      expect(inQuery.code).toBe(1);
      expect(inQuery.stdout).toMatch(/serviceKey=/);
      // 4. Text bodies that are not JSON at all, quoting the key.
      upstream.injectFault(
        { kind: 'not-json', body: `error for serviceKey=${KR_KEY}` },
        { match: '/api/3074271' },
      );
      await cli('harvest not json', ['harvest', '--source', 'kr-icreat'], { KR_ICREAT_KEY_IN: 'query' });
      await cli('sources', ['sources']);

      // 5. The server: its answers and its logs, admin errors and an admin-started harvest included.
      const server = startServe(env, ['--no-scheduler']);
      try {
        const base = await server.url;
        const get = async (path: string, headers: Record<string, string> = {}) => {
          const response = await fetch(`${base}${path}`, { headers });
          outputs[`GET ${path}`] = `${JSON.stringify([...response.headers])}\n${await response.text()}`;
          return response;
        };
        const post = async (name: string, headers: Record<string, string>, body: unknown) => {
          const response = await fetch(`${base}/api/v1/harvests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(body),
          });
          outputs[`POST ${name}`] = `${JSON.stringify([...response.headers])}\n${await response.text()}`;
          return response;
        };
        expect((await get('/api/v1/sources')).status).toBe(200);
        await get('/api/v1/sources/kr-icreat');
        await get('/api/v1/sources/cris');
        expect((await get('/metrics')).status).toBe(200);
        await get('/readyz');
        await get('/openapi.json');
        expect((await post('no token', {}, { source: 'kr-icreat' })).status).toBe(401);
        expect(
          (await post('wrong token', { authorization: `Bearer ${ADMIN_TOKEN}x` }, { source: 'kr-icreat' }))
            .status,
        ).toBe(403);
        expect(
          (await post('token in body', {}, { source: 'kr-icreat', token: ADMIN_TOKEN, key: KR_KEY })).status,
        ).toBeGreaterThanOrEqual(400);
        upstream.injectFault(
          { kind: 'respond', status: 401, body: JSON.stringify({ code: -401, msg: echo }) },
          { match: '/api/3074271', times: 1 },
        );
        const started = await post(
          'admin',
          { authorization: `Bearer ${ADMIN_TOKEN}` },
          { source: 'kr-icreat', mode: 'full' },
        );
        expect(started.status).toBe(202);
        // Wait for the admin-started harvest to be recorded.
        for (let i = 0; i < 100; i++) {
          const runs = (await (await fetch(`${base}/api/v1/harvests?limit=1`)).json()) as {
            items: { status: string }[];
          };
          if (runs.items[0]?.status !== 'running') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await get('/api/v1/harvests?limit=100');
        await get('/metrics?x=1');
        await get(`/api/v1/trials?q=${encodeURIComponent(KR_KEY.slice(3, -3))}x`);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        outputs['serve logs'] = server.output();
      }
      // Request logs are part of what is searched.
      expect(outputs['serve logs']).toMatch(/incoming request/);

      // 6. Everything the database keeps about runs, state and leases.
      for (const table of ['harvest_runs', 'source_state', 'leases'] as const) {
        outputs[`table ${table}`] = JSON.stringify(await store.db.selectFrom(table).selectAll().execute());
      }
      expect(outputs['table harvest_runs']).toMatch(/UPSTREAM_KEY_INVALID/);

      // The test searches what it should: the planted values are really in the upstream's traffic.
      expect(upstream.requests.some((request) => request.headers.authorization === `Infuser ${KR_KEY}`)).toBe(
        true,
      );
      expect(upstream.requests.some((request) => request.query.serviceKey === CRIS_KEY)).toBe(true);
      expect(Object.keys(outputs).length).toBeGreaterThan(20);
      expect(findLeaks(outputs)).toEqual([]);
    },
  );
});
