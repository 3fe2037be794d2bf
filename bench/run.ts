/**
 * `npm run bench`: runs the default set of scenarios, or the ones named, and exits non-zero when
 * one of them errors (a crash, a failed harvest, a load run with errors or non-2xx answers, or an
 * exact count that does not match). A missed performance target is reported, not an error.
 *
 *   npm run bench                                   # the default set (see bench/README.md)
 *   npm run bench -- ctgov-harvest --n 100000 --db sqlite
 *   npm run bench -- api --duration 15 --profile
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from './dataset/dataset-spec.js';
import { findScenario, SCENARIOS } from './scenarios/index.js';
import type { LoadOptions, Scenario, ScenarioContext } from './scenarios/scenario.js';
import { profileDir } from './scenarios/scenario.js';
import type { DbKind } from './support/databases.js';
import { postgresUnavailable } from './support/databases.js';
import { machineInfo } from './support/machine.js';
import type { ScenarioReport } from './support/report.js';
import { fileTimestamp, printReport, Results, writeReport } from './support/report.js';

const USAGE = `Usage: npm run bench -- [scenario ...] [options]

Scenarios (default set marked *):
${SCENARIOS.map(
  (scenario) =>
    `  ${scenario.inDefaultSet ? '*' : ' '} ${scenario.name.padEnd(15)} ${scenario.description} (N ${scenario.defaultN.toLocaleString('en-US')}${scenario.defaultSetN === undefined ? '' : `; ${scenario.defaultSetN.toLocaleString('en-US')} in the default set`})`,
).join('\n')}

Options:
  --n N               number of records (overrides the scenario's default)
  --db KIND           sqlite | postgres | all (default: per scenario; postgres when it answers)
  --seed S            dataset seed (default ${DEFAULT_SEED})
  --duration S        seconds of measured load per API route (default 15)
  --warmup S          seconds of warm-up load before each (default 3)
  --connections C     concurrent connections (default 16)
  --workers W         load generator threads (default 2)
  --log-level L       LOG_LEVEL of the API server under load (default warn)
  --dataset KIND      api: kr (default) or ctgov records
  --phases LIST       ctgov-harvest: the phases to run, from full,unchanged,changed (default all)
  --compare-ref REF   ctgov-harvest: also run the code at git REF (its own harvest worker), side by
                      side in the same run, and report the CPU per study of both and the ratio
  --rounds R          with --compare-ref: repeat from empty databases R times (default 1)
  --routes LIST       api, search: only these routes or queries (keys as in the JSON, e.g. changes-status,list-7d)
  --duration-min M    soak: minutes of load (default 10)
  --profile           write a CPU profile of each working process to bench/results/profiles/
  --help              this text
PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); a scratch
database is created and dropped there.`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer (got "${value}")`);
  return parsed;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      n: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      workers: { type: 'string' },
      'log-level': { type: 'string' },
      dataset: { type: 'string' },
      phases: { type: 'string' },
      'compare-ref': { type: 'string' },
      rounds: { type: 'string' },
      routes: { type: 'string' },
      'duration-min': { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const chosen: Scenario[] = [];
  for (const name of positionals) {
    const scenario = findScenario(name);
    if (scenario === undefined)
      throw new Error(`Unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    chosen.push(scenario);
  }
  const defaultSet = chosen.length === 0;
  if (defaultSet) chosen.push(...SCENARIOS.filter((scenario) => scenario.inDefaultSet));
  if (values.db !== undefined && !['sqlite', 'postgres', 'all'].includes(values.db)) {
    throw new Error(`--db must be sqlite, postgres or all (got "${values.db}")`);
  }
  const seed = positiveInt('seed', values.seed, DEFAULT_SEED);
  const load: LoadOptions = {
    durationS: positiveInt('duration', values.duration, 15),
    warmupS: values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup, 3),
    connections: positiveInt('connections', values.connections, 16),
    workers: positiveInt('workers', values.workers, 2),
  };
  const extra: Record<string, string> = {};
  if (values.dataset !== undefined) extra.dataset = values.dataset;
  if (values.phases !== undefined) extra.phases = values.phases;
  if (values['compare-ref'] !== undefined) extra['compare-ref'] = values['compare-ref'];
  if (values.rounds !== undefined) extra.rounds = values.rounds;
  if (values.routes !== undefined) extra.routes = values.routes;
  if (values['duration-min'] !== undefined) extra['duration-min'] = values['duration-min'];

  const started = Date.now();
  const runStamp = fileTimestamp(new Date(started));
  const log = (message: string): void => {
    process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  };
  let postgresProblem: string | undefined | null = null;
  const postgresReason = async (): Promise<string | undefined> => {
    if (postgresProblem === null) postgresProblem = await postgresUnavailable();
    return postgresProblem;
  };

  let failures = 0;
  for (const scenario of chosen) {
    const results = new Results();
    const scenarioStarted = new Date();
    const loadAtStart = Number(loadavg()[0]!.toFixed(2));
    const n = positiveInt(
      'n',
      values.n,
      defaultSet ? (scenario.defaultSetN ?? scenario.defaultN) : scenario.defaultN,
    );
    let dbs: DbKind[] = ['sqlite'];
    try {
      if (values.db === 'postgres' || values.db === 'all') {
        const reason = await postgresReason();
        if (reason !== undefined) throw new Error(`PostgreSQL was asked for but does not answer: ${reason}`);
        dbs = values.db === 'all' ? ['sqlite', 'postgres'] : ['postgres'];
      } else if (values.db === undefined && scenario.defaultDbs === 'all-available') {
        const reason = await postgresReason();
        if (reason === undefined) dbs = ['sqlite', 'postgres'];
        else results.note(`PostgreSQL skipped: ${reason}`);
      }
      const context: ScenarioContext = {
        n,
        dbs,
        seed,
        load,
        serverLogLevel: values['log-level'] ?? 'warn',
        extra,
        profileFlags: (label) =>
          values.profile
            ? // One folder per process: tsx's loader thread writes its own profile next to the main thread's.
              ['--cpu-prof', '--cpu-prof-dir', profileDir(runStamp, scenario.name, label)]
            : [],
        profileFile: (label) =>
          values.profile
            ? join(profileDir(runStamp, scenario.name, 'routes'), `${label}.cpuprofile`)
            : undefined,
        log: (message) => log(`${scenario.name}: ${message}`),
      };
      log(`${scenario.name}: N=${n} on ${dbs.join(' + ')}`);
      await scenario.run(context, results);
    } catch (error) {
      results.errors.push(error instanceof Error ? error.message : String(error));
      if (error instanceof Error && error.stack !== undefined) log(error.stack);
    }
    for (const target of results.targets) {
      if (target.kind === 'correctness' && !target.pass) {
        results.errors.push(
          `${target.label} (${target.column}): measured ${target.measured}, wanted ${target.op} ${target.threshold}`,
        );
      }
    }
    const finished = new Date();
    const machine = machineInfo();
    const report: ScenarioReport = {
      scenario: scenario.name,
      description: scenario.description,
      status: results.errors.length === 0 ? 'ok' : 'error',
      errors: results.errors,
      startedAt: scenarioStarted.toISOString(),
      finishedAt: finished.toISOString(),
      durationSeconds: (finished.getTime() - scenarioStarted.getTime()) / 1000,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      node: process.version,
      databases: results.databases,
      n,
      seed,
      parameters: {
        ...results.parameters,
        databases: dbs,
        load,
        profile: values.profile,
        defaultSet,
        // Other work on the machine shows here: compare runs only when these are low.
        loadAverage1mAtStart: loadAtStart,
        loadAverage1mAtEnd: machine.loadAverage1m,
      },
      figures: results.figures,
      targets: results.targets,
      notes: results.notes,
    };
    printReport(report);
    log(`wrote ${writeReport(report, scenarioStarted)}`);
    if (report.status === 'error') failures++;
  }
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${chosen.length - failures} ok, ${failures} with errors`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
