/**
 * Runs each harvest of `serve` in a child process of its own (`bin/harvest-worker`), with its own
 * database connection, so the API's event loop does request work only.
 *
 * A child process rather than a worker thread: a harvest's memory (pages, Buffers, zlib and
 * SQLite's native state) then never counts against the API process, an out-of-memory or native
 * crash ends only the child, and the operating system reclaims everything when the run ends.
 *
 * Life of a run: fork → `start` → the child takes the lease and creates the run (`started`) →
 * `finished` with the recorded run → the child exits. `stop` (or SIGTERM/SIGINT to the child)
 * stops it at a record boundary (`interrupted`). A child that exits without `finished` has its run
 * marked failed here (HARVEST_PROCESS_DIED) and its lease released, so the next run starts at once.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { HarvestRun } from '../domain/trial.types.js';
import type { ErrorCode } from '../errors/app-error.js';
import { AppError, ERROR_CATALOGUE } from '../errors/app-error.js';
import type { UpstreamObserver } from '../sources/http/upstream-client.js';
import type { Db } from '../store/database.js';
import { failRunningRun, getRun } from '../store/harvest-run.repository.js';
import { releaseLease } from '../store/lease.repository.js';
import type { FromHarvestChild, HarvestRunner, ToHarvestChild } from './harvest-runner.js';
import { leaseName } from './harvest-lease.js';

/** How long a stopped child may take to reach a record boundary before it is killed (ms). */
export const CHILD_STOP_GRACE_MS = 30_000;
/**
 * The harvest process's scheduling priority (nice, 0–19): background work, so on a busy machine the
 * API's requests get the CPU first; an idle machine gives the harvest all it wants either way.
 */
export const CHILD_NICE = 10;

export interface ChildRunnerOptions {
  db: Db;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  observer?: UpstreamObserver;
  /** Extra environment for the child (merged over this process's). */
  env?: NodeJS.ProcessEnv;
  /** The child's V8 heap limit (MiB); unset leaves Node's default. */
  maxHeapMb?: number;
  stopGraceMs?: number;
  /** The entry script; defaults to bin/harvest-worker beside this build. */
  entry?: string;
}

/** This process's Node options, less a debugger's (its port would be taken twice). */
function inheritedExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--inspect(-brk|-wait|-port)?(=|$)/.test(arg));
}

/** How to run a child entry script of src/bin (`harvest-worker`, `webhook-worker`) from this build. */
export function binEntry(name: string): { path: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const inherited = inheritedExecArgv();
  if (self.endsWith('.ts')) {
    // Running from source (tests, `node --import tsx`): the child needs the same loader.
    const execArgv = inherited.some((arg) => arg.includes('tsx'))
      ? inherited
      : [...inherited, '--import', 'tsx'];
    return { path: fileURLToPath(new URL(`../bin/${name}.ts`, import.meta.url)), execArgv };
  }
  return { path: fileURLToPath(new URL(`../bin/${name}.js`, import.meta.url)), execArgv: inherited };
}

function defaultEntry(): { path: string; execArgv: string[] } {
  return binEntry('harvest-worker');
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) {
    const hint = signal === 'SIGKILL' ? ' (killed, perhaps by the out-of-memory killer)' : '';
    return `The harvest process was ended by ${signal}${hint}`;
  }
  // V8 aborts (134) when a heap limit is reached; Node exits 1 on an uncaught exception.
  const hint = code === 134 ? ' (out of memory?)' : '';
  return `The harvest process exited with code ${code ?? 'unknown'}${hint} before recording the end of the run`;
}

export function childProcessRunner(options: ChildRunnerOptions): HarvestRunner {
  const grace = options.stopGraceMs ?? CHILD_STOP_GRACE_MS;
  return (request, control) =>
    new Promise<HarvestRun>((resolve, reject) => {
      const entry =
        options.entry === undefined ? defaultEntry() : { path: options.entry, execArgv: inheritedExecArgv() };
      const execArgv =
        options.maxHeapMb === undefined
          ? entry.execArgv
          : [...entry.execArgv, `--max-old-space-size=${options.maxHeapMb}`];
      const child: ChildProcess = fork(entry.path, [], {
        execArgv,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'json',
      });
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, CHILD_NICE);
        } catch {
          // Not permitted here (some containers): the harvest then competes at normal priority.
        }
      }
      let started: { runId: number; holder: string } | undefined;
      let finished: HarvestRun | undefined;
      let refused: AppError | undefined;
      let killTimer: NodeJS.Timeout | undefined;

      const send = (message: ToHarvestChild): void => {
        if (child.connected) child.send(message, () => undefined);
      };
      const stop = (): void => {
        send({ type: 'stop' });
        killTimer ??= setTimeout(() => child.kill('SIGKILL'), grace);
        killTimer.unref();
      };
      if (control.signal.aborted) stop();
      else control.signal.addEventListener('abort', stop, { once: true });

      child.on('message', (message: FromHarvestChild) => {
        switch (message.type) {
          case 'started':
            started = { runId: message.runId, holder: message.holder };
            control.onStarted(message.runId);
            break;
          case 'upstream':
            options.observer?.onAttempt?.(message.source, message.outcome, message.status);
            break;
          case 'finished':
            finished = message.run;
            break;
          case 'refused':
            refused = new AppError(isErrorCode(message.code) ? message.code : 'INTERNAL', message.message);
            break;
        }
      });
      child.on('error', (error) => {
        // Spawn failures (the entry cannot be run): nothing was started.
        if (started === undefined && refused === undefined) refused = new AppError('INTERNAL', error.message);
      });
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(killTimer);
        control.signal.removeEventListener('abort', stop);
        if (finished !== undefined) {
          resolve(finished);
          return;
        }
        if (started === undefined) {
          reject(refused ?? new AppError('HARVEST_PROCESS_DIED', describeExit(code, signal)));
          return;
        }
        const { runId, holder } = started;
        const message = describeExit(code, signal);
        options.log.error({ source: request.source, runId, code, signal }, message);
        void (async () => {
          await failRunningRun(options.db, runId, { code: 'HARVEST_PROCESS_DIED', message }, Date.now());
          await releaseLease(options.db, leaseName(request.source), holder);
          const run = await getRun(options.db, runId);
          if (run === undefined) throw new AppError('INTERNAL', `Run ${runId} vanished`);
          return run;
        })().then(resolve, (error: unknown) => {
          options.log.warn({ err: error, runId }, 'could not record the end of a crashed harvest');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
      send({
        type: 'start',
        request: { source: request.source, mode: request.mode, trigger: request.trigger },
      });
    });
}
