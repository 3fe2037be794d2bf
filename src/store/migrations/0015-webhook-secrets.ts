import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// Webhook signing secrets (issue 18, rotation): one row per secret of an endpoint. The current one
// has no expiry; a rotation gives the previous ones an expiry (the overlap during which deliveries
// are signed with both), after which they are deleted. A table of its own rather than columns on
// webhook_endpoints: on SQLite an ALTER TABLE … ADD COLUMN after the FTS5 tables exist has shown
// "fts5: corruption found reading blob" on a long-lived connection (see the crash test).
//
// The existing secrets move here; webhook_endpoints.secret is then emptied (not dropped, for the
// same reason) so that a rotated-out secret does not linger in the database.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = 'bigint';
  const secrets = db.schema.createTable('webhook_secrets').ifNotExists();
  await (
    postgres
      ? secrets.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : secrets.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    // `whsec_…` (deliveries need it in the clear to sign).
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', time, (c) => c.notNull())
    // Epoch ms after which it no longer signs; null for the current secret.
    .addColumn('expires_at', time)
    .execute();
  await db.schema
    .createIndex('webhook_secrets_endpoint_id')
    .ifNotExists()
    .on('webhook_secrets')
    .columns(['endpoint_id', 'id'])
    .execute();
  await sql`INSERT INTO webhook_secrets (endpoint_id, secret, created_at, expires_at)
    SELECT id, secret, created_at, NULL FROM webhook_endpoints WHERE secret <> ''
    ORDER BY created_at, id`.execute(db);
  await sql`UPDATE webhook_endpoints SET secret = ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to one secret per endpoint: its newest (the current one).
  await sql`UPDATE webhook_endpoints SET secret = COALESCE((
    SELECT s.secret FROM webhook_secrets s WHERE s.endpoint_id = webhook_endpoints.id
    ORDER BY s.id DESC LIMIT 1), secret)`.execute(db);
  await db.schema.dropTable('webhook_secrets').ifExists().execute();
}
