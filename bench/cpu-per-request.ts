/**
 * Issue 14: the server's CPU time per request, which moves far less than req/s when other work
 * shares the machine. For each route: wrk (`-t2 -c16`) for a warm-up, then a measured run; the
 * server process's user + system time (`/proc/PID/stat`, every thread) over the measured run /
 * the requests wrk completed in it. The two hello references (bare `node:http`, bare Fastify) are
 * measured the same way in the same run.
 *
 *   npx tsx bench/cpu-per-request.ts seed PATH [N]          # a kr-icreat SQLite database as the api scenario seeds it
 *   npx tsx bench/cpu-per-request.ts measure PATH [--duration S] [--warmup S] [--rounds R] [--profile DIR] [--log-level L]
 *
 * `--rounds R` repeats the whole set R times (each a fresh wrk run per route) and prints every
 * round; `--profile DIR` writes one `.cpuprofile` per API route (a separate run, after the
 * measured ones: the inspector's sampling costs CPU of its own).
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { atRelease, datasetSpec, DEFAULT_SEED } from './dataset/dataset-spec.js';
import { krRecordId } from './dataset/kr-dataset.js';
import type { LoadCall } from './procs/load-generator.js';
import { harvestEnv, harvestInWorker, NO_UPSTREAM } from './scenarios/harvest-phases.js';
import type { ScenarioContext } from './scenarios/scenario.js';
import type { Child } from './support/ipc.js';
import { procPath, startApiServer, startChild } from './support/ipc.js';
import { openLoadRunner } from './support/load.js';
import { processCpuSeconds } from './support/proc-cpu.js';

const DAY_MS = 86_400_000;
const cpuSeconds = processCpuSeconds;

function log(message: string): void {
  process.stderr.write(`[cpu-per-request] ${message}\n`);
}

async function seed(path: string, n: number): Promise<void> {
  const context = { profileFlags: () => [], log } as unknown as ScenarioContext;
  const spec = datasetSpec(n, DEFAULT_SEED, [5]);
  const now = Date.now();
  for (const [release, daysAgo] of [
    [0, 30],
    [1, 2],
  ] as const) {
    log(`release ${release} (${daysAgo} days ago), N=${n}`);
    const outcome = await harvestInWorker(
      context,
      {
        env: harvestEnv('kr-icreat', NO_UPSTREAM, `sqlite:${path}`),
        source: 'kr-icreat',
        mode: 'full',
        memory: { spec: atRelease(spec, release), pageSize: 1_000, clockMs: now - daysAgo * DAY_MS },
      },
      `seed-${release}`,
    );
    log(`  ${outcome.run.status}: ${outcome.trialsAfter} trials, ${(outcome.elapsedMs / 1000).toFixed(0)} s`);
  }
}

/** Waits until the process uses under 10% of a core over a second (start-up work done), 60 s at most. */
async function settled(pid: number): Promise<void> {
  for (let tries = 0; tries < 60; tries++) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (cpuSeconds(pid) - before < 0.1) return;
  }
}

interface RouteSpec {
  key: string;
  server: 'node-http' | 'fastify' | 'api';
  paths: string[];
}

async function measure(
  path: string,
  options: {
    durationS: number;
    warmupS: number;
    rounds: number;
    profileDir?: string;
    logLevel: string;
    env: Record<string, string>;
    routes?: Set<string>;
  },
  n: number,
): Promise<void> {
  const count = Math.min(n, 1_000);
  const ids = Array.from({ length: count }, (_, k) => krRecordId(Math.floor((k * n) / count)));
  const all: RouteSpec[] = [
    { key: 'hello node:http', server: 'node-http', paths: ['/hello'] },
    { key: 'hello Fastify', server: 'fastify', paths: ['/hello'] },
    // A route of the API server that does no work (health): what its hooks and headers cost.
    { key: 'healthz', server: 'api', paths: ['/healthz'] },
    { key: 'get one', server: 'api', paths: ids.map((id) => `/api/v1/trials/${id}`) },
    { key: 'list 7d', server: 'api', paths: ['/api/v1/trials?updatedWithin=7d'] },
    { key: 'list first', server: 'api', paths: ['/api/v1/trials'] },
  ];
  const routes = all.filter(
    (route) => options.routes === undefined || options.routes.has(route.key.replace(/\W+/g, '-')),
  );
  const load = await openLoadRunner(log);
  const servers = new Map<RouteSpec['server'], Child<{ url: string }>>();
  try {
    for (const kind of ['node-http', 'fastify'] as const) {
      if (!routes.some((route) => route.server === kind)) continue;
      servers.set(
        kind,
        await startChild<{ url: string }>(procPath('hello-server.ts'), {
          name: `hello (${kind})`,
          env: { HELLO_KIND: kind },
        }),
      );
    }
    if (routes.some((route) => route.server === 'api'))
      servers.set('api', await startApiServer(`sqlite:${path}`, 'kr-icreat', options.logLevel, options.env));
    for (const server of servers.values()) await settled(server.pid);
    const call = (route: RouteSpec, durationS: number): LoadCall => ({
      baseUrl: servers.get(route.server)!.info.url,
      paths: route.paths,
      connections: 16,
      workers: 2,
      durationS,
      warmupS: 0,
    });
    const rows: string[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const route of routes) {
        const server = servers.get(route.server)!;
        await load.run(call(route, options.warmupS));
        const before = cpuSeconds(server.pid);
        const outcome = await load.run(call(route, options.durationS));
        const cpu = cpuSeconds(server.pid) - before;
        const bad = outcome.non2xx + outcome.errors + outcome.timeouts;
        const row = `round ${round} | ${route.key.padEnd(15)} | ${((cpu / outcome.requests) * 1e6).toFixed(1).padStart(7)} µs/req | ${outcome.requestsPerSecond.toFixed(0).padStart(6)} req/s | ${outcome.requests} requests | server CPU ${cpu.toFixed(2)} s | ${bad} bad | load ${loadavg()[0]!.toFixed(1)}`;
        log(row);
        rows.push(row);
      }
    }
    if (options.profileDir !== undefined) {
      const api = servers.get('api')!;
      mkdirSync(options.profileDir, { recursive: true });
      for (const route of routes.filter((candidate) => candidate.server === 'api')) {
        const file = join(options.profileDir, `${route.key.replace(/\W+/g, '-')}.cpuprofile`);
        await api.call('profileStart');
        await load.run(call(route, options.durationS));
        log(`profile: ${await api.call<string>('profileStop', file)}`);
      }
    }
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    for (const server of servers.values()) await server.stop(15_000);
    await load.close();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'string' },
    'log-level': { type: 'string', default: 'warn' },
    n: { type: 'string', default: '100000' },
    env: { type: 'string', multiple: true, default: [] },
    routes: { type: 'string' },
  },
});
const [command, path, nText] = positionals;
if (path === undefined || (command !== 'seed' && command !== 'measure')) {
  process.stderr.write('usage: cpu-per-request.ts seed PATH [N] | measure PATH [--n N] [--duration S] …\n');
  process.exit(2);
}
if (command === 'seed') await seed(path, Number(nText ?? '100000'));
else
  await measure(
    path,
    {
      durationS: Number(values.duration),
      warmupS: Number(values.warmup),
      rounds: Number(values.rounds),
      logLevel: values['log-level'],
      env: Object.fromEntries(
        values.env.map((pair) => [pair.split('=')[0]!, pair.split('=').slice(1).join('=')]),
      ),
      ...(values.routes === undefined ? {} : { routes: new Set(values.routes.split(',')) }),
      ...(values.profile === undefined ? {} : { profileDir: values.profile }),
    },
    Number(values.n),
  );
