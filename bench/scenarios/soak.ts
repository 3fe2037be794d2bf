/**
 * Issue 9, part 6: the soak. For `--duration-min` minutes (default 10), a second process sends
 * mixed API reads to `trialwatch serve` (scheduler off) while a third harvests kr-icreat and
 * ClinicalTrials.gov again and again through the fake upstream, which moves to a new data release
 * every `RELEASE_EVERY_S` and has faults injected into its data requests (timeouts, 503s, HTML
 * 502s, truncated bodies, connection resets, bodies that are not UTF-8).
 *
 * Wanted: zero 5xx, no unexpected 4xx, timeouts or connection errors, no answer about the wrong
 * trial; the store invariants hold and no run is left running; once the faults stop, one clean
 * harvest makes the database hold exactly what a clean harvest of the upstream's final release into
 * an empty database holds (nothing lost, nothing corrupted); the server's RSS is flat after the
 * warm-up (the mean of the last third of the windows within RSS_TOLERANCE of the middle third's).
 */
import { buildConfig } from '../../src/config/config.js';
import { DEFAULT_SOURCES, sourceConfigParsers } from '../../src/sources/registry.js';
import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/database.js';
import type { TrialFingerprint } from '../../testkit/store-invariants.js';
import { checkStoreInvariants, runningRuns, trialFingerprints } from '../../testkit/store-invariants.js';
import type { SoakHarvestCall, SoakRun } from '../procs/soak-harvester.js';
import type { SoakLoadCall, SoakLoadOutcome, SoakWindow } from '../procs/soak-load.js';
import type { SoakErrorKind } from '../support/soak-errors.js';
import { SOAK_ERROR_KINDS } from '../support/soak-errors.js';
import type {
  SoakDatasetCall,
  SoakFaultsCall,
  SoakUpstreamInfo,
  SoakUpstreamStats,
} from '../procs/soak-upstream.js';
import type { BenchDatabase, DbKind } from '../support/databases.js';
import { createDatabase, databaseVersion } from '../support/databases.js';
import type { Child } from '../support/ipc.js';
import type { MemoryPeaks } from '../support/memory-sampler.js';
import { procPath, startApiServer, startChild } from '../support/ipc.js';
import type { Results } from '../support/report.js';
import { harvestEnv, harvestInWorker } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const SOURCES = ['kr-icreat', 'ctgov'] as const;
const DEFAULT_MINUTES = 10;
/** The upstream publishes a new release this often during the soak. */
const RELEASE_EVERY_S = 30;
const CHANGED_PERCENT = 3;
const WITHDRAWN_PERCENT = 1;
/** One fault is queued this often (at most two wait at a time), for the next data request. */
const FAULT_EVERY_MS = 1_500;
/** The harvests' per-request timeout; a `timeout` fault holds the answer longer than that. */
const UPSTREAM_TIMEOUT_MS = 3_000;
/** Windows of the report: 20 per soak, between 5 and 30 seconds long. */
function windowSeconds(durationS: number): number {
  return Math.max(5, Math.min(30, Math.round(durationS / 20)));
}
const CONNECTIONS = 4;
/** Per API request: an answer slower than this is counted as a timeout. */
const API_TIMEOUT_MS = 10_000;
/** The share of the soak treated as warm-up for the memory comparison. */
const WARMUP_SHARE = 0.2;
/** RSS flat: mean of the last third of the windows after warm-up within this of the middle third's. */
const RSS_TOLERANCE = 0.1;
const MB = 1e6;

/** The environment of every harvest of the soak: both sources, small pages, quick retries. */
function soakEnv(upstream: SoakUpstreamInfo, databaseUrl: string): Record<string, string> {
  const env = harvestEnv('kr-icreat', { ...upstream, baseUrl: '' }, databaseUrl);
  env.SOURCES = SOURCES.join(',');
  env.KR_ICREAT_PER_PAGE = '100';
  env.CTGOV_PAGE_SIZE = '100';
  for (const prefix of ['KR_ICREAT', 'CTGOV']) {
    env[`${prefix}_TIMEOUT_MS`] = String(UPSTREAM_TIMEOUT_MS);
    env[`${prefix}_RETRIES`] = '4';
    env[`${prefix}_BACKOFF_MS`] = '200';
    env[`${prefix}_MAX_BACKOFF_MS`] = '2000';
  }
  return env;
}

function storeOf(env: Record<string, string>): Store {
  return openStore(buildConfig(env, sourceConfigParsers(), DEFAULT_SOURCES).database);
}

/** Harvests every source once, in fresh processes; throws unless each run succeeds. */
async function harvestAll(
  context: ScenarioContext,
  env: Record<string, string>,
  label: string,
): Promise<void> {
  for (const source of SOURCES) {
    const outcome = await harvestInWorker(context, { env, source, mode: 'full' }, `soak-${label}-${source}`);
    if (outcome.run.status !== 'succeeded') {
      throw new Error(
        `${label} harvest of ${source} ended ${outcome.run.status}: ${outcome.run.errorMessage ?? ''}`,
      );
    }
  }
}

/** Soak trials against a clean harvest's: [lost or different, wrongly active, wrongly removed]. */
function compare(
  soak: readonly TrialFingerprint[],
  reference: readonly TrialFingerprint[],
): { lost: string[]; corrupted: string[]; notRemoved: string[] } {
  const expected = new Map(reference.map((trial) => [trial.id, trial]));
  const actual = new Map(soak.map((trial) => [trial.id, trial]));
  const lost: string[] = [];
  const corrupted: string[] = [];
  const notRemoved: string[] = [];
  for (const [id, want] of expected) {
    const got = actual.get(id);
    if (got === undefined || got.removed) lost.push(id);
    else if (got.contentHash !== want.contentHash || got.source !== want.source) corrupted.push(id);
  }
  for (const [id, got] of actual) if (!expected.has(id) && !got.removed) notRemoved.push(id);
  return { lost, corrupted, notRemoved };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const soakScenario: Scenario = {
  name: 'soak',
  description: `mixed API load from a second process while harvests run against the faulty fake upstream (--duration-min, default ${DEFAULT_MINUTES})`,
  defaultN: 2_000,
  inDefaultSet: false,
  defaultDbs: 'sqlite',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const minutesText = context.extra['duration-min'];
    const minutes = minutesText === undefined ? DEFAULT_MINUTES : Number(minutesText);
    if (!Number.isFinite(minutes) || minutes <= 0) {
      throw new Error(`--duration-min must be a positive number of minutes (got "${minutesText}")`);
    }
    const durationS = Math.round(minutes * 60);
    const dataset: SoakDatasetCall = {
      krN: context.n,
      ctgovN: Math.max(1, Math.round(context.n / 2)),
      seed: context.seed,
      changedPercent: CHANGED_PERCENT,
      withdrawnPercent: WITHDRAWN_PERCENT,
      maxRelease: Math.ceil(durationS / RELEASE_EVERY_S) + 2,
    };
    Object.assign(results.parameters, {
      durationS,
      krRecords: dataset.krN,
      ctgovStudies: dataset.ctgovN,
      releaseEveryS: RELEASE_EVERY_S,
      changedPercentPerRelease: CHANGED_PERCENT,
      withdrawnPercentPerRelease: WITHDRAWN_PERCENT,
      faultEveryMs: FAULT_EVERY_MS,
      upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
      connections: CONNECTIONS,
      windowS: windowSeconds(durationS),
      apiTimeoutMs: API_TIMEOUT_MS,
      warmupShare: WARMUP_SHARE,
      rssTolerance: RSS_TOLERANCE,
    });
    for (const kind of context.dbs) await soakOn(context, results, kind, dataset, durationS);
    results.note(
      'errors: 5xx; unexpected-4xx (any 4xx but the 404 of an unknown id); timeout (no answer within 10 s); connection; wrong-answer (a trial other than the one asked for, or a body that is not JSON).',
    );
    results.note(
      `RSS flat: the mean of the server's RSS over the last third of the windows after a ${WARMUP_SHARE * 100}% warm-up, compared with the middle third's.`,
    );
    results.note(
      'nothing lost or corrupted: after the soak the faults stop and one clean harvest runs; the database then holds, trial for trial, the content hashes of a clean harvest of the same final release into an empty database, and every other trial is marked removed.',
    );
  },
};

async function soakOn(
  context: ScenarioContext,
  results: Results,
  kind: DbKind,
  dataset: SoakDatasetCall,
  durationS: number,
): Promise<void> {
  const children: Child<unknown>[] = [];
  const databases: BenchDatabase[] = [];
  let releaseTimer: NodeJS.Timeout | undefined;
  try {
    context.log(`${kind}: starting the fake upstream`);
    const upstream = await startChild<SoakUpstreamInfo>(procPath('soak-upstream.ts'), {
      name: 'soak upstream',
    });
    children.push(upstream);
    await upstream.call('dataset', dataset, 120_000);
    const database = await createDatabase(kind, 'soak');
    databases.push(database);
    const env = soakEnv(upstream.info, database.url);
    context.log(`${kind}: first harvest (kr-icreat ${dataset.krN}, ctgov ${dataset.ctgovN})`);
    await harvestAll(context, env, 'first');

    const server = await startApiServer(database.url, SOURCES.join(','), context.serverLogLevel);
    children.push(server);
    const harvester = await startChild<{ pid: number }>(procPath('soak-harvester.ts'), {
      name: 'soak harvester',
    });
    children.push(harvester);
    const load = await startChild<{ pid: number }>(procPath('soak-load.ts'), { name: 'soak load' });
    children.push(load);

    const harvestCall: SoakHarvestCall = { env, sources: [...SOURCES], pauseMs: 1_000 };
    await harvester.call('start', harvestCall);
    const faults: SoakFaultsCall = { everyMs: FAULT_EVERY_MS, timeoutDelayMs: UPSTREAM_TIMEOUT_MS + 1_000 };
    await upstream.call('faults', faults);
    let release = 0;
    const releaseErrors: string[] = [];
    releaseTimer = setInterval(() => {
      if (release >= dataset.maxRelease) return;
      release++;
      upstream.call('release', release, 60_000).catch((error: unknown) => releaseErrors.push(String(error)));
    }, RELEASE_EVERY_S * 1000);

    context.log(
      `${kind}: soaking for ${durationS} s (${CONNECTIONS} API connections, harvests looping, faults on)`,
    );
    const loadCall: SoakLoadCall = {
      baseUrl: server.info.url,
      serverPid: server.pid,
      durationS,
      windowS: windowSeconds(durationS),
      connections: CONNECTIONS,
      seed: context.seed,
      timeoutMs: API_TIMEOUT_MS,
    };
    // The server's own heap peaks, one reading per window (aligned with the load's windows by order).
    const heapPeaks: number[] = [];
    const heapTimer = setInterval(
      () => {
        server
          .call<MemoryPeaks>('memory')
          .then(async (peaks) => {
            heapPeaks.push(peaks.heapUsedBytes);
            await server.call('resetMemory');
          })
          .catch(() => undefined);
      },
      windowSeconds(durationS) * 1000,
    );
    const outcome = await load.call<SoakLoadOutcome>('run', loadCall, (durationS + 300) * 1000);
    clearInterval(heapTimer);
    clearInterval(releaseTimer);
    releaseTimer = undefined;
    await upstream.call('faults', { everyMs: 0, timeoutDelayMs: 0 } satisfies SoakFaultsCall);
    context.log(`${kind}: load done; letting the harvest under way finish`);
    const runs = await harvester.call<SoakRun[]>('stop', undefined, 30 * 60_000);
    const upstreamStats = await upstream.call<SoakUpstreamStats>('stats');
    results.errors.push(...releaseErrors.map((error) => `moving the upstream to a new release: ${error}`));

    context.log(`${kind}: final clean harvest, then a reference harvest into an empty database`);
    await harvestAll(context, env, 'final');
    const reference = await createDatabase(kind, 'soak-reference');
    databases.push(reference);
    const referenceEnv = soakEnv(upstream.info, reference.url);
    await harvestAll(context, referenceEnv, 'reference');

    const soakStore = storeOf(env);
    const referenceStore = storeOf(referenceEnv);
    let verdict: {
      violations: Awaited<ReturnType<typeof checkStoreInvariants>>;
      running: number;
      replacement: number;
      comparison: ReturnType<typeof compare>;
      trials: number;
      referenceTrials: number;
      version: string;
    };
    try {
      const soakTrials = await trialFingerprints(soakStore);
      const referenceTrials = await trialFingerprints(referenceStore);
      const replacement = await soakStore.db
        .selectFrom('trials')
        .select('id')
        .where('doc', 'like', '%\uFFFD%')
        .execute();
      verdict = {
        violations: await checkStoreInvariants(soakStore),
        running: (await runningRuns(soakStore)).length,
        replacement: replacement.length,
        comparison: compare(soakTrials, referenceTrials),
        trials: soakTrials.length,
        referenceTrials: referenceTrials.length,
        version: await databaseVersion(soakStore),
      };
    } finally {
      await soakStore.close();
      await referenceStore.close();
    }
    record(results, kind, outcome, runs, upstreamStats, verdict, release, heapPeaks);
    results.noteDatabase({ kind, version: verdict.version, location: database.location });
  } finally {
    if (releaseTimer !== undefined) clearInterval(releaseTimer);
    for (const child of children.reverse()) {
      const code = await child.stop(15_000);
      if (code !== 0 && code !== null) results.errors.push(`${child.name} exited with code ${code}`);
    }
    for (const database of databases) await database.drop();
  }
}

function record(
  results: Results,
  kind: DbKind,
  outcome: SoakLoadOutcome,
  runs: readonly SoakRun[],
  upstream: SoakUpstreamStats,
  verdict: {
    violations: { rule: string; count: number; examples: string[] }[];
    running: number;
    replacement: number;
    comparison: { lost: string[]; corrupted: string[]; notRemoved: string[] };
    trials: number;
    referenceTrials: number;
  },
  releases: number,
  heapPeaks: readonly number[],
): void {
  const { windows } = outcome;
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0);
  const requests = windows.reduce((sum, w) => sum + w.requests, 0);
  const errors = (kind: SoakErrorKind) => windows.reduce((sum, w) => sum + w.errors[kind], 0);
  const p99s = windows.map((w) => w.latencyMs.p99).sort((a, b) => a - b);

  results.section('soak');
  results.add(kind, 'seconds', 'load duration', seconds, 's');
  results.add(kind, 'requests', 'requests served', requests, 'count');
  results.add(kind, 'rps', 'mean throughput', requests / seconds, 'req/s');
  results.add(
    kind,
    'p99.median',
    'p99 latency, median window',
    p99s[Math.floor(p99s.length / 2)] ?? null,
    'ms',
  );
  results.add(kind, 'p99.worst', 'p99 latency, worst window', p99s.at(-1) ?? null, 'ms');
  results.add(kind, 'max', 'slowest request', Math.max(...windows.map((w) => w.latencyMs.max)), 'ms');
  results.add(
    kind,
    'expected404',
    'expected 404s (unknown ids)',
    windows.reduce((sum, w) => sum + w.expected4xx, 0),
    'count',
  );
  for (const errorKind of SOAK_ERROR_KINDS) {
    results.add(kind, `errors.${errorKind}`, `errors: ${errorKind}`, errors(errorKind), 'count');
  }

  const bySource = (source: string, status: SoakRun['status']) =>
    runs.filter((run) => run.source === source && run.status === status).length;
  for (const source of SOURCES) {
    results.add(
      kind,
      `harvests.${source}`,
      `${source} harvests during the soak`,
      runs.filter((r) => r.source === source).length,
      'count',
    );
    for (const status of ['succeeded', 'partial', 'failed', 'threw'] as const) {
      const count = bySource(source, status);
      if (count > 0 || status === 'succeeded') {
        results.add(kind, `harvests.${source}.${status}`, `  of which ${status}`, count, 'count');
      }
    }
  }
  const codes = new Map<string, number>();
  for (const run of runs) {
    if (run.status === 'succeeded') continue;
    const code = run.errorCode ?? run.status;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  for (const [code, count] of [...codes].sort()) {
    results.add(kind, `harvests.code.${code}`, `  runs not succeeded: ${code}`, count, 'count');
  }
  results.add(
    kind,
    'versions',
    'versions written during the soak',
    runs.reduce((s, r) => s + r.created + r.updated, 0),
    'count',
  );
  results.add(
    kind,
    'removedRestored',
    'removals + restorations during the soak',
    runs.reduce((s, r) => s + r.removed + r.restored, 0),
    'count',
  );
  results.add(kind, 'releases', 'upstream releases served', releases, 'count');
  results.add(kind, 'upstreamRequests', 'upstream requests', upstream.requests, 'count');
  const injected = Object.values(upstream.injected).reduce((a, b) => a + b, 0);
  results.add(kind, 'faults', 'faults injected', injected, 'count');
  for (const [faultKind, count] of Object.entries(upstream.injected)) {
    results.add(kind, `faults.${faultKind}`, `  ${faultKind}`, count, 'count');
  }
  results.add(kind, 'faultsUnmet', '  of which never met by a request', upstream.pending, 'count');

  results.add(
    kind,
    'invariants',
    'store invariant violations',
    verdict.violations.reduce((s, v) => s + v.count, 0),
    'count',
  );
  results.add(kind, 'running', 'runs left running', verdict.running, 'count');
  results.add(kind, 'replacement', 'trials stored with U+FFFD', verdict.replacement, 'count');
  results.add(kind, 'trials', 'trials after the final harvest', verdict.trials, 'count');
  results.add(
    kind,
    'referenceTrials',
    'trials of the clean reference harvest',
    verdict.referenceTrials,
    'count',
  );
  results.add(
    kind,
    'lost',
    'lost (in the reference, missing or removed here)',
    verdict.comparison.lost.length,
    'count',
  );
  results.add(
    kind,
    'corrupted',
    'corrupted (content hash differs)',
    verdict.comparison.corrupted.length,
    'count',
  );
  results.add(
    kind,
    'notRemoved',
    'gone upstream but not marked removed',
    verdict.comparison.notRemoved.length,
    'count',
  );

  // Memory over time: warm-up excluded, then thirds.
  const after = windows.filter((w) => w.startS >= seconds * WARMUP_SHARE);
  const third = Math.floor(after.length / 3);
  if (third === 0) results.errors.push(`${kind}: too few windows after the warm-up to compare memory`);
  const middle = after.slice(third, 2 * third).map((w) => w.rss.mean);
  const last = after.slice(2 * third).map((w) => w.rss.mean);
  const growth = mean(last) / mean(middle) - 1;
  results.add(
    kind,
    'rss.warmup',
    'server RSS, mean over the warm-up',
    mean(windows.filter((w) => !after.includes(w)).map((w) => w.rss.mean)) / MB,
    'MB',
  );
  results.add(kind, 'rss.middle', 'server RSS, mean over the middle third', mean(middle) / MB, 'MB');
  results.add(kind, 'rss.last', 'server RSS, mean over the last third', mean(last) / MB, 'MB');
  results.add(kind, 'rss.growth', 'server RSS growth, last third vs middle third', growth * 100, '%');
  results.add(
    kind,
    'rss.max',
    'server RSS, highest sample',
    Math.max(...windows.map((w) => w.rss.max)) / MB,
    'MB',
  );
  results.add(
    kind,
    'loadAverage',
    'machine load average (1 min), mean',
    mean(windows.map((w) => w.loadAverage)),
    '',
  );

  results.section(`${kind}: over time (${windows[0]?.seconds.toFixed(0) ?? '?'} s windows)`);
  windows.forEach((window: SoakWindow, index) => {
    const key = `${kind}.window.${String(index).padStart(3, '0')}`;
    const label = `${clock(window.startS)}–${clock(window.startS + window.seconds)}`;
    results.add('req/s', key, label, window.requests / window.seconds, 'req/s');
    results.add('p50 ms', key, label, window.latencyMs.p50, 'ms');
    results.add('p99 ms', key, label, window.latencyMs.p99, 'ms');
    results.add(
      'errors',
      key,
      label,
      SOAK_ERROR_KINDS.reduce((s, k) => s + window.errors[k], 0),
      'count',
    );
    results.add('RSS MB', key, label, window.rss.mean / MB, 'MB');
    const heap = heapPeaks[index];
    if (heap !== undefined) results.add('peak heap MB', key, label, heap / MB, 'MB');
    results.add('load avg', key, label, window.loadAverage, '');
  });
  results.section(`${kind}: by request kind (whole soak)`);
  for (const [requestKind, stats] of Object.entries(outcome.byKind)) {
    const key = `${kind}.kind.${requestKind}`;
    results.add('requests', key, requestKind, stats.requests, 'count');
    results.add('p50 ms', key, requestKind, stats.p50, 'ms');
    results.add('p99 ms', key, requestKind, stats.p99, 'ms');
    results.add('max ms', key, requestKind, stats.max, 'ms');
  }
  results.section('');

  for (const errorKind of SOAK_ERROR_KINDS) {
    results.check(kind, `errors.${errorKind}`, `zero ${errorKind} answers`, '==', 0, 'correctness');
  }
  results.check(kind, 'invariants', 'store invariants hold', '==', 0, 'correctness');
  results.check(kind, 'running', 'no run left running', '==', 0, 'correctness');
  results.check(kind, 'replacement', 'nothing stored with U+FFFD', '==', 0, 'correctness');
  results.check(kind, 'lost', 'nothing lost', '==', 0, 'correctness');
  results.check(kind, 'corrupted', 'nothing corrupted', '==', 0, 'correctness');
  results.check(kind, 'notRemoved', 'removals follow the upstream', '==', 0, 'correctness');
  // The soak proves nothing unless the harvests ran and met the faults while the load ran.
  results.check(kind, 'faults', 'faults were injected', '>=', 1, 'correctness');
  for (const source of SOURCES) {
    results.check(
      kind,
      `harvests.${source}.succeeded`,
      `${source} harvests succeeded during the soak`,
      '>=',
      1,
      'correctness',
    );
  }
  results.check(kind, 'requests', 'requests served', '>=', 1, 'correctness');
  results.check(
    kind,
    'rss.growth',
    `server RSS flat after warm-up (growth ≤ ${RSS_TOLERANCE * 100}%)`,
    '<=',
    RSS_TOLERANCE * 100,
    'correctness',
  );
  if (verdict.violations.length > 0) {
    results.errors.push(
      ...verdict.violations.map((v) => `${kind}: ${v.rule}: ${v.count} (e.g. ${v.examples.join(', ')})`),
    );
  }
  for (const [what, ids] of Object.entries(verdict.comparison)) {
    if (ids.length > 0) results.errors.push(`${kind}: ${what}: ${ids.slice(0, 10).join(', ')}`);
  }
  for (const example of outcome.errorExamples) results.errors.push(`${kind}: ${example}`);
}
