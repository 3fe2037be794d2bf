import { gunzipSync, gzipSync } from 'node:zlib';

/** Raw upstream records are stored as gzip-compressed JSON text (level 6: a good size/speed balance). */
export function compressJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 6 });
}

export function decompressJson(bytes: Buffer | Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown;
}
