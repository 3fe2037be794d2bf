/**
 * kr-icreat (data.go.kr 3074271) through the fake odcloud gateway: the real 145-record dataset,
 * then a larger synthetic one (N), each harvested, re-harvested unchanged, and re-harvested with
 * 5% of the records changed.
 */
import { datasetSpec } from '../dataset/dataset-spec.js';
import { krTemplateCount } from '../dataset/kr-dataset.js';
import { countChanged } from '../dataset/random.js';
import type { Results } from '../support/report.js';
import type { HarvestPhase } from './harvest-phases.js';
import { runHarvestPlan, startUpstream } from './harvest-phases.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const CHANGED_PERCENT = 5;

function phases(n: number, seed: number): HarvestPhase[] {
  return [
    { key: 'full', label: 'first harvest', release: 0, expectedVersions: n },
    { key: 'unchanged', label: 're-harvest, nothing changed', release: 1, expectedVersions: 0 },
    {
      key: 'changed',
      label: `re-harvest, ${CHANGED_PERCENT}% changed`,
      release: 2,
      expectedVersions: countChanged(seed, n, 2, CHANGED_PERCENT),
    },
  ];
}

export const krHarvestScenario: Scenario = {
  name: 'kr-harvest',
  description:
    'kr-icreat harvest and re-harvests through the fake odcloud gateway (real N=145, then synthetic N)',
  defaultN: 10_000,
  inDefaultSet: true,
  defaultDbs: 'all-available',
  async run(context: ScenarioContext, results: Results): Promise<void> {
    const sizes = [...new Set([krTemplateCount(), context.n])];
    Object.assign(results.parameters, {
      source: 'kr-icreat',
      sizes,
      perPage: 100,
      changedPercent: CHANGED_PERCENT,
      dataset: 'records 0-144 are the real 2021-11 snapshot; the rest are derived from it (ids C9……)',
    });
    const upstream = await startUpstream(context);
    try {
      for (const n of sizes) {
        const spec = datasetSpec(n, context.seed, [0, CHANGED_PERCENT]);
        const plan = phases(n, context.seed);
        await runHarvestPlan(context, results, upstream, {
          source: 'kr-icreat',
          spec,
          phases: plan,
          unit: 'records',
          one: 'record',
          column: (db) => `${db} N=${n}`,
        });
        for (const db of context.dbs) {
          const column = `${db} N=${n}`;
          results.check(
            column,
            'unchanged.versions',
            'unchanged re-harvest writes no version',
            '==',
            0,
            'correctness',
          );
          results.check(
            column,
            'changed.versions',
            `${CHANGED_PERCENT}% changed: exact versions`,
            '==',
            plan[2]!.expectedVersions,
            'correctness',
          );
        }
      }
    } finally {
      await upstream.stop();
    }
  },
};
