import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors/app-error.js';
import type { ImportFile, ListingEnd, PageReader, PageStream, SkippedRecord } from '../source.types.js';
import { utf8BomLength } from '../http/body-text.js';
import { scanJsonPage } from '../http/json-page.js';
import { toCount } from '../http/lenient.js';
import { asGatewayError } from './kr-icreat-client.js';
import type { CsvRow, KrTextEncoding } from './kr-icreat-text.js';
import { decodeKrText, parseCsv } from './kr-icreat-text.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'kr-icreat';
/** Records per yielded page when importing, so a big file is written in bounded batches. */
const IMPORT_PAGE_SIZE = 1000;

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

function unreadable(file: ImportFile, why: string, cause?: unknown): AppError {
  return new AppError(
    'IMPORT_UNREADABLE',
    `${SOURCE}: cannot import ${file.name}: ${why}`,
    cause === undefined ? {} : { cause },
  );
}

interface FileListing {
  /** Records in the file, each read (parsed, for a scanned JSON response) when asked for. */
  count: number;
  record(index: number): unknown;
  /** Rows that could not be made into a record (CSV), with where and why. */
  skipped: SkippedRecord[];
  problems: string[];
  info: Record<string, unknown>;
  expectedTotal?: number;
}

function fromArray(records: unknown[]): Pick<FileListing, 'count' | 'record'> {
  return { count: records.length, record: (index) => records[index] };
}

/** The facts of an odcloud response besides its records, and the listing they make. */
function odcloudListing(
  file: ImportFile,
  body: Record<string, unknown>,
  records: Pick<FileListing, 'count' | 'record'>,
): FileListing {
  const problems: string[] = [];
  const totalCount = toCount(body.totalCount);
  const currentCount = toCount(body.currentCount);
  if (currentCount !== undefined && currentCount !== records.count) {
    problems.push(`currentCount is ${currentCount} but the file holds ${records.count} records`);
  }
  // Without the upstream's count the file cannot show that it is whole, unless the user vouches.
  if (totalCount === undefined && file.assumeComplete !== true) {
    problems.push('the file has no readable totalCount (if it is the whole dataset, import it with --full)');
  }
  const listing: FileListing = {
    ...records,
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

/**
 * A UTF-8 odcloud response read from its bytes (src/sources/http/json-page.ts), each record parsed
 * when its page is read: a large file is never one string nor all its records parsed at once.
 * Undefined for anything the scan does not take (the whole-text path then gives the usual answer).
 */
function scanOdcloudFile(file: ImportFile): FileListing | undefined {
  const scanned = scanJsonPage(file.content, 'data');
  if (scanned === undefined) return undefined;
  return odcloudListing(file, scanned.page, {
    count: scanned.count,
    record: (index) => {
      try {
        return JSON.parse(scanned.text(index)) as unknown;
      } catch (error) {
        throw unreadable(file, `record ${index + 1} of "data" does not parse (is the file damaged?)`, error);
      }
    },
  });
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
  return odcloudListing(file, body, fromArray(body.data));
}

function readCsv(file: ImportFile, text: string): FileListing {
  const headerEnd = text.search(/[\r\n]/);
  const headerLine = headerEnd === -1 ? text : text.slice(0, headerEnd);
  // data.go.kr serves comma-separated files; a tab-separated export (Excel "Unicode text") is read too.
  const delimiter = !headerLine.includes(',') && headerLine.includes('\t') ? '\t' : ',';
  const { rows, unterminated, lastRowEnded } = parseCsv(text, delimiter);
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
  // Any text file reads as a CSV of one column; without the id column it is no dataset of this source.
  if (!header.includes('과제번호')) {
    const shown = headerLine.trim().slice(0, 80);
    throw unreadable(
      file,
      `it is no kr-icreat dataset (an odcloud JSON response, or the data.go.kr CSV download, whose first line names the columns 과제번호,과제명,…), its first line is "${shown}${headerLine.trim().length > 80 ? '…' : ''}"; nothing was imported`,
    );
  }

  const good: string[][] = [];
  const skipped: SkippedRecord[] = [];
  const problems: string[] = [];
  const idColumn = header.indexOf('과제번호');
  const isBlank = (row: CsvRow) => row.cells.every((cell) => cell.trim() === '');
  const last = bodyRows.findLast((row) => !isBlank(row));
  // Only the file's final row can lack its line break (a blank one after the last record does not count).
  const lastUnended = !lastRowEnded && bodyRows.at(-1) === last;
  let unreadableRows = 0;
  for (const row of bodyRows) {
    if (isBlank(row)) continue;
    const rawId = idColumn >= 0 ? (row.cells[idColumn]?.trim() ?? '') : '';
    const id = rawId === '' ? null : rawId;
    const extra = row.cells.slice(header.length);
    const short = row.cells.length < header.length;
    // The last row of a cut file: short (cut between fields), or without its line break (cut
    // inside an unquoted field, which looks whole). It is never stored; unless the user vouches
    // for the file (`--full`), the file cannot show that the records after it are gone.
    if (row === last && (short || lastUnended)) {
      const why = short
        ? `has ${row.cells.length} cells where the header has ${header.length}`
        : 'does not end in a line break';
      if (short || file.assumeComplete !== true) {
        skipped.push({
          id,
          reason: `line ${row.line}, the file's last, ${why}: the file looks cut inside it, so it is not stored`,
        });
        if (file.assumeComplete !== true) {
          problems.push(
            `the file does not end in a complete record (line ${row.line}${id === null ? '' : `, ${id}`}, ${why}), so it may have been cut there; if it is the whole dataset, import it with --full`,
          );
        }
        continue;
      }
    }
    if (short || extra.some((cell) => cell !== '')) {
      skipped.push({
        id,
        reason: `line ${row.line} has ${row.cells.length} cells where the header has ${header.length}`,
      });
      unreadableRows++;
      continue;
    }
    good.push(row.cells);
  }
  if (unreadableRows > 0) problems.unshift(`${unreadableRows} CSV rows could not be read`);
  // Records are made from their rows page by page, so a large file never holds both at once.
  return {
    count: good.length,
    record: (index) => Object.fromEntries(header.map((name, column) => [name, good[index]?.[column] ?? ''])),
    skipped,
    problems,
    info: { columns: header },
  };
}

/**
 * Reads a saved odcloud JSON response or the data.go.kr CSV download as pages of records (objects
 * keyed by the Korean column names, string values, prepared by `reader`), like a harvest yields them.
 * The listing is `full`; it is complete only when the file's own counts add up and it ends in a
 * complete record (a CSV's last row may otherwise be cut: it is not stored), unless the user vouches
 * for the file (`file.assumeComplete`). A CSV carries no count: the harvest service removes nothing
 * after one the user did not vouch for.
 */
export async function* readKrIcreatFile(file: ImportFile, reader: PageReader): PageStream {
  const scanned = scanOdcloudFile(file);
  let format: 'json' | 'csv' = 'json';
  let encoding: KrTextEncoding = utf8BomLength(file.content) === 3 ? 'utf-8-bom' : 'utf-8';
  let listing: FileListing;
  if (scanned !== undefined) {
    listing = scanned;
  } else {
    const decoded = decodeKrText(file.content);
    if ('problem' in decoded) throw unreadable(file, decoded.problem);
    encoding = decoded.encoding;
    const start = decoded.text.trimStart();
    if (start === '') throw unreadable(file, 'the file is empty');
    if (start.startsWith('<')) {
      throw unreadable(
        file,
        'XML or HTML is not supported: save the response with returnType=JSON, or the CSV download',
      );
    }
    format = start.startsWith('{') || start.startsWith('[') ? 'json' : 'csv';
    listing = format === 'json' ? readJson(file, decoded.text) : readCsv(file, decoded.text);
  }

  // Skipped rows ride on the first page so they are counted even when the file has no good row;
  // a duplicate rides on the page where it is found.
  let skipped = [...listing.skipped];
  let skippedCount = skipped.length;
  const firstIndex = new Map<string, number>();
  let records: unknown[] = [];
  let kept = 0;
  for (let index = 0; index < listing.count; index++) {
    const record = listing.record(index);
    const id =
      isPlainObject(record) && typeof record['과제번호'] === 'string' ? record['과제번호'].trim() : '';
    const first = id === '' ? undefined : firstIndex.get(id);
    if (first !== undefined) {
      skipped.push({
        id,
        reason: `duplicate 과제번호 ${id} (record ${index + 1}; first at record ${first + 1}); the first copy is kept`,
      });
      skippedCount++;
    } else {
      if (id !== '') firstIndex.set(id, index);
      records.push(record);
      kept++;
    }
    if (records.length === IMPORT_PAGE_SIZE) {
      // Parsing is synchronous; letting the event loop run between pages keeps a server that
      // imports a large file responsive.
      await nextTurn();
      const prepared = reader.prepare(records);
      yield skipped.length > 0 ? { ...prepared, skipped } : prepared;
      records = [];
      skipped = [];
    }
  }
  if (records.length > 0 || skipped.length > 0) {
    await nextTurn();
    const prepared = reader.prepare(records);
    yield skipped.length > 0 ? { ...prepared, skipped } : prepared;
  }

  const problems = [...listing.problems];
  if (listing.expectedTotal !== undefined && kept !== listing.expectedTotal) {
    problems.push(`the file holds ${kept} distinct records but totalCount is ${listing.expectedTotal}`);
  }
  const end: ListingEnd = {
    listing: 'full',
    complete: problems.length === 0,
    info: {
      file: file.name,
      format,
      encoding,
      records: kept,
      skipped: skippedCount,
      ...listing.info,
    },
  };
  if (listing.expectedTotal !== undefined) end.expectedTotal = listing.expectedTotal;
  if (problems.length > 0) end.incompleteReason = `${SOURCE}: ${file.name}: ${problems.join('; ')}`;
  return end;
}
