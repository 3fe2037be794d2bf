/**
 * What a harvest run is given (`HarvestDeps`, `HarvestRequest`) and reports while it runs
 * (`HarvestProgress`); `runHarvest` (harvest.service.ts) takes them.
 */
import type { AppConfig, SourceConfigBase } from '../config/config.js';
import type { HarvestCounts, HarvestMode, HarvestTrigger } from '../domain/trial.types.js';
import type { UpstreamObserver } from '../sources/http/upstream-client.js';
import type { ImportFile, Logger, SourceAdapter } from '../sources/source.types.js';
import type { Store } from '../store/database.js';

export interface HarvestProgress {
  source: string;
  pages: number;
  counts: HarvestCounts;
  expectedTotal?: number;
}

export interface HarvestDeps {
  config: AppConfig;
  store: Store;
  sources: readonly SourceAdapter<SourceConfigBase>[];
  log: Logger;
  /** Identifies this process in leases and run records. */
  holder?: string;
  now?: () => number;
  observer?: UpstreamObserver;
}

export interface HarvestRequest {
  source: string;
  mode: HarvestMode;
  trigger: HarvestTrigger;
  /** For `import`: the saved file to read instead of the network. */
  file?: ImportFile;
  signal?: AbortSignal;
  onProgress?: (progress: HarvestProgress) => void;
  /** Called once the run record exists (e.g. to answer 202 with its id). */
  onStarted?: (runId: number) => void;
}
