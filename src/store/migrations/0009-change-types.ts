import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// Typed changes (issue 17): each change event's classification, in a table of its own keyed by
// the event's seq. A table rather than new columns on `changes`: on SQLite an ALTER TABLE of
// `changes` (ADD COLUMN, like the DROP COLUMN noted in 0007) left the full-text indexes reported
// corrupt by `PRAGMA integrity_check` after the crash-consistency test's SIGKILLed harvests, which
// pass with the table. Events without a row here are not classified yet: new events get theirs in
// the transaction that writes them, older ones from the backfill that runs before a harvest.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('change_classes')
    .ifNotExists()
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('material', 'integer', (c) => c.notNull())
    // JSON: { changes: [{type, field, from, to, …, summary}], summary: {en, ko} }.
    .addColumn('classification', 'text', (c) => c.notNull())
    .execute();
  // One row per type of each event: `?type=` reads the feed positions of its types from this
  // index, so a rare type costs what it finds, not a pass over the whole feed.
  await db.schema
    .createTable('change_type_rows')
    .ifNotExists()
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('change_type_rows_pkey', ['type', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('change_type_rows').ifExists().execute();
  await db.schema.dropTable('change_classes').ifExists().execute();
}
