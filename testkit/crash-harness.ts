/**
 * Crash consistency: runs the built CLI's `harvest` as a child process against a slow fake
 * upstream, kills it with SIGKILL at random moments, and checks after every kill that the database
 * is consistent (see store-invariants.ts). Between kills the upstream data moves on (records
 * change, disappear, come back, appear), so kills land on creations, updates, removals and
 * restorations alike. At the end one uninterrupted harvest must leave exactly the data that a
 * clean database gets from the same upstream.
 *
 * `npm test` runs a few kills per database (test/reliability/crash-consistency.e2e.test.ts); the
 * benchmark calls `runCrashLoop` with a larger count. The CLI must be built (`npm run build`).
 *
 * Comparing with the clean reference is exact because of how the data moves: a record is only
 * ever removed while it still has its first content (so a removed trial has the same hash in both
 * databases), and every record added later stays listed to the end.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../src/store/database.js';
import { CLI_PATH } from './cli.js';
import type { FakeUpstream } from './fake-upstream.js';
import { KR_FAKE_LAST_KNOWN_UDDI, loadKrSnapshotRecords, startFakeUpstream } from './fake-upstream.js';
import type { InvariantViolation, TrialFingerprint } from './store-invariants.js';
import { checkStoreInvariants, runningRuns, trialFingerprints } from './store-invariants.js';

/** A database the loop writes to through the CLI (its DATABASE_URL) and checks directly. */
export interface CrashTarget extends Store {
  url: string;
}

export interface CrashLoopOptions {
  /** The database the harvests are killed on; should start empty (migrated or not). */
  target: CrashTarget;
  /** An empty database for the clean reference run. */
  reference: CrashTarget;
  /** SIGKILLs to deliver to a harvest in progress. */
  kills: number;
  /** Seed of the random kill times and data changes (printed in the report to replay a run). */
  seed?: number;
  /** Stop delivering kills after this long (the report says how many were delivered). */
  timeBudgetMs?: number;
  /** Delay the fake upstream adds to every page, so kills land mid-harvest. Default 20 ms. */
  pageDelayMs?: number;
  /** Records per page (KR_ICREAT_PER_PAGE). Default 10. */
  perPage?: number;
  /** Records in the upstream dataset at the start (the 145 real ones, then synthetic). Default 200. */
  records?: number;
  /** Progress lines (one per kill). */
  log?: (line: string) => void;
}

export interface KillRecord {
  /** 1-based. */
  kill: number;
  /** Milliseconds after spawning the child. */
  atMs: number;
  /** Whether the kill left a run "running" (it hit a harvest in progress, not the start-up). */
  leftRunRunning: boolean;
  /** The data generation the killed harvest was reading. */
  generation: number;
  violations: InvariantViolation[];
}

export interface CrashLoopReport {
  seed: number;
  database: string;
  /** SIGKILLs delivered to a live harvest process. */
  kills: number;
  /** Kills that left a run marked running (the rest hit the process before its run began). */
  killsMidRun: number;
  /** Children that finished before their kill time came (not counted as kills). */
  finishedBeforeKill: number;
  /** Data generations served (each kill cycle may move the data on). */
  generations: number;
  /**
   * Harvests that found the lease of a killed process and took it over at once (the holder's pid
   * is gone on this host) instead of waiting for it to expire.
   */
  takeovers: number;
  /** Every kill, with the violations found right after it. */
  killLog: KillRecord[];
  /** Invariant violations summed over every check (after each kill and at the end). */
  violations: number;
  /** Runs still "running" after the final harvest (must be 0). */
  leftRunning: number;
  /** Runs marked abandoned by the harvests that followed the kills. */
  abandoned: number;
  /** The final harvest's exit code and summary line. */
  final: { code: number | null; summary: string };
  /** Whether the final data equals the clean reference run's (ids, content hashes, removed state). */
  matchesReference: boolean;
  /** Differences from the reference, when any (first 20). */
  mismatches: string[];
  trials: { active: number; removed: number };
  /** Milliseconds of one uninterrupted harvest of unchanged data (the calibration run). */
  harvestMs: number;
  durationMs: number;
}

const SOURCE = 'kr-icreat';
const KEY = 'crash-harness-key';
const PAGE_PATH = '/api/3074271/v1/uddi:';
/** The warning a harvest logs when it takes over the lease of a dead process. */
const TAKEOVER = /took over the lease of a stopped process/;

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same kills and data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type KrRecord = Record<string, string>;

/** The starting dataset: the 145 real records, then synthetic ones made from them. */
function initialRecords(count: number): KrRecord[] {
  const real = loadKrSnapshotRecords();
  const out: KrRecord[] = real.slice(0, count);
  for (let n = out.length; n < count; n++) {
    const template = real[n % real.length]!;
    out.push({
      ...template,
      과제번호: `C9${String(n).padStart(5, '0')}`,
      과제명: `${template['과제명']} (합성 ${n})`,
    });
  }
  return out;
}

/**
 * The upstream's data over time. Rules that keep the final comparison exact: only records still
 * holding their first content are removed; removed ones come back unchanged; added ones stay.
 */
class DataTimeline {
  generation = 0;
  readonly initial: KrRecord[];
  current: KrRecord[];
  readonly #pristine = new Set<string>();
  readonly #removed = new Map<string, KrRecord>();
  #added = 0;

  constructor(
    count: number,
    private readonly random: () => number,
  ) {
    this.initial = initialRecords(count);
    this.current = this.initial.map((record) => ({ ...record }));
    for (const record of this.initial) this.#pristine.add(record['과제번호']!);
  }

  #pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.random() * items.length)];
  }

  /** Moves the data on by one generation: a few changes, a removal or two, a return, an addition. */
  advance(): void {
    this.generation++;
    const ids = () => this.current.map((record) => record['과제번호']!);
    const changes = 1 + Math.floor(this.random() * Math.max(2, this.current.length / 30));
    for (let i = 0; i < changes; i++) {
      const id = this.#pick(ids());
      const index = this.current.findIndex((record) => record['과제번호'] === id);
      const record = this.current[index];
      if (record === undefined || id === undefined) continue;
      this.current[index] = {
        ...record,
        연구기간: `${1 + Math.floor(this.random() * 9)}년`,
        과제명: `${record['과제명']!.replace(/ \[g\d+\]$/, '')} [g${this.generation}]`,
      };
      this.#pristine.delete(id);
    }
    const removals = Math.floor(this.random() * 3);
    for (let i = 0; i < removals; i++) {
      const id = this.#pick([...this.#pristine]);
      if (id === undefined) break;
      const index = this.current.findIndex((record) => record['과제번호'] === id);
      const [record] = this.current.splice(index, 1);
      this.#pristine.delete(id);
      if (record !== undefined) this.#removed.set(id, record);
    }
    if (this.random() < 0.5) {
      const id = this.#pick([...this.#removed.keys()]);
      const record = id === undefined ? undefined : this.#removed.get(id);
      if (id !== undefined && record !== undefined) {
        this.#removed.delete(id);
        this.#pristine.add(id);
        this.current.splice(Math.floor(this.random() * this.current.length), 0, record);
      }
    }
    if (this.random() < 0.6) {
      const template = this.#pick(this.initial)!;
      this.#added++;
      const record = {
        ...template,
        과제번호: `C8${String(this.generation).padStart(3, '0')}${String(this.#added).padStart(3, '0')}`,
        과제명: `신규 과제 ${this.generation}-${this.#added}`,
      };
      // Added at a random place: the pages after it shift by one row.
      this.current.splice(Math.floor(this.random() * (this.current.length + 1)), 0, record);
    }
  }
}

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function spawnHarvest(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CLI_PATH, 'harvest', '--source', SOURCE], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { process: child, exited };
}

/** Runs one harvest to its end (bounded), returning its exit code and output. */
async function harvestToEnd(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawnHarvest(env);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  try {
    const result = await child.exited;
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function compareWithReference(actual: TrialFingerprint[], expected: TrialFingerprint[]): string[] {
  const mismatches: string[] = [];
  const byId = new Map(expected.map((trial) => [trial.id, trial]));
  for (const trial of actual) {
    const reference = byId.get(trial.id);
    byId.delete(trial.id);
    if (reference === undefined) {
      // A record added and never listed to the end cannot exist here (added records stay listed).
      mismatches.push(`${trial.id}: not in the reference database`);
    } else if (reference.contentHash !== trial.contentHash || reference.removed !== trial.removed) {
      mismatches.push(
        `${trial.id}: hash ${trial.contentHash.slice(0, 12)} removed=${trial.removed}, reference ${reference.contentHash.slice(0, 12)} removed=${reference.removed}`,
      );
    }
  }
  for (const id of byId.keys()) mismatches.push(`${id}: only in the reference database`);
  return mismatches;
}

function pageRequestsSince(upstream: FakeUpstream, from: number): number {
  let count = 0;
  for (let i = from; i < upstream.requests.length; i++) {
    if (upstream.requests[i]!.path.startsWith(PAGE_PATH)) count++;
  }
  return count;
}

async function lastRunId(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('harvest_runs')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * The loop. Never throws for a violation: everything found is in the report, which the caller
 * asserts on (the test) or prints (the benchmark).
 */
export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopReport> {
  if (!existsSync(CLI_PATH)) throw new Error(`the CLI is not built (${CLI_PATH}): run npm run build first`);
  const started = Date.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const log = options.log ?? (() => undefined);
  const timeline = new DataTimeline(options.records ?? 200, random);
  const upstream: FakeUpstream = await startFakeUpstream({
    kr: { expectedKey: KEY, records: timeline.current },
  });
  const envFor = (url: string): Record<string, string> => ({
    DATABASE_URL: url,
    SOURCES: SOURCE,
    LOG_LEVEL: 'warn',
    KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
    KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
    KR_ICREAT_SERVICE_KEY: KEY,
    KR_ICREAT_UDDI: KR_FAKE_LAST_KNOWN_UDDI,
    KR_ICREAT_PER_PAGE: String(options.perPage ?? 10),
    KR_ICREAT_RETRIES: '1',
    KR_ICREAT_BACKOFF_MS: '10',
  });
  const env = envFor(options.target.url);
  const perPage = options.perPage ?? 10;
  const pageDelayMs = options.pageDelayMs ?? 20;
  const store: Store = options.target;
  const report: CrashLoopReport = {
    seed,
    database: store.dialect.name,
    kills: 0,
    killsMidRun: 0,
    finishedBeforeKill: 0,
    generations: 0,
    takeovers: 0,
    killLog: [],
    violations: 0,
    leftRunning: 0,
    abandoned: 0,
    final: { code: null, summary: '' },
    matchesReference: false,
    mismatches: [],
    trials: { active: 0, removed: 0 },
    harvestMs: 0,
    durationMs: 0,
  };
  try {
    upstream.injectFault({ kind: 'delay', ms: pageDelayMs }, { match: PAGE_PATH, times: Infinity });

    // Calibration: the first harvest creates everything; a second one, like the later ones, finds
    // mostly unchanged records. Its start-up time (process, config, connection, migrations) is
    // the window of the kills aimed at the start-up.
    const first = await harvestToEnd(env);
    if (first.code !== 0) throw new Error(`the first harvest failed: ${first.stderr || first.stdout}`);
    const spawnedAt = Date.now();
    const second = await harvestToEnd(env);
    if (second.code !== 0) throw new Error(`the second harvest failed: ${second.stderr || second.stdout}`);
    const calibration = await store.db
      .selectFrom('harvest_runs')
      .select(['started_at'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    report.harvestMs = second.ms;
    // Same machine, same clock: when the run began, counted from the spawn (the start-up time).
    const runFrom = Math.max(0, calibration.started_at - spawnedAt);
    const budget = options.timeBudgetMs ?? Number.POSITIVE_INFINITY;

    while (report.kills < options.kills && Date.now() - started < budget) {
      // Most cycles move the data on; some kill the same harvest again (a retry after a crash).
      if (random() < 0.8) {
        timeline.advance();
        upstream.kr.setRecords(timeline.current);
      }
      // One kill in ten lands at a random moment of the start-up (config, connection, migrations);
      // the others once the upstream has received a random page request, plus up to one page's
      // worth of time, so they hit reads, writes and commits of a run in progress.
      const pages = Math.max(1, Math.ceil(timeline.current.length / perPage));
      const inStartup = random() < 0.1;
      const killAfterPage = 1 + Math.floor(random() * pages);
      const extraMs = Math.round(random() * (pageDelayMs + 20));
      const startupKillMs = Math.round(runFrom * random());
      const requestsBefore = upstream.requests.length;
      const spawnedAtMs = Date.now();
      const lastRunBefore = await lastRunId(store);
      const child = spawnHarvest(env);
      let exited = false;
      void child.exited.then(() => (exited = true));
      if (inStartup) await sleep(startupKillMs);
      else {
        while (!exited && pageRequestsSince(upstream, requestsBefore) < killAfterPage) await sleep(2);
        await sleep(extraMs);
      }
      const atMs = Date.now() - spawnedAtMs;
      if (exited) {
        const result = await child.exited;
        report.finishedBeforeKill++;
        if (TAKEOVER.test(result.stderr)) report.takeovers++;
        if (result.code !== 0)
          throw new Error(`a harvest failed on its own: ${result.stderr || result.stdout}`);
        continue;
      }
      child.process.kill('SIGKILL');
      const result = await child.exited;
      if (result.signal !== 'SIGKILL') {
        // It finished between the check and the signal.
        report.finishedBeforeKill++;
        if (TAKEOVER.test(result.stderr)) report.takeovers++;
        continue;
      }
      report.kills++;
      // A run this process created and left behind (earlier dead runs may still be waiting too).
      const leftRunRunning = (await runningRuns(store)).some((run) => run.id > lastRunBefore);
      if (leftRunRunning) report.killsMidRun++;
      const violations = await checkStoreInvariants(store);
      report.violations += violations.reduce((sum, violation) => sum + violation.count, 0);
      report.killLog.push({
        kill: report.kills,
        atMs,
        leftRunRunning,
        generation: timeline.generation,
        violations,
      });
      log(
        `kill ${report.kills}/${options.kills} at ${atMs} ms (generation ${timeline.generation})${leftRunRunning ? ', run left running' : ''}: ${violations.length === 0 ? 'consistent' : JSON.stringify(violations)}`,
      );
      if (TAKEOVER.test(result.stderr)) report.takeovers++;
    }

    // The final, uninterrupted harvest. No lease is expired by hand: the dead holder's lease is
    // taken over because its process is gone (same host), as after a real crash.
    const final = await harvestToEnd(env);
    if (TAKEOVER.test(final.stderr)) report.takeovers++;
    report.final = { code: final.code, summary: (final.stdout + final.stderr).trim() };
    report.leftRunning = (await runningRuns(store)).length;
    const abandoned = await store.db
      .selectFrom('harvest_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'abandoned')
      .executeTakeFirstOrThrow();
    report.abandoned = Number(abandoned.n);
    const finalViolations = await checkStoreInvariants(store);
    report.violations += finalViolations.reduce((sum, violation) => sum + violation.count, 0);
    if (finalViolations.length > 0) log(`after the final harvest: ${JSON.stringify(finalViolations)}`);

    // The clean reference: the first generation, then the last, on an empty database, never killed.
    const referenceEnv = envFor(options.reference.url);
    upstream.kr.setRecords(timeline.initial);
    const referenceFirst = await harvestToEnd(referenceEnv);
    upstream.kr.setRecords(timeline.current);
    const referenceLast = await harvestToEnd(referenceEnv);
    if (referenceFirst.code !== 0 || referenceLast.code !== 0) {
      throw new Error(`the reference harvests failed: ${referenceFirst.stderr} ${referenceLast.stderr}`);
    }
    const actual = await trialFingerprints(store);
    report.mismatches = compareWithReference(actual, await trialFingerprints(options.reference)).slice(0, 20);
    report.matchesReference = report.mismatches.length === 0 && final.code === 0;
    report.trials = {
      active: actual.filter((trial) => !trial.removed).length,
      removed: actual.filter((trial) => trial.removed).length,
    };
    report.generations = timeline.generation + 1;
  } finally {
    await upstream.close();
    report.durationMs = Date.now() - started;
  }
  return report;
}

/** One line per figure, for the benchmark report. */
export function formatCrashReport(report: CrashLoopReport): string {
  return [
    `crash consistency on ${report.database} (seed ${report.seed}):`,
    `  kills delivered ${report.kills} (mid-run ${report.killsMidRun}, during start-up ${report.kills - report.killsMidRun}); harvests that finished before their kill ${report.finishedBeforeKill}`,
    `  data generations ${report.generations}; lease take-overs ${report.takeovers}; runs abandoned ${report.abandoned}; runs left running ${report.leftRunning}`,
    `  invariant violations ${report.violations}; final harvest exit ${report.final.code}; equals the clean run: ${report.matchesReference ? 'yes' : `no (${report.mismatches.slice(0, 5).join('; ')})`}`,
    `  trials ${report.trials.active} active, ${report.trials.removed} removed; one harvest ${report.harvestMs} ms; loop ${Math.round(report.durationMs / 1000)} s`,
  ].join('\n');
}
