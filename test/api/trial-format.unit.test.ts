/**
 * The trial JSON the API assembles as text (src/api/trial-format.ts): `labels` read from the
 * stored document's text agree with the labels of its parsed fields, whatever text the fields
 * hold and whichever layout the document was written in.
 */
import { describe, expect, it } from 'vitest';
import { trialJson } from '../../src/api/trial-format.js';
import type { TrialRecord } from '../../src/domain/trial-read.types.js';
import type { TrialFields } from '../../src/domain/trial.types.js';
import { emptyTrialFields } from '../../src/domain/trial.types.js';

function record(docJson: string): TrialRecord {
  return {
    id: 'NCT01234567',
    source: 'ctgov',
    version: 1,
    firstSeenAt: 0,
    lastSeenAt: 0,
    lastChangedAt: 0,
    changeSeq: 1,
    removedAt: null,
    sourceUpdatedAt: null,
    docJson,
  };
}

const labelsOf = (docJson: string) =>
  (JSON.parse(trialJson(record(docJson))) as { labels: unknown; fields: TrialFields }).labels;

const fields = (patch: Partial<TrialFields>): TrialFields => ({ ...emptyTrialFields(), ...patch });

describe('labels in the trial JSON', () => {
  it('labels the codes of the harvest layout', () => {
    const doc = JSON.stringify({
      fields: fields({ status: 'RECRUITING', phase: 'PHASE1/PHASE2', studyType: 'INTERVENTIONAL' }),
      sourceFields: {},
    });
    expect(labelsOf(doc)).toEqual({
      status: { en: 'Recruiting', ko: '모집 중' },
      phase: { en: 'Phase 1/2', ko: '1/2상' },
      studyType: { en: 'Interventional', ko: '중재 연구' },
    });
  });

  it('is not misled by look-alike text in the fields or codes in the source fields', () => {
    const titles = ['","status":"WITHDRAWN', '{"phase":"PHASE4"}', 'a\\', '\\",\\"studyType\\":\\"OTHER'];
    for (const title of titles) {
      const doc = JSON.stringify({
        fields: fields({ title, acronym: `x","status":"SUSPENDED`, status: null, phase: 'NA' }),
        sourceFields: {
          status: 'TERMINATED',
          phase: 'PHASE3',
          studyType: 'OBSERVATIONAL',
          nested: { status: 'X' },
        },
      });
      expect(labelsOf(doc), title).toEqual({
        status: null,
        phase: { en: 'Not applicable', ko: '해당 없음' },
        studyType: null,
      });
    }
  });

  it('reads a document written in another layout through a parse', () => {
    const doc = JSON.stringify({
      sourceFields: { status: 'TERMINATED' },
      fields: { ...fields({ status: 'COMPLETED', studyType: 'OBSERVATIONAL' }) },
    });
    const spaced = JSON.stringify(
      { fields: fields({ status: 'WITHDRAWN' }), sourceFields: { phase: 'PHASE2' } },
      null,
      2,
    );
    expect(labelsOf(doc)).toEqual({
      status: { en: 'Completed', ko: '완료' },
      phase: null,
      studyType: { en: 'Observational', ko: '관찰 연구' },
    });
    expect(labelsOf(spaced)).toEqual({
      status: { en: 'Withdrawn', ko: '철회' },
      phase: null,
      studyType: null,
    });
  });
});
