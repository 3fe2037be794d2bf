import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // Values one deployment shares across its processes.
  await db.schema
    .createTable('settings')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // The page cursors' MAC key, generated with the database so that a backup carries it (cursors
  // issued before a backup still verify after a restore). Kept if a run before this one made it.
  await db
    .insertInto('settings')
    .values({ key: 'cursor-secret', value: randomBytes(32).toString('base64url'), created_at: Date.now() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').ifExists().execute();
}
