/**
 * The read API under load (issues 3, 6 and 14): N trials in the database, `trialwatch serve` in its
 * own process, wrk in another (`wrk -t2 -c16 -d15s` after a 3 s warm-up; the autocannon process
 * with the same shape when wrk cannot run, see support/load.ts), and two references measured the
 * same way: a bare Fastify "hello" route and a bare `node:http` one.
 *
 * The data: N kr-icreat records (or ClinicalTrials.gov studies with `--dataset ctgov`) written by
 * the harvest service from a generated in-memory listing, first 30 days ago, then a release 2 days
 * ago in which 5% changed — so "changed within the last week" holds 5% of the trials. ClinicalTrials.gov
 * gets a release 16 days ago too, and mixed changes (see `seedPlan`), for the typed-change filters.
 * `--routes a,b` measures only those routes (their keys; the hellos always run).
 */
import type { HarvestCall } from '../procs/harvest-worker.js';
import type { LoadCall, LoadOutcome } from '../procs/load-generator.js';
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { atRelease, datasetSpec } from '../dataset/dataset-spec.js';
import { ctgovStudyId } from '../dataset/ctgov-dataset.js';
import { krRecordId } from '../dataset/kr-dataset.js';
import { countChanged } from '../dataset/random.js';
import type { BenchDatabase, DbKind } from '../support/databases.js';
import { analyzePostgres, createDatabase } from '../support/databases.js';
import type { Child } from '../support/ipc.js';
import { procPath, startApiServer, startChild } from '../support/ipc.js';
import type { LoadRunner } from '../support/load.js';
import { processCpuSeconds } from '../support/proc-cpu.js';
import { describeRunner, openLoadRunner } from '../support/load.js';
import type { MemoryPeaks } from '../support/memory-sampler.js';
import type { Results } from '../support/report.js';
import { harvestEnv, harvestInWorker, NO_UPSTREAM } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const DAY_MS = 86_400_000;
const CHANGED_PERCENT = 5;
/** ClinicalTrials.gov: the share changed in the release before the last week's. */
const EARLIER_CHANGED_PERCENT = 10;
/** Issue 17: `/api/v1/changes?type=status` on 100,000 trials. */
const TYPE_FILTER_P95_MS = 50;
/** Pages of the default size (20) walked to get the deep cursor. */
const DEEP_PAGES = 1_000;
/** Distinct ids the get-one and compat-search routes cycle through. */
const SAMPLE_IDS = 1_000;
const MB = 1e6;

interface Route {
  key: string;
  label: string;
  /** Which server answers it. */
  server: 'hello' | 'api';
  paths: string[];
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: kept as text for the error message
  }
  return { status: response.status, body };
}

/** Walks `pages` pages of the default list and returns the cursor of the next one, and the time taken. */
async function deepCursor(baseUrl: string, pages: number): Promise<{ cursor: string; seconds: number }> {
  const started = performance.now();
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const url: string = `${baseUrl}/api/v1/trials${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`;
    const { status, body } = await getJson(url);
    const next = (body as { nextCursor?: unknown }).nextCursor;
    if (status === 200 && next === null) {
      throw new Error(
        `the list ended after ${page + 1} pages: a cursor ${pages} pages deep needs more than ${pages * 20} trials (use a larger --n)`,
      );
    }
    if (status !== 200 || typeof next !== 'string') {
      throw new Error(
        `walking the list to the deep cursor: page ${page + 1} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
    cursor = next;
  }
  return { cursor: cursor!, seconds: (performance.now() - started) / 1000 };
}

/** One request per path before the load: a route that does not answer 200 is an error, not a figure. */
async function checkRoutes(baseUrl: string, route: Route): Promise<void> {
  for (const path of route.paths.slice(0, 3)) {
    const { status, body } = await getJson(`${baseUrl}${path}`);
    if (status !== 200) {
      throw new Error(
        `${route.label}: GET ${path} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  }
}

/**
 * The releases a dataset is seeded from: kr-icreat, 30 days ago and 2 days ago with 5% changed;
 * ClinicalTrials.gov, the same with a release 16 days ago in between (10% changed), each study
 * that changes making one kind of change (`changeMix: 'mixed'`: status, enrollment or only the
 * registry's dates), so the feed holds typed updates inside and outside the last week.
 */
function seedPlan(
  context: ScenarioContext,
  source: 'kr-icreat' | 'ctgov',
): { spec: DatasetSpec; releases: { release: number; daysAgo: number; label: string }[] } {
  if (source === 'kr-icreat') {
    return {
      spec: datasetSpec(context.n, context.seed, [CHANGED_PERCENT]),
      releases: [
        { release: 0, daysAgo: 30, label: 'seed: first harvest (30 days ago)' },
        { release: 1, daysAgo: 2, label: `seed: ${CHANGED_PERCENT}% changed (2 days ago)` },
      ],
    };
  }
  return {
    spec: datasetSpec(context.n, context.seed, [EARLIER_CHANGED_PERCENT, CHANGED_PERCENT], 'mixed'),
    releases: [
      { release: 0, daysAgo: 30, label: 'seed: first harvest (30 days ago)' },
      { release: 1, daysAgo: 16, label: `seed: ${EARLIER_CHANGED_PERCENT}% changed, mixed (16 days ago)` },
      { release: 2, daysAgo: 2, label: `seed: ${CHANGED_PERCENT}% changed, mixed (2 days ago)` },
    ],
  };
}

async function seed(
  context: ScenarioContext,
  results: Results,
  database: BenchDatabase,
  source: 'kr-icreat' | 'ctgov',
): Promise<void> {
  const plan = seedPlan(context, source);
  const spec = plan.spec;
  const last = plan.releases.at(-1)!.release;
  const now = Date.now();
  const releases = plan.releases.map(({ release, daysAgo, label }) => ({
    release,
    clockMs: now - daysAgo * DAY_MS,
    label,
  }));
  const column = database.kind;
  for (const { release, clockMs, label } of releases) {
    context.log(`${column}: ${label}, N=${spec.n}`);
    const call: HarvestCall = {
      env: harvestEnv(source, NO_UPSTREAM, database.url),
      source,
      mode: 'full',
      memory: { spec: atRelease(spec, release), pageSize: 1_000, clockMs },
    };
    const outcome = await harvestInWorker(context, call, `api-seed-${column}-${release}`);
    if (outcome.run.status !== 'succeeded') {
      throw new Error(`${label}: the harvest ended ${outcome.run.status}: ${outcome.run.errorMessage ?? ''}`);
    }
    const seconds = outcome.elapsedMs / 1000;
    results.add(
      column,
      `seed.${release}.rate`,
      `${label}: records/s`,
      outcome.run.fetched / seconds,
      'records/s',
    );
    if (release === last) {
      results.add(column, 'trials', 'trials', outcome.trialsAfter, 'count');
      results.add(column, 'changes', 'change events', outcome.changesAfter, 'count');
      results.add(
        column,
        'recent',
        'changed within 7 days',
        outcome.versionsAfter - outcome.versionsBefore,
        'count',
      );
      results.add(column, 'dbBytes', 'database size', outcome.sizeAfter.totalBytes, 'bytes');
      results.add(
        column,
        'dbBytesPerTrial',
        'database bytes per trial',
        outcome.sizeAfter.totalBytes / outcome.trialsAfter,
        'bytes',
      );
      results.noteDatabase({
        kind: database.kind,
        version: outcome.databaseVersion,
        location: database.location,
      });
      const expected = countChanged(spec.seed, spec.n, last, CHANGED_PERCENT);
      if (outcome.versionsAfter - outcome.versionsBefore !== expected) {
        throw new Error(
          `seeding wrote ${outcome.versionsAfter - outcome.versionsBefore} versions in the last release, not ${expected}`,
        );
      }
    }
  }
}

async function measure(
  context: ScenarioContext,
  results: Results,
  load: LoadRunner,
  server: Child<{ url: string }>,
  route: Route,
  prefix: string,
): Promise<LoadOutcome> {
  await checkRoutes(server.info.url, route);
  await server.call('resetMemory');
  const call: LoadCall = {
    baseUrl: server.info.url,
    paths: route.paths,
    connections: context.load.connections,
    workers: context.load.workers,
    durationS: context.load.durationS,
    warmupS: context.load.warmupS,
  };
  context.log(`${route.label}: ${context.load.warmupS} s warm-up, ${context.load.durationS} s measured`);
  const profile =
    route.server === 'api' ? context.profileFile(`${prefix}${route.key}`.replace(/\W+/g, '-')) : undefined;
  if (profile !== undefined) await server.call('profileStart');
  const cpuBefore = processCpuSeconds(server.pid);
  const outcome = await load.run(call);
  // Over the warm-up and the measured run, all the server's threads (reader threads included).
  const cpuSeconds = processCpuSeconds(server.pid) - cpuBefore;
  const served = outcome.requests + (outcome.warmup?.requests ?? 0);
  if (profile !== undefined) context.log(`profile: ${await server.call<string>('profileStop', profile)}`);
  const memory = await server.call<MemoryPeaks>('memory');
  const key = `${prefix}${route.key}`;
  const label = `${prefix}${route.label}`;
  results.add('req/s', key, label, outcome.requestsPerSecond, 'req/s');
  results.add('p50 ms', key, label, outcome.latencyMs.p50, 'ms');
  results.add('p95 ms', key, label, outcome.latencyMs.p95, 'ms');
  results.add('p99 ms', key, label, outcome.latencyMs.p99, 'ms');
  results.add('max ms', key, label, outcome.latencyMs.max, 'ms');
  results.add('non-2xx', key, label, outcome.non2xx, 'count');
  results.add('errors', key, label, outcome.errors + outcome.timeouts, 'count');
  if (profile === undefined && served > 0) {
    results.add('server CPU µs/req', key, label, (cpuSeconds / served) * 1e6, 'µs');
  }
  results.add('server RSS MB', key, label, memory.rssHighWaterBytes / MB, 'MB');
  results.add('server heap MB', key, label, memory.heapUsedBytes / MB, 'MB');
  context.log(
    `${route.label}: ${outcome.requestsPerSecond.toFixed(0)} req/s, p99 ${outcome.latencyMs.p99} ms, ${outcome.non2xx} non-2xx, ${outcome.errors} errors`,
  );
  const warmupBad = outcome.warmup === null ? 0 : outcome.warmup.non2xx + outcome.warmup.errors;
  if (outcome.non2xx + outcome.errors + outcome.timeouts + warmupBad > 0) {
    results.errors.push(
      `${label}: ${outcome.non2xx} non-2xx (${JSON.stringify(outcome.statusCodes)}), ${outcome.errors} errors, ${outcome.timeouts} timeouts${warmupBad > 0 ? `, ${warmupBad} bad answers during warm-up` : ''}`,
    );
  }
  return outcome;
}

type CheckRest = Parameters<Results['check']> extends [string, string, ...infer Rest] ? Rest : never;

/** The route keys `--routes` names, or undefined for all of them. */
function chosenRoutes(context: ScenarioContext): Set<string> | undefined {
  const list = context.extra.routes;
  if (list === undefined) return undefined;
  return new Set(
    list
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== ''),
  );
}

function sampleIds(n: number, idOf: (index: number) => string): string[] {
  const count = Math.min(n, SAMPLE_IDS);
  const ids: string[] = [];
  for (let k = 0; k < count; k++) ids.push(idOf(Math.floor((k * n) / count)));
  return ids;
}

export const apiScenario: Scenario = {
  name: 'api',
  description: 'read API under load: get one, last-week list, deep cursor, compat routes; hello reference',
  defaultN: 100_000,
  inDefaultSet: true,
  defaultDbs: 'sqlite',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const dataset = context.extra.dataset ?? 'kr';
    if (dataset !== 'kr' && dataset !== 'ctgov')
      throw new Error(`--dataset must be kr or ctgov (got ${dataset})`);
    const source = dataset === 'kr' ? 'kr-icreat' : 'ctgov';
    const idOf = dataset === 'kr' ? krRecordId : ctgovStudyId;
    const ids = sampleIds(context.n, idOf);
    Object.assign(results.parameters, {
      dataset: `${dataset}: ${source} records generated from the real fixtures, stored by the harvest service`,
      changedPercent: CHANGED_PERCENT,
      deepPages: DEEP_PAGES,
      sampleIds: ids.length,
      serverLogLevel: context.serverLogLevel,
      server: 'src/bin/serve.ts serve({ scheduler: false }) under tsx, its own process',
    });

    const load = await openLoadRunner((message) => context.log(message));
    Object.assign(results.parameters, {
      loadGenerator: `${describeRunner(load, context.load)}, ${context.load.durationS} s after ${context.load.warmupS} s warm-up`,
      generator: load.generator,
    });
    if (load.generator !== 'wrk') results.note(`the load generator was autocannon: ${load.fallbackReason}`);
    try {
      results.section('load');
      const references: LoadOutcome[] = [];
      for (const [kind, key, label] of [
        ['fastify', 'hello', 'hello (bare Fastify)'],
        ['node-http', 'hello-node', 'hello (bare node:http)'],
      ] as const) {
        const hello = await startChild<{ url: string }>(procPath('hello-server.ts'), {
          name: `hello server (${kind})`,
          env: { HELLO_KIND: kind },
        });
        try {
          references.push(
            await measure(
              context,
              results,
              load,
              hello,
              { key, label, server: 'hello', paths: ['/hello'] },
              '',
            ),
          );
        } finally {
          await hello.stop();
        }
      }
      for (const kind of context.dbs) {
        await runOnDatabase(
          context,
          results,
          load,
          kind,
          source,
          ids,
          references[0]!,
          references[1]!,
          context.dbs.length > 1 ? `${kind} ` : '',
        );
      }
    } finally {
      await load.close();
    }
    results.note(
      'x hello = req/s of the route / req/s of the bare Fastify hello route; x node:http = the same against a bare node:http server; same load, same run.',
    );
    results.note(
      `the deep cursor is the default list (newest change first) after ${DEEP_PAGES} pages of 20; "x first page" compares it with that list's first page.`,
    );
  },
};

async function runOnDatabase(
  context: ScenarioContext,
  results: Results,
  load: LoadRunner,
  kind: DbKind,
  source: 'kr-icreat' | 'ctgov',
  ids: string[],
  reference: LoadOutcome,
  nodeHello: LoadOutcome,
  prefix: string,
): Promise<void> {
  const database = await createDatabase(kind, 'api');
  let server: Child<{ url: string }> | undefined;
  try {
    results.section('dataset');
    await seed(context, results, database, source);
    if (kind === 'postgres') {
      // As autovacuum would have by now in a deployment (the bench server may run without it).
      const autovacuum = await analyzePostgres(database.url);
      results.note(`PostgreSQL: ANALYZE after seeding (the server's autovacuum is ${autovacuum}).`);
    }
    context.log(`${kind}: starting the API server`);
    server = await startApiServer(database.url, source, context.serverLogLevel);
    const chosen = chosenRoutes(context);
    // A failed walk is an error of the run, but the other routes are still measured.
    const walk =
      chosen !== undefined && !chosen.has('list-deep')
        ? undefined
        : await deepCursor(server.info.url, DEEP_PAGES).catch((error: unknown) => {
            results.errors.push(error instanceof Error ? error.message : String(error));
            return undefined;
          });
    if (walk !== undefined) {
      results.add(kind, 'walk', `walk of ${DEEP_PAGES} pages (one client, sequential)`, walk.seconds, 's');
    }
    results.section('load');
    const routes: Route[] = [
      {
        key: 'get-one',
        label: 'GET /api/v1/trials/{id}',
        server: 'api',
        paths: ids.map((id) => `/api/v1/trials/${id}`),
      },
      {
        key: 'list-7d',
        label: 'GET /api/v1/trials?updatedWithin=7d',
        server: 'api',
        paths: ['/api/v1/trials?updatedWithin=7d'],
      },
      {
        key: 'list-first',
        label: 'GET /api/v1/trials (first page)',
        server: 'api',
        paths: ['/api/v1/trials'],
      },
      ...(walk === undefined
        ? []
        : [
            {
              key: 'list-deep',
              label: `GET /api/v1/trials?cursor= (${DEEP_PAGES} pages deep)`,
              server: 'api' as const,
              paths: [`/api/v1/trials?cursor=${encodeURIComponent(walk.cursor)}`],
            },
          ]),
      {
        // The typed-change filter (issue 17): kr-icreat records have no status, so nothing matches
        // and the filter reads the whole feed — its worst case. ClinicalTrials.gov studies have
        // status changes among many other events (see seedPlan).
        key: 'changes-type',
        label: `GET /api/v1/changes?type=status${source === 'kr-icreat' ? ' (no match)' : ''}`,
        server: 'api',
        paths: ['/api/v1/changes?type=status'],
      },
      {
        key: 'changes-type-material',
        label: 'GET /api/v1/changes?type=status&material=true',
        server: 'api',
        paths: ['/api/v1/changes?type=status&material=true'],
      },
      {
        key: 'changes-material',
        label: 'GET /api/v1/changes?material=true',
        server: 'api',
        paths: ['/api/v1/changes?material=true'],
      },
      {
        key: 'list-7d-type',
        label: 'GET /api/v1/trials?updatedWithin=7d&changeType=status',
        server: 'api',
        paths: ['/api/v1/trials?updatedWithin=7d&changeType=status'],
      },
      {
        key: 'compat-search',
        label: 'GET /api/search/{number}',
        server: 'api',
        paths: ids.map((id) => `/api/search/${id}`),
      },
      {
        key: 'compat-list',
        label: 'GET /api/list (brief default: 100)',
        server: 'api',
        paths: ['/api/list'],
      },
    ];
    if (chosen !== undefined) {
      const unknown = [...chosen].filter((key) => !routes.some((route) => route.key === key));
      if (unknown.length > 0) {
        throw new Error(
          `--routes: unknown ${unknown.join(', ')} (known: ${routes.map((route) => route.key).join(', ')}, list-deep)`,
        );
      }
    }
    const measured = new Map<string, LoadOutcome>();
    for (const route of routes.filter((candidate) => chosen === undefined || chosen.has(candidate.key))) {
      try {
        measured.set(route.key, await measure(context, results, load, server, route, prefix));
      } catch (error) {
        // A route that fails its check is an error of the run; the others are still measured.
        results.errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    for (const [key, outcome] of measured) {
      results.add(
        'x hello',
        `${prefix}${key}`,
        `${prefix}${routes.find((r) => r.key === key)!.label}`,
        outcome.requestsPerSecond / reference.requestsPerSecond,
        'x',
      );
      results.add(
        'x node:http',
        `${prefix}${key}`,
        `${prefix}${routes.find((r) => r.key === key)!.label}`,
        outcome.requestsPerSecond / nodeHello.requestsPerSecond,
        'x',
      );
    }
    const first = measured.get('list-first');
    const deep = measured.get('list-deep');
    if (first !== undefined && deep !== undefined) {
      const deepLabel = `${prefix}${routes.find((r) => r.key === 'list-deep')!.label}`;
      results.add(
        'x first page',
        `${prefix}list-deep`,
        deepLabel,
        deep.requestsPerSecond / first.requestsPerSecond,
        'x',
      );
    }
    const serverMemory = await server.call<MemoryPeaks>('memory');
    results.section('dataset');
    results.add(
      kind,
      'serverRss',
      'API server peak RSS (last route)',
      serverMemory.rssHighWaterBytes / MB,
      'MB',
    );

    // A route left out by --routes has no target.
    const check = (column: string, key: string, ...rest: CheckRest): void => {
      if (measured.has(key)) results.check(column, `${prefix}${key}`, ...rest);
    };
    const note =
      context.n === 100_000 ? undefined : `target set for N = 100,000 (this run: N = ${context.n})`;
    check('req/s', 'get-one', 'get one: throughput', '>=', 11_500, 'performance', note);
    check('p99 ms', 'get-one', 'get one: p99', '<=', 5, 'performance', note);
    check('req/s', 'list-7d', 'updatedWithin=7d first page: throughput', '>=', 5_500, 'performance', note);
    check('p99 ms', 'list-7d', 'updatedWithin=7d first page: p99', '<=', 10, 'performance', note);
    // Issue 14: against a bare node:http server measured with wrk in the same run.
    check('x node:http', 'get-one', 'get one: x bare node:http hello', '>=', 0.6, 'performance', note);
    check(
      'x node:http',
      'list-first',
      'first list page: x bare node:http hello',
      '>=',
      0.35,
      'performance',
      note,
    );
    if (source === 'ctgov') {
      for (const key of ['changes-type', 'changes-type-material', 'list-7d-type']) {
        check(
          'p95 ms',
          key,
          `${routes.find((route) => route.key === key)!.label}: p95`,
          '<=',
          TYPE_FILTER_P95_MS,
          'performance',
          note,
        );
      }
    }
    check(
      'x first page',
      'list-deep',
      'deep cursor within 20% of the first page',
      '>=',
      0.8,
      'performance',
      note,
    );
  } finally {
    if (server !== undefined) {
      const code = await server.stop(15_000);
      if (code !== 0) results.errors.push(`the API server exited with code ${code}`);
    }
    await database.drop();
  }
}
