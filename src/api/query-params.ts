/**
 * Query values the schemas can only shape-check: ISO 8601 times (real calendar dates, explicit zone
 * with a time), durations like `7d`, and comma lists of codes. Each failure names its parameter.
 */
import type { ChangeType } from '../domain/change.types.js';
import { CHANGE_TYPES, isChangeType } from '../domain/change.types.js';
import { DEFAULT_RADIUS_KM, KM_PER_MILE, MAX_RADIUS_KM } from '../domain/geo.js';
import type { NearFilter } from '../domain/trial-read.types.js';
import type { LabelledCode } from '../domain/labels.js';
import { isKnownCode, knownCodes } from '../domain/labels.js';
import { AppError } from '../errors/app-error.js';
import { SPONSOR_CLASSES } from '../domain/trial-filter-values.js';
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
      `must be an ISO 8601 date or date-time with a zone, e.g. 2024-05-01 or 2024-05-01T09:00:00+09:00 (got "${value}")`,
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

/** A real calendar date `YYYY-MM-DD` (the schema has checked the shape), as given. */
export function parseCalendarDate(parameter: string, value: string): string {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth) {
    throw invalid(parameter, `is not a real date ("${value}"): use YYYY-MM-DD`);
  }
  return value;
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

/**
 * The codes of a `status`, `phase` or `studyType` list; a 400 naming the allowed codes for one no
 * mapper gives (it could only ever match nothing).
 */
export function parseKnownCodes(
  kind: LabelledCode,
  value: string | undefined,
  parameter: string = kind,
): string[] | undefined {
  const codes = parseCodes(value);
  if (codes === undefined) return undefined;
  const unknown = codes.filter((code) => !isKnownCode(kind, code));
  if (unknown.length > 0) {
    const joined = kind === 'phase' ? ', or phases joined by / (PHASE1/PHASE2)' : '';
    throw new AppError(
      'VALIDATION_FAILED',
      `The query parameter "${parameter}" has unknown values (${unknown.map((code) => `"${code}"`).join(', ')}); allowed: ${knownCodes(kind).join(', ')}${joined}`,
      { details: { parameter, location: 'querystring', allowed: [...knownCodes(kind)] } },
    );
  }
  return codes;
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

const COORDINATES = /^\s*([+-]?\d{1,3}(?:\.\d{1,15})?)\s*,\s*([+-]?\d{1,3}(?:\.\d{1,15})?)\s*$/;
const RADIUS = /^\s*(\d{1,6}(?:\.\d{1,9})?)\s*(km|mi)\s*$/i;

/** Km of a radius like `50km`, `30mi`, `0km`; INVALID_RADIUS for any other, or one above the bound. */
export function parseRadius(value: string): number {
  const match = RADIUS.exec(value);
  if (match === null) {
    throw new AppError(
      'INVALID_RADIUS',
      `The query parameter "radius" must be a distance in km or mi, e.g. 50km or 30mi ("${value}")`,
      { details: { parameter: 'radius', location: 'querystring' } },
    );
  }
  const amount = Number(match[1]);
  const km = match[2]!.toLowerCase() === 'mi' ? amount * KM_PER_MILE : amount;
  if (km > MAX_RADIUS_KM) {
    throw new AppError(
      'INVALID_RADIUS',
      `The query parameter "radius" must be at most ${MAX_RADIUS_KM}km (${(MAX_RADIUS_KM / KM_PER_MILE).toFixed(1)}mi)`,
      { details: { parameter: 'radius', location: 'querystring', maxKm: MAX_RADIUS_KM } },
    );
  }
  return km;
}

/**
 * The near filter of `near` (`LAT,LON` in degrees, or a city the mirror knows: `Seoul`,
 * `Portland, Oregon`, `Paris, France`), `radius` and `siteStatus`. A centre that starts like a
 * number is a position and must be one: INVALID_NEAR otherwise (and out of range).
 */
export function parseNear(
  near: string | undefined,
  radius: string | undefined,
  siteStatus: string | undefined,
): NearFilter | undefined {
  if (near === undefined) {
    if (radius !== undefined) {
      throw new AppError('INVALID_RADIUS', 'The query parameter "radius" needs "near" (the centre)', {
        details: { parameter: 'radius', location: 'querystring' },
      });
    }
    if (siteStatus !== undefined)
      throw invalid('siteStatus', 'needs "near": it selects the sites near the centre');
    return undefined;
  }
  const radiusKm = radius === undefined ? DEFAULT_RADIUS_KM : parseRadius(radius);
  const statuses = parseKnownCodes('status', siteStatus, 'siteStatus');
  const base = { radiusKm, ...(statuses === undefined ? {} : { siteStatus: statuses }) };
  const text = near.trim();
  if (/^[+-]?[\d.]/.test(text)) {
    const match = COORDINATES.exec(text);
    const details = { parameter: 'near', location: 'querystring' };
    if (match === null) {
      throw new AppError(
        'INVALID_NEAR',
        `The query parameter "near" must be LAT,LON in decimal degrees (e.g. 37.5665,126.978) or a city name ("${near}")`,
        { details },
      );
    }
    const lat = Number(match[1]);
    const lon = Number(match[2]);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new AppError(
        'INVALID_NEAR',
        `The query parameter "near" is off the globe: latitude must be within ±90 and longitude within ±180 ("${near}")`,
        { details },
      );
    }
    // -0 and 0 are the same centre (and the same cursor key).
    return { ...base, lat: lat + 0, lon: lon + 0 };
  }
  return { ...base, city: text.replace(/\s+/g, ' ') };
}

/** `sort=distance` orders by the nearest site: it needs `near`. */
export function checkSort(sort: string, filter: { near?: NearFilter }): void {
  if (sort === 'distance' && filter.near === undefined) {
    throw invalid('sort', 'is "distance", which needs "near" (the centre to measure from)');
  }
}

/** The service filter of a query's filter parameters; throws `VALIDATION_FAILED` naming the parameter. */
export function trialFilterOf(query: TrialFilterQueryType): TrialListFilter {
  const filter: TrialListFilter = { includeRemoved: query.includeRemoved ?? false };
  if (query.source !== undefined) filter.source = query.source;
  if (query.updatedWithin !== undefined)
    filter.updatedWithinMs = parseDuration('updatedWithin', query.updatedWithin);
  if (query.updatedSince !== undefined)
    filter.updatedSince = parseIsoTime('updatedSince', query.updatedSince);
  const status = parseKnownCodes('status', query.status);
  const phase = parseKnownCodes('phase', query.phase);
  const studyType = parseKnownCodes('studyType', query.studyType);
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
  if (query.minAge !== undefined) filter.minAge = query.minAge;
  if (query.maxAge !== undefined) filter.maxAge = query.maxAge;
  if (filter.minAge !== undefined && filter.maxAge !== undefined && filter.minAge > filter.maxAge) {
    throw invalid('maxAge', `must be at least minAge (${filter.minAge})`);
  }
  if (query.sex !== undefined) filter.sex = query.sex;
  for (const [from, to] of [
    ['startFrom', 'startTo'],
    ['completionFrom', 'completionTo'],
  ] as const) {
    const low = query[from] === undefined ? undefined : parseCalendarDate(from, query[from]);
    const high = query[to] === undefined ? undefined : parseCalendarDate(to, query[to]);
    if (low !== undefined && high !== undefined && low > high) {
      throw invalid(to, `must be on or after ${from} (${low})`);
    }
    if (low !== undefined) filter[from] = low;
    if (high !== undefined) filter[to] = high;
  }
  if (query.recruiting !== undefined) filter.recruiting = query.recruiting;
  const sponsorClass = parseCodes(query.sponsorClass);
  if (sponsorClass !== undefined) {
    const unknown = sponsorClass.filter((code) => !(SPONSOR_CLASSES as readonly string[]).includes(code));
    if (unknown.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The query parameter "sponsorClass" has unknown values (${unknown.map((code) => `"${code}"`).join(', ')}); allowed: ${SPONSOR_CLASSES.join(', ')}`,
        { details: { parameter: 'sponsorClass', location: 'querystring', allowed: [...SPONSOR_CLASSES] } },
      );
    }
    filter.sponsorClass = sponsorClass;
  }
  if (query.linkedTo !== undefined) filter.linkedTo = query.linkedTo.toUpperCase();
  const changeTypes = parseChangeTypes('changeType', query.changeType);
  if (changeTypes !== undefined) filter.changeTypes = changeTypes;
  const near = parseNear(query.near, query.radius, query.siteStatus);
  if (near !== undefined) filter.near = near;
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
