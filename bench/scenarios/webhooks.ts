/**
 * Webhook fan-out (issue 18): the real CLI, `trialwatch serve --no-scheduler` (its deliveries in
 * its own child process, bin/webhook-worker.ts), on a database holding N ctgov studies (so N
 * `trial.created` change events, written by the harvest service from generated pages a day ago),
 * with 10 endpoints created at position 0 (each wants every event: 10 × N deliveries) and paused,
 * pointing at a receiver in its own process (bench/procs/webhook-receiver.ts: counts, checks the
 * order per endpoint, verifies 1 in 100 signatures with `standardwebhooks`).
 *
 * 1. idle: wrk (`-t1 -c4`) on get-one while nothing is delivered;
 * 2. fan-out: the endpoints are resumed (PATCH, admin API) and wrk runs on get-one at once, while
 *    the backlog drains; deliveries/s = 10 × N / (last delivery − resume);
 * 3. live: a harvest in its own process (like `trialwatch harvest`, on the same database) changes
 *    5% of the studies now, while `serve` is otherwise idle; commit-to-delivery of every delivery
 *    of those events, two ways: receive time − the change's recorded time (`occurredAt`, which the
 *    harvest stamps before its transaction commits), and receive time − when this process first saw
 *    the event's seq in the feed (it polls the head every 50 ms: the commit, to 50 ms).
 */
import { buildConfig } from '../../src/config/config.js';
import { DEFAULT_SOURCES, sourceConfigParsers } from '../../src/sources/registry.js';
import { latestChangeSeq } from '../../src/store/change.repository.js';
import { openStore } from '../../src/store/database.js';
import { insertEndpoint, updateEndpoint } from '../../src/store/webhook.repository.js';
import { WEBHOOK_EVENT_TYPES } from '../../src/domain/webhook.types.js';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import type { HarvestCall } from '../procs/harvest-worker.js';
import type { LoadOutcome } from '../procs/load-generator.js';
import type { LatencyStats, ReceiverStats } from '../procs/webhook-receiver.js';
import { atRelease, datasetSpec } from '../dataset/dataset-spec.js';
import { ctgovStudyId } from '../dataset/ctgov-dataset.js';
import type { BenchDatabase, DbKind } from '../support/databases.js';
import { createDatabase } from '../support/databases.js';
import type { Child } from '../support/ipc.js';
import { procPath, startChild } from '../support/ipc.js';
import type { LoadRunner } from '../support/load.js';
import { describeRunner, openLoadRunner } from '../support/load.js';
import type { Results } from '../support/report.js';
import type { ServeProcess } from './api-under-harvest.js';
import { startServe } from './api-under-harvest.js';
import { harvestEnv, harvestInWorker, NO_UPSTREAM } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const DAY_MS = 86_400_000;
const ENDPOINTS = 10;
const SAMPLE_IDS = 1_000;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const CLIENT = { workers: 1, connections: 4 };
/** Release 1 changes 5% of the studies (the live phase). */
const CHANGED = [5];
/** The longest the backlog may take to drain before the run fails (ms). */
const DRAIN_TIMEOUT_MS = 30 * 60_000;

async function startReceiver(): Promise<Child<{ url: string }>> {
  return startChild<{ url: string }>(procPath('webhook-receiver.ts'), { name: 'webhook receiver' });
}

/** The endpoints, written straight to the database at position 0 (the whole backlog), paused. */
async function createEndpoints(
  database: BenchDatabase,
  receiverUrl: string,
): Promise<Record<string, string>> {
  const config = buildConfig({ DATABASE_URL: database.url }, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  const secrets: Record<string, string> = {};
  try {
    const now = Date.now();
    for (let k = 0; k < ENDPOINTS; k++) {
      const secret = newWebhookSecret();
      const id = `ep_bench_${k}`;
      await insertEndpoint(
        store.db,
        {
          id,
          url: `${receiverUrl}/hook/${k}`,
          filter: {},
          types: WEBHOOK_EVENT_TYPES,
          description: `bench endpoint ${k}`,
          secret,
          position: 0,
        },
        now + k,
      );
      await updateEndpoint(store.db, id, { paused: true }, now);
      secrets[`/hook/${k}`] = secret;
    }
  } finally {
    await store.close();
  }
  return secrets;
}

async function resumeAll(url: string): Promise<void> {
  for (let k = 0; k < ENDPOINTS; k++) {
    const response = await fetch(`${url}/api/v1/webhooks/ep_bench_${k}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paused: false }),
    });
    if (response.status !== 200)
      throw new Error(`PATCH ep_bench_${k} answered ${response.status}: ${await response.text()}`);
  }
}

async function waitForTotal(receiver: Child<{ url: string }>, total: number): Promise<ReceiverStats> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const stats = await receiver.call<ReceiverStats>('stats');
    if (stats.total >= total) return stats;
    if (Date.now() > deadline)
      throw new Error(`only ${stats.total} of ${total} deliveries arrived in ${DRAIN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls the feed's head every 50 ms and keeps when each new seq was first visible (epoch ms). */
function watchCommits(database: BenchDatabase): { visibleAt: Map<number, number>; stop(): Promise<void> } {
  const config = buildConfig({ DATABASE_URL: database.url }, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  const visibleAt = new Map<number, number>();
  let stopped = false;
  const loop = (async () => {
    let head = await latestChangeSeq(store.db);
    while (!stopped) {
      const next = await latestChangeSeq(store.db);
      const now = Date.now();
      for (let seq = head + 1; seq <= next; seq++) visibleAt.set(seq, now);
      head = next;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    visibleAt,
    async stop() {
      stopped = true;
      await loop;
      await store.close();
    },
  };
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function p99(outcome: LoadOutcome): number {
  return outcome.latencyMs.p99;
}

export const webhooksScenario: Scenario = {
  name: 'webhooks',
  description: `N change events fanned out by \`serve\` to ${ENDPOINTS} loopback endpoints; commit-to-delivery; get-one p99 idle vs during`,
  defaultN: 10_000,
  inDefaultSet: false,
  defaultDbs: 'all-available',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const ids: string[] = [];
    const count = Math.min(context.n, SAMPLE_IDS);
    for (let k = 0; k < count; k++) ids.push(ctgovStudyId(Math.floor((k * context.n) / count)));
    const load = await openLoadRunner((message) => context.log(message));
    Object.assign(results.parameters, {
      dataset: `N ctgov studies harvested a day ago (N trial.created events); release 1 changes ${CHANGED[0]}% of them now`,
      endpoints: `${ENDPOINTS}, filter {} (every event), position 0, one receiver process with a path each`,
      server:
        'node --import tsx src/bin/trialwatch.ts serve --no-scheduler; deliveries in its webhook child process (default WEBHOOK_* settings but WEBHOOK_ALLOW_PRIVATE=true)',
      loadGenerator: `${describeRunner(load, CLIENT)} on get-one, ${context.load.durationS} s per window`,
      generator: load.generator,
    });
    try {
      for (const kind of context.dbs) await runOnDatabase(context, results, load, kind, ids);
    } finally {
      await load.close();
    }
    results.note(
      'deliveries/s = 10 × N / (last delivery received − endpoints resumed); commit-to-delivery = receive time − the change event’s recorded time (stamped by the harvest before it commits, so it includes the rest of that harvest transaction), visible-to-delivery = receive time − when the bench first saw the seq (polling every 50 ms), over every delivery of the live harvest’s events; API p99 = wrk’s p99 of get-one.',
    );
  },
};

async function runOnDatabase(
  context: ScenarioContext,
  results: Results,
  load: LoadRunner,
  kind: DbKind,
  ids: readonly string[],
): Promise<void> {
  const n = context.n;
  const spec = datasetSpec(n, context.seed, CHANGED);
  const database = await createDatabase(kind, 'webhooks');
  let serve: ServeProcess | undefined;
  let receiver: Child<{ url: string }> | undefined;
  try {
    context.log(`${kind}: seed: ${n} ctgov studies (a day ago)`);
    const seedCall: HarvestCall = {
      env: harvestEnv('ctgov', NO_UPSTREAM, database.url),
      source: 'ctgov',
      mode: 'full',
      memory: { spec: atRelease(spec, 0), pageSize: 1_000, clockMs: Date.now() - DAY_MS },
    };
    const seeded = await harvestInWorker(context, seedCall, `seed-${kind}`);
    if (seeded.run.status !== 'succeeded') throw new Error(`seed: ${seeded.run.status}`);
    results.noteDatabase({ kind, version: seeded.databaseVersion, location: database.location });
    results.add(kind, 'events', 'change events in the backlog', seeded.changesAfter, 'count');

    receiver = await startReceiver();
    const secrets = await createEndpoints(database, receiver.info.url);
    await receiver.call('configure', { secrets });

    context.log(`${kind}: starting trialwatch serve`);
    serve = await startServe({
      DATABASE_URL: database.url,
      SOURCES: 'ctgov',
      ADMIN_TOKEN,
      LOG_LEVEL: context.serverLogLevel,
      BOOTSTRAP_SNAPSHOT: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_ALLOW_HTTP_HOSTS: '127.0.0.1',
    });
    const run = (durationS: number) =>
      load.run({
        baseUrl: serve!.url,
        paths: ids.map((id) => `/api/v1/trials/${id}`),
        ...CLIENT,
        durationS,
        warmupS: 0,
      });
    await run(Math.max(context.load.warmupS, 3));
    context.log(`${kind}: get-one idle`);
    const idle = await run(context.load.durationS);

    const expected = ENDPOINTS * seeded.changesAfter;
    context.log(`${kind}: fan-out of ${expected} deliveries`);
    const resumedAt = Date.now();
    await resumeAll(serve.url);
    const during = await run(context.load.durationS);
    const duringEnd = Date.now();
    const drained = await waitForTotal(receiver, expected);
    const drainMs = (drained.lastAt ?? Date.now()) - resumedAt;
    if (duringEnd > (drained.lastAt ?? 0))
      results.note(`${kind}: the fan-out ended before the “during” wrk window did (its p99 is partly idle)`);

    results.add(kind, 'deliveries', 'deliveries received (fan-out)', drained.total, 'count');
    results.add(kind, 'deliveriesPerS', 'deliveries/s (fan-out)', drained.total / (drainMs / 1000), '/s');
    results.add(kind, 'apiIdleP99', 'get-one p99, idle', p99(idle), 'ms');
    results.add(kind, 'apiDuringP99', 'get-one p99, during the fan-out', p99(during), 'ms');
    results.add(kind, 'apiRatio', 'get-one p99 during / idle', p99(during) / p99(idle), 'x');
    results.add(
      kind,
      'apiDuringRps',
      'get-one requests/s during the fan-out',
      during.requestsPerSecond,
      '/s',
    );
    results.add(kind, 'apiIdleRps', 'get-one requests/s idle', idle.requestsPerSecond, '/s');

    context.log(`${kind}: live harvest changing ${CHANGED[0]}% of the studies`);
    const liveFrom = Date.now();
    const commits = watchCommits(database);
    const live = await harvestInWorker(
      context,
      {
        env: harvestEnv('ctgov', NO_UPSTREAM, database.url),
        source: 'ctgov',
        mode: 'full',
        memory: { spec: atRelease(spec, 1), pageSize: 1_000, clockMs: Date.now() },
      },
      `live-${kind}`,
    );
    if (live.run.status !== 'succeeded') throw new Error(`live harvest: ${live.run.status}`);
    const liveEvents = live.changesAfter - seeded.changesAfter;
    const final = await waitForTotal(receiver, expected + ENDPOINTS * liveEvents).finally(() =>
      commits.stop(),
    );
    const latency = await receiver.call<LatencyStats>('latency', { sinceMs: liveFrom });
    const received = await receiver.call<[number, number][]>('received', { sinceMs: liveFrom });
    const sinceVisible = received
      .flatMap(([at, seq]) => {
        const visible = commits.visibleAt.get(seq);
        return visible === undefined ? [] : [at - visible];
      })
      .sort((a, b) => a - b);
    results.add(kind, 'liveEvents', 'change events of the live harvest', liveEvents, 'count');
    results.add(kind, 'liveDeliveries', 'their deliveries timed', latency.count, 'count');
    results.add(kind, 'commitP50', 'commit-to-delivery p50', latency.p50Ms, 'ms');
    results.add(kind, 'commitP99', 'commit-to-delivery p99', latency.p99Ms, 'ms');
    results.add(kind, 'commitMax', 'commit-to-delivery max', latency.maxMs, 'ms');
    results.add(kind, 'visibleTimed', 'deliveries timed from first visible', sinceVisible.length, 'count');
    results.add(
      kind,
      'visibleP50',
      'visible-to-delivery p50 (50 ms polls)',
      percentile(sinceVisible, 50),
      'ms',
    );
    results.add(
      kind,
      'visibleP99',
      'visible-to-delivery p99 (50 ms polls)',
      percentile(sinceVisible, 99),
      'ms',
    );
    results.add(
      kind,
      'verified',
      'signatures verified (standardwebhooks, 1 in 100)',
      final.verified,
      'count',
    );
    results.add(kind, 'unverified', 'signatures that did not verify', final.unverified, 'count');
    results.add(
      kind,
      'repeats',
      'deliveries not after the previous seq of their endpoint',
      final.repeats,
      'count',
    );
    results.add(kind, 'total', 'deliveries received in all', final.total, 'count');

    results.check(kind, 'deliveriesPerS', 'fan-out deliveries/s', '>=', 1_000, 'performance');
    results.check(kind, 'commitP99', 'commit-to-delivery p99 (idle server)', '<=', 2_000, 'performance');
    results.check(kind, 'visibleP99', 'visible-to-delivery p99 (idle server)', '<=', 2_000, 'performance');
    results.check(kind, 'apiRatio', 'get-one p99 during fan-out / idle', '<=', 2, 'performance');
    results.check(kind, 'unverified', 'every verified signature verifies', '==', 0, 'correctness');
    results.check(kind, 'repeats', 'in feed order per endpoint, no repeats', '==', 0, 'correctness');
    results.check(kind, 'deliveries', 'every backlog delivery arrived', '>=', expected, 'correctness');
  } finally {
    await serve?.stop();
    await receiver?.stop();
    await database.drop();
  }
}
