/** The code vocabulary (src/domain/labels.ts): labels of known, joined, unknown and absent codes. */
import { describe, expect, it } from 'vitest';
import { codeLabel, codeLabels, isLabelledCode, labelOf } from '../../src/domain/labels.js';

describe('code labels', () => {
  it('labels known codes in English and Korean', () => {
    expect(labelOf('status', 'ACTIVE_NOT_RECRUITING')).toEqual({
      en: 'Active, not recruiting',
      ko: '진행 중(모집 완료)',
    });
    expect(labelOf('phase', 'PHASE1/PHASE2')).toEqual({ en: 'Phase 1/2', ko: '1/2상' });
    expect(labelOf('phase', 'CROSS_SECTIONAL')).toEqual({ en: 'Cross-sectional', ko: '단면 연구' });
    expect(labelOf('studyType', 'EXPANDED_ACCESS')).toEqual({ en: 'Expanded access', ko: '확대 접근' });
  });

  it('labels phases joined beyond the table, and only phases', () => {
    expect(labelOf('phase', 'PHASE1/PHASE2/PHASE3')).toEqual({ en: 'Phase 1/2/3', ko: '1/2/3상' });
    expect(labelOf('phase', 'PHASE1/COHORT')).toEqual({ en: 'PHASE1/COHORT', ko: 'PHASE1/COHORT' });
    expect(labelOf('status', 'PHASE1/PHASE2')).toEqual({ en: 'PHASE1/PHASE2', ko: 'PHASE1/PHASE2' });
  });

  it('shows an unknown code as itself; no code is "none" in summaries and null in the API', () => {
    expect(labelOf('status', 'ON_HOLD')).toEqual({ en: 'ON_HOLD', ko: 'ON_HOLD' });
    expect(labelOf('status', null)).toEqual({ en: 'none', ko: '없음' });
    expect(codeLabel('status', null)).toBeNull();
    expect(codeLabels({ status: 'RECRUITING', phase: null, studyType: 'OBSERVATIONAL' })).toEqual({
      status: { en: 'Recruiting', ko: '모집 중' },
      phase: null,
      studyType: { en: 'Observational', ko: '관찰 연구' },
    });
  });

  it('knows which fields hold labelled codes', () => {
    expect(['status', 'phase', 'studyType', 'institution', 'hasResults'].filter(isLabelledCode)).toEqual([
      'status',
      'phase',
      'studyType',
    ]);
  });
});
