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
}

export const DEFAULT_SEED = 20_240_611;

export function datasetSpec(n: number, seed: number, changedPercent: readonly number[] = []): DatasetSpec {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`N must be a positive integer (got ${n})`);
  return { n, seed, changedPercent: [...changedPercent], release: 0 };
}

export function atRelease(spec: DatasetSpec, release: number): DatasetSpec {
  if (release < 0 || release > spec.changedPercent.length) {
    throw new Error(`release ${release} is not defined (0…${spec.changedPercent.length})`);
  }
  return { ...spec, release };
}
