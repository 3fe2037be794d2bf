import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import { AppError } from '../../src/errors/app-error.js';
import type { SchedulerClock } from '../../src/harvest/scheduler.service.js';
import { Scheduler } from '../../src/harvest/scheduler.service.js';
import { createRun, finishRun } from '../../src/store/harvest-run.repository.js';
import { saveSourceSuccess } from '../../src/store/source-state.repository.js';
import { silentLog } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

/** A fake clock: timers fire only when the test advances time. */
class FakeClock implements SchedulerClock {
  timers: { at: number; callback: () => void; id: number }[] = [];
  #id = 0;
  constructor(
    public time: number,
    /** Real milliseconds to let database I/O settle after each timer (a network database needs some). */
    private readonly settleMs = 0,
  ) {}
  now = () => this.time;
  setTimer = (callback: () => void, ms: number) => {
    const id = ++this.#id;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimer = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      if (this.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, this.settleMs));
    }
    this.time = target;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(storeKinds())('scheduler on %s', (kind) => {
  let store: TestStore;
  let clock: FakeClock;
  let starts: number[];
  let durationMs: number;
  let running: boolean;
  let overlaps: number;
  const settleMs = kind === 'postgres' ? 40 : 0;

  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store.drop());

  beforeEach(async () => {
    await store.db.deleteFrom('harvest_runs').execute();
    await store.db.deleteFrom('source_state').execute();
    starts = [];
    durationMs = 60_000;
    running = false;
    overlaps = 0;
  });

  /** A coordinator that records start instants and "runs" for durationMs of fake time. */
  function fakeCoordinator() {
    return {
      start: async (request: { source: string }) => {
        if (running) {
          overlaps++;
          throw new AppError('HARVEST_IN_PROGRESS', 'busy');
        }
        running = true;
        starts.push(clock.now());
        const runId = await createRun(store.db, {
          source: request.source,
          mode: 'full',
          trigger: 'schedule',
          holder: 'x',
          now: clock.now(),
        });
        const done = new Promise<HarvestRun>((resolve) => {
          clock.setTimer(() => {
            running = false;
            void finishRun(store.db, runId, {
              status: 'succeeded',
              counts: {
                fetched: 0,
                created: 0,
                updated: 0,
                unchanged: 0,
                removed: 0,
                restored: 0,
                skipped: 0,
              },
              skippedReasons: [],
              now: clock.now(),
            })
              .then(() => saveSourceSuccess(store.db, request.source, { state: {}, runId, now: clock.now() }))
              .then(() => resolve({} as HarvestRun));
          }, durationMs);
        });
        return { runId, done };
      },
      stopAll: () => Promise.resolve(),
    };
  }

  function scheduler(schedule = '0 4 * * *', timeZone = 'Asia/Seoul') {
    return new Scheduler({
      db: store.db,
      coordinator: fakeCoordinator(),
      sources: [{ id: 'kr-icreat', schedule, timeZone, mode: 'full' }],
      log: silentLog,
      clock,
      catchUpDelayMs: 5_000,
    });
  }

  it('fires daily at 04:00 Asia/Seoul (19:00 UTC), catching up once at start when overdue', async () => {
    clock = new FakeClock(Date.parse('2026-03-01T10:00:00Z'), settleMs);
    const s = scheduler();
    await s.start();
    // Never harvested: a catch-up run 5 s after start.
    expect(iso(s.nextRunAt('kr-icreat')!)).toBe('2026-03-01T10:00:05.000Z');
    await clock.advanceTo(Date.parse('2026-03-03T20:00:00Z'));
    expect(starts.map(iso)).toEqual([
      '2026-03-01T10:00:05.000Z',
      '2026-03-01T19:00:00.000Z',
      '2026-03-02T19:00:00.000Z',
      '2026-03-03T19:00:00.000Z',
    ]);
    expect(iso(s.nextRunAt('kr-icreat')!)).toBe('2026-03-04T19:00:00.000Z');
    await s.stop();
  });

  it('does not catch up when the last success is recent', async () => {
    clock = new FakeClock(Date.parse('2026-03-01T10:00:00Z'), settleMs);
    await saveSourceSuccess(store.db, 'kr-icreat', {
      state: {},
      runId: 1,
      now: Date.parse('2026-02-28T19:00:30Z'),
    });
    const s = scheduler();
    await s.start();
    expect(iso(s.nextRunAt('kr-icreat')!)).toBe('2026-03-01T19:00:00.000Z');
    await s.stop();
  });

  it('runs a missed window once, not once per missed tick, and never overlaps itself', async () => {
    clock = new FakeClock(Date.parse('2026-03-01T00:00:30Z'), settleMs);
    await saveSourceSuccess(store.db, 'kr-icreat', { state: {}, runId: 1, now: clock.now() });
    durationMs = 5.5 * 60_000; // each run lasts longer than the 1-minute period
    const s = scheduler('* * * * *', 'UTC');
    await s.start();
    await clock.advanceTo(Date.parse('2026-03-01T00:20:00Z'));
    // Runs back to back; the ticks that passed during a run collapse into one run right after it.
    expect(overlaps).toBe(0);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(durationMs);
    expect(starts.length).toBeLessThanOrEqual(4);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    await s.stop();
  });

  it('skips a tick another process already served', async () => {
    clock = new FakeClock(Date.parse('2026-03-01T18:59:00Z'), settleMs);
    await saveSourceSuccess(store.db, 'kr-icreat', {
      state: {},
      runId: 1,
      now: Date.parse('2026-02-28T19:00:00Z'),
    });
    const s = scheduler();
    await s.start();
    // The other process starts the 19:00 run a moment early (clock skew).
    await createRun(store.db, {
      source: 'kr-icreat',
      mode: 'full',
      trigger: 'schedule',
      holder: 'other',
      now: Date.parse('2026-03-01T18:59:58Z'),
    });
    await clock.advanceTo(Date.parse('2026-03-01T19:30:00Z'));
    expect(starts).toEqual([]);
    expect(iso(s.nextRunAt('kr-icreat')!)).toBe('2026-03-02T19:00:00.000Z');
    await s.stop();
  });
});
