import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  RAW_GZIP_LEVEL,
  boundedCompressor,
  compressJson,
  compressJsonAsync,
  decompressJson,
} from '../../src/store/compression.js';

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

  it('writes the same bytes on the thread pool as in line', async () => {
    expect((await compressJsonAsync(record)).equals(compressJson(record))).toBe(true);
  });

  it('compresses everything with a bounded number in flight, and frees the slot of a failure', async () => {
    const compress = boundedCompressor(2);
    const values = Array.from({ length: 20 }, (_, i) => ({ ...record, i }));
    const results = values.map((value) => compress(value));
    const failing = compress({ n: 1n });
    await expect(failing).rejects.toThrow(/BigInt/);
    const buffers = await Promise.all(results);
    buffers.forEach((buffer, i) => expect(decompressJson(buffer)).toEqual(values[i]));
    // The slots are all free again: a single compressor still works after the failure.
    expect(decompressJson(await compress(record))).toEqual(record);
  });

  it('never has more than its concurrency in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const compress = boundedCompressor(3, async (value) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return compressJsonAsync(value);
    });
    const buffers = await Promise.all(Array.from({ length: 25 }, (_, i) => compress({ i })));
    expect(buffers.map((buffer) => decompressJson(buffer))).toEqual(
      Array.from({ length: 25 }, (_, i) => ({ i })),
    );
    expect(most).toBe(3);
  });
});
