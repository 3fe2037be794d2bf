/**
 * The delivery worker: sends each endpoint the change events its filter matches, in change-feed
 * order, at least once, durably. It runs in the webhook process of `serve` (delivery-runner.ts
 * forks bin/webhook-worker.ts), never on the API's event loop, and reads the feed from the database.
 *
 * Per endpoint, one process at a time (a lease `webhook:<id>` in the leases table, renewed every
 * pass, so several `serve` processes on one PostgreSQL never deliver one endpoint together); up to
 * WEBHOOK_CONCURRENCY endpoints at once, each with one message in flight (so the order per
 * endpoint is the feed's order without any reordering at commit):
 * 1. a pending delivery that is due (a retry, a replay, a ping) is attempted first;
 * 2. while the endpoint's feed message is pending (waiting for a retry) no later event is sent;
 * 3. otherwise a page of the events after the endpoint's position that its filter matches is read
 *    in one query (the filter in SQL, the event types checked here) and sent one after the other;
 *    the messages delivered are written to the log, and the position moved past them, in one
 *    transaction per page. The first message that fails stops the page: it is written in that same
 *    transaction as a pending (retry) or failed delivery, as an attempt was before.
 * A message's `webhook-id` is derived from endpoint and seq, and the position moves only in the
 * transaction that logs the messages up to it: a crash anywhere sends the messages of the page
 * again with the same `webhook-ids` — at least once — and never skips one.
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
import type { AttemptRecord, DeliveredMessage, EndpointSecrets } from '../store/webhook.repository.js';
import {
  advancePosition,
  disableEndpoint,
  getEndpointWithSecret,
  inTransaction,
  insertDelivery,
  listEndpoints,
  nextDueDelivery,
  pendingFeedDelivery,
  pruneDeliveries,
  recordAttempt,
  recordFeedBatch,
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
const ATTEMPTS_PER_PASS = 1_000;
/** Feed events read per query, sent, and logged in one transaction. */
export const FEED_PAGE = 100;
/** Finished deliveries deleted per statement when the log is pruned. */
export const PRUNE_BATCH = 500;
/** How often the log is pruned (ms). */
export const PRUNE_INTERVAL_MS = 60_000;

/** The secrets that sign a delivery at `now`: the current one, then the previous one in its overlap. */
export function signingSecrets(secrets: EndpointSecrets, now: number): string[] {
  return secrets.previous !== null && secrets.previous.until > now
    ? [secrets.secret, secrets.previous.secret]
    : [secrets.secret];
}

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
      let more = false;
      this.#pass = this.runPass()
        .then((moreWork) => {
          more = moreWork;
        })
        .catch((error: unknown) => this.#log.warn({ err: messageOf(error) }, 'webhook pass failed'))
        .then(() => this.#pruneWhenDue())
        .catch((error: unknown) => this.#log.warn({ err: messageOf(error) }, 'webhook log pruning failed'))
        .finally(() => {
          // A pass that stopped at its budget has more to send: the next one starts at once.
          if (!this.#stopping) this.#timer = setTimeout(loop, more ? 0 : this.#config.pollIntervalMs);
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
   * One pass over every endpoint: each one this worker can lease delivers what is due, up to
   * WEBHOOK_CONCURRENCY endpoints at once. True when an endpoint stopped at its budget with more
   * to send.
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
    let more = false;
    let next = 0;
    const lane = async () => {
      while (next < active.length && !this.#stopping) {
        const endpoint = active[next++]!;
        if ((await this.#lease(endpoint.id)) && (await this.#deliverEndpoint(endpoint.id))) more = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#config.concurrency, active.length) }, lane));
    return more;
  }

  #lastPrune = Number.NEGATIVE_INFINITY;

  /** Every PRUNE_INTERVAL_MS, prunes the log of each endpoint this worker holds. */
  async #pruneWhenDue(): Promise<void> {
    const now = this.#now();
    if (this.#stopping || now - this.#lastPrune < PRUNE_INTERVAL_MS) return;
    this.#lastPrune = now;
    for (const id of [...this.#held]) {
      if (this.#stopping) return;
      await this.pruneLog(id);
    }
  }

  /**
   * Deletes the endpoint's finished deliveries outside WEBHOOK_LOG_RETENTION_DAYS and
   * WEBHOOK_LOG_KEEP_PER_ENDPOINT, PRUNE_BATCH rows per statement (short transactions that never
   * hold up deliveries for long); returns how many.
   */
  async pruneLog(id: string): Promise<number> {
    const { logRetentionMs, logKeepPerEndpoint } = this.#config;
    if (logRetentionMs === 0 && logKeepPerEndpoint === 0) return 0;
    const retention = {
      ...(logRetentionMs === 0 ? {} : { createdBefore: this.#now() - logRetentionMs }),
      ...(logKeepPerEndpoint === 0 ? {} : { keep: logKeepPerEndpoint }),
    };
    let total = 0;
    for (;;) {
      const deleted = await pruneDeliveries(this.#db, id, retention, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH || this.#stopping) break;
    }
    if (total > 0) this.#log.debug({ endpoint: id, deleted: total }, 'webhook log pruned');
    return total;
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

  /**
   * Delivers what is due for one endpoint, until it is caught up (false) or its budget for this
   * pass is spent (true): ATTEMPTS_PER_PASS attempts, or a third of the lease's time so the lease
   * is renewed long before it runs out.
   */
  async #deliverEndpoint(id: string): Promise<boolean> {
    const started = this.#now();
    const timeBudgetMs = this.#config.leaseTtlMs / 3;
    let attempts = 0;
    while (!this.#stopping) {
      if (attempts >= ATTEMPTS_PER_PASS || this.#now() - started >= timeBudgetMs) return true;
      const found = await getEndpointWithSecret(this.#db, id);
      if (found === undefined || found.endpoint.paused || found.endpoint.disabledAt !== null) return false;
      const { endpoint } = found;
      const secrets = signingSecrets(found, this.#now());
      const due = await nextDueDelivery(this.#db, id, this.#now());
      if (due !== undefined) {
        await this.#attempt(endpoint, secrets, due);
        attempts++;
        continue;
      }
      // The endpoint's current feed message waits for its retry: nothing later goes before it.
      if ((await pendingFeedDelivery(this.#db, id)) !== undefined) return false;
      const page = await this.#feedPage(endpoint);
      if (page === undefined) return false;
      attempts += await this.#deliverPage(endpoint, secrets, page);
    }
    return false;
  }

  /**
   * The next page of events after the endpoint's position that its filter matches (one query),
   * those of its types, and the position the endpoint is done up to once they are: the page's last
   * event, or the head when the page reached it. Undefined when there is nothing new.
   */
  async #feedPage(
    endpoint: WebhookEndpoint,
  ): Promise<{ events: ChangeEvent[]; end: number; head: number } | undefined> {
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
    const page = await this.#changes.list({ ...filter, afterSeq: endpoint.position, limit: FEED_PAGE });
    const items = page.items.filter((event) => event.seq <= head);
    const complete = page.hasMore && items.length === page.items.length;
    return {
      events: items.filter((event) => endpoint.types.includes(webhookEventTypeOf(event.kind))),
      end: complete ? page.lastSeq : head,
      head,
    };
  }

  /**
   * Sends a page's events in order, one at a time, until one fails. Each delivered message is
   * logged with the endpoint's new position in its own transaction before the next one is sent,
   * so a crash can repeat only the message in flight (never send an earlier one after a later one);
   * then the failed one's attempt, or the page's end as the position. Returns the attempts.
   */
  async #deliverPage(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    page: { events: ChangeEvent[]; end: number },
  ): Promise<number> {
    const delivered: DeliveredMessage[] = [];
    let failed: { event: ChangeEvent; outcome: AttemptOutcome; at: number } | undefined;
    for (const event of page.events) {
      if (this.#stopping) break;
      const messageId = feedMessageId(endpoint.id, event.seq);
      const eventType = webhookEventTypeOf(event.kind);
      const body = this.#feedBody(eventType, event);
      const at = this.#now();
      const outcome = await this.#send(endpoint, secrets, messageId, at, body);
      if (outcome.kind === 'response' && judgeOutcome(outcome).result === 'succeeded') {
        const message: DeliveredMessage = {
          messageId,
          eventType,
          changeSeq: event.seq,
          responseCode: outcome.status,
          latencyMs: outcome.latencyMs,
          at,
        };
        await inTransaction(this.#db, (trx) =>
          recordFeedBatch(trx, endpoint.id, [message], event.seq, this.#now()),
        );
        delivered.push(message);
      } else {
        failed = { event, outcome, at };
        break;
      }
    }
    if (delivered.length > 0)
      this.#log.debug({ endpoint: endpoint.id, delivered: delivered.length }, 'webhooks delivered');
    if (failed === undefined) {
      // Done up to the page's end when every event was sent (the rest did not match the types).
      if (!this.#stopping) await advancePosition(this.#db, endpoint.id, page.end);
      return delivered.length;
    }
    const now = this.#now();
    const outcome = failed;
    await inTransaction(this.#db, async (trx) => {
      const delivery = await insertDelivery(
        trx,
        {
          endpointId: endpoint.id,
          messageId: feedMessageId(endpoint.id, outcome.event.seq),
          trigger: 'feed',
          eventType: webhookEventTypeOf(outcome.event.kind),
          changeSeq: outcome.event.seq,
        },
        outcome.at,
      );
      // A page that delivered something before this failure cleared the failing time.
      const failingSince = delivered.length > 0 ? null : endpoint.failingSince;
      const record = this.#judge({ ...endpoint, failingSince }, delivery, outcome.outcome, false, now);
      await recordAttempt(trx, delivery, record, now);
      this.#report(endpoint, delivery, outcome.outcome, record);
    });
    return delivered.length + 1;
  }

  #feedBody(eventType: string, event: ChangeEvent): string {
    return JSON.stringify({
      type: eventType,
      timestamp: new Date(event.occurredAt).toISOString(),
      data: this.#format.eventView(event),
    });
  }

  #send(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    messageId: string,
    at: number,
    body: string,
  ): Promise<AttemptOutcome> {
    return attemptWebhook(
      endpoint.url,
      webhookHeaders(secrets, messageId, Math.floor(at / 1000), body),
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
    return this.#feedBody(delivery.eventType, event);
  }

  /** One attempt of a logged delivery (a retry, a replay, a ping), recorded in its own transaction. */
  async #attempt(
    endpoint: WebhookEndpoint,
    secrets: readonly string[],
    delivery: WebhookDelivery,
  ): Promise<void> {
    const body = await this.#body(delivery, endpoint);
    const started = this.#now();
    const outcome: AttemptOutcome =
      body === undefined
        ? { kind: 'response', status: 0, retryAfterMs: undefined, bodyBytes: 0, latencyMs: 0 }
        : await this.#send(endpoint, secrets, delivery.messageId, started, body);
    const now = this.#now();
    const record = this.#judge(endpoint, delivery, outcome, body === undefined, now);
    await inTransaction(this.#db, (trx) => recordAttempt(trx, delivery, record, now));
    this.#report(endpoint, delivery, outcome, record);
  }

  /** What an attempt's outcome does to the delivery and its endpoint. */
  #judge(
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    outcome: AttemptOutcome,
    missing: boolean,
    now: number,
  ): AttemptRecord {
    const judged = judgeOutcome(outcome);
    const feed = delivery.trigger === 'feed' && delivery.changeSeq !== null ? delivery.changeSeq : undefined;
    const attempts = delivery.attempts + 1;
    const error = missing ? 'The change event is not in the feed' : describe(outcome);
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
    return record;
  }

  /** Status and size only: never the secret, the body sent or what the receiver said. */
  #report(
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    outcome: AttemptOutcome,
    record: AttemptRecord,
  ): void {
    const facts = {
      endpoint: endpoint.id,
      delivery: delivery.id,
      attempt: delivery.attempts + 1,
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
