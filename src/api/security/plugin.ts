/**
 * Security defaults for the HTTP app, as one plugin composed of:
 * - security headers on every answer, errors included (./headers.ts);
 * - CORS off unless an origin list is given (`CORS_ORIGINS`), through `@fastify/cors`: preflights
 *   answered for those origins only, the list validated once here;
 * - a request body size limit (`BODY_LIMIT_BYTES`) on every route, answered 413 PAYLOAD_TOO_LARGE;
 *   a 413 keeps a keep-alive connection usable when the rest of the body is small enough to read
 *   and throw away, so the client reads its answer instead of a reset;
 * - request time limits (`REQUEST_TIMEOUT_MS`): the whole request must arrive in time (the HTTP
 *   server's own timeout, against slow senders), and a handler that has not started its answer in
 *   time gets a 503 REQUEST_TIMEOUT answer instead;
 * - per-client rate limiting (`RATE_LIMIT_PER_MINUTE`, ./rate-limit.ts; 0 turns it off);
 * - number parameters Ajv's coercion would let through wrongly (./number-parameters.ts).
 * Node's own parser errors are answered by ./client-error.ts (Fastify's `clientErrorHandler`).
 *
 * Register it first, before any route: it sets every route's body limit and rate limit as the
 * route is added, and its hooks must see every request. It is not encapsulated (`skip-override`),
 * so its hooks apply to the whole app, the 404 and 405 answers included.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { PROBLEM_CONTENT_TYPE, pathOf } from '../error-handler.js';
import { addSecurityHeaders } from './headers.js';
import { nonCanonicalIntegerError, nonFiniteNumberError } from './number-parameters.js';
import { registerRateLimit } from './rate-limit.js';

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

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'];
const CORS_ALLOWED_HEADERS = ['accept', 'authorization', 'content-type', 'if-none-match', 'x-request-id'];
const CORS_EXPOSED_HEADERS = [
  'etag',
  'link',
  'location',
  'retry-after',
  'x-request-id',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];
const CORS_MAX_AGE_SECONDS = 600;

/**
 * How much of an over-limit body (by its `Content-Length`) is read and thrown away after the 413
 * so the connection stays open; a larger or unsized body closes the connection after the answer.
 */
export const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

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

/** The configured origins, normalised; a CONFIG_INVALID error names the first that is not one. */
function corsOriginSet(origins: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const origin of origins) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) {
      throw new AppError('CONFIG_INVALID', `CORS origin "${origin}" is not an origin (scheme://host[:port])`);
    }
    set.add(normalized);
  }
  return set;
}

/** Whether the rest of an over-limit body is small enough, and of a known size, to read and drop. */
function drainable(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers['transfer-encoding'] !== undefined || headers['content-length'] === undefined) return false;
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length <= DRAIN_LIMIT_BYTES;
}

/** A 503 REQUEST_TIMEOUT for every request whose handler has not started its answer in time. */
function addAnswerTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', (request, reply, next) => {
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
    next();
  });
}

async function securityPlugin(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const corsOrigins = corsOriginSet(options.corsOrigins ?? SECURITY_DEFAULTS.corsOrigins);
  const perMinute = options.rateLimitPerMinute ?? SECURITY_DEFAULTS.rateLimitPerMinute;
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

  // CORS first, so every answer to an allowed origin carries its headers, 429 and errors too.
  if (corsOrigins.size > 0) {
    const anyOrigin = corsOrigins.has('*');
    await app.register(cors, {
      // A function, so that `Vary: Origin` is on every answer and unlisted origins get no CORS
      // header (their preflights fall through to the 405 answer).
      origin: (origin, callback) => {
        if (origin === undefined) callback(null, false);
        else if (anyOrigin) callback(null, '*');
        else callback(null, corsOrigins.has(origin.toLowerCase()) ? origin : false);
      },
      methods: CORS_METHODS,
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: CORS_MAX_AGE_SECONDS,
      strictPreflight: false,
    });
  }

  if (perMinute > 0) {
    await registerRateLimit(app, {
      perMinute,
      exempt: options.rateLimitExempt ?? SECURITY_DEFAULTS.rateLimitExempt,
      maxTrackedClients: options.maxTrackedClients ?? SECURITY_DEFAULTS.maxTrackedClients,
      now: options.now ?? Date.now,
    });
  }

  if (timeoutMs > 0) addAnswerTimeout(app, timeoutMs);

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
}

// Not encapsulated: the hooks, the body limit, CORS and the rate limit apply to the app it is
// registered on (the same mark the fastify-plugin package sets).
Object.defineProperty(securityPlugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(securityPlugin, Symbol.for('fastify.display-name'), { value: 'trialwatch-security' });

/** The plugin: `await app.register(security, options)` first thing after creating the app. */
export const security = securityPlugin;
