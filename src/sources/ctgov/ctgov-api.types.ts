/**
 * The wire formats of the ClinicalTrials.gov API v2 (`/studies`, `/studies/{nctId}`, `/version`),
 * as far as trialwatch reads them. Everything here is what the upstream sends; every property is
 * optional because a `fields=` request, an old record or a new API release may leave any out.
 * What we make of it lives in the mapper.
 */

/** The largest `pageSize` the API accepts. */
export const CTGOV_MAX_PAGE_SIZE = 1000;

/** `enrollmentInfo.count` placeholder the registry uses for "unknown". */
export const CTGOV_UNKNOWN_ENROLLMENT = 99_999_999;

/**
 * `fields=` of the id-only reconciliation listing: the NCT id, plus the merged (alias) ids so the
 * pass notices a merge even when the surviving study's last-update date did not move.
 */
export const CTGOV_ID_FIELDS = 'NCTId,NCTIdAlias';

/** `ACTUAL` or `ESTIMATED`; absent on some older dates (e.g. many start dates). */
export type CtgovDateType = 'ACTUAL' | 'ESTIMATED';

/** `{date, type}`: `date` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `type` is a `CtgovDateType` so far. */
export interface CtgovDateStruct {
  date?: string;
  type?: string;
}

export interface CtgovIdInfo {
  id?: string;
  type?: string;
  domain?: string;
  link?: string;
}

export interface CtgovIdentificationModule {
  nctId?: string;
  nctIdAliases?: string[];
  orgStudyIdInfo?: CtgovIdInfo;
  secondaryIdInfos?: CtgovIdInfo[];
  organization?: { fullName?: string; class?: string };
  briefTitle?: string;
  officialTitle?: string;
  acronym?: string;
}

export interface CtgovStatusModule {
  statusVerifiedDate?: string;
  overallStatus?: string;
  lastKnownStatus?: string;
  whyStopped?: string;
  startDateStruct?: CtgovDateStruct;
  primaryCompletionDateStruct?: CtgovDateStruct;
  completionDateStruct?: CtgovDateStruct;
  studyFirstSubmitDate?: string;
  studyFirstPostDateStruct?: CtgovDateStruct;
  resultsFirstPostDateStruct?: CtgovDateStruct;
  lastUpdateSubmitDate?: string;
  lastUpdatePostDateStruct?: CtgovDateStruct;
}

export interface CtgovSponsor {
  name?: string;
  class?: string;
}

export interface CtgovIntervention {
  type?: string;
  name?: string;
  otherNames?: string[];
}

export interface CtgovLocation {
  facility?: string;
  status?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  geoPoint?: { lat?: number; lon?: number };
}

export interface CtgovEligibilityModule {
  sex?: string;
  minimumAge?: string;
  maximumAge?: string;
  healthyVolunteers?: boolean;
  stdAges?: string[];
}

export interface CtgovProtocolSection {
  identificationModule?: CtgovIdentificationModule;
  statusModule?: CtgovStatusModule;
  sponsorCollaboratorsModule?: { leadSponsor?: CtgovSponsor; collaborators?: CtgovSponsor[] };
  conditionsModule?: { conditions?: string[]; keywords?: string[] };
  designModule?: {
    studyType?: string;
    phases?: string[];
    enrollmentInfo?: { count?: number; type?: string };
  };
  armsInterventionsModule?: { interventions?: CtgovIntervention[] };
  eligibilityModule?: CtgovEligibilityModule;
  contactsLocationsModule?: { locations?: CtgovLocation[] };
  [module: string]: unknown;
}

/** One study: the element of `/studies`'s `studies` and the body of `/studies/{nctId}`. */
export interface CtgovStudy {
  protocolSection?: CtgovProtocolSection;
  derivedSection?: {
    miscInfoModule?: { versionHolder?: string; [key: string]: unknown };
    [module: string]: unknown;
  };
  hasResults?: boolean;
  resultsSection?: unknown;
  documentSection?: unknown;
  annotationSection?: unknown;
}

/**
 * One `/studies` page. `totalCount` only with `countTotal=true`, and in practice only on the first
 * page; `nextPageToken` is absent on the last page. A page may hold no studies yet carry a token.
 */
export interface CtgovStudiesPage {
  studies?: unknown[];
  totalCount?: number;
  nextPageToken?: string;
}

/** `/version`: `dataTimestamp` is the UTC time of the data release, `yyyy-MM-ddTHH:mm:ss`. */
export interface CtgovVersionBody {
  apiVersion?: string;
  dataTimestamp?: string;
}
