/**
 * Imports ClinicalTrials.gov studies through the real harvest (a saved `studies.json`, as
 * `trialwatch import` reads it), on the test's clock: the change events, versions and typed
 * changes are the ones a harvest writes.
 */
import { expect } from 'vitest';
import type { HarvestRun } from '../../../src/domain/trial.types.js';
import type { HarvestDeps } from '../../../src/harvest/harvest.service.js';
import { runHarvest } from '../../../src/harvest/harvest.service.js';
import { ctgovSource } from '../../../src/sources/ctgov/ctgov-source.js';
import { silentLog, testConfig, testSourceConfig } from '../../../testkit/memory-source.js';
import type { TestStore } from '../../support/test-store.js';

/**
 * Imports `studies` once; every write is stamped `at()` (epoch ms, read for each write). Returns
 * the run (never failed), for a caller that expects more of it.
 */
export async function importCtgovStudies(
  store: TestStore,
  studies: readonly unknown[],
  at: () => number,
): Promise<HarvestRun> {
  const deps: HarvestDeps = {
    config: testConfig(store.url, { ctgov: testSourceConfig() }),
    store,
    sources: [ctgovSource],
    log: silentLog,
    holder: 'test-holder',
    now: at,
  };
  const run = await runHarvest(deps, {
    source: 'ctgov',
    mode: 'full',
    trigger: 'import',
    file: { name: 'studies.json', content: Buffer.from(JSON.stringify(studies), 'utf8') },
  });
  expect(run.status, run.errorMessage ?? '').not.toBe('failed');
  return run;
}
