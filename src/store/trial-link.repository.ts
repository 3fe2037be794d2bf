/** A trial's cross-registry links and the merged (alias) ids that resolve to it. */
import { sql } from 'kysely';
import type { StoredTrialLink } from '../domain/trial-read.types.js';
import { compiledOnce } from './compiled-once.js';
import type { Db } from './database.js';

/** The trial an old (merged) id now resolves to, if the registry merged it into one. */
export async function findAliasTarget(db: Db, alias: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('trial_aliases')
    .select('trial_id')
    .where('alias', '=', alias)
    .executeTakeFirst();
  return row?.trial_id;
}

/** Every link of a trial, both directions, in one statement (compiled once: get-one runs it). */
const trialLinksQuery = compiledOnce((db) =>
  db
    .selectFrom('trial_links as l')
    .leftJoin('trials as o', 'o.id', 'l.linked_id')
    .select(['l.linked_id as id', 'l.relation', 'o.source', sql<string>`'out'`.as('direction')])
    .where('l.trial_id', '=', '')
    .unionAll(
      db
        .selectFrom('trial_links as l')
        .leftJoin('trials as o', 'o.id', 'l.trial_id')
        .select(['l.trial_id as id', 'l.relation', 'o.source', sql<string>`'in'`.as('direction')])
        .where('l.linked_id', '=', ''),
    )
    .compile(),
);

export async function listTrialLinks(db: Db, id: string): Promise<StoredTrialLink[]> {
  const { rows } = await db.executeQuery(trialLinksQuery(db, [id, id]));
  return rows.map((row) => ({
    id: row.id,
    relation: row.relation,
    direction: row.direction === 'in' ? 'in' : 'out',
    source: row.source,
  }));
}
