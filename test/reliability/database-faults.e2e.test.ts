/**
 * Issue 15 (items 4, 6, 9): PostgreSQL failing under a running `trialwatch serve` and CLI, with real
 * processes. Connections are dropped with `pg_terminate_backend` on this test's own database only,
 * and the network is made to drop packets with a TCP proxy on 127.0.0.1 (the server others use is
 * never stopped). The process must keep running, answer every request 2xx or 503 with a code and
 * Retry-After in time, recover on its own, and record a harvest hit by a drop as a clean failure.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import type { ServeProcess } from '../../testkit/cli.js';
import { runCli, startServe } from '../../testkit/cli.js';
import type { TcpProxy } from '../../testkit/tcp-proxy.js';
import { startTcpProxy } from '../../testkit/tcp-proxy.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore } from '../support/test-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const postgres = process.env.TEST_POSTGRES_URL !== undefined && process.env.TEST_POSTGRES_URL !== '';

interface Answer {
  path: string;
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  ms: number;
}

async function ask(base: string, path: string, timeoutMs = 20_000): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(base + path, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await response.text();
  let code: string | undefined;
  if (response.status >= 400) code = (JSON.parse(body) as { code?: string }).code;
  return {
    path,
    status: response.status,
    code,
    retryAfter: response.headers.get('retry-after'),
    ms: Date.now() - started,
  };
}

/** Terminates every backend connected to `database` but the caller's and `spare`'s; how many it ended. */
async function dropConnections(admin: pg.Client, database: string, spare: number[] = []): Promise<number> {
  const result = await admin.query<{ ended: boolean }>(
    'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and pid <> all($2::int[])',
    [database, spare],
  );
  return result.rows.filter((row) => row.ended).length;
}

/** Harvest runs a drop hit: failed naming the database, or abandoned when even that could not be written. */
const HIT_RUNS =
  "select count(*)::int as n from harvest_runs where (status = 'failed' and error_code = 'DATABASE_UNAVAILABLE') or status = 'abandoned'";

function krEnv(upstream: FakeUpstream): Record<string, string> {
  return {
    KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
    KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
    KR_ICREAT_SERVICE_KEY: 'test',
    KR_ICREAT_UDDI: upstream.kr.uddi,
    KR_ICREAT_PER_PAGE: '10',
    KR_ICREAT_TIMEZONE: 'UTC',
    BOOTSTRAP_SNAPSHOT: 'false',
  };
}

describe.skipIf(!postgres)('PostgreSQL faults under trialwatch serve', () => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    database = new URL(store.url).pathname.slice(1);
    upstream = await startFakeUpstream();
    // Slow pages: every harvest spans many drops.
    upstream.injectFault({ kind: 'delay', ms: 150 }, { match: '/api/3074271', times: Infinity });
    admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await upstream?.close();
    await store?.drop();
  });

  it('keeps serving through 20+ connection drops under load: every answer 2xx or 503, 0 exits, harvests fail cleanly and the next one succeeds', async () => {
    const server: ServeProcess = startServe({
      DATABASE_URL: store.url,
      ...krEnv(upstream),
      KR_ICREAT_SCHEDULE: '*/2 * * * * *',
      HARVEST_LEASE_TTL_MS: '2000',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    let exitedEarly: number | null | undefined;
    void server.exited.then((code) => (exitedEarly = code));
    const base = await server.url;
    const answers: Answer[] = [];
    const failures: string[] = [];
    let stop = false;
    const paths = [
      '/api/v1/trials?limit=5',
      '/api/v1/changes?limit=5',
      '/api/v1/harvests?limit=3',
      '/api/v1/sources',
      '/readyz',
    ];
    const worker = async (offset: number) => {
      for (let i = offset; !stop; i++) {
        const path = paths[i % paths.length]!;
        try {
          answers.push(await ask(base, path));
        } catch (error) {
          failures.push(`${path}: ${(error as Error).message}`);
        }
      }
    };
    try {
      // A first harvest gives the reads something to read.
      await sleep(3_000);
      const load = Promise.all([0, 1, 2, 3, 4, 5].map(worker));
      let drops = 0;
      let dropped = 0;
      const until = Date.now() + 12_000;
      while (drops < 20 || Date.now() < until) {
        await sleep(150);
        const ended = await dropConnections(admin, database);
        if (ended > 0) drops++;
        dropped += ended;
        if (Date.now() > until + 30_000) break;
      }
      // A drop between two queries costs a harvest nothing (the pool reconnects), so on a busy
      // machine the spaced drops above may all miss one. Make one land mid-query, still under load:
      // a watcher on the store database holds the harvest's write tables in EXCLUSIVE mode (reads
      // go on), and the backend that queues behind it is terminated while its statement waits.
      const watcher = new pg.Client({ connectionString: store.url });
      await watcher.connect();
      try {
        const spare = (await watcher.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
        const hitUntil = Date.now() + 60_000;
        while ((await watcher.query<{ n: number }>(HIT_RUNS)).rows[0]!.n === 0 && Date.now() < hitUntil) {
          await watcher.query('begin');
          await watcher.query('lock table trials, trial_seen, source_state in exclusive mode');
          let ended = 0;
          const lockUntil = Date.now() + 5_000;
          while (ended === 0 && Date.now() < lockUntil) {
            await sleep(50);
            const result = await admin.query<{ ended: boolean }>(
              "select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and wait_event_type = 'Lock' and pid <> $2",
              [database, spare],
            );
            ended = result.rows.filter((row) => row.ended).length;
          }
          await watcher.query('rollback');
          dropped += ended;
          // The run records its failure on a fresh connection, or the sweeper marks it abandoned.
          const recordedUntil = Date.now() + 5_000;
          while (
            (await watcher.query<{ n: number }>(HIT_RUNS)).rows[0]!.n === 0 &&
            Date.now() < recordedUntil
          ) {
            await sleep(100);
          }
        }
      } finally {
        await watcher.end();
      }
      stop = true;
      await load;
      expect(exitedEarly, server.output()).toBeUndefined();
      expect(drops).toBeGreaterThanOrEqual(20);
      expect(dropped).toBeGreaterThanOrEqual(20);
      expect(failures).toEqual([]);
      const bad = answers.filter(
        (a) =>
          !(a.status >= 200 && a.status < 300) &&
          !(
            a.status === 503 &&
            ['DATABASE_UNAVAILABLE', 'NOT_READY'].includes(a.code ?? '') &&
            a.retryAfter !== null
          ),
      );
      expect(bad).toEqual([]);
      expect(answers.length).toBeGreaterThan(100);
      expect(server.output()).not.toContain("Unhandled 'error' event");

      // The pool recovers without a restart, and harvests take over again.
      await sleep(500);
      for (const path of paths) expect((await ask(base, path)).status, path).toBe(200);
      const droppedAt = Date.now();
      let succeededAfter = false;
      while (!succeededAfter && Date.now() < droppedAt + 20_000) {
        await sleep(500);
        const runs = await store.db
          .selectFrom('harvest_runs')
          .selectAll()
          .where('started_at', '>', droppedAt)
          .execute();
        succeededAfter = runs.some((run) => run.status === 'succeeded');
      }
      const seen = await store.db
        .selectFrom('harvest_runs')
        .select(['id', 'status', 'error_code', 'error_message', 'started_at', 'finished_at'])
        .execute();
      const leases = await store.db.selectFrom('leases').selectAll().execute();
      const context = { droppedAt, seen, leases, output: server.output().slice(-4000) };
      expect(succeededAfter, JSON.stringify(context, null, 1)).toBe(true);
    } finally {
      stop = true;
      server.child.kill('SIGTERM');
    }
    expect(await server.exited, server.output()).toBe(0);
    // A run hit by a drop is a clean failure naming the database, never INTERNAL; one whose own
    // failure could not be recorded (the drop hit that too) is marked abandoned by the sweeper.
    const runs = await store.db.selectFrom('harvest_runs').selectAll().execute();
    const hit = runs.filter(
      (run) =>
        (run.status === 'failed' && run.error_code === 'DATABASE_UNAVAILABLE') || run.status === 'abandoned',
    );
    expect(
      hit.length,
      JSON.stringify(runs.map((run) => [run.status, run.error_code, run.error_message])),
    ).toBeGreaterThanOrEqual(1);
    expect(runs.filter((run) => run.error_code === 'INTERNAL')).toEqual([]);
    expect(runs.filter((run) => run.status === 'running')).toEqual([]);
  }, 120_000);

  it('prints one line, not a stack, when a CLI harvest loses its connection', async () => {
    const cli = runCli(['harvest', '--source', 'kr-icreat', '--full'], {
      DATABASE_URL: store.url,
      ...krEnv(upstream),
      HARVEST_LEASE_TTL_MS: '2000',
    });
    let done = false;
    void cli.then(() => (done = true));
    let drops = 0;
    // Past the migrations (once its run is recorded), then often enough that a drop lands while the
    // harvest holds its connection.
    const runsBefore = (await store.db.selectFrom('harvest_runs').select('id').execute()).length;
    const startedUntil = Date.now() + 20_000;
    while (!done && Date.now() < startedUntil) {
      const runs = await store.db.selectFrom('harvest_runs').select('id').execute();
      if (runs.length > runsBefore) break;
      await sleep(20);
    }
    while (!done) {
      drops += await dropConnections(admin, database);
      await sleep(20);
    }
    const result = await cli;
    expect(drops).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).not.toMatch(/Unhandled|^\s+at /m);
    const lines = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('trialwatch:') || line.includes('failed'));
    expect(`${result.stdout}${lines.join('\n')}`).toMatch(/DATABASE_UNAVAILABLE|not reachable/);
  }, 60_000);

  describe('behind a network that drops packets', () => {
    let proxy: TcpProxy;
    let server: ServeProcess;
    let base: string;

    beforeAll(async () => {
      const target = new URL(store.url);
      proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(target.port || 5432) });
      target.host = `127.0.0.1:${proxy.port}`;
      server = startServe(
        {
          DATABASE_URL: target.toString(),
          ...krEnv(upstream),
          REQUEST_TIMEOUT_MS: '6000',
          RATE_LIMIT_PER_MINUTE: '0',
        },
        ['--no-scheduler'],
      );
      base = await server.url;
    });
    afterAll(async () => {
      server?.child.kill('SIGTERM');
      await server?.exited;
      await proxy?.close();
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After within the request timeout, /readyz and /metrics within a second, and recovers after a reset', async () => {
      // Warm: the pool holds connections that will go silent.
      await Promise.all(Array.from({ length: 10 }, () => ask(base, '/api/v1/trials?limit=5')));
      expect((await ask(base, '/readyz')).status).toBe(200);
      proxy.mode = 'blackhole';

      const paths = [
        '/api/v1/trials?limit=5',
        '/api/v1/changes?limit=5',
        '/api/v1/sources',
        '/api/v1/harvests',
      ];
      const parallel = Promise.all(Array.from({ length: 14 }, (_, i) => ask(base, paths[i % paths.length]!)));
      const ready = await ask(base, '/readyz');
      const started = Date.now();
      const metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5_000) });
      const metricsMs = Date.now() - started;
      const metricsText = await metrics.text();
      const answers = await parallel;

      expect(ready).toMatchObject({ status: 503, code: 'NOT_READY' });
      expect(ready.ms).toBeLessThan(1_500);
      expect(metrics.status).toBe(200);
      expect(metricsMs).toBeLessThan(1_500);
      expect(metricsText).toMatch(/^trialwatch_database_up 0$/m);
      expect(metricsText).toMatch(/^trialwatch_http_request_duration_seconds_count\{/m);
      for (const answer of answers) {
        expect(answer, JSON.stringify(answer)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
        expect(answer.retryAfter).not.toBeNull();
        expect(answer.ms).toBeLessThan(6_000);
      }

      // The freeze ends with a reset: the pool opens fresh connections, no restart.
      proxy.reset();
      proxy.mode = 'forward';
      const recoveredBy = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < recoveredBy) {
        status = (await ask(base, '/api/v1/trials?limit=5')).status;
        if (status !== 200) await sleep(200);
      }
      expect(status).toBe(200);
      for (const path of paths) expect((await ask(base, path)).status, path).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^trialwatch_database_up 1$/m);
      expect(server.child.exitCode).toBeNull();
    }, 60_000);
  });
});
