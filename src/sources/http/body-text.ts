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

/**
 * Decodes an upstream body by its declared charset, refusing to guess: UTF-8 (the default, as JSON
 * requires) is decoded with a fatal decoder, and a declared Korean legacy charset (EUC-KR, CP949)
 * through iconv-lite, with any unmappable byte refused. Nothing is ever decoded into U+FFFD, so a
 * damaged body can never be stored as a changed record. A UTF-8 BOM is dropped.
 */
export function decodeUpstreamBody(body: Buffer, contentType: string): BodyDecoding {
  const charset = declaredCharset(contentType);
  if (charset === undefined || UTF8_CHARSETS.has(charset)) {
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
    } catch {
      const at = firstBadByte(body.toString('utf8'), (prefix) => Buffer.byteLength(prefix));
      return {
        ok: false,
        problem: `a body that is not valid UTF-8 (${body.length} bytes, the first bad byte at offset ${at})`,
      };
    }
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
