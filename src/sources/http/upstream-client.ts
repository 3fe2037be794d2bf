import { setTimeout as delay } from 'node:timers/promises';
import type { UpstreamConfig } from '../../config/config.js';
import { AppError } from '../../errors/app-error.js';
import { checkUpstreamBody, decodeUpstreamBody } from './body-text.js';
import { redact } from './redact.js';

export interface UpstreamRequest {
  url: string;
  headers?: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
  /** The request URL with secrets removed, for messages. */
  safeUrl: string;
  /**
   * The body decoded by its declared charset (see `decodeUpstreamBody`), when it has been decoded.
   * `UpstreamClient` checks every 2xx body (it retries, then fails, one that cannot be decoded) but
   * decodes only a legacy charset up front: `bodyText` decodes a UTF-8 body when it is needed.
   */
  text?: string;
}

export type UpstreamOutcome = 'ok' | 'retry' | 'error';

/** Hooks for metrics; called once per attempt. */
export interface UpstreamObserver {
  onAttempt?(source: string, outcome: UpstreamOutcome, status: number | null): void;
}

export interface UpstreamClientOptions {
  source: string;
  config: UpstreamConfig;
  /** Values never to show (service keys); removed from every URL and message. */
  secrets?: readonly (string | undefined)[];
  signal?: AbortSignal;
  observer?: UpstreamObserver;
  /** For tests: a fake clock's sleep and a fixed random source. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/**
 * A host name that does not resolve (no network, no DNS, a wrong base URL) is retried this many
 * times only, after at most `DNS_BACKOFF_MS`: a resolver that just failed rarely answers a few
 * seconds later, and a harvest with no network should say so at once, not after minutes of retries.
 */
const DNS_RETRIES = 1;
const DNS_BACKOFF_MS = 1_000;
const DNS_ERROR_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** The getaddrinfo code when `error` (a fetch failure) is a host name that did not resolve. */
function dnsErrorOf(error: unknown): { code: string; hostname: string | undefined } | undefined {
  const cause = (error as { cause?: { code?: unknown; hostname?: unknown } } | null)?.cause;
  if (typeof cause?.code !== 'string' || !DNS_ERROR_CODES.has(cause.code)) return undefined;
  return { code: cause.code, hostname: typeof cause.hostname === 'string' ? cause.hostname : undefined };
}
/** Retry-After values longer than this are not waited for: the run fails instead. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** The first line of a body, trimmed and capped, for error messages. */
export function firstLine(body: Buffer | string, max = 200): string {
  const text = (typeof body === 'string' ? body : body.subarray(0, 4096).toString('utf8'))
    .replace(/<[^>]*>/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
  if (text === undefined) return '(empty body)';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The one way sources call their upstream: a per-request timeout, retries with capped exponential
 * backoff and full jitter on network errors, timeouts, 5xx and 429 (honouring `Retry-After`), a
 * minimum interval between requests, and errors that name the source and the request with every
 * secret removed. A non-retryable 4xx is returned to the caller, who reads the registry's own
 * error body.
 */
export class UpstreamClient {
  readonly source: string;
  readonly #config: UpstreamConfig;
  readonly #secrets: readonly (string | undefined)[];
  readonly #signal: AbortSignal | undefined;
  readonly #observer: UpstreamObserver | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  #nextAllowedAt = 0;
  /** Requests sent, including retries. */
  requests = 0;
  retries = 0;

  constructor(options: UpstreamClientOptions) {
    this.source = options.source;
    this.#config = options.config;
    this.#secrets = options.secrets ?? [];
    this.#signal = options.signal;
    this.#observer = options.observer;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#random = options.random ?? Math.random;
  }

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  async get(request: UpstreamRequest): Promise<UpstreamResponse> {
    const safeUrl = this.redact(request.url);
    let attempts = this.#config.retries + 1;
    let lastError: AppError | undefined;
    let attempt = 0;
    let dnsRetried = 0;
    while (attempt < attempts) {
      attempt++;
      this.#throwIfAborted();
      await this.#waitForTurn();
      let waitMs: number | undefined;
      let dns = false;
      try {
        this.requests++;
        const response = await this.#fetchOnce(request, safeUrl);
        if (response.status >= 200 && response.status < 300) {
          // A body damaged on the way (a proxy, a cut-and-resumed transfer) may come whole on the
          // next try, like a truncated one; one that stays undecodable fails the request.
          const decoded = checkUpstreamBody(response.body, response.contentType);
          if (decoded.ok) {
            this.#observer?.onAttempt?.(this.source, 'ok', response.status);
            return decoded.text === undefined ? response : { ...response, text: decoded.text };
          }
          lastError = new AppError(
            'UPSTREAM_BAD_RESPONSE',
            `${this.source}: GET ${safeUrl} answered HTTP ${response.status} with ${decoded.problem} (${response.contentType || 'no content type'})`,
            { details: { status: response.status, contentType: response.contentType } },
          );
          this.#observer?.onAttempt?.(this.source, attempt < attempts ? 'retry' : 'error', response.status);
        } else if (!RETRYABLE_STATUS.has(response.status)) {
          this.#observer?.onAttempt?.(this.source, response.status < 400 ? 'ok' : 'error', response.status);
          return response;
        } else {
          const detail = `HTTP ${response.status}: ${firstLine(response.body)}`;
          lastError = new AppError(
            'UPSTREAM_HTTP_ERROR',
            `${this.source}: GET ${safeUrl} answered ${this.redact(detail)}`,
            { details: { status: response.status } },
          );
          waitMs = parseRetryAfter(response.retryAfter);
          if (waitMs !== undefined && waitMs > MAX_RETRY_AFTER_MS) {
            this.#observer?.onAttempt?.(this.source, 'error', response.status);
            throw new AppError(
              'UPSTREAM_HTTP_ERROR',
              `${lastError.message} (Retry-After ${Math.round(waitMs / 1000)} s is longer than we wait)`,
              { details: { status: response.status } },
            );
          }
          this.#observer?.onAttempt?.(this.source, attempt < attempts ? 'retry' : 'error', response.status);
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'UPSTREAM_HTTP_ERROR') throw error;
        this.#throwIfAborted();
        lastError = this.#networkError(error, safeUrl);
        dns = dnsErrorOf(error) !== undefined;
        if (dns) attempts = Math.min(attempts, attempt + DNS_RETRIES - dnsRetried);
        this.#observer?.onAttempt?.(this.source, attempt < attempts ? 'retry' : 'error', null);
      }
      if (attempt < attempts) {
        this.retries++;
        if (dns) dnsRetried++;
        const exponential = Math.min(
          dns ? DNS_BACKOFF_MS : this.#config.maxBackoffMs,
          this.#config.backoffMs * 2 ** (attempt - 1),
        );
        const jittered = Math.round(this.#random() * exponential);
        await this.#sleep(Math.max(waitMs ?? 0, jittered), this.#signal);
      }
    }
    const final = lastError ?? new AppError('UPSTREAM_NETWORK', `${this.source}: GET ${safeUrl} failed`);
    throw new AppError(
      final.code,
      `${final.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      {
        cause: final,
        details: final.details ?? {},
      },
    );
  }

  async #fetchOnce(
    request: UpstreamRequest,
    safeUrl: string,
  ): Promise<UpstreamResponse & { retryAfter: string | null }> {
    const timeout = AbortSignal.timeout(this.#config.timeoutMs);
    const signal = this.#signal === undefined ? timeout : AbortSignal.any([this.#signal, timeout]);
    const response = await fetch(request.url, {
      headers: { accept: 'application/json', 'user-agent': 'trialwatch/0.1', ...request.headers },
      signal,
      redirect: 'follow',
    });
    const body = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      safeUrl,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  #networkError(error: unknown, safeUrl: string): AppError {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError') {
      return new AppError(
        'UPSTREAM_TIMEOUT',
        `${this.source}: GET ${safeUrl} did not answer within ${this.#config.timeoutMs} ms`,
        { cause: error },
      );
    }
    const dns = dnsErrorOf(error);
    if (dns !== undefined) {
      return new AppError(
        'UPSTREAM_NETWORK',
        `${this.source}: GET ${safeUrl} failed: the host name${dns.hostname === undefined ? '' : ` ${dns.hostname}`} does not resolve (${dns.code}): is there a network connection, and is the source's base URL right?`,
        { cause: error, details: { code: dns.code } },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new AppError('UPSTREAM_NETWORK', `${this.source}: GET ${safeUrl} failed: ${this.redact(reason)}`, {
      cause: error,
    });
  }

  async #waitForTurn(): Promise<void> {
    const now = Date.now();
    if (now < this.#nextAllowedAt) await this.#sleep(this.#nextAllowedAt - now, this.#signal);
    this.#nextAllowedAt = Date.now() + this.#config.minIntervalMs;
  }

  #throwIfAborted(): void {
    if (this.#signal?.aborted === true) {
      throw new AppError('HARVEST_INTERRUPTED', `${this.source}: the harvest was interrupted`, {
        cause: this.#signal.reason,
      });
    }
  }
}

/**
 * The body as text, decoded by its declared charset: the client's decoding of a 2xx answer, or (for
 * a response built elsewhere) the same decoding done here; throws `UPSTREAM_BAD_RESPONSE` naming
 * the source and request rather than let a replacement character through.
 */
export function bodyText(response: UpstreamResponse, source: string): string {
  if (response.text !== undefined) return response.text;
  const decoded = decodeUpstreamBody(response.body, response.contentType);
  if (decoded.ok) return decoded.text;
  throw new AppError(
    'UPSTREAM_BAD_RESPONSE',
    `${source}: GET ${response.safeUrl} answered HTTP ${response.status} with ${decoded.problem} (${response.contentType || 'no content type'})`,
    { details: { status: response.status, contentType: response.contentType } },
  );
}

/** Parses a JSON body or throws a clear `UPSTREAM_BAD_RESPONSE` naming the source and request. */
export function parseJsonBody(response: UpstreamResponse, source: string): unknown {
  const text = bodyText(response, source);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      `${source}: GET ${response.safeUrl} answered HTTP ${response.status} with a body that is not JSON (${response.contentType || 'no content type'}): ${firstLine(text)}`,
      { cause: error },
    );
  }
}
