/**
 * The load generator: its own process (so it never shares an event loop with the server), running
 * autocannon with worker threads — the equivalent of `wrk -t2 -c16 -d15s` — on loopback only.
 * Each run is a warm-up with the same settings, then the measured load.
 */
import autocannon from 'autocannon';
import type { Result } from 'autocannon';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface LoadCall {
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** Paths each connection requests in turn (one path: the same request every time). */
  paths: string[];
  connections: number;
  workers: number;
  durationS: number;
  warmupS: number;
}

export interface LoadOutcome {
  /** Completed requests of the measured run / its duration. */
  requestsPerSecond: number;
  requests: number;
  durationS: number;
  /** p95: wrk's; null from autocannon, which reports p90 and p97.5 but no p95. */
  latencyMs: {
    mean: number;
    p50: number;
    p90: number;
    p95: number | null;
    p99: number;
    p999: number;
    max: number;
  };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytesPerSecond: number;
  warmup: { requests: number; non2xx: number; errors: number } | null;
}

function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`the load generator only targets loopback (got ${host})`);
  }
}

async function fire(call: LoadCall, durationS: number): Promise<Result> {
  return autocannon({
    url: call.baseUrl,
    connections: call.connections,
    workers: call.workers,
    duration: durationS,
    timeout: 10,
    requests: call.paths.map((path) => ({ method: 'GET', path })),
  });
}

async function run(call: LoadCall): Promise<LoadOutcome> {
  assertLoopback(call.baseUrl);
  let warmup: LoadOutcome['warmup'] = null;
  if (call.warmupS > 0) {
    const result = await fire(call, call.warmupS);
    warmup = { requests: result.latency.totalCount ?? 0, non2xx: result.non2xx, errors: result.errors };
  }
  const result = await fire(call, call.durationS);
  const completed = result.latency.totalCount ?? result.requests.total ?? 0;
  return {
    requestsPerSecond: completed / result.duration,
    requests: completed,
    durationS: result.duration,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p95: null,
      p99: result.latency.p99,
      p999: result.latency.p99_9,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
    ),
    bytesPerSecond: (result.throughput.total ?? 0) / result.duration,
    warmup,
  };
}

answerCalls({ run: (payload) => run(payload as LoadCall) });
exitWithParent();
sendReady({ pid: process.pid });
