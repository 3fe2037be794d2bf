import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RAW_GZIP_LEVEL, compressBytes, compressJson, decompressJson } from '../../src/store/compression.js';

const record = {
  id: 'NCT00000001',
  title: '임상 시험 '.repeat(50),
  list: Array.from({ length: 50 }, (_, i) => i),
};

describe('raw record compression', () => {
  it('reads rows written at the old level 6 and at the current level alike', () => {
    const old = gzipSync(Buffer.from(JSON.stringify(record), 'utf8'), { level: 6 });
    expect(decompressJson(old)).toEqual(record);
    expect(decompressJson(compressJson(record))).toEqual(record);
    expect(RAW_GZIP_LEVEL).toBeLessThan(6);
  });

  it('writes the same bytes from a value or from its JSON bytes', () => {
    const json = Buffer.from(JSON.stringify(record), 'utf8');
    expect(compressBytes(json).equals(compressJson(record))).toBe(true);
    // A record's JSON as the upstream sent it (spacing and all), even a view into a larger page,
    // reads back as the same value.
    const page = Buffer.from(`{"studies":[${JSON.stringify(record, null, 2)}]}`, 'utf8');
    expect(decompressJson(compressBytes(page.subarray(12, page.length - 2)))).toEqual(record);
  });
});
