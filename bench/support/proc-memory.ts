/**
 * Memory of processes the bench did not write (the real `trialwatch serve`, its harvest child, a
 * CLI harvest), read from outside: `/proc/PID/status` VmRSS (sampled) and VmHWM (the kernel's
 * high-water mark, which a spike between two samples cannot escape). The high-water mark of a
 * child of this process can be reset (`/proc/PID/clear_refs` ← 5) to measure one window.
 *
 * `ProcessTreeSampler` samples a root process and every child it forks (found by their parent pid)
 * every `intervalMs`; a child that has exited keeps the peaks last read.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface ProcessPeaks {
  pid: number;
  /** Bytes: the highest VmRSS sampled. */
  rssBytes: number;
  /** Bytes: the highest VmHWM read (since the process started, or the last reset). */
  highWaterBytes: number;
  samples: number;
}

function statusOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

/** The pids whose parent is `pid` (`/proc/PID/task/TID/children`, else a scan of /proc). */
export function childPids(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const found = new Set<number>();
    for (const task of tasks) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const part of text.split(/\s+/)) if (part !== '') found.add(Number(part));
    }
    return [...found];
  } catch {
    // no CONFIG_PROC_CHILDREN: scan
  }
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Resets the high-water mark of `pid` to its current RSS; false when not allowed. */
export function resetHighWater(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export class ProcessTreeSampler {
  readonly #root: number;
  #peaks = new Map<number, ProcessPeaks>();
  #timer: NodeJS.Timeout | undefined;
  #resetWorks = false;

  constructor(rootPid: number) {
    this.#root = rootPid;
  }

  start(intervalMs = 100): this {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    this.sample();
    return this;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Forgets the peaks (the root's high-water mark reset too, when allowed), e.g. per window. */
  reset(): boolean {
    this.#peaks = new Map();
    this.#resetWorks = resetHighWater(this.#root);
    this.sample();
    return this.#resetWorks;
  }

  /** Whether the root's high-water mark covers the window only (else the whole process life). */
  get highWaterSinceReset(): boolean {
    return this.#resetWorks;
  }

  sample(): void {
    for (const pid of [this.#root, ...childPids(this.#root)]) {
      const status = statusOf(pid);
      if (status === undefined) continue;
      const peaks = this.#peaks.get(pid) ?? { pid, rssBytes: 0, highWaterBytes: 0, samples: 0 };
      peaks.rssBytes = Math.max(peaks.rssBytes, status.rss);
      peaks.highWaterBytes = Math.max(peaks.highWaterBytes, status.hwm, status.rss);
      peaks.samples++;
      this.#peaks.set(pid, peaks);
    }
  }

  root(): ProcessPeaks {
    this.sample();
    return this.#peaks.get(this.#root) ?? { pid: this.#root, rssBytes: 0, highWaterBytes: 0, samples: 0 };
  }

  /** The children seen since the last reset (the harvest processes), largest peak first. */
  children(): ProcessPeaks[] {
    this.sample();
    return [...this.#peaks.values()]
      .filter((peaks) => peaks.pid !== this.#root)
      .sort((a, b) => b.highWaterBytes - a.highWaterBytes);
  }
}
