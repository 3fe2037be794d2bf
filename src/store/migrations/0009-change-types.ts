import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // Typed changes (issue 17), null until an event is classified: new events are classified as
  // they are written; events written before this migration by the backfill that runs after it.
  // change_types: the event's change types wrapped in commas (`,status,dates,`) for `?type=`.
  await db.schema.alterTable('changes').addColumn('change_types', 'text').execute();
  await db.schema.alterTable('changes').addColumn('material', 'integer').execute();
  // JSON: { changes: [{type, field, from, to, …, summary}], summary: {en, ko} }.
  await db.schema.alterTable('changes').addColumn('classification', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('changes').dropColumn('classification').execute();
  await db.schema.alterTable('changes').dropColumn('material').execute();
  await db.schema.alterTable('changes').dropColumn('change_types').execute();
}
