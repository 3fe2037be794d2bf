import type { SourceConfigBase } from '../../config/config.js';
import { readSchedule, readUpstreamConfig } from '../../config/config.js';
import type { EnvReader } from '../../config/env-reader.js';
import { CTGOV_MAX_PAGE_SIZE } from './ctgov-api.types.js';

export interface CtgovConfig extends SourceConfigBase {
  /** API v2 root without a trailing slash, e.g. `https://clinicaltrials.gov/api/v2`. */
  baseUrl: string;
  /** Studies per `/studies` page, 1..1000. */
  pageSize: number;
  /**
   * Extra `/studies` parameters that narrow the mirror (`CTGOV_QUERY`, e.g. `query.locn=Korea`),
   * in the order given; sent on every page of every harvest mode.
   */
  query: readonly (readonly [string, string])[];
  /** `CTGOV_QUERY` as given (normalised), kept in the harvest state to notice a change of scope. */
  queryText: string;
  /**
   * Days between id-only reconciliation passes, run inside an incremental harvest when due;
   * 0 reconciles on every incremental harvest.
   */
  reconcileDays: number;
}

export const CTGOV_DEFAULTS = {
  baseUrl: 'https://clinicaltrials.gov/api/v2',
  pageSize: CTGOV_MAX_PAGE_SIZE,
  reconcileDays: 7,
  // ClinicalTrials.gov publishes a data release on weekdays; 07:00 UTC is after the overnight one.
  schedule: '0 7 * * *',
  timeZone: 'UTC',
  // The registry asks for about 50 requests a minute per client: one every 1.2 s stays under it.
  minIntervalMs: 1_200,
  // A page of 1,000 full studies is about 20 MB (up to a few hundred MB with large results
  // sections): 30 s, the default for small registries, is too short on a slow line.
  timeoutMs: 180_000,
} as const;

/**
 * The parameters the client sets itself; `CTGOV_QUERY` may not override them, or paging,
 * completeness checks and the mapper would silently break.
 */
const RESERVED_PARAMETERS = new Set([
  'pageSize',
  'pageToken',
  'countTotal',
  'fields',
  'format',
  'markupFormat',
  'sort',
]);

/** `query.*`, `filter.*`, `postFilter.*`, `aggFilters`, `geoDecay`: the ones that narrow the search. */
const NARROWING_PARAMETER = /^(?:(?:query|filter|postFilter)\.[A-Za-z]+|aggFilters|geoDecay)$/;

/**
 * Parses `CTGOV_QUERY` (URL query string form, `a=1&b=2`, a leading `?` allowed), adding a problem
 * for every parameter that would not narrow the search or that the client must own.
 */
export function parseCtgovQuery(
  value: string | undefined,
  problems: string[],
): { query: [string, string][]; queryText: string } {
  if (value === undefined) return { query: [], queryText: '' };
  const params = new URLSearchParams(value.replace(/^\?/, ''));
  const query: [string, string][] = [];
  const seen = new Set<string>();
  for (const [key, raw] of params) {
    const item = raw.trim();
    if (RESERVED_PARAMETERS.has(key)) {
      problems.push(`CTGOV_QUERY may not set ${key}: the harvester sets it itself`);
    } else if (!NARROWING_PARAMETER.test(key)) {
      problems.push(
        `CTGOV_QUERY has an unknown parameter "${key}" (use query.*, filter.*, postFilter.*, aggFilters or geoDecay)`,
      );
    } else if (item === '') {
      problems.push(`CTGOV_QUERY gives ${key} an empty value`);
    } else if (seen.has(key)) {
      problems.push(`CTGOV_QUERY sets ${key} more than once`);
    } else {
      seen.add(key);
      query.push([key, item]);
    }
  }
  return { query, queryText: new URLSearchParams(query).toString() };
}

/**
 * Reads the `CTGOV_*` settings. The registry needs no key, so the source is always configured;
 * it is opt-in through `SOURCES` because a full mirror is about 12 GB of JSON.
 */
export function parseCtgovConfig(reader: EnvReader, enabled: boolean): CtgovConfig {
  const { query, queryText } = parseCtgovQuery(reader.optionalString('CTGOV_QUERY'), reader.problems);
  return {
    enabled,
    missing: [],
    ...readSchedule(reader, 'CTGOV', CTGOV_DEFAULTS),
    upstream: readUpstreamConfig(reader, 'CTGOV', {
      minIntervalMs: CTGOV_DEFAULTS.minIntervalMs,
      timeoutMs: CTGOV_DEFAULTS.timeoutMs,
    }),
    baseUrl: reader.url('CTGOV_BASE_URL', CTGOV_DEFAULTS.baseUrl),
    pageSize: reader.integer('CTGOV_PAGE_SIZE', CTGOV_DEFAULTS.pageSize, {
      min: 1,
      max: CTGOV_MAX_PAGE_SIZE,
    }),
    query,
    queryText,
    reconcileDays: reader.integer('CTGOV_RECONCILE_DAYS', CTGOV_DEFAULTS.reconcileDays, { min: 0, max: 365 }),
  };
}
