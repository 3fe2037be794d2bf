/**
 * How CRIS records are compared for typed changes (issue 17): the type of each raw path of the
 * list entry and the detail (Korean and English twins alike), and the facts of a version.
 */
import type { ChangeFacts, ChangeProfile, ChangeType } from '../../domain/change.types.js';
import { commonFacts, typeByPrefix } from '../../domain/change.types.js';
import type { MappedTrial } from '../../domain/trial.types.js';
import type { CrisSourceFields } from './cris-mapper.js';

/** Keys of the list entry and the detail (without `_kr`/`_en`), by type. */
const KEY_TYPES: readonly (readonly [string, ChangeType])[] = [
  ['recruitment_status', 'status'],
  ['target_size', 'enrollment'],
  ['date_enrolment', 'dates'],
  ['type_enrolment', 'dates'],
  ['results_date_completed', 'dates'],
  ['results_type_date_completed', 'dates'],
  ['research_items', 'sites'],
  ['target_gender', 'eligibility'],
  ['target_age_range', 'eligibility'],
  ['scientific_title', 'title'],
  ['public_title', 'title'],
  ['study_type', 'design'],
  ['phase', 'design'],
  ['primary_purpose', 'design'],
  ['intervention_model', 'design'],
  ['allocation', 'design'],
  ['blinding_masking', 'design'],
  ['sponsor_items', 'sponsor'],
  ['funding_items', 'sponsor'],
  ['primary_sponsor', 'sponsor'],
  ['source_name', 'sponsor'],
  ['hc_code', 'conditions'],
  ['i_freetext', 'interventions'],
  ['i_freetext_type', 'interventions'],
  ['arm_items', 'interventions'],
  ['outcome_items', 'outcomes'],
  ['primary_outcome_type', 'outcomes'],
  ['primary_outcome_1', 'outcomes'],
  ['trial_id', 'ids'],
  ['date_updated', 'registry'],
  ['date_registration', 'registry'],
  ['irb_date', 'registry'],
];

const byKey = typeByPrefix(KEY_TYPES, 'other');

/** `detail.phase_kr` → the type of `phase`; `detail.sponsor_items[2].primary_sponsor_kr` → of `sponsor_items`. */
function typeOfPath(path: string): ChangeType {
  const key = /^(?:list|detail)\.([^.[]+)/.exec(path)?.[1];
  if (key === undefined) return 'other';
  return byKey(key.replace(/_(kr|en)$/, ''));
}

function facts(trial: MappedTrial): ChangeFacts {
  const source = trial.sourceFields as unknown as CrisSourceFields;
  const { dates, sites } = source.normalized;
  return {
    ...commonFacts(trial),
    dates: {
      start: { date: dates.enrolment, type: dates.enrolmentType },
      completion: { date: dates.completion, type: dates.completionType },
    },
    sites: sites.map((site) => site.kr ?? site.en ?? '').filter((name) => name !== ''),
  };
}

export const CRIS_CHANGES: ChangeProfile = { typeOfPath, facts };
