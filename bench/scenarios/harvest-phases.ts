/**
 * What the harvest scenarios share: a fake upstream process serving a generated dataset, and a
 * sequence of harvests (phases), each in a fresh worker process, on each database in turn. Every
 * phase serves one release of the dataset and knows exactly how many versions it must write.
 */
import type { HarvestOutcome, HarvestCall } from '../procs/harvest-worker.js';
import type { DatasetCall, UpstreamInfo } from '../procs/upstream.js';
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { atRelease } from '../dataset/dataset-spec.js';
import type { BenchDatabase, DbKind } from '../support/databases.js';
import { createDatabase } from '../support/databases.js';
import type { Child } from '../support/ipc.js';
import { procPath, startChild } from '../support/ipc.js';
import type { Results } from '../support/report.js';
import type { ScenarioContext } from './scenario.js';

/** Never contacted: a seeding harvest that lists generated records in memory points here. */
export const NO_UPSTREAM: UpstreamInfo = {
  baseUrl: 'http://127.0.0.1:9',
  krApiBaseUrl: 'http://127.0.0.1:9/api',
  krOasUrl: 'http://127.0.0.1:9/oas/docs?namespace=3074271/v1',
  ctgovApiBaseUrl: 'http://127.0.0.1:9/api/v2',
};

export interface HarvestPhase {
  /** Key prefix of the phase's figures (`full`, `unchanged`, `changed`). */
  key: string;
  label: string;
  /** The dataset release the upstream serves during the phase. */
  release: number;
  /** Versions the phase must write, exactly. */
  expectedVersions: number;
}

export interface HarvestScenarioPlan {
  source: 'kr-icreat' | 'ctgov';
  /** Column prefix when one scenario runs several datasets (e.g. `N=145 `), else ''. */
  column?: (db: DbKind) => string;
  spec: DatasetSpec;
  phases: readonly HarvestPhase[];
  /** What records are called in rates (`studies`, `records`). */
  unit: string;
  /** And one of them (`study`, `record`). */
  one: string;
}

export async function startUpstream(context: ScenarioContext): Promise<Child<UpstreamInfo>> {
  context.log('starting the fake upstream');
  return startChild<UpstreamInfo>(procPath('upstream.ts'), { name: 'fake upstream' });
}

/** The environment a CLI user would set to harvest `source` from the fake upstream into `databaseUrl`. */
export function harvestEnv(
  source: string,
  upstream: UpstreamInfo,
  databaseUrl: string,
): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    SOURCES: source,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_SNAPSHOT: 'false',
    // kr-icreat needs a key to count as configured; the fake accepts any.
    KR_ICREAT_SERVICE_KEY: 'bench-service-key',
    KR_ICREAT_BASE_URL: upstream.krApiBaseUrl,
    KR_ICREAT_OAS_URL: upstream.krOasUrl,
    CTGOV_BASE_URL: upstream.ctgovApiBaseUrl,
    // The real registry asks for ~50 requests a minute (the default interval is 1.2 s); the bench
    // measures trialwatch, not the politeness delay.
    CTGOV_MIN_INTERVAL_MS: '0',
  };
  return env;
}

/**
 * Runs one harvest in a fresh worker process and returns what it measured. `workerScript` runs
 * another tree's worker (`--compare-ref`: the code before, see support/checkout.ts).
 */
export async function harvestInWorker(
  context: ScenarioContext,
  call: HarvestCall,
  profileLabel: string,
  workerScript = procPath('harvest-worker.ts'),
): Promise<HarvestOutcome> {
  const worker = await startChild<{ pid: number }>(workerScript, {
    name: `harvest worker (${profileLabel})`,
    nodeFlags: context.profileFlags(profileLabel),
  });
  try {
    return await worker.call<HarvestOutcome>('harvest', call, 60 * 60_000);
  } finally {
    const code = await worker.stop(60_000);
    if (code !== 0) context.log(`harvest worker ${profileLabel} exited with code ${code}`);
  }
}

const MB = 1e6;

/**
 * Measures the reference (parse + sha256 + gzip of the real ClinicalTrials.gov fixtures, see
 * harvest-worker.ts) in a fresh worker, records it, and returns it in studies/s.
 */
export async function measureReference(context: ScenarioContext, results: Results): Promise<number> {
  const worker = await startChild<{ pid: number }>(procPath('harvest-worker.ts'), {
    name: 'reference worker',
  });
  try {
    const { studiesPerSecond } = await worker.call<{ studiesPerSecond: number }>('reference', 3_000);
    results.section('machine reference (same run)');
    results.add(
      'value',
      'reference',
      'JSON.parse + sha256 + gzip of the 200 real ctgov studies',
      studiesPerSecond,
      'studies/s',
    );
    results.section('');
    context.log(`reference: ${studiesPerSecond.toFixed(0)} studies/s`);
    return studiesPerSecond;
  } finally {
    await worker.stop();
  }
}

/** Records one phase's figures under `column`, and fails loudly when the run did not succeed. */
export function recordPhase(
  results: Results,
  column: string,
  phase: HarvestPhase,
  outcome: HarvestOutcome,
  unit: string,
  one: string,
): void {
  const { run } = outcome;
  const seconds = outcome.elapsedMs / 1000;
  const versions = outcome.versionsAfter - outcome.versionsBefore;
  const k = phase.key;
  results.add(
    column,
    `${k}.throughput`,
    `${phase.label}: ${unit}/s end to end`,
    run.fetched / seconds,
    `${unit}/s`,
  );
  results.add(column, `${k}.seconds`, `${phase.label}: time`, seconds, 's');
  results.add(
    column,
    `${k}.cpuPerRecord`,
    `${phase.label}: harvest process CPU per ${one}`,
    (outcome.cpuMs * 1000) / Math.max(1, run.fetched),
    'µs',
  );
  results.add(column, `${k}.cpuSeconds`, `${phase.label}: harvest process CPU`, outcome.cpuMs / 1000, 's');
  results.add(column, `${k}.fetched`, `${phase.label}: ${unit} fetched`, run.fetched, 'count');
  results.add(column, `${k}.versions`, `${phase.label}: versions written`, versions, 'count');
  results.add(
    column,
    `${k}.versionsExpected`,
    `${phase.label}: versions expected`,
    phase.expectedVersions,
    'count',
  );
  results.add(column, `${k}.rss`, `${phase.label}: peak RSS`, outcome.memory.rssHighWaterBytes / MB, 'MB');
  results.add(
    column,
    `${k}.rssBefore`,
    `${phase.label}: RSS before (process loaded, under tsx)`,
    outcome.rssBeforeBytes / MB,
    'MB',
  );
  results.add(column, `${k}.heap`, `${phase.label}: peak heap used`, outcome.memory.heapUsedBytes / MB, 'MB');
  results.add(
    column,
    `${k}.heapTotal`,
    `${phase.label}: peak heap reserved`,
    outcome.memory.heapTotalBytes / MB,
    'MB',
  );
  results.add(
    column,
    `${k}.external`,
    `${phase.label}: peak external (Buffers)`,
    outcome.memory.externalBytes / MB,
    'MB',
  );
  results.add(
    column,
    `${k}.dbBytes`,
    `${phase.label}: database size after`,
    outcome.sizeAfter.totalBytes,
    'bytes',
  );
  if (run.status !== 'succeeded') {
    throw new Error(
      `${phase.label} on ${column}: the harvest ended ${run.status}${run.errorMessage === null ? '' : `: ${run.errorMessage}`}`,
    );
  }
}

/**
 * Runs the plan's phases on each database: creates the database, serves each release, harvests in
 * a fresh process, records the figures, and drops the database.
 */
export async function runHarvestPlan(
  context: ScenarioContext,
  results: Results,
  upstream: Child<UpstreamInfo>,
  plan: HarvestScenarioPlan,
): Promise<void> {
  for (const kind of context.dbs) {
    const column = plan.column?.(kind) ?? kind;
    const database: BenchDatabase = await createDatabase(kind, plan.source);
    try {
      for (const phase of plan.phases) {
        const spec = atRelease(plan.spec, phase.release);
        const dataset: DatasetCall = { source: plan.source, spec };
        await upstream.call('dataset', dataset);
        context.log(`${column}: ${phase.label} (N=${spec.n}, release ${spec.release})`);
        const outcome = await harvestInWorker(
          context,
          { env: harvestEnv(plan.source, upstream.info, database.url), source: plan.source, mode: 'full' },
          `${plan.source}-${column.replace(/\W+/g, '_')}-${phase.key}`,
        );
        recordPhase(results, column, phase, outcome, plan.unit, plan.one);
        const versions = outcome.versionsAfter - outcome.versionsBefore;
        context.log(
          `${column}: ${phase.label}: ${outcome.run.fetched} ${plan.unit} in ${(outcome.elapsedMs / 1000).toFixed(1)} s, ${versions} versions, peak RSS ${(outcome.memory.rssHighWaterBytes / MB).toFixed(0)} MB`,
        );
        if (phase === plan.phases[0]) {
          const grown = outcome.sizeAfter.totalBytes - outcome.sizeBefore.totalBytes;
          results.add(
            column,
            'db.bytesPerRecord',
            `database bytes per ${plan.one} (first harvest)`,
            grown / spec.n,
            'bytes',
          );
          for (const table of ['trials', 'trial_versions', 'changes']) {
            const bytes = outcome.sizeAfter.tables[table];
            if (bytes !== undefined)
              results.add(column, `db.table.${table}`, `  of which ${table} (+ indexes)`, bytes, 'bytes');
          }
          results.noteDatabase({ kind, version: outcome.databaseVersion, location: database.location });
        }
      }
    } finally {
      await database.drop();
    }
  }
}

/** One code a comparison runs: this tree's, or another commit's (`--compare-ref`). */
export interface CodeUnderTest {
  /** `this`, or the other commit's 7 hex digits. */
  name: string;
  /** The harvest worker of that code (its `bench/procs/harvest-worker.ts`, which imports its `src/`). */
  workerScript: string;
}

interface CpuTotal {
  cpuMs: number;
  fetched: number;
}

/**
 * `--compare-ref`: the plan's phases on each database with this tree's code and another's in the
 * same run. Each code harvests into its own database; each phase's release is served once and
 * harvested by both codes in turn, the one going first alternating from phase to phase and round
 * to round (so a change in the machine's load falls on both alike); `rounds` times, from empty
 * databases each time. The first round's figures go in one column per code (`sqlite`,
 * `sqlite @abc1234`); the comparison section gives each phase's harvest-process CPU per record
 * over all rounds (user + system of the worker only: neither the fake upstream nor a PostgreSQL
 * server counts), its ratio this / before, and the ratio of each round.
 */
export async function runHarvestComparison(
  context: ScenarioContext,
  results: Results,
  upstream: Child<UpstreamInfo>,
  plan: HarvestScenarioPlan,
  codes: readonly [CodeUnderTest, CodeUnderTest],
  rounds: number,
): Promise<void> {
  const [current, before] = codes;
  const columnOf = (kind: DbKind, code: CodeUnderTest): string =>
    code === current ? kind : `${kind} @${code.name}`;
  for (const kind of context.dbs) {
    const totals = new Map<string, Map<CodeUnderTest, CpuTotal>>();
    for (const phase of plan.phases)
      totals.set(phase.key, new Map(codes.map((code) => [code, { cpuMs: 0, fetched: 0 }])));
    for (let round = 1; round <= rounds; round++) {
      const databases = new Map<CodeUnderTest, BenchDatabase>();
      try {
        for (const code of codes)
          databases.set(code, await createDatabase(kind, `${plan.source}-${code.name}`));
        for (const [index, phase] of plan.phases.entries()) {
          const spec = atRelease(plan.spec, phase.release);
          await upstream.call('dataset', { source: plan.source, spec } satisfies DatasetCall);
          const order = (index + round) % 2 === 1 ? [current, before] : [before, current];
          const cpu: number[] = [];
          for (const code of order) {
            const column = columnOf(kind, code);
            context.log(
              `${column}, round ${round}/${rounds}: ${phase.label} (N=${spec.n}, release ${spec.release})`,
            );
            const outcome = await harvestInWorker(
              context,
              {
                env: harvestEnv(plan.source, upstream.info, databases.get(code)!.url),
                source: plan.source,
                mode: 'full',
              },
              `${plan.source}-${column.replace(/\W+/g, '_')}-r${round}-${phase.key}`,
              code.workerScript,
            );
            if (typeof outcome.cpuMs !== 'number') {
              throw new Error(
                `the harvest worker of ${code.name} reports no cpuMs: too old for --compare-ref`,
              );
            }
            const versions = outcome.versionsAfter - outcome.versionsBefore;
            if (round === 1) recordPhase(results, column, phase, outcome, plan.unit, plan.one);
            else if (outcome.run.status !== 'succeeded') {
              throw new Error(
                `${phase.label} on ${column}, round ${round}: the harvest ended ${outcome.run.status}`,
              );
            }
            if (versions !== phase.expectedVersions) {
              results.errors.push(
                `${phase.label} on ${column}, round ${round}: ${versions} versions written, ${phase.expectedVersions} expected`,
              );
            }
            const total = totals.get(phase.key)!.get(code)!;
            total.cpuMs += outcome.cpuMs;
            total.fetched += outcome.run.fetched;
            cpu[codes.indexOf(code)] = (outcome.cpuMs * 1000) / Math.max(1, outcome.run.fetched);
            context.log(
              `${column}: ${phase.label}: ${outcome.run.fetched} ${plan.unit} in ${(outcome.elapsedMs / 1000).toFixed(1)} s, ${((outcome.cpuMs * 1000) / Math.max(1, outcome.run.fetched)).toFixed(0)} µs CPU per ${plan.one}, ${versions} versions`,
            );
            if (round === 1 && phase === plan.phases[0]) {
              results.noteDatabase({
                kind,
                version: outcome.databaseVersion,
                location: databases.get(code)!.location,
              });
            }
          }
          results.section(`CPU per ${plan.one}: this code and ${before.name}, side by side`);
          results.add(
            `${kind} this / ${before.name}`,
            `${phase.key}.cpuRatio.r${round}`,
            `${phase.label}: round ${round}`,
            cpu[0]! / cpu[1]!,
            'x',
          );
          results.section('');
        }
      } finally {
        for (const database of databases.values()) await database.drop();
      }
    }
    results.section(`CPU per ${plan.one}: this code and ${before.name}, side by side`);
    for (const phase of plan.phases) {
      const perRecord = (code: CodeUnderTest): number => {
        const total = totals.get(phase.key)!.get(code)!;
        return (total.cpuMs * 1000) / Math.max(1, total.fetched);
      };
      const label = `${phase.label}: harvest process CPU per ${plan.one}, ${rounds} round${rounds === 1 ? '' : 's'}`;
      results.add(columnOf(kind, current), `${phase.key}.cpuPerRecordAll`, label, perRecord(current), 'µs');
      results.add(columnOf(kind, before), `${phase.key}.cpuPerRecordAll`, label, perRecord(before), 'µs');
      results.add(
        `${kind} this / ${before.name}`,
        `${phase.key}.cpuPerRecordAll`,
        label,
        perRecord(current) / perRecord(before),
        'x',
      );
      if (phase.expectedVersions > 0 && phase.expectedVersions < plan.spec.n) {
        // What each version written costs more (or less): the difference over the versions, not the records.
        const extraMs =
          totals.get(phase.key)!.get(current)!.cpuMs - totals.get(phase.key)!.get(before)!.cpuMs;
        results.add(
          `${kind} this / ${before.name}`,
          `${phase.key}.extraCpuPerVersion`,
          `${phase.label}: extra CPU per version written (this − ${before.name})`,
          (extraMs * 1000) / (phase.expectedVersions * rounds),
          'µs',
        );
      }
    }
    results.section('');
  }
}
