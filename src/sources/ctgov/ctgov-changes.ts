/**
 * How ClinicalTrials.gov records are compared for typed changes (issue 17): the change type of
 * each raw path (API v2 study modules; more specific prefixes first), and the facts of a version.
 * Bookkeeping the registry computes or stamps (last-update dates, the verified date, derived MeSH
 * data) is `registry`.
 */
import type { ChangeFacts, ChangeProfile, ChangeType, DatedFact } from '../../domain/change.types.js';
import { commonFacts, typeByPrefix } from '../../domain/change.types.js';
import type { MappedTrial } from '../../domain/trial.types.js';
import type { CtgovDate, CtgovSourceFields } from './ctgov-mapper.js';

const STATUS = 'protocolSection.statusModule';
const IDENTIFICATION = 'protocolSection.identificationModule';
const CONTACTS = 'protocolSection.contactsLocationsModule';

const PATH_TYPES: readonly (readonly [string, ChangeType])[] = [
  [`${STATUS}.overallStatus`, 'status'],
  [`${STATUS}.lastKnownStatus`, 'status'],
  [`${STATUS}.whyStopped`, 'status'],
  [`${STATUS}.startDateStruct`, 'dates'],
  [`${STATUS}.primaryCompletionDateStruct`, 'dates'],
  [`${STATUS}.completionDateStruct`, 'dates'],
  [`${STATUS}.resultsFirstPostDateStruct`, 'results'],
  [`${STATUS}.resultsFirstSubmitDate`, 'results'],
  [`${STATUS}.resultsFirstSubmitQcDate`, 'results'],
  [`${STATUS}.expandedAccessInfo`, 'other'],
  [STATUS, 'registry'],
  [`${IDENTIFICATION}.briefTitle`, 'title'],
  [`${IDENTIFICATION}.officialTitle`, 'title'],
  [`${IDENTIFICATION}.acronym`, 'title'],
  [`${IDENTIFICATION}.organization`, 'sponsor'],
  [IDENTIFICATION, 'ids'],
  ['protocolSection.designModule.enrollmentInfo', 'enrollment'],
  ['protocolSection.designModule', 'design'],
  [`${CONTACTS}.locations`, 'sites'],
  [CONTACTS, 'contacts'],
  ['protocolSection.eligibilityModule', 'eligibility'],
  ['protocolSection.sponsorCollaboratorsModule', 'sponsor'],
  ['protocolSection.conditionsModule', 'conditions'],
  ['protocolSection.armsInterventionsModule', 'interventions'],
  ['protocolSection.outcomesModule', 'outcomes'],
  ['resultsSection', 'results'],
  ['hasResults', 'results'],
  ['derivedSection', 'registry'],
];

function dated(date: CtgovDate | null): DatedFact {
  return date === null ? { date: null, type: null } : { date: date.date, type: date.type };
}

function siteName(site: CtgovSourceFields['locations'][number]): string {
  return [site.facility, site.city, site.country].filter((part) => part !== null).join(', ');
}

function facts(trial: MappedTrial): ChangeFacts {
  const source = trial.sourceFields as unknown as CtgovSourceFields;
  return {
    ...commonFacts(trial),
    whyStopped: source.whyStopped,
    enrollment: { count: trial.fields.enrollment, type: source.enrollment.type },
    dates: {
      start: dated(source.dates.start),
      primaryCompletion: dated(source.dates.primaryCompletion),
      completion: dated(source.dates.completion),
    },
    sites: [...new Set(source.locations.map(siteName))],
    sponsors: [source.leadSponsor, ...source.collaborators]
      .filter((item) => item !== null)
      .map((item) => item.name),
    ids: [...trial.fields.secondaryIds.map((item) => item.id), ...source.nctIdAliases],
  };
}

export const CTGOV_CHANGES: ChangeProfile = {
  typeOfPath: typeByPrefix(PATH_TYPES, 'other'),
  facts,
};
