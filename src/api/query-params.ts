/**
 * Query values the schemas can only shape-check: ISO 8601 times (real calendar dates, explicit zone
 * with a time), durations like `7d`, and comma lists of codes. Each failure names its parameter.
 */
import type { ChangeType } from '../domain/change.types.js';
import { CHANGE_TYPES, isChangeType } from '../domain/change.types.js';
import { AppError } from '../errors/app-error.js';
import { parseSearch } from '../services/search-query.js';
import type { TrialListFilter } from '../services/trial.service.js';
import type { ChangeFilter, TrialContentFilter } from '../domain/trial-read.types.js';
import type { ChangeListQueryType } from './schemas/change.schema.js';
import { CHANGE_CONTENT_FILTERS } from './schemas/change.schema.js';
import type { TrialFilterQueryType } from './schemas/trial.schema.js';

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

function invalid(parameter: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `The query parameter "${parameter}" ${message}`, {
    details: { parameter, location: 'querystring' },
  });
}

/**
 * Epoch ms of an ISO 8601 date (`2024-05-01`, midnight UTC) or date-time with a zone
 * (`2024-05-01T09:00:00+09:00`, `…Z`). A time without a zone is refused rather than guessed.
 */
export function parseIsoTime(parameter: string, value: string): number {
  const match = ISO_TIME.exec(value);
  if (match === null) {
    throw invalid(
      parameter,
      'must be an ISO 8601 date or date-time with a zone, e.g. 2024-05-01T09:00:00+09:00',
    );
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw invalid(parameter, `is not a real date and time ("${value}")`);
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const zoneHours = Number(digits.slice(1, 3));
    const zoneMinutes = Number(digits.slice(3, 5));
    if (zoneHours > 14 || zoneMinutes > 59)
      throw invalid(parameter, `has an impossible time zone offset ("${zone}")`);
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const millis = fraction === '' ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest window accepted: 100 years (beyond it the filter means nothing). */
const MAX_WINDOW_MS = 36_500 * 86_400_000;

/** Milliseconds of a duration like `30m`, `24h`, `7d` (the schema has checked the shape). */
export function parseDuration(parameter: string, value: string): number {
  const unit = UNIT_MS[value.slice(-1)];
  const amount = Number(value.slice(0, -1));
  if (unit === undefined || !Number.isSafeInteger(amount) || amount < 1) {
    throw invalid(parameter, 'must be a number of minutes, hours or days, e.g. 30m, 24h, 7d');
  }
  const ms = amount * unit;
  if (ms > MAX_WINDOW_MS) throw invalid(parameter, 'must be at most 36500d');
  return ms;
}

/** Upper-cased, de-duplicated, sorted codes of a comma list (so equal filters compare equal). */
export function parseCodes(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(value.split(',').map((code) => code.trim().toUpperCase()))].sort();
}

/** The change types of a comma list (parameter `name`); a 400 naming the allowed ones for any other. */
export function parseChangeTypes(name: string, value: string | undefined): ChangeType[] | undefined {
  if (value === undefined) return undefined;
  const types = [...new Set(value.split(',').map((item) => item.trim().toLowerCase()))];
  const unknown = types.filter((item) => !isChangeType(item));
  if (unknown.length > 0) {
    throw invalid(
      name,
      `has unknown change types (${unknown.join(', ')}); allowed: ${CHANGE_TYPES.join(', ')}`,
    );
  }
  return types as ChangeType[];
}

/** The service filter of a query's filter parameters; throws `VALIDATION_FAILED` naming the parameter. */
export function trialFilterOf(query: TrialFilterQueryType): TrialListFilter {
  const filter: TrialListFilter = { includeRemoved: query.includeRemoved ?? false };
  if (query.source !== undefined) filter.source = query.source;
  if (query.updatedWithin !== undefined)
    filter.updatedWithinMs = parseDuration('updatedWithin', query.updatedWithin);
  if (query.updatedSince !== undefined)
    filter.updatedSince = parseIsoTime('updatedSince', query.updatedSince);
  const status = parseCodes(query.status);
  const phase = parseCodes(query.phase);
  const studyType = parseCodes(query.studyType);
  if (status !== undefined) filter.status = status;
  if (phase !== undefined) filter.phase = phase;
  if (studyType !== undefined) filter.studyType = studyType;
  if (query.institution !== undefined) filter.institution = query.institution;
  if (query.department !== undefined) filter.department = query.department;
  const search = parseSearch(query.q);
  if (search !== undefined) filter.search = search;
  if (query.condition !== undefined) filter.condition = query.condition.trim();
  if (query.country !== undefined) filter.country = query.country.trim();
  if (query.enrollmentMin !== undefined) filter.enrollmentMin = query.enrollmentMin;
  if (query.enrollmentMax !== undefined) filter.enrollmentMax = query.enrollmentMax;
  if (
    filter.enrollmentMin !== undefined &&
    filter.enrollmentMax !== undefined &&
    filter.enrollmentMin > filter.enrollmentMax
  ) {
    throw invalid('enrollmentMax', `must be at least enrollmentMin (${filter.enrollmentMin})`);
  }
  if (query.hasResults !== undefined) filter.hasResults = query.hasResults;
  if (query.linkedTo !== undefined) filter.linkedTo = query.linkedTo.toUpperCase();
  const changeTypes = parseChangeTypes('changeType', query.changeType);
  if (changeTypes !== undefined) filter.changeTypes = changeTypes;
  return filter;
}

/** The filter parameters of /api/v1/changes (also a webhook's `filter`): all but paging and format. */
export type ChangeFilterQuery = Omit<ChangeListQueryType, 'cursor' | 'limit' | 'format'>;

/** The content filter of a change query, or undefined when it names none. */
function contentFilterOf(query: ChangeFilterQuery): TrialContentFilter | undefined {
  if (!CHANGE_CONTENT_FILTERS.some((key) => query[key] !== undefined)) return undefined;
  const { includeRemoved: _all, ...content } = trialFilterOf(query);
  return content;
}

/**
 * The change filter of the /api/v1/changes parameters: the one parser of the feed's filters (the
 * route's query, a webhook's `filter` when it is saved and when its events are chosen).
 */
export function changeFilterOf(query: ChangeFilterQuery): ChangeFilter {
  const types = parseChangeTypes('type', query.type);
  const content = contentFilterOf(query);
  return {
    ...(query.source === undefined ? {} : { source: query.source }),
    ...(query.trial === undefined ? {} : { trialId: query.trial.trim().toUpperCase() }),
    ...(query.material === undefined ? {} : { material: query.material }),
    ...(types === undefined ? {} : { types }),
    ...(content === undefined ? {} : { content }),
    ...(query.since === undefined ? {} : { since: parseIsoTime('since', query.since) }),
    ...(query.until === undefined ? {} : { until: parseIsoTime('until', query.until) }),
  };
}
