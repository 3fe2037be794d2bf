/**
 * The scheduler inside `trialwatch serve`: one cron schedule (with a time zone) per source.
 * - On start, a source whose last success is older than its period runs soon (catch-up).
 * - Missed ticks run once, not once per tick: the next tick is always computed from "now".
 * - A source never overlaps itself: the coordinator refuses a second run in this process and the
 *   database lease refuses it across processes; a tick another process already served is skipped
 *   (a run of the source started at or after the tick).
 */
import { Cron } from 'croner';
import type { HarvestMode } from '../domain/trial.types.js';
import { isAppError, messageOf } from '../errors/app-error.js';
import type { Logger } from '../sources/source.types.js';
import type { Db } from '../store/database.js';
import { listRuns } from '../store/harvest-run.repository.js';
import { getSourceState } from '../store/source-state.repository.js';
import type { HarvestCoordinator } from './coordinator.service.js';

export interface SchedulerClock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ScheduledSource {
  id: string;
  schedule: string;
  timeZone: string;
  mode: HarvestMode;
}

/** Timers longer than this are re-armed, so far-off ticks survive setTimeout's 24.8-day limit. */
const MAX_TIMER_MS = 60 * 60_000;
/** Two processes' clocks may differ slightly; a run started this long before a tick still counts for it. */
const TICK_TOLERANCE_MS = 5_000;

export class Scheduler {
  readonly #crons = new Map<string, Cron>();
  readonly #timers = new Map<string, unknown>();
  readonly #next = new Map<string, number>();
  #stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      coordinator: Pick<HarvestCoordinator, 'start' | 'stopAll'>;
      sources: readonly ScheduledSource[];
      log: Logger;
      clock?: SchedulerClock;
      /** Delay of a catch-up run after start (ms). */
      catchUpDelayMs?: number;
    },
  ) {
    for (const source of deps.sources) {
      this.#crons.set(source.id, new Cron(source.schedule, { timezone: source.timeZone, paused: true }));
    }
  }

  get clock(): SchedulerClock {
    return this.deps.clock ?? systemClock;
  }

  /** The next planned tick of a source (epoch ms), for `/api/v1/sources`. */
  nextRunAt(source: string): number | null {
    return this.#next.get(source) ?? null;
  }

  /** The next cron instant strictly after `after`. */
  nextTick(source: string, after: number): number | null {
    return this.#crons.get(source)?.nextRun(new Date(after))?.getTime() ?? null;
  }

  /** The time between two consecutive ticks after `at`: what "overdue" means for a source. */
  period(source: string, at: number): number | null {
    const first = this.nextTick(source, at);
    const second = first === null ? null : this.nextTick(source, first);
    return first === null || second === null ? null : second - first;
  }

  async start(): Promise<void> {
    for (const source of this.deps.sources) {
      const now = this.clock.now();
      const { lastSuccessAt } = await getSourceState(this.deps.db, source.id);
      const period = this.period(source.id, now);
      if (period !== null && (lastSuccessAt === null || now - lastSuccessAt > period)) {
        this.#arm(source, now + (this.deps.catchUpDelayMs ?? 5_000), true);
      } else {
        this.#armNext(source);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const handle of this.#timers.values()) this.clock.clearTimer(handle);
    this.#timers.clear();
    for (const cron of this.#crons.values()) cron.stop();
    await this.deps.coordinator.stopAll();
  }

  #armNext(source: ScheduledSource): void {
    const next = this.nextTick(source.id, this.clock.now());
    if (next === null) {
      this.#next.delete(source.id);
      return;
    }
    this.#arm(source, next, false);
  }

  #arm(source: ScheduledSource, at: number, catchUp: boolean): void {
    if (this.#stopped) return;
    this.#next.set(source.id, at);
    const wait = Math.max(0, at - this.clock.now());
    const handle = this.clock.setTimer(
      () => {
        if (wait > MAX_TIMER_MS && at - this.clock.now() > 0) {
          this.#arm(source, at, catchUp);
          return;
        }
        void this.#fire(source, at, catchUp);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    this.#timers.set(source.id, handle);
  }

  async #fire(source: ScheduledSource, tick: number, catchUp: boolean): Promise<void> {
    try {
      if (await this.#alreadyServed(source, tick, catchUp)) {
        this.deps.log.debug({ source: source.id }, 'scheduled tick already served by another process');
      } else {
        const started = await this.deps.coordinator.start({
          source: source.id,
          mode: source.mode,
          trigger: 'schedule',
        });
        await started.done;
      }
    } catch (error) {
      const code = isAppError(error) ? error.code : undefined;
      if (code === 'HARVEST_IN_PROGRESS')
        this.deps.log.info({ source: source.id }, 'scheduled harvest skipped: already running');
      else
        this.deps.log.error(
          { source: source.id, err: error },
          `scheduled harvest failed: ${messageOf(error)}`,
        );
    }
    // Computed from now: ticks missed while this run lasted (or while the machine slept) run once.
    this.#armNext(source);
  }

  async #alreadyServed(source: ScheduledSource, tick: number, catchUp: boolean): Promise<boolean> {
    if (catchUp) {
      const { lastSuccessAt } = await getSourceState(this.deps.db, source.id);
      const period = this.period(source.id, this.clock.now());
      return lastSuccessAt !== null && period !== null && this.clock.now() - lastSuccessAt <= period;
    }
    const [latest] = await listRuns(this.deps.db, { source: source.id, limit: 1 });
    return (
      latest !== undefined && latest.trigger === 'schedule' && latest.startedAt >= tick - TICK_TOLERANCE_MS
    );
  }
}
