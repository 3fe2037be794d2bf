import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonPage } from '../../../src/sources/http/json-page.js';
import { ctgovFixtureIds, ctgovFixtureText } from '../../../testkit/fake-ctgov.js';

/** What JSON.parse of the whole page gives, in splitJsonPage's shape (or undefined when it throws). */
function wholeParse(body: Buffer, listKey: string): { page: unknown; records: unknown[] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const page = parsed as Record<string, unknown>;
  const list = page[listKey];
  if (!Array.isArray(list)) return undefined;
  return { page: { ...page, [listKey]: [] }, records: list };
}

/** The scan with every record parsed (undefined when a record is not JSON), as a harvest reads it. */
function splitJsonPage(body: Buffer, listKey: string) {
  const scanned = scanJsonPage(body, listKey);
  if (scanned === undefined) return undefined;
  const texts = Array.from({ length: scanned.count }, (_, i) => scanned.text(i));
  expect(texts).toEqual(Array.from({ length: scanned.count }, (_, i) => scanned.bytes(i).toString('utf8')));
  try {
    return { page: scanned.page, texts, records: texts.map((text) => JSON.parse(text) as unknown) };
  } catch {
    return undefined;
  }
}

function expectSameAsWholeParse(body: Buffer, listKey = 'studies'): void {
  const split = splitJsonPage(body, listKey);
  const whole = wholeParse(body, listKey);
  if (split === undefined) return; // the caller falls back to the whole parse, whatever it says
  expect(whole).toBeDefined();
  expect(split.page).toEqual(whole?.page);
  expect(split.records).toEqual(whole?.records);
}

describe('scanJsonPage', () => {
  it('reads a page of the 200 real studies as JSON.parse does, keeping each study’s text as sent', () => {
    // The fixture files end in a newline, which the page keeps between studies; a study's text does not.
    const files = ctgovFixtureIds().map((id) => ctgovFixtureText(id));
    const texts = files.map((text) => text.trim());
    expect(texts.some((text, i) => text !== files[i])).toBe(true);
    const body = Buffer.from(
      `{"studies":[${files.join(',')}],"nextPageToken":"NF0g5JGBlPMn","totalCount":200}`,
    );
    const split = splitJsonPage(body, 'studies');
    expect(split).toBeDefined();
    expect(split?.texts).toEqual(texts);
    expect(split?.records).toEqual(texts.map((text) => JSON.parse(text) as unknown));
    expect(split?.page).toEqual({ studies: [], nextPageToken: 'NF0g5JGBlPMn', totalCount: 200 });
  });

  it('handles spacing, a BOM, escapes, non-ASCII text and an empty list', () => {
    const cases = [
      '{"studies":[]}',
      ' \r\n{ "nextPageToken" : "a\\"b" , "studies" : [ {"t":"한글 \\u00e9 \\\\"} , 1 , "x" , null , [ ] ] }\n',
      '\uFEFF{"studies":[{"a":{"b":[1,2,{"c":"]}"}]}}],"totalCount":1}',
      '{"x":true,"y":-1.5e3,"z":null,"studies":[{}],"w":{"studies":[9]}}',
    ];
    for (const text of cases) {
      const split = splitJsonPage(Buffer.from(text), 'studies');
      expect(split, text).toBeDefined();
      expectSameAsWholeParse(Buffer.from(text));
    }
    expect(splitJsonPage(Buffer.from(cases[1]!), 'studies')?.texts).toEqual([
      '{"t":"한글 \\u00e9 \\\\"}',
      '1',
      '"x"',
      'null',
      '[ ]',
    ]);
  });

  it('leaves anything else to the ordinary parse (undefined, never a different answer)', () => {
    const refused = [
      '',
      '[]',
      '{}',
      '{"other":1}',
      '{"studies":{}}',
      '{"studies":[1,2}',
      '{"studies":[1,2],}',
      '{"studies":[1 2]}',
      '{"studies":[1],"studies":[2]}',
      '{"studies":[{"a":1}]} trailing',
      '{"studies":[{"a":"unterminated}]}',
      '<html><body>Bad Gateway</body></html>',
      '{"studies":[1],"next":}',
    ];
    for (const text of refused) expect(scanJsonPage(Buffer.from(text), 'studies'), text).toBeUndefined();
    // Records are only located: one that is not JSON is found when it is parsed.
    for (const text of ['{"studies":[{"a":1},{"a":tru}]}', '{"studies":[{"a":1},{"a":1]]}']) {
      const scanned = scanJsonPage(Buffer.from(text), 'studies');
      expect(scanned?.count).toBe(2);
      expect(() => JSON.parse(scanned!.text(1)) as unknown).toThrow(SyntaxError);
    }
    // Bytes that are not UTF-8, and a page cut off in the middle of a study.
    expect(scanJsonPage(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'studies')).toBeUndefined();
    const page = Buffer.from(`{"studies":[${ctgovFixtureText(ctgovFixtureIds()[0]!)}]}`);
    for (const cut of [1, 100, page.length - 3, page.length - 1]) {
      expect(scanJsonPage(page.subarray(0, cut), 'studies')).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on generated pages, spaced or not, and on damaged ones', () => {
    const record = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.dictionary(fc.string({ maxLength: 6 }), record, { maxKeys: 3 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (records, rest, spaced, position, byte) => {
          const page = { ...rest, studies: records };
          const text = spaced ? JSON.stringify(page, null, 2) : JSON.stringify(page);
          const body = Buffer.from(text);
          const split = splitJsonPage(body, 'studies');
          // Valid JSON of this shape is always split (unless a generated key is the list's own).
          if (!Object.keys(rest).includes('studies')) expect(split).toBeDefined();
          expectSameAsWholeParse(body);
          // One byte changed anywhere: either refused, or the same as the whole parse.
          const damaged = Buffer.from(body);
          if (damaged.length > 0) damaged[position % damaged.length] = byte;
          expectSameAsWholeParse(damaged);
        },
      ),
      { numRuns: 1_500 },
    );
  });
});
