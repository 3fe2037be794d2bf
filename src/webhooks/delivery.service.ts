/**
 * The delivery worker: sends each endpoint the change events its filter matches, in change-feed
 * order, at least once, durably. It runs in the webhook process of `serve` (delivery-runner.ts
 * forks bin/webhook-worker.ts), never on the API's event loop, and reads the feed from the database.
 *
 * Per endpoint, one process at a time (a lease `webhook:<id>` in the leases table, renewed every
 * pass, so several `serve` processes on one PostgreSQL never deliver one endpoint together):
 * 1. a pending delivery that is due (a retry, a replay, a ping) is attempted first;
 * 2. while the endpoint's feed message is pending (waiting for a retry) no later event is sent;
 * 3. otherwise the next matching event after the endpoint's position gets a delivery row (its
 *    `webhook-id` derived from endpoint and seq, so a crash before the row is written changes
 *    nothing) and is attempted.
 * The position moves only when the feed message ends (success, or final failure after the retry
 * schedule), in the same transaction as the attempt's record: a crash anywhere sends the message
 * again with the same `webhook-id` — at least once — and never skips one.
 */
import type { WebhookConfig } from '../config/config.js';
import type { ChangeEvent, ChangeFilter } from '../domain/trial-read.types.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookFilterParams } from '../domain/webhook.types.js';
import { WEBHOOK_PING_TYPE, webhookEventTypeOf } from '../domain/webhook.types.js';
import { messageOf } from '../errors/app-error.js';
import { defaultHolder, isDeadLocalHolder } from '../harvest/harvest-lease.js';
import { ChangeService } from '../services/change.service.js';
import { findChangesBySeq, latestChangeSeq } from '../store/change.repository.js';
import type { Db } from '../store/database.js';
import {
  acquireLease,
  getLease,
  releaseLease,
  renewLease,
  takeOverLease,
} from '../store/lease.repository.js';
import type { AttemptRecord } from '../store/webhook.repository.js';
import {
  advancePosition,
  disableEndpoint,
  getEndpointWithSecret,
  inTransaction,
  insertDelivery,
  listEndpoints,
  nextDueDelivery,
  pendingFeedDelivery,
  recordAttempt,
} from '../store/webhook.repository.js';
import type { AttemptOutcome } from './delivery-client.js';
import { attemptWebhook } from './delivery-client.js';
import { webhookHeaders } from './signing.js';
import type { Resolver } from './url-guard.js';
import { feedMessageId } from './webhook.service.js';

/** How the API shows things, handed in by the entry point (the worker sits below the API). */
export interface WebhookFormat {
  /** The change filter of an endpoint's stored /api/v1/changes parameters (the API's own parser). */
  filterOf(params: WebhookFilterParams): ChangeFilter;
  /** A change event as the API shows it (the `data` of a message). */
  eventView(event: ChangeEvent): unknown;
}

export interface DeliveryLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A Retry-After longer than this is not waited for longer (ms). */
export const RETRY_AFTER_CAP_MS = 86_400_000;
/** Attempts one endpoint gets per pass before the others have their turn. */
const ATTEMPTS_PER_PASS = 200;
/** Feed events read per query while looking for the next one an endpoint wants. */
const FEED_PAGE = 200;

export function webhookLeaseName(endpointId: string): string {
  return `webhook:${endpointId}`;
}

/** What an attempt's outcome means: done, retry later, stop for good, or disable the endpoint. */
export function judgeOutcome(
  outcome: AttemptOutcome,
): { result: 'succeeded' } | { result: 'retry'; afterMs?: number } | { result: 'failed' | 'gone' } {
  if (outcome.kind === 'error') return { result: 'retry' };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { result: 'succeeded' };
  if (status === 410) return { result: 'gone' };
  if (status === 429 || status >= 500) {
    return outcome.retryAfterMs === undefined
      ? { result: 'retry' }
      : { result: 'retry', afterMs: Math.min(outcome.retryAfterMs, RETRY_AFTER_CAP_MS) };
  }
  // Redirects (never followed) and other client errors: the same message will not fare better.
  return { result: 'failed' };
}

function describe(outcome: AttemptOutcome): string | null {
  if (outcome.kind === 'error') return `${outcome.reason}: ${outcome.message}`;
  if (outcome.status >= 200 && outcome.status < 300) return null;
  return `HTTP ${outcome.status}${outcome.status >= 300 && outcome.status < 400 ? ' (redirects are not followed)' : ''}`;
}

export interface DeliveryWorkerDeps {
  db: Db;
  config: WebhookConfig;
  format: WebhookFormat;
  log: DeliveryLog;
  holder?: string;
  now?: () => number;
  resolve?: Resolver;
}

export class DeliveryWorker {
  readonly #db: Db;
  readonly #config: WebhookConfig;
  readonly #format: WebhookFormat;
  readonly #log: DeliveryLog;
  readonly #holder: string;
  readonly #now: () => number;
  readonly #resolve: Resolver | undefined;
  readonly #changes: ChangeService;
  /** Endpoints whose lease this worker holds. */
  readonly #held = new Set<string>();
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> | undefined;

  constructor(deps: DeliveryWorkerDeps) {
    this.#db = deps.db;
    this.#config = deps.config;
    this.#format = deps.format;
    this.#log = deps.log;
    this.#holder = deps.holder ?? defaultHolder();
    this.#now = deps.now ?? Date.now;
    this.#resolve = deps.resolve;
    this.#changes = new ChangeService({ db: deps.db });
  }

  /** Runs passes every `pollIntervalMs` until `stop`. */
  start(): void {
    const loop = () => {
      if (this.#stopping) return;
      this.#pass = this.runPass()
        .catch((error: unknown) => this.#log.warn({ err: messageOf(error) }, 'webhook pass failed'))
        .finally(() => {
          if (!this.#stopping) this.#timer = setTimeout(loop, this.#config.pollIntervalMs);
        });
    };
    loop();
  }

  /** Finishes the attempt in flight, then gives up every lease. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#pass;
    for (const id of this.#held)
      await releaseLease(this.#db, webhookLeaseName(id), this.#holder).catch(() => undefined);
    this.#held.clear();
  }

  /** One pass over every endpoint: each one this worker can lease delivers what is due. */
  async runPass(): Promise<void> {
    const endpoints = await listEndpoints(this.#db);
    const active = endpoints.filter((endpoint) => !endpoint.paused && endpoint.disabledAt === null);
    const activeIds = new Set(active.map((endpoint) => endpoint.id));
    for (const id of [...this.#held]) {
      if (!activeIds.has(id)) {
        this.#held.delete(id);
        await releaseLease(this.#db, webhookLeaseName(id), this.#holder);
      }
    }
    await Promise.all(
      active.map(async (endpoint) => {
        if (await this.#lease(endpoint.id)) await this.#deliverEndpoint(endpoint.id);
      }),
    );
  }

  /** Takes or renews the endpoint's lease (or the lease of a dead process on this host). */
  async #lease(id: string): Promise<boolean> {
    const name = webhookLeaseName(id);
    const ttl = this.#config.leaseTtlMs;
    const now = this.#now();
    if (this.#held.has(id)) {
      if (await renewLease(this.#db, name, this.#holder, ttl, now)) return true;
      this.#held.delete(id);
    }
    let taken = await acquireLease(this.#db, name, this.#holder, ttl, now);
    if (!taken) {
      const current = await getLease(this.#db, name);
      if (current !== undefined && isDeadLocalHolder(current.holder))
        taken = await takeOverLease(this.#db, name, current.holder, this.#holder, ttl, now);
    }
    if (taken) this.#held.add(id);
    return taken;
  }

  async #deliverEndpoint(id: string): Promise<void> {
    for (let budget = ATTEMPTS_PER_PASS; budget > 0 && !this.#stopping; budget--) {
      const found = await getEndpointWithSecret(this.#db, id);
      if (found === undefined || found.endpoint.paused || found.endpoint.disabledAt !== null) return;
      const { endpoint, secret } = found;
      let delivery = await nextDueDelivery(this.#db, id, this.#now());
      if (delivery === undefined) {
        // The endpoint's current feed message waits for its retry: nothing later goes before it.
        if ((await pendingFeedDelivery(this.#db, id)) !== undefined) return;
        const event = await this.#nextFeedEvent(endpoint);
        if (event === undefined) return;
        delivery = await insertDelivery(
          this.#db,
          {
            endpointId: id,
            messageId: feedMessageId(id, event.seq),
            trigger: 'feed',
            eventType: webhookEventTypeOf(event.kind),
            changeSeq: event.seq,
          },
          this.#now(),
        );
      }
      await this.#attempt(endpoint, secret, delivery);
    }
  }

  /**
   * The next event after the endpoint's position that its filter and types match. Events in
   * between that it does not want move the position past them (so the lag shows what is left).
   */
  async #nextFeedEvent(endpoint: WebhookEndpoint): Promise<ChangeEvent | undefined> {
    // Read first: writers commit in seq order, so every event up to `head` is visible now.
    const head = await latestChangeSeq(this.#db);
    if (head <= endpoint.position) return undefined;
    let filter: ChangeFilter;
    try {
      filter = this.#format.filterOf(endpoint.filter);
    } catch (error) {
      const reason = `The stored filter is no longer valid: ${messageOf(error)}`;
      await disableEndpoint(this.#db, endpoint.id, reason, this.#now());
      this.#log.warn({ endpoint: endpoint.id }, reason);
      return undefined;
    }
    let afterSeq = endpoint.position;
    for (;;) {
      const page = await this.#changes.list({ ...filter, afterSeq, limit: FEED_PAGE });
      const items = page.items.filter((event) => event.seq <= head);
      const wanted = items.find((event) => endpoint.types.includes(webhookEventTypeOf(event.kind)));
      if (wanted !== undefined) return wanted;
      if (!page.hasMore || items.length < page.items.length) {
        await advancePosition(this.#db, endpoint.id, head);
        return undefined;
      }
      afterSeq = page.lastSeq;
    }
  }

  async #body(delivery: WebhookDelivery, endpoint: WebhookEndpoint): Promise<string | undefined> {
    if (delivery.changeSeq === null) {
      return JSON.stringify({
        type: WEBHOOK_PING_TYPE,
        timestamp: new Date(this.#now()).toISOString(),
        data: { endpointId: endpoint.id, description: endpoint.description },
      });
    }
    const event = (await findChangesBySeq(this.#db, [delivery.changeSeq])).get(delivery.changeSeq);
    if (event === undefined) return undefined;
    return JSON.stringify({
      type: delivery.eventType,
      timestamp: new Date(event.occurredAt).toISOString(),
      data: this.#format.eventView(event),
    });
  }

  async #attempt(endpoint: WebhookEndpoint, secret: string, delivery: WebhookDelivery): Promise<void> {
    const body = await this.#body(delivery, endpoint);
    const started = this.#now();
    const outcome: AttemptOutcome =
      body === undefined
        ? { kind: 'response', status: 0, retryAfterMs: undefined, bodyBytes: 0, latencyMs: 0 }
        : await attemptWebhook(
            endpoint.url,
            webhookHeaders(secret, delivery.messageId, Math.floor(started / 1000), body),
            body,
            {
              policy: this.#config,
              timeoutMs: this.#config.timeoutMs,
              now: this.#now,
              ...(this.#resolve === undefined ? {} : { resolve: this.#resolve }),
            },
          );
    const now = this.#now();
    const judged = judgeOutcome(outcome);
    const feed = delivery.trigger === 'feed' && delivery.changeSeq !== null ? delivery.changeSeq : undefined;
    const attempts = delivery.attempts + 1;
    const error = body === undefined ? 'The change event is not in the feed' : describe(outcome);
    const record: AttemptRecord = {
      status: 'failed',
      responseCode: outcome.kind === 'response' && outcome.status > 0 ? outcome.status : null,
      latencyMs: outcome.latencyMs,
      error,
      nextAttemptAt: null,
      endpoint: { failing: 'start', delivered: false, finallyFailed: false },
    };
    switch (judged.result) {
      case 'succeeded':
        record.status = 'succeeded';
        record.endpoint = {
          failing: 'clear',
          delivered: true,
          finallyFailed: false,
          ...(feed === undefined ? {} : { advanceTo: feed }),
        };
        break;
      case 'gone':
        record.endpoint.disable = `The endpoint answered 410 Gone (delivery ${delivery.id})`;
        break;
      case 'failed':
        record.endpoint = {
          failing: 'start',
          delivered: false,
          finallyFailed: true,
          ...(feed === undefined ? {} : { advanceTo: feed }),
        };
        break;
      case 'retry': {
        const step = this.#config.retryScheduleMs[attempts - 1];
        if (step === undefined) {
          record.endpoint = {
            failing: 'start',
            delivered: false,
            finallyFailed: true,
            ...(feed === undefined ? {} : { advanceTo: feed }),
          };
        } else {
          record.status = 'pending';
          record.nextAttemptAt = now + Math.max(step, judged.afterMs ?? 0);
        }
        break;
      }
    }
    if (judged.result !== 'succeeded' && record.endpoint.disable === undefined) {
      const failingSince = endpoint.failingSince ?? now;
      if (now - failingSince >= this.#config.disableAfterMs) {
        record.endpoint.disable = `Failing since ${new Date(failingSince).toISOString()}, longer than WEBHOOK_DISABLE_AFTER_MS (${this.#config.disableAfterMs} ms); last error: ${error ?? 'none'}`;
      }
    }
    await inTransaction(this.#db, (trx) => recordAttempt(trx, delivery, record, now));
    // Status and size only: never the secret, the body sent or what the receiver said.
    const facts = {
      endpoint: endpoint.id,
      delivery: delivery.id,
      attempt: attempts,
      status: outcome.kind === 'response' ? outcome.status : outcome.reason,
      responseBytes: outcome.kind === 'response' ? outcome.bodyBytes : 0,
      latencyMs: outcome.latencyMs,
      result: record.status,
    };
    if (record.endpoint.disable !== undefined)
      this.#log.warn(facts, `webhook endpoint disabled: ${record.endpoint.disable}`);
    else if (record.status === 'succeeded') this.#log.debug(facts, 'webhook delivered');
    else this.#log.info(facts, 'webhook attempt failed');
  }
}
