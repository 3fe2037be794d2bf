/**
 * Issue 14: `serve` runs every harvest in a child process. With a slowed harvest running inside
 * `serve`, the API keeps answering; a harvest process SIGKILLed mid-run is recorded failed
 * (HARVEST_PROCESS_DIED), the server stays up, the next harvest succeeds and the data equals a
 * clean harvest of the same upstream; SIGTERM during a harvest ends it `interrupted` and exits 0.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../../testkit/cli.js';
import { runCli, startServe } from '../../testkit/cli.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { checkStoreInvariants, trialFingerprints } from '../../testkit/store-invariants.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

interface RunView {
  id: number;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  created: number;
}

describe.each(storeKinds())('harvests in a child process of serve on %s', (kind) => {
  let store: TestStore;
  let reference: TestStore;
  let upstream: FakeUpstream;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    reference = await createTestStore(kind);
    upstream = await startFakeUpstream();
    env = {
      KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
      KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
      KR_ICREAT_SERVICE_KEY: 'test',
      KR_ICREAT_UDDI: upstream.kr.uddi,
      KR_ICREAT_PER_PAGE: '10',
      BOOTSTRAP_SNAPSHOT: 'false',
      ADMIN_TOKEN,
    };
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
    await reference.drop();
  });

  async function startHarvest(url: string): Promise<number> {
    const response = await fetch(`${url}/api/v1/harvests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'kr-icreat', mode: 'full' }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    return ((await response.json()) as { runId: number }).runId;
  }

  async function run(url: string, id: number): Promise<RunView> {
    const response = await fetch(`${url}/api/v1/harvests/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as RunView;
  }

  async function waitForEnd(url: string, id: number, timeoutMs = 60_000): Promise<RunView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const view = await run(url, id);
      if (view.status !== 'running') return view;
      if (Date.now() > until) throw new Error(`run ${id} still running after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** The pid of the process holding a run: the holder is `host:pid:random`. */
  async function harvestPid(id: number): Promise<number> {
    const row = await store.db
      .selectFrom('harvest_runs')
      .select('holder')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.holder?.split(':')[1]);
  }

  /** The run ended `interrupted` by its own process, and no lease is left behind. */
  async function expectInterruptedAndFree(id: number): Promise<void> {
    const row = await store.db
      .selectFrom('harvest_runs')
      .select(['status', 'error_code'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'interrupted', error_code: 'HARVEST_INTERRUPTED' });
    expect(await store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
  }

  /** Requests the API while `until` is pending; every one must answer 200 within 2 s. */
  async function hammer(
    url: string,
    until: Promise<unknown>,
  ): Promise<{ answered: number; failures: string[] }> {
    let done = false;
    void until.finally(() => (done = true));
    const failures: string[] = [];
    let answered = 0;
    while (!done) {
      for (const path of [
        '/healthz',
        '/api/v1/trials?limit=5',
        '/api/v1/trials/C130011',
        '/api/v1/harvests?limit=3',
      ]) {
        try {
          const response = await fetch(url + path, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          if (response.status === 200 || (path.endsWith('C130011') && response.status === 404)) answered++;
          else failures.push(`${path}: ${response.status}`);
        } catch (error) {
          failures.push(`${path}: ${(error as Error).message}`);
        }
      }
      await sleep(20);
    }
    return { answered, failures };
  }

  it('keeps answering while a harvest process is killed, records it failed, and the next harvest succeeds', async () => {
    // Slow pages: the harvest lasts several seconds, so the kill lands mid-run.
    upstream.injectFault({ kind: 'delay', ms: 300 }, { match: '/api/3074271', times: 8 });
    const serve: ServeProcess = startServe({ ...env, DATABASE_URL: store.url, HARVEST_MAX_HEAP_MB: '256' }, [
      '--no-scheduler',
    ]);
    try {
      const url = await serve.url;
      const first = await startHarvest(url);
      const pid = await harvestPid(first);
      expect(pid).toBeGreaterThan(0);
      expect(pid).not.toBe(serve.child.pid);
      // Background work: the harvest process runs at a lower priority than the API (nice 10).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])).toBe(10);
      // HARVEST_MAX_HEAP_MB reaches the harvest process as its heap limit.
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=256');

      const ended = (async () => {
        await sleep(700);
        process.kill(pid, 'SIGKILL');
        return waitForEnd(url, first);
      })();
      const load = await hammer(url, ended);
      const killed = await ended;
      expect(load.failures).toEqual([]);
      expect(load.answered).toBeGreaterThan(20);
      expect(killed.status).toBe('failed');
      expect(killed.errorCode).toBe('HARVEST_PROCESS_DIED');
      expect(killed.errorMessage).toMatch(/SIGKILL/);
      expect(serve.child.exitCode).toBeNull();

      upstream.clearFaults();
      const second = await startHarvest(url);
      const finished = await waitForEnd(url, second);
      expect(finished.status, JSON.stringify(finished)).toBe('succeeded');
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited, serve.output()).toBe(0);
    }

    expect(await checkStoreInvariants(store)).toEqual([]);
    const clean = await runCli(['harvest', '--source', 'kr-icreat', '--full'], {
      ...env,
      DATABASE_URL: reference.url,
    });
    expect(clean.code, clean.stderr).toBe(0);
    const fingerprints = await trialFingerprints(store);
    expect(fingerprints.length).toBe(145);
    expect(fingerprints).toEqual(await trialFingerprints(reference));
  });

  it('stops a running harvest at a record boundary on SIGTERM and exits 0', async () => {
    upstream.injectFault({ kind: 'delay', ms: 300 }, { match: '/api/3074271', times: 8 });
    const serve = startServe({ ...env, DATABASE_URL: store.url }, ['--no-scheduler']);
    let id: number;
    try {
      const url = await serve.url;
      id = await startHarvest(url);
      await sleep(500);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited, serve.output()).toBe(0);
    upstream.clearFaults();
    await expectInterruptedAndFree(id);
  });

  it('lets its harvest process record the run interrupted and free the lease when the server dies', async () => {
    upstream.injectFault({ kind: 'delay', ms: 300 }, { match: '/api/3074271', times: 8 });
    const serve = startServe({ ...env, DATABASE_URL: store.url }, ['--no-scheduler']);
    const url = await serve.url;
    const id = await startHarvest(url);
    const pid = await harvestPid(id);
    await sleep(500);
    serve.child.kill('SIGKILL');
    await serve.exited;
    // The harvest process sees its parent go (the IPC channel closes) and stops at a record boundary.
    const until = Date.now() + 30_000;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < until) await sleep(100);
    expect(alive()).toBe(false);
    upstream.clearFaults();
    await expectInterruptedAndFree(id);
    const next = await runCli(['harvest', '--source', 'kr-icreat'], { ...env, DATABASE_URL: store.url });
    expect(next.code, next.stderr).toBe(0);
  });
});
