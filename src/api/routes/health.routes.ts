/** Liveness. (Readiness and metrics belong to the serve issue and slot in next to it.) */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';
import { HealthSchema } from '../schemas/health.schema.js';

export const healthRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is alive',
        description: 'Answers without touching the database.',
        querystring: NoQuery,
        response: { 200: jsonResponse('Alive', HealthSchema), ...errorResponses('UNKNOWN_PARAMETER') },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  done();
};
