import type { SourceConfigBase, SourceConfigParser } from '../config/config.js';
import type { HarvestMode, MappedTrial, SourceId } from '../domain/trial.types.js';
import type { ChangeProfile } from '../domain/change.types.js';
import type { CanonicalRules } from '../domain/canonical.js';
import type { UpstreamClient, UpstreamResponse } from './http/upstream-client.js';

/** A record the source could not use, with why (counted and recorded on the run). */
export interface SkippedRecord {
  id: string | null;
  reason: string;
}

/**
 * One page of a listing. Its records come mapped and hashed through the `PageReader` the source is
 * given (`readPage` for a page response, `prepare` for records the source parsed itself): there is
 * no other way for a record into the harvest.
 */
export interface SourcePage {
  /** Records mapped and hashed by the page reader, in upstream order. */
  prepared?: PreparedRecord[];
  /** Records the page reader found `map` refusing (a `RecordError`): skipped with the reason. */
  refused?: SkippedRecord[];
  skipped?: SkippedRecord[];
  /**
   * Ids the upstream lists without their content (an id-only reconciliation pass): they count as
   * seen, so a complete full listing of ids can mark the others removed.
   */
  presentIds?: string[];
  /**
   * The adapter's state as of the end of this page (what the next run should start from if this
   * one stops here): saved once the page is written, without marking the run a success, so a run
   * that fails or is interrupted later keeps it. The state of `ListingEnd` still wins at the end.
   */
  checkpoint?: Record<string, unknown>;
}

/** How a listing ended: what the harvest service needs to decide on removals and to record. */
export interface ListingEnd {
  /** `full`: the pages were meant to list every record the upstream has (removal may follow). */
  listing: 'full' | 'partial';
  /** Whether the counts added up; an incomplete full listing never removes anything. */
  complete: boolean;
  expectedTotal?: number;
  incompleteReason?: string;
  /** The adapter's incremental state to keep when the run succeeds. */
  state?: Record<string, unknown>;
  /** Facts for the run record (dataset version, upstream total, …). Never secrets. */
  info?: Record<string, unknown>;
  /** Set when the run found nothing to do upstream (e.g. the data timestamp did not move). */
  skippedBecause?: string;
}

export type PageStream = AsyncGenerator<SourcePage, ListingEnd, void>;

/** A record mapped and hashed ahead of the harvest service's classification. */
export interface PreparedRecord {
  trial: MappedTrial;
  /** The content hash (canonical form by the adapter's rules). */
  hash: string;
  /** The record's JSON (UTF-8): the upstream's own bytes when the page was read record by record. */
  json: Uint8Array;
}

/**
 * What an adapter's `readPage` makes of one page response: its facts at once, its records one by
 * one on demand (a reader may locate them without parsing them).
 */
export interface ReadPage {
  /** The adapter's own facts about the page (next page token, total, …): plain data. */
  meta: Record<string, unknown>;
  /** Records on the page. */
  count: number;
  /** The index-th record, parsed (anew on each call); throws `AppError` for one that cannot be read. */
  record(index: number): unknown;
  /** Its JSON as the upstream sent it (UTF-8 bytes), when the reader has it. */
  json(index: number): Uint8Array | undefined;
}

/** Records mapped and hashed by a `PageReader`. */
export interface PreparedRecords {
  prepared: PreparedRecord[];
  /** Records `map` refused (a `RecordError`): skipped with the reason. */
  refused: SkippedRecord[];
}

/** One page response read by `PageReader.readPage`: its facts and its records, mapped and hashed. */
export interface PreparedPage extends PreparedRecords {
  meta: Record<string, unknown>;
  /** How many records the page holds. */
  count: number;
}

/**
 * How a source turns what it read into a page's records (src/harvest/page-reader.ts): mapped with
 * the adapter's `map` and hashed by its canonical rules, one at a time. Put the result on the
 * `SourcePage` (`prepared`, `refused`).
 */
export interface PageReader {
  /**
   * Reads one page response with the adapter's `readPage`, mapping and hashing its records one at a
   * time. Throws what `readPage` throws (an `AppError` for an unreadable page).
   */
  readPage(response: UpstreamResponse): PreparedPage;
  /**
   * Maps and hashes records the source parsed itself (a listing it reads whole, detail calls, a
   * file). Throws what `map` throws other than a `RecordError` (an `AppError` fails the run).
   */
  prepare(records: readonly unknown[]): PreparedRecords;
}

export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface HarvestContext<C extends SourceConfigBase> extends PageReader {
  config: C;
  mode: HarvestMode;
  /** The adapter's state saved by the last successful run (empty at first). */
  state: Readonly<Record<string, unknown>>;
  /** Epoch ms of the last successful run of this source, or null. */
  lastSuccessAt: number | null;
  client: UpstreamClient;
  signal: AbortSignal;
  log: Logger;
}

/** A saved upstream file handed to `trialwatch import`. */
export interface ImportFile {
  name: string;
  content: Buffer;
  /**
   * The user vouches that the file is the source's whole dataset (`import --full`): a file that
   * cannot show it is whole (no upstream count, a last record that may be cut, far fewer records
   * than are stored) may still remove the trials it lacks.
   */
  assumeComplete?: boolean;
}

/**
 * Every source has this shape (`src/sources/<id>/<id>-source.ts`). Sources talk to the network
 * only; they never touch the database. `map` is pure.
 */
export interface SourceAdapter<C extends SourceConfigBase = SourceConfigBase> {
  id: SourceId;
  /** Human name of the registry. */
  name: string;
  parseConfig: SourceConfigParser & ((...args: Parameters<SourceConfigParser>) => C);
  /**
   * The config keys that hold secrets (service keys, tokens): their values are redacted from every
   * URL, log line, error and run record (see `secretsOf` in http/redact.ts).
   */
  secretKeys: readonly string[];
  canonicalRules: CanonicalRules;
  /** How two versions of a record are compared for typed changes (`<id>-changes.ts`). */
  changes: ChangeProfile;
  /** Maps one upstream record; throws `RecordError` for a record to skip, `AppError` to fail the run. */
  map(raw: unknown): MappedTrial;
  /** Pages through the upstream. */
  harvest(context: HarvestContext<C>): PageStream;
  /** Reads a saved upstream file (JSON response, CSV download) as pages, for `trialwatch import`. */
  readFile?(file: ImportFile, reader: PageReader): PageStream;
  /**
   * Reads one page response of the listing into its records, located but not yet parsed (pure: no
   * I/O, no state); what `HarvestContext.readPage` uses. Throws `AppError` for a page that cannot
   * be read.
   */
  readPage?(response: UpstreamResponse): ReadPage;
}

/** A record-level problem: the record is skipped with this reason; the run goes on. */
export class RecordError extends Error {
  readonly recordId: string | null;

  constructor(recordId: string | null, reason: string) {
    super(reason);
    this.name = 'RecordError';
    this.recordId = recordId;
  }
}
