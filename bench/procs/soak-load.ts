/**
 * The soak's API load: its own process, `connections` closed loops each sending a weighted mix of
 * reads (one trial, raw record, versions, lists, updatedWithin, cursor walks, search, facets, the
 * change feed, sources, harvest runs, the original brief's routes, and an unknown id whose 404 is
 * expected), for `durationS`, on loopback only. The results come per time window: requests,
 * latency percentiles, errors by kind, and the API server's RSS read from /proc every second.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { FACET_FIELDS } from '../../src/domain/search.types.js';
import { seededRandom } from '../../testkit/crash-harness.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';
import type { SoakErrorKind } from '../support/soak-errors.js';
import { SOAK_ERROR_KINDS } from '../support/soak-errors.js';

export interface SoakLoadCall {
  baseUrl: string;
  /** The API server's process id, for its RSS. */
  serverPid: number;
  durationS: number;
  windowS: number;
  connections: number;
  seed: number;
  /** Per-request timeout. */
  timeoutMs: number;
}

/**
 * What went wrong with a request: a 5xx; a 4xx that the request did not expect; no answer within
 * the timeout; a connection error; or a 2xx whose content contradicts the request (another trial).
 */

export interface SoakWindow {
  /** Seconds since the load started, at the window's start. */
  startS: number;
  seconds: number;
  requests: number;
  /** Expected 4xx answers (an unknown id). */
  expected4xx: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: Record<SoakErrorKind, number>;
  /** The API server's RSS over the window (sampled every second), bytes. */
  rss: { mean: number; max: number; samples: number };
  /** The machine's 1-minute load average, mean over the window (other work shares the CPUs). */
  loadAverage: number;
}

/** Per kind of request, over the whole soak. */
export interface SoakKindStats {
  requests: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SoakLoadOutcome {
  windows: SoakWindow[];
  byKind: Record<string, SoakKindStats>;
  /** The first few error descriptions, for the report. */
  errorExamples: string[];
}

const SEARCH_TERMS = [
  '림프종',
  '천식',
  '암',
  '서울',
  'cancer',
  'diabetes',
  '"breast cancer"',
  'NCT0',
  'C90',
  'phase',
];

function rssOf(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Request {
  kind: string;
  path: string;
  /** A 4xx status this request expects (an unknown id's 404). */
  expect?: number;
  /** Reads a 2xx body: returns a problem with the content, or undefined. */
  read?: (body: unknown) => string | undefined;
}

/** Per connection: where its cursor walks and its feed reader are. */
interface ConnectionState {
  listCursor: string | undefined;
  changesCursor: string | undefined;
}

/** Ids seen in answers, for the "one trial" reads (bounded). */
const ids: string[] = [];
/** Distinct ids seen: a lower bound of the trials the lists hold (bounds `/api/list`'s skip). */
const distinct = new Set<string>();
function learnIds(body: unknown): void {
  const items = (body as { items?: { id?: unknown }[] } | null)?.items;
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (typeof item.id !== 'string') continue;
    if (distinct.size < 1_000_000) distinct.add(item.id);
    if (ids.length < 5_000) ids.push(item.id);
    else ids[Math.floor(Math.random() * ids.length)] = item.id;
  }
}

function nextCursorOf(body: unknown): string | undefined {
  const cursor = (body as { nextCursor?: unknown } | null)?.nextCursor;
  return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

function pick<T>(items: readonly T[], rnd: () => number): T {
  return items[Math.floor(rnd() * items.length)]!;
}

const WEIGHTS: readonly [string, number][] = [
  ['get-one', 18],
  ['get-raw', 3],
  ['versions', 5],
  ['list', 8],
  ['updated-7d', 10],
  ['cursor', 10],
  ['search', 10],
  ['facets', 6],
  ['changes', 10],
  ['sources', 3],
  ['harvests', 3],
  ['compat-search', 4],
  ['compat-list', 4],
  ['unknown-id', 2],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);

function nextRequest(state: ConnectionState, rnd: () => number): Request {
  let roll = rnd() * TOTAL_WEIGHT;
  let kind = WEIGHTS[0]![0];
  for (const [name, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) {
      kind = name;
      break;
    }
  }
  const id = ids.length === 0 ? undefined : pick(ids, rnd);
  const sameId = (wanted: string) => (body: unknown) => {
    const got = (body as { id?: unknown } | null)?.id;
    const resolved = (body as { resolvedFrom?: unknown } | null)?.resolvedFrom;
    return got === wanted || resolved === wanted ? undefined : `asked for ${wanted}, got ${String(got)}`;
  };
  switch (kind) {
    case 'get-one':
    case 'get-raw':
    case 'versions':
    case 'compat-search':
      if (id === undefined) break;
      if (kind === 'get-one') return { kind, path: `/api/v1/trials/${id}`, read: sameId(id) };
      if (kind === 'get-raw') return { kind, path: `/api/v1/trials/${id}?include=raw`, read: sameId(id) };
      if (kind === 'versions') return { kind, path: `/api/v1/trials/${id}/versions` };
      return { kind, path: `/api/search/${id}` };
    case 'updated-7d':
      return { kind, path: '/api/v1/trials?updatedWithin=7d', read: (b) => void learnIds(b) };
    case 'cursor': {
      const cursor = state.listCursor;
      return {
        kind,
        path: `/api/v1/trials?limit=50${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        read: (body) => {
          learnIds(body);
          state.listCursor = nextCursorOf(body);
          return undefined;
        },
      };
    }
    case 'search':
      return {
        kind,
        path: `/api/v1/trials?q=${encodeURIComponent(pick(SEARCH_TERMS, rnd))}`,
        read: (b) => void learnIds(b),
      };
    case 'facets': {
      const q = rnd() < 0.5 ? `&q=${encodeURIComponent(pick(SEARCH_TERMS, rnd))}` : '';
      return { kind, path: `/api/v1/facets?field=${pick(FACET_FIELDS, rnd)}${q}` };
    }
    case 'changes': {
      const cursor = state.changesCursor;
      return {
        kind,
        path: `/api/v1/changes?limit=100${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        read: (body) => {
          const items = (body as { items?: unknown[] } | null)?.items;
          // At the head of the feed: start over from the beginning (a new client).
          state.changesCursor = Array.isArray(items) && items.length > 0 ? nextCursorOf(body) : undefined;
          return undefined;
        },
      };
    }
    case 'sources':
      return { kind, path: '/api/v1/sources' };
    case 'harvests':
      return { kind, path: '/api/v1/harvests' };
    case 'compat-list':
      // Past the end the brief's route answers 404 "NO DATA"; a withdrawn trial or two may have
      // left the list since its id was seen, hence the margin.
      return { kind, path: `/api/list?skip=${Math.floor(rnd() * distinct.size * 0.8)}&limit=20` };
    case 'unknown-id':
      return {
        kind,
        path: `/api/v1/trials/NCT9${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`,
        expect: 404,
      };
  }
  return { kind: 'list', path: '/api/v1/trials', read: (b) => void learnIds(b) };
}

class WindowStats {
  latencies: number[] = [];
  expected4xx = 0;
  errors = Object.fromEntries(SOAK_ERROR_KINDS.map((kind) => [kind, 0])) as Record<SoakErrorKind, number>;
  rss: number[] = [];
  load: number[] = [];
}

async function run(call: SoakLoadCall): Promise<SoakLoadOutcome> {
  const host = new URL(call.baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`loopback only (got ${host})`);
  const started = performance.now();
  const endAt = started + call.durationS * 1000;
  const windows: SoakWindow[] = [];
  const latencyByKind = new Map<string, number[]>();
  const errorExamples: string[] = [];
  let current = new WindowStats();
  let windowStart = started;

  const closeWindow = (now: number): void => {
    const stats = current;
    current = new WindowStats();
    const sorted = stats.latencies.sort((a, b) => a - b);
    const rss = stats.rss.length === 0 ? [rssOf(call.serverPid) ?? 0] : stats.rss;
    windows.push({
      startS: (windowStart - started) / 1000,
      seconds: (now - windowStart) / 1000,
      requests: sorted.length,
      expected4xx: stats.expected4xx,
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
      errors: stats.errors,
      rss: { mean: rss.reduce((a, b) => a + b, 0) / rss.length, max: Math.max(...rss), samples: rss.length },
      loadAverage:
        stats.load.length === 0 ? loadavg()[0]! : stats.load.reduce((a, b) => a + b, 0) / stats.load.length,
    });
    windowStart = now;
  };
  const error = (kind: SoakErrorKind, what: string): void => {
    current.errors[kind]++;
    if (errorExamples.length < 20) errorExamples.push(`${kind}: ${what}`);
  };

  const sampler = setInterval(() => {
    const rss = rssOf(call.serverPid);
    if (rss !== undefined) current.rss.push(rss);
    current.load.push(loadavg()[0]!);
    const now = performance.now();
    if (now - windowStart >= call.windowS * 1000) closeWindow(now);
  }, 1000);

  const connection = async (index: number): Promise<void> => {
    // Seeded, so that two runs send the same mix.
    const rnd = seededRandom(call.seed + index * 7919);
    const state: ConnectionState = { listCursor: undefined, changesCursor: undefined };
    while (performance.now() < endAt) {
      const request = nextRequest(state, rnd);
      const sent = performance.now();
      let kindLatencies = latencyByKind.get(request.kind);
      if (kindLatencies === undefined) latencyByKind.set(request.kind, (kindLatencies = []));
      const done = () => {
        const ms = performance.now() - sent;
        current.latencies.push(ms);
        kindLatencies.push(ms);
      };
      try {
        const response = await fetch(`${call.baseUrl}${request.path}`, {
          signal: AbortSignal.timeout(call.timeoutMs),
        });
        const text = await response.text();
        done();
        const what = `GET ${request.path} → ${response.status}: ${text.slice(0, 200)}`;
        if (response.status >= 500) error('5xx', what);
        else if (response.status >= 400) {
          if (response.status === request.expect) current.expected4xx++;
          else error('unexpected-4xx', what);
        } else if (request.expect !== undefined) {
          error('wrong-answer', `${what} (expected ${request.expect})`);
        } else if (request.read !== undefined) {
          const problem = request.read(JSON.parse(text) as unknown);
          if (problem !== undefined) error('wrong-answer', `GET ${request.path}: ${problem}`);
        }
      } catch (failure) {
        done();
        const name = (failure as { name?: string } | null)?.name;
        const cause = (failure as { cause?: { code?: string; message?: string } } | null)?.cause;
        const message = `${failure instanceof Error ? failure.message : String(failure)} ${cause?.code ?? cause?.message ?? ''}`;
        if (name === 'TimeoutError') error('timeout', `GET ${request.path}`);
        else if (name === 'SyntaxError') error('wrong-answer', `GET ${request.path}: not JSON (${message})`);
        else error('connection', `GET ${request.path}: ${message}`);
        // A refused connection would otherwise spin.
        await delay(10);
      }
    }
  };

  // Seed the id pool before the loops start.
  try {
    const first = await fetch(`${call.baseUrl}/api/v1/trials?limit=100`);
    learnIds(await first.json());
  } catch {
    // the loops report what is wrong
  }
  await Promise.all(Array.from({ length: call.connections }, (_, i) => connection(i)));
  clearInterval(sampler);
  closeWindow(performance.now());
  // A last window shorter than a quarter of the others only adds noise to the table.
  if (windows.length > 1 && windows.at(-1)!.seconds < call.windowS / 4) {
    const last = windows.pop()!;
    const before = windows.at(-1)!;
    before.requests += last.requests;
    before.expected4xx += last.expected4xx;
    for (const kind of SOAK_ERROR_KINDS) before.errors[kind] += last.errors[kind];
    before.seconds += last.seconds;
  }
  const byKind: Record<string, SoakKindStats> = {};
  for (const [kind, latencies] of [...latencyByKind].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = latencies.sort((a, b) => a - b);
    byKind[kind] = {
      requests: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    };
  }
  return { windows, byKind, errorExamples };
}

answerCalls({ run: (payload) => run(payload as SoakLoadCall) });
exitWithParent();
sendReady({ pid: process.pid });
