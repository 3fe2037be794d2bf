/**
 * The OpenAPI 3 document (built by @fastify/swagger from the route schemas) at `/openapi.json`, and
 * Swagger UI at `/docs` served from the package's own files: no CDN, so it renders offline.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { errorResponses, NoQuery } from './schemas/common.schema.js';
import { addSharedSchemas, withSharedRefs } from './schemas/components.js';
import { addResponseExamples } from './schemas/examples.js';

/** `info.version`: the package's own version, so a client can tell which release it talks to. */
export const API_VERSION: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * The `operationId` of every documented route (what generated clients name their methods), by
 * `METHOD path` as the route is declared. test/api/openapi.api.test.ts fails on a route missing here.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'GET /healthz': 'getHealth',
  'GET /readyz': 'getReadiness',
  'GET /metrics': 'getMetrics',
  'GET /api/v1/trials': 'listTrials',
  'GET /api/v1/trials/:id': 'getTrial',
  'GET /api/v1/trials/:id/sites': 'listTrialSites',
  'GET /api/v1/trials/:id/versions': 'listTrialVersions',
  'GET /api/v1/trials/:id/versions/:n': 'getTrialVersion',
  'GET /api/v1/facets': 'getFacets',
  'GET /api/v1/places': 'listPlaces',
  'GET /api/v1/changes': 'listChanges',
  'GET /api/v1/sources': 'listSources',
  'GET /api/v1/sources/:id': 'getSource',
  'GET /api/v1/harvests': 'listHarvests',
  'POST /api/v1/harvests': 'startHarvest',
  'GET /api/v1/harvests/:id': 'getHarvest',
  'GET /api/v1/webhooks': 'listWebhooks',
  'POST /api/v1/webhooks': 'createWebhook',
  'GET /api/v1/webhooks/:id': 'getWebhook',
  'PATCH /api/v1/webhooks/:id': 'updateWebhook',
  'DELETE /api/v1/webhooks/:id': 'deleteWebhook',
  'GET /api/v1/webhooks/:id/deliveries': 'listWebhookDeliveries',
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay': 'replayWebhookDelivery',
  'POST /api/v1/webhooks/:id/ping': 'pingWebhook',
  'POST /api/v1/webhooks/:id/secret/rotate': 'rotateWebhookSecret',
  'GET /api/search/:number': 'compatGetTrial',
  'GET /api/list': 'compatListChanged',
};

/** Paths the rate limit never applies to (security plugin defaults): no 429 documented there. */
const NOT_RATE_LIMITED = new Set(['/healthz', '/readyz', '/metrics']);

/** As @fastify/swagger takes response headers: each one a JSON schema. */
const RETRY_AFTER = {
  'Retry-After': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' },
};

type Responses = Record<string, { headers?: Record<string, unknown> } & Record<string, unknown>>;

/**
 * Completes a documented route's schema with what every route shares, so no route can forget it:
 * its operationId, `security: []` on public routes, 429 RATE_LIMITED (rate-limited routes) and 413
 * PAYLOAD_TOO_LARGE (routes with a body), and `Retry-After` on the 429 and 503 answers; the shared
 * response schemas in it become references to their components.
 */
function completeRouteSchema(route: RouteOptions): void {
  const schema = route.schema as
    (Record<string, unknown> & { hide?: boolean; response?: Responses }) | undefined;
  if (schema === undefined || schema.hide === true) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.includes('HEAD') && !methods.includes('GET')) return;
  const method = methods.find((name) => name !== 'HEAD') ?? 'GET';
  const operationId = OPERATION_IDS[`${method} ${route.url}`];
  const extra = errorResponses(
    ...(NOT_RATE_LIMITED.has(route.url) ? [] : (['RATE_LIMITED'] as const)),
    ...(schema.body === undefined ? [] : (['PAYLOAD_TOO_LARGE'] as const)),
  ) as Responses;
  const response = withSharedRefs({ ...extra, ...schema.response }) as Responses;
  for (const status of ['429', '503']) {
    const entry = response[status];
    if (entry !== undefined) response[status] = { ...entry, headers: { ...entry.headers, ...RETRY_AFTER } };
  }
  route.schema = {
    ...schema,
    ...(operationId === undefined || schema.operationId !== undefined ? {} : { operationId }),
    ...(schema.security === undefined ? { security: [] } : {}),
    response,
  };
}

const TAGS = [
  { name: 'trials', description: 'Trials, their lists, exports and versions' },
  { name: 'changes', description: 'The ordered change feed' },
  { name: 'sources', description: 'Registries and their state' },
  { name: 'harvests', description: 'Harvest runs' },
  { name: 'compat', description: "The original brief's routes, with its envelopes" },
  { name: 'operations', description: 'Health, readiness and metrics' },
  { name: 'webhooks', description: 'Webhook endpoints, their deliveries and pings (admin routes)' },
  { name: 'admin', description: 'Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`' },
];

/** Registers the document generator; must come before the routes (it collects them as they are added). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  // Before the generator's own onRoute hook, so it collects the completed schemas.
  app.addHook('onRoute', completeRouteSchema);
  addSharedSchemas(app);
  await app.register(swagger, {
    // A shared schema's component is named by its `$id` (`#/components/schemas/Trial`).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    // An example on every 2xx answer (src/api/schemas/examples.ts).
    transformObject: (documents) =>
      'openapiObject' in documents ? addResponseExamples(documents.openapiObject) : documents.swaggerObject,
    openapi: {
      openapi: '3.0.3',
      servers: [{ url: '/', description: 'This server' }],
      info: {
        title: 'trialwatch',
        version: API_VERSION,
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
        description: [
          'A local mirror of public clinical-trial registries that notices every change.',
          'Errors are `application/problem+json` with a stable `code`; an unknown query parameter is a 400.',
          'Any request can also be refused before it reaches a route: 400 `MALFORMED_REQUEST` (not valid HTTP, e.g. a control character in a header), 408 `REQUEST_INCOMPLETE`, 413 `PAYLOAD_TOO_LARGE`, 429 `RATE_LIMITED` and 431 `HEADERS_TOO_LARGE` (request line and headers over 16 KB).',
          "Times are ISO 8601 (UTC) except in the compat routes, which keep the brief's format.",
        ].join(' '),
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The ADMIN_TOKEN setting; admin routes answer 403 ADMIN_DISABLED while it is unset.',
          },
        },
      },
    },
  });
}

/** Registers `/openapi.json` and `/docs`; after the routes, so the document is complete. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true, querystring: NoQuery } }, () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, docExpansion: 'list' },
    // The bundled validator badge would call validator.swagger.io: none, to stay offline.
    validatorUrl: false,
  });
}
