import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';

/**
 * Raw upstream records are stored as gzip-compressed JSON text. Level 3 (zlib's fast strategy):
 * on the real ClinicalTrials.gov studies it takes about 2.2× less time than level 6 for about 7%
 * more bytes (bench/BASELINE.md). Rows written at any level read back the same way.
 */
export const RAW_GZIP_LEVEL = 3;

export function compressJson(value: unknown): Buffer {
  return compressBytes(Buffer.from(JSON.stringify(value), 'utf8'));
}

/** A record's JSON as UTF-8 bytes (as the upstream sent it, or as JSON.stringify wrote it), compressed. */
export function compressBytes(json: Uint8Array): Buffer {
  return gzipSync(json, { level: RAW_GZIP_LEVEL });
}

const gzipAsync = promisify(gzip);

/**
 * `compressBytes` with the compression itself on libuv's thread pool, so that a batch's records
 * compress in parallel with each other and with the caller's other work. Same bytes.
 */
export async function compressBytesAsync(json: Uint8Array): Promise<Buffer> {
  return gzipAsync(json, { level: RAW_GZIP_LEVEL });
}

/**
 * `compressBytesAsync` with at most `concurrency` records in flight: each one in flight holds
 * about 300 KB of zlib state, so a batch of 500 started at once would hold over 150 MB. Four
 * matches libuv's default thread pool.
 */
export function boundedCompressor(
  concurrency = 4,
  compress: (json: Uint8Array) => Promise<Buffer> = compressBytesAsync,
): (json: Uint8Array) => Promise<Buffer> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (text) => {
    if (active < concurrency) active++;
    // A finishing compression hands its slot straight to the next waiting one.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await compress(text);
    } finally {
      const next = waiting.shift();
      if (next === undefined) active--;
      else next();
    }
  };
}

export function decompressJson(bytes: Buffer | Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown;
}
