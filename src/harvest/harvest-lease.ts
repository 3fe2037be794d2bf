/**
 * The source lease: only one harvest per source runs at a time across processes. A run takes the
 * lease (or the lease of a dead process on this host), renews it with every heartbeat and releases
 * it at the end; a lease not renewed expires, so a crashed holder's lease frees itself.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../sources/source.types.js';
import type { Db } from '../store/database.js';
import {
  acquireLease,
  getLease,
  releaseLease,
  renewLease,
  takeOverLease,
} from '../store/lease.repository.js';

/** Progress (counts, heartbeat, lease renewal) is saved at most this often, and at least 3× per lease TTL. */
const MAX_HEARTBEAT_INTERVAL_MS = 5_000;

export function heartbeatIntervalMs(leaseTtlMs: number): number {
  return Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.floor(leaseTtlMs / 3));
}

/** `host:pid:random`: who holds a lease or runs a harvest. */
export function defaultHolder(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** Whether a holder id names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  if (host !== hostname() || pidText === undefined || !/^\d+$/.test(pidText)) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(pid);
}

/**
 * Whether a process has exited but not been reaped yet (Linux `/proc/PID/stat` state Z): a killed
 * harvest process whose server died with it stays so until init collects it, and never renews.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

export function leaseName(source: string): string {
  return `harvest:${source}`;
}

/** The lease on one source's harvest, held by `holder` from `take` until `release`. */
export class SourceLease {
  private constructor(
    private readonly db: Db,
    readonly source: string,
    readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * Takes the source's lease, or that of a holder on this host whose process is gone (it will
   * never renew). Throws HARVEST_IN_PROGRESS while another live holder has it.
   */
  static async take(
    db: Db,
    source: string,
    holder: string,
    ttlMs: number,
    now: () => number,
    log: Logger,
  ): Promise<SourceLease> {
    const name = leaseName(source);
    if (!(await acquireLease(db, name, holder, ttlMs, now()))) {
      const current = await getLease(db, name);
      const dead = current !== undefined && isDeadLocalHolder(current.holder);
      if (!dead || !(await takeOverLease(db, name, current.holder, holder, ttlMs, now()))) {
        throw new AppError('HARVEST_IN_PROGRESS', `A harvest of ${source} is already running`);
      }
      log.warn({ source, previousHolder: current.holder }, 'took over the lease of a stopped process');
    }
    return new SourceLease(db, source, holder, ttlMs);
  }

  /** Extends the lease by its TTL from `now`; false when it was lost (expired and taken). */
  renew(now: number): Promise<boolean> {
    return renewLease(this.db, leaseName(this.source), this.holder, this.ttlMs, now);
  }

  /** Gives the lease up; never throws (an unreleased lease expires on its own). */
  async release(): Promise<void> {
    await releaseLease(this.db, leaseName(this.source), this.holder).catch(() => undefined);
  }
}
