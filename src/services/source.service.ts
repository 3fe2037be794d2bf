/**
 * Read side of sources and harvest runs: what each registered source is, whether it can run, how
 * many trials it holds, its last run and its next scheduled one; and the run history.
 */
import { Cron } from 'croner';
import type { HarvestRun, HarvestStatus } from '../domain/trial.types.js';
import { AppError } from '../errors/app-error.js';
import type { Db } from '../store/database.js';
import { getRun, latestRunBySource, listRuns } from '../store/harvest-run.repository.js';
import { countTrialsBySource } from '../store/trial-count.repository.js';
import type { TrialMapper } from './trial.service.js';

/** One registered source as the API shows it (the CLI builds one per adapter from the config). */
export interface SourceInfo {
  id: string;
  name: string;
  enabled: boolean;
  /** Settings that keep the source from running (e.g. a service key); empty when configured. */
  missing: string[];
  /** Cron expression and its time zone. */
  schedule: string;
  timeZone: string;
  /** The adapter's mapper, to show past versions as documents; without it they show raw only. */
  map?: TrialMapper;
}

export interface SourceStatus {
  id: string;
  name: string;
  enabled: boolean;
  configured: boolean;
  missing: string[];
  schedule: string;
  timeZone: string;
  /** Epoch ms of the next scheduled harvest; null when the source will not run. */
  nextRunAt: number | null;
  trials: { total: number; active: number; removed: number };
  lastRun: HarvestRun | null;
  lastSuccess: HarvestRun | null;
}

export interface HarvestPage {
  items: HarvestRun[];
  /** Pass as `beforeId` for the next page; null on the last. */
  nextBeforeId: number | null;
}

export class SourceService {
  readonly #db: Db;
  readonly #sources: readonly SourceInfo[];
  readonly #now: () => number;
  readonly #nextRunAt: (source: string) => number | null;

  /**
   * `nextRunAt` comes from the running scheduler when there is one (it knows about catch-up runs);
   * otherwise the next cron instant is computed here, from crons parsed once.
   */
  constructor(deps: {
    db: Db;
    sources: readonly SourceInfo[];
    now: () => number;
    nextRunAt?: (source: string) => number | null;
  }) {
    this.#db = deps.db;
    this.#sources = deps.sources;
    this.#now = deps.now;
    if (deps.nextRunAt !== undefined) {
      this.#nextRunAt = deps.nextRunAt;
    } else {
      const crons = new Map<string, Cron>();
      for (const source of deps.sources) {
        try {
          crons.set(source.id, new Cron(source.schedule, { timezone: source.timeZone, paused: true }));
        } catch {
          // The config validates schedules at start-up; a bad one here just has no next run.
        }
      }
      this.#nextRunAt = (id) => crons.get(id)?.nextRun(new Date(this.#now()))?.getTime() ?? null;
    }
  }

  /** Every registered source, in registry order. */
  async list(): Promise<SourceStatus[]> {
    const [counts, lastRuns, lastSuccesses] = await Promise.all([
      countTrialsBySource(this.#db),
      latestRunBySource(this.#db),
      latestRunBySource(this.#db, 'succeeded'),
    ]);
    return this.#sources.map((source) => {
      const count = counts.get(source.id) ?? { total: 0, removed: 0 };
      const runnable = source.enabled && source.missing.length === 0;
      return {
        id: source.id,
        name: source.name,
        enabled: source.enabled,
        configured: source.missing.length === 0,
        missing: [...source.missing],
        schedule: source.schedule,
        timeZone: source.timeZone,
        nextRunAt: runnable ? this.#nextRunAt(source.id) : null,
        trials: { total: count.total, active: count.total - count.removed, removed: count.removed },
        lastRun: lastRuns.get(source.id) ?? null,
        lastSuccess: lastSuccesses.get(source.id) ?? null,
      };
    });
  }

  /** One source; `SOURCE_NOT_FOUND` when no adapter has this id. */
  async get(id: string): Promise<SourceStatus> {
    if (!this.#sources.some((source) => source.id === id)) {
      throw new AppError(
        'SOURCE_NOT_FOUND',
        `No source has the id "${id}" (known: ${this.ids().join(', ')})`,
        {
          details: { id },
        },
      );
    }
    const all = await this.list();
    return all.find((source) => source.id === id) as SourceStatus;
  }

  ids(): string[] {
    return this.#sources.map((source) => source.id);
  }

  /** Harvest runs, newest first. */
  async harvests(query: {
    source?: string;
    status?: HarvestStatus;
    limit: number;
    beforeId?: number;
  }): Promise<HarvestPage> {
    const runs = await listRuns(this.#db, { ...query, limit: query.limit + 1 });
    const items = runs.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextBeforeId: runs.length > query.limit && last !== undefined ? last.id : null };
  }

  /** One harvest run; RUN_NOT_FOUND when there is none. */
  async harvest(id: number): Promise<HarvestRun> {
    const run = await getRun(this.#db, id);
    if (run === undefined) throw new AppError('RUN_NOT_FOUND', `No harvest run ${id}`);
    return run;
  }
}
