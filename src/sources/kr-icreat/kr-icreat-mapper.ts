import type { MappedTrial, TrialFields } from '../../domain/trial.types.js';
import { emptyTrialFields } from '../../domain/trial.types.js';
import { AppError } from '../../errors/app-error.js';
import { headcountOf } from '../http/lenient.js';
import type { CanonicalRules } from '../../domain/canonical.js';
import { RecordError } from '../source.types.js';
import type { KrIcreatColumn, KrIcreatRecord } from './kr-icreat-api.types.js';
import { KR_ICREAT_COLUMNS } from './kr-icreat-api.types.js';
import { isPlainObject } from '../../domain/json.js';

/** A coded value with the registry's own label next to it (`label` null when the cell is empty). */
export interface KrCodedValue {
  code: string | null;
  label: string | null;
}

/** What `sourceFields` holds for a kr-icreat trial. */
export interface KrIcreatSourceFields {
  /** The nine upstream values exactly as given, keyed by the Korean column names. */
  upstream: KrIcreatRecord;
  normalized: {
    /** 전체목표연구대상자수 as an integer; null when empty or not a plain number. */
    enrollment: number | null;
    /** 연구기간: the text (null when empty) and its length in months when it is `N년`/`N개월`. */
    period: { text: string | null; months: number | null };
    /** 연구종류: OBSERVATIONAL, INTERVENTIONAL, OTHER. */
    studyType: KrCodedValue;
    /** 연구범위: SINGLE_CENTER, MULTICENTER_DOMESTIC, MULTICENTER_INTERNATIONAL. */
    scope: KrCodedValue;
    /** 임상시험단계(연구모형): a phase (PHASE1…PHASE4) or a study design (COHORT, CASE_ONLY, …). */
    designPhase: KrCodedValue;
  };
}

/**
 * The raw record is nine strings: nothing in it changes without the record changing, and it holds
 * no lists, so there is nothing to drop or sort.
 */
export const KR_ICREAT_CANONICAL_RULES: CanonicalRules = { volatilePaths: [], unorderedPaths: [] };

const STUDY_TYPES: Readonly<Record<string, string>> = {
  관찰연구: 'OBSERVATIONAL',
  중재연구: 'INTERVENTIONAL',
  기타: 'OTHER',
  observational: 'OBSERVATIONAL',
  interventional: 'INTERVENTIONAL',
  other: 'OTHER',
};

const SCOPES: Readonly<Record<string, string>> = {
  단일기관: 'SINGLE_CENTER',
  국내다기관: 'MULTICENTER_DOMESTIC',
  // Not in the 2021/2022 file, but the third scope iCReaT offers; cheap to recognise.
  국제다기관: 'MULTICENTER_INTERNATIONAL',
};

/** Design labels, compared case-insensitively with blanks and hyphens folded (`Case-only`). */
const DESIGNS: Readonly<Record<string, string>> = {
  코호트: 'COHORT',
  cohort: 'COHORT',
  'case only': 'CASE_ONLY',
  'case control': 'CASE_CONTROL',
  'cross sectional': 'CROSS_SECTIONAL',
  other: 'OTHER',
  기타: 'OTHER',
};

function fold(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

function textOrNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function coded(value: string, table: Readonly<Record<string, string>>): KrCodedValue {
  const label = textOrNull(value);
  if (label === null) return { code: null, label: null };
  return { code: table[label] ?? table[fold(label)] ?? null, label };
}

/** `Phase 1`…`Phase 4` → PHASE1…PHASE4; the designs by table; anything else keeps only its label. */
export function designPhaseOf(value: string): KrCodedValue {
  const label = textOrNull(value);
  if (label === null) return { code: null, label: null };
  const phase = /^phase\s*([1-4])$/i.exec(label);
  if (phase !== null) return { code: `PHASE${phase[1]}`, label };
  return { code: DESIGNS[label] ?? DESIGNS[fold(label)] ?? null, label };
}

/** `6년` → 72, `36개월` → 36, `1년 6개월` → 18; anything else (`30`, `년`, `""`) → null. */
export function periodMonths(value: string): number | null {
  const match = /^(?:(\d+)\s*년)?\s*(?:(\d+)\s*개월)?$/.exec(value.trim());
  if (match === null || (match[1] === undefined && match[2] === undefined)) return null;
  return Number(match[1] ?? 0) * 12 + Number(match[2] ?? 0);
}

/**
 * Fails the run when the columns are not the nine we know: a new yearly file may rename, add or
 * drop columns, and mapping such a record would quietly store empty values.
 */
export function checkKrIcreatColumns(record: Record<string, unknown>): void {
  const known = new Set<string>(KR_ICREAT_COLUMNS);
  const keys = Object.keys(record);
  const unknown = keys.filter((key) => !known.has(key));
  const missing = KR_ICREAT_COLUMNS.filter((column) => !(column in record));
  if (unknown.length === 0 && missing.length === 0) return;
  const id = typeof record['과제번호'] === 'string' ? ` (record ${record['과제번호']})` : '';
  const parts = [
    unknown.length > 0 ? `unknown columns ${unknown.map((key) => JSON.stringify(key)).join(', ')}` : '',
    missing.length > 0 ? `missing columns ${missing.map((key) => JSON.stringify(key)).join(', ')}` : '',
  ].filter((part) => part !== '');
  throw new AppError(
    'SCHEMA_DRIFT',
    `kr-icreat: the record layout changed${id}: ${parts.join('; ')}. Expected exactly the columns ${KR_ICREAT_COLUMNS.join(', ')}; the mapper must be updated before this dataset version can be harvested.`,
    { details: { unknownColumns: unknown, missingColumns: missing } },
  );
}

/**
 * Maps one upstream record. Pure. Throws `AppError('SCHEMA_DRIFT')` for an unknown column layout
 * (the run must fail loudly) and `RecordError` for a record to skip (no 과제번호, non-string values).
 */
export function mapKrIcreatRecord(raw: unknown): MappedTrial {
  if (!isPlainObject(raw)) {
    throw new RecordError(
      null,
      `kr-icreat: a record is not an object (${raw === null ? 'null' : typeof raw})`,
    );
  }
  checkKrIcreatColumns(raw);
  const rawId = raw['과제번호'];
  const id = typeof rawId === 'string' ? rawId.trim() : '';
  if (id === '') throw new RecordError(null, 'kr-icreat: a record has no 과제번호');
  const notStrings = KR_ICREAT_COLUMNS.filter((column) => typeof raw[column] !== 'string');
  if (notStrings.length > 0) {
    throw new RecordError(
      id,
      `kr-icreat: record ${id} has values that are not text in ${notStrings.map((column) => `${column} (${raw[column] === null ? 'null' : typeof raw[column]})`).join(', ')}`,
    );
  }
  // Every column is now known to hold a string; rebuilt so `upstream` has exactly the nine keys.
  const upstream = Object.fromEntries(
    KR_ICREAT_COLUMNS.map((column) => [column, raw[column] as string]),
  ) as Record<KrIcreatColumn, string>;

  const sourceFields: KrIcreatSourceFields = {
    upstream,
    normalized: {
      enrollment: headcountOf(upstream['전체목표연구대상자수']),
      period: { text: textOrNull(upstream['연구기간']), months: periodMonths(upstream['연구기간']) },
      studyType: coded(upstream['연구종류'], STUDY_TYPES),
      scope: coded(upstream['연구범위'], SCOPES),
      designPhase: designPhaseOf(upstream['임상시험단계(연구모형)']),
    },
  };
  const fields: TrialFields = {
    ...emptyTrialFields(),
    title: textOrNull(upstream['과제명']),
    institution: textOrNull(upstream['연구책임기관']),
    department: textOrNull(upstream['진료과']),
    studyType: sourceFields.normalized.studyType.code,
    phase: sourceFields.normalized.designPhase.code,
    enrollment: sourceFields.normalized.enrollment,
    countries: ['South Korea'],
  };
  return { id, source: 'kr-icreat', fields, sourceFields: { ...sourceFields } };
}
