/**
 * The benchmark's ClinicalTrials.gov data with mixed changes (`changeMix: 'mixed'`, the api
 * scenario's typed-change filters): each study that changes in a release makes one kind of change,
 * in the shares `MIXED_CHANGE_SHARES` promises, and the harvest's classification names it —
 * status, enrollment, or only the registry's dates (`material: false`).
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, diffCanonical } from '../../src/domain/canonical.js';
import { classifyUpdate } from '../../src/domain/change-classifier.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { CtgovGenerator, MIXED_CHANGE_SHARES, mixedChangeKind } from '../../bench/dataset/ctgov-dataset.js';
import { atRelease, datasetSpec } from '../../bench/dataset/dataset-spec.js';
import { changesIn } from '../../bench/dataset/random.js';

const SEED = 20_240_611;
const rules = ctgovSource.canonicalRules;

function classify(before: unknown, after: unknown): { types: string[]; material: boolean } {
  const diff = diffCanonical(canonicalize(before, rules), canonicalize(after, rules));
  const result = classifyUpdate(ctgovSource.changes, ctgovSource.map(before), ctgovSource.map(after), diff);
  return {
    types: [...new Set(result.changes.map((change) => change.type))].sort(),
    material: result.material,
  };
}

describe('ctgov bench dataset, mixed changes', () => {
  const generator = new CtgovGenerator();

  it('changes each kind in the promised share of the changed studies (100,000 studies, both releases)', () => {
    for (const [release, percent] of [
      [1, 10],
      [2, 5],
    ] as const) {
      const counts = { status: 0, enrollment: 0, registry: 0 };
      let changed = 0;
      for (let index = 0; index < 100_000; index++) {
        if (!changesIn(SEED, index, release, percent)) continue;
        changed++;
        counts[mixedChangeKind(SEED, index, release)]++;
      }
      for (const kind of ['status', 'enrollment', 'registry'] as const) {
        expect(Math.abs((100 * counts[kind]) / changed - MIXED_CHANGE_SHARES[kind])).toBeLessThan(1.5);
      }
    }
  });

  it('agrees with the object path (syntheticStudy) on every template', () => {
    expect(() =>
      generator.verify(atRelease(datasetSpec(1_000, SEED, [10, 5], 'mixed'), 2), 400),
    ).not.toThrow();
  });

  it('classifies each changed study as its kind of change; the others make no version', () => {
    const n = 1_200;
    const spec = datasetSpec(n, SEED, [10, 5], 'mixed');
    const seen = { status: 0, enrollment: 0, registry: 0 };
    for (let index = 0; index < n; index++) {
      const before = JSON.parse(generator.studyJson(atRelease(spec, 1), index)) as unknown;
      const after = JSON.parse(generator.studyJson(atRelease(spec, 2), index)) as unknown;
      if (!changesIn(SEED, index, 2, 5)) {
        // Only the volatile versionHolder moved.
        expect(diffCanonical(canonicalize(before, rules), canonicalize(after, rules))).toEqual([]);
        continue;
      }
      const kind = mixedChangeKind(SEED, index, 2);
      const { types, material } = classify(before, after);
      // A template without a numeric enrollment count gets only the registry's dates.
      const expected =
        kind === 'status'
          ? ['registry', 'status']
          : kind === 'enrollment' && types.includes('enrollment')
            ? ['enrollment', 'registry']
            : ['registry'];
      expect(types, `study ${index}, ${kind}`).toEqual(expected);
      expect(material).toBe(expected.length > 1);
      seen[expected.length === 1 ? 'registry' : kind]++;
    }
    expect(seen.status).toBeGreaterThan(0);
    expect(seen.enrollment).toBeGreaterThan(0);
    expect(seen.registry).toBeGreaterThan(0);
  });

  it('without the mix, a changed study changes its status, enrollment and dates together (as before)', () => {
    const n = 200;
    const spec = datasetSpec(n, SEED, [0, 5]);
    const index = [...Array(n).keys()].find((i) => changesIn(SEED, i, 2, 5))!;
    const before = JSON.parse(generator.studyJson(atRelease(spec, 1), index)) as unknown;
    const after = JSON.parse(generator.studyJson(atRelease(spec, 2), index)) as unknown;
    const changed = classify(before, after).types;
    expect(changed).toContain('registry');
    expect(changed.some((type) => type === 'status' || type === 'enrollment')).toBe(true);
  });
});
