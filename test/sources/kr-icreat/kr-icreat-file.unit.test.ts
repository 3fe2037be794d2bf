import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/app-error.js';
import { KR_ICREAT_COLUMNS } from '../../../src/sources/kr-icreat/kr-icreat-api.types.js';
import { krIcreatSnapshotPath, readKrIcreatFile } from '../../../src/sources/kr-icreat/kr-icreat-file.js';
import { decodeKrText, parseCsv } from '../../../src/sources/kr-icreat/kr-icreat-text.js';
import { mapKrIcreatRecord } from '../../../src/sources/kr-icreat/kr-icreat-mapper.js';
import type { ImportFile, PageStream, SkippedRecord } from '../../../src/sources/source.types.js';
import type { RecordingReader } from '../recording-reader.js';
import { recordingReader } from '../recording-reader.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';

const snapshotBytes = readFileSync(`${fixturesDir()}/kr/kr-snapshot-2021-11.json`);
const snapshot = JSON.parse(snapshotBytes.toString('utf8')) as { data: Record<string, string>[] };
const records = snapshot.data;

/** `readKrIcreatFile` with a page reader that keeps the records the file yields (see `drain`). */
function readFile(file: ImportFile): { stream: PageStream; reader: RecordingReader } {
  const reader = recordingReader();
  return { stream: readKrIcreatFile(file, reader), reader };
}

async function drain({ stream, reader }: { stream: PageStream; reader: RecordingReader }) {
  const skipped: SkippedRecord[] = [];
  let pages = 0;
  for (;;) {
    const step = await stream.next();
    if (step.done === true) return { records: reader.records, skipped, pages, end: step.value };
    pages++;
    skipped.push(...(step.value.skipped ?? []));
  }
}

async function readError(content: Buffer | string, name = 'file'): Promise<AppError> {
  try {
    await drain(readFile({ name, content: Buffer.from(content) }));
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the import to fail');
}

/** A CSV as data.go.kr writes it: a header row, fields quoted only when they must be. */
function toCsv(rows: Record<string, string>[], columns: readonly string[], eol = '\r\n'): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(row[column] ?? '')).join(','));
  return lines.join(eol) + eol;
}

describe('readKrIcreatFile', () => {
  it('reads the saved JSON snapshot as one complete full listing of the 145 records', async () => {
    const result = await drain(readFile({ name: 'kr-snapshot-2021-11.json', content: snapshotBytes }));
    expect(result.records).toEqual(records);
    expect(result.skipped).toEqual([]);
    expect(result.end).toMatchObject({
      listing: 'full',
      complete: true,
      expectedTotal: 145,
      info: { format: 'json', encoding: 'utf-8', records: 145, totalCount: 145 },
    });
  });

  it('reads a UTF-8 CSV (CRLF, quoted commas) as the same records as the JSON', async () => {
    const csv = toCsv(records, KR_ICREAT_COLUMNS);
    expect(csv).toContain(
      '"악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study"',
    );
    const result = await drain(readFile({ name: 'kr.csv', content: Buffer.from(csv, 'utf8') }));
    expect(result.records).toEqual(records);
    expect(result.end).toMatchObject({
      listing: 'full',
      complete: true,
      info: { format: 'csv', encoding: 'utf-8' },
    });
  });

  it('reads a UTF-8 CSV with a BOM and LF line ends', async () => {
    const csv = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(toCsv(records, KR_ICREAT_COLUMNS, '\n')),
    ]);
    const result = await drain(readFile({ name: 'kr.csv', content: csv }));
    expect(result.records).toEqual(records);
    expect(result.end.info).toMatchObject({ encoding: 'utf-8-bom' });
  });

  it('detects and decodes an EUC-KR (CP949) CSV, giving the same records and the same trials as the JSON', async () => {
    const text = toCsv(records, KR_ICREAT_COLUMNS);
    const eucKr = iconv.encode(text, 'euc-kr');
    // The bytes really are legacy Korean: they round-trip and are not valid UTF-8.
    expect(iconv.decode(eucKr, 'euc-kr')).toBe(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(eucKr)).toThrow();

    const csv = await drain(readFile({ name: 'kr-euc-kr.csv', content: eucKr }));
    const json = await drain(readFile({ name: 'kr.json', content: snapshotBytes }));
    expect(csv.end.info).toMatchObject({ format: 'csv', encoding: 'cp949', records: 145 });
    expect(csv.end.complete).toBe(true);
    expect(csv.records).toEqual(json.records);
    expect(csv.records.map((record) => mapKrIcreatRecord(record))).toEqual(
      json.records.map((record) => mapKrIcreatRecord(record)),
    );
  });

  it('does not depend on the column order of the CSV', async () => {
    const shuffled = [...KR_ICREAT_COLUMNS].reverse();
    const result = await drain(readFile({ name: 'kr.csv', content: Buffer.from(toCsv(records, shuffled)) }));
    expect(result.records).toEqual(records);
  });

  it('keeps quotes, commas and line breaks inside quoted fields', async () => {
    const tricky = {
      ...records[0]!,
      과제번호: 'C999001',
      과제명: 'A "quoted", multi-line\r\ntitle\nwith, commas',
      진료과: '',
    };
    const result = await drain(
      readFile({
        name: 'kr.csv',
        content: Buffer.from(toCsv([records[0]!, tricky], KR_ICREAT_COLUMNS)),
      }),
    );
    expect(result.records).toEqual([records[0], tricky]);
  });

  it('skips a row with the wrong number of cells, naming its line, and calls the listing incomplete', async () => {
    const lines = toCsv(records.slice(0, 3), KR_ICREAT_COLUMNS).split('\r\n');
    lines.splice(2, 0, 'broken,C000000,only three');
    const result = await drain(readFile({ name: 'kr.csv', content: Buffer.from(lines.join('\r\n')) }));
    expect(result.records).toEqual(records.slice(0, 3));
    expect(result.skipped).toEqual([{ id: 'C000000', reason: 'line 3 has 3 cells where the header has 9' }]);
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toContain('1 CSV rows could not be read');
  });

  it('does not store a last row that may be cut, unless the user vouches for the file', async () => {
    const csv = toCsv(records.slice(0, 3), KR_ICREAT_COLUMNS);
    const cut = Buffer.from(csv.slice(0, -4));
    const result = await drain(readFile({ name: 'kr.csv', content: cut }));
    expect(result.records).toEqual(records.slice(0, 2));
    expect(result.skipped).toEqual([
      {
        id: records[2]!['과제번호'],
        reason:
          "line 4, the file's last, does not end in a line break: the file looks cut inside it, so it is not stored",
      },
    ]);
    expect(result.end.complete).toBe(false);
    const vouched = await drain(readFile({ name: 'kr.csv', content: cut, assumeComplete: true }));
    expect(vouched.records).toHaveLength(3);
    expect(vouched.end.complete).toBe(true);
    // A blank row after the last record, without its own line break, does not make that record cut.
    const blankEnd = await drain(readFile({ name: 'kr.csv', content: Buffer.from(`${csv},,,,,,,,`) }));
    expect(blankEnd.records).toEqual(records.slice(0, 3));
    expect(blankEnd.end.complete).toBe(true);
  });

  it('keeps the first of two records with the same 과제번호', async () => {
    const changed = { ...records[0]!, 과제명: 'second copy' };
    const body = { ...snapshot, data: [...records, changed], currentCount: 146 };
    const result = await drain(readFile({ name: 'dup.json', content: Buffer.from(JSON.stringify(body)) }));
    expect(result.records).toEqual(records);
    expect(result.skipped).toEqual([
      {
        id: 'C130010',
        reason: 'duplicate 과제번호 C130010 (record 146; first at record 1); the first copy is kept',
      },
    ]);
    expect(result.end.complete).toBe(true);
  });

  it('calls a saved single page of a longer listing incomplete', async () => {
    const page = readFileSync(`${fixturesDir()}/kr/kr-example-page1-perPage10.json`);
    const result = await drain(readFile({ name: 'page1.json', content: page }));
    expect(result.records).toEqual(records.slice(0, 10));
    expect(result.end.complete).toBe(false);
    expect(result.end.incompleteReason).toContain('holds 10 distinct records but totalCount is 145');
  });

  it('reads counts given as strings', async () => {
    const body = { ...snapshot, totalCount: '145', currentCount: '145' };
    const result = await drain(readFile({ name: 'kr.json', content: Buffer.from(JSON.stringify(body)) }));
    expect(result.end.complete).toBe(true);
  });

  it('refuses files it cannot read, with IMPORT_UNREADABLE and the file name', async () => {
    const cases: [Buffer | string, string][] = [
      ['', 'empty'],
      [readFileSync(`${fixturesDir()}/kr/errors/limit-exceeded.json`), 'gateway error'],
      [snapshotBytes.subarray(0, 1000), 'does not parse'],
      ['[{"과제번호":"C1"}]', 'not an odcloud response'],
      ['<results><item/></results>', 'XML'],
      ['과제명,과제번호\n"unterminated,C1\n', 'never closed'],
      ['과제명,과제명\nx,y\n', 'repeats 과제명'],
      // Any text reads as a one-column CSV: without the 과제번호 column it is no dataset (issue 20.4).
      ['# trialwatch\n\nA local mirror, of registries.\n', 'is no kr-icreat dataset'],
      ['name,title\nx,y\n', 'its first line is "name,title"; nothing was imported'],
    ];
    for (const [content, expected] of cases) {
      const error = await readError(content, 'bad-file.x');
      expect(error.code).toBe('IMPORT_UNREADABLE');
      expect(error.message).toContain('bad-file.x');
      expect(error.message).toContain(expected);
    }
  });

  it('passes an unknown column layout through, so the mapper reports the drift', async () => {
    const csv = '과제번호,연구내용 요약\r\nC1,요약\r\n';
    const result = await drain(readFile({ name: 'kr.csv', content: Buffer.from(csv) }));
    expect(result.records).toEqual([{ 과제번호: 'C1', '연구내용 요약': '요약' }]);
    expect(() => mapKrIcreatRecord(result.records[0])).toThrow(/연구내용 요약/);
  });
});

describe('CSV and text decoding', () => {
  it('parses RFC 4180 fields', () => {
    expect(parseCsv('a,"b,1","c""d"\r\n"e\nf",,g\rh').rows).toEqual([
      { line: 1, cells: ['a', 'b,1', 'c"d'] },
      { line: 2, cells: ['e\nf', '', 'g'] },
      { line: 4, cells: ['h'] },
    ]);
    expect(parseCsv('a,b\n').rows).toEqual([{ line: 1, cells: ['a', 'b'] }]);
    expect(parseCsv('"a').unterminated).toBe(true);
    expect(parseCsv('a\tb', '\t').rows[0]?.cells).toEqual(['a', 'b']);
  });

  it('decodes strictly: bytes that are not valid in the detected encoding fail, naming the offset', () => {
    const text = toCsv(records.slice(0, 20), KR_ICREAT_COLUMNS);
    const cp949 = iconv.encode(text, 'cp949');
    const at = iconv.encode(text.slice(0, text.indexOf('C130011')), 'cp949').length;
    // 0xFF is no CP949 byte: the old lenient decoding stored U+FFFD for it.
    expect(
      decodeKrText(Buffer.concat([cp949.subarray(0, at), Buffer.from([0xff]), cp949.subarray(at)])),
    ).toEqual({
      problem: `the file is not UTF-8, and read as CP949/EUC-KR it has bytes that are not CP949 (${cp949.length + 1} bytes, the first at offset ${at})`,
    });
    // Damaged UTF-8 stays UTF-8 (it used to be decoded as CP949 into mojibake column names).
    const utf8 = Buffer.from(text, 'utf8');
    const utf8At = Buffer.byteLength(text.slice(0, text.indexOf('C130011')));
    expect(
      decodeKrText(Buffer.concat([utf8.subarray(0, utf8At), Buffer.from([0x80]), utf8.subarray(utf8At)])),
    ).toEqual({
      problem: `the file is UTF-8 with bytes that are not valid UTF-8 (${utf8.length + 1} bytes, 1 bad, the first at offset ${utf8At})`,
    });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('과제번호\n', 'utf-16le'),
      Buffer.from([0x00, 0xd8, 0x41, 0x00]),
    ]);
    expect(decodeKrText(utf16)).toEqual({
      problem: `the file starts with a UTF-16LE byte order mark but is not valid UTF-16LE (${utf16.length} bytes, the first bad byte at offset 12)`,
    });
  });

  it('reads a UTF-8 file cut inside its last character as a cut file, not as another encoding', () => {
    const text = '과제번호,과제명\nC1,임상';
    const bytes = Buffer.from(text, 'utf8');
    expect(decodeKrText(bytes.subarray(0, bytes.length - 1))).toEqual({
      text: '과제번호,과제명\nC1,임',
      encoding: 'utf-8',
    });
    expect(parseCsv('a,b\n1,2').lastRowEnded).toBe(false);
    expect(parseCsv('a,b\n1,"2"').lastRowEnded).toBe(true);
    expect(parseCsv('a,b\n1,2\r\n').lastRowEnded).toBe(true);
  });

  it('detects UTF-16 by its BOM', () => {
    const text = '과제번호\nC1\n';
    expect(decodeKrText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))).toEqual({
      text,
      encoding: 'utf-16le',
    });
  });
});

describe('the bundled snapshot', () => {
  it('is found from the source tree and is a byte copy of the fixture', () => {
    const path = krIcreatSnapshotPath();
    expect(path).toBeDefined();
    expect(readFileSync(path!).equals(snapshotBytes)).toBe(true);
  });
});
