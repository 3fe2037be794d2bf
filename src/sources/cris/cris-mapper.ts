import type {
  Intervention,
  MappedTrial,
  SecondaryId,
  TrialFields,
  TrialSite,
} from '../../domain/trial.types.js';
import { emptyTrialFields, REGISTRY_ID_PATTERNS } from '../../domain/trial.types.js';
import type { CanonicalRules } from '../../domain/canonical.js';
import { headcountOf } from '../http/lenient.js';
import { RecordError } from '../source.types.js';
import type { CrisDetail, CrisListItem } from './cris-api.types.js';
import { CRIS_ID_PATTERN } from './cris-api.types.js';
import { isPlainObject } from '../../domain/json.js';
import type { CrisAge, CrisInterventionType } from './cris-vocabulary.js';
import {
  cleanLine,
  cleanText,
  dateTypeOf,
  genderCodeOf,
  INTERVENTION_TYPES_EN,
  lookup,
  normalizeCrisDate,
  parseAgeRange,
  phaseCodeOf,
  splitInterventionTypes,
  STATUS_EN,
  STATUS_KR,
  STUDY_TYPES,
} from './cris-vocabulary.js';

/** A value the registry gives in Korean and English (null where absent or blank). */
export interface CrisText {
  kr: string | null;
  en: string | null;
}

/** A coded value next to the registry's own labels. */
export interface CrisCoded extends CrisText {
  code: string | null;
}

export interface CrisOutcome {
  kr: string | null;
  en: string | null;
  timeKr: string | null;
  timeEn: string | null;
}

/** What `sourceFields` holds for a CRIS trial. */
export interface CrisSourceFields {
  /** The upstream values as given: the list entry and the detail (without its envelope codes). */
  upstream: { list: CrisListItem | null; detail: CrisDetail | null };
  /**
   * Stored from the list entry alone: `/detail` had no record for a listed trial (it answered 03).
   * Titles, dates, phase, sponsor and funders come from the list; the version a detail brings
   * replaces it.
   */
  listOnly: boolean;
  normalized: {
    /** Titles with line breaks and runs of blanks folded (the raw keeps them). */
    titles: {
      scientificKr: string | null;
      scientificEn: string | null;
      publicKr: string | null;
      publicEn: string | null;
    };
    summary: CrisText;
    /** RECRUITING, NOT_YET_RECRUITING, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, … */
    status: CrisCoded;
    /** INTERVENTIONAL, OBSERVATIONAL, OTHER. */
    studyType: CrisCoded;
    /** PHASE1…PHASE4, EARLY_PHASE1, NA, or joined phases (PHASE1/PHASE2). */
    phase: CrisCoded;
    /** The intervention type labels split into types (DRUG, DEVICE, RADIATION, …). */
    interventionTypes: { kr: CrisInterventionType[]; en: CrisInterventionType[] };
    /** The arms' free text of the detail (line breaks kept, `\r\n` made `\n`). */
    interventionDescription: CrisText;
    sponsors: CrisText[];
    funders: CrisText[];
    sites: CrisText[];
    outcomes: CrisOutcome[];
    outcomeType: CrisText;
    targetSize: number | null;
    /** MALE, FEMALE, ALL. */
    gender: CrisCoded;
    ageRange: CrisText & { min: CrisAge | null; max: CrisAge | null };
    /** Every date as YYYY-MM-DD (the detail writes two of them as YYYY/MM/DD). */
    dates: {
      registration: string | null;
      updated: string | null;
      enrolment: string | null;
      /** ACTUAL or ANTICIPATED. */
      enrolmentType: string | null;
      completion: string | null;
      completionType: string | null;
      irb: string | null;
    };
  };
}

/**
 * The detail's `resultCode`/`resultMsg` are the envelope of the answer, not the record. The item
 * lists of sponsors, funders and sites carry no order of their own, so a reshuffle is not a change.
 */
export const CRIS_CANONICAL_RULES: CanonicalRules = {
  volatilePaths: ['detail.resultCode', 'detail.resultMsg'],
  unorderedPaths: ['detail.sponsor_items', 'detail.funding_items', 'detail.research_items'],
};

function text(record: Record<string, unknown> | null, key: string): string | null {
  return record === null ? null : cleanLine(record[key]);
}

function items(record: CrisDetail | null, key: string): Record<string, unknown>[] {
  const value = record?.[key];
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function pairs(record: CrisDetail | null, key: string, kr: string, en: string): CrisText[] {
  return items(record, key)
    .map((item) => ({ kr: cleanLine(item[kr]), en: cleanLine(item[en]) }))
    .filter((pair) => pair.kr !== null || pair.en !== null);
}

/**
 * Secondary ids, where a record carries any: the captured detail has no such field, so any key
 * naming secondary or other ids is read, as text (split on `,`, `;`, line breaks) or as a list of
 * strings or objects. A registry id (NCT…, KCT…) gets its registry as the type.
 */
export function secondaryIdsOf(detail: CrisDetail | null, ownId: string): SecondaryId[] {
  if (detail === null) return [];
  const found: SecondaryId[] = [];
  const add = (raw: string, type: string | null) => {
    const id = raw.trim();
    if (id === '' || id.toUpperCase() === ownId || found.some((entry) => entry.id === id)) return;
    const registry = REGISTRY_ID_PATTERNS.find((entry) =>
      entry.pattern.test(id.replace(/\s+/g, '').toUpperCase()),
    );
    found.push({
      id,
      type: registry === undefined ? type : registry.source === 'ctgov' ? 'ClinicalTrials.gov' : 'CRIS',
    });
  };
  const addText = (value: string, type: string | null) => {
    for (const part of value.split(/[,;\r\n]+/)) add(part, type);
  };
  for (const [key, value] of Object.entries(detail)) {
    if (!/secondary|other_?id/i.test(key) || /type|issuer/i.test(key)) continue;
    if (typeof value === 'string') addText(value, null);
    if (!Array.isArray(value)) continue;
    for (const element of value) {
      if (typeof element === 'string') addText(element, null);
      if (!isPlainObject(element)) continue;
      const typeKey = Object.keys(element).find((name) => /type|issuer|registry|agency/i.test(name));
      const type = typeKey === undefined ? null : cleanLine(element[typeKey]);
      for (const [name, inner] of Object.entries(element)) {
        if (name !== typeKey && typeof inner === 'string') addText(inner, type);
      }
    }
  }
  return found;
}

function latest(...dates: (string | null)[]): string | null {
  const present = dates.filter((date): date is string => date !== null).sort();
  return present.at(-1) ?? null;
}

function idOf(record: Record<string, unknown> | null): string | null {
  const value = record?.trial_id;
  if (typeof value !== 'string') return null;
  const id = value.trim().toUpperCase();
  return id === '' ? null : id;
}

/**
 * Maps one CRIS record — `{list, detail}` as the harvest yields it, either side optional — to the
 * common model. Pure. The detail wins where both sides give a value; the list fills what the
 * detail lacks. Throws `RecordError` for a record without a usable `KCT` id or whose two sides
 * name different trials.
 */
export function mapCrisRecord(raw: unknown): MappedTrial {
  if (!isPlainObject(raw)) {
    throw new RecordError(null, `cris: a record is not an object (${raw === null ? 'null' : typeof raw})`);
  }
  const list = isPlainObject(raw.list) ? (raw.list as CrisListItem) : null;
  const detail = isPlainObject(raw.detail) ? (raw.detail as CrisDetail) : null;
  if (list === null && detail === null) {
    throw new RecordError(null, 'cris: a record has neither a list entry nor a detail');
  }
  const listId = idOf(list);
  const detailId = idOf(detail);
  if (listId !== null && detailId !== null && listId !== detailId) {
    throw new RecordError(
      detailId,
      `cris: the list entry (${listId}) and the detail (${detailId}) name different trials`,
    );
  }
  const id = detailId ?? listId;
  if (id === null) throw new RecordError(null, 'cris: a record has no trial_id');
  if (!CRIS_ID_PATTERN.test(id))
    throw new RecordError(id, `cris: "${id}" is not a CRIS registration number (KCT and 7 digits)`);

  // The detail wins; the list fills in (same key names where both have the field).
  const pick = (key: string): string | null => text(detail, key) ?? text(list, key);
  const titles = {
    scientificKr: pick('scientific_title_kr'),
    scientificEn: pick('scientific_title_en'),
    publicKr: text(detail, 'public_title_kr'),
    publicEn: text(detail, 'public_title_en'),
  };

  const statusKr = text(detail, 'recruitment_status_kr');
  const statusEn = text(detail, 'recruitment_status_en');
  const status: CrisCoded = {
    code: lookup(STATUS_EN, statusEn) ?? lookup(STATUS_KR, statusKr),
    kr: statusKr,
    en: statusEn,
  };
  const studyTypeKr = pick('study_type_kr');
  const studyTypeEn = text(detail, 'study_type_en');
  const studyType: CrisCoded = {
    code: lookup(STUDY_TYPES, studyTypeKr) ?? lookup(STUDY_TYPES, studyTypeEn),
    kr: studyTypeKr,
    en: studyTypeEn,
  };
  const phaseKr = pick('phase_kr');
  const phaseEn = text(detail, 'phase_en');
  const phase: CrisCoded = { code: phaseCodeOf(phaseKr) ?? phaseCodeOf(phaseEn), kr: phaseKr, en: phaseEn };

  // In the list `i_freetext_kr` is the type label; in the detail it is the arms' text and the
  // type label is `i_freetext_type_kr`.
  const typeLabelKr = [detail?.i_freetext_type_kr, list?.i_freetext_kr].find(
    (value) => cleanLine(value) !== null,
  );
  const typesKr = splitInterventionTypes(typeLabelKr);
  const typesEn = splitInterventionTypes(detail?.i_freetext_type_en, INTERVENTION_TYPES_EN);
  const interventions: Intervention[] = (typesKr.length > 0 ? typesKr : typesEn).map((type) => ({
    type: type.code,
    name: type.label,
  }));

  let sponsors = pairs(detail, 'sponsor_items', 'primary_sponsor_kr', 'primary_sponsor_en');
  const listSponsor = text(list, 'primary_sponsor_kr');
  if (sponsors.length === 0 && listSponsor !== null) sponsors = [{ kr: listSponsor, en: null }];
  let funders = pairs(detail, 'funding_items', 'source_name_kr', 'source_name_en');
  const listFunders = text(list, 'source_name_kr');
  // The list joins several funders with ", ".
  if (funders.length === 0 && listFunders !== null) {
    funders = listFunders
      .split(/,\s+/)
      .filter((name) => name.trim() !== '')
      .map((name) => ({ kr: name.trim(), en: null }));
  }
  const sites = pairs(detail, 'research_items', 'site_name_kr', 'site_name_en');
  let outcomes: CrisOutcome[] = items(detail, 'outcome_items')
    .map((item) => ({
      kr: cleanLine(item.primary_outcome_kr),
      en: cleanLine(item.primary_outcome_en),
      timeKr: cleanLine(item.primary_outcome_time_kr),
      timeEn: cleanLine(item.primary_outcome_time_en),
    }))
    .filter((outcome) => Object.values(outcome).some((value) => value !== null));
  const listOutcome = text(list, 'primary_outcome_1_kr');
  if (outcomes.length === 0 && listOutcome !== null)
    outcomes = [{ kr: listOutcome, en: null, timeKr: null, timeEn: null }];

  const genderKr = text(detail, 'target_gender_kr');
  const genderEn = text(detail, 'target_gender_en');
  const ageKr = text(detail, 'target_age_range_kr');
  const ageEn = text(detail, 'target_age_range_en');
  const ages = parseAgeRange(ageKr);
  const agesEn = parseAgeRange(ageEn);

  const date = (key: string) => normalizeCrisDate(detail?.[key]) ?? normalizeCrisDate(list?.[key]);
  const dates = {
    registration: date('date_registration'),
    updated: date('date_updated'),
    enrolment: date('date_enrolment'),
    enrolmentType: dateTypeOf(pick('type_enrolment_kr'), text(detail, 'type_enrolment_en')),
    completion: date('results_date_completed'),
    completionType: dateTypeOf(
      pick('results_type_date_completed_kr'),
      text(detail, 'results_type_date_completed_en'),
    ),
    irb: normalizeCrisDate(detail?.irb_date),
  };

  const conditions = [
    ...new Set([text(detail, 'hc_code_kr'), text(detail, 'hc_code_en')].filter((value) => value !== null)),
  ];
  const targetSize = headcountOf(detail?.target_size);
  let upstreamDetail: CrisDetail | null = null;
  if (detail !== null) {
    const { resultCode: _code, resultMsg: _message, ...rest } = detail;
    upstreamDetail = rest;
  }

  const sourceFields: CrisSourceFields = {
    upstream: { list, detail: upstreamDetail },
    listOnly: detail === null,
    normalized: {
      titles,
      summary: { kr: cleanText(detail?.study_summary_kr), en: cleanText(detail?.study_summary_en) },
      status,
      studyType,
      phase,
      interventionTypes: { kr: typesKr, en: typesEn },
      interventionDescription: { kr: cleanText(detail?.i_freetext_kr), en: cleanText(detail?.i_freetext_en) },
      sponsors,
      funders,
      sites,
      outcomes,
      outcomeType: {
        kr: text(detail, 'primary_outcome_type_kr'),
        en: text(detail, 'primary_outcome_type_en'),
      },
      targetSize,
      gender: { code: genderCodeOf(genderKr, genderEn), kr: genderKr, en: genderEn },
      ageRange: { kr: ageKr, en: ageEn, min: ages.min ?? agesEn.min, max: ages.max ?? agesEn.max },
      dates,
    },
  };
  const fields: TrialFields = {
    ...emptyTrialFields(),
    // The public title is the registry's plain-language one (ClinicalTrials.gov's brief title);
    // the scientific title is the official one.
    title: titles.publicKr ?? titles.scientificKr ?? titles.publicEn ?? titles.scientificEn,
    titleEn: titles.publicEn ?? titles.scientificEn,
    officialTitle: titles.scientificKr ?? titles.scientificEn,
    status: status.code,
    phase: phase.code,
    studyType: studyType.code,
    institution: sponsors[0]?.kr ?? sponsors[0]?.en ?? null,
    conditions,
    interventions,
    enrollment: targetSize,
    // CRIS is Korea's registry: its trials run in Korea (sites abroad are not itemised by country).
    countries: ['South Korea'],
    secondaryIds: secondaryIdsOf(detail, id),
    // A new registration is often published after its last edit, so the later of the two dates
    // is when the registry last changed the record in public.
    sourceUpdatedAt: latest(dates.updated, dates.registration),
  };
  // CRIS names its sites (Korean and English) and nothing else: no city, status or coordinates.
  const trialSites = sites.map((site): TrialSite => ({
    name: site.kr ?? site.en,
    city: null,
    state: null,
    country: 'South Korea',
    postalCode: null,
    status: null,
    lat: null,
    lon: null,
  }));
  return { id, source: 'cris', fields, sourceFields: { ...sourceFields }, sites: trialSites };
}
