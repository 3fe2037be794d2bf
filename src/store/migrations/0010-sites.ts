import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

// Frozen: this migration must never change once released. It imports nothing from the app.
//
// Sites as data (issue 19): each trial's sites in a table of their own, replaced in the
// transaction that writes the trial's version. `lat`/`lon` are the registry's coordinates (null
// where it gives none); `city_key` is the city with ASCII letters lower-cased, which `near=<city>`
// looks up. Distance searches read candidates from the (lat, lon, …) index by a bounding box and
// then compute the exact distance: one plain B-tree index that both databases have (SQLite's
// R*Tree would be a second way to do it, PostgreSQL's cube/earthdistance an extension that may
// not be installed), with the same answers on both.
//
// The sites of trials stored before this migration are mapped from their stored records by the
// backfill (src/harvest/site-backfill.ts), which needs the source mappers and so cannot run here:
// this migration lists every stored trial in `site_backfill`, and the backfill takes them off in
// batches (a harvest that writes a trial's sites takes it off too).

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const real = postgres ? 'DOUBLE PRECISION' : 'REAL';
  await sql
    .raw(
      `CREATE TABLE IF NOT EXISTS trial_sites (
        trial_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        name TEXT,
        city TEXT,
        city_key TEXT,
        state TEXT,
        country TEXT,
        postal_code TEXT,
        status TEXT,
        lat ${real},
        lon ${real},
        PRIMARY KEY (trial_id, ordinal)
      )`,
    )
    .execute(db);
  await sql
    // Covering (status and trial_id too): a search reads its candidates from the index alone,
    // about half the time of looking each one up in the table (1M sites, SQLite).
    .raw(
      'CREATE INDEX IF NOT EXISTS trial_sites_geo ON trial_sites (lat, lon, status, trial_id) WHERE lat IS NOT NULL',
    )
    .execute(db);
  await sql
    .raw('CREATE INDEX IF NOT EXISTS trial_sites_city ON trial_sites (city_key) WHERE lat IS NOT NULL')
    .execute(db);
  await sql
    .raw(
      `CREATE TABLE IF NOT EXISTS site_backfill (
        trial_id TEXT PRIMARY KEY NOT NULL
      )${postgres ? '' : ' WITHOUT ROWID'}`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO site_backfill (trial_id)
       SELECT id FROM trials WHERE true
       ON CONFLICT (trial_id) DO NOTHING`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_backfill').ifExists().execute();
  await db.schema.dropTable('trial_sites').ifExists().execute();
}
