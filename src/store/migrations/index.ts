import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-aliases-links.js';
import * as m0003 from './0003-last-changed-index.js';
import * as m0004 from './0004-search.js';
import * as m0006 from './0006-search-levels.js';
import * as m0007 from './0007-trial-seen.js';
import * as m0008 from './0008-settings.js';
import * as m0009 from './0009-change-types.js';
import * as m0010 from './0010-sites.js';
import * as m0011 from './0011-webhooks.js';
import * as m0013 from './0013-search-text.js';
import * as m0014 from './0014-trial-filters.js';
import * as m0015 from './0015-webhook-secrets.js';

/**
 * Bundled migrations: a static list, so nothing scans a directory at run time. Names sort in order.
 *
 * There is no 0005, and never was one in this repository: the PostgreSQL search levels were added
 * as 0006 straight after 0004 (commit 7233822), leaving the number unused. The names are what each
 * database records in `kysely_migration` (and ownership.ts recognises a trialwatch database by the
 * first one), so released names are never renumbered to close the gap; Kysely needs names that
 * sort in order, not consecutive numbers. Do not fill the gap with a new 0005 either: a database
 * that has run 0006 would refuse it (a new migration must sort after the last one executed).
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': m0001,
  '0002-aliases-links': m0002,
  '0003-last-changed-index': m0003,
  '0004-search': m0004,
  '0006-search-levels': m0006,
  '0007-trial-seen': m0007,
  '0008-settings': m0008,
  '0009-change-types': m0009,
  '0010-sites': m0010,
  '0011-webhooks': m0011,
  '0013-search-text': m0013,
  '0014-trial-filters': m0014,
  '0015-webhook-secrets': m0015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
