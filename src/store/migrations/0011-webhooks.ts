import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// Webhooks (issue 18): the endpoints, each with its position in the change feed (every event up
// to it is delivered, finally failed, or not one the endpoint wants), and the delivery log.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = 'bigint';

  await db.schema
    .createTable('webhook_endpoints')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON: the /api/v1/changes query parameters, as given (parsed again by the same code to use).
    .addColumn('filter', 'text', (c) => c.notNull())
    // JSON array of event types (trial.created, …).
    .addColumn('types', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // `whsec_…`: the signing secret (deliveries need it in the clear to sign).
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', time)
    .addColumn('disabled_reason', 'text')
    // The change-feed seq up to which this endpoint is done.
    .addColumn('position', time, (c) => c.notNull())
    .addColumn('failing_since', time)
    .addColumn('delivered_count', time, (c) => c.notNull().defaultTo(0))
    .addColumn('failed_count', time, (c) => c.notNull().defaultTo(0))
    .addColumn('failed_attempts', time, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();

  const deliveries = db.schema.createTable('webhook_deliveries').ifNotExists();
  await (
    postgres
      ? deliveries.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : deliveries.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    // The Standard Webhooks `webhook-id`: the same for every attempt (and replay) of one message.
    .addColumn('message_id', 'text', (c) => c.notNull())
    // `feed` (advances the position), `replay` or `ping`.
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The change event's seq; null for a ping.
    .addColumn('change_seq', time)
    // pending, succeeded, failed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_code', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('next_attempt_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  // The log of one endpoint, newest first, and the worker's "what is due" both read this.
  await db.schema
    .createIndex('webhook_deliveries_endpoint_id')
    .ifNotExists()
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_status')
    .ifNotExists()
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'status', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  await db.schema.dropTable('webhook_endpoints').ifExists().execute();
}
