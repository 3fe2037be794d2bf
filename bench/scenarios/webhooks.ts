/**
 * Webhook fan-out (issue 18): the real CLI, `trialwatch serve --no-scheduler` (its webhook process
 * delivers, off the API's event loop, as in production), 10 endpoints (filter `{}`: every event) on
 * 10 loopback receivers in this process, each verifying every delivery with the `standardwebhooks`
 * library; change events written by a process of their own (procs/change-writer.ts: new trials
 * through the harvest's write path, a batch per transaction, the commit time of each noted).
 *
 * Phases, one after the other on one database:
 * 1. API idle: wrk (`-t1 -c4`) on get one (`/api/v1/trials/{id}`), nothing being written or sent;
 * 2. commit to delivery, idle: a trickle of events (LATENCY_EVENTS, LATENCY_BATCH per commit every
 *    LATENCY_INTERVAL_MS), each one's time from its commit to its arrival at each receiver;
 * 3. fan-out: N events (default 10,000) committed as fast as the writer goes (FANOUT_BATCH per
 *    commit), delivered to the 10 endpoints = 10·N deliveries; deliveries/s = 10·N / (last arrival −
 *    first commit); the same wrk client runs during it (starting once the first batch is
 *    committed), `x idle p99` compares it with phase 1.
 * Checked (correctness): every endpoint received every event of the run, in feed order, each
 * verified; `in fan-out %` says how much of the measured wrk window the fan-out covered.
 * Targets (issue 18): ≥ 1,000 deliveries/s, commit-to-delivery p99 ≤ 2 s idle, API p99 during the
 * fan-out ≤ 2× idle.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import type { WriteCall, WriteOutcome } from '../procs/change-writer.js';
import type { DbKind } from '../support/databases.js';
import { createDatabase } from '../support/databases.js';
import { procPath, startChild } from '../support/ipc.js';
import type { LoadRunner } from '../support/load.js';
import { describeRunner, openLoadRunner } from '../support/load.js';
import type { Results } from '../support/report.js';
import type { ServeProcess } from '../support/serve.js';
import { startServe } from '../support/serve.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const ENDPOINTS = 10;
const CLIENT = { workers: 1, connections: 4 };
/** Trials written before anything is measured: get one's ids, and the endpoints' first messages. */
const WARM_EVENTS = 100;
const LATENCY_EVENTS = 200;
const LATENCY_BATCH = 2;
const LATENCY_INTERVAL_MS = 100;
const FANOUT_BATCH = 500;
const DELIVERY_TIMEOUT_MS = 30 * 60_000;

interface Arrival {
  seq: number;
  atMs: number;
}

interface Receiver {
  url: string;
  secret: string;
  arrivals: Arrival[];
  unverified: number;
  server: Server;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', secret: '', arrivals: [], unverified: 0, server: createServer() };
  let verifier: Webhook | undefined;
  receiver.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const atMs = Date.now();
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [key, String(value)]),
      );
      try {
        verifier ??= new Webhook(receiver.secret);
        const payload = verifier.verify(Buffer.concat(chunks).toString('utf8'), headers) as {
          data: { seq: number };
        };
        receiver.arrivals.push({ seq: payload.data.seq, atMs });
        response.writeHead(204).end();
      } catch {
        receiver.unverified++;
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  return receiver;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

async function admin(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Waits until every receiver has every seq up to `upTo` at least once. */
async function waitDelivered(receivers: readonly Receiver[], upTo: number, from: number): Promise<void> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  const want = upTo - from + 1;
  for (;;) {
    const counts = receivers.map(
      (receiver) =>
        new Set(receiver.arrivals.filter((a) => a.seq >= from && a.seq <= upTo).map((a) => a.seq)).size,
    );
    if (counts.every((count) => count >= want)) return;
    if (Date.now() > deadline)
      throw new Error(
        `deliveries missing after ${DELIVERY_TIMEOUT_MS / 60_000} min: ${counts.join(', ')} of ${want}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Commit-to-arrival (ms) of every first arrival of seqs in [from, upTo], over all receivers, sorted. */
function latencies(receivers: readonly Receiver[], outcome: WriteOutcome): number[] {
  const committedAt = (seq: number) => outcome.commits.find((commit) => commit.upToSeq >= seq)?.atMs;
  const upTo = outcome.commits.at(-1)?.upToSeq ?? 0;
  const values: number[] = [];
  for (const receiver of receivers) {
    const seen = new Set<number>();
    for (const arrival of receiver.arrivals) {
      if (arrival.seq < outcome.firstSeq || arrival.seq > upTo || seen.has(arrival.seq)) continue;
      seen.add(arrival.seq);
      const at = committedAt(arrival.seq);
      if (at !== undefined) values.push(arrival.atMs - at);
    }
  }
  return values.sort((a, b) => a - b);
}

export const webhooksScenario: Scenario = {
  name: 'webhooks',
  description:
    'issue 18: N change events fanned out by `serve` to 10 loopback endpoints (deliveries/s, commit-to-delivery p50/p99, API p99 idle vs during)',
  defaultN: 10_000,
  inDefaultSet: false,
  defaultDbs: 'sqlite',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const load = await openLoadRunner((message) => context.log(message));
    Object.assign(results.parameters, {
      server: 'node --import tsx src/bin/trialwatch.ts serve --no-scheduler (webhooks in its child process)',
      endpoints: ENDPOINTS,
      receivers: 'node:http on 127.0.0.1 in the orchestrator, every delivery verified with standardwebhooks',
      writer: `procs/change-writer.ts: new kr-icreat trials via applyTrialBatch; idle latency ${LATENCY_EVENTS} events, ${LATENCY_BATCH} per commit every ${LATENCY_INTERVAL_MS} ms; fan-out N events, ${FANOUT_BATCH} per commit`,
      loadGenerator: `${describeRunner(load, CLIENT)} on get one, ${context.load.durationS} s after ${context.load.warmupS} s warm-up`,
      generator: load.generator,
      serverLogLevel: context.serverLogLevel,
    });
    try {
      for (const kind of context.dbs) await runOnDatabase(context, results, load, kind);
    } finally {
      await load.close();
    }
    results.note(
      "commit to delivery = arrival at the receiver − the time the writer's commit of the event returned (events of one commit share it), over every endpoint; deliveries/s = endpoints × N / (last arrival − first fan-out commit).",
    );
  },
};

async function runOnDatabase(
  context: ScenarioContext,
  results: Results,
  load: LoadRunner,
  kind: DbKind,
): Promise<void> {
  const n = context.n;
  const database = await createDatabase(kind, 'webhooks');
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, () => startReceiver()));
  let serve: ServeProcess | undefined;
  const writer = await startChild<{ pid: number }>(procPath('change-writer.ts'), { name: 'change writer' });
  let from = 1;
  const writeEvents = async (call: Omit<WriteCall, 'databaseUrl' | 'from'>): Promise<WriteOutcome> => {
    const outcome = await writer.call<WriteOutcome>(
      'write',
      { ...call, databaseUrl: database.url, from },
      DELIVERY_TIMEOUT_MS,
    );
    from += call.count;
    return outcome;
  };
  try {
    serve = await startServe({
      DATABASE_URL: database.url,
      ADMIN_TOKEN,
      LOG_LEVEL: context.serverLogLevel,
      BOOTSTRAP_SNAPSHOT: 'false',
      SOURCES: 'kr-icreat',
      RATE_LIMIT_PER_MINUTE: '1000000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_ALLOW_HTTP_HOSTS: '127.0.0.1',
    });
    const url = serve.url;
    for (const receiver of receivers) {
      const created = await admin(url, '/api/v1/webhooks', { url: receiver.url, description: 'bench' });
      receiver.secret = String(created.secret);
    }
    results.noteDatabase({ kind, version: kind, location: database.location });

    // Warm: trials for get one, and the endpoints' first deliveries.
    const warm = await writeEvents({ count: WARM_EVENTS, batch: WARM_EVENTS, intervalMs: 0 });
    await waitDelivered(receivers, warm.commits.at(-1)?.upToSeq ?? 0, warm.firstSeq);
    const paths = Array.from(
      { length: WARM_EVENTS },
      (_, k) => `/api/v1/trials/W${String(1 + k).padStart(7, '0')}`,
    );
    const call = {
      baseUrl: url,
      paths,
      ...CLIENT,
      durationS: context.load.durationS,
      warmupS: context.load.warmupS,
    };

    // 1. The API idle.
    context.log(`${kind}: API idle`);
    const idle = await load.run(call);

    // 2. Commit to delivery on an idle server: a trickle.
    context.log(`${kind}: commit to delivery, ${LATENCY_EVENTS} events trickled`);
    const trickle = await writeEvents({
      count: LATENCY_EVENTS,
      batch: LATENCY_BATCH,
      intervalMs: LATENCY_INTERVAL_MS,
    });
    await waitDelivered(receivers, trickle.commits.at(-1)?.upToSeq ?? 0, trickle.firstSeq);
    const idleLatency = latencies(receivers, trickle);

    // 3. The fan-out, with wrk during it.
    context.log(`${kind}: fan-out of ${n} events to ${ENDPOINTS} endpoints, wrk during it`);
    const fanoutStarted = Date.now();
    const writing = writeEvents({ count: n, batch: FANOUT_BATCH, intervalMs: 0 });
    // wrk starts once the first events are in (the writer's first commit takes well under a second).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const wrkStarted = Date.now();
    const during = load.run(call);
    const fanout = await writing;
    const upTo = fanout.commits.at(-1)?.upToSeq ?? 0;
    await waitDelivered(receivers, upTo, fanout.firstSeq);
    let lastArrival = 0;
    for (const receiver of receivers)
      for (const arrival of receiver.arrivals)
        if (arrival.seq <= upTo) lastArrival = Math.max(lastArrival, arrival.atMs);
    const duringOutcome = await during;
    const wrkMeasuredFrom = wrkStarted + context.load.warmupS * 1000;
    const wrkMeasuredTo = wrkMeasuredFrom + context.load.durationS * 1000;
    const firstCommit = fanout.commits[0]?.atMs ?? fanoutStarted;
    const fanoutLatency = latencies(receivers, fanout);
    const deliveries = ENDPOINTS * n;

    // Correctness: every event, in feed order, to every endpoint; every delivery verified.
    let outOfOrder = 0;
    let missing = 0;
    const first = warm.firstSeq;
    for (const receiver of receivers) {
      const seqs = receiver.arrivals.map((a) => a.seq);
      for (let i = 1; i < seqs.length; i++) if ((seqs[i] as number) < (seqs[i - 1] as number)) outOfOrder++;
      const unique = new Set(seqs);
      for (let seq = first; seq <= upTo; seq++) if (!unique.has(seq)) missing++;
    }
    const received = receivers.reduce((sum, receiver) => sum + receiver.arrivals.length, 0);
    const expectedUnique = ENDPOINTS * (upTo - first + 1);

    results.section(`${kind}: deliveries (${ENDPOINTS} endpoints)`);
    const add = (key: string, label: string, value: number | null, unit: string) =>
      results.add(kind, key, label, value, unit);
    add('fanout.events', `fan-out: change events`, n, 'count');
    add('fanout.deliveries', 'fan-out: deliveries', deliveries, 'count');
    add('fanout.seconds', 'fan-out: first commit → last arrival', (lastArrival - firstCommit) / 1000, 's');
    add(
      'fanout.rate',
      'fan-out: deliveries/s',
      deliveries / ((lastArrival - firstCommit) / 1000),
      'deliveries/s',
    );
    add(
      'fanout.write',
      'fan-out: events committed/s (writer)',
      n / (((fanout.commits.at(-1)?.atMs ?? firstCommit) - fanoutStarted) / 1000),
      'events/s',
    );
    add('fanout.p50', 'fan-out: commit → delivery p50', percentile(fanoutLatency, 50), 'ms');
    add('fanout.p99', 'fan-out: commit → delivery p99', percentile(fanoutLatency, 99), 'ms');
    add(
      'idle.p50',
      `idle: commit → delivery p50 (${LATENCY_EVENTS} events trickled)`,
      percentile(idleLatency, 50),
      'ms',
    );
    add(
      'idle.p99',
      `idle: commit → delivery p99 (${LATENCY_EVENTS} events trickled)`,
      percentile(idleLatency, 99),
      'ms',
    );
    add('idle.max', 'idle: commit → delivery max', idleLatency.at(-1) ?? null, 'ms');
    add('received', 'requests received (all phases, repeats included)', received, 'count');
    add('repeats', 'repeats (at least once)', received - expectedUnique, 'count');
    add('missing', 'events missing at an endpoint', missing, 'count');
    add('out-of-order', 'arrivals before an earlier event', outOfOrder, 'count');
    add(
      'unverified',
      'deliveries that did not verify',
      receivers.reduce((sum, r) => sum + r.unverified, 0),
      'count',
    );

    results.section(`${kind}: API (${describeRunner(load, CLIENT)}, get one)`);
    for (const [key, label, outcome] of [
      ['api.idle', 'idle', idle],
      ['api.during', 'during the fan-out', duringOutcome],
    ] as const) {
      results.add('req/s', key, label, outcome.requestsPerSecond, 'req/s');
      results.add('p50 ms', key, label, outcome.latencyMs.p50, 'ms');
      results.add('p99 ms', key, label, outcome.latencyMs.p99, 'ms');
      results.add('max ms', key, label, outcome.latencyMs.max, 'ms');
      results.add('non-2xx+err', key, label, outcome.non2xx + outcome.errors + outcome.timeouts, 'count');
      const bad = outcome.non2xx + outcome.errors + outcome.timeouts;
      if (bad > 0) results.errors.push(`${kind} API ${label}: ${bad} non-2xx answers, errors or timeouts`);
    }
    results.add(
      'x idle p99',
      'api.during',
      'during the fan-out',
      duringOutcome.latencyMs.p99 / idle.latencyMs.p99,
      'x',
    );
    const covered = Math.max(
      0,
      Math.min(lastArrival, wrkMeasuredTo) - Math.max(firstCommit, wrkMeasuredFrom),
    );
    results.add(
      'in fan-out %',
      'api.during',
      'during the fan-out',
      (covered / (wrkMeasuredTo - wrkMeasuredFrom)) * 100,
      '%',
    );
    if (lastArrival < wrkMeasuredTo)
      results.note(
        `${kind}: the fan-out ended ${((wrkMeasuredTo - lastArrival) / 1000).toFixed(1)} s before the measured wrk window did (see in fan-out %; a larger --n or a shorter --duration keeps it inside)`,
      );

    results.check(kind, 'fanout.rate', 'deliveries/s (issue 18: ≥ 1,000)', '>=', 1_000, 'performance');
    results.check(
      kind,
      'idle.p99',
      'commit → delivery p99 idle (issue 18: ≤ 2 s)',
      '<=',
      2_000,
      'performance',
    );
    results.check(
      'x idle p99',
      'api.during',
      'API p99 during the fan-out (issue 18: ≤ 2× idle)',
      '<=',
      2,
      'performance',
    );
    results.check(kind, 'missing', 'every event delivered to every endpoint', '==', 0, 'correctness');
    results.check(kind, 'out-of-order', 'in feed order per endpoint', '==', 0, 'correctness');
    results.check(kind, 'unverified', 'every delivery verifies (standardwebhooks)', '==', 0, 'correctness');
  } finally {
    const code = await serve?.stop();
    if (code !== undefined && code !== 0)
      results.errors.push(`${kind}: trialwatch serve exited with code ${code}`);
    await writer.stop(30_000);
    await Promise.all(receivers.map((receiver) => new Promise((resolve) => receiver.server.close(resolve))));
    await database.drop();
  }
}
