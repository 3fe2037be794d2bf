/**
 * Long reads on SQLite off the API's event loop: a Kysely dialect whose queries run on worker
 * threads, each with its own read-only better-sqlite3 connection to the same file (WAL lets them
 * read while another connection writes).
 *
 * better-sqlite3 is synchronous: a facet over every trial, a count or an export page run on the
 * main connection would stall every other request of the process for as long as it takes. Here
 * such a query costs the event loop one message each way, and point lookups stay on the main
 * connection, where they are cheaper than the message would be.
 *
 * Bounded: `size` threads; a query that has not finished `timeoutMs` after it was asked (queue time
 * included) fails with REQUEST_TIMEOUT, and its thread is replaced, so one pathological query never
 * holds a reader for the next request (the old thread finishes its statement detached: SQLite
 * cannot be interrupted through better-sqlite3). Read-only by construction (SQLITE_OPEN_READONLY): the pool
 * has no transactions and refuses statements that write.
 *
 * The thread's code is plain JavaScript evaluated by the Worker (`eval: true`), so it runs the same
 * from `dist/`, under tsx and under vitest, none of which agree on how to load a `.ts` worker file.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
} from 'kysely';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { AppError } from '../errors/app-error.js';

const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
parentPort.postMessage({ opened: true });
const cache = new Map();
function statement(sql) {
  let found = cache.get(sql);
  if (found === undefined) {
    found = db.prepare(sql);
    cache.set(sql, found);
    if (cache.size > 200) cache.delete(cache.keys().next().value);
  }
  return found;
}
parentPort.on('message', (message) => {
  try {
    const prepared = statement(message.sql);
    if (!prepared.reader) throw Object.assign(new Error('the reader pool runs only queries that return rows'), { code: 'READ_ONLY' });
    const params = message.params.map((value) => value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value);
    parentPort.postMessage({ id: message.id, rows: prepared.all(params) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/** Pause before threads that could not open the database are tried again (ms). */
const OPEN_RETRY_MS = 1_000;

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

interface Reader {
  worker: Worker;
  /** Whether its connection opened (a thread that fails before is an open failure, not a crash). */
  opened: boolean;
  busy: (Pending & { id: number; timer: NodeJS.Timeout | undefined }) | undefined;
}

interface Job extends Pending {
  sql: string;
  params: readonly unknown[];
  deadline: number;
  timer: NodeJS.Timeout | undefined;
}

export interface ReaderPoolOptions {
  path: string;
  /** Worker threads (each one connection). */
  size: number;
  /** A query not answered this long after it was asked fails with REQUEST_TIMEOUT (ms); 0 = never. */
  timeoutMs: number;
  busyTimeoutMs?: number;
}

function toBuffers(rows: unknown[]): unknown[] {
  // Structured cloning turns Buffers into plain Uint8Arrays; the rest of the store expects Buffers.
  for (const row of rows as Record<string, unknown>[]) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
        row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    }
  }
  return rows;
}

/** The threads and the queue; one instance per store. */
export class SqliteReaderPool {
  readonly #options: ReaderPoolOptions;
  readonly #module = createRequire(import.meta.url).resolve('better-sqlite3');
  readonly #readers: Reader[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #detached = 0;
  #started = false;
  #openFailure: AppError | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Threads start with the first query: by then the main connection has created and migrated the file. */
  constructor(options: ReaderPoolOptions) {
    this.#options = options;
  }

  #spawn(): Reader {
    const worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: {
        module: this.#module,
        path: this.#options.path,
        busyTimeoutMs: this.#options.busyTimeoutMs ?? 15_000,
      },
    });
    worker.unref();
    const reader: Reader = { worker, opened: false, busy: undefined };
    worker.on(
      'message',
      (message: {
        id: number;
        opened?: true;
        rows?: unknown[];
        error?: { message: string; code?: string };
      }) => {
        if (message.opened === true) {
          reader.opened = true;
          this.#openFailure = undefined;
          return;
        }
        const job = reader.busy;
        if (job === undefined || job.id !== message.id) return;
        reader.busy = undefined;
        clearTimeout(job.timer);
        if (message.error !== undefined) {
          job.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
        } else {
          job.resolve(toBuffers(message.rows ?? []));
        }
        this.#dispatch();
      },
    );
    worker.on('error', (error) => {
      if (reader.opened) this.#replace(reader, error);
      else this.#failedToOpen(reader, error);
    });
    worker.on('exit', () => {
      if (reader.busy !== undefined) this.#replace(reader, new Error('a reader thread stopped'));
    });
    return reader;
  }

  /**
   * Fails the query of a reader that is stuck or broken and takes the thread out of service.
   * better-sqlite3 cannot interrupt a statement, so `terminate()` takes effect only once SQLite
   * returns: the thread finishes its statement detached, and at most `size` detached threads are
   * tolerated before replacements wait for them (CPU stays bounded).
   */
  #replace(reader: Reader, error: Error): void {
    const index = this.#readers.indexOf(reader);
    if (index === -1) return;
    this.#readers.splice(index, 1);
    const job = reader.busy;
    reader.busy = undefined;
    if (job !== undefined) {
      clearTimeout(job.timer);
      job.reject(error);
    }
    this.#detached++;
    void reader.worker.terminate().finally(() => {
      this.#detached--;
      this.#refill();
    });
    this.#refill();
  }

  /**
   * A thread could not open the database (a path that is gone or unreadable): every waiting query
   * fails at once with DATABASE_UNAVAILABLE, and new threads are tried again after a pause, never
   * in a tight loop.
   */
  #failedToOpen(reader: Reader, error: Error): void {
    const index = this.#readers.indexOf(reader);
    if (index !== -1) this.#readers.splice(index, 1);
    this.#openFailure = new AppError(
      'DATABASE_UNAVAILABLE',
      `The SQLite database cannot be read: ${error.message}`,
      {
        cause: error,
        retryAfterSeconds: 5,
      },
    );
    const failed = [...(reader.busy === undefined ? [] : [reader.busy]), ...this.#queue.splice(0)];
    reader.busy = undefined;
    for (const job of failed) {
      clearTimeout(job.timer);
      job.reject(this.#openFailure);
    }
    if (this.#retryTimer === undefined && !this.#closed) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.#refill();
      }, OPEN_RETRY_MS);
      this.#retryTimer.unref();
    }
  }

  #refill(): void {
    const { size } = this.#options;
    while (!this.#closed && this.#readers.length < size && this.#readers.length + this.#detached < 2 * size) {
      this.#readers.push(this.#spawn());
    }
    this.#dispatch();
  }

  #timeoutError(): AppError {
    return new AppError(
      'REQUEST_TIMEOUT',
      `The query did not finish within ${this.#options.timeoutMs} ms; narrow the request and try again`,
      { retryAfterSeconds: 1 },
    );
  }

  query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new AppError('DATABASE_UNAVAILABLE', 'The database is closed'));
    if (this.#openFailure !== undefined && this.#readers.length === 0)
      return Promise.reject(this.#openFailure);
    return new Promise((resolve, reject) => {
      const { timeoutMs } = this.#options;
      const job: Job = { sql, params, resolve, reject, deadline: Date.now() + timeoutMs, timer: undefined };
      if (timeoutMs > 0) {
        // While queued: leave the queue. Once running, the dispatch re-arms it for the thread.
        job.timer = setTimeout(() => {
          const at = this.#queue.indexOf(job);
          if (at !== -1) this.#queue.splice(at, 1);
          reject(this.#timeoutError());
        }, timeoutMs);
      }
      this.#queue.push(job);
      if (!this.#started) {
        this.#started = true;
        this.#refill();
      }
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const reader of this.#readers) {
      if (reader.busy !== undefined) continue;
      const job = this.#queue.shift();
      if (job === undefined) return;
      clearTimeout(job.timer);
      const id = this.#nextId++;
      const busy = {
        id,
        resolve: job.resolve,
        reject: job.reject,
        timer: undefined as NodeJS.Timeout | undefined,
      };
      if (this.#options.timeoutMs > 0) {
        busy.timer = setTimeout(
          () => this.#replace(reader, this.#timeoutError()),
          Math.max(0, job.deadline - Date.now()),
        );
      }
      reader.busy = busy;
      reader.worker.postMessage({ id, sql: job.sql, params: job.params });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    for (const job of this.#queue.splice(0)) {
      clearTimeout(job.timer);
      job.reject(new AppError('DATABASE_UNAVAILABLE', 'The database is closing'));
    }
    await Promise.all(this.#readers.splice(0).map((reader) => reader.worker.terminate()));
  }
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReaderPool) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const rows = await this.pool.query(compiledQuery.sql, compiledQuery.parameters);
    return { rows: rows as R[] };
  }

  /** Refused: a stream would hold a thread across the caller's awaits. Page the query instead. */
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    const refused = new AppError(
      'INTERNAL',
      'The SQLite reader pool does not stream; page the query instead',
    );
    const iterator: AsyncIterableIterator<QueryResult<R>> = {
      next: () => Promise.reject(refused),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

class ReaderPoolDriver implements Driver {
  readonly #connection: ReaderConnection;

  constructor(private readonly pool: SqliteReaderPool) {
    this.#connection = new ReaderConnection(pool);
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.#connection);
  }

  beginTransaction(): Promise<void> {
    return Promise.reject(new AppError('INTERNAL', 'The SQLite reader pool has no transactions'));
  }

  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  async releaseConnection(): Promise<void> {}

  destroy(): Promise<void> {
    return this.pool.close();
  }
}

/** A Kysely dialect over the reader pool: SQLite's compiler and adapter, the pool as driver. */
export class SqliteReaderPoolDialect implements Dialect {
  constructor(private readonly pool: SqliteReaderPool) {}

  createDriver(): Driver {
    return new ReaderPoolDriver(this.pool);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
