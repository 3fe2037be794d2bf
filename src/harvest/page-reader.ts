/**
 * Reads listing pages for the harvest: the page's facts (next page token, …) on the harvest's
 * thread, then decode, parse, map and hash every record (`prepareRecords`, pure), in line or on one
 * worker thread (`PageReader`).
 *
 * On a worker, the page after this one is read while the harvest writes this one: reading a page
 * of 1,000 ClinicalTrials.gov studies (20 MB) costs about as much CPU as writing it, and the two
 * no longer queue on one thread. What crosses between the threads is the response body (moved,
 * not copied, where it owns its memory, and moved back with the records' JSON as views of it) and
 * the prepared records (mapped trial, hash); the parsed records stay on the worker and die there.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../errors/app-error.js';
import { AppError, isAppError, messageOf } from '../errors/app-error.js';
import type { UpstreamResponse } from '../sources/http/upstream-client.js';
import type {
  PreparedPage,
  PreparedRecords,
  ReadPage,
  SkippedRecord,
  SourceAdapter,
} from '../sources/source.types.js';
import { RecordError } from '../sources/source.types.js';
import { CanonicalSerializer } from './canonical.js';

/** Pages smaller than this are read in line: a worker pays off only on large pages. */
export const WORKER_MIN_PAGE_BYTES = 256 * 1024;

/**
 * Maps and hashes each record of a page read by the adapter's `readPage`, one record at a time
 * (parsed, mapped, hashed, then let go). A record `map` refuses (`RecordError`) is listed in
 * `refused`; any other error fails the page.
 */
export function prepareRecords(
  adapter: SourceAdapter,
  serializer: CanonicalSerializer,
  page: ReadPage,
): PreparedRecords {
  const out: PreparedRecords = { prepared: [], refused: [] };
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

/** The adapter's `readPage` of the response, or an error naming a source that has none. */
export function readPageWith(adapter: SourceAdapter, response: UpstreamResponse): ReadPage {
  if (adapter.readPage === undefined) {
    throw new AppError('INTERNAL', `Source ${adapter.id} has no page reader`);
  }
  return adapter.readPage(response);
}

/** A response as it crosses to the worker (the body as bytes). */
export interface PageRequest {
  id: number;
  source: string;
  response: Omit<UpstreamResponse, 'body'> & { body: Uint8Array };
}

/** An error as it crosses back: an AppError keeps its code and details. */
export interface ThreadError {
  code: ErrorCode | undefined;
  message: string;
  details: Record<string, unknown> | undefined;
}

export type PageReply =
  { id: number; records: PreparedRecords; body: ArrayBuffer } | { id: number; error: ThreadError };

export function threadError(error: unknown): ThreadError {
  return isAppError(error)
    ? { code: error.code, message: error.message, details: error.details }
    : { code: undefined, message: messageOf(error), details: undefined };
}

function rejected<T>(error: unknown): Promise<T> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}

function fromThreadError(error: ThreadError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new AppError(
    error.code,
    error.message,
    error.details === undefined ? {} : { details: error.details },
  );
}

/**
 * The worker's entry file, next to this one: `.js` when built; from the TypeScript sources (tests,
 * the bench) the worker registers tsx first, as the process that started it did.
 */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = new URL('./page-reader.worker.ts', import.meta.url).href;
    const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(code, { eval: true });
  }
  return new Worker(new URL('./page-reader.worker.js', import.meta.url));
}

export interface PageReaderOptions {
  /** Worker threads to use: 0 reads every page in line. At most one is used (pages come in order). */
  workers: number;
  /** Pages smaller than this many bytes are read in line. */
  minWorkerBytes?: number;
}

/**
 * `HarvestContext.readPage` for one harvest run. The worker starts with the first large page and
 * stops at `close()`; a worker that dies fails the pages it held with an `INTERNAL` error.
 */
export class PageReader {
  readonly #adapter: SourceAdapter;
  readonly #serializer: CanonicalSerializer;
  readonly #useWorker: boolean;
  readonly #minWorkerBytes: number;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (records: PreparedRecords) => void; reject: (error: Error) => void }
  >();
  /** Pages read on the worker thread (for tests and progress). */
  workerPages = 0;

  constructor(adapter: SourceAdapter, registered: SourceAdapter | undefined, options: PageReaderOptions) {
    this.#adapter = adapter;
    this.#serializer = new CanonicalSerializer(adapter.canonicalRules);
    // The worker finds the adapter by id in the registry: only the registered adapter itself qualifies.
    this.#useWorker = options.workers > 0 && registered === adapter;
    this.#minWorkerBytes = options.minWorkerBytes ?? WORKER_MIN_PAGE_BYTES;
  }

  /**
   * Reads the page's facts here (the adapter's reader locates records without parsing them), and
   * its records here or on the worker. The records' promise never counts as unhandled: a page
   * dropped unread (the harvest failed first) must not crash the process.
   */
  read(response: UpstreamResponse): Promise<PreparedPage> {
    let page: ReadPage;
    try {
      page = readPageWith(this.#adapter, response);
    } catch (error) {
      return rejected(error);
    }
    let records: Promise<PreparedRecords>;
    if (!this.#useWorker || response.body.length < this.#minWorkerBytes) {
      try {
        records = Promise.resolve(prepareRecords(this.#adapter, this.#serializer, page));
      } catch (error) {
        records = rejected(error);
      }
    } else {
      records = this.#send(response);
    }
    records.catch(() => undefined);
    return Promise.resolve({ meta: page.meta, count: page.count, records });
  }

  /** Hands the response to the worker, which reads the page again there and prepares its records. */
  #send(response: UpstreamResponse): Promise<PreparedRecords> {
    const worker = this.#start();
    const id = this.#nextId++;
    const { body } = response;
    // Move the body's memory to the worker when the Buffer owns all of it (a fetched body does);
    // a view into a shared pool is copied instead. Either way this thread reads it no more.
    const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const request: PageRequest = {
      id,
      source: this.#adapter.id,
      response: {
        status: response.status,
        contentType: response.contentType,
        safeUrl: response.safeUrl,
        ...(response.text === undefined ? {} : { text: response.text }),
        body: owns ? new Uint8Array(body.buffer) : new Uint8Array(body),
      },
    };
    const records = new Promise<PreparedRecords>((resolve, reject) =>
      this.#pending.set(id, { resolve, reject }),
    );
    worker.postMessage(request, owns ? [body.buffer as ArrayBuffer] : []);
    this.workerPages++;
    return records;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
    this.#failAll('the harvest ended while a page was being read');
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startWorker();
    worker.on('message', (reply: PageReply) => {
      const waiting = this.#pending.get(reply.id);
      if (waiting === undefined) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) waiting.reject(fromThreadError(reply.error));
      else waiting.resolve(reply.records);
    });
    worker.on('error', (error) => {
      this.#worker = undefined;
      this.#failAll(`the page reader thread failed: ${messageOf(error)}`);
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(`the page reader thread stopped (exit code ${code})`);
    });
    this.#worker = worker;
    return worker;
  }

  #failAll(reason: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const waiting of pending) waiting.reject(new AppError('INTERNAL', reason));
  }
}
