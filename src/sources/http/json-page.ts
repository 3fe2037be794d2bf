/**
 * Reads a JSON page of records (`{"studies":[{…},{…}],"nextPageToken":"…"}`) straight from its
 * UTF-8 bytes: the scan locates each record, which the caller then decodes and parses on its own,
 * keeping its bytes as the upstream sent them (to store compressed, without writing it again).
 *
 * Parsing 20 MB pages whole costs more than it needs to: decoding them makes one string of the
 * whole page (two bytes per character as soon as one record holds a non-ASCII character) before
 * JSON.parse even starts. A byte scan finds where each record starts and ends, and only the
 * records are decoded and parsed.
 *
 * The scan only finds boundaries; JSON.parse still checks every byte (the page with its record
 * list emptied here, each record when the caller parses it). Anything the scan does not expect —
 * not an object, the list missing or given twice, a stray byte, invalid UTF-8 — gives `undefined`,
 * and the caller reads the page the ordinary way, which gives the ordinary error. For valid JSON
 * the records parse to what JSON.parse of the whole page gives.
 */
import { isUtf8 } from 'node:buffer';
import { utf8BomLength } from './body-text.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Thrown inside the scan when the bytes are not a page it can split; never leaves this module. */
class NotSplittable extends Error {}

class Scanner {
  at: number;

  constructor(
    readonly bytes: Buffer,
    start: number,
  ) {
    this.at = start;
  }

  skipSpace(): void {
    while (isSpace(this.bytes[this.at])) this.at++;
  }

  peek(): number | undefined {
    return this.bytes[this.at];
  }

  expect(byte: number): void {
    if (this.bytes[this.at] !== byte) throw new NotSplittable();
    this.at++;
  }

  /** From an opening quote to just past its closing quote. */
  skipString(): void {
    const { bytes } = this;
    let i = this.at + 1;
    const end = bytes.length;
    while (i < end) {
      const byte = bytes[i];
      if (byte === BACKSLASH) i += 2;
      else if (byte === QUOTE) {
        this.at = i + 1;
        return;
      } else i++;
    }
    throw new NotSplittable();
  }

  /** Over one value of any kind (its validity is JSON.parse's to judge). */
  skipValue(): void {
    const { bytes } = this;
    const first = bytes[this.at];
    if (first === QUOTE) {
      this.skipString();
      return;
    }
    if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      // Hot loop (every byte of every record): locals only, strings skipped inline.
      let depth = 0;
      let i = this.at;
      const end = bytes.length;
      while (i < end) {
        const byte = bytes[i]!;
        if (byte === QUOTE) {
          i++;
          for (;;) {
            if (i >= end) throw new NotSplittable();
            const inner = bytes[i]!;
            if (inner === QUOTE) break;
            i += inner === BACKSLASH ? 2 : 1;
          }
        } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
        else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
          depth--;
          if (depth === 0) {
            this.at = i + 1;
            return;
          }
        }
        i++;
      }
      throw new NotSplittable();
    }
    // A number or a literal: up to the next delimiter.
    const start = this.at;
    for (;;) {
      const byte = bytes[this.at];
      if (byte === undefined || byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) break;
      if (isSpace(byte)) break;
      this.at++;
    }
    if (this.at === start) throw new NotSplittable();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new NotSplittable();
  }
}

/** A page whose record list has been located, record by record, but not yet parsed. */
export interface ScannedJsonPage {
  /** The page object with the record list replaced by an empty array (parsed). */
  page: Record<string, unknown>;
  /** Records in the list. */
  count: number;
  /** The index-th record's JSON as sent: a view of the body's bytes. */
  bytes(index: number): Buffer;
  /** The same, decoded (on each call). */
  text(index: number): string;
}

/**
 * Locates the records of a UTF-8 JSON object whose member `listKey` is an array, and parses the
 * rest of the object; `undefined` when the bytes are anything else. The records themselves are
 * not checked: a caller that parses one may still find it is not JSON.
 */
export function scanJsonPage(body: Buffer, listKey: string): ScannedJsonPage | undefined {
  if (!isUtf8(body)) return undefined;
  const scan = new Scanner(body, utf8BomLength(body));
  const others: string[] = [];
  let ranges: number[] | undefined;
  try {
    scan.skipSpace();
    scan.expect(OPEN_OBJECT);
    scan.skipSpace();
    if (scan.peek() === CLOSE_OBJECT) throw new NotSplittable();
    for (;;) {
      scan.skipSpace();
      if (scan.peek() !== QUOTE) throw new NotSplittable();
      const keyStart = scan.at;
      scan.skipString();
      const key = parseJson(body.toString('utf8', keyStart, scan.at));
      scan.skipSpace();
      scan.expect(COLON);
      scan.skipSpace();
      if (key === listKey) {
        // The same key twice: JSON.parse keeps the last; leave such a page to it.
        if (ranges !== undefined) throw new NotSplittable();
        ranges = [];
        scan.expect(OPEN_ARRAY);
        scan.skipSpace();
        if (scan.peek() === CLOSE_ARRAY) scan.at++;
        else {
          for (;;) {
            const start = scan.at;
            scan.skipValue();
            ranges.push(start, scan.at);
            scan.skipSpace();
            if (scan.peek() === COMMA) {
              scan.at++;
              scan.skipSpace();
              continue;
            }
            scan.expect(CLOSE_ARRAY);
            break;
          }
        }
      } else {
        scan.skipValue();
        others.push(body.toString('utf8', keyStart, scan.at));
      }
      scan.skipSpace();
      if (scan.peek() === COMMA) {
        scan.at++;
        continue;
      }
      scan.expect(CLOSE_OBJECT);
      break;
    }
    scan.skipSpace();
    if (scan.at !== body.length || ranges === undefined) throw new NotSplittable();
    const page = parseJson(`{${others.join(',')}}`) as Record<string, unknown>;
    page[listKey] = [];
    const found = ranges;
    return {
      page,
      count: found.length / 2,
      bytes: (index) => body.subarray(found[2 * index], found[2 * index + 1]),
      text: (index) => body.toString('utf8', found[2 * index], found[2 * index + 1]),
    };
  } catch (error) {
    if (error instanceof NotSplittable) return undefined;
    throw error;
  }
}
