/** /api/v1/changes: the ordered change feed, resumable from a cursor. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import type { ChangeEvent, TrialContentFilter } from '../../domain/trial-read.types.js';
import type { ChangeService } from '../../services/change.service.js';
import type { CursorCodec } from '../cursor.js';
import { CursorInteger } from '../cursor.js';
import { parseChangeTypes, parseIsoTime, trialFilterOf } from '../query-params.js';
import { errorResponses, jsonResponse } from '../schemas/common.schema.js';
import type { ChangeListQueryType } from '../schemas/change.schema.js';
import {
  CHANGE_CONTENT_FILTERS,
  CHANGE_LIMIT_DEFAULT,
  ChangeListQuery,
  ChangeListSchema,
} from '../schemas/change.schema.js';
import { classificationView, isoTime } from '../trial-format.js';

export interface ChangeRoutesOptions {
  changes: ChangeService;
  cursors: CursorCodec;
}

/** The content filter of a change query, or undefined when it names none. */
function contentFilterOf(query: ChangeListQueryType): TrialContentFilter | undefined {
  if (!CHANGE_CONTENT_FILTERS.some((key) => query[key] !== undefined)) return undefined;
  const { includeRemoved: _all, ...content } = trialFilterOf(query);
  return content;
}

/** An event as the API shows it. */
export function changeEventView(event: ChangeEvent) {
  const { classification, ...rest } = event;
  return {
    ...rest,
    occurredAt: isoTime(event.occurredAt),
    ...classificationView(classification),
  };
}

/** The feed position after which to continue. */
const ChangeCursorPayload = Type.Object({ s: CursorInteger(0) }, { additionalProperties: false });

export const changeRoutes: FastifyPluginCallbackTypebox<ChangeRoutesOptions> = (
  app,
  { changes, cursors },
  done,
) => {
  const changeCursor = cursors.define('changes', ChangeCursorPayload);
  // The cursor key may come from the database: known before any handler of this plugin runs.
  app.addHook('preHandler', () => cursors.ready());

  app.get(
    '/api/v1/changes',
    {
      schema: {
        tags: ['changes'],
        summary: 'The change feed',
        description:
          'Created, updated, removed and restored events in feed order, oldest first. Keep `nextCursor` and ask again later to get only what happened since; without a cursor the feed starts at the beginning. Each event says what it changed (`changes`, typed, with English and Korean summaries) and whether that matters to a reader (`material`: false for registry bookkeeping only); `type`, `material` and `trial` select events. Change types: ' +
          CHANGE_TYPES.join(', ') +
          '. An unknown type is a 400 naming the allowed ones.',
        querystring: ChangeListQuery,
        response: {
          200: jsonResponse('Events after the cursor', ChangeListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'INVALID_CURSOR', 'LIMIT_TOO_LARGE'),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const afterSeq = query.cursor === undefined ? 0 : changeCursor.decode(query.cursor).s;
      const types = parseChangeTypes(query.type);
      const content = contentFilterOf(query);
      const page = await changes.list({
        afterSeq,
        limit: query.limit ?? CHANGE_LIMIT_DEFAULT,
        ...(query.source === undefined ? {} : { source: query.source }),
        ...(query.trial === undefined ? {} : { trialId: query.trial.trim().toUpperCase() }),
        ...(query.material === undefined ? {} : { material: query.material }),
        ...(types === undefined ? {} : { types }),
        ...(content === undefined ? {} : { content }),
        ...(query.since === undefined ? {} : { since: parseIsoTime('since', query.since) }),
        ...(query.until === undefined ? {} : { until: parseIsoTime('until', query.until) }),
      });
      return {
        items: page.items.map(changeEventView),
        nextCursor: changeCursor.encode({ s: page.lastSeq }),
        hasMore: page.hasMore,
      };
    },
  );
  done();
};
