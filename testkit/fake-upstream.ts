/**
 * A fake upstream for tests and benchmarks: one real HTTP server on 127.0.0.1 and a random port
 * that plays every registry we harvest, so no test ever reaches the internet.
 *
 * The core is generic: a small router (`route`, with `{name}` placeholders), a fault queue that is
 * consulted before any route (status + body, delay, connection reset, truncated body, HTML), and a
 * log of every request. Each registry is installed on top of it as a controller (`kr` for the
 * odcloud gateway of data.go.kr 3074271); ctgov (`/api/v2/studies…`) and cris routes are meant to
 * be added the same way, as `installX(core)` functions whose controller `startFakeUpstream`
 * exposes.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FakeCtgov, FakeCtgovOptions } from './fake-ctgov.js';
import { installCtgov } from './fake-ctgov.js';
import type { FakeCris, FakeCrisOptions } from './fake-cris.js';
import { installCris } from './fake-cris.js';

// ---------------------------------------------------------------------------------------------
// Core: router, faults, request log

export interface FakeRequest {
  method: string;
  /** The path as sent (percent-encoding kept), e.g. `/api/3074271/v1/uddi:cfc1…`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Values of the route's `{name}` placeholders. */
  params: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** What to do to a request instead of (or before) answering it normally. */
export type Fault =
  /** Answer this instead of the route. */
  | {
      kind: 'respond';
      status: number;
      body?: string | Buffer;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** Wait, then answer normally (a slow upstream; longer than the client's timeout = a timeout). */
  | { kind: 'delay'; ms: number }
  /** Drop the connection without answering (ECONNRESET on the client). */
  | { kind: 'reset' }
  /** Answer normally, but close the connection after `bytes` of the body (default: half). */
  | { kind: 'truncate'; bytes?: number }
  /** An HTML error page, as a proxy or load balancer in front of the registry would send. */
  | { kind: 'html'; status?: number }
  /** A 200 whose body is not JSON at all. */
  | { kind: 'not-json'; status?: number; body?: string };

export type RequestMatcher = string | RegExp | ((request: FakeRequest) => boolean);

export interface FaultOptions {
  /** A path prefix, a RegExp tested on `path?query`, or a predicate; every request when omitted. */
  match?: RequestMatcher;
  /** How many matching requests the fault applies to (default 1; `Infinity` for all). */
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The status sent, or null when the connection was reset or cut. */
  status: number | null;
  fault: Fault['kind'] | null;
}

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

interface FaultRule {
  fault: Fault;
  match: RequestMatcher | undefined;
  remaining: number;
}

/** The generic part every registry controller is installed on. */
export class FakeServerCore {
  readonly requests: LoggedRequest[] = [];
  /** Answers requests no route matches; odcloud's gateway answer by default. */
  notFound: RouteHandler = () => text(404, 'not found service');
  baseUrl = '';
  readonly #routes: Route[] = [];
  readonly #faults: FaultRule[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #closing = new AbortController();
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`fake upstream handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  });

  /** Starts listening on 127.0.0.1 and a free port. */
  async listen(): Promise<void> {
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /**
   * Adds a route. `{name}` matches characters up to the next `/` (so `/uddi:{uuid}` works);
   * a RegExp's named groups become params. A later route wins over an earlier one, so a test can
   * override a built-in route.
   */
  route(method: string, pattern: string | RegExp, handler: RouteHandler): void {
    this.#routes.unshift({ method: method.toUpperCase(), pattern: compilePattern(pattern), handler });
  }

  injectFault(fault: Fault, options: FaultOptions = {}): void {
    this.#faults.push({ fault, match: options.match, remaining: options.times ?? 1 });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Faults not yet used up (to check a test consumed what it injected). */
  pendingFaults(): number {
    return this.#faults.filter((rule) => rule.remaining > 0).length;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.#closing.abort();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: FakeRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      params: {},
    };
    const entry: LoggedRequest = {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      status: null,
      fault: null,
    };
    this.requests.push(entry);

    const fault = this.#takeFault(request);
    entry.fault = fault?.kind ?? null;
    if (fault?.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'delay') {
      try {
        await sleep(fault.ms, undefined, { signal: this.#closing.signal });
      } catch {
        return; // the server is closing
      }
    }
    let response: FakeResponse;
    if (fault?.kind === 'respond') {
      response = {
        status: fault.status,
        headers: { 'content-type': fault.contentType ?? 'application/json; charset=UTF-8', ...fault.headers },
        body: fault.body ?? '',
      };
    } else if (fault?.kind === 'html') {
      response = {
        status: fault.status ?? 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
      };
    } else if (fault?.kind === 'not-json') {
      response = {
        status: fault.status ?? 200,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: fault.body ?? 'Service temporarily unavailable, please try again later',
      };
    } else {
      response = await this.#route(request);
    }

    const body =
      typeof response.body === 'string'
        ? Buffer.from(response.body, 'utf8')
        : (response.body ?? Buffer.alloc(0));
    if (res.destroyed) return;
    res.writeHead(response.status, { 'content-length': String(body.length), ...response.headers });
    if (fault?.kind === 'truncate') {
      const keep = Math.max(0, Math.min(body.length - 1, fault.bytes ?? Math.floor(body.length / 2)));
      res.write(body.subarray(0, keep), () => res.socket?.destroy());
      return;
    }
    entry.status = response.status;
    res.end(body);
  }

  #takeFault(request: FakeRequest): Fault | undefined {
    const rule = this.#faults.find(
      (candidate) => candidate.remaining > 0 && matches(candidate.match, request),
    );
    if (rule === undefined) return undefined;
    rule.remaining--;
    return rule.fault;
  }

  async #route(request: FakeRequest): Promise<FakeResponse> {
    for (const route of this.#routes) {
      if (route.method !== '*' && route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (match === null) continue;
      return route.handler({ ...request, params: { ...match.groups } });
    }
    return this.notFound(request);
  }
}

function compilePattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const source = pattern
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((part) =>
      part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

function matches(matcher: RequestMatcher | undefined, request: FakeRequest): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return request.path.startsWith(matcher);
  if (matcher instanceof RegExp) {
    const query = request.query.toString();
    return matcher.test(query === '' ? request.path : `${request.path}?${query}`);
  }
  return matcher(request);
}

/** A plain-text response. */
export function text(status: number, body: string, contentType = 'text/plain; charset=UTF-8'): FakeResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

/** A JSON response written as the given value serialises (key order kept). */
export function json(status: number, value: unknown): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(value),
  };
}

/**
 * JSON as Go's `encoding/json` writes a `map[string]interface{}` (what the odcloud gateway does):
 * keys sorted at every level, compact, `<`, `>`, `&` escaped, and a trailing newline.
 */
export function goJson(value: unknown): string {
  const sortKeys = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sortKeys);
    if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((key) => [key, sortKeys(record[key])]),
      );
    }
    return node;
  };
  const out = JSON.stringify(sortKeys(value)).replace(/[<>&]/g, (char) =>
    char === '<' ? '\\u003c' : char === '>' ? '\\u003e' : '\\u0026',
  );
  return `${out}\n`;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The real-data fixtures the tests use (`test/fixtures/`, see its README), or TRIALWATCH_FIXTURES. */
export function fixturesDir(): string {
  return process.env.TRIALWATCH_FIXTURES ?? fileURLToPath(new URL('../test/fixtures/', import.meta.url));
}

/** A fresh copy of the 145 real records of the bundled 2021-11 snapshot, in upstream order. */
export function loadKrSnapshotRecords(): Record<string, string>[] {
  const path = fileURLToPath(new URL('../assets/kr-icreat-snapshot-2021-11.json', import.meta.url));
  const body = JSON.parse(readFileSync(path, 'utf8')) as { data: Record<string, string>[] };
  return body.data.map((record) => ({ ...record }));
}

export type KrGatewayErrorName =
  | 'missing-service-key'
  | 'unregistered-service-key'
  | 'invalid-service-key'
  | 'unregistered-service'
  | 'terminated-service'
  | 'limit-exceeded'
  | 'internal-exception'
  | 'parameter-exception'
  | 'unknown'
  | 'not-found-service';

export interface KrGatewayErrorFixture {
  name: KrGatewayErrorName;
  status: number;
  contentType: string;
  /** The body bytes exactly as in the fixture file. */
  body: Buffer;
}

interface ErrorIndexRow {
  file: string | null;
  httpStatus: number;
  contentType: string;
  body: unknown;
}

let errorFixtures: Map<KrGatewayErrorName, KrGatewayErrorFixture> | undefined;

/** The gateway error bodies of `fixtures/kr/errors/` (index.json gives each HTTP status). */
export function krGatewayErrors(): Map<KrGatewayErrorName, KrGatewayErrorFixture> {
  if (errorFixtures !== undefined) return errorFixtures;
  const dir = `${fixturesDir().replace(/\/?$/, '/')}kr/errors/`;
  const index = JSON.parse(readFileSync(`${dir}index.json`, 'utf8')) as ErrorIndexRow[];
  errorFixtures = new Map();
  for (const row of index) {
    const name = (
      row.file === null ? 'not-found-service' : row.file.replace(/\.json$/, '')
    ) as KrGatewayErrorName;
    const body =
      row.file === null ? Buffer.from(String(row.body), 'utf8') : readFileSync(`${dir}${row.file}`);
    errorFixtures.set(name, { name, status: row.httpStatus, contentType: row.contentType, body });
  }
  return errorFixtures;
}

export function krGatewayError(name: KrGatewayErrorName): KrGatewayErrorFixture {
  const fixture = krGatewayErrors().get(name);
  if (fixture === undefined) throw new Error(`no gateway error fixture named ${name}`);
  return fixture;
}

// ---------------------------------------------------------------------------------------------
// kr-icreat: the odcloud gateway for data.go.kr 3074271 and its OAS index

export const KR_FAKE_LAST_KNOWN_UDDI = 'cfc19dda-6f75-4c57-86a8-bb9c8b103887';
const KR_NAMESPACE = '3074271/v1';
/** The portal's test key: the gateway forces page=1 and perPage=10 for it. */
export const KR_PORTAL_TEST_KEY = 'data-portal-test-key';

export interface FakeKrDataset {
  uddi: string;
  /** The OAS summary; discovery reads the `_YYYYMMDD` it ends in. */
  summary: string;
  /** The live rows, in upstream order; tests may edit them in place. */
  records: Record<string, unknown>[];
}

export interface KrPageContext {
  uddi: string;
  page: number;
  perPage: number;
  /** 1-based count of page requests to this dataset since the start (or `resetPageCount`). */
  requestNumber: number;
}

export interface FakeKrIcreatOptions {
  /** Rows of the default dataset (default: the 145 real records). */
  records?: Record<string, unknown>[];
  /** The key the gateway accepts; null accepts any key. Default `test`. */
  expectedKey?: string | null;
  /** The summary of the default dataset in the OAS document. */
  summary?: string;
}

export interface FakeKrIcreat {
  /** `http://127.0.0.1:PORT/api`: what KR_ICREAT_BASE_URL points at. */
  readonly apiBaseUrl: string;
  /** The OAS document URL: what KR_ICREAT_OAS_URL points at. */
  readonly oasUrl: string;
  /** The default dataset's uddi (the last known real one). */
  readonly uddi: string;
  /** The default dataset's live rows (the same array as `dataset(uddi).records`). */
  readonly records: Record<string, unknown>[];
  /** The key the gateway accepts; null accepts any non-empty key. */
  expectedKey: string | null;
  /** The executor's `LIMIT (page-1)*perPage, page*perPage` quirk: page N returns up to N×perPage rows. */
  limitQuirk: boolean;
  /** Rewrites each page body before it is sent (break counts, turn numbers into strings, …). */
  pageHook: ((body: Record<string, unknown>, context: KrPageContext) => unknown) | undefined;
  /** Replaces the OAS document (any value; a string is sent as is); undefined = generated. */
  oasDocument: unknown;
  /** Replaces the default dataset's rows (copied). */
  setRecords(records: Record<string, unknown>[]): void;
  /** Changes fields of the row with this 과제번호 (throws when there is none). */
  updateRecord(id: string, patch: Record<string, unknown>): void;
  /** Adds a row at the end, or at `index`. */
  addRecord(record: Record<string, unknown>, index?: number): void;
  /** Removes the row with this 과제번호 (throws when there is none). */
  removeRecord(id: string): void;
  /** Serves another file version (listed in the OAS document). */
  addDataset(dataset: FakeKrDataset): void;
  /** Stops serving a file version: the OAS drops it and its path answers -3 (unregistered service). */
  removeDataset(uddi: string): void;
  dataset(uddi: string): FakeKrDataset | undefined;
  /** Answers the next `times` dataset requests with a real gateway error body (and its HTTP status). */
  failWith(name: KrGatewayErrorName, times?: number): void;
  /** Dataset page requests seen so far. */
  pageRequests(): LoggedRequest[];
  resetPageCount(): void;
}

function parseIntParam(value: string | null): number | undefined {
  return value !== null && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** Installs the odcloud gateway routes for dataset 3074271 and the OAS index on `core`. */
export function installKrIcreat(core: FakeServerCore, options: FakeKrIcreatOptions = {}): FakeKrIcreat {
  const datasets: FakeKrDataset[] = [
    {
      uddi: KR_FAKE_LAST_KNOWN_UDDI,
      // Invented for the fake: the real summary of the 2021 file version was never captured.
      summary: options.summary ?? '질병관리청_임상연구 과제정보_20211115',
      records: (options.records ?? loadKrSnapshotRecords()).map((record) => ({ ...record })),
    },
  ];
  const pagePath = `/api/${KR_NAMESPACE}/uddi:`;
  let pageCount = 0;

  const findIndex = (records: Record<string, unknown>[], id: string): number => {
    const index = records.findIndex((record) => record['과제번호'] === id);
    if (index < 0) throw new Error(`fake kr-icreat: no record ${id}`);
    return index;
  };
  const defaultDataset = (): FakeKrDataset => {
    const found = datasets.find((dataset) => dataset.uddi === KR_FAKE_LAST_KNOWN_UDDI) ?? datasets[0];
    if (found === undefined) throw new Error('fake kr-icreat: no dataset left');
    return found;
  };
  const fixtureResponse = (name: KrGatewayErrorName): FakeResponse => {
    const fixture = krGatewayError(name);
    return { status: fixture.status, headers: { 'content-type': fixture.contentType }, body: fixture.body };
  };

  const controller: FakeKrIcreat = {
    get apiBaseUrl() {
      return `${core.baseUrl}/api`;
    },
    get oasUrl() {
      return `${core.baseUrl}/oas/docs?namespace=${KR_NAMESPACE}`;
    },
    uddi: KR_FAKE_LAST_KNOWN_UDDI,
    get records() {
      return defaultDataset().records;
    },
    expectedKey: options.expectedKey === undefined ? 'test' : options.expectedKey,
    limitQuirk: false,
    pageHook: undefined,
    oasDocument: undefined,
    setRecords(records) {
      defaultDataset().records = records.map((record) => ({ ...record }));
    },
    updateRecord(id, patch) {
      const records = defaultDataset().records;
      const index = findIndex(records, id);
      records[index] = { ...records[index], ...patch };
    },
    addRecord(record, index) {
      const records = defaultDataset().records;
      records.splice(index ?? records.length, 0, { ...record });
    },
    removeRecord(id) {
      const records = defaultDataset().records;
      records.splice(findIndex(records, id), 1);
    },
    addDataset(dataset) {
      datasets.push({ ...dataset, records: dataset.records.map((record) => ({ ...record })) });
    },
    removeDataset(uddi) {
      const index = datasets.findIndex((dataset) => dataset.uddi === uddi);
      if (index >= 0) datasets.splice(index, 1);
    },
    dataset(uddi) {
      return datasets.find((dataset) => dataset.uddi === uddi);
    },
    failWith(name, times = 1) {
      const fixture = krGatewayError(name);
      core.injectFault(
        { kind: 'respond', status: fixture.status, body: fixture.body, contentType: fixture.contentType },
        { match: pagePath, times },
      );
    },
    pageRequests() {
      return core.requests.filter((request) => request.path.startsWith(pagePath));
    },
    resetPageCount() {
      pageCount = 0;
    },
  };

  core.route('GET', `${pagePath}{uuid}`, (request) => {
    // The gateway reads the header first, then the query parameter.
    const header = /^Infuser\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]?.trim();
    const key = header ?? request.query.get('serviceKey') ?? '';
    if (key === '') return fixtureResponse('missing-service-key');
    if (controller.expectedKey !== null && key !== controller.expectedKey && key !== KR_PORTAL_TEST_KEY) {
      return fixtureResponse('invalid-service-key');
    }
    const uddi = request.params.uuid ?? '';
    const dataset = datasets.find((candidate) => candidate.uddi === uddi);
    if (dataset === undefined) return fixtureResponse('unregistered-service');

    // Executor defaults: a missing, non-integer or 0 page is 1; perPage 0 is 500, missing is 10.
    let page = Math.max(1, parseIntParam(request.query.get('page')) ?? 1);
    const perPageParam = parseIntParam(request.query.get('perPage'));
    let perPage =
      perPageParam === 0 ? 500 : perPageParam === undefined || perPageParam < 0 ? 10 : perPageParam;
    if (key === KR_PORTAL_TEST_KEY) {
      page = 1;
      perPage = 10;
    }
    const offset = (page - 1) * perPage;
    const data = dataset.records.slice(offset, offset + (controller.limitQuirk ? page * perPage : perPage));
    pageCount++;
    const body: Record<string, unknown> = {
      currentCount: data.length,
      data,
      matchCount: dataset.records.length,
      page,
      perPage,
      totalCount: dataset.records.length,
    };
    const sent =
      controller.pageHook === undefined
        ? body
        : controller.pageHook(body, { uddi, page, perPage, requestNumber: pageCount });
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: typeof sent === 'string' ? sent : goJson(sent),
    };
  });

  core.route('GET', '/oas/docs', (request) => {
    if (request.query.get('namespace') !== KR_NAMESPACE) return text(404, 'not found service');
    if (controller.oasDocument !== undefined) {
      const document = controller.oasDocument;
      return typeof document === 'string' ? text(200, document, 'application/json') : json(200, document);
    }
    return json(200, krOasDocument(datasets));
  });

  return controller;
}

/**
 * A Swagger 2.0 document shaped like the odcloud OAS index: one path per file version, each with
 * a summary ending in `_YYYYMMDD`. Only the parts a client could read are modelled.
 */
export function krOasDocument(datasets: readonly Pick<FakeKrDataset, 'uddi' | 'summary'>[]): unknown {
  const paths: Record<string, unknown> = {};
  for (const dataset of datasets) {
    paths[`/${KR_NAMESPACE}/uddi:${dataset.uddi}`] = {
      get: {
        tags: ['질병관리청_임상연구 과제정보'],
        summary: dataset.summary,
        parameters: [
          { name: 'page', in: 'query', type: 'integer', format: 'int64', default: 1 },
          { name: 'perPage', in: 'query', type: 'integer', format: 'int64', default: 10 },
          { name: 'returnType', in: 'query', type: 'string', default: 'JSON' },
        ],
        responses: { '200': { description: '성공적으로 수행 됨' } },
        security: [{ ApiKeyAuth: [] }, { ApiKeyAuth2: [] }],
      },
    };
  }
  return {
    swagger: '2.0',
    info: { title: '질병관리청_임상연구 과제정보', version: '1.0.0' },
    host: 'api.odcloud.kr',
    basePath: '/api',
    schemes: ['https', 'http'],
    paths,
    securityDefinitions: {
      ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'Authorization' },
      ApiKeyAuth2: { type: 'apiKey', in: 'query', name: 'serviceKey' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The whole fake

export interface FakeUpstreamOptions {
  kr?: FakeKrIcreatOptions;
  /** ClinicalTrials.gov; serves no studies unless given some (the 200 fixtures take a while to parse). */
  ctgov?: FakeCtgovOptions;
  /** CRIS (apis.data.go.kr 1352159/crisinfodataview): the 12 real trials unless given others. */
  cris?: FakeCrisOptions;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly port: number;
  /** The generic server: routes, faults, request log (for registries not yet given a controller). */
  readonly core: FakeServerCore;
  /** The odcloud gateway for data.go.kr 3074271. */
  readonly kr: FakeKrIcreat;
  /** ClinicalTrials.gov API v2 (`/api/v2`). */
  readonly ctgov: FakeCtgov;
  /** CRIS (`/1352159/crisinfodataview`). */
  readonly cris: FakeCris;
  /** Every request so far, in order. */
  readonly requests: LoggedRequest[];
  route(method: string, pattern: string | RegExp, handler: RouteHandler): void;
  injectFault(fault: Fault, options?: FaultOptions): void;
  clearFaults(): void;
  pendingFaults(): number;
  clearRequests(): void;
  close(): Promise<void>;
}

/** Starts the fake upstream on 127.0.0.1 and a free port, with every registry installed. */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const core = new FakeServerCore();
  const kr = installKrIcreat(core, options.kr);
  const ctgov = installCtgov(core, options.ctgov ?? { studies: [] });
  const cris = installCris(core, options.cris);
  await core.listen();
  return {
    baseUrl: core.baseUrl,
    port: core.port,
    core,
    kr,
    ctgov,
    cris,
    requests: core.requests,
    route: (method, pattern, handler) => core.route(method, pattern, handler),
    injectFault: (fault, faultOptions) => core.injectFault(fault, faultOptions),
    clearFaults: () => core.clearFaults(),
    pendingFaults: () => core.pendingFaults(),
    clearRequests: () => core.clearRequests(),
    close: () => core.close(),
  };
}
