import type { SourceConfigBase } from '../../config/config.js';
import { readSchedule, readUpstreamConfig } from '../../config/config.js';
import { decodeServiceKey } from '../http/lenient.js';
import type { EnvReader } from '../../config/env-reader.js';

export interface CrisConfig extends SourceConfigBase {
  /** The Open API root without a trailing slash; `/list` and `/detail` are appended. */
  baseUrl: string;
  /**
   * The data.go.kr service key, percent-decoded: the portal shows an "Encoding" and a "Decoding"
   * key and people paste either; a double-encoded key is rejected by the gateway as unregistered,
   * so it is decoded here and encoded exactly once on the wire.
   */
  serviceKey: string | undefined;
  /**
   * Calls this source may make per day (the day in Asia/Seoul, when data.go.kr resets its
   * counters). Below the 10,000 of a development key so retries, manual runs and other tools
   * using the same key keep some room.
   */
  dailyCallBudget: number;
  /** Items per `/list` page, 1..50 (the upstream caps it at 50). */
  numOfRows: number;
}

/** The settings that hold secrets (`SourceAdapter.secretKeys`). */
export const CRIS_SECRET_KEYS = ['serviceKey'] as const satisfies readonly (keyof CrisConfig)[];

export const CRIS_DEFAULTS = {
  baseUrl: 'https://apis.data.go.kr/1352159/crisinfodataview',
  dailyCallBudget: 9_000,
  numOfRows: 50,
  // Early in the Korean morning: the quota has just been reset at midnight KST.
  schedule: '30 5 * * *',
  timeZone: 'Asia/Seoul',
  // The guide allows 30 transactions per second; 50 ms between calls keeps us well under it.
  minIntervalMs: 50,
} as const;

/** The upstream's own page-size cap (`numOfRows=100` returns 50 items). */
export const CRIS_MAX_ROWS = 50;

/**
 * Reads the `CRIS_*` settings. A missing key is not an error: the source is reported as not
 * configured (`missing`), never a crash; malformed values are added to the reader's problems.
 */
export function parseCrisConfig(reader: EnvReader, enabled: boolean): CrisConfig {
  const rawKey = reader.optionalString('CRIS_SERVICE_KEY');
  const serviceKey = rawKey === undefined ? undefined : decodeServiceKey(rawKey);
  return {
    enabled,
    missing: serviceKey === undefined ? ['CRIS_SERVICE_KEY'] : [],
    ...readSchedule(reader, 'CRIS', CRIS_DEFAULTS),
    upstream: readUpstreamConfig(reader, 'CRIS', { minIntervalMs: CRIS_DEFAULTS.minIntervalMs }),
    baseUrl: reader.url('CRIS_BASE_URL', CRIS_DEFAULTS.baseUrl),
    serviceKey,
    dailyCallBudget: reader.integer('CRIS_DAILY_CALL_BUDGET', CRIS_DEFAULTS.dailyCallBudget, {
      min: 1,
      max: 10_000_000,
    }),
    numOfRows: reader.integer('CRIS_NUM_OF_ROWS', CRIS_DEFAULTS.numOfRows, { min: 1, max: CRIS_MAX_ROWS }),
  };
}
