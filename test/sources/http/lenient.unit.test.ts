import { describe, expect, it } from 'vitest';
import { isPlainObject } from '../../../src/domain/json.js';
import { decodeServiceKey, headcountOf, toCount } from '../../../src/sources/http/lenient.js';

describe('lenient readers', () => {
  it('reads counts from numbers and numeric strings only', () => {
    expect(toCount(145)).toBe(145);
    expect(toCount(' 145 ')).toBe(145);
    expect(toCount(-1)).toBeUndefined();
    expect(toCount('1.5')).toBeUndefined();
    expect(toCount(null)).toBeUndefined();
  });

  it('reads head counts written as numbers or text', () => {
    expect(headcountOf('500')).toBe(500);
    expect(headcountOf(12)).toBe(12);
    expect(headcountOf('1,200')).toBe(1200);
    expect(headcountOf('120명')).toBe(120);
    expect(headcountOf('')).toBeNull();
    expect(headcountOf('약 100')).toBeNull();
    expect(headcountOf('-5')).toBeNull();
    expect(headcountOf(1.5)).toBeNull();
  });

  it('decodes an already encoded service key once, so it is encoded exactly once on the wire', () => {
    expect(decodeServiceKey('ab%2Bc%2Fd%3D%3D')).toBe('ab+c/d==');
    expect(decodeServiceKey('ab+c/d==')).toBe('ab+c/d==');
    expect(decodeServiceKey('100%')).toBe('100%');
  });

  it('tells plain objects from arrays and null', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
  });
});
