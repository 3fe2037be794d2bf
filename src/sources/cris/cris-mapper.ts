import type { Intervention, MappedTrial, SecondaryId, TrialFields } from '../../domain/trial.types.js';
import { emptyTrialFields, REGISTRY_ID_PATTERNS } from '../../domain/trial.types.js';
import type { CanonicalRules } from '../../domain/canonical.js';
import { headcountOf } from '../http/lenient.js';
import { RecordError } from '../source.types.js';
import type { CrisDetail, CrisListItem } from './cris-api.types.js';
import { CRIS_ID_PATTERN } from './cris-api.types.js';
import { isPlainObject } from '../../domain/json.js';

/** A value the registry gives in Korean and English (null where absent or blank). */
export interface CrisText {
  kr: string | null;
  en: string | null;
}

/** A coded value next to the registry's own labels. */
export interface CrisCoded extends CrisText {
  code: string | null;
}

/** One intervention type found in the registry's label, with the part of the label it came from. */
export interface CrisInterventionType {
  code: string | null;
  label: string;
}

export interface CrisAge {
  value: number;
  unit: 'YEARS' | 'MONTHS' | 'WEEKS' | 'DAYS';
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

/** One line of text: every run of blanks and line breaks becomes one space; blank → null. */
export function cleanLine(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** Free text: `\r\n` → `\n`, blanks folded inside lines, no more than one empty line; blank → null. */
export function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned === '' ? null : cleaned;
}

/**
 * `2011/07/18` (detail), `2011-07-18` (list), `2011.7.18` and `20110718` → `2011-07-18`; anything
 * else, including impossible dates, → null.
 */
export function normalizeCrisDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Lower-case letters and digits only (Hangul included), for comparing labels. */
function fold(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function lookup(table: Readonly<Record<string, string>>, label: string | null): string | null {
  return label === null ? null : (table[fold(label)] ?? null);
}

/** The seven values the English side is known to take, plus ClinicalTrials.gov's by-invitation. */
const STATUS_EN: Readonly<Record<string, string>> = {
  recruiting: 'RECRUITING',
  notyetrecruiting: 'NOT_YET_RECRUITING',
  activenotrecruiting: 'ACTIVE_NOT_RECRUITING',
  suspended: 'SUSPENDED',
  terminated: 'TERMINATED',
  completed: 'COMPLETED',
  withdrawn: 'WITHDRAWN',
  enrollingbyinvitation: 'ENROLLING_BY_INVITATION',
};

/** Korean labels seen in captures or named by other clients; the full vocabulary is not known. */
const STATUS_KR: Readonly<Record<string, string>> = {
  대상자모집중: 'RECRUITING',
  모집중: 'RECRUITING',
  대상자모집전: 'NOT_YET_RECRUITING',
  모집전: 'NOT_YET_RECRUITING',
  연구종결: 'COMPLETED',
  연구철회: 'WITHDRAWN',
};

const STUDY_TYPES: Readonly<Record<string, string>> = {
  중재연구: 'INTERVENTIONAL',
  관찰연구: 'OBSERVATIONAL',
  기타: 'OTHER',
  interventionalstudy: 'INTERVENTIONAL',
  interventional: 'INTERVENTIONAL',
  observationalstudy: 'OBSERVATIONAL',
  observational: 'OBSERVATIONAL',
  other: 'OTHER',
};

/**
 * `해당사항없음`/`Not applicable` → NA; `초기1상`/`Early Phase 1`/`Phase 0` → EARLY_PHASE1; `2상`,
 * `제2상`, `Phase 2`, `Phase II` → PHASE2; several (`1/2상`, `Phase1/Phase2`) → PHASE1/PHASE2.
 * Blank or anything else → null (the label stays in `sourceFields`).
 */
export function phaseCodeOf(label: string | null): string | null {
  if (label === null) return null;
  const folded = fold(label);
  if (['해당사항없음', '해당없음', 'notapplicable', 'na', 'none'].includes(folded)) return 'NA';
  if (['초기1상', '0상', 'earlyphase1', 'phase0'].includes(folded)) return 'EARLY_PHASE1';
  const roman: Readonly<Record<string, string>> = { i: '1', ii: '2', iii: '3', iv: '4' };
  const phases = new Set<string>();
  // `2상`, `2a상`, `1/2상` (the phase named once after both numbers), `Phase 2a`, `Phase II/III`.
  for (const match of label.matchAll(/([1-4])[ab]?\s*(?:[/,~-]\s*([1-4])[ab]?\s*)?상/gi)) {
    for (const value of [match[1], match[2]]) if (value !== undefined) phases.add(value);
  }
  for (const match of label.matchAll(
    /phase\s*(iv|i{1,3}|[1-4])[ab]?(?:\s*[/,~-]\s*(?:phase\s*)?(iv|i{1,3}|[1-4])[ab]?)?(?![a-z0-9])/gi,
  )) {
    for (const value of [match[1], match[2]]) {
      if (value !== undefined) phases.add(roman[value.toLowerCase()] ?? value);
    }
  }
  if (phases.size === 0) return null;
  return [...phases]
    .sort()
    .map((phase) => `PHASE${phase}`)
    .join('/');
}

/**
 * Intervention types, keyed by their folded label. The list joins several types with no
 * separator (`의약품방사선`, `생물학적제제백신줄기세포를제외한생물학적제제백신`), apparently with
 * punctuation dropped, so labels are split by longest match against this vocabulary. Codes are
 * ClinicalTrials.gov's intervention types.
 */
const INTERVENTION_TYPES_KR: Readonly<Record<string, string>> = {
  // "생물학적제제(백신, 줄기세포를 제외한 생물학적제제)" with its punctuation dropped.
  생물학적제제백신줄기세포를제외한생물학적제제: 'BIOLOGICAL',
  생물학적제제: 'BIOLOGICAL',
  백신: 'BIOLOGICAL',
  줄기세포: 'BIOLOGICAL',
  의약품: 'DRUG',
  의료기구: 'DEVICE',
  의료기기: 'DEVICE',
  시술수술: 'PROCEDURE',
  시술: 'PROCEDURE',
  수술: 'PROCEDURE',
  방사선: 'RADIATION',
  행동요인: 'BEHAVIORAL',
  유전자치료: 'GENETIC',
  유전자: 'GENETIC',
  식이보충제: 'DIETARY_SUPPLEMENT',
  건강기능식품: 'DIETARY_SUPPLEMENT',
  기타: 'OTHER',
};

const INTERVENTION_TYPES_EN: Readonly<Record<string, string>> = {
  drug: 'DRUG',
  medicaldevice: 'DEVICE',
  device: 'DEVICE',
  biological: 'BIOLOGICAL',
  biologic: 'BIOLOGICAL',
  vaccine: 'BIOLOGICAL',
  stemcell: 'BIOLOGICAL',
  proceduresurgery: 'PROCEDURE',
  procedure: 'PROCEDURE',
  surgery: 'PROCEDURE',
  radiation: 'RADIATION',
  behavioral: 'BEHAVIORAL',
  behavioural: 'BEHAVIORAL',
  genetic: 'GENETIC',
  dietarysupplement: 'DIETARY_SUPPLEMENT',
  others: 'OTHER',
  other: 'OTHER',
};

/**
 * Splits an intervention type label into the types it joins: explicit separators first (`,`, `;`,
 * line breaks), then, inside each part, the longest known label at each position. Text that
 * matches no known label is kept as one type with a null code, never dropped.
 */
export function splitInterventionTypes(
  value: unknown,
  vocabulary: Readonly<Record<string, string>> = INTERVENTION_TYPES_KR,
): CrisInterventionType[] {
  if (typeof value !== 'string') return [];
  const keys = Object.keys(vocabulary).sort((a, b) => b.length - a.length);
  const found: CrisInterventionType[] = [];
  const push = (type: CrisInterventionType) => {
    if (!found.some((seen) => seen.code === type.code && seen.label === type.label)) found.push(type);
  };
  for (const part of value.split(/[,;\n\r|]+/)) {
    // Folded characters with the index of each in `part`, so labels are cut from the original.
    const chars: { char: string; at: number }[] = [];
    for (const match of part.matchAll(/[\p{L}\p{N}]/gu))
      chars.push({ char: match[0].toLowerCase(), at: match.index });
    const folded = chars.map((entry) => entry.char).join('');
    const cut = (from: number, to: number) => part.slice(chars[from]!.at, chars[to - 1]!.at + 1).trim();
    let unknownFrom: number | null = null;
    let position = 0;
    while (position < folded.length) {
      const key = keys.find((candidate) => folded.startsWith(candidate, position));
      if (key === undefined) {
        unknownFrom ??= position;
        position++;
        continue;
      }
      if (unknownFrom !== null) push({ code: null, label: cut(unknownFrom, position) });
      unknownFrom = null;
      push({ code: vocabulary[key] ?? null, label: cut(position, position + key.length) });
      position += key.length;
    }
    if (unknownFrom !== null) push({ code: null, label: cut(unknownFrom, folded.length) });
  }
  return found;
}

/** `남성`/`Male` → MALE, `여성`/`Female` → FEMALE, both or `남녀 모두`/`Both` → ALL. */
export function genderCodeOf(kr: string | null, en: string | null): string | null {
  if (en !== null) {
    const folded = en.toLowerCase();
    if (/\bboth\b|\ball\b/.test(folded) || (/\bfemale\b/.test(folded) && /\bmale\b/.test(folded)))
      return 'ALL';
    if (/\bfemale\b|\bwomen\b/.test(folded)) return 'FEMALE';
    if (/\bmale\b|\bmen\b/.test(folded)) return 'MALE';
  }
  if (kr !== null) {
    if (kr.includes('모두') || (kr.includes('남') && kr.includes('여'))) return 'ALL';
    if (kr.includes('여')) return 'FEMALE';
    if (kr.includes('남')) return 'MALE';
  }
  return null;
}

const AGE_UNITS: readonly [RegExp, CrisAge['unit']][] = [
  [/^(세|살|년|y|yr|yrs|year|years)$/i, 'YEARS'],
  [/^(개월|월|m|mo|month|months)$/i, 'MONTHS'],
  [/^(주|w|wk|week|weeks)$/i, 'WEEKS'],
  [/^(일|d|day|days)$/i, 'DAYS'],
];

function ageOf(text: string | undefined): CrisAge | null {
  if (text === undefined) return null;
  const match = /(\d+(?:\.\d+)?)\s*([A-Za-z가-힣]*)/.exec(text);
  if (match?.[1] === undefined) return null;
  const unitLabel = match[2] ?? '';
  const unit = unitLabel === '' ? 'YEARS' : AGE_UNITS.find(([pattern]) => pattern.test(unitLabel))?.[1];
  return unit === undefined ? null : { value: Number(match[1]), unit };
}

/** `19 세 ~ 50 세` / `19 Year ~ 50 Year` → 19 and 50 years; an open side (`제한없음`) → null. */
export function parseAgeRange(text: string | null): { min: CrisAge | null; max: CrisAge | null } {
  if (text === null) return { min: null, max: null };
  const sides = text.split('~');
  if (sides.length === 2) return { min: ageOf(sides[0]), max: ageOf(sides[1]) };
  if (/이상|over|older|above|\+/i.test(text)) return { min: ageOf(text), max: null };
  if (/이하|미만|under|below|younger/i.test(text)) return { min: null, max: ageOf(text) };
  return { min: null, max: null };
}

/** `실제등록`/`Actual` → ACTUAL; `예정`/`Anticipated` → ANTICIPATED (it qualifies the date next to it). */
export function dateTypeOf(kr: string | null, en: string | null): string | null {
  const folded = fold(`${en ?? ''}${kr ?? ''}`);
  if (folded === '') return null;
  if (/actual|실제/.test(folded)) return 'ACTUAL';
  if (/anticipated|expected|estimated|planned|예정/.test(folded)) return 'ANTICIPATED';
  return null;
}

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
  return { id, source: 'cris', fields, sourceFields: { ...sourceFields } };
}
