/**
 * Issue 17: typed changes of kr-icreat updates, on a real record of the 2021-11 snapshot changed
 * the way a newer file version changes it (study period, enrollment, institution).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, diffCanonical } from '../../../src/domain/canonical.js';
import { classifyUpdate } from '../../../src/domain/change-classifier.js';
import { krIcreatSource } from '../../../src/sources/kr-icreat/kr-icreat-source.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';

type Row = Record<string, string>;

function snapshotRow(id: string): Row {
  const file = join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json');
  const rows = (JSON.parse(readFileSync(file, 'utf8')) as { data: Row[] }).data;
  const row = rows.find((item) => item['과제번호'] === id);
  if (row === undefined) throw new Error(`no ${id} in the snapshot`);
  return row;
}

function classify(before: Row, after: Row) {
  const rules = krIcreatSource.canonicalRules;
  const diff = diffCanonical(canonicalize(before, rules), canonicalize(after, rules));
  return classifyUpdate(krIcreatSource.changes, krIcreatSource.map(before), krIcreatSource.map(after), diff);
}

describe('kr-icreat typed changes', () => {
  const before = snapshotRow('C130010');

  it('a longer study period, a new enrollment target and another institution', () => {
    const after = { ...before, 연구기간: '5년', 전체목표연구대상자수: '150', 연구책임기관: '서울대학교병원' };
    const result = classify(before, after);
    expect(result.changes).toEqual([
      expect.objectContaining({
        type: 'enrollment',
        from: { count: 120, type: null },
        to: { count: 150, type: null },
      }),
      expect.objectContaining({
        type: 'dates',
        field: 'period',
        from: { date: '3년', type: null },
        to: { date: '5년', type: null },
      }),
      expect.objectContaining({
        type: 'sponsor',
        added: ['서울대학교병원 (Pediatrics)'],
        removed: ['서울아산병원 (Pediatrics)'],
      }),
    ]);
    expect(result.material).toBe(true);
    expect(result.summary.ko).toBe(
      '대상자 수: 120명 → 150명; 연구 기간: 3년 → 5년; 후원 기관 1개 추가, 1개 삭제',
    );
  });

  it('a design change names the phase with its label', () => {
    const after = { ...before, '임상시험단계(연구모형)': 'Phase 2' };
    const result = classify(before, after);
    expect(result.changes).toEqual([
      expect.objectContaining({ type: 'design', field: 'phase', from: 'COHORT', to: 'PHASE2' }),
    ]);
    expect(result.summary).toEqual({ en: 'Phase: Cohort → Phase 2', ko: '단계: 코호트 → 2상' });
  });
});
