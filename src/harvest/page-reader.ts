/**
 * The one way records enter a harvest (`PageReader`, given to every source): each record is
 * mapped, hashed and let go, one at a time. A page response is read with the adapter's `readPage`,
 * which locates its records without parsing the page as a whole tree, so a record keeps its JSON as
 * the upstream's own bytes; records a source parsed itself keep the JSON `JSON.stringify` writes.
 * The harvest stores that JSON compressed.
 */
import { AppError } from '../errors/app-error.js';
import type { UpstreamResponse } from '../sources/http/upstream-client.js';
import type {
  PageReader,
  PreparedPage,
  PreparedRecords,
  SkippedRecord,
  SourceAdapter,
} from '../sources/source.types.js';
import { RecordError } from '../sources/source.types.js';
import type { CanonicalSerializer } from '../domain/canonical.js';

/** The page reader a harvest (or an import) of `adapter` hands to it. */
export function pageReaderFor(adapter: SourceAdapter, serializer: CanonicalSerializer): PageReader {
  return {
    readPage: (response) => preparePage(adapter, serializer, response),
    prepare: (records) => prepareRecords(adapter, serializer, records),
  };
}

/**
 * Reads a page response with the adapter's `readPage` and maps and hashes each record. A record
 * `map` refuses (`RecordError`) is listed in `refused`; any other error fails the page.
 */
export function preparePage(
  adapter: SourceAdapter,
  serializer: CanonicalSerializer,
  response: UpstreamResponse,
): PreparedPage {
  if (adapter.readPage === undefined) {
    throw new AppError('INTERNAL', `Source ${adapter.id} has no page reader`);
  }
  const page = adapter.readPage(response);
  const out: PreparedPage = { meta: page.meta, count: page.count, prepared: [], refused: [] };
  for (let i = 0; i < page.count; i++) prepareOne(adapter, serializer, page.record(i), page.json(i), out);
  return out;
}

/** Maps and hashes records already parsed, as `preparePage` does those of a page response. */
export function prepareRecords(
  adapter: SourceAdapter,
  serializer: CanonicalSerializer,
  records: readonly unknown[],
): PreparedRecords {
  const out: PreparedRecords = { prepared: [], refused: [] };
  for (const raw of records) prepareOne(adapter, serializer, raw, undefined, out);
  return out;
}

function prepareOne(
  adapter: SourceAdapter,
  serializer: CanonicalSerializer,
  raw: unknown,
  upstreamJson: Uint8Array | undefined,
  out: PreparedRecords,
): void {
  try {
    const trial = adapter.map(raw);
    const json = upstreamJson ?? Buffer.from(JSON.stringify(raw), 'utf8');
    out.prepared.push({ trial, hash: serializer.hash(raw), json });
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    out.refused.push({ id: error.recordId, reason: error.message } satisfies SkippedRecord);
  }
}
