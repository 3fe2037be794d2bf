import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { HarvestRun } from '../domain/trial.types.js';
import { assetPath } from '../config/paths.js';
import { countStoredTrials } from '../store/trial-count.repository.js';
import type { HarvestDeps } from './harvest.types.js';
import { runHarvest } from './harvest.service.js';

/** The real 145-record kr-icreat snapshot (2021-11), public data shipped with the project. */
export const BOOTSTRAP_SNAPSHOT = 'kr-icreat-snapshot-2021-11.json';

/**
 * On an empty database, imports the bundled snapshot (recorded as a `bootstrap` run like any
 * import) so a fresh machine with no network serves real records at once. Returns the run, or
 * undefined when the database already has trials.
 */
export async function bootstrapIfEmpty(deps: HarvestDeps): Promise<HarvestRun | undefined> {
  if ((await countStoredTrials(deps.store.db)) > 0) return undefined;
  const path = assetPath(BOOTSTRAP_SNAPSHOT);
  return runHarvest(deps, {
    source: 'kr-icreat',
    mode: 'full',
    trigger: 'bootstrap',
    file: { name: basename(path), content: readFileSync(path) },
  });
}
