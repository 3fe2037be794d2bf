/**
 * The text of a downloaded data.go.kr file: decoded strictly (UTF-8, UTF-16 or CP949, never into
 * U+FFFD) and, for a CSV download, parsed into rows (RFC 4180, lenient where files are sloppy).
 */
import { isUtf8 } from 'node:buffer';
import { decodeCp949Strictly, scanUtf8, utf8BomLength, utf8CutTailLength } from '../http/body-text.js';

export type KrTextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'cp949';

export type KrTextDecoding = { text: string; encoding: KrTextEncoding } | { problem: string };

function utf16(content: Buffer, encoding: 'utf-16le' | 'utf-16be'): KrTextDecoding {
  const body = content.subarray(2);
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(body), encoding };
  } catch {
    // A lone surrogate or an odd last byte: the lenient decoding puts U+FFFD at its code unit.
    const index = new TextDecoder(encoding).decode(body).indexOf('\uFFFD');
    const offset = 2 + (index < 0 ? body.length - 1 : index * 2);
    return {
      problem: `the file starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()} (${content.length} bytes, the first bad byte at offset ${offset})`,
    };
  }
}

/**
 * Decodes a downloaded text file, strictly (as upstream bodies are: nothing is ever decoded into
 * U+FFFD). data.go.kr CSV downloads are often CP949 (a superset of EUC-KR): a UTF-8 BOM or valid
 * UTF-8 is read as UTF-8, a UTF-16 BOM as UTF-16, anything else as CP949. Legacy Korean bytes are
 * practically never valid UTF-8, and UTF-8 Korean text is mostly valid multi-byte sequences, so a
 * file that is mostly valid UTF-8 with a few bad bytes is damaged UTF-8, not CP949. A file that is
 * not valid in the encoding it is read in gives `problem`, naming the first bad byte's offset. A
 * UTF-8 file cut inside its last character loses that partial character (the reader then sees a
 * cut file, as it would for a cut between characters).
 */
export function decodeKrText(content: Buffer): KrTextDecoding {
  const size = `${content.length} bytes`;
  if (utf8BomLength(content) === 3) {
    const body = content.subarray(3);
    const whole = body.subarray(0, body.length - utf8CutTailLength(body));
    if (isUtf8(whole)) return { text: whole.toString('utf8'), encoding: 'utf-8-bom' };
    return {
      problem: `the file starts with a UTF-8 byte order mark but is not valid UTF-8 (${size}, the first bad byte at offset ${3 + scanUtf8(body).firstBadOffset})`,
    };
  }
  if (content[0] === 0xff && content[1] === 0xfe) return utf16(content, 'utf-16le');
  if (content[0] === 0xfe && content[1] === 0xff) return utf16(content, 'utf-16be');
  if (isUtf8(content)) return { text: content.toString('utf8'), encoding: 'utf-8' };
  const cut = utf8CutTailLength(content);
  if (cut > 0 && isUtf8(content.subarray(0, content.length - cut))) {
    return { text: content.toString('utf8', 0, content.length - cut), encoding: 'utf-8' };
  }
  const scan = scanUtf8(content);
  if (scan.multibyteSequences > scan.badBytes) {
    return {
      problem: `the file is UTF-8 with bytes that are not valid UTF-8 (${size}, ${scan.badBytes} bad, the first at offset ${scan.firstBadOffset})`,
    };
  }
  const cp949 = decodeCp949Strictly(content);
  if (cp949.ok) return { text: cp949.text, encoding: 'cp949' };
  return {
    problem: `the file is not UTF-8, and read as CP949/EUC-KR it has bytes that are not CP949 (${size}, the first at offset ${cp949.badOffset})`,
  };
}

export interface CsvRow {
  /** 1-based line number where the row starts, for messages. */
  line: number;
  cells: string[];
}

/**
 * Parses delimited text (RFC 4180): quoted fields may hold delimiters, quotes (doubled) and line
 * breaks; rows end in CRLF, LF or CR. Lenient where files in the wild are sloppy: a quote inside
 * an unquoted field is kept as a character. `unterminated` reports a quote still open at the end
 * (a truncated file); `lastRowEnded` whether the last row is known to be whole: it ends in a line
 * break, or its last field is quoted and closed (a file cut inside an unquoted field looks whole
 * otherwise).
 */
export function parseCsv(
  text: string,
  delimiter = ',',
): { rows: CsvRow[]; unterminated: boolean; lastRowEnded: boolean } {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let line = 1;
  let rowLine = 1;
  const endField = (): void => {
    cells.push(field);
    field = '';
    quotedField = false;
  };
  const endRow = (): void => {
    endField();
    rows.push({ line: rowLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        // The run of characters up to the next quote, in one slice (a field built a character at
        // a time is a rope of one node per character: many times the text's size in memory).
        let next = i;
        for (; next < text.length && text[next] !== '"'; next++) {
          const inner = text[next];
          if (inner === '\n' || (inner === '\r' && text[next + 1] !== '\n')) line++;
        }
        field += text.slice(i, next);
        i = next - 1;
      }
      continue;
    }
    if (char === '"' && field === '' && !quotedField) {
      inQuotes = true;
      quotedField = true;
    } else if (char === delimiter) {
      endField();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      // The run up to the next delimiter or line break (a quote inside it is a character).
      let next = i + 1;
      for (; next < text.length; next++) {
        const inner = text[next];
        if (inner === delimiter || inner === '\r' || inner === '\n') break;
      }
      field += text.slice(i, next);
      i = next - 1;
    }
  }
  // A final row without a line break; an empty file or a trailing newline adds no row.
  let lastRowEnded = true;
  if (field !== '' || cells.length > 0 || quotedField) {
    lastRowEnded = quotedField && !inQuotes && text.endsWith('"');
    endRow();
  }
  return { rows, unterminated: inQuotes, lastRowEnded };
}
