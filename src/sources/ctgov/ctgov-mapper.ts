import type {
  Intervention,
  MappedTrial,
  SecondaryId,
  TrialFields,
  TrialSite,
} from '../../domain/trial.types.js';
import { SOURCE_TABLE } from '../../domain/trial.types.js';
import type { CanonicalRules } from '../../domain/canonical.js';
import { RecordError } from '../source.types.js';
import { CTGOV_UNKNOWN_ENROLLMENT } from './ctgov-api.types.js';
import { isPlainObject } from '../../domain/json.js';

/** A date as the registry gave it, with its ACTUAL/ESTIMATED type and how precise it is. */
export interface CtgovDate {
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as given. */
  date: string;
  /** `ACTUAL`, `ESTIMATED`, or null where the registry gives no type (older start dates). */
  type: string | null;
  /** null when the date is in none of the three forms. */
  precision: 'year' | 'month' | 'day' | null;
}

export interface CtgovIdentifier {
  id: string;
  type: string | null;
  /** Who issued the id (`Eli Lilly and Company`, `CTIS (EU)`, …), as given. */
  domain: string | null;
  link: string | null;
}

export interface CtgovOrganization {
  name: string;
  /** `INDUSTRY`, `NIH`, `OTHER`, … */
  class: string | null;
}

export interface CtgovLocationFields {
  facility: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
  /** Recruitment status of the site, where given. */
  status: string | null;
  geoPoint: { lat: number; lon: number } | null;
}

/** What `sourceFields` holds for a ctgov trial: what the common fields cannot, as given. */
export interface CtgovSourceFields {
  nctIdAliases: string[];
  orgStudyId: CtgovIdentifier | null;
  /** Every secondary id with its type, issuer and link (the common field keeps id and type). */
  secondaryIds: CtgovIdentifier[];
  organization: CtgovOrganization | null;
  overallStatus: string | null;
  lastKnownStatus: string | null;
  whyStopped: string | null;
  statusVerifiedDate: string | null;
  /** Every phase code in upstream order (`fields.phase` joins them). */
  phases: string[];
  enrollment: {
    /** null when absent, not a count, or the registry's 99999999 "unknown". */
    count: number | null;
    /** `ACTUAL` or `ESTIMATED`. */
    type: string | null;
    /** The count exactly as given, 99999999 included. */
    reported: number | null;
  };
  dates: {
    start: CtgovDate | null;
    primaryCompletion: CtgovDate | null;
    completion: CtgovDate | null;
    studyFirstPosted: CtgovDate | null;
    resultsFirstPosted: CtgovDate | null;
    lastUpdatePosted: CtgovDate | null;
    studyFirstSubmitted: string | null;
    lastUpdateSubmitted: string | null;
  };
  leadSponsor: CtgovOrganization | null;
  collaborators: CtgovOrganization[];
  interventions: { type: string | null; name: string; otherNames: string[] }[];
  locations: CtgovLocationFields[];
  eligibility: {
    /** `ALL`, `FEMALE`, `MALE`. */
    sex: string | null;
    /** As given, e.g. `18 Years`. */
    minimumAge: string | null;
    maximumAge: string | null;
    healthyVolunteers: boolean | null;
    /** `CHILD`, `ADULT`, `OLDER_ADULT`. */
    stdAges: string[];
    /** The inclusion and exclusion criteria, as written (searched, lowest relevance tier). */
    criteria: string | null;
  };
  /** The summaries people read (searched, lowest relevance tier). */
  description: { briefSummary: string | null; detailedDescription: string | null };
  /** The outcome measures, without their time frames (searched, lowest relevance tier). */
  outcomes: { primary: CtgovOutcome[]; secondary: CtgovOutcome[] };
}

export interface CtgovOutcome {
  measure: string | null;
  description: string | null;
}

function outcomesOf(value: unknown): CtgovOutcome[] {
  return objects(value)
    .map((item) => ({ measure: text(item.measure), description: text(item.description) }))
    .filter((item) => item.measure !== null || item.description !== null);
}

const BROWSE_MODULES = ['conditionBrowseModule', 'interventionBrowseModule'] as const;
const BROWSE_LISTS = ['meshes', 'ancestors', 'browseLeaves', 'browseBranches'] as const;

/**
 * `versionHolder` is the date of the data release the record was served from: it moves on every
 * release without the study changing. The MeSH browse lists are computed by the registry, which
 * re-orders them between releases without meaning. Everything else, including a date's
 * ESTIMATED → ACTUAL `type`, is content.
 */
export const CTGOV_CANONICAL_RULES: CanonicalRules = {
  volatilePaths: ['derivedSection.miscInfoModule.versionHolder'],
  unorderedPaths: BROWSE_MODULES.flatMap((module) =>
    BROWSE_LISTS.map((list) => `derivedSection.${module}.${list}`),
  ),
};

/** An NCT id: `NCT` and eight digits (declared with the source, src/domain). */
export const NCT_ID: RegExp = SOURCE_TABLE.ctgov.idPattern;

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return isPlainObject(value) ? value : {};
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    const t = text(item);
    if (t !== null) out.push(t);
  }
  return out;
}

function objects(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function dateOf(value: unknown): CtgovDate | null {
  const struct = obj(value);
  const date = text(struct.date);
  if (date === null) return null;
  const precision = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? 'day'
    : /^\d{4}-\d{2}$/.test(date)
      ? 'month'
      : /^\d{4}$/.test(date)
        ? 'year'
        : null;
  return { date, type: text(struct.type), precision };
}

function identifier(value: unknown): CtgovIdentifier | null {
  const info = obj(value);
  const id = text(info.id);
  if (id === null) return null;
  return { id, type: text(info.type), domain: text(info.domain), link: text(info.link) };
}

function organization(value: unknown, nameKey: 'name' | 'fullName' = 'name'): CtgovOrganization | null {
  const org = obj(value);
  const name = text(org[nameKey]);
  return name === null ? null : { name, class: text(org.class) };
}

/** `enrollmentInfo.count` as a participant number: null when absent, not a count, or 99999999. */
export function enrollmentCount(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return null;
  return value === CTGOV_UNKNOWN_ENROLLMENT ? null : value;
}

/** `["PHASE1","PHASE2"]` → `PHASE1/PHASE2`; no phases (observational studies) → null. */
export function phaseOf(phases: readonly string[]): string | null {
  return phases.length === 0 ? null : phases.join('/');
}

function geoPoint(value: unknown): { lat: number; lon: number } | null {
  const point = obj(value);
  const { lat, lon } = point;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return null;
  }
  // Outside the globe is no position at all (a distance search must not meet it).
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

/** The NCT id of a raw study, or null (for listings that must not fail on a bad element). */
export function ctgovStudyId(raw: unknown): string | null {
  const id = text(obj(obj(obj(raw).protocolSection).identificationModule).nctId);
  return id !== null && NCT_ID.test(id) ? id : null;
}

/** The merged (alias) NCT ids a raw study lists, without its own. */
export function ctgovStudyAliases(raw: unknown): string[] {
  const identification = obj(obj(obj(raw).protocolSection).identificationModule);
  const own = text(identification.nctId);
  return [
    ...new Set(texts(identification.nctIdAliases).filter((alias) => NCT_ID.test(alias) && alias !== own)),
  ];
}

/**
 * Maps one v2 study (`protocolSection`, `derivedSection`, `hasResults`, …) to the common model.
 * Pure. Throws `RecordError` for a study without a usable NCT id; any other missing or mistyped
 * value maps to null or empty, because old records and `fields=` responses leave modules out.
 */
export function mapCtgovStudy(raw: unknown): MappedTrial {
  if (!isPlainObject(raw)) {
    throw new RecordError(null, `ctgov: a study is not an object (${raw === null ? 'null' : typeof raw})`);
  }
  const protocol = obj(raw.protocolSection);
  const identification = obj(protocol.identificationModule);
  const rawId = text(identification.nctId);
  if (rawId === null) {
    throw new RecordError(null, 'ctgov: a study has no protocolSection.identificationModule.nctId');
  }
  if (!NCT_ID.test(rawId)) {
    throw new RecordError(rawId, `ctgov: study id "${rawId}" is not an NCT number (NCT and 8 digits)`);
  }
  const id = rawId;
  const status = obj(protocol.statusModule);
  const sponsors = obj(protocol.sponsorCollaboratorsModule);
  const conditions = obj(protocol.conditionsModule);
  const design = obj(protocol.designModule);
  const enrollmentInfo = obj(design.enrollmentInfo);
  const eligibility = obj(protocol.eligibilityModule);
  const description = obj(protocol.descriptionModule);
  const outcomes = obj(protocol.outcomesModule);

  const secondaryIds = objects(identification.secondaryIdInfos)
    .map(identifier)
    .filter((item): item is CtgovIdentifier => item !== null);
  const phases = texts(design.phases);
  const interventions = objects(obj(protocol.armsInterventionsModule).interventions).flatMap((item) => {
    const name = text(item.name);
    return name === null ? [] : [{ type: text(item.type), name, otherNames: texts(item.otherNames) }];
  });
  const locations: CtgovLocationFields[] = objects(obj(protocol.contactsLocationsModule).locations).map(
    (location) => ({
      facility: text(location.facility),
      city: text(location.city),
      state: text(location.state),
      zip: text(location.zip),
      country: text(location.country),
      status: text(location.status),
      geoPoint: geoPoint(location.geoPoint),
    }),
  );
  const leadSponsor = organization(sponsors.leadSponsor);
  const reported =
    typeof enrollmentInfo.count === 'number' && Number.isFinite(enrollmentInfo.count)
      ? enrollmentInfo.count
      : null;
  const lastUpdatePosted = dateOf(status.lastUpdatePostDateStruct);

  const sourceFields: CtgovSourceFields = {
    nctIdAliases: ctgovStudyAliases(raw),
    orgStudyId: identifier(identification.orgStudyIdInfo),
    secondaryIds,
    organization: organization(identification.organization, 'fullName'),
    overallStatus: text(status.overallStatus),
    lastKnownStatus: text(status.lastKnownStatus),
    whyStopped: text(status.whyStopped),
    statusVerifiedDate: text(status.statusVerifiedDate),
    phases,
    enrollment: { count: enrollmentCount(enrollmentInfo.count), type: text(enrollmentInfo.type), reported },
    dates: {
      start: dateOf(status.startDateStruct),
      primaryCompletion: dateOf(status.primaryCompletionDateStruct),
      completion: dateOf(status.completionDateStruct),
      studyFirstPosted: dateOf(status.studyFirstPostDateStruct),
      resultsFirstPosted: dateOf(status.resultsFirstPostDateStruct),
      lastUpdatePosted,
      studyFirstSubmitted: text(status.studyFirstSubmitDate),
      lastUpdateSubmitted: text(status.lastUpdateSubmitDate),
    },
    leadSponsor,
    collaborators: objects(sponsors.collaborators)
      .map((item) => organization(item))
      .filter((item): item is CtgovOrganization => item !== null),
    interventions,
    locations,
    eligibility: {
      sex: text(eligibility.sex),
      minimumAge: text(eligibility.minimumAge),
      maximumAge: text(eligibility.maximumAge),
      healthyVolunteers:
        typeof eligibility.healthyVolunteers === 'boolean' ? eligibility.healthyVolunteers : null,
      stdAges: texts(eligibility.stdAges),
      criteria: text(eligibility.eligibilityCriteria),
    },
    description: {
      briefSummary: text(description.briefSummary),
      detailedDescription: text(description.detailedDescription),
    },
    outcomes: {
      primary: outcomesOf(outcomes.primaryOutcomes),
      secondary: outcomesOf(outcomes.secondaryOutcomes),
    },
  };

  const briefTitle = text(identification.briefTitle);
  const countries = [
    ...new Set(locations.map((location) => location.country).filter((c) => c !== null)),
  ].sort();
  const fields: TrialFields = {
    title: briefTitle,
    // The registry is English-only: the brief title is also the English title, so English-title
    // queries and displays work the same across registries.
    titleEn: briefTitle,
    officialTitle: text(identification.officialTitle),
    acronym: text(identification.acronym),
    status: sourceFields.overallStatus,
    phase: phaseOf(phases),
    studyType: text(design.studyType),
    institution: leadSponsor?.name ?? null,
    department: null,
    conditions: texts(conditions.conditions),
    keywords: texts(conditions.keywords),
    interventions: interventions.map((item): Intervention => ({ type: item.type, name: item.name })),
    enrollment: sourceFields.enrollment.count,
    countries,
    hasResults: typeof raw.hasResults === 'boolean' ? raw.hasResults : null,
    secondaryIds: secondaryIds.map((item): SecondaryId => ({ id: item.id, type: item.type })),
    sourceUpdatedAt: lastUpdatePosted?.date ?? null,
  };
  const sites = locations.map((location): TrialSite => ({
    name: location.facility,
    city: location.city,
    state: location.state,
    country: location.country,
    postalCode: location.zip,
    status: location.status === null ? null : location.status.toUpperCase(),
    lat: location.geoPoint?.lat ?? null,
    lon: location.geoPoint?.lon ?? null,
  }));
  const trial: MappedTrial = { id, source: 'ctgov', fields, sourceFields: { ...sourceFields }, sites };
  if (sourceFields.nctIdAliases.length > 0) trial.aliases = sourceFields.nctIdAliases;
  return trial;
}
