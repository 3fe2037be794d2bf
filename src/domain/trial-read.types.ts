/**
 * The read model: what the store returns of trials, versions, changes and links, and the filters
 * and walk positions the services hand it. Plain types, shared by the store, the services and the
 * edges (routes, formatting) without any of them importing the store.
 */
import type { ParsedSearch } from './search.types.js';
import type { ChangeKind, FieldChange } from './trial.types.js';
import type { ChangeClassification, ChangeType } from './change.types.js';
import type { Sex } from './trial-filter-values.js';

/** One trial's current state as stored; the document stays JSON text so it can be served as is. */
export interface TrialRecord {
  id: string;
  source: string;
  version: number;
  /** Epoch ms. */
  firstSeenAt: number;
  lastSeenAt: number;
  lastChangedAt: number;
  /** `seq` of the trial's latest change event. */
  changeSeq: number;
  removedAt: number | null;
  /** The registry's own last-update date (ISO 8601 text), where it publishes one. */
  sourceUpdatedAt: string | null;
  /** `{"fields":…,"sourceFields":…}` of the current version, exactly as stored. */
  docJson: string;
  /** The latest change event (`changeSeq`), where the read asked for it (list pages, exports). */
  lastChange?: ChangeEvent;
  /** The nearest site that matched `near`, where the read had one. */
  nearestSite?: NearestSite;
}

/** The site of a trial closest to a `near` centre, among those that match the filter. */
export interface NearestSite {
  name: string | null;
  city: string | null;
  country: string | null;
  /** Great-circle distance from the centre, km. */
  distanceKm: number;
}

/**
 * Trials with a site (with coordinates) within `radiusKm` of a centre; with `siteStatus`, only
 * sites of those statuses count. The centre is a point, or a city the mirror knows, which the
 * services resolve to a point (the store only ever sees points).
 */
export type NearFilter = {
  radiusKm: number;
  siteStatus?: readonly string[];
} & ({ lat: number; lon: number } | { city: string });

/** A near filter with its centre resolved to a point. */
export type NearPoint = Extract<NearFilter, { lat: number }>;

/**
 * `relevance`: the search's tiers (every term in the title first, then with the official title,
 * then with conditions and keywords, then anywhere; see search.types.ts), most recently changed
 * first within a tier. Without a search term it is the `-lastChangedAt` order (one tier).
 * `distance` (with `near` only): the nearest matching site first, then by id. The date sorts:
 * by start or completion date (`-`: latest first), ties by id in the same direction, trials
 * without the date last (by id, in the same direction).
 */
export type TrialSort = 'relevance' | '-lastChangedAt' | 'id' | '-sourceUpdatedAt' | 'distance' | DateSort;

/** The orders by a trial's start or completion date (`trial_filters`). */
export const DATE_SORTS = ['startDate', '-startDate', 'completionDate', '-completionDate'] as const;
export type DateSort = (typeof DATE_SORTS)[number];

export function isDateSort(sort: string): sort is DateSort {
  return (DATE_SORTS as readonly string[]).includes(sort);
}

/** Where a row stands in a walk: the sort key as of the walk's `asOf`. */
export type TrialPosition =
  | { sort: 'relevance'; tier: number; seq: number }
  | { sort: '-lastChangedAt'; seq: number }
  | { sort: 'id'; id: string }
  | { sort: '-sourceUpdatedAt'; updated: string | null; id: string }
  | { sort: 'distance'; distanceKm: number; id: string }
  | { sort: DateSort; date: string | null; id: string };

/** What a trial's current content must hold: the filters the service and the store share. */
export interface TrialContentFilter {
  source?: string;
  status?: readonly string[];
  phase?: readonly string[];
  studyType?: readonly string[];
  institution?: string;
  department?: string;
  /** The parsed `q`: matched against the current content (see search-dialect.ts). */
  search?: ParsedSearch;
  /** One of the trial's conditions, compared without ASCII case. */
  condition?: string;
  /** One of the trial's countries, compared without ASCII case. */
  country?: string;
  /** Inclusive bounds on the enrollment (trials without one are left out by either). */
  enrollmentMin?: number;
  enrollmentMax?: number;
  hasResults?: boolean;
  /**
   * Ages in whole years: trials that a person of some age from `minAge` to `maxAge` can take part
   * in, by the eligibility ages (a person of age N is from N to just under N + 1 years old; a
   * trial without a bound matches on that side).
   */
  minAge?: number;
  maxAge?: number;
  /** Trials open to this sex: `FEMALE` or `MALE` match that sex or `ALL`, `ALL` only `ALL`; unknown matches. */
  sex?: Sex;
  /** Inclusive `YYYY-MM-DD` bounds on the start and completion dates (trials without one are left out). */
  startFrom?: string;
  startTo?: string;
  completionFrom?: string;
  completionTo?: string;
  /** `true`: overall status RECRUITING or ENROLLING_BY_INVITATION; `false`: any other, or none. */
  recruiting?: boolean;
  /** ClinicalTrials.gov lead sponsor classes (trials without one, all Korean ones, are left out). */
  sponsorClass?: readonly string[];
  /** A site within a radius (see `NearFilter`). */
  near?: NearFilter;
}

export interface TrialFilter extends TrialContentFilter {
  /** Keep removed trials (by default they are left out). */
  includeRemoved: boolean;
  /** Epoch ms, inclusive: only trials whose latest change happened at or after it. */
  changedSince?: number;
  /**
   * Only trials with a change event of one of these types (at or after `changedSince` when that
   * is set, so `updatedWithin=7d&changeType=status`: the trials whose status changed this week).
   */
  changeTypes?: readonly ChangeType[];
  /** Only trials linked (either direction) to one of these ids. */
  linkedTo?: readonly string[];
}

export interface TrialPageQuery {
  filter: TrialFilter;
  sort: TrialSort;
  /** The change-feed position the walk is pinned to (see the file comment). */
  asOf: number;
  /** The position of the last row of the previous page; absent on the first page. */
  after?: TrialPosition;
  limit: number;
}

export interface PositionedTrial {
  trial: TrialRecord;
  position: TrialPosition;
}

export interface TrialPage {
  items: PositionedTrial[];
  /** Whether rows follow the last item. */
  hasMore: boolean;
}

/** Which change events a feed page holds. */
export interface ChangeFilter {
  source?: string;
  trialId?: string;
  /** Events with at least one change of these types. */
  types?: readonly ChangeType[];
  material?: boolean;
  /** Only events of trials whose current content matches (the content filters of trials). */
  content?: TrialContentFilter;
  /** Epoch ms: events that occurred at or after `since`, and before `until`. */
  since?: number;
  until?: number;
}

export interface ChangeEvent {
  seq: number;
  trialId: string;
  source: string;
  version: number;
  kind: ChangeKind;
  /** Changed field paths (empty for created, removed, restored). */
  paths: string[];
  /** Epoch ms. */
  occurredAt: number;
  runId: number | null;
  /** What the event changed, typed; null for an event written before classification existed. */
  classification: ChangeClassification | null;
}

/** What a feed entry names of an event's trial: its title and when it last changed. */
export interface TrialHeadline {
  /** The registry's title (the English one where there is no other); null if it has none. */
  title: string | null;
  /** Epoch ms of the trial's latest change event. */
  lastChangedAt: number;
}

export interface TrialVersionRecord {
  trialId: string;
  version: number;
  contentHash: string;
  /** Epoch ms when the harvest saw this content first. */
  observedAt: number;
  runId: number | null;
  /** Null for version 1. */
  diff: FieldChange[] | null;
  sourceUpdatedAt: string | null;
}

export interface SourceTrialCounts {
  total: number;
  removed: number;
}

/** One cross-registry link as stored, seen from one trial. */
export interface StoredTrialLink {
  /** The other trial's id. */
  id: string;
  /** The stored relation (e.g. `secondary-id`). */
  relation: string;
  /** `out`: this trial names the other; `in`: the other names this one. */
  direction: 'out' | 'in';
  /** The other trial's source when it is in the mirror, else null. */
  source: string | null;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface FacetCounts {
  /** The most frequent values, most frequent first (ties by value, in code point order). */
  items: FacetCount[];
  /** Trials the query selects (with or without a value for the field). */
  total: number;
}
