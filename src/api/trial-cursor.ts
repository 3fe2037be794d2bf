/**
 * The cursor of a trial walk (GET /api/v1/trials and its exports): the signed payload, and the
 * query key that binds a cursor to the filters and sort it was issued for. The key is derived from
 * the parsed filter itself (every field, in a canonical order), so a new filter is covered the
 * moment it exists, with no list to keep in step.
 */
import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import { SEARCH_LEVELS } from '../domain/search.types.js';
import type { TrialPosition, TrialSort } from '../domain/trial-read.types.js';
import { isDateSort } from '../domain/trial-read.types.js';
import { AppError } from '../errors/app-error.js';
import type { TrialContinuation, TrialListFilter } from '../services/trial.service.js';
import type { CursorCodec } from './cursor.js';
import { CursorEpochMs, CursorInteger, CursorText } from './cursor.js';
import { Nullable } from './schemas/common.schema.js';

/** The signed payload of a list cursor (short keys: it travels in URLs). */
const TrialCursorPayload = Type.Object(
  {
    /** Hash of the filters and sort the walk was started with. */
    q: Type.String({ maxLength: 64 }),
    /** The pinned change-feed position. */
    a: CursorInteger(0),
    /** The pinned window start (epoch ms), or null. */
    w: Nullable(CursorEpochMs()),
    /** Position: relevance tier, change seq, id, registry date (or start / completion date). */
    r: Type.Optional(Type.Integer({ minimum: 0, maximum: SEARCH_LEVELS.length - 1 })),
    s: Type.Optional(CursorInteger(0)),
    i: Type.Optional(CursorText(200)),
    u: Type.Optional(Nullable(CursorText(64))),
    /** The nearest site's distance (km), with `sort=distance`. */
    k: Type.Optional(Type.Number({ minimum: 0, maximum: 20_100 })),
  },
  { additionalProperties: false },
);

/** JSON with object keys sorted at every level and undefined values left out: equal filters, equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** A cursor is only good for the query that issued it: the same parsed filter, the same sort. */
export function trialQueryKey(filter: TrialListFilter, sort: TrialSort): string {
  return createHash('sha256').update(canonicalJson({ sort, filter })).digest('base64url').slice(0, 22);
}

export interface TrialCursor {
  encode(next: TrialContinuation, key: string): string;
  /** The continuation of a cursor; INVALID_CURSOR when it is not one of this query's. */
  decode(text: string, sort: TrialSort, key: string): TrialContinuation;
}

export function defineTrialCursor(cursors: CursorCodec): TrialCursor {
  const cursor = cursors.define('trials', TrialCursorPayload);
  return {
    encode(next, key) {
      const position = next.after;
      const base = { q: key, a: next.asOf, w: next.changedSince };
      switch (position.sort) {
        case 'relevance':
          return cursor.encode({ ...base, r: position.tier, s: position.seq });
        case '-lastChangedAt':
          return cursor.encode({ ...base, s: position.seq });
        case 'id':
          return cursor.encode({ ...base, i: position.id });
        case '-sourceUpdatedAt':
          return cursor.encode({ ...base, i: position.id, u: position.updated });
        case 'distance':
          return cursor.encode({ ...base, i: position.id, k: position.distanceKm });
        case 'startDate':
        case '-startDate':
        case 'completionDate':
        case '-completionDate':
          return cursor.encode({ ...base, i: position.id, u: position.date });
      }
    },
    decode(text, sort, key) {
      const payload = cursor.decode(text);
      if (payload.q !== key) {
        throw new AppError(
          'INVALID_CURSOR',
          'The cursor belongs to another query: keep the filters and sort of the first page, or start again without a cursor',
        );
      }
      let after: TrialPosition | undefined;
      if (sort === 'relevance' && payload.r !== undefined && payload.s !== undefined)
        after = { sort, tier: payload.r, seq: payload.s };
      if (sort === '-lastChangedAt' && payload.s !== undefined) after = { sort, seq: payload.s };
      if (sort === 'id' && payload.i !== undefined) after = { sort, id: payload.i };
      if (sort === '-sourceUpdatedAt' && payload.i !== undefined && payload.u !== undefined) {
        after = { sort, id: payload.i, updated: payload.u };
      }
      if (sort === 'distance' && payload.i !== undefined && payload.k !== undefined) {
        after = { sort, id: payload.i, distanceKm: payload.k };
      }
      if (isDateSort(sort) && payload.i !== undefined && payload.u !== undefined) {
        after = { sort, id: payload.i, date: payload.u };
      }
      if (after === undefined)
        throw new AppError('INVALID_CURSOR', 'The cursor is not valid: it is malformed');
      return { asOf: payload.a, changedSince: payload.w, after };
    },
  };
}
