import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { AppError } from '../../errors/app-error.js';
import type { ImportFile, ListingEnd, PageStream, SkippedRecord } from '../source.types.js';
import { toCount } from '../http/lenient.js';
import { asGatewayError } from './kr-icreat-client.js';

const SOURCE = 'kr-icreat';
/** Records per yielded page when importing, so a big file is written in bounded batches. */
const IMPORT_PAGE_SIZE = 1000;

export type KrTextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'cp949';

/** The bundled public snapshot's file name, under `assets/`. */
export const KR_ICREAT_SNAPSHOT_FILE = 'kr-icreat-snapshot-2021-11.json';

/**
 * The bundled snapshot's path, whether this module runs from `src/` (tsx, vitest) or from
 * `dist/src/` (the built CLI), or undefined when it is not there.
 */
export function krIcreatSnapshotPath(): string | undefined {
  for (const relative of ['../../../assets/', '../../../../assets/']) {
    const path = fileURLToPath(new URL(`${relative}${KR_ICREAT_SNAPSHOT_FILE}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Decodes a downloaded text file. data.go.kr CSV downloads are often CP949 (a superset of EUC-KR):
 * valid UTF-8 (with or without a BOM) is read as UTF-8, a UTF-16 BOM as UTF-16, anything else as
 * CP949. Legacy Korean bytes are practically never valid UTF-8, so the test is reliable.
 */
export function decodeKrText(content: Buffer): { text: string; encoding: KrTextEncoding } {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) {
    return { text: content.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  }
  if (content[0] === 0xff && content[1] === 0xfe) {
    return { text: iconv.decode(content.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (content[0] === 0xfe && content[1] === 0xff) {
    return { text: iconv.decode(content.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(content, 'cp949'), encoding: 'cp949' };
  }
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
 * (a truncated file).
 */
export function parseCsv(text: string, delimiter = ','): { rows: CsvRow[]; unterminated: boolean } {
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
        if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
        field += char;
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
      field += char;
    }
  }
  // A final row without a line break; an empty file or a trailing newline adds no row.
  if (field !== '' || cells.length > 0 || quotedField) endRow();
  return { rows, unterminated: inQuotes };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreadable(file: ImportFile, why: string, cause?: unknown): AppError {
  return new AppError(
    'IMPORT_UNREADABLE',
    `${SOURCE}: cannot import ${file.name}: ${why}`,
    cause === undefined ? {} : { cause },
  );
}

interface FileListing {
  records: unknown[];
  /** Rows that could not be made into a record (CSV), with where and why. */
  skipped: SkippedRecord[];
  problems: string[];
  info: Record<string, unknown>;
  expectedTotal?: number;
}

function readJson(file: ImportFile, text: string): FileListing {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    throw unreadable(file, 'the file looks like JSON but does not parse (is it truncated?)', error);
  }
  const gateway = asGatewayError(body);
  if (gateway !== undefined) {
    throw unreadable(
      file,
      `the file holds a gateway error, not data (code ${gateway.code} "${gateway.msg}")`,
    );
  }
  if (!isPlainObject(body) || !Array.isArray(body.data)) {
    throw unreadable(file, 'the JSON is not an odcloud response ({"data": [...], "totalCount": …})');
  }
  const problems: string[] = [];
  const totalCount = toCount(body.totalCount);
  const currentCount = toCount(body.currentCount);
  if (currentCount !== undefined && currentCount !== body.data.length) {
    problems.push(`currentCount is ${currentCount} but the file holds ${body.data.length} records`);
  }
  if (totalCount === undefined) problems.push('the file has no readable totalCount');
  const listing: FileListing = {
    records: body.data,
    skipped: [],
    problems,
    info: {
      totalCount: totalCount ?? null,
      page: toCount(body.page) ?? null,
      perPage: toCount(body.perPage) ?? null,
    },
  };
  if (totalCount !== undefined) listing.expectedTotal = totalCount;
  return listing;
}

function readCsv(file: ImportFile, text: string): FileListing {
  const headerEnd = text.search(/[\r\n]/);
  const headerLine = headerEnd === -1 ? text : text.slice(0, headerEnd);
  // data.go.kr serves comma-separated files; a tab-separated export (Excel "Unicode text") is read too.
  const delimiter = !headerLine.includes(',') && headerLine.includes('\t') ? '\t' : ',';
  const { rows, unterminated } = parseCsv(text, delimiter);
  if (unterminated) throw unreadable(file, 'a quoted CSV field is never closed (is the file truncated?)');
  const [headerRow, ...bodyRows] = rows;
  if (headerRow === undefined) throw unreadable(file, 'the file is empty');
  const header = headerRow.cells.map((cell) => cell.trim());
  // Spreadsheet exports often pad rows with empty trailing columns.
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length === 0 || header.some((name) => name === '')) {
    throw unreadable(file, `the CSV header has empty column names: ${headerRow.cells.join(delimiter)}`);
  }
  const duplicated = header.filter((name, index) => header.indexOf(name) !== index);
  if (duplicated.length > 0)
    throw unreadable(file, `the CSV header repeats ${[...new Set(duplicated)].join(', ')}`);

  const records: unknown[] = [];
  const skipped: SkippedRecord[] = [];
  const idColumn = header.indexOf('과제번호');
  for (const row of bodyRows) {
    if (row.cells.every((cell) => cell.trim() === '')) continue;
    const extra = row.cells.slice(header.length);
    if (row.cells.length < header.length || extra.some((cell) => cell !== '')) {
      const id = idColumn >= 0 ? (row.cells[idColumn]?.trim() ?? null) : null;
      skipped.push({
        id: id === '' ? null : id,
        reason: `line ${row.line} has ${row.cells.length} cells where the header has ${header.length}`,
      });
      continue;
    }
    records.push(Object.fromEntries(header.map((name, index) => [name, row.cells[index] ?? ''])));
  }
  return {
    records,
    skipped,
    problems: skipped.length > 0 ? [`${skipped.length} CSV rows could not be read`] : [],
    info: { columns: header },
  };
}

/**
 * Reads a saved odcloud JSON response or the data.go.kr CSV download as pages of raw records
 * (objects keyed by the Korean column names, string values), like a harvest would yield them.
 * The listing is `full`; it is complete only when the file's own counts add up.
 */
export async function* readKrIcreatFile(file: ImportFile): PageStream {
  const { text, encoding } = decodeKrText(file.content);
  const start = text.trimStart();
  if (start === '') throw unreadable(file, 'the file is empty');
  if (start.startsWith('<')) {
    throw unreadable(
      file,
      'XML or HTML is not supported: save the response with returnType=JSON, or the CSV download',
    );
  }
  const format = start.startsWith('{') || start.startsWith('[') ? 'json' : 'csv';
  const listing = format === 'json' ? readJson(file, text) : readCsv(file, text);

  const skipped = [...listing.skipped];
  const firstIndex = new Map<string, number>();
  const kept: unknown[] = [];
  listing.records.forEach((record, index) => {
    const id =
      isPlainObject(record) && typeof record['과제번호'] === 'string' ? record['과제번호'].trim() : '';
    if (id !== '') {
      const first = firstIndex.get(id);
      if (first !== undefined) {
        skipped.push({
          id,
          reason: `duplicate 과제번호 ${id} (record ${index + 1}; first at record ${first + 1}); the first copy is kept`,
        });
        return;
      }
      firstIndex.set(id, index);
    }
    kept.push(record);
  });

  const problems = [...listing.problems];
  if (listing.expectedTotal !== undefined && kept.length !== listing.expectedTotal) {
    problems.push(
      `the file holds ${kept.length} distinct records but totalCount is ${listing.expectedTotal}`,
    );
  }

  for (let offset = 0; offset < kept.length || offset === 0; offset += IMPORT_PAGE_SIZE) {
    const records = kept.slice(offset, offset + IMPORT_PAGE_SIZE);
    // Skipped rows ride on the first page so they are counted even when the file has no good row.
    const pageSkipped = offset === 0 ? skipped : [];
    if (records.length === 0 && pageSkipped.length === 0) break;
    // Parsing is synchronous; letting the event loop run between pages keeps a server that
    // imports a large file responsive.
    await nextTurn();
    yield pageSkipped.length > 0 ? { records, skipped: pageSkipped } : { records };
  }

  const end: ListingEnd = {
    listing: 'full',
    complete: problems.length === 0,
    info: {
      file: file.name,
      format,
      encoding,
      records: kept.length,
      skipped: skipped.length,
      ...listing.info,
    },
  };
  if (listing.expectedTotal !== undefined) end.expectedTotal = listing.expectedTotal;
  if (problems.length > 0) end.incompleteReason = `${SOURCE}: ${file.name}: ${problems.join('; ')}`;
  return end;
}
