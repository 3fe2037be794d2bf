/**
 * A page reader for source unit tests that look at what a source read, before any mapping: it keeps
 * every record a source hands to `prepare`, as given, and prepares none (so a record the mapper
 * would refuse or fail on is still there to look at). `readPage` has the real reader's behaviour.
 */
import type { CanonicalSerializer } from '../../src/domain/canonical.js';
import { preparePage } from '../../src/harvest/page-reader.js';
import type { PageReader, SourceAdapter } from '../../src/sources/source.types.js';

export interface RecordingReader extends PageReader {
  /** Every record handed to `prepare`, in order. */
  readonly records: unknown[];
}

export function recordingReader(page?: {
  adapter: SourceAdapter;
  serializer: CanonicalSerializer;
}): RecordingReader {
  const records: unknown[] = [];
  return {
    records,
    prepare(list) {
      records.push(...list);
      return { prepared: [], refused: [] };
    },
    readPage(response) {
      if (page === undefined) throw new Error('this test reads no page responses');
      return preparePage(page.adapter, page.serializer, response);
    },
  };
}
