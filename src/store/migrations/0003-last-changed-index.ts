import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // Narrow time windows (`updatedWithin=30m`) find their rows without scanning the table.
  await db.schema
    .createIndex('trials_last_changed_at')
    .ifNotExists()
    .on('trials')
    .column('last_changed_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('trials_last_changed_at').ifExists().execute();
}
