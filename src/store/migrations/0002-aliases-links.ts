import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // An old id that a registry merged into another record (ClinicalTrials.gov nctIdAliases).
  await db.schema
    .createTable('trial_aliases')
    .ifNotExists()
    .addColumn('alias', 'text', (c) => c.primaryKey())
    .addColumn('trial_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('trial_aliases_trial')
    .ifNotExists()
    .on('trial_aliases')
    .column('trial_id')
    .execute();

  // A registry record that names another registry's id (secondary ids): one row per direction found.
  await db.schema
    .createTable('trial_links')
    .ifNotExists()
    .addColumn('trial_id', 'text', (c) => c.notNull())
    .addColumn('linked_id', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trial_links_pk', ['trial_id', 'linked_id'])
    .execute();
  await db.schema
    .createIndex('trial_links_linked')
    .ifNotExists()
    .on('trial_links')
    .column('linked_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('trial_links').ifExists().execute();
  await db.schema.dropTable('trial_aliases').ifExists().execute();
}
