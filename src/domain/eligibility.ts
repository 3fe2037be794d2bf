/**
 * Who can take part in a trial, and when it runs: the values the patient and coordinator filters
 * read (`minAge`/`maxAge`, `sex`, `startDate…`/`completionDate…`, `sponsorClass`), as each source's
 * mapper derives them from its record. Pure. They are stored as columns of `trials` (migration
 * 0012), written with each version; unknown values are null.
 */

/** ClinicalTrials.gov's `sex`, CRIS's gender code. */
export const SEXES = ['ALL', 'FEMALE', 'MALE'] as const;
export type Sex = (typeof SEXES)[number];

/** The values of the `sex` filter and facet: the sex of the person who would take part. */
export const PERSON_SEXES = ['FEMALE', 'MALE'] as const;

/** ClinicalTrials.gov's lead-sponsor agency classes (`leadSponsor.class`). */
export const SPONSOR_CLASSES = [
  'INDUSTRY',
  'NIH',
  'FED',
  'OTHER_GOV',
  'NETWORK',
  'INDIV',
  'AMBIG',
  'OTHER',
  'UNKNOWN',
] as const;
export type SponsorClass = (typeof SPONSOR_CLASSES)[number];

/** Statuses `recruiting=true` selects: a person can join now (not yet recruiting is not). */
export const RECRUITING_STATUSES = ['RECRUITING', 'ENROLLING_BY_INVITATION'] as const;

export interface TrialEligibility {
  /** Youngest age that may take part, in years (fractions for months, weeks, …); null: no limit given. */
  minAgeYears: number | null;
  /** Oldest age that may take part, in years; null: no limit given. */
  maxAgeYears: number | null;
  sex: Sex | null;
  /** Study start, `YYYY-MM-DD`; a date given to the month or year stands at its first day. */
  startDate: string | null;
  /** Study completion, `YYYY-MM-DD`, the same way. */
  completionDate: string | null;
  sponsorClass: string | null;
}

export function unknownEligibility(): TrialEligibility {
  return {
    minAgeYears: null,
    maxAgeYears: null,
    sex: null,
    startDate: null,
    completionDate: null,
    sponsorClass: null,
  };
}

export type AgeUnit = 'YEARS' | 'MONTHS' | 'WEEKS' | 'DAYS' | 'HOURS' | 'MINUTES';

const DAYS_PER_YEAR = 365.25;
/** How many of each unit make a year (divided by, so that six months is exactly 0.5). */
const PER_YEAR: Readonly<Record<AgeUnit, number>> = {
  YEARS: 1,
  MONTHS: 12,
  WEEKS: DAYS_PER_YEAR / 7,
  DAYS: DAYS_PER_YEAR,
  HOURS: DAYS_PER_YEAR * 24,
  MINUTES: DAYS_PER_YEAR * 24 * 60,
};

/** An age in years: `6` months is 0.5, `18` years 18 (null for a negative or non-finite value). */
export function ageInYears(value: number, unit: AgeUnit): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return value / PER_YEAR[unit];
}

const CTGOV_AGE = /^(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?$/i;

/**
 * A ClinicalTrials.gov age (`18 Years`, `6 Months`, `1 Year`, `30 Days`) in years; null for `N/A`,
 * absent, or anything else.
 */
export function parseCtgovAge(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const match = CTGOV_AGE.exec(text.trim());
  if (match === null) return null;
  const unit = `${match[2]!.toUpperCase()}S` as AgeUnit;
  return ageInYears(Number(match[1]), unit);
}

/** `ALL`, `FEMALE` or `MALE` (any case), else null. */
export function sexOf(code: string | null | undefined): Sex | null {
  if (typeof code !== 'string') return null;
  const upper = code.trim().toUpperCase();
  return (SEXES as readonly string[]).includes(upper) ? (upper as Sex) : null;
}

/**
 * A registry date as a sortable day: `2024-05-17` as is, `2024-05` → `2024-05-01`, `2024` →
 * `2024-01-01`; null for any other text (or an impossible month or day).
 */
export function dayOf(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
  if (match === null) return null;
  const [, year, month = '01', day = '01'] = match;
  const m = Number(month);
  const d = Number(day);
  const days = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  if (m < 1 || m > 12 || d < 1 || d > days) return null;
  return `${year}-${month}-${day}`;
}

/** A lead-sponsor class code, upper-cased (kept even when not one of `SPONSOR_CLASSES`). */
export function sponsorClassOf(code: string | null | undefined): string | null {
  if (typeof code !== 'string') return null;
  const upper = code.trim().toUpperCase();
  return upper === '' ? null : upper;
}
