/** The WEBHOOK_* settings: defaults (units in the names) and one message naming every bad key. */
import { describe, expect, it } from 'vitest';
import { buildConfig, DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';

describe('webhook configuration', () => {
  it('defaults: https only, no private addresses, about 5 s … 24 h retries, 3 days to disable, 15 s', () => {
    const { webhooks } = buildConfig({}, {}, []);
    expect(webhooks).toEqual({
      allowPrivate: false,
      allowHttpHosts: [],
      retryScheduleMs: [...DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS],
      disableAfterMs: 259_200_000,
      timeoutMs: 15_000,
      pollIntervalMs: 1_000,
      leaseTtlMs: 60_000,
      concurrentEndpoints: 16,
      secretOverlapMs: 86_400_000,
      logMaxAgeMs: 2_592_000_000,
      logMaxRowsPerEndpoint: 10_000,
    });
    expect(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000,
    ]);
  });

  it('reads every key', () => {
    const { webhooks } = buildConfig(
      {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_ALLOW_HTTP_HOSTS: '127.0.0.1, Hooks.Internal',
        WEBHOOK_RETRY_SCHEDULE_MS: '100,200',
        WEBHOOK_DISABLE_AFTER_MS: '60000',
        WEBHOOK_TIMEOUT_MS: '5000',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_LEASE_TTL_MS: '5000',
        WEBHOOK_CONCURRENT_ENDPOINTS: '4',
        WEBHOOK_SECRET_OVERLAP_MS: '0',
        WEBHOOK_LOG_MAX_AGE_MS: '3600000',
        WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT: '500',
      },
      {},
      [],
    );
    expect(webhooks).toEqual({
      allowPrivate: true,
      allowHttpHosts: ['127.0.0.1', 'hooks.internal'],
      retryScheduleMs: [100, 200],
      disableAfterMs: 60_000,
      timeoutMs: 5_000,
      pollIntervalMs: 50,
      leaseTtlMs: 5_000,
      concurrentEndpoints: 4,
      secretOverlapMs: 0,
      logMaxAgeMs: 3_600_000,
      logMaxRowsPerEndpoint: 500,
    });
  });

  it('names every bad key at once', () => {
    let problems: string[] = [];
    try {
      buildConfig(
        {
          WEBHOOK_RETRY_SCHEDULE_MS: '5s,10',
          WEBHOOK_ALLOW_PRIVATE: 'maybe',
          WEBHOOK_TIMEOUT_MS: '0',
          WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT: '5',
        },
        {},
        [],
      );
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      problems = ((error as AppError).details as { problems: string[] }).problems;
    }
    expect(problems.join('\n')).toMatch(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(problems.join('\n')).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(problems.join('\n')).toMatch(/WEBHOOK_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT/);
  });
});
