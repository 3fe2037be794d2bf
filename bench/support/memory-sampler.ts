/**
 * Peak memory of the process that does the work (the harvest worker, the API server), sampled
 * in-process. RSS is also read from the kernel's high-water mark (`maxRSS`), which catches a
 * spike between two samples; heap figures are the sampled peaks.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface MemoryPeaks {
  /** Bytes. Peak of the sampled resident set size. */
  rssBytes: number;
  /** Bytes. The kernel's high-water mark of the resident set since the last reset (or the start). */
  rssHighWaterBytes: number;
  /** Bytes. Peak V8 heap in use. */
  heapUsedBytes: number;
  /** Bytes. Peak V8 heap reserved. */
  heapTotalBytes: number;
  /** Bytes. Peak memory of C++ objects bound to JS objects (Buffers included). */
  externalBytes: number;
  samples: number;
}

/** Clears the kernel's RSS high-water mark (Linux, own process); false when not allowed. */
function resetHighWater(): boolean {
  try {
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function highWaterBytes(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall back to resourceUsage (since the start of the process)
  }
  return process.resourceUsage().maxRSS * 1024;
}

export class MemorySampler {
  #peaks: MemoryPeaks = MemorySampler.#empty();
  #timer: NodeJS.Timeout | undefined;
  #highWaterReset = false;

  static #empty(): MemoryPeaks {
    return {
      rssBytes: 0,
      rssHighWaterBytes: 0,
      heapUsedBytes: 0,
      heapTotalBytes: 0,
      externalBytes: 0,
      samples: 0,
    };
  }

  /** Starts sampling every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs = 100): this {
    this.reset();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Forgets the peaks so far (e.g. between two load runs against the same server). */
  reset(): void {
    this.#peaks = MemorySampler.#empty();
    this.#highWaterReset = resetHighWater();
    this.sample();
  }

  sample(): void {
    const usage = process.memoryUsage();
    const peaks = this.#peaks;
    peaks.rssBytes = Math.max(peaks.rssBytes, usage.rss);
    peaks.heapUsedBytes = Math.max(peaks.heapUsedBytes, usage.heapUsed);
    peaks.heapTotalBytes = Math.max(peaks.heapTotalBytes, usage.heapTotal);
    peaks.externalBytes = Math.max(peaks.externalBytes, usage.external);
    peaks.samples++;
  }

  /** The peaks so far; the high-water mark covers the whole process unless it could be reset. */
  peaks(): MemoryPeaks & { highWaterSinceReset: boolean } {
    this.sample();
    return {
      ...this.#peaks,
      rssHighWaterBytes: Math.max(highWaterBytes(), this.#peaks.rssBytes),
      highWaterSinceReset: this.#highWaterReset,
    };
  }

  stop(): MemoryPeaks & { highWaterSinceReset: boolean } {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    return this.peaks();
  }
}
