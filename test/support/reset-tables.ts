/**
 * Empties a test database between tests: every table of the schema (src/store/schema.ts), the
 * search index with them (the triggers of migration 0004 follow `trials`), as a freshly migrated
 * database has them. Typed over the schema's tables, so a new table cannot be forgotten here.
 */
import type { Db } from '../../src/store/database.js';
import type { Database } from '../../src/store/schema.js';

/** Whether each table is cleared, in the order they are cleared (references before what they name). */
const CLEARED: Readonly<Record<keyof Database, boolean>> = {
  webhook_deliveries: true,
  webhook_secrets: true,
  webhook_endpoints: true,
  trial_aliases: true,
  trial_links: true,
  trial_seen: true,
  trial_sites: true,
  trial_filters: true,
  site_backfill: true,
  change_type_rows: true,
  change_classes: true,
  changes: true,
  trial_versions: true,
  trials: true,
  harvest_runs: true,
  source_state: true,
  leases: true,
  // Kept: the deployment's cursor key, written once by migration 0008 like the schema itself.
  settings: false,
};

export async function resetTables(db: Db): Promise<void> {
  for (const [table, cleared] of Object.entries(CLEARED) as [keyof Database, boolean][]) {
    if (cleared) await db.deleteFrom(table).execute();
  }
}
