/**
 * The shape every scenario has. A scenario gets its options, runs its processes, and fills a
 * `Results`; the runner (`bench/run.ts`) times it, adds machine facts, prints the table, writes the
 * JSON and decides the exit code. To add one (search, soak, …): write `bench/scenarios/<name>.ts`
 * exporting a `Scenario`, and list it in `bench/scenarios/index.ts`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DbKind } from '../support/databases.js';
import type { Results } from '../support/report.js';
import { RESULTS_DIR } from '../support/report.js';

export interface LoadOptions {
  /** Seconds of measured load per route. */
  durationS: number;
  /** Seconds of unmeasured load first, same settings. */
  warmupS: number;
  connections: number;
  /** autocannon worker threads (wrk's `-t`). */
  workers: number;
}

export interface ScenarioContext {
  /** The N this run uses (from `--n`, else the scenario's default for how it was asked for). */
  n: number;
  /** Databases to run on, in order. */
  dbs: DbKind[];
  seed: number;
  load: LoadOptions;
  /** `LOG_LEVEL` of the API server under load. */
  serverLogLevel: string;
  /** Extra `--name value` options the scenario may read (e.g. `--dataset`). */
  extra: Readonly<Record<string, string>>;
  /** Node flags for the process doing the work, to profile it (`--cpu-prof …`), or none. */
  profileFlags(label: string): string[];
  /** Where to write one `.cpuprofile` taken over IPC (per API route), or undefined when not profiling. */
  profileFile(label: string): string | undefined;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  description: string;
  /** N when the scenario is run by name. */
  defaultN: number;
  /** N when it runs as part of the default set (`npm run bench`), to stay within its time budget. */
  defaultSetN?: number;
  inDefaultSet: boolean;
  /** Without `--db`: SQLite only, or SQLite and PostgreSQL side by side when PostgreSQL answers. */
  defaultDbs: 'sqlite' | 'all-available';
  run(context: ScenarioContext, results: Results): Promise<void>;
}

/**
 * The folder `--profile` writes one process's `.cpuprofile` files to (`CPU.<date>.<pid>.<thread>…`:
 * the main thread's is the large one; tsx's module loader thread writes a small one).
 */
export function profileDir(runStamp: string, scenario: string, label: string): string {
  const dir = join(RESULTS_DIR, 'profiles', `${runStamp}-${scenario}`, label);
  mkdirSync(dir, { recursive: true });
  return dir;
}
