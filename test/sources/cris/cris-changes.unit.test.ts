/**
 * Issue 17: typed changes of CRIS updates, on the real /detail record (KCT0000145) with its list
 * entry, changed the way the registry changes records.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, diffCanonical } from '../../../src/domain/canonical.js';
import { classifyUpdate } from '../../../src/domain/change-classifier.js';
import { CRIS_CANONICAL_RULES, mapCrisRecord } from '../../../src/sources/cris/cris-mapper.js';
import { CRIS_CHANGES } from '../../../src/sources/cris/cris-changes.js';
import { deriveCrisListItem, realCrisDetailAnswer } from '../../../testkit/fake-cris.js';

type Detail = Record<string, unknown>;

function record(change: (detail: Detail) => void = () => {}) {
  const detail = structuredClone(realCrisDetailAnswer());
  change(detail);
  return { list: deriveCrisListItem(detail), detail };
}

function classify(before: unknown, after: unknown) {
  const diff = diffCanonical(
    canonicalize(before, CRIS_CANONICAL_RULES),
    canonicalize(after, CRIS_CANONICAL_RULES),
  );
  return classifyUpdate(CRIS_CHANGES, mapCrisRecord(before), mapCrisRecord(after), diff);
}

describe('cris typed changes', () => {
  it('a recruitment-status change', () => {
    const before = record((detail) => {
      detail.recruitment_status_kr = '대상자모집중';
      detail.recruitment_status_en = 'Recruiting';
    });
    const result = classify(before, record());
    expect(result.changes).toEqual([
      expect.objectContaining({ type: 'status', field: 'status', from: 'RECRUITING', to: 'COMPLETED' }),
    ]);
    expect(result.summary).toEqual({ en: 'Status: Recruiting → Completed', ko: '상태: 모집 중 → 완료' });
  });

  it('a new update date alone is bookkeeping, not material', () => {
    const result = classify(
      record(),
      record((detail) => (detail.date_updated = '2027/01/05')),
    );
    expect(result.changes.map((change) => change.type)).toEqual(['registry']);
    expect(result.material).toBe(false);
  });

  it('a site added', () => {
    const result = classify(
      record(),
      record((detail) => {
        (detail.research_items as unknown[]).push({ site_name_kr: '서울대학교병원', site_name_en: 'SNUH' });
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({ type: 'sites', from: 1, to: 2, added: ['서울대학교병원'], removed: [] }),
    ]);
  });
});
