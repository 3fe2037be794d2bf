/**
 * The webhook endpoints an operator manages (admin API): create (the secret is shown once), list,
 * read, update, pause, delete; rotate its signing secret (the new one shown once); the delivery
 * log, a replay of one delivery, a test ping. Deliveries
 * themselves are the worker's (delivery.service.ts): this service only queues them.
 */
import { randomBytes } from 'node:crypto';
import type { WebhookConfig } from '../config/config.js';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookFilterParams,
} from '../domain/webhook.types.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PING_TYPE } from '../domain/webhook.types.js';
import { AppError } from '../errors/app-error.js';
import { latestChangeSeq } from '../store/change.repository.js';
import type { Db } from '../store/database.js';
import type { EndpointPatch } from '../store/webhook.repository.js';
import {
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  insertDelivery,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from '../store/webhook.repository.js';
import { newWebhookSecret } from './signing.js';
import { checkWebhookUrl } from './url-guard.js';

export interface WebhookInput {
  url: string;
  /** The /api/v1/changes query parameters, already checked by the caller (the same parser). */
  filter: WebhookFilterParams;
  types?: readonly WebhookEventType[];
  description?: string;
}

export interface WebhookUpdate {
  url?: string;
  filter?: WebhookFilterParams;
  types?: readonly WebhookEventType[];
  description?: string;
  /** true pauses; false resumes, and enables an endpoint that was disabled. */
  paused?: boolean;
}

/** The `webhook-id` of the feed message of one event to one endpoint (so a retry after a crash keeps it). */
export function feedMessageId(endpointId: string, seq: number): string {
  return `msg_${endpointId}_${seq}`;
}

export class WebhookService {
  readonly #db: Db;
  readonly #config: WebhookConfig;
  readonly #now: () => number;

  constructor(deps: { db: Db; config: WebhookConfig; now?: () => number }) {
    this.#db = deps.db;
    this.#config = deps.config;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * A new endpoint, which gets the events recorded from now on. Returns it with its signing
   * secret, which is never shown again.
   */
  async create(input: WebhookInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = checkWebhookUrl(input.url, this.#config).toString();
    const secret = newWebhookSecret();
    const endpoint = await insertEndpoint(
      this.#db,
      {
        id: `ep_${randomBytes(12).toString('base64url')}`,
        url,
        filter: input.filter,
        types: input.types ?? WEBHOOK_EVENT_TYPES,
        description: input.description ?? '',
        secret,
        position: await latestChangeSeq(this.#db),
      },
      this.#now(),
    );
    return { endpoint, secret };
  }

  /** The change feed's last seq (an endpoint's lag is this minus its position). */
  head(): Promise<number> {
    return latestChangeSeq(this.#db);
  }

  list(): Promise<WebhookEndpoint[]> {
    return listEndpoints(this.#db);
  }

  async get(id: string): Promise<WebhookEndpoint> {
    const endpoint = await getEndpoint(this.#db, id);
    if (endpoint === undefined) throw new AppError('WEBHOOK_NOT_FOUND', `No webhook endpoint "${id}"`);
    return endpoint;
  }

  async update(id: string, update: WebhookUpdate): Promise<WebhookEndpoint> {
    const patch: EndpointPatch = {};
    if (update.url !== undefined) patch.url = checkWebhookUrl(update.url, this.#config).toString();
    if (update.filter !== undefined) patch.filter = update.filter;
    if (update.types !== undefined) patch.types = update.types;
    if (update.description !== undefined) patch.description = update.description;
    if (update.paused !== undefined) {
      patch.paused = update.paused;
      if (!update.paused) patch.enable = true;
    }
    const endpoint = await updateEndpoint(this.#db, id, patch, this.#now());
    if (endpoint === undefined) throw new AppError('WEBHOOK_NOT_FOUND', `No webhook endpoint "${id}"`);
    return endpoint;
  }

  async delete(id: string): Promise<void> {
    if (!(await deleteEndpoint(this.#db, id)))
      throw new AppError('WEBHOOK_NOT_FOUND', `No webhook endpoint "${id}"`);
  }

  /**
   * A new signing secret for the endpoint, returned only here. Deliveries are signed with it from
   * now on, and with the previous ones as well until `previousExpireAt` (WEBHOOK_SECRET_OVERLAP_MS
   * from now), so receivers can switch at their own pace.
   */
  async rotateSecret(id: string): Promise<{ secret: string; previousExpireAt: number }> {
    const secret = newWebhookSecret();
    const rotated = await rotateSecret(this.#db, id, secret, this.#now(), this.#config.secretOverlapMs);
    if (rotated === undefined) throw new AppError('WEBHOOK_NOT_FOUND', `No webhook endpoint "${id}"`);
    return { secret, previousExpireAt: rotated.previousExpireAt };
  }

  async deliveries(id: string, query: { limit: number; beforeId?: number }): Promise<WebhookDelivery[]> {
    await this.get(id);
    return listDeliveries(this.#db, id, query);
  }

  /** Queues one delivery again, with the same `webhook-id` (the receiver's idempotency key). */
  async replay(id: string, deliveryId: number): Promise<WebhookDelivery> {
    await this.get(id);
    const original = await getDelivery(this.#db, id, deliveryId);
    if (original === undefined) {
      throw new AppError('DELIVERY_NOT_FOUND', `No delivery ${deliveryId} of webhook endpoint "${id}"`);
    }
    return insertDelivery(
      this.#db,
      {
        endpointId: id,
        messageId: original.messageId,
        trigger: 'replay',
        eventType: original.eventType,
        changeSeq: original.changeSeq,
      },
      this.#now(),
    );
  }

  /** Queues a test message (`webhook.ping`) to the endpoint. */
  async ping(id: string): Promise<WebhookDelivery> {
    await this.get(id);
    return insertDelivery(
      this.#db,
      {
        endpointId: id,
        messageId: `msg_${id}_ping_${randomBytes(6).toString('base64url')}`,
        trigger: 'ping',
        eventType: WEBHOOK_PING_TYPE,
        changeSeq: null,
      },
      this.#now(),
    );
  }
}
