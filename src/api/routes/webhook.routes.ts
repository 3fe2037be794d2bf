/**
 * /api/v1/webhooks: the admin API of webhook endpoints (Bearer ADMIN_TOKEN, as every admin route).
 * Deliveries run in the webhook process of `serve`; these routes only change what it reads.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WebhookDelivery, WebhookEndpoint, WebhookFilterParams } from '../../domain/webhook.types.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import type { WebhookService } from '../../webhooks/webhook.service.js';
import { requireAdmin } from '../admin-auth.js';
import type { CursorCodec } from '../cursor.js';
import { CursorInteger } from '../cursor.js';
import { changeFilterOf } from '../query-params.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';
import type { WebhookFilterType } from '../schemas/webhook.schema.js';
import {
  CreatedWebhookSchema,
  CreateWebhookBody,
  DELIVERY_LIMIT_DEFAULT,
  DeliveryIdParams,
  DeliveryListQuery,
  DeliveryListSchema,
  DeliverySchema,
  RotatedSecretSchema,
  UpdateWebhookBody,
  WebhookIdParams,
  WebhookListSchema,
  WebhookSchema,
} from '../schemas/webhook.schema.js';
import { isoTime } from '../trial-format.js';

export interface WebhookRoutesOptions {
  adminToken: string | undefined;
  webhooks: WebhookService;
  cursors: CursorCodec;
}

const isoOrNull = (at: number | null) => (at === null ? null : isoTime(at));

export function webhookView(endpoint: WebhookEndpoint, head: number) {
  return {
    ...endpoint,
    filter: endpoint.filter as WebhookFilterType,
    lag: Math.max(0, head - endpoint.position),
    disabledAt: isoOrNull(endpoint.disabledAt),
    failingSince: isoOrNull(endpoint.failingSince),
    createdAt: isoTime(endpoint.createdAt),
    updatedAt: isoTime(endpoint.updatedAt),
  };
}

export function deliveryView(delivery: WebhookDelivery) {
  const { eventType, ...rest } = delivery;
  return {
    ...rest,
    type: eventType,
    nextAttemptAt: isoOrNull(delivery.nextAttemptAt),
    createdAt: isoTime(delivery.createdAt),
    updatedAt: isoTime(delivery.updatedAt),
  };
}

/**
 * Checks a webhook's filter with the parser of GET /api/v1/changes (one way to filter): a bad
 * value is the same 400 that route gives, said of `filter`.
 */
function checkedFilter(filter: WebhookFilterType | undefined): WebhookFilterParams {
  const params = filter ?? {};
  try {
    changeFilterOf(params);
  } catch (error) {
    if (isAppError(error) && error.code === 'VALIDATION_FAILED') {
      throw new AppError('VALIDATION_FAILED', `In "filter": ${error.message}`, {
        details: { ...error.details, location: 'body.filter' },
        cause: error,
      });
    }
    throw error;
  }
  return params;
}

const ADMIN_ERRORS = ['UNAUTHORIZED', 'FORBIDDEN', 'ADMIN_DISABLED'] as const;
/** Deliveries are paged by id, newest first: the next page starts before this id. */
const DeliveryCursorPayload = Type.Object({ b: CursorInteger(1) }, { additionalProperties: false });

export const webhookRoutes: FastifyPluginCallbackTypebox<WebhookRoutesOptions> = (
  app,
  { adminToken, webhooks, cursors },
  done,
) => {
  const deliveryCursor = cursors.define('webhook-deliveries', DeliveryCursorPayload);
  app.addHook('preHandler', () => cursors.ready());
  const security = [{ adminToken: [] }];
  const tags = ['admin', 'webhooks'];

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        description:
          'The endpoint gets every change event recorded from now on that `filter` (the parameters of `GET /api/v1/changes`) and `types` match, in feed order, at least once, signed as Standard Webhooks specifies (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, space-separated, one per signing secret: two during the overlap of a rotation, see `POST /api/v1/webhooks/{id}/secret/rotate`). Body: `{type, timestamp, data}` with `data` the change event as `/api/v1/changes` shows it. The answer holds the signing secret, shown only here.',
        security,
        querystring: NoQuery,
        body: CreateWebhookBody,
        response: {
          201: jsonResponse('Created, with its secret', CreatedWebhookSchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'WEBHOOK_URL_FORBIDDEN',
            ...ADMIN_ERRORS,
          ),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request, adminToken);
      const { url, filter, types, description } = request.body;
      const created = await webhooks.create({
        url,
        filter: checkedFilter(filter),
        ...(types === undefined ? {} : { types }),
        ...(description === undefined ? {} : { description }),
      });
      const head = await webhooks.head();
      return reply
        .code(201)
        .header('location', `/api/v1/webhooks/${created.endpoint.id}`)
        .send({ ...webhookView(created.endpoint, head), secret: created.secret });
    },
  );

  app.get(
    '/api/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Webhook endpoints',
        description: 'Every endpoint with its state, position and counts (never its secret).',
        security,
        querystring: NoQuery,
        response: {
          200: jsonResponse('The endpoints, oldest first', WebhookListSchema),
          ...errorResponses('UNKNOWN_PARAMETER', ...ADMIN_ERRORS),
        },
      },
    },
    async (request) => {
      requireAdmin(request, adminToken);
      const [endpoints, head] = await Promise.all([webhooks.list(), webhooks.head()]);
      return { items: endpoints.map((endpoint) => webhookView(endpoint, head)) };
    },
  );

  app.get(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One webhook endpoint',
        description: 'Its state, position, lag and counts (never its secret).',
        security,
        params: WebhookIdParams,
        querystring: NoQuery,
        response: {
          200: jsonResponse('The endpoint', WebhookSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'WEBHOOK_NOT_FOUND', ...ADMIN_ERRORS),
        },
      },
    },
    async (request) => {
      requireAdmin(request, adminToken);
      const [endpoint, head] = await Promise.all([webhooks.get(request.params.id), webhooks.head()]);
      return webhookView(endpoint, head);
    },
  );

  app.patch(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Update, pause or resume a webhook endpoint',
        description:
          'Changes the fields given. `paused: true` stops deliveries; `paused: false` resumes them and enables an endpoint that was disabled (410 Gone, failing too long), from where it stopped.',
        security,
        params: WebhookIdParams,
        querystring: NoQuery,
        body: UpdateWebhookBody,
        response: {
          200: jsonResponse('The endpoint', WebhookSchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'WEBHOOK_URL_FORBIDDEN',
            'WEBHOOK_NOT_FOUND',
            ...ADMIN_ERRORS,
          ),
        },
      },
    },
    async (request) => {
      requireAdmin(request, adminToken);
      const { filter, ...rest } = request.body;
      const endpoint = await webhooks.update(request.params.id, {
        ...rest,
        ...(filter === undefined ? {} : { filter: checkedFilter(filter) }),
      });
      return webhookView(endpoint, await webhooks.head());
    },
  );

  app.delete(
    '/api/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook endpoint',
        description: 'Deletes the endpoint and its delivery log; nothing more is sent to it.',
        security,
        params: WebhookIdParams,
        querystring: NoQuery,
        response: {
          204: { description: 'Deleted', type: 'null' },
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'WEBHOOK_NOT_FOUND', ...ADMIN_ERRORS),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request, adminToken);
      await webhooks.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A webhook endpoint's delivery log",
        description:
          'One entry per message (and per replay or ping), newest first: status, attempts, the last response code, latency and error, the next attempt. The log is bounded: entries older than WEBHOOK_LOG_MAX_AGE_MS (default 30 days) and beyond the newest WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT (default 10,000) are pruned, pending ones never; a pruned delivery cannot be replayed.',
        security,
        params: WebhookIdParams,
        querystring: DeliveryListQuery,
        response: {
          200: jsonResponse('A page of deliveries', DeliveryListSchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'INVALID_CURSOR',
            'LIMIT_TOO_LARGE',
            'WEBHOOK_NOT_FOUND',
            ...ADMIN_ERRORS,
          ),
        },
      },
    },
    async (request) => {
      requireAdmin(request, adminToken);
      const limit = request.query.limit ?? DELIVERY_LIMIT_DEFAULT;
      const beforeId =
        request.query.cursor === undefined ? undefined : deliveryCursor.decode(request.query.cursor).b;
      const rows = await webhooks.deliveries(request.params.id, {
        limit: limit + 1,
        ...(beforeId === undefined ? {} : { beforeId }),
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(deliveryView),
        nextCursor: rows.length > limit && last !== undefined ? deliveryCursor.encode({ b: last.id }) : null,
      };
    },
  );

  app.post(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Send one delivery again',
        description:
          'Queues the message again with the same `webhook-id` (the receiver deduplicates by it); it does not move the endpoint in the feed. 202 with the new delivery.',
        security,
        params: DeliveryIdParams,
        querystring: NoQuery,
        response: {
          202: jsonResponse('Queued', DeliverySchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'WEBHOOK_NOT_FOUND',
            'DELIVERY_NOT_FOUND',
            ...ADMIN_ERRORS,
          ),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request, adminToken);
      const delivery = await webhooks.replay(request.params.id, request.params.deliveryId);
      return reply.code(202).send(deliveryView(delivery));
    },
  );

  app.post(
    '/api/v1/webhooks/:id/ping',
    {
      schema: {
        tags,
        summary: 'Send a test message',
        description:
          'Queues a signed `webhook.ping` message (`data: {endpointId, description}`) to the endpoint; its result shows in the delivery log. 202 with the delivery.',
        security,
        params: WebhookIdParams,
        querystring: NoQuery,
        response: {
          202: jsonResponse('Queued', DeliverySchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'WEBHOOK_NOT_FOUND', ...ADMIN_ERRORS),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request, adminToken);
      return reply.code(202).send(deliveryView(await webhooks.ping(request.params.id)));
    },
  );
  app.post(
    '/api/v1/webhooks/:id/secret/rotate',
    {
      schema: {
        tags,
        summary: "Rotate a webhook endpoint's signing secret",
        description:
          'Makes a new signing secret, shown only in this answer. Deliveries are signed with it from now on, and with the previous secret as well until `previousSecretsExpireAt` (WEBHOOK_SECRET_OVERLAP_MS, default 24 h): `webhook-signature` then lists both (`v1,<new> v1,<old>`, as Standard Webhooks specifies), so a receiver that still holds the old secret keeps verifying while it switches. After the overlap only the new secret signs and the old one is deleted. Rotating again within an overlap keeps every previous secret until the end of the new overlap at the latest.',
        security,
        params: WebhookIdParams,
        querystring: NoQuery,
        response: {
          200: jsonResponse('The new secret', RotatedSecretSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'WEBHOOK_NOT_FOUND', ...ADMIN_ERRORS),
        },
      },
    },
    async (request) => {
      requireAdmin(request, adminToken);
      const rotated = await webhooks.rotateSecret(request.params.id);
      return {
        id: request.params.id,
        secret: rotated.secret,
        previousSecretsExpireAt: isoTime(rotated.previousExpireAt),
      };
    },
  );
  done();
};
