/**
 * English and Korean labels of the codes the common trial model uses (status, phase, study type),
 * one vocabulary for the change summaries, the API (`label` beside a code) and the web page. A code
 * not listed here is shown as itself.
 */

export interface Localized {
  en: string;
  ko: string;
}

const STATUS_LABELS: Readonly<Record<string, Localized>> = {
  NOT_YET_RECRUITING: { en: 'Not yet recruiting', ko: '모집 전' },
  RECRUITING: { en: 'Recruiting', ko: '모집 중' },
  ENROLLING_BY_INVITATION: { en: 'Enrolling by invitation', ko: '초청에 의한 등록' },
  ACTIVE_NOT_RECRUITING: { en: 'Active, not recruiting', ko: '진행 중(모집 완료)' },
  SUSPENDED: { en: 'Suspended', ko: '일시 중지' },
  TERMINATED: { en: 'Terminated', ko: '조기 종료' },
  COMPLETED: { en: 'Completed', ko: '완료' },
  WITHDRAWN: { en: 'Withdrawn', ko: '철회' },
  UNKNOWN: { en: 'Unknown status', ko: '상태 불명' },
  AVAILABLE: { en: 'Available', ko: '이용 가능' },
  NO_LONGER_AVAILABLE: { en: 'No longer available', ko: '더 이상 이용 불가' },
  TEMPORARILY_NOT_AVAILABLE: { en: 'Temporarily not available', ko: '일시적 이용 불가' },
  APPROVED_FOR_MARKETING: { en: 'Approved for marketing', ko: '시판 승인' },
  WITHHELD: { en: 'Withheld', ko: '보류' },
};

const PHASE_LABELS: Readonly<Record<string, Localized>> = {
  EARLY_PHASE1: { en: 'Early phase 1', ko: '초기 1상' },
  PHASE1: { en: 'Phase 1', ko: '1상' },
  PHASE2: { en: 'Phase 2', ko: '2상' },
  PHASE3: { en: 'Phase 3', ko: '3상' },
  PHASE4: { en: 'Phase 4', ko: '4상' },
  'PHASE1/PHASE2': { en: 'Phase 1/2', ko: '1/2상' },
  'PHASE2/PHASE3': { en: 'Phase 2/3', ko: '2/3상' },
  NA: { en: 'Not applicable', ko: '해당 없음' },
  // kr-icreat's 임상시험단계(연구모형) names a study design where there is no phase.
  COHORT: { en: 'Cohort', ko: '코호트' },
  CASE_ONLY: { en: 'Case-only', ko: '환자군 연구' },
  CASE_CONTROL: { en: 'Case-control', ko: '환자-대조군 연구' },
  CROSS_SECTIONAL: { en: 'Cross-sectional', ko: '단면 연구' },
  OTHER: { en: 'Other', ko: '기타' },
};

const STUDY_TYPE_LABELS: Readonly<Record<string, Localized>> = {
  INTERVENTIONAL: { en: 'Interventional', ko: '중재 연구' },
  OBSERVATIONAL: { en: 'Observational', ko: '관찰 연구' },
  EXPANDED_ACCESS: { en: 'Expanded access', ko: '확대 접근' },
  OTHER: { en: 'Other', ko: '기타' },
};

/** The fields whose values are codes with labels, as the common model and the facets name them. */
export const LABELLED_CODES = ['status', 'phase', 'studyType'] as const;
export type LabelledCode = (typeof LABELLED_CODES)[number];

export function isLabelledCode(field: string): field is LabelledCode {
  return (LABELLED_CODES as readonly string[]).includes(field);
}

const TABLES: Readonly<Record<LabelledCode, Readonly<Record<string, Localized>>>> = {
  status: STATUS_LABELS,
  phase: PHASE_LABELS,
  studyType: STUDY_TYPE_LABELS,
};

/** Phases joined by `/` that the table does not list (`PHASE1/PHASE2/PHASE3`): `Phase 1/2/3`. */
function joinedPhases(code: string): Localized | undefined {
  const parts = code.split('/');
  if (parts.length < 2 || !parts.every((part) => /^PHASE[1-4]$/.test(part))) return undefined;
  const numbers = parts.map((part) => part.slice('PHASE'.length)).join('/');
  return { en: `Phase ${numbers}`, ko: `${numbers}상` };
}

/** The label of a code (the code itself where none is known; "none" for null). */
export function labelOf(kind: LabelledCode, code: string | null): Localized {
  if (code === null) return { en: 'none', ko: '없음' };
  return TABLES[kind][code] ?? (kind === 'phase' ? joinedPhases(code) : undefined) ?? { en: code, ko: code };
}

/** The label the API shows beside a code: null where there is no code. */
export function codeLabel(kind: LabelledCode, code: string | null): Localized | null {
  return code === null ? null : labelOf(kind, code);
}

/** The labels of a trial's codes, as the API shows them beside `fields` (`labels`). */
export type CodeLabels = Record<LabelledCode, Localized | null>;

export function codeLabels(codes: Record<LabelledCode, string | null>): CodeLabels {
  return {
    status: codeLabel('status', codes.status),
    phase: codeLabel('phase', codes.phase),
    studyType: codeLabel('studyType', codes.studyType),
  };
}

/**
 * The study designs iCReaT gives in its phase column (임상시험단계(연구모형)), which mixes designs
 * with phases: the common model keeps them as `phase` codes (unlabelled: shown as themselves).
 */
export const DESIGN_PHASE_CODES: readonly string[] = [
  'COHORT',
  'CASE_ONLY',
  'CASE_CONTROL',
  'CROSS_SECTIONAL',
  'OTHER',
];

/** Several phases of one trial joined by `/` (`PHASE1/PHASE2`; CRIS can name three). */
const JOINED_PHASES = /^PHASE[1-4](?:\/PHASE[1-4])+$/;

/**
 * Every code the mappers give a field (the filters on `/api/v1/trials`, its facets and
 * `/api/v1/changes` accept these and no other); for `phase`, joined phases come on top.
 */
export function knownCodes(kind: LabelledCode): readonly string[] {
  const labelled = Object.keys(TABLES[kind]);
  return kind === 'phase'
    ? [...labelled, ...DESIGN_PHASE_CODES.filter((c) => !labelled.includes(c))]
    : labelled;
}

/** Whether `code` is one the mappers give the field `kind` (see `knownCodes`). */
export function isKnownCode(kind: LabelledCode, code: string): boolean {
  return knownCodes(kind).includes(code) || (kind === 'phase' && JOINED_PHASES.test(code));
}
