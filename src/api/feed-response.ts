/**
 * The change feed as a feed (Atom, JSON Feed, RSS): a page of the newest matching events, its
 * paging links, and HTTP caching. The ETag is a hash of the body, so it changes exactly when the
 * answer does (a new event, a trial's new title, an event classified late); `Last-Modified` is the
 * newest change the page shows. A poll that sends either back gets a 304 without a body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeFilter } from '../domain/trial-read.types.js';
import { AppError } from '../errors/app-error.js';
import type { ChangeService } from '../services/change.service.js';
import type { FeedFormat } from './content-negotiation.js';
import { CONTENT_TYPES } from './content-negotiation.js';
import type { CursorType } from './cursor.js';
import { changeFeedId, feedEntry } from './feed-entry.js';
import type { FeedPage } from './feed-format.js';
import { renderFeed } from './feed-format.js';
import { etagMatches, sendNotModified, shortTag, unmodifiedSince } from './http-caching.js';
import { FEED_LIMIT_CAP, FEED_LIMIT_DEFAULT } from './schemas/change.schema.js';

/** A feed cursor: the next page holds the events before this position. */
export interface FeedCursor {
  b: number;
}

export interface ChangeFeedRequest {
  format: FeedFormat;
  filter: ChangeFilter;
  limit: number | undefined;
  cursor: string | undefined;
}

/** Parameters that are not the query's filters: the page, its size and the format. */
const PAGING_PARAMETERS = ['cursor', 'format', 'limit'];

function withParameters(path: string, base: URLSearchParams, extra: Record<string, string>): string {
  const params = new URLSearchParams(base);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

export async function sendChangeFeed(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { changes: ChangeService; cursor: CursorType<FeedCursor> },
  feed: ChangeFeedRequest,
): Promise<FastifyReply> {
  const limit = feed.limit ?? FEED_LIMIT_DEFAULT;
  if (limit > FEED_LIMIT_CAP) {
    throw new AppError('LIMIT_TOO_LARGE', `limit must be at most ${FEED_LIMIT_CAP} with a feed format`, {
      details: { parameter: 'limit', cap: FEED_LIMIT_CAP },
    });
  }
  const beforeSeq = feed.cursor === undefined ? undefined : deps.cursor.decode(feed.cursor).b;
  const page = await deps.changes.feed({
    ...feed.filter,
    limit,
    ...(beforeSeq === undefined ? {} : { beforeSeq }),
  });

  // Links keep the query's own parameters as sent, with the format named (a link works without
  // the Accept header that chose it).
  const origin = `${request.protocol}://${request.host}`;
  const path = `${origin}${request.routeOptions.url ?? '/api/v1/changes'}`;
  const sent = new URLSearchParams(request.url.split('?')[1] ?? '');
  const base = new URLSearchParams([...sent].filter(([key]) => key !== 'cursor' && key !== 'format'));
  const filters = new URLSearchParams([...sent].filter(([key]) => !PAGING_PARAMETERS.includes(key)));
  const format = { format: feed.format };
  const homeUrl = `${origin}/`;
  let updated: number | null = null;
  for (const { event, trial } of page.items) {
    updated = Math.max(updated ?? 0, event.occurredAt, trial?.lastChangedAt ?? 0);
  }
  const described = [...filters].map(([key, value]) => `${key}=${value}`).join(', ');
  const feedPage: FeedPage = {
    id: changeFeedId(filters),
    title: `trialwatch changes${described === '' ? '' : ` (${described})`}`,
    description: 'Changes to the clinical trials trialwatch mirrors that match this query, newest first.',
    selfUrl: withParameters(path, base, {
      ...format,
      ...(feed.cursor === undefined ? {} : { cursor: feed.cursor }),
    }),
    firstUrl: withParameters(path, base, format),
    nextUrl:
      page.nextBeforeSeq === null
        ? null
        : withParameters(path, base, { ...format, cursor: deps.cursor.encode({ b: page.nextBeforeSeq }) }),
    homeUrl,
    updated,
    entries: page.items.map(({ event, trial }) => feedEntry(event, trial, homeUrl)),
  };
  const body = renderFeed(feed.format, feedPage);
  const etag = `W/"feed${shortTag(body)}"`;
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  if (updated !== null) void reply.header('last-modified', new Date(updated).toUTCString());
  const ifNoneMatch = request.headers['if-none-match'];
  // If-Modified-Since counts only without If-None-Match (RFC 9110 §13.2.2).
  if (
    ifNoneMatch === undefined
      ? updated !== null && unmodifiedSince(request.headers['if-modified-since'], updated)
      : etagMatches(ifNoneMatch, etag)
  ) {
    return sendNotModified(reply);
  }
  return reply.header('content-type', CONTENT_TYPES[feed.format]).send(body);
}
