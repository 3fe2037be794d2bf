import { gunzipSync, gzipSync } from 'node:zlib';

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

export function decompressJson(bytes: Buffer | Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown;
}
