/**
 * Webhooks (issue 18). Glossary:
 * - endpoint: a URL that wants the change events matching its filter, signed with its secret;
 * - position: the change-feed seq up to which an endpoint is done (each event up to it was
 *   delivered, finally failed, or is not one the endpoint wants); stored, so nothing is lost when a
 *   process dies;
 * - message: one event for one endpoint, with a `webhook-id` that stays the same across attempts;
 * - delivery: a message's row in the log, with its attempts so far.
 */
import type { ChangeKind } from './trial.types.js';

export const WEBHOOK_EVENT_TYPES = [
  'trial.created',
  'trial.updated',
  'trial.removed',
  'trial.restored',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** The test message of POST /api/v1/webhooks/{id}/ping. */
export const WEBHOOK_PING_TYPE = 'webhook.ping';

export function webhookEventTypeOf(kind: ChangeKind): WebhookEventType {
  return `trial.${kind}`;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** `feed`: the next event of the feed (moves the position); `replay` and `ping` do not. */
export type DeliveryTrigger = 'feed' | 'replay' | 'ping';

/** The /api/v1/changes query parameters an endpoint was created with, as given. */
export type WebhookFilterParams = Readonly<Record<string, string | number | boolean>>;

export interface WebhookEndpoint {
  id: string;
  url: string;
  filter: WebhookFilterParams;
  types: WebhookEventType[];
  description: string;
  paused: boolean;
  /** Epoch ms; null while enabled. */
  disabledAt: number | null;
  disabledReason: string | null;
  position: number;
  /** Epoch ms of the first failure since the last success; null when not failing. */
  failingSince: number | null;
  deliveredCount: number;
  failedCount: number;
  failedAttempts: number;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookDelivery {
  id: number;
  endpointId: string;
  messageId: string;
  trigger: DeliveryTrigger;
  eventType: string;
  changeSeq: number | null;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  error: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
}
