import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../src/config/env-reader.js';
import { isSourceId, REGISTRY_ID_PATTERNS, SOURCE_IDS } from '../../src/domain/trial.types.js';
import { findSource, SOURCE_ADAPTERS } from '../../src/sources/registry.js';

describe('the source registry', () => {
  it('has one adapter per declared source, in the declared order, each under its own id', () => {
    expect(SOURCE_IDS).toEqual(['kr-icreat', 'ctgov', 'cris']);
    expect(SOURCE_ADAPTERS.map((adapter) => adapter.id)).toEqual(SOURCE_IDS);
    for (const id of SOURCE_IDS) expect(findSource(id)?.id).toBe(id);
    expect(isSourceId('ctgov')).toBe(true);
    expect(isSourceId('nope')).toBe(false);
    expect(isSourceId('toString')).toBe(false);
  });

  it('derives the registry id patterns of the sources other records link to', () => {
    expect(REGISTRY_ID_PATTERNS.map(({ source, pattern }) => [source, pattern.source])).toEqual([
      ['ctgov', '^NCT\\d{8}$'],
      ['cris', '^KCT\\d{7}$'],
    ]);
  });

  it('declares secret keys that are settings of the source', () => {
    for (const adapter of SOURCE_ADAPTERS) {
      const config = adapter.parseConfig(new EnvReader({}), true);
      for (const key of adapter.secretKeys) expect(Object.keys(config), adapter.id).toContain(key);
    }
    expect(findSource('kr-icreat')?.secretKeys).toEqual(['serviceKey']);
    expect(findSource('cris')?.secretKeys).toEqual(['serviceKey']);
    expect(findSource('ctgov')?.secretKeys).toEqual([]);
  });
});
