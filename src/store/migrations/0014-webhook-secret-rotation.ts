import type { Kysely } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// Webhook secret rotation (issue 18): after a rotation the previous secret keeps signing
// deliveries, next to the new one, until `previous_secret_until` (epoch ms). The delivery log is
// pruned by age per endpoint, which reads (endpoint_id, created_at).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret', 'text').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_until', 'bigint').execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_created')
    .ifNotExists()
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_endpoint_created').ifExists().execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret_until').execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret').execute();
}
