/**
 * The read API while `serve` harvests (issue 14): the real CLI, `trialwatch serve --no-scheduler`
 * (src/bin/trialwatch.ts under `node --import tsx`, so its harvests run in its own child process
 * of bin/harvest-worker.ts), on a database holding the kr-icreat snapshot and N ClinicalTrials.gov
 * studies; wrk (`-t1 -c4`) in its own process on get-one and on the first page of
 * `updatedWithin=7d`, measured idle, during a full ctgov harvest of N studies started by
 * `POST /api/v1/harvests` on that same `serve` (from the fake API v2 process), and idle again; and
 * get-one measured while a second wrk client (`-t1 -c1`) asks for `facets?field=country`, idle and
 * during a harvest. The harvest's studies/s inside `serve` is compared with a CLI harvest
 * (`trialwatch harvest --source ctgov --full`) of the same release into a copy of the same
 * database, in the same run; peak RSS of `serve`, of its harvest child and of the CLI harvest
 * are read from /proc.
 *
 * The data: the 145 real kr-icreat records and N studies written by the harvest service from
 * generated pages, 30 days ago and 2 days ago with 5% changed (so the last-week list holds 5%).
 * Each measured harvest serves a new release in which every study changed, so each is a full
 * harvest that writes N versions (the first load's work; trials updated instead of inserted): one
 * harvest per measured window, so that the window lies inside it (checked: `in harvest %`).
 */
import { spawn } from 'node:child_process';
import type { HarvestCall } from '../procs/harvest-worker.js';
import type { LoadCall, LoadOutcome } from '../procs/load-generator.js';
import type { UpstreamInfo } from '../procs/upstream.js';
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { atRelease, datasetSpec } from '../dataset/dataset-spec.js';
import { ctgovStudyId } from '../dataset/ctgov-dataset.js';
import { countChanged } from '../dataset/random.js';
import { buildConfig } from '../../src/config/config.js';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import { DEFAULT_SOURCES, sourceConfigParsers } from '../../src/sources/registry.js';
import { openStore } from '../../src/store/database.js';
import { latestRunBySource } from '../../src/store/harvest-run.repository.js';
import type { BenchDatabase, DbKind } from '../support/databases.js';
import { copyDatabase, createDatabase } from '../support/databases.js';
import type { Child } from '../support/ipc.js';
import type { LoadRunner } from '../support/load.js';
import { describeRunner, openLoadRunner } from '../support/load.js';
import { ProcessTreeSampler } from '../support/proc-memory.js';
import type { Results } from '../support/report.js';
import type { ServeProcess } from '../support/serve.js';
import { CLI, ROOT, startServe, waitExit } from '../support/serve.js';
import { harvestEnv, harvestInWorker, NO_UPSTREAM, startUpstream } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const DAY_MS = 86_400_000;
const MB = 1e6;
const SAMPLE_IDS = 1_000;
const KR_SNAPSHOT = 145;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** wrk's shape for the measured client and for the facet client (issue 14). */
const CLIENT = { workers: 1, connections: 4 };
const FACET_CLIENT = { workers: 1, connections: 1 };
const FACET_PATH = '/api/v1/facets?field=country';
/** Seconds of unmeasured load per route on a freshly started serve (at least `--warmup`). */
const SERVER_WARMUP_S = 5;
/** Release 1 is the seeded 5% change; every later release changes every study. */
const CHANGED = [5, 100, 100, 100, 100];

type Phase = 'idle-before' | 'during' | 'idle-after';
const PHASE_LABEL: Record<Phase, string> = {
  'idle-before': 'idle (before)',
  during: 'during harvest',
  'idle-after': 'idle (after)',
};

interface Route {
  key: string;
  label: string;
  paths: string[];
  /** Measured with a facet client running beside it. */
  facet: boolean;
}

interface Window {
  outcome: LoadOutcome;
  facet?: LoadOutcome;
  /** Epoch ms of the measured part (after the warm-up). */
  startMs: number;
  endMs: number;
  serveRssBytes: number;
}

interface RunView {
  id: number;
  status: string;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  startedAt: string;
  finishedAt: string | null;
  errorMessage: string | null;
}

// ---------------------------------------------------------------------------------------------
// The processes

async function startHarvest(url: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/harvests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'ctgov', mode: 'full' }),
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST /api/v1/harvests answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { runId: number }).runId;
}

async function waitRun(url: string, id: number): Promise<RunView> {
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const response = await fetch(`${url}/api/v1/harvests/${id}`);
    if (response.status !== 200) {
      throw new Error(`GET /api/v1/harvests/${id} answered ${response.status}: ${await response.text()}`);
    }
    const run = (await response.json()) as RunView;
    if (run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`harvest run ${id} still running after an hour`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `trialwatch harvest --source ctgov --full` into `database`; its run as recorded, and its peak RSS. */
async function cliHarvest(
  env: Record<string, string>,
): Promise<{ run: HarvestRun; wallMs: number; peakRssBytes: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'harvest', '--source', 'ctgov', '--full'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const sampler = new ProcessTreeSampler(child.pid ?? -1).start(100);
  const code = await waitExit(child);
  const wallMs = performance.now() - started;
  sampler.stop();
  const peakRssBytes = sampler.root().highWaterBytes;
  if (code !== 0) throw new Error(`trialwatch harvest exited with code ${code}`);
  const config = buildConfig(env, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  try {
    const run = (await latestRunBySource(store.db)).get('ctgov');
    if (run === undefined) throw new Error('the CLI harvest recorded no ctgov run');
    return { run, wallMs, peakRssBytes };
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Load

function failures(outcome: LoadOutcome): number {
  const warmup = outcome.warmup === null ? 0 : outcome.warmup.non2xx + outcome.warmup.errors;
  return outcome.non2xx + outcome.errors + outcome.timeouts + warmup;
}

async function checkPaths(url: string, paths: readonly string[]): Promise<void> {
  for (const path of paths.slice(0, 3)) {
    const response = await fetch(`${url}${path}`);
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

/** One window: warm-up, then the measured run (and a facet client beside it on a second wrk). */
async function measureWindow(
  context: ScenarioContext,
  load: LoadRunner,
  facetLoad: LoadRunner,
  serve: ServeProcess,
  sampler: ProcessTreeSampler,
  route: Route,
): Promise<Window> {
  const call = (paths: string[], shape: typeof CLIENT, durationS: number): LoadCall => ({
    baseUrl: serve.url,
    paths,
    ...shape,
    durationS,
    warmupS: 0,
  });
  const runBoth = async (durationS: number) => {
    const [outcome, facet] = await Promise.all([
      load.run(call(route.paths, CLIENT, durationS)),
      route.facet ? facetLoad.run(call([FACET_PATH], FACET_CLIENT, durationS)) : Promise.resolve(undefined),
    ]);
    return { outcome, facet };
  };
  let warmupBad = 0;
  if (context.load.warmupS > 0) {
    const warm = await runBoth(context.load.warmupS);
    warmupBad = failures(warm.outcome) + (warm.facet === undefined ? 0 : failures(warm.facet));
  }
  sampler.reset();
  const startMs = Date.now();
  const { outcome, facet } = await runBoth(context.load.durationS);
  const endMs = Date.now();
  const serveRssBytes = sampler.root().highWaterBytes;
  if (warmupBad > 0) outcome.warmup = { requests: 0, non2xx: warmupBad, errors: 0 };
  return { outcome, ...(facet === undefined ? {} : { facet }), startMs, endMs, serveRssBytes };
}

// ---------------------------------------------------------------------------------------------
// The scenario

async function seed(
  context: ScenarioContext,
  results: Results,
  database: BenchDatabase,
  spec: DatasetSpec,
): Promise<void> {
  const now = Date.now();
  const steps: { source: 'kr-icreat' | 'ctgov'; spec: DatasetSpec; clockMs: number; label: string }[] = [
    {
      source: 'kr-icreat',
      spec: datasetSpec(KR_SNAPSHOT, context.seed),
      clockMs: now - 30 * DAY_MS,
      label: 'kr-icreat snapshot (145 real records, 30 days ago)',
    },
    {
      source: 'ctgov',
      spec: atRelease(spec, 0),
      clockMs: now - 30 * DAY_MS,
      label: 'ctgov first harvest (30 days ago)',
    },
    {
      source: 'ctgov',
      spec: atRelease(spec, 1),
      clockMs: now - 2 * DAY_MS,
      label: 'ctgov 5% changed (2 days ago)',
    },
  ];
  for (const [index, step] of steps.entries()) {
    context.log(`${database.kind}: seed: ${step.label}, N=${step.spec.n}`);
    const call: HarvestCall = {
      env: harvestEnv(step.source, NO_UPSTREAM, database.url),
      source: step.source,
      mode: 'full',
      memory: { spec: step.spec, pageSize: 1_000, clockMs: step.clockMs },
    };
    const outcome = await harvestInWorker(context, call, `seed-${database.kind}-${index}`);
    if (outcome.run.status !== 'succeeded') {
      throw new Error(`seed: ${step.label}: ${outcome.run.status}: ${outcome.run.errorMessage ?? ''}`);
    }
    if (index === steps.length - 1) {
      results.add(database.kind, 'trials', 'trials in the database', outcome.trialsAfter, 'count');
      results.add(
        database.kind,
        'dbBytes',
        'database size before the harvests',
        outcome.sizeAfter.totalBytes,
        'bytes',
      );
      results.noteDatabase({
        kind: database.kind,
        version: outcome.databaseVersion,
        location: database.location,
      });
    }
  }
}

function serveEnv(upstream: UpstreamInfo, database: BenchDatabase, logLevel: string): Record<string, string> {
  return {
    ...harvestEnv('ctgov', upstream, database.url),
    SOURCES: 'kr-icreat,ctgov',
    ADMIN_TOKEN,
    LOG_LEVEL: logLevel,
    // All the load comes from one client (loopback), which the per-client limit exists to stop.
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
}

function runRate(run: { fetched: number; startedAt: number; finishedAt: number | null }): number | null {
  if (run.finishedAt === null || run.finishedAt <= run.startedAt) return null;
  return run.fetched / ((run.finishedAt - run.startedAt) / 1000);
}

export const apiUnderHarvestScenario: Scenario = {
  name: 'api-under-harvest',
  description:
    'get-one and the last-week list from wrk while `serve` runs a full ctgov harvest (+ a facet client)',
  defaultN: 20_000,
  inDefaultSet: false,
  defaultDbs: 'all-available',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const spec = datasetSpec(context.n, context.seed, CHANGED);
    const ids: string[] = [];
    const count = Math.min(context.n, SAMPLE_IDS);
    for (let k = 0; k < count; k++) ids.push(ctgovStudyId(Math.floor((k * context.n) / count)));
    const load = await openLoadRunner((message) => context.log(message));
    const facetLoad = await openLoadRunner((message) => context.log(message));
    Object.assign(results.parameters, {
      dataset: `the ${KR_SNAPSHOT} real kr-icreat records + N ctgov studies (seeded 30 and 2 days ago, 5% changed); each harvest serves a release in which every study changed`,
      server:
        'node --import tsx src/bin/trialwatch.ts serve --no-scheduler (SOURCES=kr-icreat,ctgov, CTGOV_MIN_INTERVAL_MS=0); harvests in its child process',
      cliHarvest:
        'node --import tsx src/bin/trialwatch.ts harvest --source ctgov --full, into a copy of the seeded database',
      loadGenerator: `${describeRunner(load, CLIENT)}, ${context.load.durationS} s after ${context.load.warmupS} s warm-up per window`,
      facetClient: `${describeRunner(facetLoad, FACET_CLIENT)} on ${FACET_PATH}`,
      generator: load.generator,
      sampleIds: ids.length,
      serverLogLevel: context.serverLogLevel,
    });
    if (load.generator !== 'wrk') results.note(`the load generator was autocannon: ${load.fallbackReason}`);
    const upstream = await startUpstream(context);
    try {
      for (const kind of context.dbs) {
        await runOnDatabase(context, results, { load, facetLoad }, upstream, kind, spec, ids);
      }
    } finally {
      await Promise.all([upstream.stop(), load.close(), facetLoad.close()]);
    }
    results.note(
      'x idle = the window against the same route idle before the harvests; studies/s = fetched / (finishedAt - startedAt) of the recorded run; in harvest % = share of the measured window during which the harvest was running.',
    );
    results.note(
      "serve RSS = the serve process's VmHWM over the measured window (reset per window); harvest child RSS = the VmHWM of its harvest process (all under tsx, ~50 MB more than the built CLI).",
    );
  },
};

async function runOnDatabase(
  context: ScenarioContext,
  results: Results,
  loads: { load: LoadRunner; facetLoad: LoadRunner },
  upstream: Child<UpstreamInfo>,
  kind: DbKind,
  spec: DatasetSpec,
  ids: string[],
): Promise<void> {
  const n = spec.n;
  const database = await createDatabase(kind, 'under_harvest');
  let serve: ServeProcess | undefined;
  let sampler: ProcessTreeSampler | undefined;
  try {
    results.section(`${kind}: dataset`);
    await seed(context, results, database, spec);

    // The CLI's harvest of release 2 into a copy, alone on the machine (bar the upstream).
    results.section(`${kind}: harvests (full, every study changed)`);
    const copy = await copyDatabase(database, 'under_harvest_cli');
    try {
      await upstream.call('dataset', { source: 'ctgov', spec: atRelease(spec, 2) });
      context.log(`${kind}: CLI harvest of release 2 (N=${n}) into a copy`);
      const cli = await cliHarvest(harvestEnv('ctgov', upstream.info, copy.url));
      const rate = runRate(cli.run);
      results.add(
        'studies/s',
        `${kind}.cli`,
        'CLI `trialwatch harvest --full` (no API load)',
        rate,
        'studies/s',
      );
      results.add(
        's',
        `${kind}.cli`,
        'CLI `trialwatch harvest --full` (no API load)',
        (cli.run.finishedAt! - cli.run.startedAt) / 1000,
        's',
      );
      results.add(
        'versions',
        `${kind}.cli`,
        'CLI `trialwatch harvest --full` (no API load)',
        cli.run.created + cli.run.updated,
        'count',
      );
      results.add(
        'harvest RSS MB',
        `${kind}.cli`,
        'CLI `trialwatch harvest --full` (no API load)',
        cli.peakRssBytes / MB,
        'MB',
      );
      if (cli.run.status !== 'succeeded')
        throw new Error(`the CLI harvest ended ${cli.run.status}: ${cli.run.errorMessage ?? ''}`);
      context.log(`${kind}: CLI harvest: ${rate?.toFixed(0)} studies/s`);
    } finally {
      await copy.drop();
    }

    context.log(`${kind}: starting trialwatch serve`);
    serve = await startServe(serveEnv(upstream.info, database, context.serverLogLevel));
    sampler = new ProcessTreeSampler(serve.pid).start(100);
    const routes: Route[] = [
      { key: 'get-one', label: 'get one', paths: ids.map((id) => `/api/v1/trials/${id}`), facet: false },
      {
        key: 'list-7d',
        label: 'updatedWithin=7d, first page',
        paths: ['/api/v1/trials?updatedWithin=7d'],
        facet: false,
      },
      {
        key: 'get-one-facet',
        label: 'get one + facet client',
        paths: ids.map((id) => `/api/v1/trials/${id}`),
        facet: true,
      },
    ];
    for (const route of routes)
      await checkPaths(serve.url, route.facet ? [...route.paths, FACET_PATH] : route.paths);

    const windows = new Map<string, Window>();
    const record = (phase: Phase, route: Route, window: Window): void => {
      windows.set(`${phase}:${route.key}`, window);
      const label = `${route.label}: ${PHASE_LABEL[phase]}`;
      const key = `${kind}.${route.key}.${phase}`;
      const { outcome } = window;
      results.add('req/s', key, label, outcome.requestsPerSecond, 'req/s');
      results.add('p50 ms', key, label, outcome.latencyMs.p50, 'ms');
      results.add('p99 ms', key, label, outcome.latencyMs.p99, 'ms');
      results.add('max ms', key, label, outcome.latencyMs.max, 'ms');
      results.add('non-2xx+err', key, label, outcome.non2xx + outcome.errors + outcome.timeouts, 'count');
      results.add('serve RSS MB', key, label, window.serveRssBytes / MB, 'MB');
      const idle = windows.get(`idle-before:${route.key}`);
      if (idle !== undefined) {
        results.add(
          'x idle req/s',
          key,
          label,
          outcome.requestsPerSecond / idle.outcome.requestsPerSecond,
          'x',
        );
        results.add('x idle p99', key, label, outcome.latencyMs.p99 / idle.outcome.latencyMs.p99, 'x');
      }
      if (window.facet !== undefined) {
        const facetKey = `${kind}.facet.${route.key}.${phase}`;
        const facetLabel = `  facet client (${FACET_PATH}, -c1): ${PHASE_LABEL[phase]}`;
        results.add('req/s', facetKey, facetLabel, window.facet.requestsPerSecond, 'req/s');
        results.add('p50 ms', facetKey, facetLabel, window.facet.latencyMs.p50, 'ms');
        results.add('p99 ms', facetKey, facetLabel, window.facet.latencyMs.p99, 'ms');
        results.add('max ms', facetKey, facetLabel, window.facet.latencyMs.max, 'ms');
        results.add(
          'non-2xx+err',
          facetKey,
          facetLabel,
          window.facet.non2xx + window.facet.errors + window.facet.timeouts,
          'count',
        );
      }
      const bad = failures(outcome) + (window.facet === undefined ? 0 : failures(window.facet));
      if (bad > 0) results.errors.push(`${kind} ${label}: ${bad} non-2xx answers, errors or timeouts`);
      context.log(
        `${kind}: ${label}: ${outcome.requestsPerSecond.toFixed(0)} req/s, p99 ${outcome.latencyMs.p99} ms${window.facet === undefined ? '' : `; facets ${window.facet.requestsPerSecond.toFixed(0)} req/s, p99 ${window.facet.latencyMs.p99} ms`}`,
      );
    };

    // A fresh process answers slowly until V8 has compiled the routes and the caches are warm: one
    // unmeasured run per path set first, so that "idle (before)" is not the start-up.
    const warmS = Math.max(SERVER_WARMUP_S, context.load.warmupS);
    context.log(`${kind}: warming serve up (${warmS} s per route, unmeasured)`);
    for (const paths of [routes[0]!.paths, routes[1]!.paths, [FACET_PATH]]) {
      const warm = await loads.load.run({
        baseUrl: serve.url,
        paths,
        ...CLIENT,
        durationS: warmS,
        warmupS: 0,
      });
      if (failures(warm) > 0) results.errors.push(`${kind}: ${failures(warm)} bad answers while warming up`);
    }

    results.section(`${kind}: load (wrk -t1 -c4; facet client -t1 -c1)`);
    for (const route of routes) {
      record(
        'idle-before',
        route,
        await measureWindow(context, loads.load, loads.facetLoad, serve, sampler, route),
      );
    }

    // One harvest per window (releases 2, 3, 4), each started right before its window's warm-up.
    const harvests: { key: string; label: string; release: number; route?: Route }[] = [
      {
        key: `${kind}.serve.get-one`,
        label: 'inside serve, under get-one load',
        release: 2,
        route: routes[0]!,
      },
      { key: `${kind}.serve.list-7d`, label: 'inside serve, under list load', release: 3, route: routes[1]! },
      {
        key: `${kind}.serve.get-one-facet`,
        label: 'inside serve, under get-one + facet load',
        release: 4,
        route: routes[2]!,
      },
    ];
    const runHarvest = async (harvest: (typeof harvests)[number]): Promise<void> => {
      await upstream.call('dataset', { source: 'ctgov', spec: atRelease(spec, harvest.release) });
      sampler!.reset();
      const runId = await startHarvest(serve!.url);
      context.log(`${kind}: harvest run ${runId} (release ${harvest.release}) ${harvest.label}`);
      const window =
        harvest.route === undefined
          ? undefined
          : await measureWindow(context, loads.load, loads.facetLoad, serve!, sampler!, harvest.route);
      const run = await waitRun(serve!.url, runId);
      const child = sampler!.children()[0];
      const started = Date.parse(run.startedAt);
      const finished = run.finishedAt === null ? null : Date.parse(run.finishedAt);
      const rate = runRate({ fetched: run.fetched, startedAt: started, finishedAt: finished });
      results.section(`${kind}: harvests (full, every study changed)`);
      results.add('studies/s', harvest.key, harvest.label, rate, 'studies/s');
      results.add(
        's',
        harvest.key,
        harvest.label,
        finished === null ? null : (finished - started) / 1000,
        's',
      );
      results.add('versions', harvest.key, harvest.label, run.created + run.updated, 'count');
      results.add(
        'harvest RSS MB',
        harvest.key,
        harvest.label,
        child === undefined ? null : child.highWaterBytes / MB,
        'MB',
      );
      const cliRate = results.value('studies/s', `${kind}.cli`);
      if (rate !== null && cliRate !== null)
        results.add('x CLI', harvest.key, harvest.label, rate / cliRate, 'x');
      if (window !== undefined) {
        const inside =
          (Math.min(window.endMs, finished ?? window.endMs) - Math.max(window.startMs, started)) /
          (window.endMs - window.startMs);
        results.add('in harvest %', harvest.key, harvest.label, Math.max(0, inside) * 100, '%');
        results.add('serve RSS MB', harvest.key, harvest.label, window.serveRssBytes / MB, 'MB');
        if (inside < 0.999) {
          results.note(
            `${kind} ${harvest.label}: the harvest ended ${((window.endMs - (finished ?? window.endMs)) / 1000).toFixed(1)} s before the measured window did (${(inside * 100).toFixed(0)}% of it inside the harvest): use a larger --n or a shorter --duration`,
          );
        }
      }
      if (child === undefined)
        results.note(`${kind} ${harvest.label}: no harvest child process was seen under serve`);
      if (run.status !== 'succeeded')
        throw new Error(`${harvest.label}: the harvest ended ${run.status}: ${run.errorMessage ?? ''}`);
      const expected = countChanged(spec.seed, n, harvest.release, CHANGED[harvest.release - 1]!);
      if (run.created + run.updated !== expected) {
        results.errors.push(
          `${kind} ${harvest.label}: ${run.created + run.updated} versions written, not ${expected}`,
        );
      }
      context.log(
        `${kind}: harvest run ${runId}: ${rate?.toFixed(0)} studies/s, child peak RSS ${child === undefined ? '?' : (child.highWaterBytes / MB).toFixed(0)} MB`,
      );
      results.section(`${kind}: load (wrk -t1 -c4; facet client -t1 -c1)`);
      if (window !== undefined && harvest.route !== undefined) record('during', harvest.route, window);
    };
    for (const harvest of harvests) await runHarvest(harvest);

    for (const route of routes) {
      record(
        'idle-after',
        route,
        await measureWindow(context, loads.load, loads.facetLoad, serve, sampler, route),
      );
    }
    // For scale: the harvest inside serve with no API load at all.
    await runHarvest({ key: `${kind}.serve.idle`, label: 'inside serve, no API load', release: 5 });

    const target = (key: string, label: string, col: string, op: '<=' | '>=', threshold: number) =>
      results.check(
        col,
        `${kind}.${key}`,
        `${kind}: ${label}`,
        op,
        threshold,
        'performance',
        n === 20_000 ? undefined : `target set for N = 20,000 (this run: N = ${n})`,
      );
    target('get-one.during', 'get one during a harvest: p99 ≤ 2× idle p99', 'x idle p99', '<=', 2);
    target('get-one.during', 'get one during a harvest: p99 ≤ 25 ms', 'p99 ms', '<=', 25);
    target('get-one.during', 'get one during a harvest: throughput ≥ 0.7× idle', 'x idle req/s', '>=', 0.7);
    target('list-7d.during', 'updatedWithin=7d first page during a harvest: p99 ≤ 50 ms', 'p99 ms', '<=', 50);
    target(
      'get-one-facet.during',
      'get one + facet client, during a harvest: p99 ≤ 2× idle p99',
      'x idle p99',
      '<=',
      2,
    );
    target(
      'get-one-facet.during',
      'get one + facet client, during a harvest: p99 ≤ 25 ms',
      'p99 ms',
      '<=',
      25,
    );
    target(
      'get-one-facet.during',
      'get one + facet client, during a harvest: throughput ≥ 0.7× idle',
      'x idle req/s',
      '>=',
      0.7,
    );
    target(
      'serve.get-one',
      'harvest inside serve (under get-one load) ≥ 0.8× the CLI harvest',
      'x CLI',
      '>=',
      0.8,
    );
  } finally {
    sampler?.stop();
    if (serve !== undefined) {
      const code = await serve.stop();
      if (code !== 0) results.errors.push(`${kind}: trialwatch serve exited with code ${code}`);
    }
    await database.drop();
  }
}
