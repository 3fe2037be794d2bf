/**
 * Glossary
 * - source: one registry adapter (`kr-icreat`, `ctgov`, `cris`), under `src/sources/<id>/`.
 * - trial: one record of one registry, known by the registry's own id (`C130011`, `NCT…`, `KCT…`).
 *   Ids are unique across sources because each registry has its own id format.
 * - harvest run: one pass over a source (a scheduled or manual harvest, a file import, or the
 *   bootstrap import of the bundled snapshot), recorded with its counts and its last error.
 * - version: an immutable snapshot of a trial's content, numbered 1, 2, … per trial; a new version
 *   is written only when the canonical content hash changes, with a field-level diff.
 * - change: one event of the ordered change feed: created, updated, removed or restored.
 */

/**
 * Every source, one line each, in the order `trialwatch sources` lists them: its id and the form
 * of its registry's record ids, where other records name them among their secondary ids (a link;
 * null where none is recognised). A new source is a line here, then its adapter in
 * src/sources/registry.ts, which the compiler asks for.
 */
export const SOURCE_TABLE = {
  // data.go.kr has no page per record: the dataset's page (its Open API and files) stands in.
  'kr-icreat': { idPattern: null, recordUrl: () => 'https://www.data.go.kr/data/3074271/openapi.do' },
  ctgov: {
    idPattern: /^NCT\d{8}$/,
    recordUrl: (id: string) => `https://clinicaltrials.gov/study/${encodeURIComponent(id)}`,
  },
  // A CRIS record page is addressed by an internal `seq` that neither the list nor the detail
  // answer carries (test/fixtures/cris): the registry's search by registration number opens it.
  cris: {
    idPattern: /^KCT\d{7}$/,
    recordUrl: (id: string) =>
      `https://cris.nih.go.kr/cris/search/detailSearch.do?seq=&search_lang=E&search_type=2&trnNo=${encodeURIComponent(id)}`,
  },
} as const satisfies Readonly<
  Record<string, { idPattern: RegExp | null; recordUrl: (id: string) => string }>
>;

export type SourceId = keyof typeof SOURCE_TABLE;
export const SOURCE_IDS = Object.keys(SOURCE_TABLE) as readonly SourceId[];

export function isSourceId(value: string): value is SourceId {
  return Object.hasOwn(SOURCE_TABLE, value);
}

/** The record's page on its registry's website (null for a source this build does not know). */
export function registryUrlOf(source: string, id: string): string | null {
  return isSourceId(source) ? SOURCE_TABLE[source].recordUrl(id) : null;
}

export type ChangeKind = 'created' | 'updated' | 'removed' | 'restored';
export type HarvestMode = 'full' | 'incremental';
export type HarvestTrigger = 'schedule' | 'manual' | 'import' | 'bootstrap';
export type HarvestStatus =
  'running' | 'succeeded' | 'partial' | 'failed' | 'skipped' | 'interrupted' | 'abandoned';

export interface Intervention {
  type: string | null;
  name: string;
}

export interface SecondaryId {
  id: string;
  type: string | null;
}

/**
 * The common trial model: what every source maps to. Fields a source does not publish are null
 * or empty. Codes are upper-case (`OBSERVATIONAL`, `PHASE2`); labels stay as the registry wrote them
 * in `sourceFields`.
 */
export interface TrialFields {
  title: string | null;
  titleEn: string | null;
  officialTitle: string | null;
  acronym: string | null;
  status: string | null;
  /** A single phase code (`PHASE1`…`PHASE4`, `EARLY_PHASE1`, `NA`) or design code when the registry mixes them. */
  phase: string | null;
  studyType: string | null;
  institution: string | null;
  department: string | null;
  conditions: string[];
  keywords: string[];
  interventions: Intervention[];
  /** Target or actual number of participants; null when unknown. */
  enrollment: number | null;
  countries: string[];
  hasResults: boolean | null;
  secondaryIds: SecondaryId[];
  /** The registry's own last-update date (ISO 8601 date or date-time), where it publishes one. */
  sourceUpdatedAt: string | null;
}

/**
 * One site (location) of a trial as the registry lists it. Codes are upper-case; the coordinates
 * are the registry's own (ClinicalTrials.gov geocodes each site's city; the Korean registries give
 * none), never geocoded here.
 */
export interface TrialSite {
  name: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
  /** The site's own recruitment status (`RECRUITING`, `NOT_YET_RECRUITING`, …), where given. */
  status: string | null;
  /** Degrees (WGS 84), both or neither. */
  lat: number | null;
  lon: number | null;
}

/** What a source's mapper makes of one upstream record. Pure data. */
export interface MappedTrial {
  id: string;
  source: SourceId;
  fields: TrialFields;
  /** The source's own fields: the upstream values as given, plus normalised companions. */
  sourceFields: Record<string, unknown>;
  /** Old ids the registry merged into this record (they resolve to this trial). */
  aliases?: string[];
  /** The trial's sites, in the registry's order (stored in `trial_sites`; absent: none listed). */
  sites?: TrialSite[];
}

/**
 * Registry ids that a record may name among its secondary ids, and what they link to. A link is
 * recorded from the record that names the other id; the API shows it from both ends.
 */
export const REGISTRY_ID_PATTERNS: readonly { source: SourceId; pattern: RegExp }[] = SOURCE_IDS.flatMap(
  (source) => {
    const pattern: RegExp | null = SOURCE_TABLE[source].idPattern;
    return pattern === null ? [] : [{ source, pattern }];
  },
);

/** The other-registry ids a trial names (normalised: upper case, spaces removed), without itself. */
export function linkedRegistryIds(trial: Pick<MappedTrial, 'id' | 'fields'>): string[] {
  const found = new Set<string>();
  for (const secondary of trial.fields.secondaryIds) {
    const id = secondary.id.replace(/\s+/g, '').toUpperCase();
    if (id !== trial.id && REGISTRY_ID_PATTERNS.some((entry) => entry.pattern.test(id))) found.add(id);
  }
  return [...found].sort();
}

/** One field-level difference between two versions. `old`/`new` are absent when the path did not exist. */
export interface FieldChange {
  path: string;
  old?: unknown;
  new?: unknown;
}

export function emptyTrialFields(): TrialFields {
  return {
    title: null,
    titleEn: null,
    officialTitle: null,
    acronym: null,
    status: null,
    phase: null,
    studyType: null,
    institution: null,
    department: null,
    conditions: [],
    keywords: [],
    interventions: [],
    enrollment: null,
    countries: [],
    hasResults: null,
    secondaryIds: [],
    sourceUpdatedAt: null,
  };
}

/** Counts of one harvest run (a result set: every record lands in exactly one of the last six). */
export interface HarvestCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  restored: number;
  skipped: number;
}

export interface HarvestRun extends HarvestCounts {
  id: number;
  source: string;
  mode: HarvestMode;
  trigger: HarvestTrigger;
  status: HarvestStatus;
  startedAt: number;
  finishedAt: number | null;
  heartbeatAt: number;
  skippedReasons: { id: string | null; reason: string }[];
  errorCode: string | null;
  errorMessage: string | null;
  info: Record<string, unknown>;
}
