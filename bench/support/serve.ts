/**
 * The real CLI's `serve` for the scenarios that measure it whole (api-under-harvest, webhooks):
 * `node --import tsx src/bin/trialwatch.ts serve --no-scheduler` on a free loopback port, so its
 * harvest and webhook processes run as in production.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ipc.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../src/bin/trialwatch.ts', import.meta.url));

export interface ServeProcess {
  pid: number;
  url: string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** `node --import tsx src/bin/trialwatch.ts serve --no-scheduler`, ready when /healthz answers. */
export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--no-scheduler'], {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = waitExit(child);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`trialwatch serve exited with code ${exitCode} while starting`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('trialwatch serve did not answer /healthz within 120 s');
    }
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    pid: child.pid ?? -1,
    url,
    exited,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
