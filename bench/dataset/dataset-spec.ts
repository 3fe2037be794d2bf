/**
 * What a generated dataset is, as plain data that can cross a process boundary (the upstream
 * process serves it, the harvest process and the report count on it).
 *
 * A dataset is N records derived from the real fixtures, as of a release: release 0 is the first
 * listing; each later release is a new data release of the registry in which `changedPercent[r-1]`
 * percent of the records changed their content (and, for ClinicalTrials.gov, every record's
 * volatile `versionHolder` moved, as it does on every real release).
 */
export interface DatasetSpec {
  /** Number of records. */
  n: number;
  seed: number;
  /** Percent of records changed in release 1, 2, … (e.g. `[0, 5]`). */
  changedPercent: readonly number[];
  /** The release served (0 = the first listing, up to `changedPercent.length`). */
  release: number;
  /**
   * What a changed ClinicalTrials.gov study changes in a release: `all` (the default) its status,
   * enrollment count and last-update dates together; `mixed` one kind of change per study and
   * release, as a registry's feed has them (most updates are not status changes): see
   * `MIXED_CHANGE_SHARES` in ctgov-dataset.ts. kr-icreat records ignore it.
   */
  changeMix?: 'all' | 'mixed';
}

export const DEFAULT_SEED = 20_240_611;

export function datasetSpec(
  n: number,
  seed: number,
  changedPercent: readonly number[] = [],
  changeMix: 'all' | 'mixed' = 'all',
): DatasetSpec {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`N must be a positive integer (got ${n})`);
  return {
    n,
    seed,
    changedPercent: [...changedPercent],
    release: 0,
    ...(changeMix === 'all' ? {} : { changeMix }),
  };
}

export function atRelease(spec: DatasetSpec, release: number): DatasetSpec {
  if (release < 0 || release > spec.changedPercent.length) {
    throw new Error(`release ${release} is not defined (0…${spec.changedPercent.length})`);
  }
  return { ...spec, release };
}
