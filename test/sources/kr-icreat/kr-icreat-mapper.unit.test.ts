import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/app-error.js';
import { KR_ICREAT_COLUMNS } from '../../../src/sources/kr-icreat/kr-icreat-api.types.js';
import type { KrIcreatSourceFields } from '../../../src/sources/kr-icreat/kr-icreat-mapper.js';
import {
  designPhaseOf,
  KR_ICREAT_CANONICAL_RULES,
  mapKrIcreatRecord,
  periodMonths,
} from '../../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { RecordError } from '../../../src/sources/source.types.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';

const snapshot = JSON.parse(readFileSync(`${fixturesDir()}/kr/kr-snapshot-2021-11.json`, 'utf8')) as {
  data: Record<string, string>[];
};
const records = snapshot.data;
const mapped = records.map((record) => mapKrIcreatRecord(record));
const fieldsOf = (index: number): KrIcreatSourceFields =>
  mapped[index]!.sourceFields as unknown as KrIcreatSourceFields;
const byId = (id: string) => {
  const index = records.findIndex((record) => record['과제번호'] === id);
  expect(index).toBeGreaterThanOrEqual(0);
  return { trial: mapped[index]!, source: fieldsOf(index) };
};

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('mapKrIcreatRecord over the 145 real records', () => {
  it('maps every record, with unique ids equal to 과제번호', () => {
    expect(records).toHaveLength(145);
    expect(new Set(mapped.map((trial) => trial.id)).size).toBe(145);
    mapped.forEach((trial, index) => {
      expect(trial.id).toBe(records[index]!['과제번호']);
      expect(trial.source).toBe('kr-icreat');
      expect(trial.fields.countries).toEqual(['South Korea']);
      expect(trial.fields.sourceUpdatedAt).toBeNull();
    });
  });

  it('keeps all nine upstream values exactly as given, under the Korean column names', () => {
    mapped.forEach((_, index) => {
      const upstream = fieldsOf(index).upstream;
      expect(Object.keys(upstream).sort()).toEqual([...KR_ICREAT_COLUMNS].sort());
      expect(upstream).toEqual(records[index]);
    });
  });

  it('maps C130011 exactly', () => {
    expect(byId('C130011').trial).toEqual({
      id: 'C130011',
      source: 'kr-icreat',
      fields: {
        title: '대한민국 쇼그렌 증후군 코호트 구축',
        titleEn: null,
        officialTitle: null,
        acronym: null,
        status: null,
        phase: 'COHORT',
        studyType: 'OBSERVATIONAL',
        institution: '가톨릭대 서울성모병원',
        department: 'Rheumatology',
        conditions: [],
        keywords: [],
        interventions: [],
        enrollment: 500,
        countries: ['South Korea'],
        hasResults: null,
        secondaryIds: [],
        sourceUpdatedAt: null,
      },
      sourceFields: {
        upstream: {
          과제명: '대한민국 쇼그렌 증후군 코호트 구축',
          과제번호: 'C130011',
          연구기간: '6년',
          연구범위: '국내다기관',
          연구종류: '관찰연구',
          연구책임기관: '가톨릭대 서울성모병원',
          '임상시험단계(연구모형)': '코호트',
          전체목표연구대상자수: '500',
          진료과: 'Rheumatology',
        },
        normalized: {
          enrollment: 500,
          period: { text: '6년', months: 72 },
          studyType: { code: 'OBSERVATIONAL', label: '관찰연구' },
          scope: { code: 'MULTICENTER_DOMESTIC', label: '국내다기관' },
          designPhase: { code: 'COHORT', label: '코호트' },
        },
      },
    });
  });

  it('maps empty values to null and keeps the other normalised values (C100002, C110007, C160037)', () => {
    const c100002 = byId('C100002');
    expect(c100002.trial.fields.enrollment).toBeNull();
    expect(c100002.source.normalized.enrollment).toBeNull();
    expect(c100002.source.normalized.period).toEqual({ text: '1년', months: 12 });
    expect(c100002.source.normalized.scope).toEqual({ code: 'SINGLE_CENTER', label: '단일기관' });

    const c110007 = byId('C110007');
    expect(c110007.source.normalized.period).toEqual({ text: null, months: null });
    expect(c110007.source.normalized.designPhase).toEqual({ code: 'CASE_ONLY', label: 'Case-only' });
    expect(c110007.trial.fields.phase).toBe('CASE_ONLY');
    expect(c110007.trial.fields.enrollment).toBe(200);

    const c160037 = byId('C160037');
    expect(c160037.source.normalized.period).toEqual({ text: '30개월', months: 30 });
    expect(c160037.source.normalized.designPhase).toEqual({ code: 'OTHER', label: 'Other' });
    expect(c160037.trial.fields.institution).toBe('세브란스병원');
  });

  it('counts 16 empty designs, 17 empty periods and 15 empty enrollments, as the fixture has', () => {
    const empty = (column: string) => records.filter((record) => record[column] === '').length;
    const designNull = mapped.filter((_, i) => fieldsOf(i).normalized.designPhase.label === null);
    const periodNull = mapped.filter((_, i) => fieldsOf(i).normalized.period.text === null);
    const enrollmentNull = mapped.filter((trial) => trial.fields.enrollment === null);
    expect([empty('임상시험단계(연구모형)'), empty('연구기간'), empty('전체목표연구대상자수')]).toEqual([
      16, 17, 15,
    ]);
    expect(designNull).toHaveLength(16);
    expect(designNull.every((trial) => trial.fields.phase === null)).toBe(true);
    expect(periodNull).toHaveLength(17);
    expect(enrollmentNull).toHaveLength(15);
  });

  it('codes every label that occurs in the real data, and counts them as the fixture does', () => {
    const tally = (pick: (source: KrIcreatSourceFields) => string | null) => {
      const counts: Record<string, number> = {};
      mapped.forEach((_, i) => {
        const code = pick(fieldsOf(i)) ?? 'null';
        counts[code] = (counts[code] ?? 0) + 1;
      });
      return counts;
    };
    expect(tally((s) => s.normalized.studyType.code)).toEqual({
      OBSERVATIONAL: 100,
      INTERVENTIONAL: 29,
      OTHER: 16,
    });
    expect(tally((s) => s.normalized.scope.code)).toEqual({ MULTICENTER_DOMESTIC: 114, SINGLE_CENTER: 31 });
    expect(tally((s) => s.normalized.designPhase.code)).toEqual({
      COHORT: 68,
      CASE_ONLY: 15,
      CASE_CONTROL: 4,
      CROSS_SECTIONAL: 4,
      OTHER: 9,
      PHASE1: 2,
      PHASE2: 5,
      PHASE3: 5,
      PHASE4: 17,
      null: 16,
    });
  });

  it('gives months only for N년 / N개월 and keeps the text of anything else', () => {
    const periods = mapped.map((_, i) => fieldsOf(i).normalized.period);
    expect(periods.filter((period) => period.text !== null && period.months === null)).toEqual([
      { text: '년', months: null },
      { text: '30', months: null },
    ]);
    expect(periods.filter((period) => period.text === '50년')).toEqual([{ text: '50년', months: 600 }]);
  });

  it('keeps a title that ends in a space in the upstream values and trims the common title', () => {
    const { trial, source } = byId('C150010');
    expect(source.upstream['과제명'].endsWith(' ')).toBe(true);
    expect(trial.fields.title).toBe(source.upstream['과제명'].trim());
  });

  it('is pure: the same input gives the same output and is not modified', () => {
    const input = structuredClone(records[0]!);
    const first = mapKrIcreatRecord(input);
    expect(mapKrIcreatRecord(input)).toEqual(first);
    expect(input).toEqual(records[0]);
  });

  it('has no volatile or unordered paths', () => {
    expect(KR_ICREAT_CANONICAL_RULES).toEqual({ volatilePaths: [], unorderedPaths: [] });
  });
});

describe('mapKrIcreatRecord on records it cannot map', () => {
  const base = records[1]!;

  it('fails the run with SCHEMA_DRIFT naming an unknown column', () => {
    const error = thrown(() => mapKrIcreatRecord({ ...base, '연구내용 요약': '요약' }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SCHEMA_DRIFT');
    expect((error as AppError).message).toContain('"연구내용 요약"');
    expect((error as AppError).details).toEqual({ unknownColumns: ['연구내용 요약'], missingColumns: [] });
  });

  it('fails the run with SCHEMA_DRIFT naming unknown and missing columns of a renamed layout', () => {
    const { 진료과: department, ...rest } = base;
    const error = thrown(() => mapKrIcreatRecord({ ...rest, 진료과명: department }));
    expect((error as AppError).code).toBe('SCHEMA_DRIFT');
    expect((error as AppError).message).toMatch(/unknown columns "진료과명".*missing columns "진료과"/);
    expect((error as AppError).message).toContain('C130011');
  });

  it('treats a record without the 과제번호 column as drift, not as empty values', () => {
    const { 과제번호: _id, ...rest } = base;
    const error = thrown(() => mapKrIcreatRecord(rest));
    expect((error as AppError).code).toBe('SCHEMA_DRIFT');
    expect((error as AppError).message).toContain('missing columns "과제번호"');
  });

  it('skips a record with an empty 과제번호', () => {
    const error = thrown(() => mapKrIcreatRecord({ ...base, 과제번호: '  ' }));
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).recordId).toBeNull();
    expect((error as RecordError).message).toContain('no 과제번호');
  });

  it('skips a record whose values are not all text, naming the columns', () => {
    const error = thrown(() => mapKrIcreatRecord({ ...base, 전체목표연구대상자수: 500, 진료과: null }));
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).recordId).toBe('C130011');
    expect((error as RecordError).message).toContain('전체목표연구대상자수 (number)');
    expect((error as RecordError).message).toContain('진료과 (null)');
  });

  it('skips values that are not objects', () => {
    for (const value of [null, 'C130011', 42, [base]]) {
      expect(thrown(() => mapKrIcreatRecord(value))).toBeInstanceOf(RecordError);
    }
  });
});

describe('normalisers', () => {
  it('reads periods', () => {
    expect(periodMonths('6년')).toBe(72);
    expect(periodMonths('36개월')).toBe(36);
    expect(periodMonths(' 1년 6개월 ')).toBe(18);
    expect(periodMonths('30')).toBeNull();
    expect(periodMonths('년')).toBeNull();
    expect(periodMonths('')).toBeNull();
    expect(periodMonths('6주')).toBeNull();
  });

  it('reads phases and designs, keeping unknown labels without a code', () => {
    expect(designPhaseOf('Phase 1')).toEqual({ code: 'PHASE1', label: 'Phase 1' });
    expect(designPhaseOf('Phase 4')).toEqual({ code: 'PHASE4', label: 'Phase 4' });
    expect(designPhaseOf('Case-control')).toEqual({ code: 'CASE_CONTROL', label: 'Case-control' });
    expect(designPhaseOf('Cross-sectional')).toEqual({ code: 'CROSS_SECTIONAL', label: 'Cross-sectional' });
    expect(designPhaseOf('Phase 1/2')).toEqual({ code: null, label: 'Phase 1/2' });
    expect(designPhaseOf('')).toEqual({ code: null, label: null });
  });
});
