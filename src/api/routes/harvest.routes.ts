/** /api/v1/harvests: the harvest run history, newest first. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HarvestRun } from '../../domain/trial.types.js';
import type { SourceService } from '../../services/source.service.js';
import type { CursorCodec } from '../cursor.js';
import { CursorInteger } from '../cursor.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';
import {
  HARVEST_LIMIT_DEFAULT,
  HarvestListQuery,
  HarvestListSchema,
  HarvestRunSchema,
} from '../schemas/harvest.schema.js';
import { isoTime } from '../trial-format.js';

export interface HarvestRoutesOptions {
  sources: SourceService;
  cursors: CursorCodec;
}

/** Runs are paged by id, newest first: the next page starts before this id. */
const HarvestCursorPayload = Type.Object({ b: CursorInteger(1) }, { additionalProperties: false });

/** A run as the API shows it (times as ISO 8601). */
export function harvestRunView(run: HarvestRun) {
  return {
    ...run,
    startedAt: isoTime(run.startedAt),
    finishedAt: run.finishedAt === null ? null : isoTime(run.finishedAt),
    heartbeatAt: isoTime(run.heartbeatAt),
  };
}

export const harvestRoutes: FastifyPluginCallbackTypebox<HarvestRoutesOptions> = (
  app,
  { sources, cursors },
  done,
) => {
  const harvestCursor = cursors.define('harvests', HarvestCursorPayload);
  // The cursor key may come from the database: known before any handler of this plugin runs.
  app.addHook('preHandler', () => cursors.ready());

  app.get(
    '/api/v1/harvests',
    {
      schema: {
        tags: ['harvests'],
        summary: 'Recent harvest runs',
        description: 'Runs with their counts, skipped records and errors, newest first, in pages.',
        querystring: HarvestListQuery,
        response: {
          200: jsonResponse('A page of runs', HarvestListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'INVALID_CURSOR', 'LIMIT_TOO_LARGE'),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await sources.harvests({
        limit: query.limit ?? HARVEST_LIMIT_DEFAULT,
        ...(query.source === undefined ? {} : { source: query.source }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.cursor === undefined ? {} : { beforeId: harvestCursor.decode(query.cursor).b }),
      });
      return {
        items: page.items.map(harvestRunView),
        nextCursor: page.nextBeforeId === null ? null : harvestCursor.encode({ b: page.nextBeforeId }),
      };
    },
  );

  app.get(
    '/api/v1/harvests/:id',
    {
      schema: {
        tags: ['harvests'],
        summary: 'One harvest run',
        description: 'A run with its counts, skipped records and error; `running` until it ends.',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        querystring: NoQuery,
        response: {
          200: jsonResponse('The run', HarvestRunSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'RUN_NOT_FOUND'),
        },
      },
    },
    async (request) => harvestRunView(await sources.harvest(request.params.id)),
  );
  done();
};
