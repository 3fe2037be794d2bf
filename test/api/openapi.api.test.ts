import SwaggerParser from '@apidevtools/swagger-parser';
import { BaseResolver, createConfig, lintDocument, makeDocumentFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/config/paths.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-store.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';

/** A response schema, as far as the error codes go: the codes, maybe through `allOf` members. */
interface CodeSchema {
  properties?: { code?: { enum?: string[] } };
  allOf?: CodeSchema[];
}
interface Operation {
  tags?: string[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema: CodeSchema }> }>;
}
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

/** The codes a schema allows: its own `code` enum and those of its `allOf` members, all of which hold. */
function codesOf(schema: CodeSchema | undefined): string[] {
  const lists = [
    ...(schema?.properties?.code?.enum === undefined ? [] : [schema.properties.code.enum]),
    ...(schema?.allOf ?? []).map(codesOf).filter((codes) => codes.length > 0),
  ];
  return lists.length === 0 ? [] : lists.reduce((all, codes) => all.filter((code) => codes.includes(code)));
}

describe.each(storeKinds())('OpenAPI document and Swagger UI on %s', (kind) => {
  let t: TestApp;
  let document: OpenApi;
  /** The document with every `$ref` replaced by what it points to. */
  let dereferenced: OpenApi;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const response = await t.app.inject('/openapi.json');
    expect(response.statusCode).toBe(200);
    document = response.json<OpenApi>();
    dereferenced = (await SwaggerParser.dereference(
      structuredClone(document) as never,
    )) as unknown as OpenApi;
  });
  afterAll(async () => t.close());

  const operation = (path: string, method = 'get'): Operation => {
    const found = dereferenced.paths[path]?.[method];
    expect(found, `${method} ${path}`).toBeDefined();
    return found as Operation;
  };
  const errorCodes = (op: Operation): string[] =>
    Object.entries(op.responses)
      .filter(([status]) => Number(status) >= 400)
      .flatMap(([, response]) => codesOf(response.content?.['application/problem+json']?.schema));

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toBe('3.0.3');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('documents every route', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/api/list',
        '/api/search/{number}',
        '/api/v1/changes',
        '/api/v1/facets',
        '/api/v1/harvests',
        '/api/v1/harvests/{id}',
        '/api/v1/places',
        '/api/v1/sources',
        '/api/v1/sources/{id}',
        '/api/v1/trials',
        '/api/v1/trials/{id}',
        '/api/v1/trials/{id}/sites',
        '/api/v1/trials/{id}/versions',
        '/api/v1/trials/{id}/versions/{n}',
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}',
        '/api/v1/webhooks/{id}/deliveries',
        '/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
        '/api/v1/webhooks/{id}/ping',
        '/api/v1/webhooks/{id}/secret/rotate',
        '/healthz',
        '/metrics',
        '/readyz',
      ].sort(),
    );
    expect(operation('/api/search/{number}').tags).toEqual(['compat']);
    expect(operation('/api/list').tags).toEqual(['compat']);
  });

  it('documents every parameter', () => {
    const names = (path: string) =>
      (operation(path).parameters ?? []).map((parameter) => parameter.name).sort();
    const filters = [
      'q',
      'changeType',
      'completionFrom',
      'completionTo',
      'condition',
      'country',
      'department',
      'enrollmentMax',
      'enrollmentMin',
      'hasResults',
      'includeRemoved',
      'institution',
      'linkedTo',
      'maxAge',
      'minAge',
      'near',
      'phase',
      'radius',
      'recruiting',
      'sex',
      'siteStatus',
      'source',
      'sponsorClass',
      'startFrom',
      'startTo',
      'status',
      'studyType',
      'updatedSince',
      'updatedWithin',
    ];
    expect(names('/api/v1/trials')).toEqual(
      [...filters, 'count', 'cursor', 'format', 'limit', 'sort'].sort(),
    );
    expect(names('/api/v1/facets')).toEqual([...filters, 'field', 'limit'].sort());
    expect(names('/api/v1/trials/{id}')).toEqual(['id', 'include']);
    expect(names('/api/v1/trials/{id}/versions/{n}')).toEqual(['id', 'n']);
    expect(names('/api/v1/changes')).toEqual([
      'completionFrom',
      'completionTo',
      'condition',
      'country',
      'cursor',
      'department',
      'enrollmentMax',
      'enrollmentMin',
      'format',
      'hasResults',
      'institution',
      'limit',
      'material',
      'maxAge',
      'minAge',
      'near',
      'phase',
      'q',
      'radius',
      'recruiting',
      'sex',
      'since',
      'siteStatus',
      'source',
      'sponsorClass',
      'startFrom',
      'startTo',
      'status',
      'studyType',
      'trial',
      'type',
      'until',
    ]);
    expect(names('/api/v1/harvests')).toEqual(['cursor', 'limit', 'source', 'status']);
    expect(names('/api/list')).toEqual(['limit', 'skip']);
  });

  it('documents the responses, the export media types and every error code', () => {
    const list = operation('/api/v1/trials');
    expect(Object.keys(list.responses['200']?.content ?? {}).sort()).toEqual([
      'application/json',
      'application/x-ndjson',
      'text/csv',
    ]);
    expect(errorCodes(list).sort()).toEqual(
      [
        'AMBIGUOUS_CITY',
        'DATABASE_UNAVAILABLE',
        'INTERNAL',
        'INVALID_CURSOR',
        'INVALID_NEAR',
        'INVALID_RADIUS',
        'LIMIT_TOO_LARGE',
        'NOT_ACCEPTABLE',
        'RATE_LIMITED',
        'REQUEST_TIMEOUT',
        'UNKNOWN_CITY',
        'UNKNOWN_PARAMETER',
        'VALIDATION_FAILED',
      ].sort(),
    );
    const one = operation('/api/v1/trials/{id}');
    expect(Object.keys(one.responses)).toEqual(
      expect.arrayContaining(['200', '304', '400', '404', '500', '503']),
    );
    expect(errorCodes(one)).toEqual(expect.arrayContaining(['TRIAL_NOT_FOUND', 'UNKNOWN_PARAMETER']));
    expect(errorCodes(operation('/api/v1/trials/{id}/versions/{n}'))).toContain('VERSION_NOT_FOUND');
    expect(errorCodes(operation('/api/v1/sources/{id}'))).toContain('SOURCE_NOT_FOUND');
    expect(errorCodes(operation('/api/v1/facets'))).toEqual(
      expect.arrayContaining(['VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'LIMIT_TOO_LARGE']),
    );
    const trialOk = one.responses['200']?.content?.['application/json']?.schema as {
      properties?: Record<string, unknown>;
    };
    expect(Object.keys(trialOk.properties ?? {})).toEqual(
      expect.arrayContaining(['links', 'resolvedFrom', 'registryUrl', 'nearestSite']),
    );
    expect(errorCodes(operation('/api/v1/changes'))).toEqual(
      expect.arrayContaining(['INVALID_CURSOR', 'LIMIT_TOO_LARGE']),
    );
    const search = operation('/api/search/{number}');
    expect(search.responses['404']?.content?.['application/json']).toBeDefined();
    for (const [path, methods] of Object.entries(dereferenced.paths)) {
      for (const op of Object.values(methods)) {
        expect(
          Object.keys(op.responses).some((status) => status.startsWith('2')),
          path,
        ).toBe(true);
        expect(errorCodes(op), path).toEqual(
          expect.arrayContaining(['INTERNAL', 'REQUEST_TIMEOUT', 'UNKNOWN_PARAMETER']),
        );
      }
    }
  });

  it('lists the admin route as secured by the admin bearer token', () => {
    const start = operation('/api/v1/harvests', 'post') as Operation & { security?: unknown };
    expect(start.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(['202', '401', '403', '409']));
    expect(errorCodes(start)).toEqual(
      expect.arrayContaining(['UNAUTHORIZED', 'FORBIDDEN', 'ADMIN_DISABLED', 'HARVEST_IN_PROGRESS']),
    );
  });

  it('lists the shared response objects once, in components, and refers to them from every route', () => {
    const dig = (value: unknown, ...keys: string[]): unknown =>
      keys.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], value);
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const json = (path: string, status = '200', method = 'get') =>
      dig(document.paths, path, method, 'responses', status, 'content', 'application/json', 'schema');
    const { schemas } = document.components;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'Error',
        'Trial',
        'TrialFields',
        'TrialPage',
        'TrialVersion',
        'TypedChange',
        'ChangeEvent',
        'ChangePage',
        'FacetCounts',
        'Source',
        'HarvestRun',
        'Webhook',
        'Delivery',
        'CompatRecord',
      ]),
    );
    expect(json('/api/v1/trials/{id}')).toEqual(ref('Trial'));
    expect(json('/api/v1/trials')).toEqual(ref('TrialPage'));
    expect(dig(schemas, 'TrialPage', 'properties', 'items', 'items')).toEqual(ref('Trial'));
    expect(dig(schemas, 'Trial', 'properties', 'fields')).toEqual(ref('TrialFields'));
    expect(dig(schemas, 'TrialVersion', 'properties', 'fields', 'anyOf')).toContainEqual(ref('TrialFields'));
    expect(json('/api/v1/changes')).toEqual(ref('ChangePage'));
    expect(dig(schemas, 'ChangePage', 'properties', 'items', 'items')).toEqual(ref('ChangeEvent'));
    expect(dig(schemas, 'ChangeEvent', 'properties', 'changes', 'items')).toEqual(ref('TypedChange'));
    expect(json('/api/v1/harvests/{id}')).toEqual(ref('HarvestRun'));
    expect(dig(schemas, 'Source', 'properties', 'lastRun', 'anyOf')).toContainEqual(ref('HarvestRun'));
    expect(json('/api/v1/sources/{id}')).toEqual(ref('Source'));
    expect(json('/api/v1/webhooks/{id}')).toEqual(ref('Webhook'));
    expect(json('/api/v1/webhooks/{id}', '200', 'patch')).toEqual(ref('Webhook'));
    expect(json('/api/v1/webhooks/{id}/ping', '202', 'post')).toEqual(ref('Delivery'));
    expect(json('/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', '202', 'post')).toEqual(
      ref('Delivery'),
    );
    expect(dig(schemas, 'CompatList', 'properties', 'RESULT', 'items')).toEqual(ref('CompatRecord'));
    // Every error answer is the shared problem body, narrowed to the codes of its status.
    let problems = 0;
    for (const [path, methods] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(methods))
        for (const [status, response] of Object.entries(op.responses)) {
          const schema = response.content?.['application/problem+json']?.schema;
          if (schema === undefined) continue;
          problems += 1;
          expect([method, path, status, schema.allOf?.[0]]).toEqual([method, path, status, ref('Error')]);
        }
    expect(problems).toBeGreaterThan(50);
    // Nothing is inlined beside its component: no schema in the paths or inside another component
    // is a copy of a component.
    const componentBodies = new Map(
      Object.entries(schemas).map(([name, schema]) => [JSON.stringify(schema), name]),
    );
    const copies: string[] = [];
    const walk = (value: unknown, where: string): void => {
      if (typeof value !== 'object' || value === null) return;
      const copyOf = componentBodies.get(JSON.stringify(value));
      if (copyOf !== undefined) copies.push(`${where} copies ${copyOf}`);
      for (const [key, item] of Object.entries(value)) walk(item, `${where}/${key}`);
    };
    walk(document.paths, '#/paths');
    for (const [name, schema] of Object.entries(schemas))
      for (const [key, item] of Object.entries(schema as object))
        walk(item, `#/components/schemas/${name}/${key}`);
    expect(copies).toEqual([]);
  });

  it('passes redocly lint with its recommended rules: no errors, no warnings', async () => {
    const problems = await lintDocument({
      document: makeDocumentFromString(JSON.stringify(document), '/openapi.json'),
      config: (await createConfig({ extends: ['recommended'] })).styleguide,
      externalRefResolver: new BaseResolver(),
    });
    const found = problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? ''})`,
    );
    expect(found).toEqual([]);
  });

  it('names every operation (unique operationIds), says the version and where it is served', () => {
    const ids = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).map((op) => (op as Operation & { operationId?: string }).operationId),
    );
    expect(
      ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)),
      String(ids),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    };
    const full = document as OpenApi & { info: { version: string }; servers?: { url: string }[] };
    expect(full.info.version).toBe(version);
    expect(full.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('describes every tag an operation names, once, and names no tag no operation uses', () => {
    const declared = (document as OpenApi & { tags?: { name: string; description?: string }[] }).tags ?? [];
    const used = new Set(
      Object.values(document.paths).flatMap((methods) =>
        Object.values(methods).flatMap((op) => op.tags ?? []),
      ),
    );
    const names = declared.map((tag) => tag.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...used].filter((name) => !names.includes(name))).toEqual([]);
    expect(names.filter((name) => !used.has(name))).toEqual([]);
    expect(declared.filter((tag) => (tag.description ?? '') === '')).toEqual([]);
  });

  it('documents 429 with Retry-After on rate-limited routes, 413 on routes with a body, 503 with Retry-After', () => {
    type Documented = Operation & { responses: Record<string, { headers?: Record<string, unknown> }> };
    for (const [path, methods] of Object.entries(dereferenced.paths)) {
      for (const [method, op] of Object.entries(methods) as [string, Documented][]) {
        const where = `${method} ${path}`;
        const limited = !['/healthz', '/readyz', '/metrics'].includes(path);
        expect(op.responses['429'] !== undefined, where).toBe(limited);
        if (limited) {
          expect(errorCodes({ ...op, responses: { 429: op.responses['429']! } }), where).toEqual([
            'RATE_LIMITED',
          ]);
          expect(op.responses['429']!.headers, where).toHaveProperty('Retry-After');
        }
        expect(op.responses['503']?.headers, where).toHaveProperty('Retry-After');
        const hasBody = (op as { requestBody?: unknown }).requestBody !== undefined;
        if (hasBody)
          expect(errorCodes({ ...op, responses: { 413: op.responses['413']! } }), where).toContain(
            'PAYLOAD_TOO_LARGE',
          );
      }
    }
  });

  it('lists every webhook route as secured by the admin bearer token', () => {
    const webhookOperations: [string, string][] = [
      ['/api/v1/webhooks', 'post'],
      ['/api/v1/webhooks', 'get'],
      ['/api/v1/webhooks/{id}', 'get'],
      ['/api/v1/webhooks/{id}', 'patch'],
      ['/api/v1/webhooks/{id}', 'delete'],
      ['/api/v1/webhooks/{id}/deliveries', 'get'],
      ['/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', 'post'],
      ['/api/v1/webhooks/{id}/ping', 'post'],
    ];
    for (const [path, method] of webhookOperations) {
      const op = operation(path, method) as Operation & { security?: unknown };
      expect([path, method, op.security]).toEqual([path, method, [{ adminToken: [] }]]);
      expect(errorCodes(op)).toEqual(expect.arrayContaining(['UNAUTHORIZED', 'FORBIDDEN', 'ADMIN_DISABLED']));
    }
    expect(errorCodes(operation('/api/v1/webhooks', 'post'))).toContain('WEBHOOK_URL_FORBIDDEN');
    expect(Object.keys(operation('/api/v1/webhooks', 'post').responses)).toContain('201');
  });

  it('serves Swagger UI at /docs with its assets, from this server only', async () => {
    const page = await t.app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\//);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith('/docs/') || asset.startsWith('./')).toBe(true);
      const url = asset.startsWith('./') ? `/docs/${asset.slice(2)}` : asset;
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.rawPayload.length, url).toBeGreaterThan(100);
    }
    const initializer = await t.app.inject('/docs/static/swagger-initializer.js');
    // No absolute URL in the code (a comment links to a Q&A page; comments fetch nothing).
    const code = initializer.body.replace(/^\s*\/\/.*$/gm, '');
    expect(code).not.toMatch(/https?:\/\//);
    expect(initializer.body).toContain('validatorUrl: null');
    const json = await t.app.inject('/docs/json');
    expect(json.json().paths).toEqual(document.paths);
  });
});
