/**
 * Checks an answer against the route's declared response schema (TypeBox's own checker), so the
 * JSON the app assembles as text is proven to be what the OpenAPI document promises.
 */
import type { TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { expect } from 'vitest';

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value),
  );
}

export function expectSchema(schema: TSchema, value: unknown): void {
  const errors = [...Value.Errors(schema, value)]
    .slice(0, 5)
    .map((error) => `${error.path}: ${error.message}`);
  expect(errors).toEqual([]);
}
