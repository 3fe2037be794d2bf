/** What a result was measured on: enough to tell whether two results can be compared. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  hostname: string;
  platform: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  /** CPUs this process may use (`nproc`). */
  cpus: number;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  loadAverage1m: number;
  node: string;
  v8: string;
  /** `git rev-parse --short HEAD`, with `-dirty` when the tree has uncommitted changes. */
  commit: string;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function commitId(): string {
  const head = git(['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  return dirty === undefined || dirty === '' ? head : `${head}-dirty`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
    node: process.version,
    v8: process.versions.v8,
    commit: commitId(),
  };
}
