/**
 * The HTTP app as a plugin-built Fastify instance that does not listen (only `trialwatch serve`
 * does). Wiring order matters:
 * 1. error handling first: it records every route as it is added (404 vs 405);
 * 2. the OpenAPI generator before the routes, which it collects as they are added;
 * 3. the routes, each given the services it needs (built once here, not per request);
 * 4. the docs last, once the document is complete.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { AppConfig } from '../config/config.js';
import { ChangeService } from '../services/change.service.js';
import type { SourceInfo } from '../services/source.service.js';
import { SourceService } from '../services/source.service.js';
import type { TrialMapper } from '../services/trial.service.js';
import { TrialService } from '../services/trial.service.js';
import type { Store } from '../services/database.service.js';
import { deploymentCursorKey } from '../services/cursor-key.service.js';
import type { CursorSecret } from './cursor.js';
import { CursorCodec } from './cursor.js';
import { randomUUID } from 'node:crypto';
import type { HarvestCoordinator } from '../harvest/coordinator.service.js';
import type { Metrics } from '../metrics/metrics.js';
import { installErrorHandling, onFrameworkError } from './error-handler.js';
import { registerDocs, registerOpenApi } from './openapi.js';
import { answerClientError } from './security/client-error.js';
import { addSecurityHeaders } from './security/headers.js';
import { security } from './security/plugin.js';
import { adminRoutes } from './routes/admin.routes.js';
import { changeRoutes } from './routes/change.routes.js';
import { compatRoutes } from './routes/compat.routes.js';
import { harvestRoutes } from './routes/harvest.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { opsRoutes } from './routes/ops.routes.js';
import { sourceRoutes } from './routes/source.routes.js';
import { trialRoutes } from './routes/trial.routes.js';
import { webRoutes } from './routes/web.routes.js';
import { webhookRoutes } from './routes/webhook.routes.js';
import { WebhookService } from '../webhooks/webhook.service.js';

export interface AppDeps {
  config: AppConfig;
  store: Store;
  /** One per registered source adapter, in registry order. */
  sources: readonly SourceInfo[];
  /** Epoch ms; tests pass a fixed clock. */
  now?: () => number;
  /** The process logger (pino); without it Fastify makes one at `config.logLevel`. */
  logger?: FastifyBaseLogger;
  /** The running scheduler's next planned tick per source; without it, the next cron instant. */
  nextRunAt?: (source: string) => number | null;
  /**
   * Key of the page cursors' MAC; it must be the same on every process serving one database.
   * Without it: `config.cursorSecret` (`CURSOR_SECRET`), else the key generated once and kept in
   * the database (so the processes of one deployment share it without any set-up).
   */
  cursorSecret?: string;
  /** Starts background harvests (admin POST /api/v1/harvests); absent: that route answers 503. */
  coordinator?: Pick<HarvestCoordinator, 'start'>;
  /** Prometheus metrics of this process; absent: /metrics is empty and nothing is measured. */
  metrics?: Metrics;
}

/** A hop count becomes Fastify's function form (its types take no number). */
function trustProxyOption(
  value: boolean | number | string,
): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** The cursor key: the one given, `CURSOR_SECRET`, else the deployment's generated one (read on first use). */
function cursorSecretOf(deps: AppDeps): CursorSecret {
  const given = deps.cursorSecret ?? deps.config.cursorSecret;
  if (given !== undefined) return given;
  return deploymentCursorKey(deps.store.db, deps.now ?? Date.now);
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const app = Fastify({
    ...(deps.logger === undefined
      ? { logger: { level: deps.config.logLevel } }
      : { loggerInstance: deps.logger }),
    ajv: {
      customOptions: {
        // Fastify's default strips unknown properties silently; we answer 400 UNKNOWN_PARAMETER instead.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
      },
    },
    // Answered before routing, so no hook runs: the security headers are added here.
    frameworkErrors: (error, request, reply) => {
      addSecurityHeaders(reply);
      onFrameworkError(error, request, reply);
    },
    clientErrorHandler: answerClientError,
    // A caller's X-Request-Id is kept (trimmed to a sane length) so logs can be joined across services.
    requestIdHeader: 'x-request-id',
    trustProxy: trustProxyOption(deps.config.trustProxy),
    genReqId: () => randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', (request, reply, hookDone) => {
    if (request.id.length > 128) request.id = randomUUID();
    void reply.header('x-request-id', request.id);
    hookDone();
  });
  const { metrics } = deps;
  if (metrics !== undefined) {
    app.addHook('onResponse', (request, reply, hookDone) => {
      metrics.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      hookDone();
    });
  }

  // Before the docs and the routes: it sets each route's body limit as the route is added.
  await app.register(security, {
    corsOrigins: deps.config.corsOrigins,
    rateLimitPerMinute: deps.config.rateLimitPerMinute,
    bodyLimitBytes: deps.config.bodyLimitBytes,
    requestTimeoutMs: deps.config.requestTimeoutMs,
  });
  // After the security plugin (the not-found handler takes its rate limit), before the routes.
  installErrorHandling(app);
  await registerOpenApi(app);

  const { db } = deps.store;
  const mappers = new Map<string, TrialMapper>();
  for (const source of deps.sources) if (source.map !== undefined) mappers.set(source.id, source.map);
  const trials = new TrialService({ db, reads: deps.store.reads, now, mappers });
  const changes = new ChangeService({ db });
  const sources = new SourceService({
    db,
    sources: deps.sources,
    now,
    ...(deps.nextRunAt === undefined ? {} : { nextRunAt: deps.nextRunAt }),
  });
  const cursors = new CursorCodec(cursorSecretOf(deps));

  await app.register(healthRoutes);
  await app.register(opsRoutes, { store: deps.store, metrics });
  await app.register(trialRoutes, { trials, cursors });
  await app.register(changeRoutes, { changes, cursors });
  await app.register(sourceRoutes, { sources });
  await app.register(harvestRoutes, { sources, cursors });
  await app.register(adminRoutes, {
    adminToken: deps.config.adminToken,
    sources: deps.sources,
    coordinator: deps.coordinator,
  });
  await app.register(webhookRoutes, {
    adminToken: deps.config.adminToken,
    webhooks: new WebhookService({ db, config: deps.config.webhooks, now }),
    cursors,
  });
  await app.register(compatRoutes, { trials });
  await app.register(webRoutes);

  await registerDocs(app);
  return app;
}
