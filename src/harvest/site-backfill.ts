/**
 * Writes the sites of the trials stored before migration 0010 (which lists them in
 * `site_backfill`): each trial's current version is mapped from its stored record by today's
 * mapper, exactly as a harvest maps a new one. Bounded memory (a batch at a time), and safe to
 * interrupt and run again, or beside a harvest: a batch is one transaction that takes its trials
 * off the list, and a trial a harvest wrote meanwhile (off the list already) keeps the harvest's
 * sites. Run by `trialwatch migrate` and at the start of each harvest, like the classification
 * backfill.
 */
import type { SourceAdapter } from '../sources/source.types.js';
import type { Db } from '../store/database.js';
import { dropOrphanBackfill, listSiteBackfill, saveBackfilledSites } from '../store/site.repository.js';
import { loadVersionRaws, versionKey } from '../store/trial.repository.js';
import { mappedOrUndefined } from './version-classification.js';

/** Trials per batch (one transaction): the default when a caller gives none. */
const BATCH = 200;

/** How many trials of `adapter`'s source got their sites written. */
export async function backfillStoredSites(
  db: Db,
  adapter: SourceAdapter,
  options: { signal?: AbortSignal; batchSize?: number } = {},
): Promise<number> {
  await dropOrphanBackfill(db);
  const limit = options.batchSize ?? BATCH;
  let done = 0;
  for (;;) {
    if (options.signal?.aborted === true) return done;
    const rows = await listSiteBackfill(db, { source: adapter.id, limit });
    if (rows.length === 0) return done;
    const raws = await loadVersionRaws(
      db,
      rows.map((row) => ({ id: row.id, version: row.version })),
    );
    const items = rows.map((row) => {
      const raw = raws.get(versionKey(row.id, row.version));
      // A record today's mapper refuses has no sites to show; it leaves the list all the same.
      const mapped = raw === undefined ? undefined : mappedOrUndefined(adapter, raw);
      return { id: row.id, sites: mapped?.sites ?? [] };
    });
    // Entries a concurrent backfill took first are not counted (nor written twice).
    done += await saveBackfilledSites(db, items);
  }
}
