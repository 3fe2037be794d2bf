/**
 * Issue 4's acceptance, with real processes: two `trialwatch serve` processes on one database both
 * schedule kr-icreat every few seconds for a minute — harvest runs never overlap (checked from the run
 * records) and both keep answering the API throughout; then a process killed with SIGKILL in the
 * middle of a harvest leaves nothing behind that the next harvest does not clean up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { runCli, startServe } from '../../testkit/cli.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeKinds())('two serve processes on one %s database', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream();
    // Slow pages make each harvest last a couple of seconds, so the schedules really contend.
    upstream.injectFault({ kind: 'delay', ms: 250 }, { match: '/api/3074271', times: Infinity });
    env = {
      DATABASE_URL: store.url,
      KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
      KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
      KR_ICREAT_SERVICE_KEY: 'test',
      KR_ICREAT_UDDI: upstream.kr.uddi,
      KR_ICREAT_PER_PAGE: '20',
      KR_ICREAT_SCHEDULE: '*/3 * * * * *',
      KR_ICREAT_TIMEZONE: 'UTC',
      HARVEST_LEASE_TTL_MS: '3000',
      BOOTSTRAP_SNAPSHOT: 'false',
    };
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
  });

  it('never overlaps harvests of one source and keeps serving on both for a minute', async () => {
    const servers = [startServe(env), startServe(env)];
    try {
      const urls = await Promise.all(servers.map((server) => server.url));
      const failures: string[] = [];
      let answered = 0;
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        for (const url of urls) {
          for (const path of ['/healthz', '/api/v1/trials?limit=5', '/api/v1/harvests?limit=3']) {
            try {
              const response = await fetch(url + path, { signal: AbortSignal.timeout(2_000) });
              if (response.status !== 200) failures.push(`${url}${path}: ${response.status}`);
              else answered++;
              await response.arrayBuffer();
            } catch (error) {
              failures.push(`${url}${path}: ${(error as Error).message}`);
            }
          }
        }
        await sleep(200);
      }
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(200);
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
      const codes = await Promise.all(servers.map((server) => server.exited));
      expect(codes, servers.map((s) => s.output()).join('\n')).toEqual([0, 0]);
    }

    const runs = await store.db.selectFrom('harvest_runs').selectAll().orderBy('started_at').execute();
    const finished = runs.filter((run) => run.status !== 'running');
    expect(finished.length).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1]!;
      expect(
        runs[i]!.started_at,
        `run ${runs[i]!.id} started before run ${previous.id} ended`,
      ).toBeGreaterThanOrEqual(previous.finished_at!);
    }
    // Scheduled runs end as succeeded; the one running at SIGTERM ends interrupted, never abandoned.
    for (const run of runs) expect(['succeeded', 'interrupted']).toContain(run.status);
  }, 120_000);

  it('recovers from a SIGKILL mid-harvest: the run is abandoned and the next harvest ends with a clean run’s data', async () => {
    upstream.kr.updateRecord('C130011', { 연구기간: '9년' });
    const token = 'cluster-admin-token-0123';
    const server = startServe({
      ...env,
      KR_ICREAT_SCHEDULE: '0 0 1 1 *',
      HARVEST_LEASE_TTL_MS: '60000',
      ADMIN_TOKEN: token,
    });
    const url = await server.url;
    const started = await fetch(`${url}/api/v1/harvests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'kr-icreat', mode: 'full' }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: number };
    await sleep(700); // a few of the slow pages are written
    // The whole machine's view of a crash: the server and its harvest process die at once (a server
    // killed alone lets its harvest process record the run interrupted: serve-harvest-process.e2e).
    const { holder } = await store.db
      .selectFrom('harvest_runs')
      .select('holder')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    process.kill(Number(holder?.split(':')[1]), 'SIGKILL');
    server.child.kill('SIGKILL');
    await server.exited;

    const result = await runCli(['harvest', '--source', 'kr-icreat'], {
      ...env,
      HARVEST_LEASE_TTL_MS: '60000',
    });
    expect(result.stdout + result.stderr).toMatch(/kr-icreat: succeeded/);
    const killed = await store.db
      .selectFrom('harvest_runs')
      .select('status')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(killed.status).toBe('abandoned');

    // The same upstream harvested once into a fresh database: the data must be the same.
    const clean = await createTestStore(kind);
    try {
      const reference = await runCli(['harvest', '--source', 'kr-icreat'], {
        ...env,
        DATABASE_URL: clean.url,
      });
      expect(reference.code).toBe(0);
      const rows = (db: TestStore['db']) =>
        db
          .selectFrom('trials')
          .select(['id', 'content_hash', 'removed_at', 'doc'])
          .where('removed_at', 'is', null)
          .orderBy('id')
          .execute();
      const [after, expected] = await Promise.all([rows(store.db), rows(clean.db)]);
      expect(after.map((row) => [row.id, row.content_hash, row.doc])).toEqual(
        expected.map((row) => [row.id, row.content_hash, row.doc]),
      );
      expect(after).toHaveLength(145);
    } finally {
      await clean.drop();
    }
  }, 120_000);
});
