import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Charsets the Korean registries' older servers may declare; all read as CP949 (a superset of EUC-KR). */
const KOREAN_CHARSETS = new Set([
  'euc-kr',
  'cp949',
  'ms949',
  'windows-949',
  'x-windows-949',
  'ks_c_5601-1987',
  'ks_c_5601',
  'ksc5601',
]);
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

export type BodyDecoding = { ok: true; text: string } | { ok: false; problem: string };

/** The `charset` parameter of a Content-Type, lower-cased, or undefined when none is declared. */
export function declaredCharset(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** Byte offset of the first character a lenient decoding had to replace (for messages only). */
function firstBadByte(lenient: string, encode: (prefix: string) => number): number {
  const index = lenient.indexOf('\uFFFD');
  return index < 0 ? 0 : encode(lenient.slice(0, index));
}

/** Whether the body is read as UTF-8 (no charset declared, or a UTF-8 one). */
export function isUtf8Declared(contentType: string): boolean {
  const charset = declaredCharset(contentType);
  return charset === undefined || UTF8_CHARSETS.has(charset);
}

/** Bytes of a UTF-8 byte order mark at the start of the body (0 or 3). */
export function utf8BomLength(body: Uint8Array): number {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

function notUtf8(body: Buffer): BodyDecoding {
  const at = firstBadByte(body.toString('utf8'), (prefix) => Buffer.byteLength(prefix));
  return {
    ok: false,
    problem: `a body that is not valid UTF-8 (${body.length} bytes, the first bad byte at offset ${at})`,
  };
}

/**
 * Checks that an upstream body decodes by its declared charset, as `decodeUpstreamBody` would,
 * without decoding a UTF-8 body (a validity check of the bytes is much cheaper than making the
 * string, which the caller may not need whole). `text` is set when the check decoded it anyway
 * (a legacy charset).
 */
export function checkUpstreamBody(
  body: Buffer,
  contentType: string,
): { ok: true; text?: string } | { ok: false; problem: string } {
  if (isUtf8Declared(contentType)) return isUtf8(body) ? { ok: true } : notUtf8(body);
  return decodeUpstreamBody(body, contentType);
}

/**
 * Decodes an upstream body by its declared charset, refusing to guess: UTF-8 (the default, as JSON
 * requires) only when every byte is valid UTF-8, and a declared Korean legacy charset (EUC-KR, CP949)
 * through iconv-lite, with any unmappable byte refused. Nothing is ever decoded into U+FFFD, so a
 * damaged body can never be stored as a changed record. A UTF-8 BOM is dropped.
 */
export function decodeUpstreamBody(body: Buffer, contentType: string): BodyDecoding {
  const charset = declaredCharset(contentType);
  if (charset === undefined || UTF8_CHARSETS.has(charset)) {
    if (!isUtf8(body)) return notUtf8(body);
    return { ok: true, text: body.toString('utf8', utf8BomLength(body)) };
  }
  if (KOREAN_CHARSETS.has(charset)) {
    const text = iconv.decode(body, 'cp949');
    // CP949 maps nothing to U+FFFD: one in the result stands for bytes that are not CP949.
    if (text.includes('\uFFFD')) {
      return {
        ok: false,
        problem: `a body that is not valid ${charset} (${body.length} bytes, the first bad byte at offset ${firstBadByte(text, (prefix) => iconv.encode(prefix, 'cp949').length)})`,
      };
    }
    return { ok: true, text: text.replace(/^\uFEFF/, '') };
  }
  return { ok: false, problem: `a body in charset "${charset}", which is not read (JSON is UTF-8)` };
}

/** How far a byte string is valid UTF-8 (see `scanUtf8`). */
export interface Utf8Scan {
  /** Offset of the first byte that starts no valid UTF-8 sequence, or -1 when every byte is valid. */
  firstBadOffset: number;
  /** Valid multi-byte sequences (non-ASCII characters). */
  multibyteSequences: number;
  /** Bytes that start no valid sequence. */
  badBytes: number;
}

/**
 * Walks the bytes as UTF-8 (the WHATWG rules: shortest form, no surrogates, nothing above
 * U+10FFFF), counting valid non-ASCII sequences and bad bytes. Used only when `isUtf8` said no, to
 * name the first bad byte and to tell damaged UTF-8 (many valid sequences, a few bad bytes) from a
 * legacy encoding (where almost no non-ASCII byte pair happens to be valid UTF-8).
 */
export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  let firstBadOffset = -1;
  let multibyteSequences = 0;
  let badBytes = 0;
  const end = bytes.length;
  let i = 0;
  while (i < end) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead === 0xe0) [need, low] = [2, 0xa0];
    else if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) need = 2;
    else if (lead === 0xed) [need, high] = [2, 0x9f];
    else if (lead === 0xf0) [need, low] = [3, 0x90];
    else if (lead >= 0xf1 && lead <= 0xf3) need = 3;
    else if (lead === 0xf4) [need, high] = [3, 0x8f];
    let valid = need > 0;
    for (let k = 1; valid && k <= need; k++) {
      const next = bytes[i + k];
      valid = next !== undefined && next >= (k === 1 ? low : 0x80) && next <= (k === 1 ? high : 0xbf);
    }
    if (valid) {
      multibyteSequences++;
      i += need + 1;
    } else {
      if (firstBadOffset < 0) firstBadOffset = i;
      badBytes++;
      i++;
    }
  }
  return { firstBadOffset, multibyteSequences, badBytes };
}

/**
 * Decodes bytes as CP949 (a superset of EUC-KR) strictly, as `decodeUpstreamBody` does for a
 * declared Korean charset: `badOffset` is where the first byte that is not CP949 sits.
 */
export function decodeCp949Strictly(
  bytes: Buffer,
): { ok: true; text: string } | { ok: false; badOffset: number } {
  const text = iconv.decode(bytes, 'cp949');
  // CP949 maps nothing to U+FFFD: one in the result stands for bytes that are not CP949.
  if (!text.includes('\uFFFD')) return { ok: true, text };
  return { ok: false, badOffset: firstBadByte(text, (prefix) => iconv.encode(prefix, 'cp949').length) };
}

/**
 * How many bytes at the end start a UTF-8 sequence they do not finish (0 to 3): a file cut inside
 * a character. Such a file is truncated, not in another encoding; its readers drop the partial
 * character and judge the cut as they judge any other (a JSON that does not parse, a CSV whose last
 * row may be cut).
 */
export function utf8CutTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte >= 0x80 && byte <= 0xbf) continue;
    const length = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 1;
    return byte >= 0xc2 && byte <= 0xf4 && length > back ? back : 0;
  }
  return 0;
}
