import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/config/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const CLI_PATH = join(packageRoot(), 'dist', 'src', 'bin', 'trialwatch.js');

/**
 * Runs the built CLI as a child process with only the given environment (plus PATH), so a
 * developer's own settings never leak into a test. Bounded in time.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd ?? packageRoot(),
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `trialwatch serve` child process of the built CLI. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves to `http://127.0.0.1:PORT` once it listens; rejects if it exits first. */
  url: Promise<string>;
  /** Resolves to the exit code. */
  exited: Promise<number | null>;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output: () => string;
}

/**
 * Starts `trialwatch serve [args]` on 127.0.0.1 and a free port (`PORT=0`), with only the given
 * environment (plus PATH, and LOG_LEVEL `info`, which logs the address it listens at).
 */
export function startServe(env: Record<string, string>, args: readonly string[] = []): ServeProcess {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args], {
    cwd: packageRoot(),
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`serve exited before listening:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited, output: () => output };
}
