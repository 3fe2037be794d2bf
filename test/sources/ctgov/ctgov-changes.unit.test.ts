/**
 * Issue 17: typed changes of ClinicalTrials.gov updates, on a real study changed the way the
 * registry changes studies. Each case names exactly the types it must give, with from/to.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, diffCanonical } from '../../../src/domain/canonical.js';
import { classifyUpdate } from '../../../src/domain/change-classifier.js';
import type { ChangeClassification } from '../../../src/domain/change.types.js';
import { ctgovSource } from '../../../src/sources/ctgov/ctgov-source.js';
import { ctgovFixture } from '../../../testkit/fake-ctgov.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The real study (UNKNOWN status, estimated enrollment and dates, one site, no results). */
function base(): Study {
  return ctgovFixture('NCT00399243');
}

function classify(before: Study, after: Study): ChangeClassification {
  const rules = ctgovSource.canonicalRules;
  const diff = diffCanonical(canonicalize(before, rules), canonicalize(after, rules));
  return classifyUpdate(ctgovSource.changes, ctgovSource.map(before), ctgovSource.map(after), diff);
}

function changed(mutate: (study: Study) => void, start: (study: Study) => void = () => {}) {
  const before = base();
  start(before);
  const after = structuredClone(before);
  mutate(after);
  return classify(before, after);
}

const status = (study: Study): Study => study.protocolSection.statusModule as Study;

describe('ctgov typed changes', () => {
  it('a status change with whyStopped', () => {
    const result = changed(
      (study) => {
        status(study).overallStatus = 'TERMINATED';
        status(study).whyStopped = 'Sponsor decision';
      },
      (study) => (status(study).overallStatus = 'RECRUITING'),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        type: 'status',
        field: 'status',
        from: 'RECRUITING',
        to: 'TERMINATED',
        whyStopped: 'Sponsor decision',
      }),
    ]);
    expect(result.material).toBe(true);
    expect(result.summary.en).toBe('Status: Recruiting → Terminated (why stopped: Sponsor decision)');
    expect(result.summary.ko).toBe('상태: 모집 중 → 조기 종료 (중단 사유: Sponsor decision)');
  });

  it('a status change without whyStopped', () => {
    const result = changed(
      (study) => (status(study).overallStatus = 'COMPLETED'),
      (study) => (status(study).overallStatus = 'ACTIVE_NOT_RECRUITING'),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({ type: 'status', from: 'ACTIVE_NOT_RECRUITING', to: 'COMPLETED' }),
    ]);
    expect(result.changes[0]).not.toHaveProperty('whyStopped');
  });

  it('an enrollment change from ESTIMATED to ACTUAL', () => {
    const result = changed((study) => {
      study.protocolSection.designModule.enrollmentInfo = { count: 18, type: 'ACTUAL' };
    });
    expect(result.changes).toEqual([
      expect.objectContaining({
        type: 'enrollment',
        from: { count: 20, type: 'ESTIMATED' },
        to: { count: 18, type: 'ACTUAL' },
      }),
    ]);
    expect(result.summary.en).toBe('Enrollment: 20 (estimated) → 18 (actual)');
  });

  it('a completion date that becomes ACTUAL', () => {
    const result = changed((study) => {
      status(study).completionDateStruct = { date: '2010-09-30', type: 'ACTUAL' };
    });
    expect(result.changes).toEqual([
      expect.objectContaining({
        type: 'dates',
        field: 'completion',
        from: { date: '2010-08', type: 'ESTIMATED' },
        to: { date: '2010-09-30', type: 'ACTUAL' },
      }),
    ]);
    expect(result.summary.ko).toBe('종료일: 2010-08 (예정) → 2010-09-30 (실제)');
  });

  it('two sites added and one removed', () => {
    const site = (facility: string, city: string) => ({ facility, city, country: 'United States' });
    const result = changed(
      (study) => {
        const module = study.protocolSection.contactsLocationsModule;
        module.locations = [
          module.locations[0],
          site('Mayo Clinic', 'Rochester'),
          site('UCSF', 'San Francisco'),
        ];
      },
      (study) => {
        (study.protocolSection.contactsLocationsModule.locations as unknown[]).push(
          site('Old Site', 'Boston'),
        );
      },
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        type: 'sites',
        from: 2,
        to: 3,
        added: ['Mayo Clinic, Rochester, United States', 'UCSF, San Francisco, United States'],
        removed: ['Old Site, Boston, United States'],
      }),
    ]);
    expect(result.summary.en).toBe('2 sites added, 1 removed');
    expect(result.summary.ko).toBe('연구 기관 2개 추가, 1개 삭제');
  });

  it('results posted', () => {
    const result = changed((study) => {
      study.hasResults = true;
      study.resultsSection = { participantFlowModule: { recruitmentDetails: 'All enrolled' } };
      status(study).resultsFirstPostDateStruct = { date: '2011-01-01', type: 'ACTUAL' };
    });
    expect(result.changes).toEqual([
      expect.objectContaining({ type: 'results', field: 'hasResults', from: false, to: true }),
    ]);
    expect(result.summary).toEqual({ en: 'Results posted', ko: '결과 게시' });
  });

  it('re-ordered MeSH data is no change; re-computed MeSH data is bookkeeping', () => {
    const reordered = base();
    reordered.derivedSection.conditionBrowseModule.ancestors.reverse();
    const rules = ctgovSource.canonicalRules;
    expect(diffCanonical(canonicalize(base(), rules), canonicalize(reordered, rules))).toEqual([]);

    const result = changed((study) => {
      study.derivedSection.conditionBrowseModule.meshes.push({ id: 'D006261', term: 'Headache' });
    });
    expect(result.changes.map((change) => change.type)).toEqual(['registry']);
    expect(result.material).toBe(false);
  });

  it('an update of the last-update dates only is not material', () => {
    const result = changed((study) => {
      status(study).lastUpdateSubmitDate = '2009-03-01';
      status(study).lastUpdatePostDateStruct = { date: '2009-03-04', type: 'ACTUAL' };
    });
    expect(result.changes).toEqual([expect.objectContaining({ type: 'registry' })]);
    expect(result.material).toBe(false);
    expect(result.summary.en).toBe('Registry bookkeeping only');
  });

  it('several changes: in type order, bookkeeping last, the summary names three content changes', () => {
    const result = changed((study) => {
      status(study).lastUpdateSubmitDate = '2009-03-01';
      status(study).overallStatus = 'COMPLETED';
      study.protocolSection.designModule.enrollmentInfo = { count: 18, type: 'ACTUAL' };
      status(study).completionDateStruct = { date: '2010-09-30', type: 'ACTUAL' };
      study.protocolSection.eligibilityModule.sex = 'FEMALE';
    });
    expect(result.changes.map((change) => change.type)).toEqual([
      'status',
      'enrollment',
      'dates',
      'eligibility',
      'registry',
    ]);
    expect(result.material).toBe(true);
    expect(result.summary.en).toMatch(/; and 1 more$/);
    expect(result.summary.en).not.toContain('bookkeeping');
  });

  it('a status change with new last-update dates: the summary is the status change alone', () => {
    const result = changed((study) => {
      status(study).lastUpdatePostDateStruct = { date: '2009-03-04', type: 'ACTUAL' };
      status(study).overallStatus = 'TERMINATED';
    });
    expect(result.changes.map((change) => [change.type, change.summary.en])).toEqual([
      ['status', expect.stringMatching(/^Status: .* → Terminated$/)],
      ['registry', 'Registry bookkeeping'],
    ]);
    expect(result.summary).toEqual(result.changes[0]!.summary);
  });
});
