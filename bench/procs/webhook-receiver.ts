/**
 * The webhooks scenario's receiver: a node:http server on 127.0.0.1 in its own process, one path
 * per endpoint (`/hook/<k>`). It answers 200 at once, counts deliveries per path, checks that each
 * endpoint's events arrive in feed order (a seq lower than or equal to the last one is counted as
 * a repeat), verifies one delivery in `VERIFY_EVERY` with the Standard Webhooks library (and the
 * first of each path), and keeps, per delivery, its receive time, seq, and receive time minus the
 * change's recorded time (`data.occurredAt`).
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface ReceiverStats {
  total: number;
  perPath: Record<string, number>;
  /** Epoch ms of the first and last delivery received. */
  firstAt: number | null;
  lastAt: number | null;
  verified: number;
  unverified: number;
  /** Deliveries whose seq was not above the last one of their path (repeats, or out of order). */
  repeats: number;
}

export interface LatencyStats {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

const VERIFY_EVERY = 100;

let secrets: Record<string, string> = {};
const lastSeq = new Map<string, number>();
const stats: ReceiverStats = {
  total: 0,
  perPath: {},
  firstAt: null,
  lastAt: null,
  verified: 0,
  unverified: 0,
  repeats: 0,
};
/** [receive time, latency ms, seq] of every delivery. */
const latencies: [number, number, number][] = [];

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

answerCalls({
  configure: (payload) => {
    secrets = (payload as { secrets: Record<string, string> }).secrets;
    return null;
  },
  stats: () => stats,
  /** Latencies of the events recorded at or after `sinceMs` (the change's time). */
  latency: (payload) => {
    const { sinceMs } = payload as { sinceMs: number };
    const values = latencies
      .filter(([at, ms]) => at - ms >= sinceMs)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    const result: LatencyStats = {
      count: values.length,
      p50Ms: percentile(values, 50),
      p99Ms: percentile(values, 99),
      maxMs: values.at(-1) ?? null,
    };
    return result;
  },
  /** [receive time, seq] of the deliveries of events recorded at or after `sinceMs`. */
  received: (payload) => {
    const { sinceMs } = payload as { sinceMs: number };
    return latencies.filter(([at, ms]) => at - ms >= sinceMs).map(([at, , seq]) => [at, seq]);
  },
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const now = Date.now();
    const path = request.url ?? '';
    const body = Buffer.concat(chunks).toString('utf8');
    const count = (stats.perPath[path] ?? 0) + 1;
    stats.perPath[path] = count;
    stats.total++;
    stats.firstAt ??= now;
    stats.lastAt = now;
    const secret = secrets[path];
    if (secret !== undefined && (count === 1 || count % VERIFY_EVERY === 0)) {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [key, String(value)]),
      );
      try {
        new Webhook(secret).verify(body, headers);
        stats.verified++;
      } catch {
        stats.unverified++;
      }
    }
    try {
      const payload = JSON.parse(body) as { data?: { seq?: number; occurredAt?: string } };
      const seq = payload.data?.seq ?? 0;
      if (seq <= (lastSeq.get(path) ?? 0)) stats.repeats++;
      else lastSeq.set(path, seq);
      const occurredAt = Date.parse(payload.data?.occurredAt ?? '');
      if (Number.isFinite(occurredAt)) latencies.push([now, now - occurredAt, seq]);
    } catch {
      stats.unverified++;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
exitWithParent(() => new Promise<void>((resolve) => server.close(() => resolve())));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
sendReady({ url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` });
