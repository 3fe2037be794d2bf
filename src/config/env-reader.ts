import { Cron } from 'croner';

/**
 * Reads typed values from an environment map and collects every problem instead of stopping at
 * the first, so a bad configuration is reported in one message naming every offending key.
 */
export class EnvReader {
  readonly problems: string[] = [];
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  /** The raw value with surrounding blanks removed; empty counts as unset. */
  raw(key: string): string | undefined {
    const value = this.#env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(key: string, fallback: string): string {
    return this.raw(key) ?? fallback;
  }

  optionalString(key: string): string | undefined {
    return this.raw(key);
  }

  integer(key: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.problems.push(`${key} must be a whole number (got "${value}")`);
      return fallback;
    }
    const parsed = Number(value);
    if (parsed < range.min || parsed > range.max) {
      this.problems.push(`${key} must be between ${range.min} and ${range.max} (got ${parsed})`);
      return fallback;
    }
    return parsed;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw(key)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${key} must be true or false (got "${value}")`);
    return fallback;
  }

  url(key: string, fallback: string): string {
    const value = this.raw(key) ?? fallback;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${key} must be an http(s) URL (got "${value}")`);
      return fallback;
    }
  }

  list(key: string, fallback: readonly string[]): string[] {
    const value = this.raw(key);
    if (value === undefined) return [...fallback];
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${key} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  /**
   * An IANA time zone (`Asia/Seoul`, `UTC`), checked with the runtime's own time-zone data, so a
   * zone the scheduler could not use is a start-up problem rather than a scheduler that never runs.
   */
  timeZone(key: string, fallback: string): string {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      this.problems.push(`${key} must be an IANA time zone such as Asia/Seoul or UTC (got "${value}")`);
      return fallback;
    }
  }

  /**
   * A cron pattern (5 or 6 fields, croner's syntax) that fires at least once more. Checked by
   * building the same `Cron` the scheduler builds, in `timeZone` when that one is valid.
   */
  cron(key: string, fallback: string, timeZone = 'UTC'): string {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    let cron: Cron;
    try {
      cron = new Cron(value, { timezone: timeZone, paused: true });
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
      this.problems.push(`${key} must be a cron pattern such as "0 4 * * *" (got "${value}": ${reason})`);
      return fallback;
    }
    const next = cron.nextRun();
    cron.stop();
    if (next === null) {
      this.problems.push(`${key} never fires (got "${value}"); use a pattern such as "0 4 * * *"`);
      return fallback;
    }
    return value;
  }
}
