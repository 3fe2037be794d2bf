/** Saved ClinicalTrials.gov files for `trialwatch import`: a study, a `/studies` page, an array or NDJSON. */
import { isUtf8 } from 'node:buffer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError, messageOf } from '../../errors/app-error.js';
import { scanUtf8, utf8BomLength, utf8CutTailLength } from '../http/body-text.js';
import { scanJsonPage } from '../http/json-page.js';
import type { ImportFile, PageReader, PageStream } from '../source.types.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'ctgov';
/** Studies per page when importing a saved file. */
const IMPORT_PAGE_SIZE = 500;

function unreadable(file: ImportFile, reason: string): AppError {
  return new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: ${reason}`);
}

/** A file's studies: how many, and a range of them parsed on demand (NDJSON is parsed page by page). */
interface FileStudies {
  count: number;
  slice(start: number, end: number): unknown[];
  format: string;
}

function listed(studies: unknown[], format: string): FileStudies {
  return { count: studies.length, slice: (start, end) => studies.slice(start, end), format };
}

/** A saved `/studies` page, its studies located in the bytes as the harvest's page reader does. */
function scannedPageOfFile(file: ImportFile): FileStudies | undefined {
  const scanned = scanJsonPage(file.content, 'studies');
  if (scanned === undefined) return undefined;
  const parse = (index: number): unknown => {
    try {
      return JSON.parse(scanned.text(index)) as unknown;
    } catch (error) {
      throw new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: study ${index + 1} is not JSON`, {
        cause: error,
      });
    }
  };
  return {
    count: scanned.count,
    slice: (start, end) =>
      Array.from({ length: Math.max(0, Math.min(end, scanned.count) - start) }, (_, i) => parse(start + i)),
    format: 'studies-page',
  };
}

function nonEmpty(file: ImportFile, text: string): string {
  if (text.trim() === '') throw unreadable(file, 'the file is empty');
  return text;
}

const isJsonSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

/**
 * One study per line (NDJSON), as some exports and our own `ndjson` export write them: at least two
 * non-empty lines, each starting with `{`, the first a whole JSON value. Lines are located in the
 * bytes and each page's lines decoded and parsed when it is read, so a large file is never one
 * string nor all its studies parsed at once. Undefined when the bytes are not NDJSON.
 */
function ndjsonOfFile(file: ImportFile, bytes: Buffer, from: number, to: number): FileStudies | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = from; at < to;) {
    const newline = bytes.indexOf(0x0a, at);
    const lineEnd = newline < 0 || newline > to ? to : newline;
    let first = at;
    while (first < lineEnd && isJsonSpace(bytes[first])) first++;
    if (first < lineEnd) {
      if (bytes[first] !== 0x7b) return undefined;
      starts.push(first);
      ends.push(lineEnd);
    }
    at = lineEnd + 1;
  }
  if (starts.length < 2) return undefined;
  const parse = (index: number): unknown => {
    try {
      return JSON.parse(bytes.toString('utf8', starts[index], ends[index])) as unknown;
    } catch (lineError) {
      throw new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: line ${index + 1} is not JSON`, {
        cause: lineError,
      });
    }
  };
  try {
    parse(0);
  } catch {
    return undefined;
  }
  return {
    count: starts.length,
    slice: (start, end) =>
      Array.from({ length: Math.max(0, Math.min(end, starts.length) - start) }, (_, i) => parse(start + i)),
    format: 'ndjson',
  };
}

function studiesOfFile(file: ImportFile, text: string): FileStudies {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(
      'IMPORT_UNREADABLE',
      `${SOURCE}: ${file.name} is not JSON, so it is no ClinicalTrials.gov file (a study, a /studies page, an array of studies or NDJSON); nothing was imported: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  if (Array.isArray(body)) return listed(body, 'study-array');
  if (isPlainObject(body) && Array.isArray(body.studies)) return listed(body.studies, 'studies-page');
  if (isPlainObject(body) && isPlainObject(body.protocolSection)) return listed([body], 'study');
  throw unreadable(file, 'expected a study, a /studies page ({"studies":[…]}) or an array of studies');
}

/**
 * Reads a saved `/studies` page, a `/studies/{nctId}` body, the website's "ctg-studies.json"
 * download (an array) or NDJSON as pages of studies. A file is never a full listing: importing a
 * search export must not mark the rest of the mirror removed.
 */
export async function* readCtgovFile(file: ImportFile, reader: PageReader): PageStream {
  // A byte that is not UTF-8 is refused, never stored as U+FFFD (as in an upstream body); a file
  // cut inside its last character is read without it (and then fails as the cut JSON it is).
  const end = file.content.length - utf8CutTailLength(file.content);
  if (!isUtf8(file.content.subarray(0, end))) {
    const scan = scanUtf8(file.content);
    throw unreadable(
      file,
      `the file is not valid UTF-8 (${file.content.length} bytes, ${scan.badBytes} bad, the first at offset ${scan.firstBadOffset})`,
    );
  }
  const start = utf8BomLength(file.content);
  const studies =
    ndjsonOfFile(file, file.content, start, end) ??
    scannedPageOfFile(file) ??
    studiesOfFile(file, nonEmpty(file, file.content.toString('utf8', start, end)));
  for (let offset = 0; offset < studies.count; offset += IMPORT_PAGE_SIZE) {
    // Parsing is synchronous; letting the event loop run between pages keeps a server responsive.
    await nextTurn();
    yield reader.prepare(studies.slice(offset, offset + IMPORT_PAGE_SIZE));
  }
  return {
    listing: 'partial',
    complete: true,
    info: { file: file.name, format: studies.format, studies: studies.count },
  };
}
