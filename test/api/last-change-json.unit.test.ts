/**
 * A list item's `lastChange` is assembled as text from parts shared between requests
 * (src/api/trial-format.ts `lastChangeJson`) over classifications parsed once per stored text
 * (src/store/change-columns.ts `classificationOf`): the text is exactly `JSON.stringify` of the
 * view, the shared values cannot be changed by a caller, and a stored text that differs is read anew.
 */
import { describe, expect, it } from 'vitest';
import { lastChangeJson, lastChangeView } from '../../src/api/trial-format.js';
import type { ChangeClassification } from '../../src/domain/change.types.js';
import type { ChangeEvent } from '../../src/domain/trial-read.types.js';
import { classificationOf, classificationRow } from '../../src/store/change-columns.js';

const classification: ChangeClassification = {
  changes: [
    { type: 'status', field: 'status', from: 'RECRUITING', to: 'COMPLETED', summary: { en: 'a', ko: '가' } },
    {
      type: 'enrollment',
      field: 'enrollment',
      from: { count: 10, type: null },
      to: { count: 12, type: null },
      summary: { en: 'b', ko: '나' },
    },
    {
      type: 'status',
      field: 'whyStopped',
      from: null,
      to: 'funding "ended" \u2028 ok',
      summary: { en: 'c', ko: '다' },
    },
  ],
  material: true,
  summary: { en: 'Status: Recruiting → Completed', ko: '상태: 모집 중 → 완료' },
};

function event(seq: number, stored: ChangeClassification | null): ChangeEvent {
  const row = stored === null ? { material: null, classification: null } : classificationRow(seq, stored);
  return {
    seq,
    trialId: 'NCT01234567',
    source: 'ctgov',
    version: 2,
    kind: 'updated',
    paths: ['fields.status'],
    occurredAt: 1_700_000_000_123 + seq,
    runId: 7,
    classification: classificationOf(row),
  };
}

describe('lastChange JSON', () => {
  it('is JSON.stringify of the view, classified or not, read once or again', () => {
    const cases = [
      event(1, classification),
      event(2, classification),
      event(3, { ...classification, material: false }),
      event(4, { changes: [], material: false, summary: { en: '', ko: '' } }),
      event(5, null),
    ];
    for (const item of [...cases, ...cases]) {
      expect(lastChangeJson(item)).toBe(JSON.stringify(lastChangeView(item)));
    }
    expect(JSON.parse(lastChangeJson(cases[0]!))).toEqual({
      seq: 1,
      kind: 'updated',
      occurredAt: new Date(1_700_000_000_124).toISOString(),
      types: ['status', 'enrollment'],
      material: true,
      summary: classification.summary,
    });
  });

  it('shares frozen values, and reads a different stored text anew', () => {
    const first = classificationOf(classificationRow(1, classification))!;
    const again = classificationOf(classificationRow(2, classification))!;
    expect(again.changes).toBe(first.changes);
    expect(Object.isFrozen(first.changes[0])).toBe(true);
    expect(() => (first.changes as unknown[]).push({})).toThrow(TypeError);
    const changed = classificationOf(
      classificationRow(1, { ...classification, summary: { en: 'other', ko: '다른' } }),
    )!;
    expect(changed.summary).toEqual({ en: 'other', ko: '다른' });
    expect(changed.changes).toEqual(first.changes);
    // material comes from its own column, not from the shared parse
    expect(
      classificationOf({ material: 0, classification: classificationRow(1, classification).classification })!
        .material,
    ).toBe(false);
  });
});
