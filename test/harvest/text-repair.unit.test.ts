import { describe, expect, it } from 'vitest';
import type { TextRepairs } from '../../src/harvest/text-repair.js';
import { isStorableText, repairTree, storableText } from '../../src/harvest/text-repair.js';

describe('text no database stores as given', () => {
  it.each([
    ['plain text', 'Phase 2 임상시험', true],
    ['a whole emoji (a surrogate pair)', 'smile 😀', true],
    ['a lone high surrogate', 'cut \ud83d', false],
    ['a lone low surrogate', '\ude00 cut', false],
    ['two high surrogates', '\ud83d\ud83d\ude00', false],
    ['a NUL', 'a\u0000b', false],
  ])('%s', (_label, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
    const repaired = storableText(text);
    expect(isStorableText(repaired)).toBe(true);
    if (storable) expect(repaired).toBe(text);
    else expect(repaired).toContain('\uFFFD');
  });

  it('repairs every string and key of a tree, lists where, and leaves clean parts as they are', () => {
    const clean = { b: ['x', 'y'] };
    const tree = { title: 'cut \ud83d', clean, list: ['ok', 'n\u0000l'], ['k\u0000']: 1 };
    const repairs: TextRepairs = { count: 0, paths: [] };
    const out = repairTree(tree, 'doc', repairs) as Record<string, unknown>;
    expect(out).toEqual({ title: 'cut \uFFFD', clean, list: ['ok', 'n\uFFFDl'], ['k\uFFFD']: 1 });
    expect(Object.keys(out)).toEqual(['title', 'clean', 'list', 'k\uFFFD']);
    expect(out.clean).toBe(clean);
    expect(repairs).toEqual({ count: 3, paths: ['doc.title', 'doc.list[1]', 'doc.k\uFFFD (key)'] });
    const untouched = { a: 'fine', b: [1, null, { c: '😀' }] };
    expect(repairTree(untouched, 'doc', repairs)).toBe(untouched);
  });
});
