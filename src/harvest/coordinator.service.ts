/**
 * Starts harvests in the background for a long-running process (`serve`): the scheduler and the
 * admin route both go through it, so one process never runs the same source twice at once, and
 * shutdown can stop every running harvest at a record boundary and wait for it.
 */
import type { HarvestMode, HarvestRun, HarvestTrigger } from '../domain/trial.types.js';
import { AppError, messageOf } from '../errors/app-error.js';
import type { HarvestRunner } from './harvest-runner.js';
import { inlineRunner } from './harvest-runner.js';
import type { HarvestDeps } from './harvest.types.js';

export interface StartedHarvest {
  runId: number;
  /** Settles when the run is recorded as finished. */
  done: Promise<HarvestRun>;
}

export class HarvestCoordinator {
  readonly #deps: HarvestDeps;
  readonly #runner: HarvestRunner;
  readonly #onFinished: ((run: HarvestRun) => void) | undefined;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  /** `runner` defaults to running in line; `serve` passes a child-process runner. */
  constructor(
    deps: HarvestDeps,
    options: { onFinished?: (run: HarvestRun) => void; runner?: HarvestRunner } = {},
  ) {
    this.#deps = deps;
    this.#runner = options.runner ?? inlineRunner(deps);
    this.#onFinished = options.onFinished;
  }

  isRunning(source: string): boolean {
    return this.#running.has(source);
  }

  /**
   * Starts a harvest and resolves once its run record exists. Rejects with HARVEST_IN_PROGRESS
   * when this or another process is already harvesting the source.
   */
  start(request: { source: string; mode: HarvestMode; trigger: HarvestTrigger }): Promise<StartedHarvest> {
    if (this.#running.has(request.source)) {
      return Promise.reject(
        new AppError('HARVEST_IN_PROGRESS', `A harvest of ${request.source} is already running`),
      );
    }
    const controller = new AbortController();
    return new Promise<StartedHarvest>((resolve, reject) => {
      let started = false;
      const done = this.#runner(request, {
        signal: controller.signal,
        onStarted: (runId) => {
          started = true;
          resolve({ runId, done });
        },
      });
      const tracked = done.then(
        (run) => {
          this.#onFinished?.(run);
          this.#deps.log.info(
            { source: run.source, runId: run.id, status: run.status },
            `harvest ${run.status}`,
          );
        },
        (error: unknown) => {
          if (!started) reject(error instanceof Error ? error : new Error(messageOf(error)));
          else this.#deps.log.error({ err: error, source: request.source }, 'harvest failed');
        },
      );
      this.#running.set(request.source, { controller, done: tracked });
      void tracked.finally(() => this.#running.delete(request.source));
    });
  }

  /** Asks every running harvest to stop at the next record boundary and waits for them. */
  async stopAll(): Promise<void> {
    const running = [...this.#running.values()];
    for (const entry of running) entry.controller.abort(new Error('shutdown'));
    await Promise.all(running.map((entry) => entry.done));
  }
}
