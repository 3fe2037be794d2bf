import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRules } from '../../src/domain/canonical.js';
import {
  CanonicalSerializer,
  NO_RULES,
  canonicalJson,
  canonicalize,
  contentHash,
} from '../../src/domain/canonical.js';
import { CRIS_CANONICAL_RULES } from '../../src/sources/cris/cris-mapper.js';
import { CTGOV_CANONICAL_RULES } from '../../src/sources/ctgov/ctgov-mapper.js';
import { KR_ICREAT_CANONICAL_RULES } from '../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { realCrisListItems, realCrisTrials } from '../../testkit/fake-cris.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { loadKrSnapshotRecords } from '../../testkit/fake-upstream.js';

/** The reference: the tree walker followed by the tree serialiser, as every stored hash was made. */
function reference(value: unknown, rules: CanonicalRules): string {
  return canonicalJson(canonicalize(value, rules));
}

function expectSame(records: readonly unknown[], rules: CanonicalRules): void {
  const serializer = new CanonicalSerializer(rules);
  for (const record of records) {
    expect(serializer.text(record)).toBe(reference(record, rules));
    expect(serializer.hash(record)).toBe(contentHash(canonicalize(record, rules)));
  }
}

describe('CanonicalSerializer against canonicalize + canonicalJson', () => {
  it('writes the same bytes for all 200 real ClinicalTrials.gov studies', () => {
    const studies = ctgovFixtureIds().map((id) => ctgovFixture(id));
    expect(studies).toHaveLength(200);
    expectSame(studies, CTGOV_CANONICAL_RULES);
    expectSame(studies, NO_RULES);
    // The rules matter on these records: the volatile field is really there and really dropped.
    const serializer = new CanonicalSerializer(CTGOV_CANONICAL_RULES);
    const withHolder = studies.filter((study) => JSON.stringify(study).includes('"versionHolder"'));
    expect(withHolder.length).toBeGreaterThan(0);
    for (const study of withHolder) expect(serializer.text(study)).not.toContain('"versionHolder"');
  });

  it('writes the same bytes for the real kr-icreat snapshot and CRIS records', () => {
    const kr = loadKrSnapshotRecords();
    expect(kr.length).toBe(145);
    expectSame(kr, KR_ICREAT_CANONICAL_RULES);
    const cris = [...realCrisTrials(), ...realCrisListItems()];
    expectSame(cris, CRIS_CANONICAL_RULES);
    expectSame(cris, NO_RULES);
  });

  it('sorts unordered lists and drops volatile paths exactly where the walker does', () => {
    const rules: CanonicalRules = {
      volatilePaths: ['a.v', 'list[].v', 'a.b'],
      unorderedPaths: ['set', 'a.set', 'list[].set', 'nested[]'],
    };
    const value = {
      'a.v': 'a top-level key that spells a rule path',
      a: { v: 1, b: 2, set: [3, 1, 2], 'x.y': 0 },
      set: [{ z: 1 }, { a: 2 }, 'b', 'a', null, 10, 9, [2, 1]],
      list: [{ v: 1, set: ['b', 'a'], keep: true }, { v: 2 }, 'x'],
      nested: [
        [2, 1],
        [1, 2],
      ],
      other: { set: [2, 1], v: 3 },
      odd: [undefined, () => 1, Symbol('s'), Number.NaN, Infinity, -0, 10n],
      skipped: undefined,
      '': 'empty key',
      한글: '값',
    };
    expectSame([value], rules);
    expect(new CanonicalSerializer(rules).text(value)).toBe(reference(value, rules));
    expect(new CanonicalSerializer(rules).text(undefined)).toBe('null');
    expect(new CanonicalSerializer(rules).text(value.set)).toBe(reference(value.set, rules));
  });

  it('keeps the walker’s handling of a __proto__ key from hostile input', () => {
    const hostile = JSON.parse('{"b":1,"__proto__":{"x":1},"a":{"__proto__":2,"c":3}}') as unknown;
    expectSame([hostile], NO_RULES);
  });

  it('agrees on arbitrary JSON values and rule paths (property)', () => {
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'a.b', '[]', 'b[]', '__proto__', '', '10', '2', 'é', '한'),
      fc.string({ maxLength: 4 }),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, false, 0, -0, 1.5, 1e21, 'x', 'y', ''),
        fc.string({ unit: 'grapheme', maxLength: 6 }),
        fc.double(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    const path = fc
      .array(fc.constantFrom('a', 'b', 'c', 'a.b', '10', '[]'), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join('.').replace(/\.\[\]/g, '[]'));
    const rules = fc.record({
      volatilePaths: fc.array(path, { maxLength: 3 }),
      unorderedPaths: fc.array(path, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(json, rules, (value, someRules) => {
        expect(new CanonicalSerializer(someRules).text(value)).toBe(reference(value, someRules));
      }),
      { numRuns: 2000 },
    );
  });
});
