/**
 * The ordered change feed: created, updated, removed and restored events by increasing `seq`, so a
 * client resumes from the last event it saw. PostgreSQL writers commit feed events in `seq` order
 * (see `lockChangeFeed`), so reading past a position never skips one that commits late.
 */
import type { Db } from '../store/database.js';
import type { ChangeEvent, ChangeFilter, TrialHeadline } from '../domain/trial-read.types.js';
import { pageChanges } from '../store/change.repository.js';
import { findTrialHeadlines } from '../store/trial-query.repository.js';
import { resolveContentNear } from './near-resolver.js';

/** Events read per database query of an export. */
export const EXPORT_BATCH = 500;

export interface ChangePage {
  items: ChangeEvent[];
  /** The position to resume from: the last event returned, or the one given when none was. */
  lastSeq: number;
  hasMore: boolean;
}

/** A page of a feed: events newest first, each with its trial's headline. */
export interface ChangeFeedPage {
  items: { event: ChangeEvent; trial: TrialHeadline | undefined }[];
  /** Where the next (older) page starts: before this position; null on the last page. */
  nextBeforeSeq: number | null;
}

export class ChangeService {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /** The query with a `near=<city>` of its content filter resolved to coordinates. */
  async #resolved<Q extends ChangeFilter>(query: Q): Promise<Q> {
    if (query.content === undefined) return query;
    return { ...query, content: await resolveContentNear(this.#db, query.content) };
  }

  /** Up to `limit` events after `afterSeq` (0: from the beginning) that match the filter. */
  async list(query: { afterSeq: number; limit: number } & ChangeFilter): Promise<ChangePage> {
    const rows = await pageChanges(this.#db, {
      ...(await this.#resolved(query)),
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    return { items, lastSeq: items.at(-1)?.seq ?? query.afterSeq, hasMore: rows.length > query.limit };
  }

  /**
   * Up to `limit` matching events before `beforeSeq` (absent: the newest), newest first, with the
   * titles of their trials (one more query for the page).
   */
  async feed(query: { beforeSeq?: number; limit: number } & ChangeFilter): Promise<ChangeFeedPage> {
    const rows = await pageChanges(this.#db, {
      ...(await this.#resolved(query)),
      afterSeq: 0,
      newestFirst: true,
      limit: query.limit + 1,
    });
    const events = rows.slice(0, query.limit);
    const trials = await findTrialHeadlines(
      this.#db,
      events.map((event) => event.trialId),
    );
    return {
      items: events.map((event) => ({ event, trial: trials.get(event.trialId) })),
      nextBeforeSeq: rows.length > query.limit ? (events.at(-1)?.seq ?? null) : null,
    };
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
