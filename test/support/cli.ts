import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/config/paths.js';

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
