/**
 * The ordered change feed: created, updated, removed and restored events by increasing `seq`, so a
 * client resumes from the last event it saw. PostgreSQL writers commit feed events in `seq` order
 * (see `lockChangeFeed`), so reading past a position never skips one that commits late.
 */
import type { Db } from '../store/database.js';
import type { ChangeEvent, ChangeFilter } from '../domain/trial-read.types.js';
import { pageChanges } from '../store/change.repository.js';
import { resolveContentNear } from './near-resolver.js';

/** Events read per database query of an export. */
export const EXPORT_BATCH = 500;

export interface ChangePage {
  items: ChangeEvent[];
  /** The position to resume from: the last event returned, or the one given when none was. */
  lastSeq: number;
  hasMore: boolean;
}

export class ChangeService {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /** Up to `limit` events after `afterSeq` (0: from the beginning) that match the filter. */
  async list(query: { afterSeq: number; limit: number } & ChangeFilter): Promise<ChangePage> {
    const content =
      query.content === undefined ? undefined : await resolveContentNear(this.#db, query.content);
    const rows = await pageChanges(this.#db, {
      ...query,
      ...(content === undefined ? {} : { content }),
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    return { items, lastSeq: items.at(-1)?.seq ?? query.afterSeq, hasMore: rows.length > query.limit };
  }

  /**
   * Every matching event after `afterSeq`, in feed order, in batches of at most `EXPORT_BATCH`
   * (bounded memory however long the feed); at most `maxRows` events when given.
   */
  async *export(
    query: { afterSeq: number; maxRows?: number } & ChangeFilter,
  ): AsyncGenerator<ChangeEvent[], void, undefined> {
    const { maxRows, ...filter } = query;
    let afterSeq = filter.afterSeq;
    let left = maxRows ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const page = await this.list({ ...filter, afterSeq, limit: Math.min(EXPORT_BATCH, left) });
      if (page.items.length > 0) yield page.items;
      if (!page.hasMore) return;
      afterSeq = page.lastSeq;
      left -= page.items.length;
    }
  }
}
