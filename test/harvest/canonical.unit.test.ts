import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalJson, contentHash, diffCanonical } from '../../src/domain/canonical.js';

describe('canonicalize', () => {
  it('sorts keys at every level so key order never changes the hash', () => {
    const a = { b: 1, a: { y: [1, 2], x: 'k' } };
    const b = { a: { x: 'k', y: [1, 2] }, b: 1 };
    expect(canonicalJson(canonicalize(a))).toBe('{"a":{"x":"k","y":[1,2]},"b":1}');
    expect(contentHash(canonicalize(a))).toBe(contentHash(canonicalize(b)));
  });

  it('removes volatile paths and keeps everything else', () => {
    const rules = { volatilePaths: ['derived.misc.versionHolder'], unorderedPaths: [] };
    const v1 = { derived: { misc: { versionHolder: '2024-01-01', other: 1 } } };
    const v2 = { derived: { misc: { versionHolder: '2025-05-05', other: 1 } } };
    expect(contentHash(canonicalize(v1, rules))).toBe(contentHash(canonicalize(v2, rules)));
    expect(canonicalize(v1, rules)).toEqual({ derived: { misc: { other: 1 } } });
  });

  it('sorts only the arrays declared unordered, including arrays inside arrays', () => {
    const rules = { volatilePaths: [], unorderedPaths: ['meshes', 'groups[].items'] };
    const value = { meshes: [{ id: 'b' }, { id: 'a' }], ordered: [3, 1, 2], groups: [{ items: ['z', 'y'] }] };
    expect(canonicalize(value, rules)).toEqual({
      groups: [{ items: ['y', 'z'] }],
      meshes: [{ id: 'a' }, { id: 'b' }],
      ordered: [3, 1, 2],
    });
  });

  it('drops undefined and turns non-finite numbers into null', () => {
    expect(canonicalize({ a: undefined, b: Number.NaN, c: [undefined] })).toEqual({ b: null, c: [null] });
  });

  it('keeps strings byte for byte (trailing spaces are content)', () => {
    expect(contentHash(canonicalize({ t: 'x ' }))).not.toBe(contentHash(canonicalize({ t: 'x' })));
  });
});

describe('diffCanonical', () => {
  it('names changed paths with old and new values', () => {
    const before = { protocolSection: { statusModule: { overallStatus: 'RECRUITING' } }, n: 1 };
    const after = { protocolSection: { statusModule: { overallStatus: 'COMPLETED' } }, n: 1 };
    expect(diffCanonical(before, after)).toEqual([
      { path: 'protocolSection.statusModule.overallStatus', old: 'RECRUITING', new: 'COMPLETED' },
    ]);
  });

  it('reports added and removed keys and array elements', () => {
    const changes = diffCanonical({ a: 1, list: [1, 2, 3] }, { b: 2, list: [1, 5] });
    expect(changes).toEqual([
      { path: 'a', old: 1 },
      { path: 'b', new: 2 },
      { path: 'list[1]', old: 2, new: 5 },
      { path: 'list[2]', old: 3 },
    ]);
  });

  it('quotes keys that would make a path ambiguous and keeps Korean keys readable', () => {
    expect(
      diffCanonical(
        { '임상시험단계(연구모형)': '코호트', 'a.b': 1 },
        { '임상시험단계(연구모형)': 'Phase 2', 'a.b': 2 },
      ),
    ).toEqual([
      { path: '"a.b"', old: 1, new: 2 },
      { path: '임상시험단계(연구모형)', old: '코호트', new: 'Phase 2' },
    ]);
  });

  it('finds nothing between equal values and compares type changes as a whole', () => {
    expect(diffCanonical({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffCanonical({ a: { x: 1 } }, { a: 'x' })).toEqual([{ path: 'a', old: { x: 1 }, new: 'x' }]);
    expect(diffCanonical('a', 'b')).toEqual([{ path: '$', old: 'a', new: 'b' }]);
  });
});
