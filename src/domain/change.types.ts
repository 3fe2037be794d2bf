/**
 * Typed change events: what an update changed, in the common model's terms (issue 17). Every
 * source describes how its records are compared (a ChangeProfile); the classifier
 * (change-classifier.ts) turns two versions of a record and their raw diff into typed changes.
 */
import type { Localized } from './labels.js';
import type { MappedTrial } from './trial.types.js';

/** The closed set of change types, in the order summaries name them. */
export const CHANGE_TYPES = [
  'status',
  'enrollment',
  'dates',
  'sites',
  'results',
  'eligibility',
  'title',
  'design',
  'sponsor',
  'conditions',
  'interventions',
  'outcomes',
  'contacts',
  'ids',
  'other',
  'registry',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export function isChangeType(value: string): value is ChangeType {
  return (CHANGE_TYPES as readonly string[]).includes(value);
}

/** One typed change of an update. `from`/`to` are the compared values (codes, counts, objects). */
export interface TypedChange {
  type: ChangeType;
  /** Which field of the type changed (`status`, `completion`, `phase`, …; raw paths for `other`). */
  field: string;
  from: unknown;
  to: unknown;
  /** Names added and removed, for list types (sites, conditions, interventions, sponsors, ids). */
  added?: string[];
  removed?: string[];
  /** ClinicalTrials.gov's reason, with a status change to a stopped status. */
  whyStopped?: string;
  summary: Localized;
}

export interface ChangeClassification {
  changes: TypedChange[];
  /** False when every change is registry bookkeeping. */
  material: boolean;
  summary: Localized;
}

/** A date of the trial with its ACTUAL/ESTIMATED type where the registry gives one. */
export interface DatedFact {
  date: string | null;
  type: string | null;
}

/** What the classifier compares of one version: each source fills what it publishes. */
export interface ChangeFacts {
  status: string | null;
  /** ClinicalTrials.gov's `whyStopped`; null elsewhere. */
  whyStopped: string | null;
  enrollment: { count: number | null; type: string | null };
  /** By field name (`start`, `primaryCompletion`, `completion`, `period`). */
  dates: Record<string, DatedFact>;
  /** Site names (facility, city, country), for added/removed. */
  sites: string[];
  hasResults: boolean | null;
  title: string | null;
  /** By field name (`phase`, `studyType`, `allocation`, …). */
  design: Record<string, string | null>;
  sponsors: string[];
  conditions: string[];
  interventions: string[];
  ids: string[];
}

/** How a source's records are compared: the type of a raw diff path, and the facts of a version. */
export interface ChangeProfile {
  /** The change type a raw path (as `diffCanonical` writes it) belongs to. */
  typeOfPath(path: string): ChangeType;
  facts(trial: MappedTrial): ChangeFacts;
}

/** Facts with nothing known (a base for sources that publish little). */
export function emptyFacts(): ChangeFacts {
  return {
    status: null,
    whyStopped: null,
    enrollment: { count: null, type: null },
    dates: {},
    sites: [],
    hasResults: null,
    title: null,
    design: {},
    sponsors: [],
    conditions: [],
    interventions: [],
    ids: [],
  };
}

/** The common-model facts every source has (fields), for profiles to start from. */
export function commonFacts(trial: MappedTrial): ChangeFacts {
  const { fields } = trial;
  return {
    ...emptyFacts(),
    status: fields.status,
    enrollment: { count: fields.enrollment, type: null },
    hasResults: fields.hasResults,
    title: fields.title,
    design: { phase: fields.phase, studyType: fields.studyType },
    sponsors: fields.institution === null ? [] : [fields.institution],
    conditions: fields.conditions,
    interventions: fields.interventions.map((item) => item.name),
    ids: fields.secondaryIds.map((item) => item.id),
  };
}

/** A path-prefix table: the first prefix that `path` starts with (at a segment boundary) decides. */
export function typeByPrefix(
  table: readonly (readonly [string, ChangeType])[],
  fallback: ChangeType,
): (path: string) => ChangeType {
  return (path) => {
    for (const [prefix, type] of table) {
      if (path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)) return type;
    }
    return fallback;
  };
}
