/**
 * Checks an answer against the route's declared response schema (TypeBox's own checker), so the
 * JSON the app assembles as text is proven to be what the OpenAPI document promises.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { expect } from 'vitest';

export function expectSchema(schema: TSchema, value: unknown): void {
  const errors = [...Value.Errors(schema, value)]
    .slice(0, 5)
    .map((error) => `${error.instancePath}: ${error.message}`);
  expect(errors).toEqual([]);
}
