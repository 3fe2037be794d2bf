/**
 * The OpenAPI 3 document (built by @fastify/swagger from the route schemas) at `/openapi.json`, and
 * Swagger UI at `/docs` served from the package's own files: no CDN, so it renders offline.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { NoQuery } from './schemas/common.schema.js';

export const API_VERSION = '1.0.0';

const TAGS = [
  { name: 'trials', description: 'Trials, their lists, exports and versions' },
  { name: 'changes', description: 'The ordered change feed' },
  { name: 'sources', description: 'Registries and their state' },
  { name: 'harvests', description: 'Harvest runs' },
  { name: 'compat', description: "The original brief's routes, with its envelopes" },
  { name: 'operations', description: 'Health, readiness and metrics' },
  { name: 'admin', description: 'Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`' },
];

/** Registers the document generator; must come before the routes (it collects them as they are added). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'trialwatch',
        version: API_VERSION,
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
