/**
 * The soak's harvest loop: one process harvesting its sources one after the other, again and
 * again, through the (faulty) fake upstream into the database the API server reads, until told to
 * stop. It uses the config a CLI user's environment gives and `runHarvest`, as `trialwatch harvest`
 * does; every run is reported, whatever its outcome.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { buildConfig } from '../../src/config/config.js';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import { messageOf } from '../../src/errors/app-error.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { stderrLog } from '../support/log.js';
import { DEFAULT_SOURCES, SOURCE_ADAPTERS, sourceConfigParsers } from '../../src/sources/registry.js';
import { openStore } from '../../src/store/database.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface SoakHarvestCall {
  env: Record<string, string>;
  sources: string[];
  /** Pause between two harvests. */
  pauseMs: number;
}

/** One harvest of the loop, as recorded (or as thrown, when runHarvest itself failed). */
export interface SoakRun {
  source: string;
  status: HarvestRun['status'] | 'threw';
  errorCode: string | null;
  errorMessage: string | null;
  fetched: number;
  created: number;
  updated: number;
  removed: number;
  restored: number;
  startedAtMs: number;
  elapsedMs: number;
}

// Faults are injected on purpose: only errors are worth a line.
const log = stderrLog('soak harvest', 'error');

let stopping = false;
let loop: Promise<SoakRun[]> | undefined;

async function harvestLoop(call: SoakHarvestCall): Promise<SoakRun[]> {
  const config = buildConfig(call.env, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  const runs: SoakRun[] = [];
  try {
    while (!stopping) {
      for (const source of call.sources) {
        if (stopping) break;
        const startedAtMs = Date.now();
        const started = performance.now();
        try {
          const run = await runHarvest(
            { config, store, sources: SOURCE_ADAPTERS, log, holder: `soak:${process.pid}` },
            { source, mode: 'full', trigger: 'manual' },
          );
          runs.push({
            source,
            status: run.status,
            errorCode: run.errorCode,
            errorMessage: run.errorMessage,
            fetched: run.fetched,
            created: run.created,
            updated: run.updated,
            removed: run.removed,
            restored: run.restored,
            startedAtMs,
            elapsedMs: performance.now() - started,
          });
        } catch (error) {
          runs.push({
            source,
            status: 'threw',
            errorCode: null,
            errorMessage: messageOf(error),
            fetched: 0,
            created: 0,
            updated: 0,
            removed: 0,
            restored: 0,
            startedAtMs,
            elapsedMs: performance.now() - started,
          });
        }
        await delay(call.pauseMs);
      }
    }
  } finally {
    await store.close();
  }
  return runs;
}

answerCalls({
  start: (payload) => {
    if (loop !== undefined) throw new Error('the harvest loop is already running');
    stopping = false;
    loop = harvestLoop(payload as SoakHarvestCall);
    // An early failure (a bad config) surfaces at `stop`; keep it from being unhandled meanwhile.
    loop.catch(() => undefined);
    return null;
  },
  /** Lets the harvest under way finish, and returns every run. */
  stop: async () => {
    stopping = true;
    const runs = await (loop ?? Promise.resolve([]));
    loop = undefined;
    return runs;
  },
});
exitWithParent();
sendReady({ pid: process.pid });
