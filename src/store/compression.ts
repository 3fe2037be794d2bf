import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';

/**
 * Raw upstream records are stored as gzip-compressed JSON text. Level 3 (zlib's fast strategy):
 * on the real ClinicalTrials.gov studies it takes about 2.2× less time than level 6 for about 7%
 * more bytes (bench/BASELINE.md). Rows written at any level read back the same way.
 */
export const RAW_GZIP_LEVEL = 3;

export function compressJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: RAW_GZIP_LEVEL });
}

const gzipAsync = promisify(gzip);

/**
 * `compressJson` with the compression itself on libuv's thread pool, so that a batch's records
 * compress in parallel with each other and with the caller's other work. Same bytes.
 */
export async function compressJsonAsync(value: unknown): Promise<Buffer> {
  return gzipAsync(Buffer.from(JSON.stringify(value), 'utf8'), { level: RAW_GZIP_LEVEL });
}

export function decompressJson(bytes: Buffer | Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown;
}
