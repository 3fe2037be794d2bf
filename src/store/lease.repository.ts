import type { Db } from './database.js';

/**
 * Leases make one holder at a time do a piece of work across processes (one harvest per source).
 * A lease expires unless renewed, so a crashed holder's lease frees itself.
 */
export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name, holder, acquired_at: now, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, acquired_at: now, expires_at: now + ttlMs })
        .where((eb) => eb.or([eb('leases.expires_at', '<', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends a lease still held by `holder`; false when it was lost (expired and taken). */
export async function renewLease(
  db: Db,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('leases')
    .set({ expires_at: now + ttlMs })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Takes a lease from a holder known to be dead; false if someone else changed it first. */
export async function takeOverLease(
  db: Db,
  name: string,
  deadHolder: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('leases')
    .set({ holder, acquired_at: now, expires_at: now + ttlMs })
    .where('name', '=', name)
    .where('holder', '=', deadHolder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function getLease(
  db: Db,
  name: string,
): Promise<{ holder: string; acquiredAt: number; expiresAt: number } | undefined> {
  const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined
    ? undefined
    : { holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}
