/**
 * Number parameters Ajv's coercion would let through wrongly, checked in the security plugin's
 * hooks: integers not written as plain decimals (`0x1`, `%201`, `1e1`), before validation, and
 * infinite numbers (`Infinity`, `1e309`: Ajv skips `minimum`/`maximum` for them), after it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';

/** A 400 for the first query or path parameter that holds an infinite number, else undefined. */
export function nonFiniteNumberError(request: FastifyRequest): AppError | undefined {
  const parts: [string, string, unknown][] = [
    ['query parameter', 'querystring', request.query],
    ['path parameter', 'params', request.params],
  ];
  for (const [where, location, values] of parts) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, value] of Object.entries(values)) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (items.some((item) => typeof item === 'number' && !Number.isFinite(item))) {
        return new AppError('VALIDATION_FAILED', `The ${where} "${name}" must be a finite number`, {
          details: { parameter: name, location, rule: 'finite' },
        });
      }
    }
  }
  return undefined;
}

/** How integers are written in a path or query string: no sign but `-`, no leading zero, no blank. */
const CANONICAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

interface IntegerParameters {
  params: readonly string[];
  query: readonly string[];
}

const integerParametersBySchema = new WeakMap<object, IntegerParameters>();

function integerNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  return Object.entries(properties ?? {})
    .filter(([, property]) => property.type === 'integer')
    .map(([name]) => name);
}

/**
 * A 400 for the first integer path or query parameter not written as a plain decimal. Ajv's type
 * coercion reads strings with `Number()`, so `/versions/0x1`, `/versions/%201` and `limit=1e1`
 * would be taken for numbers; checked before validation, on the raw strings.
 */
export function nonCanonicalIntegerError(request: FastifyRequest): AppError | undefined {
  const schema = request.routeOptions.schema;
  if (schema === undefined) return undefined;
  let names = integerParametersBySchema.get(schema);
  if (names === undefined) {
    names = { params: integerNames(schema.params), query: integerNames(schema.querystring) };
    integerParametersBySchema.set(schema, names);
  }
  const parts: [string, string, readonly string[], unknown][] = [
    ['path parameter', 'params', names.params, request.params],
    ['query parameter', 'querystring', names.query, request.query],
  ];
  for (const [where, location, list, values] of parts) {
    if (list.length === 0 || typeof values !== 'object' || values === null) continue;
    for (const name of list) {
      const value = (values as Record<string, unknown>)[name];
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (items.some((item) => typeof item === 'string' && !CANONICAL_INTEGER.test(item))) {
        return new AppError(
          'VALIDATION_FAILED',
          `The ${where} "${name}" must be a whole number such as 1, written in decimal`,
          {
            details: { parameter: name, location, rule: 'type' },
          },
        );
      }
    }
  }
  return undefined;
}
