import type { Db } from './database.js';

/**
 * The value stored under `key`, storing `candidate` first when there is none. Several processes
 * may call it at once with different candidates: the first insert wins and every caller gets
 * that one value.
 */
export async function ensureSetting(db: Db, key: string, candidate: string, now: number): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: candidate, created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}
