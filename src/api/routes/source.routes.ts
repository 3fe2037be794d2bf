/** /api/v1/sources: each registry, whether it can run, its trials, its last and next runs. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { SourceService, SourceStatus } from '../../services/source.service.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';
import { SourceListSchema, SourceParams, SourceSchema } from '../schemas/source.schema.js';
import { isoTime } from '../trial-format.js';
import { harvestRunView } from './harvest.routes.js';

export interface SourceRoutesOptions {
  sources: SourceService;
}

function sourceView(source: SourceStatus) {
  return {
    id: source.id,
    name: source.name,
    enabled: source.enabled,
    configured: source.configured,
    missing: source.missing,
    schedule: source.schedule,
    timeZone: source.timeZone,
    nextRunAt: source.nextRunAt === null ? null : isoTime(source.nextRunAt),
    trials: source.trials,
    lastRun: source.lastRun === null ? null : harvestRunView(source.lastRun),
    lastSuccessAt:
      source.lastSuccess === null
        ? null
        : isoTime(source.lastSuccess.finishedAt ?? source.lastSuccess.startedAt),
  };
}

export const sourceRoutes: FastifyPluginCallbackTypebox<SourceRoutesOptions> = (app, { sources }, done) => {
  app.get(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Every registered source',
        description:
          'Enabled or not, configured or what is missing (setting names only), trial counts, the last run and its outcome, the last success and the next scheduled run.',
        querystring: NoQuery,
        response: {
          200: jsonResponse('The sources', SourceListSchema),
          ...errorResponses('UNKNOWN_PARAMETER'),
        },
      },
    },
    async () => ({ items: (await sources.list()).map(sourceView) }),
  );

  app.get(
    '/api/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'One source',
        params: SourceParams,
        querystring: NoQuery,
        response: {
          200: jsonResponse('The source', SourceSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'SOURCE_NOT_FOUND'),
        },
      },
    },
    async (request) => sourceView(await sources.get(request.params.id)),
  );
  done();
};
