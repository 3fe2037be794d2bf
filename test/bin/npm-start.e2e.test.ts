/**
 * Issue 20.3: `npm start` stopped by SIGTERM or SIGINT (a process manager, a container stop, a
 * Ctrl-C sent to npm alone) stops the server too. npm forwards the signal to its child, the shell
 * of the script; the script `exec`s node so that child is the server itself (a shell that does not
 * exec would die and leave node serving).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'trialwatch-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the server when npm gets %s', async (signal) => {
    const npm = spawn('npm', ['start'], {
      cwd: packageRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        npm_config_update_notifier: 'false',
        DATABASE_URL: `sqlite:${join(dir, `${signal}.db`)}`,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        BOOTSTRAP_SNAPSHOT: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const listening = new Promise<{ url: string; pid: number }>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /"pid":(\d+),"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
        if (match !== null) resolve({ pid: Number(match[1]), url: match[2]! });
      };
      npm.stdout.on('data', onData);
      npm.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`npm start exited before listening:\n${output}`)));
    });
    const { url, pid } = await listening;
    try {
      expect(pid).not.toBe(npm.pid);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      npm.kill(signal);
      await exited;
      // The server stopped (not orphaned): its process is gone and its port is closed.
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(pid), output).toBe(false);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(output).toContain(`"signal":"${signal}","msg":"shutting down"`);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
