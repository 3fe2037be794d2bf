/**
 * Schema pieces every resource shares: nullable values, times, string enums, paging parameters and
 * the problem+json error body with per-route error codes. Everything here is plain OpenAPI 3.0
 * compatible JSON Schema (no `const`, no `patternProperties`), so one schema drives validation,
 * serialisation and the published document.
 */
import type { Static, TSchema, TUnsafe } from 'typebox';
import { Type } from 'typebox';
import type { ErrorCode } from '../../errors/app-error.js';
import { ERROR_CATALOGUE } from '../../errors/app-error.js';
import { MAX_CURSOR_LENGTH } from '../cursor.js';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A string enum as OpenAPI 3.0 spells it (`enum`, not a union of `const`s), typed as the union of
 * its values, so handlers get it through the Fastify type provider like any other parameter.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...options,
  });
}

export const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601 time (UTC)' });

/** A free-form JSON object (the registry's own fields, run facts). */
export const FreeObject = (description: string) =>
  Type.Object({}, { additionalProperties: true, description });

export const CursorParam = Type.String({
  minLength: 1,
  maxLength: MAX_CURSOR_LENGTH,
  description:
    'Opaque cursor from `nextCursor` of the previous page. Tampered or foreign cursors are refused.',
});

/** `limit`: 1…`cap`. The default is documented, not applied by the schema (exports read "absent"). */
export function LimitParam(cap: number, defaultLimit: number, extra = '') {
  return Type.Integer({
    minimum: 1,
    maximum: cap,
    description: `Items per page, 1…${cap} (default ${defaultLimit}). Above ${cap}: 400 LIMIT_TOO_LARGE.${extra}`,
  });
}

/** A query string that takes no parameters (any parameter is then an unknown one). */
export const NoQuery = Type.Object({}, { additionalProperties: false });

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: StringEnum(Object.keys(ERROR_CATALOGUE) as ErrorCode[], { description: 'Stable error code' }),
    instance: Type.Optional(Type.String({ description: 'The request path' })),
    details: Type.Optional(FreeObject('Safe facts about the error (e.g. the parameter at fault)')),
  },
  { additionalProperties: false, description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof ProblemSchema>;

/** Errors every route can answer with (REQUEST_TIMEOUT: the security plugin's answer time limit). */
const ALWAYS: readonly ErrorCode[] = ['INTERNAL', 'DATABASE_UNAVAILABLE', 'REQUEST_TIMEOUT'];

/** What a `near`/`radius` filter can be refused with (trials, facets, changes). */
export const NEAR_ERRORS = ['INVALID_NEAR', 'INVALID_RADIUS', 'UNKNOWN_CITY', 'AMBIGUOUS_CITY'] as const;

/**
 * Response entries for the given error codes, grouped by HTTP status, as
 * `application/problem+json`: the problem body, each listing its possible codes.
 */
export function errorResponses(...codes: ErrorCode[]): Record<number, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, ...ALWAYS]) {
    const { status } = ERROR_CATALOGUE[code];
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  const responses: Record<number, unknown> = {};
  for (const [status, list] of byStatus) {
    responses[status] = {
      description: list.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].title}`).join('; '),
      content: {
        'application/problem+json': {
          // The shared error body (a `$ref` once registered), narrowed to this status's codes.
          schema: { allOf: [ProblemSchema, { type: 'object', properties: { code: StringEnum(list) } }] },
        },
      },
    };
  }
  return responses;
}

/** A JSON success response with a description. */
export function jsonResponse<T extends TSchema>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } } as const;
}
