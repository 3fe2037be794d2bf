/**
 * Per-client rate limiting through `@fastify/rate-limit` (hooks, headers, allow list, key by client
 * address), with our own store: a token bucket per client instead of the plugin's fixed window, so
 * a client can never send twice the limit across a window's edge and `Retry-After` says when the
 * next request will pass (one token), not when a whole window ends. Over the limit: 429
 * RATE_LIMITED with `Retry-After` and the draft-standard `RateLimit-*` headers.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { pathOf } from '../error-handler.js';

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

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * The plugin's store interface over a RateLimiter: `current` is how many of the `max` the client
 * has used (over `max` when refused), `ttl` the milliseconds until the next token when refused, or
 * until the bucket is full again otherwise (the `RateLimit-Reset` header).
 */
function tokenBucketStore(limiter: RateLimiter, perMinute: number, now: () => number) {
  return class TokenBucketStore {
    incr(key: string, callback: StoreCallback): void {
      const taken = limiter.take(key, now());
      if (!taken.allowed) {
        callback(null, { current: perMinute + 1, ttl: taken.retryAfterMs });
        return;
      }
      callback(null, {
        current: perMinute - taken.remaining,
        ttl: Math.ceil(((perMinute - taken.remaining) * 60_000) / perMinute),
      });
    }

    child(): TokenBucketStore {
      return this;
    }
  };
}

export interface RateLimitSettings {
  perMinute: number;
  /** Paths never limited. */
  exempt: readonly string[];
  maxTrackedClients: number;
  now: () => number;
}

/** Registers the limit on the app; routes added afterwards are limited. */
export async function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const { perMinute } = settings;
  const limiter = new RateLimiter(perMinute, settings.maxTrackedClients);
  const exempt = new Set(settings.exempt);
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    store: tokenBucketStore(limiter, perMinute, settings.now),
    enableDraftSpec: true,
    allowList: (request: FastifyRequest) => exempt.has(pathOf(request)),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError(
        'RATE_LIMITED',
        `Too many requests from this client: at most ${perMinute} a minute; try again in ${seconds} s`,
        { retryAfterSeconds: seconds, details: { limitPerMinute: perMinute } },
      );
    },
  });
}
