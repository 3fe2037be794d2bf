import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = 'bigint';
  const bytes = postgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('trials')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('title_en', 'text')
    .addColumn('status', 'text')
    .addColumn('phase', 'text')
    .addColumn('study_type', 'text')
    .addColumn('institution', 'text')
    .addColumn('department', 'text')
    .addColumn('enrollment', 'integer')
    .addColumn('has_results', 'integer')
    .addColumn('source_updated_at', 'text')
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', time, (c) => c.notNull())
    .addColumn('last_seen_at', time, (c) => c.notNull())
    .addColumn('last_changed_at', time, (c) => c.notNull())
    .addColumn('change_seq', time, (c) => c.notNull())
    .addColumn('removed_at', time)
    .addColumn('last_seen_run_id', time)
    .execute();
  // The list's default order and its keyset: newest change first.
  await db.schema.createIndex('trials_change_seq').ifNotExists().on('trials').column('change_seq').execute();
  await db.schema
    .createIndex('trials_source_change_seq')
    .ifNotExists()
    .on('trials')
    .columns(['source', 'change_seq'])
    .execute();
  await db.schema
    .createIndex('trials_source_updated')
    .ifNotExists()
    .on('trials')
    .columns(['source_updated_at', 'id'])
    .execute();

  await db.schema
    .createTable('trial_versions')
    .ifNotExists()
    .addColumn('trial_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('observed_at', time, (c) => c.notNull())
    .addColumn('run_id', time)
    .addColumn('diff', 'text')
    .addColumn('source_updated_at', 'text')
    .addColumn('raw', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('trial_versions_pk', ['trial_id', 'version'])
    .execute();

  const changes = db.schema.createTable('changes').ifNotExists();
  await (
    postgres
      ? changes.addColumn('seq', 'bigserial', (c) => c.primaryKey())
      : changes.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('trial_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('paths', 'text', (c) => c.notNull())
    .addColumn('occurred_at', time, (c) => c.notNull())
    .addColumn('run_id', time)
    .execute();
  await db.schema
    .createIndex('changes_trial_seq')
    .ifNotExists()
    .on('changes')
    .columns(['trial_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('changes_source_seq')
    .ifNotExists()
    .on('changes')
    .columns(['source', 'seq'])
    .execute();

  const runs = db.schema.createTable('harvest_runs').ifNotExists();
  await (
    postgres
      ? runs.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : runs.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('started_at', time, (c) => c.notNull())
    .addColumn('finished_at', time)
    .addColumn('heartbeat_at', time, (c) => c.notNull())
    .addColumn('fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('restored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('info', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('harvest_runs_source_id')
    .ifNotExists()
    .on('harvest_runs')
    .columns(['source', 'id'])
    .execute();
  await db.schema
    .createIndex('harvest_runs_status')
    .ifNotExists()
    .on('harvest_runs')
    .column('status')
    .execute();

  await db.schema
    .createTable('source_state')
    .ifNotExists()
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_success_at', time)
    .addColumn('last_run_id', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('leases')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['leases', 'source_state', 'harvest_runs', 'changes', 'trial_versions', 'trials']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
