/**
 * The one place errors become HTTP answers: `AppError`s, Fastify's own errors (validation, bad
 * URLs, body parsing) and anything unexpected all leave as application/problem+json with a stable
 * `code` from the catalogue. 5xx details are logged, never shown.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ErrorCode } from '../errors/app-error.js';
import { AppError, ERROR_CATALOGUE, isAppError } from '../errors/app-error.js';
import { databaseErrorOf } from '../services/database.service.js';
import type { Problem } from './schemas/common.schema.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const CONTEXT_NAMES: Readonly<Record<string, string>> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'body field',
};

/** Fastify's client-error statuses mapped onto the catalogue (anything else 4xx is a validation failure). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'UNAUTHORIZED',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

function problemOf(error: AppError, instance: string): Problem {
  const { title } = ERROR_CATALOGUE[error.code];
  const hidden = error.status >= 500;
  return {
    type: `urn:trialwatch:problem:${kebab(error.code)}`,
    title,
    status: error.status,
    // Server-side messages can name hosts, files or SQL: only the title goes out.
    detail: hidden ? `${title}. The error was logged; try again later.` : error.message,
    code: error.code,
    instance,
    ...(!hidden && error.details !== undefined ? { details: error.details } : {}),
  };
}

function parameterName(error: AjvError): string {
  const fromPath = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  if (fromPath !== '') return decodeURIComponent(fromPath.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = error.params.missingProperty;
  return typeof missing === 'string' ? missing : '';
}

function knownParameters(request: FastifyRequest, context: string): string[] {
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context] as
    { properties?: Record<string, unknown> } | undefined;
  return Object.keys(schema?.properties ?? {});
}

/** Turns a failed schema validation into the catalogue's error, naming the parameter at fault. */
function validationError(request: FastifyRequest, errors: readonly AjvError[], context: string): AppError {
  const first = errors[0];
  const where = CONTEXT_NAMES[context] ?? context;
  if (first === undefined) return new AppError('VALIDATION_FAILED', `The ${where}s are not valid`);
  if (first.keyword === 'additionalProperties') {
    const name = String(first.params.additionalProperty);
    const known = knownParameters(request, context);
    const hint = known.length === 0 ? 'this route takes none' : `known: ${known.join(', ')}`;
    return new AppError('UNKNOWN_PARAMETER', `Unknown ${where} "${name}" (${hint})`, {
      details: { parameter: name, known },
    });
  }
  const name = parameterName(first);
  if (name === 'cursor' && context === 'querystring') {
    return new AppError('INVALID_CURSOR', `The cursor is not valid: it ${first.message ?? 'is malformed'}`, {
      details: { parameter: name },
    });
  }
  if (name === 'limit' && first.keyword === 'maximum') {
    const cap = Number(first.params.limit);
    return new AppError('LIMIT_TOO_LARGE', `limit must be at most ${cap}`, {
      details: { parameter: name, cap },
    });
  }
  const message = first.message ?? 'is not valid';
  return new AppError('VALIDATION_FAILED', `The ${where} "${name}" ${message}`, {
    details: { parameter: name, location: context, rule: first.keyword },
  });
}

/** Maps anything thrown to an `AppError` (unknown errors become INTERNAL, keeping the cause). */
/** The path of a request's URL, without its query string. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? '/';
}

export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: AjvError[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    return validationError(request, fastifyError.validation, fastifyError.validationContext ?? 'querystring');
  }
  // Unreachable, not answering, busy or full: 503 with Retry-After (classified in one place).
  const database = databaseErrorOf(error);
  if (database !== undefined) return database;
  const status = fastifyError.statusCode;
  if (status === 403) {
    // Not ours (ours are AppErrors): the static file server (Swagger UI's assets) refuses a path
    // with `.`, `..` or empty segments. A path problem, not a wrong admin token.
    return new AppError(
      'VALIDATION_FAILED',
      'The request path is not valid: it has ".", ".." or empty segments',
      { cause: error, details: { location: 'path', rule: 'canonical' } },
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const mapped = CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED';
    return new AppError(mapped, fastifyError.message ?? ERROR_CATALOGUE[mapped].title, { cause: error });
  }
  return new AppError('INTERNAL', 'Unexpected error', { cause: error });
}

/** Sends an `AppError` as problem+json (with `Retry-After` when it says how long to wait). */
export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  const problem = problemOf(error, pathOf(reply.request));
  if (error.status >= 500) reply.log.error({ err: error.cause ?? error, code: error.code }, error.message);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** For Fastify's `frameworkErrors` (bad URL encoding, over-long path parameters): before routing. */
export function onFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError(
          'VALIDATION_FAILED',
          'The request path is not valid (bad encoding or a segment too long)',
          {
            cause: error,
          },
        )
      : toAppError(error, request);
  void sendProblem(reply, appError);
}

interface KnownRoute {
  pattern: RegExp;
  methods: Set<string>;
}

function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) return '[^/]+';
      if (part === '*') return '.*';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * Error handler, 404 and 405. Must be installed before any route is added: it records every route
 * (onRoute) so that a known path asked with the wrong method answers 405 with `Allow`, not 404.
 */
export function installErrorHandling(app: FastifyInstance): void {
  const routes = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route: RouteOptions) => {
    // @fastify/cors's catch-all OPTIONS route takes preflights only: it must not make OPTIONS an
    // allowed method of every path (an unlisted origin's preflight stays a 405).
    if (route.url === '*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = routes.get(route.url) ?? { pattern: routePattern(route.url), methods: new Set<string>() };
    for (const method of methods) known.methods.add(method.toUpperCase());
    routes.set(route.url, known);
  });

  app.setErrorHandler((error, request, reply) => sendProblem(reply, toAppError(error, request)));

  // Unknown paths count against the rate limit too (the plugin limits routes only): a scanner
  // walking paths is refused like any other client over its minute.
  const limited = app.hasDecorator('rateLimit') ? { preHandler: app.rateLimit() } : {};
  app.setNotFoundHandler(limited, (request, reply) => {
    const path = pathOf(request);
    const allowed = new Set<string>();
    for (const route of routes.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method);
    }
    // A path some route serves, asked with a method none of them takes.
    if (allowed.size > 0 && !allowed.has(request.method)) {
      const allow = [...allowed].sort().join(', ');
      reply.header('allow', allow);
      return sendProblem(
        reply,
        new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here (allowed: ${allow})`, {
          details: { allowed: [...allowed].sort() },
        }),
      );
    }
    return sendProblem(reply, new AppError('ROUTE_NOT_FOUND', `No route matches ${request.method} ${path}`));
  });
}
