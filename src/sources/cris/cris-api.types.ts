/**
 * The wire formats of the CRIS Open API (data.go.kr dataset 3033869, "질병관리청_임상연구 DB") at
 * `apis.data.go.kr/1352159/crisinfodataview`, and of the data.go.kr gateway in front of it.
 * Everything here is what the upstream sends; what we make of it lives in the mapper. Every key
 * is optional: real list items of observational studies lack `phase_kr` and `i_freetext_kr`, and
 * nothing guarantees the rest.
 */

import { SOURCE_TABLE } from '../../domain/trial.types.js';

/** A CRIS registration number: `KCT` and seven digits (declared with the source, src/domain). */
export const CRIS_ID_PATTERN: RegExp = SOURCE_TABLE.cris.idPattern;

/**
 * One `/list` item (15 keys in every real capture). Dates are `YYYY-MM-DD`; `date_updated` can be
 * earlier than `date_registration` for new registrations. `i_freetext_kr` here is the intervention
 * *type*, several of them concatenated with no separator (`의약품방사선`).
 */
export interface CrisListItem {
  trial_id?: string;
  scientific_title_kr?: string;
  scientific_title_en?: string;
  date_registration?: string;
  date_updated?: string;
  date_enrolment?: string;
  type_enrolment_kr?: string;
  results_date_completed?: string;
  results_type_date_completed_kr?: string;
  study_type_kr?: string;
  i_freetext_kr?: string;
  phase_kr?: string;
  source_name_kr?: string;
  primary_sponsor_kr?: string;
  primary_outcome_1_kr?: string;
  [key: string]: unknown;
}

/**
 * The `/list` body: flat, not wrapped in `response/header/body`. `pageNo` comes as a string and
 * `totalCount`/`numOfRows` as numbers, so all three are read leniently.
 */
export interface CrisListBody {
  pageNo?: string | number;
  resultCode?: string | number;
  resultMsg?: string;
  totalCount?: string | number;
  numOfRows?: string | number;
  items?: unknown;
}

export interface CrisSponsorItem {
  primary_sponsor_kr?: string;
  primary_sponsor_en?: string;
}

export interface CrisFundingItem {
  source_name_kr?: string;
  source_name_en?: string;
}

export interface CrisSiteItem {
  site_name_kr?: string;
  site_name_en?: string;
}

export interface CrisOutcomeItem {
  primary_outcome_kr?: string;
  primary_outcome_en?: string;
  primary_outcome_time_kr?: string;
  primary_outcome_time_en?: string;
}

/**
 * The `/detail` body: the record's fields at the top level next to `resultCode`/`resultMsg`
 * (74 keys in the one real capture). `date_registration` and `date_updated` are `YYYY/MM/DD`, the
 * other dates `YYYY-MM-DD`. Here `i_freetext_kr` is the arms' free text and the intervention type
 * is `i_freetext_type_kr`. `target_size` is a number, `group_number` a string.
 */
export interface CrisDetail {
  trial_id?: string;
  resultCode?: string | number;
  resultMsg?: string;
  scientific_title_kr?: string;
  scientific_title_en?: string;
  public_title_kr?: string;
  public_title_en?: string;
  study_summary_kr?: string;
  study_summary_en?: string;
  date_registration?: string;
  date_updated?: string;
  date_enrolment?: string;
  results_date_completed?: string;
  irb_date?: string;
  type_enrolment_kr?: string;
  type_enrolment_en?: string;
  results_type_date_completed_kr?: string;
  results_type_date_completed_en?: string;
  recruitment_status_kr?: string;
  recruitment_status_en?: string;
  study_type_kr?: string;
  study_type_en?: string;
  phase_kr?: string;
  phase_en?: string;
  i_freetext_kr?: string;
  i_freetext_en?: string;
  i_freetext_type_kr?: string;
  i_freetext_type_en?: string;
  primary_purpose_kr?: string;
  primary_purpose_en?: string;
  intervention_model_kr?: string;
  intervention_model_en?: string;
  allocation_kr?: string;
  allocation_en?: string;
  blinding_masking_kr?: string;
  blinding_masking_en?: string;
  target_size?: number | string;
  target_gender_kr?: string;
  target_gender_en?: string;
  target_age_range_kr?: string;
  target_age_range_en?: string;
  hc_code_kr?: string;
  hc_code_en?: string;
  primary_outcome_type_kr?: string;
  primary_outcome_type_en?: string;
  sponsor_items?: CrisSponsorItem[];
  funding_items?: CrisFundingItem[];
  research_items?: CrisSiteItem[];
  outcome_items?: CrisOutcomeItem[];
  arm_items?: unknown[];
  [key: string]: unknown;
}

/**
 * What the harvest yields and stores as the raw record of a CRIS trial: the list entry and the
 * detail fetched for it, exactly as received (the detail with its `resultCode`/`resultMsg`).
 * Either side may be missing when a record is built from one operation only.
 */
export interface CrisRawRecord {
  list?: CrisListItem | null;
  detail?: CrisDetail | null;
}

/**
 * The result codes of the data.go.kr family, used both by the CRIS application
 * (`{resultCode, resultMsg}`) and by the gateway (`returnReasonCode`). The guide
 * (KCDC18-CRIS-API01 v1.3) lists 00, 01, 03, 10, 12, 20, 22, 30, 31, 32 and 99; the others are
 * used by other services behind the same gateway.
 */
export const DATA_GO_KR_RESULT_CODES = {
  '00': 'NORMAL_SERVICE',
  '01': 'APPLICATION_ERROR',
  '02': 'DB_ERROR',
  '03': 'NODATA_ERROR',
  '04': 'HTTP_ERROR',
  '05': 'SERVICETIME_OUT',
  '10': 'INVALID_REQUEST_PARAMETER_ERROR',
  '11': 'NO_MANDATORY_REQUEST_PARAMETERS_ERROR',
  '12': 'NO_OPENAPI_SERVICE_ERROR',
  '20': 'SERVICE_ACCESS_DENIED_ERROR',
  '21': 'TEMPORARILY_DISABLE_THE_SERVICEKEY_ERROR',
  '22': 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR',
  '23': 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_PER_SECOND_EXCEEDS_ERROR',
  '30': 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
  '31': 'DEADLINE_HAS_EXPIRED_ERROR',
  '32': 'UNREGISTERED_IP_ERROR',
  '33': 'UNSIGNED_CALL_ERROR',
  '99': 'UNKNOWN_ERROR',
} as const;

export type DataGoKrResultCode = keyof typeof DATA_GO_KR_RESULT_CODES;

/**
 * The gateway's `OpenAPI_ServiceResponse/cmmMsgHeader`, as XML (even when JSON was asked for) or
 * wrapped in JSON. Two generations exist: newer bodies put the code name in `errMsg` and Korean
 * text in `returnAuthMsg`; older ones say `SERVICE ERROR` in `errMsg` and put the name in
 * `returnAuthMsg`.
 */
export interface GatewayMessageHeader {
  errMsg?: string;
  returnAuthMsg?: string;
  returnReasonCode?: string;
}
