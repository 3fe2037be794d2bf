/**
 * Security defaults for the HTTP app, as one Fastify plugin with no dependency beyond Fastify:
 * - security headers on every answer (errors included);
 * - CORS off unless an origin list is given (`CORS_ORIGINS`), preflights answered for those only;
 * - a request body size limit (`BODY_LIMIT_BYTES`) on every route, answered 413 PAYLOAD_TOO_LARGE;
 * - request time limits (`REQUEST_TIMEOUT_MS`): the whole request must arrive in time (the HTTP
 *   server's own timeout, against slow senders), and a handler that has not started its answer in
 *   time gets a 503 REQUEST_TIMEOUT answer instead;
 * - per-client rate limiting (`RATE_LIMIT_PER_MINUTE`, a token bucket per client IP; 0 turns it
 *   off), answered 429 RATE_LIMITED with `Retry-After`;
 * - answers of Node's own HTTP parser (`clientErrorHandler`: headers too large, malformed
 *   requests, requests that did not arrive in time) are problem+json with the same headers;
 * - a 413 keeps a keep-alive connection usable when the rest of the body is small enough to
 *   read and throw away, so the client reads its answer instead of a reset;
 * - no infinite numbers past validation: Ajv's type coercion turns `limit=Infinity` or `1e309`
 *   into an "integer" and then skips `minimum`/`maximum` for it (they are only checked for finite
 *   numbers), which would reach the database; such a value is a 400 VALIDATION_FAILED.
 *
 * Register it first, before any route: it sets every route's body limit as the route is added,
 * and its hooks must see every request. It is not encapsulated (`skip-override`), so its hooks
 * apply to the whole app, the 404 and 405 answers included.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ErrorCode } from '../errors/app-error.js';
import { AppError, ERROR_CATALOGUE } from '../errors/app-error.js';
import { PROBLEM_CONTENT_TYPE, sendProblem } from './error-handler.js';

export interface SecurityOptions {
  /**
   * Origins allowed to call the API from a browser, exactly as browsers send them
   * (`https://example.org`, `http://localhost:5173`), or `*` for any. Empty (the default): no CORS
   * headers at all, so browsers keep other sites' pages from reading the answers.
   */
  corsOrigins?: readonly string[];
  /** Requests a client (IP) may make per minute, in bursts up to the same number; 0 turns it off. */
  rateLimitPerMinute?: number;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /** Milliseconds to receive a whole request, and for a handler to start its answer; 0 turns it off. */
  requestTimeoutMs?: number;
  /** Paths never rate limited: health checks and metric scrapes come often and cost little. */
  rateLimitExempt?: readonly string[];
  /** Distinct clients whose buckets are kept (least recently seen forgotten first). */
  maxTrackedClients?: number;
  /** Epoch ms; tests pass a fake clock. */
  now?: () => number;
}

export const SECURITY_DEFAULTS = {
  corsOrigins: [] as readonly string[],
  rateLimitPerMinute: 1_200,
  bodyLimitBytes: 65_536,
  requestTimeoutMs: 30_000,
  rateLimitExempt: ['/healthz', '/readyz', '/metrics'] as readonly string[],
  maxTrackedClients: 50_000,
} as const;

/** For pages (Swagger UI at /docs): everything from this origin, nothing from elsewhere. */
const HTML_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** For everything else (JSON, CSV, text): a document that is never to run or embed anything. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const STATIC_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
};
const STATIC_HEADER_ENTRIES = Object.entries(STATIC_HEADERS);

const CORS_METHODS = 'GET, HEAD, POST, OPTIONS';
const CORS_ALLOWED_HEADERS = 'accept, authorization, content-type, if-none-match, x-request-id';
const CORS_EXPOSED_HEADERS =
  'etag, link, location, retry-after, x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset';
const CORS_MAX_AGE_SECONDS = '600';

/**
 * Sets the security headers a reply lacks. The plugin's onSend hook does it for every answer that
 * goes through the hooks; Fastify's `frameworkErrors` answers (a bad URL, before routing) do not,
 * so their handler calls it itself.
 */
export function addSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of STATIC_HEADER_ENTRIES) {
    if (!reply.hasHeader(name)) void reply.header(name, value);
  }
  if (!reply.hasHeader('content-security-policy')) {
    const type = String(reply.getHeader('content-type') ?? '');
    void reply.header('content-security-policy', type.startsWith('text/html') ? HTML_CSP : DATA_CSP);
  }
}

/**
 * How much of an over-limit body (by its `Content-Length`) is read and thrown away after the 413
 * so the connection stays open; a larger or unsized body closes the connection after the answer.
 */
export const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/** The catalogue code of an error Node's HTTP parser raised on a connection. */
function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT')
    return 'REQUEST_INCOMPLETE';
  return 'MALFORMED_REQUEST';
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused what a connection sent (a URL or
 * headers over its size limit, a control character in a header, bytes that are not HTTP) before
 * any request object exists, so no hook or error handler runs. The answer is written by hand: a
 * whole HTTP/1.1 problem+json response with the security headers and `Connection: close`, only
 * when nothing of another response has been written on the socket yet (else the client would read
 * a corrupt stream); then the connection is closed once the answer is out.
 */
const answered = new WeakSet<Socket>();

export function answerClientError(
  this: { log?: { debug: (details: object, message: string) => void } } | undefined,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  // A pipelined request whose answer is still being made: that answer goes out first, whole.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight !== undefined && inFlight !== null && !inFlight.writableFinished) {
    inFlight.once('finish', () => writeClientError(error, socket, this?.log));
    inFlight.once('close', () => {
      if (!inFlight.writableFinished) socket.destroy();
    });
    return;
  }
  writeClientError(error, socket, this?.log);
}

function writeClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  log: { debug: (details: object, message: string) => void } | undefined,
): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const code = clientErrorCode(error);
  const { status, title } = ERROR_CATALOGUE[code];
  const detail =
    code === 'HEADERS_TOO_LARGE'
      ? 'The request line (URL) and headers together must stay under 16 KB; send fewer or shorter parameters or headers'
      : code === 'REQUEST_INCOMPLETE'
        ? 'The whole request must arrive in time'
        : 'The request is not valid HTTP/1.1 (for example a control character in a header)';
  const body = JSON.stringify({
    type: `urn:trialwatch:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    instance: '/',
  });
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    ...STATIC_HEADERS,
    'content-security-policy': DATA_CSP,
    'x-request-id': randomUUID(),
    date: new Date().toUTCString(),
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  log?.debug({ err: error, code }, 'client error');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? title}\r\n${head}\r\n${body}`);
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/** `scheme://host[:port]`, lower-cased, as browsers send `Origin`; undefined when `value` is not one. */
export function normalizeOrigin(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // An origin has no path (a trailing `/` is tolerated), query, fragment or credentials.
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (url.pathname !== '/' || /[?#]/.test(trimmed)) return undefined;
  return url.origin.toLowerCase();
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per client: `perMinute` tokens at most, refilled continuously at `perMinute` a
 * minute; a request takes one. The map is bounded: the least recently seen clients are forgotten
 * first (a forgotten client starts with a full bucket, which only errs on the generous side).
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #perMs: number;
  readonly #maxClients: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(perMinute: number, maxClients: number) {
    this.#perMinute = perMinute;
    this.#perMs = perMinute / 60_000;
    this.#maxClients = maxClients;
  }

  get trackedClients(): number {
    return this.#buckets.size;
  }

  /** Takes a token for `client` at `now`: how many are left, or how long to wait for one. */
  take(
    client: string,
    now: number,
  ): { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number } {
    const found = this.#buckets.get(client);
    let bucket: Bucket;
    if (found === undefined) {
      bucket = { tokens: this.#perMinute, updatedAt: now };
    } else {
      const elapsed = Math.max(0, now - found.updatedAt);
      bucket = { tokens: Math.min(this.#perMinute, found.tokens + elapsed * this.#perMs), updatedAt: now };
      // Re-inserted below, so the map's order is the order in which clients were last seen.
      this.#buckets.delete(client);
    }
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > this.#maxClients) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.#perMs) };
  }
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? '/';
}

/** Appends `value` to a `Vary` header without repeating it. */
function addVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('vary');
  const parts = String(current ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (!parts.some((part) => part.toLowerCase() === value.toLowerCase() || part === '*')) parts.push(value);
  void reply.header('vary', parts.join(', '));
}

/** A 400 for the first query or path parameter that holds an infinite number, else undefined. */
function nonFiniteNumberError(request: FastifyRequest): AppError | undefined {
  const parts: [string, string, unknown][] = [
    ['query parameter', 'querystring', request.query],
    ['path parameter', 'params', request.params],
  ];
  for (const [where, location, values] of parts) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, value] of Object.entries(values)) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (items.some((item) => typeof item === 'number' && !Number.isFinite(item))) {
        return new AppError('VALIDATION_FAILED', `The ${where} "${name}" must be a finite number`, {
          details: { parameter: name, location, rule: 'finite' },
        });
      }
    }
  }
  return undefined;
}

/** How integers are written in a path or query string: no sign but `-`, no leading zero, no blank. */
const CANONICAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

interface IntegerParameters {
  params: readonly string[];
  query: readonly string[];
}

const integerParametersBySchema = new WeakMap<object, IntegerParameters>();

function integerNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  return Object.entries(properties ?? {})
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name);
}

/**
 * A 400 for the first integer path or query parameter not written as a plain decimal. Ajv's type
 * coercion reads strings with `Number()`, so `/versions/0x1`, `/versions/%201` and `limit=1e1`
 * would be taken for numbers; checked before validation, on the raw strings.
 */
function nonCanonicalIntegerError(request: FastifyRequest): AppError | undefined {
  const schema = request.routeOptions.schema;
  if (schema === undefined) return undefined;
  let names = integerParametersBySchema.get(schema);
  if (names === undefined) {
    names = { params: integerNames(schema.params), query: integerNames(schema.querystring) };
    integerParametersBySchema.set(schema, names);
  }
  const parts: [string, string, readonly string[], unknown][] = [
    ['path parameter', 'params', names.params, request.params],
    ['query parameter', 'querystring', names.query, request.query],
  ];
  for (const [where, location, list, values] of parts) {
    if (list.length === 0 || typeof values !== 'object' || values === null) continue;
    for (const name of list) {
      const value = (values as Record<string, unknown>)[name];
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (items.some((item) => typeof item === 'string' && !CANONICAL_INTEGER.test(item))) {
        return new AppError(
          'VALIDATION_FAILED',
          `The ${where} "${name}" must be a whole number such as 1, written in decimal`,
          {
            details: { parameter: name, location, rule: 'type' },
          },
        );
      }
    }
  }
  return undefined;
}

/** Whether the rest of an over-limit body is small enough, and of a known size, to read and drop. */
function drainable(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers['transfer-encoding'] !== undefined || headers['content-length'] === undefined) return false;
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length <= DRAIN_LIMIT_BYTES;
}

function securityPlugin(app: FastifyInstance, options: SecurityOptions, done: (error?: Error) => void): void {
  const now = options.now ?? Date.now;
  const corsOrigins = new Set<string>();
  for (const origin of options.corsOrigins ?? SECURITY_DEFAULTS.corsOrigins) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) {
      done(new AppError('CONFIG_INVALID', `CORS origin "${origin}" is not an origin (scheme://host[:port])`));
      return;
    }
    corsOrigins.add(normalized);
  }
  const anyOrigin = corsOrigins.has('*');
  const perMinute = options.rateLimitPerMinute ?? SECURITY_DEFAULTS.rateLimitPerMinute;
  const limiter =
    perMinute > 0
      ? new RateLimiter(perMinute, options.maxTrackedClients ?? SECURITY_DEFAULTS.maxTrackedClients)
      : undefined;
  const exempt = new Set(options.rateLimitExempt ?? SECURITY_DEFAULTS.rateLimitExempt);
  const bodyLimit = options.bodyLimitBytes ?? SECURITY_DEFAULTS.bodyLimitBytes;
  const timeoutMs = options.requestTimeoutMs ?? SECURITY_DEFAULTS.requestTimeoutMs;

  // Every route added after this point gets the body limit, unless it sets its own.
  app.addHook('onRoute', (route: RouteOptions) => {
    route.bodyLimit ??= bodyLimit;
  });
  if (timeoutMs > 0) {
    // The whole request (headers and body) must arrive within the limit: slow senders are cut off.
    app.server.requestTimeout = timeoutMs;
    app.server.headersTimeout = Math.min(app.server.headersTimeout || timeoutMs, timeoutMs);
  }

  app.addHook('onRequest', async (request, reply) => {
    // CORS headers first, so every answer to an allowed origin carries them, 429 and errors too.
    const origin = request.headers.origin;
    const allowedOrigin =
      corsOrigins.size > 0 && typeof origin === 'string'
        ? anyOrigin
          ? '*'
          : corsOrigins.has(origin.toLowerCase())
            ? origin
            : undefined
        : undefined;
    if (corsOrigins.size > 0) addVary(reply, 'Origin');
    if (allowedOrigin !== undefined) {
      void reply.header('access-control-allow-origin', allowedOrigin);
      void reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
    }

    if (limiter !== undefined && !exempt.has(pathOf(request))) {
      const taken = limiter.take(request.ip, now());
      if (!taken.allowed) {
        const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
        void reply.header('ratelimit-limit', String(perMinute));
        void reply.header('ratelimit-remaining', '0');
        void reply.header('ratelimit-reset', String(seconds));
        return sendProblem(
          reply,
          new AppError(
            'RATE_LIMITED',
            `Too many requests from this client: at most ${perMinute} a minute; try again in ${seconds} s`,
            { retryAfterSeconds: seconds, details: { limitPerMinute: perMinute } },
          ),
        );
      }
      void reply.header('ratelimit-limit', String(perMinute));
      void reply.header('ratelimit-remaining', String(taken.remaining));
    }

    if (
      request.method === 'OPTIONS' &&
      allowedOrigin !== undefined &&
      typeof request.headers['access-control-request-method'] === 'string'
    ) {
      // A preflight from an allowed origin; others fall through to the 405 answer.
      return reply
        .code(204)
        .header('access-control-allow-methods', CORS_METHODS)
        .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
        .header('access-control-max-age', CORS_MAX_AGE_SECONDS)
        .send();
    }

    if (timeoutMs > 0) {
      const timer = setTimeout(() => {
        if (reply.sent || reply.raw.headersSent) return;
        const detail = `No answer within ${timeoutMs} ms; try again later, or ask for less (a narrower query, a smaller limit)`;
        void reply
          .code(503)
          .header('content-type', PROBLEM_CONTENT_TYPE)
          .header('retry-after', '5')
          .send({
            type: 'urn:trialwatch:problem:request-timeout',
            title: 'The request took too long',
            status: 503,
            detail,
            code: 'REQUEST_TIMEOUT',
            instance: pathOf(request),
          });
      }, timeoutMs);
      timer.unref();
      // A response emits 'close' once it is done, whether it finished or its connection dropped.
      reply.raw.once('close', () => clearTimeout(timer));
    }
    return undefined;
  });

  app.addHook('preValidation', (request, _reply, next) => {
    next(nonCanonicalIntegerError(request));
  });

  app.addHook('preHandler', (request, _reply, next) => {
    next(nonFiniteNumberError(request));
  });

  // A callback hook, not an async one: it runs on every answer, and a promise each costs more.
  app.addHook('onSend', (request, reply, payload, next) => {
    if (reply.statusCode === 413 && drainable(request)) {
      // Fastify closes the connection after a body it did not read; Node reads and throws away
      // the rest of an unread body before the next request instead, which keeps keep-alive
      // clients (that are still sending that body) from a reset they could not read the 413 through.
      reply.removeHeader('connection');
    }
    addSecurityHeaders(reply);
    next(null, payload);
  });
  done();
}

// Not encapsulated: the hooks and the body limit apply to the app it is registered on (the same
// mark the fastify-plugin package sets).
Object.defineProperty(securityPlugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(securityPlugin, Symbol.for('fastify.display-name'), { value: 'trialwatch-security' });

/** The plugin: `await app.register(security, options)` first thing after creating the app. */
export const security = securityPlugin;
