/**
 * Reads one listing page for the harvest (`HarvestContext.readPage`): the adapter's `readPage`
 * locates the page's records, then each is parsed, mapped, hashed and let go, one at a time, so a
 * page never exists as a whole parsed tree. A record keeps its JSON as the upstream's own bytes,
 * which the harvest stores compressed.
 */
import { AppError } from '../errors/app-error.js';
import type { UpstreamResponse } from '../sources/http/upstream-client.js';
import type { PreparedPage, SkippedRecord, SourceAdapter } from '../sources/source.types.js';
import { RecordError } from '../sources/source.types.js';
import type { CanonicalSerializer } from '../domain/canonical.js';

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
  for (let i = 0; i < page.count; i++) {
    const raw = page.record(i);
    try {
      const trial = adapter.map(raw);
      const json = page.json(i) ?? Buffer.from(JSON.stringify(raw), 'utf8');
      out.prepared.push({ trial, hash: serializer.hash(raw), json });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      out.refused.push({ id: error.recordId, reason: error.message } satisfies SkippedRecord);
    }
  }
  return out;
}
