/** Webhook endpoints and their deliveries (admin). */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '../../domain/webhook.types.js';
import { ChangeListQuery } from './change.schema.js';
import { CursorParam, IsoTime, LimitParam, Nullable, StringEnum } from './common.schema.js';

export const DELIVERY_LIMIT_CAP = 100;
export const DELIVERY_LIMIT_DEFAULT = 50;

/** The filter parameters of /api/v1/changes, all but paging and format: the same names and rules. */
const { cursor: _cursor, limit: _limit, format: _format, ...filterProperties } = ChangeListQuery.properties;

export const WebhookFilter = Type.Object(filterProperties, {
  additionalProperties: false,
  description:
    'The events to deliver: the filter parameters of `GET /api/v1/changes` (type, material, trial, source, since, until, q and the content filters), as JSON values, checked exactly as that route checks them. `{}`: every event.',
});
export type WebhookFilterType = Static<typeof WebhookFilter>;

const EventTypes = Type.Array(StringEnum(WEBHOOK_EVENT_TYPES), {
  minItems: 1,
  uniqueItems: true,
  description: `Event types to deliver (default: all): ${WEBHOOK_EVENT_TYPES.join(', ')}`,
});
const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  description:
    'https, or http on a host in WEBHOOK_ALLOW_HTTP_HOSTS; loopback, private, link-local and metadata addresses are refused (400 WEBHOOK_URL_FORBIDDEN) unless WEBHOOK_ALLOW_PRIVATE=true',
});
const Description = Type.String({ maxLength: 500 });

export const CreateWebhookBody = Type.Object(
  {
    url: Url,
    filter: Type.Optional(WebhookFilter),
    types: Type.Optional(EventTypes),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    filter: Type.Optional(WebhookFilter),
    types: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    paused: Type.Optional(
      Type.Boolean({
        description:
          '`true` pauses deliveries; `false` resumes them, and enables an endpoint that was disabled',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WebhookIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const DeliveryIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  deliveryId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

const endpointProperties = {
  id: Type.String(),
  url: Type.String(),
  filter: WebhookFilter,
  types: Type.Array(StringEnum(WEBHOOK_EVENT_TYPES)),
  description: Type.String(),
  paused: Type.Boolean(),
  disabledAt: Nullable(IsoTime),
  disabledReason: Nullable(Type.String({ description: 'Why it was disabled (410 Gone, failing too long)' })),
  position: Type.Integer({
    description:
      'The change-feed seq up to which this endpoint is done (each event delivered, finally failed, or not wanted)',
  }),
  lag: Type.Integer({ description: 'Feed events after the position (head seq − position)' }),
  failingSince: Nullable(IsoTime),
  deliveredCount: Type.Integer({ description: 'Deliveries that succeeded' }),
  failedCount: Type.Integer({ description: 'Deliveries that failed for good' }),
  failedAttempts: Type.Integer({ description: 'Attempts that failed' }),
  createdAt: IsoTime,
  updatedAt: IsoTime,
};

export const WebhookSchema = Type.Object(endpointProperties, { additionalProperties: false });
export const CreatedWebhookSchema = Type.Object(
  {
    ...endpointProperties,
    secret: Type.String({
      description:
        'The signing secret (`whsec_` + base64 of 32 random bytes), shown only in this answer: verify `webhook-signature` with it (Standard Webhooks)',
    }),
  },
  { additionalProperties: false },
);
export const RotatedSecretSchema = Type.Object(
  {
    id: Type.String({ description: 'The endpoint' }),
    secret: Type.String({
      description:
        'The new signing secret (`whsec_` + base64 of 32 random bytes), shown only in this answer; deliveries are signed with it from now on',
    }),
    previousSecretsExpireAt: Type.String({
      format: 'date-time',
      description:
        'Until then (WEBHOOK_SECRET_OVERLAP_MS after the rotation) deliveries are signed with the previous secret too: `webhook-signature` lists one `v1,…` per secret, space-separated, so a receiver holding either verifies',
    }),
  },
  { additionalProperties: false },
);

export const WebhookListSchema = Type.Object(
  { items: Type.Array(WebhookSchema) },
  { additionalProperties: false },
);

export const DeliverySchema = Type.Object(
  {
    id: Type.Integer(),
    endpointId: Type.String(),
    messageId: Type.String({ description: 'The `webhook-id` header: the same for every attempt and replay' }),
    trigger: StringEnum(['feed', 'replay', 'ping'] as const),
    type: Type.String({ description: 'The event type (trial.created, …, or webhook.ping)' }),
    changeSeq: Nullable(Type.Integer()),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    responseCode: Nullable(Type.Integer({ description: "The last attempt's HTTP status" })),
    latencyMs: Nullable(Type.Integer({ description: "The last attempt's duration (ms)" })),
    error: Nullable(Type.String({ description: "Why the last attempt failed (never the receiver's body)" })),
    nextAttemptAt: Nullable(IsoTime),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { additionalProperties: false },
);

export const DeliveryListQuery = Type.Object(
  {
    limit: Type.Optional(LimitParam(DELIVERY_LIMIT_CAP, DELIVERY_LIMIT_DEFAULT)),
    cursor: Type.Optional(CursorParam),
  },
  { additionalProperties: false },
);

export const DeliveryListSchema = Type.Object(
  { items: Type.Array(DeliverySchema), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
