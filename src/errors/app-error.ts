/**
 * The one catalogue of errors. Every error the service raises on purpose has a stable `code`,
 * an HTTP status (used only by the API edge) and a short title. Services throw `AppError`;
 * the API maps it to application/problem+json, the CLI prints its message on one line.
 */
export const ERROR_CATALOGUE = {
  // Client errors (API)
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNKNOWN_PARAMETER: { status: 400, title: 'Unknown query parameter' },
  INVALID_CURSOR: { status: 400, title: 'The cursor is not valid' },
  LIMIT_TOO_LARGE: { status: 400, title: 'The limit is above the cap' },
  INVALID_NEAR: { status: 400, title: 'The near centre is not a valid position' },
  INVALID_RADIUS: { status: 400, title: 'The radius is not valid' },
  UNKNOWN_CITY: { status: 400, title: 'No site with coordinates is in this city' },
  AMBIGUOUS_CITY: { status: 400, title: 'The city name stands for several places' },
  UNAUTHORIZED: { status: 401, title: 'An admin token is required' },
  FORBIDDEN: { status: 403, title: 'The admin token is wrong' },
  ADMIN_DISABLED: { status: 403, title: 'Admin routes are disabled' },
  TRIAL_NOT_FOUND: { status: 404, title: 'Trial not found' },
  VERSION_NOT_FOUND: { status: 404, title: 'Version not found' },
  SOURCE_NOT_FOUND: { status: 404, title: 'Source not found' },
  RUN_NOT_FOUND: { status: 404, title: 'Harvest run not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'Webhook endpoint not found' },
  DELIVERY_NOT_FOUND: { status: 404, title: 'Webhook delivery not found' },
  WEBHOOK_URL_FORBIDDEN: { status: 400, title: 'The webhook URL is not allowed' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  HARVEST_IN_PROGRESS: { status: 409, title: 'A harvest of this source is already running' },
  SOURCE_NOT_CONFIGURED: { status: 409, title: 'The source is not configured' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  MALFORMED_REQUEST: { status: 400, title: 'The request is not well-formed HTTP' },
  REQUEST_INCOMPLETE: { status: 408, title: 'The request did not arrive in time' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request line or headers are too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  // Configuration and input files
  CONFIG_INVALID: { status: 500, title: 'The configuration is not valid' },
  IMPORT_UNREADABLE: { status: 400, title: 'The file cannot be imported' },
  IMPORT_TOO_LARGE: { status: 413, title: 'The file is larger than an import may be' },
  // Upstream (registry) errors, recorded on harvest runs
  UPSTREAM_KEY_MISSING: { status: 502, title: 'The upstream service key is missing' },
  UPSTREAM_KEY_INVALID: { status: 502, title: 'The upstream service key is not valid' },
  UPSTREAM_KEY_UNREGISTERED: {
    status: 502,
    title: 'The upstream service key is not registered for this API',
  },
  UPSTREAM_QUOTA_EXCEEDED: { status: 502, title: 'The upstream call quota is exceeded' },
  UPSTREAM_SERVICE_ENDED: { status: 502, title: 'The upstream service has ended' },
  UPSTREAM_SERVICE_UNKNOWN: { status: 502, title: 'The upstream service is not registered' },
  UPSTREAM_REJECTED: { status: 502, title: 'The upstream rejected the request' },
  UPSTREAM_HTTP_ERROR: { status: 502, title: 'The upstream answered with an error status' },
  UPSTREAM_BAD_RESPONSE: { status: 502, title: 'The upstream response cannot be read' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'The upstream did not answer in time' },
  UPSTREAM_NETWORK: { status: 502, title: 'The upstream cannot be reached' },
  SCHEMA_DRIFT: { status: 502, title: 'The upstream record layout changed' },
  HARVEST_INCOMPLETE: { status: 502, title: 'The harvest is incomplete' },
  HARVEST_INTERRUPTED: { status: 503, title: 'The harvest was interrupted' },
  HARVEST_PROCESS_DIED: { status: 500, title: 'The harvest process stopped unexpectedly' },
  // Ours
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is not reachable' },
  DATABASE_FULL: { status: 503, title: 'The disk holding the database is full' },
  DATABASE_NOT_TRIALWATCH: { status: 500, title: 'The database belongs to another application' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
  REQUEST_TIMEOUT: { status: 503, title: 'The request took too long' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra, safe-to-show facts (never secrets). */
  details?: Record<string, unknown>;
  /** Seconds the client should wait (429, 503). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The message of any thrown value, for logs and run records. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
