import { describe, expect, it } from 'vitest';
import { BATCH_STATEMENT_LIMIT_MS, databaseTimeouts } from '../../src/bin/context.js';

describe('PostgreSQL time limits', () => {
  it('fit a statement inside the request time limit for a process that answers requests', () => {
    expect(databaseTimeouts(30_000, true)).toEqual({ connectTimeoutMs: 5_000, queryTimeoutMs: 24_000 });
    expect(databaseTimeouts(2_000, true)).toEqual({ connectTimeoutMs: 500, queryTimeoutMs: 500 });
    expect(databaseTimeouts(0, true)).toEqual({ connectTimeoutMs: 5_000 });
  });

  it('let batch work run one statement for minutes, never unbounded, with the same connect limit', () => {
    expect(BATCH_STATEMENT_LIMIT_MS).toBe(600_000);
    expect(databaseTimeouts(30_000, false)).toEqual({ connectTimeoutMs: 5_000, queryTimeoutMs: 600_000 });
    expect(databaseTimeouts(2_000, false)).toEqual({ connectTimeoutMs: 500, queryTimeoutMs: 600_000 });
    expect(databaseTimeouts(0, false)).toEqual({ connectTimeoutMs: 5_000, queryTimeoutMs: 600_000 });
  });
});
