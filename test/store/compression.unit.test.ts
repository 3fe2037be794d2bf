import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  RAW_GZIP_LEVEL,
  boundedCompressor,
  compressJson,
  compressBytes,
  compressBytesAsync,
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

  it('writes the same bytes on the thread pool as in line, from a value or from its text', async () => {
    const json = Buffer.from(JSON.stringify(record), 'utf8');
    expect((await compressBytesAsync(json)).equals(compressJson(record))).toBe(true);
    expect(compressBytes(json).equals(compressJson(record))).toBe(true);
    // A record's JSON as the upstream sent it (spacing and all), even a view into a larger page,
    // reads back as the same value.
    const page = Buffer.from(`{"studies":[${JSON.stringify(record, null, 2)}]}`, 'utf8');
    expect(decompressJson(compressBytes(page.subarray(12, page.length - 2)))).toEqual(record);
  });

  it('compresses everything with a bounded number in flight, and frees the slot of a failure', async () => {
    const bytes = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
    const compress = boundedCompressor(2, async (json) => {
      if (json.length === 0) throw new Error('cannot compress this one');
      return compressBytesAsync(json);
    });
    const values = Array.from({ length: 20 }, (_, i) => ({ ...record, i }));
    const results = values.map((value) => compress(bytes(value)));
    const failing = compress(new Uint8Array(0));
    await expect(failing).rejects.toThrow(/cannot compress/);
    const buffers = await Promise.all(results);
    buffers.forEach((buffer, i) => expect(decompressJson(buffer)).toEqual(values[i]));
    // The slots are all free again: a single compressor still works after the failure.
    expect(decompressJson(await compress(bytes(record)))).toEqual(record);
  });

  it('never has more than its concurrency in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const compress = boundedCompressor(3, async (json) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return compressBytesAsync(json);
    });
    const buffers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => compress(Buffer.from(JSON.stringify({ i }), 'utf8'))),
    );
    expect(buffers.map((buffer) => decompressJson(buffer))).toEqual(
      Array.from({ length: 25 }, (_, i) => ({ i })),
    );
    expect(most).toBe(3);
  });
});
