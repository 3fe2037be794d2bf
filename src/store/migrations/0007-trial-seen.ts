import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// When a harvest last saw each trial moves to a narrow table of its own. A harvest marks every
// record it fetched unchanged as seen; in `trials` that rewrote the whole row, document included
// (on SQLite about 60 µs a row for a ClinicalTrials.gov study against 5 µs for a narrow one, and
// the row's pages written to the WAL again: gigabytes for one unchanged pass over the registry).
//
// `trials.last_seen_at` and `last_seen_run_id` stay, frozen at the trial's creation: dropping them
// (SQLite's ALTER TABLE DROP COLUMN) left the full-text index reported corrupt by
// `PRAGMA integrity_check` after SIGKILLed harvests in the crash-consistency test, which passes
// with the columns kept.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `CREATE TABLE IF NOT EXISTS trial_seen (
        trial_id TEXT PRIMARY KEY NOT NULL,
        last_seen_at ${postgres ? 'BIGINT' : 'INTEGER'} NOT NULL,
        last_seen_run_id ${postgres ? 'BIGINT' : 'INTEGER'}
      )${postgres ? '' : ' WITHOUT ROWID'}`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO trial_seen (trial_id, last_seen_at, last_seen_run_id)
       SELECT id, last_seen_at, last_seen_run_id FROM trials WHERE true
       ON CONFLICT (trial_id) DO NOTHING`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `UPDATE trials SET
         last_seen_at = COALESCE((SELECT s.last_seen_at FROM trial_seen s WHERE s.trial_id = trials.id), last_seen_at),
         last_seen_run_id = (SELECT s.last_seen_run_id FROM trial_seen s WHERE s.trial_id = trials.id)`,
    )
    .execute(db);
  await db.schema.dropTable('trial_seen').ifExists().execute();
}
