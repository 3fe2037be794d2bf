/**
 * The delivery worker: sends each endpoint the change events its filter matches, in change-feed
 * order, at least once, durably. It runs in the webhook process of `serve` (delivery-runner.ts
 * forks bin/webhook-worker.ts), never on the API's event loop, and reads the feed from the database.
 *
 * Per endpoint, one process at a time (a lease `webhook:<id>` in the leases table, renewed every
 * pass, so several `serve` processes on one PostgreSQL never deliver one endpoint together), and
 * up to WEBHOOK_CONCURRENT_ENDPOINTS endpoints at once, each one strictly in order:
 * 1. a pending delivery that is due (a retry, a replay, a ping) is attempted first;
 * 2. while the endpoint's feed message is pending (waiting for a retry) no later event is sent;
 * 3. otherwise one query reads the next page of events after the endpoint's position that its
 *    filter matches (FEED_PAGE of them), and they are sent one after the other. Each message's
 *    first attempt is recorded when it has been made — its log entry and the position, in one
 *    transaction — so the position is committed per message, never per page; its `webhook-id`
 *    comes from endpoint and seq, so a crash before that commit sends it again unchanged.
 * The position moves only when a feed message ends (success, or final failure after the retry
 * schedule), in the same transaction as the attempt's record: a crash anywhere sends the message
 * again with the same `webhook-id` — at least once — and never skips one. A message that is to be
 * retried ends the page: its entry stays pending and nothing later goes before it.
 *
 * A pass that sent something is followed at once by the next; an idle one waits
 * WEBHOOK_POLL_INTERVAL_MS. The worker also keeps the delivery log bounded (WEBHOOK_LOG_MAX_AGE_MS,
 * WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT) and deletes secrets whose rotation overlap has ended.
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
  deleteExpiredSecrets,
  disableEndpoint,
  getEndpointWithSecrets,
  inTransaction,
  listEndpoints,
  nextDueDelivery,
  pendingFeedDelivery,
  pruneDeliveries,
  recordAttempt,
  recordFirstAttempt,
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
/** Attempts one endpoint gets per pass before the others have their turn (and leases are renewed). */
const ATTEMPTS_PER_PASS = 1_000;
/** Feed events read per query: the page of events an endpoint is sent one after the other. */
export const FEED_PAGE = 200;
/** How often the worker prunes each endpoint's delivery log and deletes expired secrets (ms). */
export const PRUNE_INTERVAL_MS = 60_000;

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
  /** When each endpoint's log was last pruned, and expired secrets deleted (this worker's clock). */
  readonly #prunedAt = new Map<string, number>();
  #secretsPrunedAt: number | undefined;

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

  /** Runs passes until `stop`: the next at once after one that sent something, else after `pollIntervalMs`. */
  start(): void {
    const loop = () => {
      if (this.#stopping) return;
      this.#pass = this.runPass()
        .catch((error: unknown) => {
          this.#log.warn({ err: messageOf(error) }, 'webhook pass failed');
          return false;
        })
        .then((busy) => {
          if (!this.#stopping) this.#timer = setTimeout(loop, busy ? 0 : this.#config.pollIntervalMs);
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

  /**
   * One pass over every endpoint: each one this worker can lease delivers what is due, at most
   * `concurrentEndpoints` at once. Then, when due, the logs of the leased endpoints are pruned.
   * True when some attempt was made.
   */
  async runPass(): Promise<boolean> {
    const endpoints = await listEndpoints(this.#db);
    const active = endpoints.filter((endpoint) => !endpoint.paused && endpoint.disabledAt === null);
    const activeIds = new Set(active.map((endpoint) => endpoint.id));
    for (const id of [...this.#held]) {
      if (!activeIds.has(id)) {
        this.#held.delete(id);
        await releaseLease(this.#db, webhookLeaseName(id), this.#holder);
      }
    }
    let attempts = 0;
    const queue = [...active];
    const lane = async () => {
      for (let endpoint = queue.shift(); endpoint !== undefined; endpoint = queue.shift()) {
        if (this.#stopping) return;
        if (await this.#lease(endpoint.id)) attempts += await this.#deliverEndpoint(endpoint.id);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.#config.concurrentEndpoints, queue.length) }, () => lane()),
    );
    await this.#pruneIfDue();
    return attempts > 0;
  }

  /**
   * Every PRUNE_INTERVAL_MS per endpoint this worker holds (the first time in the first pass that
   * holds it): its delivery log is cut to WEBHOOK_LOG_MAX_AGE_MS and WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT
   * (pending entries stay); and secrets whose rotation overlap has ended are deleted.
   */
  async #pruneIfDue(): Promise<void> {
    const now = this.#now();
    const due = (at: number | undefined) => at === undefined || now - at >= PRUNE_INTERVAL_MS;
    if (due(this.#secretsPrunedAt)) {
      this.#secretsPrunedAt = now;
      await deleteExpiredSecrets(this.#db, now);
    }
    for (const id of this.#held) {
      if (!due(this.#prunedAt.get(id))) continue;
      this.#prunedAt.set(id, now);
      const pruned = await pruneDeliveries(this.#db, id, {
        before: now - this.#config.logMaxAgeMs,
        keepRows: this.#config.logMaxRowsPerEndpoint,
      });
      if (pruned > 0) this.#log.debug({ endpoint: id, pruned }, 'webhook delivery log pruned');
    }
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

  /** Delivers what is due to one endpoint, up to ATTEMPTS_PER_PASS attempts; returns how many were made. */
  async #deliverEndpoint(id: string): Promise<number> {
    let made = 0;
    while (made < ATTEMPTS_PER_PASS && !this.#stopping) {
      const found = await getEndpointWithSecrets(this.#db, id, this.#now());
      if (found === undefined || !deliverable(found.endpoint)) return made;
      let { endpoint } = found;
      const { secrets } = found;
      const due = await nextDueDelivery(this.#db, id, this.#now());
      if (due !== undefined) {
        await this.#attempt(endpoint, secrets, due);
        made++;
        continue;
      }
      // The endpoint's current feed message waits for its retry: nothing later goes before it.
      if ((await pendingFeedDelivery(this.#db, id)) !== undefined) return made;
      const page = await this.#feedPage(endpoint);
      if (page === undefined) return made;
      let ended = true;
      for (const event of page.events) {
        if (made >= ATTEMPTS_PER_PASS || this.#stopping) return made;
        const after = await this.#attemptFeed(endpoint, secrets, event);
        made++;
        // Stop the page when the message waits for a retry, or when the endpoint changed meanwhile
        // (paused, disabled, deleted, edited, its secret rotated): the next round reads it again.
        if (
          after === undefined ||
          !after.ended ||
          !deliverable(after.endpoint) ||
          after.endpoint.updatedAt !== endpoint.updatedAt
        ) {
          ended = false;
          break;
        }
        endpoint = after.endpoint;
      }
      // Every wanted event of the page ended: the position moves past the unwanted ones after them.
      if (ended) await advancePosition(this.#db, id, page.through);
    }
    return made;
  }

  /**
   * The next page of events after the endpoint's position that its filter and types match, and the
   * seq the page reaches (`through`: every event up to it is in `events` or not wanted). Pages with
   * nothing wanted move the position past them (so the lag shows what is left).
   */
  async #feedPage(
    endpoint: WebhookEndpoint,
  ): Promise<{ events: ChangeEvent[]; through: number } | undefined> {
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
      const wanted = items.filter((event) => endpoint.types.includes(webhookEventTypeOf(event.kind)));
      const last = !page.hasMore || items.length < page.items.length;
      const through = last ? head : page.lastSeq;
      if (wanted.length > 0) return { events: wanted, through };
      await advancePosition(this.#db, endpoint.id, through);
      if (last) return undefined;
      afterSeq = page.lastSeq;
    }
  }

  /** The first attempt of one feed message; whether it ended (not to be retried) and the endpoint after it. */
  async #attemptFeed(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    event: ChangeEvent,
  ): Promise<{ ended: boolean; endpoint: WebhookEndpoint } | undefined> {
    const eventType = webhookEventTypeOf(event.kind);
    const messageId = feedMessageId(endpoint.id, event.seq);
    const body = JSON.stringify({
      type: eventType,
      timestamp: new Date(event.occurredAt).toISOString(),
      data: this.#format.eventView(event),
    });
    const outcome = await this.#send(endpoint, secrets, messageId, body);
    const now = this.#now();
    const record = this.#judge(
      endpoint,
      outcome,
      1,
      event.seq,
      describe(outcome),
      `message ${messageId}`,
      now,
    );
    const after = await inTransaction(this.#db, (trx) =>
      recordFirstAttempt(
        trx,
        { endpointId: endpoint.id, messageId, trigger: 'feed', eventType, changeSeq: event.seq },
        record,
        now,
      ),
    );
    this.#logAttempt(endpoint, messageId, 1, outcome, record);
    return after === undefined ? undefined : { ended: record.status !== 'pending', endpoint: after };
  }

  async #send(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    messageId: string,
    body: string,
  ): Promise<AttemptOutcome> {
    const started = this.#now();
    return attemptWebhook(
      endpoint.url,
      webhookHeaders(secrets, messageId, Math.floor(started / 1000), body),
      body,
      {
        policy: this.#config,
        timeoutMs: this.#config.timeoutMs,
        now: this.#now,
        ...(this.#resolve === undefined ? {} : { resolve: this.#resolve }),
      },
    );
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

  /** One attempt of a delivery already in the log (a retry, a replay, a ping). */
  async #attempt(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    delivery: WebhookDelivery,
  ): Promise<void> {
    const body = await this.#body(delivery, endpoint);
    const outcome: AttemptOutcome =
      body === undefined
        ? { kind: 'response', status: 0, retryAfterMs: undefined, bodyBytes: 0, latencyMs: 0 }
        : await this.#send(endpoint, secrets, delivery.messageId, body);
    const now = this.#now();
    const feed = delivery.trigger === 'feed' && delivery.changeSeq !== null ? delivery.changeSeq : undefined;
    const attempts = delivery.attempts + 1;
    const error = body === undefined ? 'The change event is not in the feed' : describe(outcome);
    const record = this.#judge(endpoint, outcome, attempts, feed, error, `delivery ${delivery.id}`, now);
    await inTransaction(this.#db, (trx) => recordAttempt(trx, delivery, record, now));
    this.#logAttempt(endpoint, delivery.messageId, attempts, outcome, record);
  }

  /**
   * What an attempt (the `attempts`-th of its message) means for the log and the endpoint. `feed`:
   * the seq of a feed message (the position moves to it when the message ends).
   */
  #judge(
    endpoint: WebhookEndpoint,
    outcome: AttemptOutcome,
    attempts: number,
    feed: number | undefined,
    error: string | null,
    what: string,
    now: number,
  ): AttemptRecord {
    const judged = judgeOutcome(outcome);
    const record: AttemptRecord = {
      status: 'failed',
      responseCode: outcome.kind === 'response' && outcome.status > 0 ? outcome.status : null,
      latencyMs: outcome.latencyMs,
      error,
      nextAttemptAt: null,
      endpoint: { failing: 'start', delivered: false, finallyFailed: false },
    };
    const finalFailure = () => {
      record.endpoint = {
        failing: 'start',
        delivered: false,
        finallyFailed: true,
        ...(feed === undefined ? {} : { advanceTo: feed }),
      };
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
        record.endpoint.disable = `The endpoint answered 410 Gone (${what})`;
        break;
      case 'failed':
        finalFailure();
        break;
      case 'retry': {
        const step = this.#config.retryScheduleMs[attempts - 1];
        if (step === undefined) finalFailure();
        else {
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
    return record;
  }

  /** Status and size only: never the secret, the body sent or what the receiver said. */
  #logAttempt(
    endpoint: WebhookEndpoint,
    messageId: string,
    attempt: number,
    outcome: AttemptOutcome,
    record: AttemptRecord,
  ): void {
    const facts = {
      endpoint: endpoint.id,
      message: messageId,
      attempt,
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

function deliverable(endpoint: WebhookEndpoint): boolean {
  return !endpoint.paused && endpoint.disabledAt === null;
}
