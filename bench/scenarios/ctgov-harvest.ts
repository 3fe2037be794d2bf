/**
 * ClinicalTrials.gov at scale (issue 5): a full harvest of N generated studies through the fake
 * API v2, the same harvest again after a data release that changed nothing (only the volatile
 * `versionHolder` moved), and one after a release that changed 5% of the studies — on SQLite and,
 * when it answers, PostgreSQL side by side.
 */
import { join } from 'node:path';
import { countChanged } from '../dataset/random.js';
import { datasetSpec } from '../dataset/dataset-spec.js';
import type { Results } from '../support/report.js';
import type { HarvestPhase } from './harvest-phases.js';
import { checkoutOf } from '../support/checkout.js';
import { procPath } from '../support/ipc.js';
import { commitId } from '../support/machine.js';
import type { CodeUnderTest } from './harvest-phases.js';
import { measureReference, runHarvestComparison, runHarvestPlan, startUpstream } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const CHANGED_PERCENT = 5;
/** Issue 17: classifying the changes may add at most this much CPU per study to a full harvest. */
const CLASSIFICATION_CPU_RATIO = 1.1;

/**
 * The phases `--phases` names, in run order (each builds on the one before: `unchanged` and
 * `changed` need `full`); all of them by default.
 */
function choosePhases(all: HarvestPhase[], list: string | undefined): HarvestPhase[] {
  if (list === undefined) return all;
  const keys = list.split(',').map((key) => key.trim());
  const unknown = keys.filter((key) => !all.some((phase) => phase.key === key));
  if (unknown.length > 0 || !keys.includes('full')) {
    throw new Error(
      `--phases: a comma-separated list of ${all.map((phase) => phase.key).join(', ')} that includes full (got "${list}")`,
    );
  }
  return all.filter((phase) => keys.includes(phase.key));
}

export const ctgovHarvestScenario: Scenario = {
  name: 'ctgov-harvest',
  description: 'ClinicalTrials.gov full harvest, unchanged re-harvest, 5% changed (fake API v2)',
  defaultN: 100_000,
  defaultSetN: 10_000,
  inDefaultSet: true,
  defaultDbs: 'all-available',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const spec = datasetSpec(context.n, context.seed, [0, CHANGED_PERCENT]);
    const changed = countChanged(spec.seed, spec.n, 2, CHANGED_PERCENT);
    const allPhases: HarvestPhase[] = [
      { key: 'full', label: 'full harvest', release: 0, expectedVersions: spec.n },
      { key: 'unchanged', label: 're-harvest, nothing changed', release: 1, expectedVersions: 0 },
      {
        key: 'changed',
        label: `re-harvest, ${CHANGED_PERCENT}% changed`,
        release: 2,
        expectedVersions: changed,
      },
    ];
    const phases = choosePhases(allPhases, context.extra.phases);
    const compareRef = context.extra['compare-ref'];
    const rounds = Number(context.extra.rounds ?? '1');
    if (!Number.isSafeInteger(rounds) || rounds < 1) {
      throw new Error(`--rounds must be a positive integer (got "${context.extra.rounds}")`);
    }
    if (context.extra.rounds !== undefined && compareRef === undefined) {
      throw new Error('--rounds goes with --compare-ref');
    }
    const before = compareRef === undefined ? undefined : checkoutOf(compareRef);
    Object.assign(results.parameters, {
      source: 'ctgov',
      pageSize: 1000,
      changedPercent: CHANGED_PERCENT,
      changedStudies: changed,
      mode: 'full (every phase)',
      phases: phases.map((phase) => phase.key).join(','),
      dataset:
        'N synthetic studies from the 200 real fixtures (fake-ctgov syntheticStudy), generated per page',
      ...(before === undefined
        ? {}
        : {
            compareRef: `${before.ref} = ${before.commit} (unpacked in ${before.dir})`,
            thisCode: commitId(),
            rounds,
          }),
    });
    const reference = await measureReference(context, results);
    const upstream = await startUpstream(context);
    try {
      const plan = { source: 'ctgov' as const, spec, phases, unit: 'studies', one: 'study' };
      if (before === undefined) await runHarvestPlan(context, results, upstream, plan);
      else {
        const codes: [CodeUnderTest, CodeUnderTest] = [
          { name: 'this', workerScript: procPath('harvest-worker.ts') },
          { name: before.short, workerScript: join(before.dir, 'bench', 'procs', 'harvest-worker.ts') },
        ];
        await runHarvestComparison(context, results, upstream, plan, codes, rounds);
      }
    } finally {
      await upstream.stop();
    }
    for (const db of context.dbs) {
      for (const phase of phases) {
        const rate = results.value(db, `${phase.key}.throughput`);
        if (rate !== null) {
          results.add(db, `${phase.key}.xReference`, `${phase.label}: x reference`, rate / reference, 'x');
        }
      }
    }
    const ran = (key: string) => phases.some((phase) => phase.key === key);
    for (const db of context.dbs) {
      if (ran('unchanged')) {
        results.check(
          db,
          'unchanged.versions',
          'unchanged re-harvest writes no version',
          '==',
          0,
          'correctness',
        );
      }
      if (ran('changed')) {
        results.check(
          db,
          'changed.versions',
          `${CHANGED_PERCENT}% changed writes exactly one version each`,
          '==',
          changed,
          'correctness',
        );
      }
    }
    // The targets are for SQLite at N = 100,000; other databases are reported beside them.
    if (context.dbs.includes('sqlite')) {
      const note =
        context.n === 100_000 ? undefined : `target set for N = 100,000 (this run: N = ${context.n})`;
      results.check('sqlite', 'full.throughput', 'full harvest throughput', '>=', 2_000, 'performance', note);
      results.check('sqlite', 'full.rss', 'full harvest peak RSS', '<', 500, 'performance', note);
      if (ran('unchanged')) {
        results.check(
          'sqlite',
          'unchanged.throughput',
          'unchanged re-harvest throughput',
          '>=',
          5_000,
          'performance',
          note,
        );
      }
    }
    if (before !== undefined) {
      for (const db of context.dbs) {
        results.check(
          `${db} this / ${before.short}`,
          'full.cpuPerRecordAll',
          `full harvest: CPU per study x the code before (${before.short})`,
          '<=',
          CLASSIFICATION_CPU_RATIO,
          'performance',
        );
      }
      results.note(
        `--compare-ref ${before.ref}: each phase harvested by this code (${commitId()}) and by ${before.short} (its own bench/procs/harvest-worker.ts and src/) into two databases, in alternating order; "this / ${before.short}" = harvest-process CPU (user + system, all its threads) per study of this code over that of ${before.short}.`,
      );
    }
    results.note(
      'studies/s = studies fetched / time of runHarvest (fetch, parse, map, canonicalise, hash, compress, write, index); the fake upstream runs in its own process.',
    );
  },
};
