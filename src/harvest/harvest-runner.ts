/**
 * How a long-running process runs one harvest: in line (the CLI, tests) or in a child process
 * (`serve`, so that parsing, hashing, compressing and synchronous SQLite writes never run on the
 * event loop that answers requests). Both drive the same `runHarvest`, leases and run records.
 */
import type { HarvestMode, HarvestRun, HarvestTrigger } from '../domain/trial.types.js';
import type { UpstreamOutcome } from '../sources/http/upstream-client.js';
import type { HarvestDeps } from './harvest.types.js';
import { runHarvest } from './harvest.service.js';

export interface RunnerRequest {
  source: string;
  mode: HarvestMode;
  trigger: HarvestTrigger;
}

export interface RunnerControl {
  /** Aborted to stop the harvest at the next record boundary (the run ends `interrupted`). */
  signal: AbortSignal;
  /** Called once the run record exists. */
  onStarted: (runId: number) => void;
}

/**
 * Runs one harvest to its end and resolves with the recorded run. Rejects before `onStarted`
 * when the harvest could not start (unknown source, HARVEST_IN_PROGRESS, …).
 */
export type HarvestRunner = (request: RunnerRequest, control: RunnerControl) => Promise<HarvestRun>;

/** Runs the harvest on this process's event loop. */
export function inlineRunner(deps: HarvestDeps): HarvestRunner {
  return (request, control) => runHarvest(deps, { ...request, ...control });
}

/** Messages from the parent to a harvest child process. */
export type ToHarvestChild = { type: 'start'; request: RunnerRequest } | { type: 'stop' };

/** Messages from a harvest child process to its parent. */
export type FromHarvestChild =
  | { type: 'started'; runId: number; holder: string }
  | { type: 'upstream'; source: string; outcome: UpstreamOutcome; status: number | null }
  | { type: 'finished'; run: HarvestRun }
  | { type: 'refused'; code: string; message: string };
