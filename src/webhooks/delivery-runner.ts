/**
 * Runs webhook delivery for `serve` in a child process of its own (bin/webhook-worker.ts), off the
 * API's event loop, like harvests (harvest/child-runner.ts): its own database connection, nice 10,
 * and a crash there never takes the API down — the child is started again after a pause. Several
 * `serve` processes each run one; the per-endpoint leases decide who delivers what.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { binEntry, CHILD_NICE } from '../harvest/child-runner.js';

/** Pause before a webhook process that ended unexpectedly is started again (ms). */
export const WEBHOOK_RESTART_DELAY_MS = 1_000;
/** How long a stopping webhook process may take to finish its attempt in flight (ms). */
export const WEBHOOK_STOP_GRACE_MS = 20_000;

export interface WebhookProcess {
  /** Stops the child (SIGTERM: it finishes the attempt in flight and gives up its leases). */
  stop(): Promise<void>;
}

export function startWebhookProcess(options: {
  log: { warn(obj: object, msg: string): void };
  env?: NodeJS.ProcessEnv;
  restartDelayMs?: number;
  stopGraceMs?: number;
}): WebhookProcess {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = () => {
    const entry = binEntry('webhook-worker');
    const started = fork(entry.path, [], {
      execArgv: entry.execArgv,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    child = started;
    if (started.pid !== undefined) {
      try {
        setPriority(started.pid, CHILD_NICE);
      } catch {
        // Not permitted here (some containers): deliveries then compete at normal priority.
      }
    }
    exited = new Promise((resolve) => {
      started.once('error', (error) => options.log.warn({ err: error.message }, 'webhook process error'));
      started.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        child = undefined;
        resolve();
        if (stopping) return;
        options.log.warn({ code, signal }, 'the webhook process ended; starting it again');
        restartTimer = setTimeout(launch, options.restartDelayMs ?? WEBHOOK_RESTART_DELAY_MS);
        restartTimer.unref();
      });
    });
  };
  launch();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (running === undefined) return;
      running.kill('SIGTERM');
      const killTimer = setTimeout(
        () => running.kill('SIGKILL'),
        options.stopGraceMs ?? WEBHOOK_STOP_GRACE_MS,
      );
      killTimer.unref();
      await exited;
      clearTimeout(killTimer);
    },
  };
}
