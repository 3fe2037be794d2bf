/**
 * The soak's fake upstream: `startFakeUpstream` (testkit) serving kr-icreat and
 * ClinicalTrials.gov datasets that move on with each release the orchestrator asks for (a seeded
 * share of records changed, another briefly withdrawn and then back), with random faults injected
 * into the data requests while the soak runs: timeouts, 503s, HTML error pages, truncated bodies,
 * connection resets and bodies that are not UTF-8.
 *
 * Unlike `upstream.ts` (generated pages for 100,000 studies), the fake holds the studies itself:
 * soak datasets are small, and its own listing (page tokens, counts) is what is exercised.
 */
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { CtgovGenerator, releaseTimestamp } from '../dataset/ctgov-dataset.js';
import { krRecord } from '../dataset/kr-dataset.js';
import { hash32 } from '../dataset/random.js';
import type { FakeStudy } from '../../testkit/fake-ctgov.js';
import type { Fault } from '../../testkit/fake-upstream.js';
import { startFakeUpstream } from '../../testkit/fake-upstream.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface SoakUpstreamInfo {
  krApiBaseUrl: string;
  krOasUrl: string;
  ctgovApiBaseUrl: string;
}

export interface SoakDatasetCall {
  krN: number;
  ctgovN: number;
  seed: number;
  /** Percent of the records that change in each release. */
  changedPercent: number;
  /** Percent of the records missing from a release (each release its own seeded pick). */
  withdrawnPercent: number;
  /** Releases that can be asked for (1…maxRelease). */
  maxRelease: number;
}

export interface SoakFaultsCall {
  /** 0 stops injecting (faults already queued are cleared too). */
  everyMs: number;
  /** A `delay` fault waits this long: longer than the harvest's timeout, so it is a timeout. */
  timeoutDelayMs: number;
}

export type SoakFaultKind = 'timeout' | 'http-503' | 'html-502' | 'truncate' | 'reset' | 'bad-utf8';

export interface SoakUpstreamStats {
  release: number;
  requests: number;
  /** Faults injected, by kind (each applies to one data request). */
  injected: Record<SoakFaultKind, number>;
  /** Injected faults no request has met yet. */
  pending: number;
}

const FAULT_KINDS: readonly SoakFaultKind[] = [
  'timeout',
  'http-503',
  'html-502',
  'truncate',
  'reset',
  'bad-utf8',
];
/** The data requests (dataset pages, study listings); the OAS document and /version are left alone. */
const DATA_REQUEST = /^\/api\/(?:3074271\/v1\/uddi:|v2\/studies)/;
/** Faults waiting for a request: more would line up against one page and fail every retry of it. */
const MAX_PENDING = 2;

const upstream = await startFakeUpstream({ kr: { records: [], expectedKey: null }, ctgov: { studies: [] } });
const generator = new CtgovGenerator();
let dataset: SoakDatasetCall | undefined;
let release = 0;
let requests = 0;
let faultTimer: NodeJS.Timeout | undefined;
let faultCount = 0;
const injected = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<SoakFaultKind, number>;

function specOf(call: SoakDatasetCall, n: number, at: number): DatasetSpec {
  return {
    n,
    seed: call.seed,
    changedPercent: Array(call.maxRelease).fill(call.changedPercent),
    release: at,
  };
}

/** Whether record `index` is missing from release `at` (never from release 0). */
function withdrawn(call: SoakDatasetCall, index: number, at: number): boolean {
  return at > 0 && hash32(call.seed, index, 7_000 + at) % 10_000 < call.withdrawnPercent * 100;
}

function serveRelease(at: number): { kr: number; ctgov: number } {
  const call = dataset;
  if (call === undefined) throw new Error('soak upstream: no dataset set');
  if (!Number.isInteger(at) || at < 0 || at > call.maxRelease) throw new Error(`no release ${at}`);
  const krSpec = specOf(call, call.krN, at);
  const kr: Record<string, string>[] = [];
  for (let i = 0; i < call.krN; i++) if (!withdrawn(call, i, at)) kr.push(krRecord(krSpec, i));
  const ctgovSpec = specOf(call, call.ctgovN, at);
  const studies: FakeStudy[] = [];
  for (let i = 0; i < call.ctgovN; i++) {
    if (!withdrawn(call, i + 1_000_000, at)) {
      studies.push(JSON.parse(generator.studyJson(ctgovSpec, i)) as FakeStudy);
    }
  }
  upstream.kr.setRecords(kr);
  upstream.ctgov.setStudies(studies);
  upstream.ctgov.dataTimestamp = releaseTimestamp(at);
  release = at;
  return { kr: kr.length, ctgov: studies.length };
}

function faultOf(kind: SoakFaultKind, timeoutDelayMs: number): Fault {
  switch (kind) {
    case 'timeout':
      return { kind: 'delay', ms: timeoutDelayMs };
    case 'http-503':
      return { kind: 'respond', status: 503, body: 'Service Unavailable', contentType: 'text/plain' };
    case 'html-502':
      return { kind: 'html', status: 502 };
    case 'truncate':
      return { kind: 'truncate' };
    case 'reset':
      return { kind: 'reset' };
    case 'bad-utf8':
      return {
        kind: 'respond',
        status: 200,
        contentType: 'application/json; charset=UTF-8',
        body: Buffer.concat([
          Buffer.from('{"data":[{"과제명":"'),
          Buffer.from([0xff, 0xc3]),
          Buffer.from('"}]}'),
        ]),
      };
  }
}

function setFaults(call: SoakFaultsCall): null {
  if (faultTimer !== undefined) clearInterval(faultTimer);
  faultTimer = undefined;
  if (call.everyMs <= 0) {
    upstream.clearFaults();
    return null;
  }
  faultTimer = setInterval(() => {
    if (upstream.pendingFaults() >= MAX_PENDING) return;
    const kind = FAULT_KINDS[hash32(dataset?.seed ?? 1, faultCount++, 31) % FAULT_KINDS.length]!;
    upstream.injectFault(faultOf(kind, call.timeoutDelayMs), { match: (r) => DATA_REQUEST.test(r.path) });
    injected[kind]++;
  }, call.everyMs);
  return null;
}

answerCalls({
  dataset: (payload) => {
    dataset = payload as SoakDatasetCall;
    return serveRelease(0);
  },
  release: (payload) => serveRelease(Number(payload)),
  faults: (payload) => setFaults(payload as SoakFaultsCall),
  stats: (): SoakUpstreamStats => {
    // The request log would grow for the whole soak: count it and let it go.
    requests += upstream.requests.length;
    upstream.clearRequests();
    return { release, requests, injected: { ...injected }, pending: upstream.pendingFaults() };
  },
});

exitWithParent(async () => {
  if (faultTimer !== undefined) clearInterval(faultTimer);
  await upstream.close();
});

const info: SoakUpstreamInfo = {
  krApiBaseUrl: upstream.kr.apiBaseUrl,
  krOasUrl: upstream.kr.oasUrl,
  ctgovApiBaseUrl: upstream.ctgov.apiBaseUrl,
};
sendReady(info);
