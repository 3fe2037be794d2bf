/**
 * The values the patient and coordinator filters read (issue 19 item 4), derived from a trial's
 * stored document (`{ fields, sourceFields }`), for every source where the registry publishes them:
 * - ages and sex: ClinicalTrials.gov `sourceFields.eligibility` (`18 Years`, `6 Months`; `ALL`,
 *   `FEMALE`, `MALE`); CRIS `sourceFields.normalized.ageRange` and `gender.code`; KDCA iCReaT
 *   publishes neither;
 * - start and completion dates: ClinicalTrials.gov `sourceFields.dates.start` and `.completion`;
 *   CRIS `sourceFields.normalized.dates.enrolment` (the first enrolment) and `.completion`; KDCA
 *   iCReaT publishes only a study length;
 * - sponsor class: ClinicalTrials.gov's lead sponsor class only (the Korean registries have none).
 * Stored in `trial_filters` (migration 0014) with each version; the migration derives the values of
 * trials stored before it with a frozen copy of these rules.
 */

/** ClinicalTrials.gov's eligibility sexes. */
export const SEXES = ['ALL', 'FEMALE', 'MALE'] as const;
export type Sex = (typeof SEXES)[number];

/**
 * The eligibility sexes of the trials open to `sex`: a trial for all takes either; `ALL` asks for
 * the trials for all. (A trial that gives none is open to anyone too: the store adds it.)
 */
export function sexesOpenTo(sex: Sex): Sex[] {
  return sex === 'ALL' ? ['ALL'] : [sex, 'ALL'];
}

/** ClinicalTrials.gov's lead sponsor classes (its `AgencyClass` enumeration). */
export const SPONSOR_CLASSES = [
  'NIH',
  'FED',
  'OTHER_GOV',
  'INDIV',
  'INDUSTRY',
  'NETWORK',
  'AMBIG',
  'OTHER',
  'UNKNOWN',
] as const;

/** The overall statuses `recruiting=true` selects: open to enrolment now (not NOT_YET_RECRUITING). */
export const RECRUITING_STATUSES = ['RECRUITING', 'ENROLLING_BY_INVITATION'] as const;

export interface TrialFilterValues {
  /** Eligibility ages in years (a month is 1/12, a day 1/365.25); null: no bound given. */
  minAgeYears: number | null;
  maxAgeYears: number | null;
  sex: Sex | null;
  /** `YYYY-MM-DD`; a month or a year alone is its first day (`2020-05` → `2020-05-01`). */
  startDate: string | null;
  completionDate: string | null;
  sponsorClass: string | null;
}

type Obj = Record<string, unknown>;

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Obj)[key];
  }
  return current;
}

/** Years per unit, as a divisor or multiplier the SQL of migration 0014 repeats exactly. */
function yearsOf(amount: number, unit: string): number | null {
  switch (unit) {
    case 'YEAR':
    case 'YEARS':
      return amount;
    case 'MONTH':
    case 'MONTHS':
      return amount / 12;
    case 'WEEK':
    case 'WEEKS':
      return (amount * 7) / 365.25;
    case 'DAY':
    case 'DAYS':
      return amount / 365.25;
    case 'HOUR':
    case 'HOURS':
      return amount / 8766;
    case 'MINUTE':
    case 'MINUTES':
      return amount / 525960;
    default:
      return null;
  }
}

/** `18 Years`, `6 Months`, `1 Year` (ClinicalTrials.gov) → years; anything else → null. */
export function ctgovAgeYears(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,4}(?:\.\d{1,4})?) ([A-Za-z]+)$/.exec(value.trim());
  if (match === null) return null;
  return yearsOf(Number(match[1]), match[2]!.toUpperCase());
}

/** CRIS's parsed age `{ value, unit }` → years. */
function crisAgeYears(value: unknown): number | null {
  const amount = at(value, 'value');
  const unit = at(value, 'unit');
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || typeof unit !== 'string')
    return null;
  return yearsOf(amount, unit.toUpperCase());
}

/** A registry date as the first day it stands for (`YYYY-MM-DD`); null when it is not a date. */
export function normalizedDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
  if (match === null) return null;
  return `${match[1]}-${match[2] ?? '01'}-${match[3] ?? '01'}`;
}

function sexOf(value: unknown): Sex | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return (SEXES as readonly string[]).includes(code) ? (code as Sex) : null;
}

function codeOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return code === '' ? null : code;
}

/** The filter values of a trial's document (`source`: its source id). */
export function trialFilterValuesOf(source: string, sourceFields: unknown): TrialFilterValues {
  if (source === 'ctgov') {
    return {
      minAgeYears: ctgovAgeYears(at(sourceFields, 'eligibility', 'minimumAge')),
      maxAgeYears: ctgovAgeYears(at(sourceFields, 'eligibility', 'maximumAge')),
      sex: sexOf(at(sourceFields, 'eligibility', 'sex')),
      startDate: normalizedDate(at(sourceFields, 'dates', 'start', 'date')),
      completionDate: normalizedDate(at(sourceFields, 'dates', 'completion', 'date')),
      sponsorClass: codeOf(at(sourceFields, 'leadSponsor', 'class')),
    };
  }
  if (source === 'cris') {
    return {
      minAgeYears: crisAgeYears(at(sourceFields, 'normalized', 'ageRange', 'min')),
      maxAgeYears: crisAgeYears(at(sourceFields, 'normalized', 'ageRange', 'max')),
      sex: sexOf(at(sourceFields, 'normalized', 'gender', 'code')),
      startDate: normalizedDate(at(sourceFields, 'normalized', 'dates', 'enrolment')),
      completionDate: normalizedDate(at(sourceFields, 'normalized', 'dates', 'completion')),
      sponsorClass: null,
    };
  }
  return {
    minAgeYears: null,
    maxAgeYears: null,
    sex: null,
    startDate: null,
    completionDate: null,
    sponsorClass: null,
  };
}
