/**
 * Issue 20, item 7: an example on each 2xx answer of /openapi.json, and every example valid. The
 * served document is dereferenced, and each example is checked with Ajv (with its formats) against
 * the schema of its media type, as a client reading the document would; a 2xx answer with a body
 * and no example fails, and so does an example that no answer shows.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_EXAMPLES } from '../../src/api/schemas/examples.js';
import { storeKinds } from '../support/test-store.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';

interface Media {
  schema?: object;
  example?: unknown;
  examples?: unknown;
}
interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, Media> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Every 2xx answer: where it is, and its media types (none for a body-less answer). */
function successAnswers(document: OpenApi) {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([status, response]) => ({
          where: `${method.toUpperCase()} ${path} ${status}`,
          operationId: operation.operationId,
          status,
          content: response.content,
        })),
    ),
  );
}

function validator() {
  // Strict: a schema keyword Ajv does not know is an error (OpenAPI's `nullable` it knows); the
  // annotation `example` is declared, so that component examples would not stop the check.
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addKeyword('example');
  addFormats.default(ajv);
  return (schema: object, value: unknown): string[] => {
    const validate = ajv.compile(schema);
    return validate(value)
      ? []
      : (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath} ${error.message ?? ''}`);
  };
}

describe.each(storeKinds())('the examples of /openapi.json on %s', (kind) => {
  let t: TestApp;
  let document: OpenApi;
  let dereferenced: OpenApi;

  beforeAll(async () => {
    t = await createTestApp(kind);
    document = (await t.app.inject('/openapi.json')).json<OpenApi>();
    dereferenced = (await SwaggerParser.dereference(
      structuredClone(document) as never,
    )) as unknown as OpenApi;
  });
  afterAll(async () => t.close());

  it('gives every 2xx answer with a body an example for each media type', () => {
    const answers = successAnswers(dereferenced);
    expect(answers.length).toBeGreaterThanOrEqual(24);
    const missing: string[] = [];
    for (const answer of answers) {
      if (answer.content === undefined) {
        // Only "no content" may come without a body.
        expect(answer.status, answer.where).toBe('204');
        continue;
      }
      for (const [media, entry] of Object.entries(answer.content))
        if (entry.example === undefined) missing.push(`${answer.where} ${media}`);
    }
    expect(missing).toEqual([]);
  });

  it('has every example valid against the schema of its media type', () => {
    const check = validator();
    const invalid: string[] = [];
    let checked = 0;
    for (const answer of successAnswers(dereferenced)) {
      for (const [media, entry] of Object.entries(answer.content ?? {})) {
        expect(entry.schema, `${answer.where} ${media}`).toBeDefined();
        const errors = check(entry.schema!, entry.example);
        checked += 1;
        if (errors.length > 0) invalid.push(`${answer.where} ${media}: ${errors.join('; ')}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('shows every example it has (none for an answer that is not there)', () => {
    const shown = new Set(
      successAnswers(document).flatMap((answer) =>
        Object.entries(answer.content ?? {})
          .filter(([, entry]) => entry.example !== undefined)
          .map(([media]) => `${answer.operationId} ${answer.status} ${media}`),
      ),
    );
    const listed = Object.entries(RESPONSE_EXAMPLES).flatMap(([operationId, byStatus]) =>
      Object.entries(byStatus).flatMap(([status, byMedia]) =>
        Object.keys(byMedia).map((media) => `${operationId} ${status} ${media}`),
      ),
    );
    expect(listed.filter((key) => !shown.has(key))).toEqual([]);
  });

  it('catches an example that does not fit: the check can fail', () => {
    const check = validator();
    const trial =
      dereferenced.paths['/api/v1/trials/{id}']?.get?.responses['200']?.content?.['application/json'];
    expect(trial?.example).toBeDefined();
    expect(check(trial!.schema!, trial!.example)).toEqual([]);
    const example = trial!.example as Record<string, unknown>;
    expect(check(trial!.schema!, { ...example, version: 'four' })).not.toEqual([]);
    expect(check(trial!.schema!, { ...example, firstSeenAt: 'yesterday' })).not.toEqual([]);
    expect(check(trial!.schema!, { ...example, surprise: true })).not.toEqual([]);
    const { fields: _fields, ...withoutFields } = example;
    expect(check(trial!.schema!, withoutFields)).not.toEqual([]);
    const fields = example.fields as Record<string, unknown>;
    expect(check(trial!.schema!, { ...example, fields: { ...fields, enrollment: 'many' } })).not.toEqual([]);
  });
});
