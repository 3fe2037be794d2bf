/**
 * The benchmark's processes: the orchestrator (`bench/run.ts`) forks one child per role (fake
 * upstream, harvest worker, API server, load generator) and talks to it over Node's IPC channel
 * with request/answer messages. Each child runs under tsx, so it runs the TypeScript sources as
 * they are, and can be given extra Node flags (`--cpu-prof`).
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

interface CallMessage {
  kind: 'call';
  id: number;
  type: string;
  payload: unknown;
}

interface AnswerMessage {
  kind: 'answer';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

interface ReadyMessage {
  kind: 'ready';
  info: unknown;
}

type ChildMessage = AnswerMessage | ReadyMessage;

export interface ChildOptions {
  /** Shown in errors. */
  name: string;
  env?: Record<string, string | undefined>;
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** How long the child may take to say it is ready. */
  readyTimeoutMs?: number;
}

/** A forked child that answered `ready`. */
export interface Child<Info> {
  readonly name: string;
  readonly pid: number;
  readonly info: Info;
  /** Sends a call and waits for its answer (rejects on an error answer, a timeout or an exit). */
  call<T>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** Sends SIGTERM (SIGKILL after `graceMs`) and waits for the exit; resolves to the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** Resolves when the child exits, with its code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** The path of a child process entry in `bench/procs/`, for `fork`. */
export function procPath(name: string): string {
  return fileURLToPath(new URL(`../procs/${name}`, import.meta.url));
}

/** Forks `script` under tsx and waits for its `ready` message. */
export async function startChild<Info>(script: string, options: ChildOptions): Promise<Child<Info>> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      const reason = new Error(
        `${options.name} exited (${code === null ? `signal ${signal}` : `code ${code}`}) before answering`,
      );
      for (const waiter of pending.values()) waiter.reject(reason);
      pending.clear();
      resolve(code);
    });
  });
  const ready = new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not start within ${options.readyTimeoutMs ?? 60_000} ms`)),
      options.readyTimeoutMs ?? 60_000,
    );
    child.on('message', (raw: ChildMessage) => {
      if (raw.kind === 'ready') {
        clearTimeout(timer);
        resolve(raw.info as Info);
        return;
      }
      const waiter = pending.get(raw.id);
      if (waiter === undefined) return;
      pending.delete(raw.id);
      if (raw.ok) waiter.resolve(raw.result);
      else waiter.reject(new Error(`${options.name}: ${raw.error ?? 'failed'}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with code ${code} while starting`));
    });
  });
  let info: Info;
  try {
    info = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid ?? -1;
  return {
    name: options.name,
    pid,
    info,
    exited,
    call<T>(type: string, payload?: unknown, timeoutMs = 30 * 60_000): Promise<T> {
      if (exitCode !== undefined) return Promise.reject(new Error(`${options.name} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${options.name}: "${type}" took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        const message: CallMessage = { kind: 'call', id, type, payload };
        child.send(message);
      });
    },
    async stop(graceMs = 10_000): Promise<number | null> {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The child's side

export type CallHandler = (payload: unknown) => unknown;

/** Answers the parent's calls with `handlers`; a thrown error becomes an error answer. */
export function answerCalls(handlers: Readonly<Record<string, CallHandler>>): void {
  process.on('message', (raw: CallMessage) => {
    if (raw.kind !== 'call') return;
    const handler = handlers[raw.type];
    const reply = (message: AnswerMessage): void => {
      process.send?.(message);
    };
    if (handler === undefined) {
      reply({ kind: 'answer', id: raw.id, ok: false, error: `unknown call "${raw.type}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(raw.payload))
      .then(
        (result) => reply({ kind: 'answer', id: raw.id, ok: true, result }),
        (error: unknown) =>
          reply({
            kind: 'answer',
            id: raw.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
}

/** Tells the parent the child is ready, with what it needs to know (URLs, ports). */
export function sendReady(info: unknown): void {
  const message: ReadyMessage = { kind: 'ready', info };
  process.send?.(message);
}

/** Exits cleanly when the parent goes away or asks to stop (no orphaned children). */
export function exitWithParent(onStop: () => Promise<void> | void = () => undefined): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    Promise.resolve()
      .then(onStop)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

/** A TCP port free on loopback right now (for a child server to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `trialwatch serve` (procs/api-server.ts) on a free loopback port over `databaseUrl`, with the
 * scheduler's sources `sources` (comma-separated) and request logs at `logLevel`.
 */
export async function startApiServer(
  databaseUrl: string,
  sources: string,
  logLevel: string,
  extraEnv: Record<string, string> = {},
): Promise<Child<{ url: string }>> {
  const port = await freePort();
  return startChild<{ url: string }>(procPath('api-server.ts'), {
    name: 'API server',
    env: {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: logLevel,
      BOOTSTRAP_SNAPSHOT: 'false',
      SOURCES: sources,
      KR_ICREAT_SERVICE_KEY: 'bench-service-key',
      // All the load comes from one client (loopback), which the per-client limit exists to stop;
      // the highest allowed limit keeps the limiter's per-request work in the figures.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...extraEnv,
    },
  });
}
