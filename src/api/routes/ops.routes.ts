/** Readiness and Prometheus metrics (liveness is in health.routes.ts). */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { AppError, messageOf } from '../../errors/app-error.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { Store } from '../../services/database.service.js';
import { migrationsPending } from '../../services/database.service.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';

export interface OpsRoutesOptions {
  store: Store;
  metrics: Metrics | undefined;
}

const ReadySchema = Type.Object(
  { status: Type.String({ enum: ['ready'] }), database: Type.String({ enum: ['sqlite', 'postgres'] }) },
  { additionalProperties: false },
);

/** A readiness probe answers within this (ms): a database that does not answer in time is not ready. */
const READY_TIMEOUT_MS = 1_000;

/** `work()`, or a rejection once `ms` have passed (the work is left to finish or fail on its own). */
function withinMs<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const result = work();
  result.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([result, deadline]).finally(() => clearTimeout(timer));
}

export const opsRoutes: FastifyPluginCallbackTypebox<OpsRoutesOptions> = (app, { store, metrics }, done) => {
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Ready to serve',
        description:
          'The database answers within a second and every migration is applied; 503 NOT_READY (with Retry-After) otherwise.',
        querystring: NoQuery,
        response: {
          200: jsonResponse('Ready', ReadySchema),
          ...errorResponses('UNKNOWN_PARAMETER', 'NOT_READY'),
        },
      },
    },
    async () => {
      let pending: number;
      try {
        pending = await withinMs(READY_TIMEOUT_MS, async () => {
          await sql`select 1`.execute(store.db);
          return migrationsPending(store.db);
        });
      } catch (error) {
        throw new AppError('NOT_READY', `The database is not reachable: ${messageOf(error)}`, {
          cause: error,
          retryAfterSeconds: 1,
        });
      }
      if (pending > 0) throw new AppError('NOT_READY', `${pending} migration(s) not applied yet`);
      return { status: 'ready', database: store.dialect.name };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description:
          'Prometheus text format: HTTP request durations by route and status, harvest runs by source and outcome, records by source and state, seconds since the last successful harvest, upstream requests and retries, and whether the database answers (`trialwatch_database_up`). Answers while the database is down, without the values read from it.',
        querystring: NoQuery,
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...errorResponses('UNKNOWN_PARAMETER'),
        },
      },
    },
    async (_request, reply) => {
      if (metrics === undefined) return reply.type('text/plain; version=0.0.4').send('');
      const rendered = await metrics.render();
      return reply.type(rendered.contentType).send(rendered.body);
    },
  );
  done();
};
