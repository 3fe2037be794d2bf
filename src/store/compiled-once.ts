import type { CompiledQuery } from 'kysely';
import type { Db } from './database.js';

/**
 * A query compiled once per database and run with fresh parameters: for the hottest lookups,
 * where Kysely's compile step would be a measurable share of a get-one request. Callers pass every
 * parameter of the compiled SQL, in order (a `limit` is one too).
 */
export function compiledOnce<R>(
  build: (db: Db) => CompiledQuery<R>,
): (db: Db, parameters: readonly unknown[]) => CompiledQuery<R> {
  const cache = new WeakMap<Db, CompiledQuery<R>>();
  return (db, parameters) => {
    let compiled = cache.get(db);
    if (compiled === undefined) {
      compiled = build(db);
      cache.set(db, compiled);
    }
    return { ...compiled, parameters };
  };
}
