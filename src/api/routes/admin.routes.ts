/** Admin routes: start a harvest (POST /api/v1/harvests). Bearer ADMIN_TOKEN, compared in constant time. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors/app-error.js';
import type { HarvestCoordinator } from '../../harvest/coordinator.service.js';
import type { SourceInfo } from '../../services/source.service.js';
import { requireAdmin } from '../admin-auth.js';
import { StartedHarvestSchema, StartHarvestBody } from '../schemas/admin.schema.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';

export interface AdminRoutesOptions {
  adminToken: string | undefined;
  sources: readonly SourceInfo[];
  /** Absent when this process cannot harvest (then the route answers 503). */
  coordinator: Pick<HarvestCoordinator, 'start'> | undefined;
}

export const adminRoutes: FastifyPluginCallbackTypebox<AdminRoutesOptions> = (
  app,
  { adminToken, sources, coordinator },
  done,
) => {
  app.post(
    '/api/v1/harvests',
    {
      schema: {
        tags: ['admin', 'harvests'],
        summary: 'Start a harvest',
        description:
          'Starts a harvest of one source in the background and answers 202 with its run id. 409 while that source is harvesting (in any process sharing the database), and when it is not enabled (SOURCES) or not configured (no run is recorded then).',
        security: [{ adminToken: [] }],
        querystring: NoQuery,
        body: StartHarvestBody,
        response: {
          202: jsonResponse('Started', StartedHarvestSchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'UNAUTHORIZED',
            'FORBIDDEN',
            'ADMIN_DISABLED',
            'HARVEST_IN_PROGRESS',
            'SOURCE_NOT_CONFIGURED',
            'NOT_READY',
          ),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request, adminToken);
      const body = request.body;
      const source = sources.find((candidate) => candidate.id === body.source);
      if (source === undefined) throw new AppError('SOURCE_NOT_FOUND', `Unknown source "${body.source}"`);
      // Refused before a run is recorded, as the harvest service refuses it (harvest.service.ts).
      if (!source.enabled) {
        throw new AppError(
          'SOURCE_NOT_CONFIGURED',
          `Source ${source.id} is not enabled: add it to SOURCES to harvest it`,
        );
      }
      if (source.missing.length > 0) {
        throw new AppError(
          'SOURCE_NOT_CONFIGURED',
          `Source ${source.id} is not configured: set ${source.missing.join(', ')}`,
        );
      }
      if (coordinator === undefined) throw new AppError('NOT_READY', 'This process does not run harvests');
      const mode = body.mode ?? 'incremental';
      const started = await coordinator.start({ source: source.id, mode, trigger: 'manual' });
      void started.done.catch(() => undefined);
      return reply
        .code(202)
        .header('location', `/api/v1/harvests/${started.runId}`)
        .send({ runId: started.runId, source: source.id, mode, status: 'running' as const });
    },
  );
  done();
};
