/**
 * How a webhook message shows its event and reads its filter: the API's own change view and
 * /api/v1/changes filter parser, handed to the delivery worker (which sits below the API).
 */
import type { WebhookFormat } from '../webhooks/delivery.service.js';
import { changeEventView } from './change-format.js';
import { changeFilterOf } from './query-params.js';

export const webhookFormat: WebhookFormat = {
  // Stored filters were checked by this parser when saved (webhook.routes.ts).
  filterOf: (params) => changeFilterOf(params),
  eventView: changeEventView,
};
