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
