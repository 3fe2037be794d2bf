/** /api/v1/changes: the ordered change feed, resumable from a cursor. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import type { ChangeService } from '../../services/change.service.js';
import type { CursorCodec } from '../cursor.js';
import { CursorInteger } from '../cursor.js';
import { changeFilterOf } from '../query-params.js';
import { errorResponses, NEAR_ERRORS } from '../schemas/common.schema.js';
import {
  CHANGE_LIMIT_DEFAULT,
  ChangeListQuery,
  FEED_LIMIT_CAP,
  FEED_LIMIT_DEFAULT,
  ChangeListSchema,
} from '../schemas/change.schema.js';
import {
  CHANGE_CSV_COLUMNS,
  changeCsvHeader,
  changeCsvRow,
  changeNdjsonLine,
  changePageBytes,
} from '../change-format.js';
import { chooseChangeFormat, isFeedFormat } from '../content-negotiation.js';
import { sendExport } from '../export-stream.js';
import { sendJsonText } from '../json-reply.js';
import { sendChangeFeed } from '../feed-response.js';

export interface ChangeRoutesOptions {
  changes: ChangeService;
  cursors: CursorCodec;
}

/** The feed position after which to continue. */
const ChangeCursorPayload = Type.Object({ s: CursorInteger(0) }, { additionalProperties: false });
/** A feed page's position: the events before this one (feeds go newest first). */
const FeedCursorPayload = Type.Object({ b: CursorInteger(1) }, { additionalProperties: false });

export const changeRoutes: FastifyPluginCallbackTypebox<ChangeRoutesOptions> = (
  app,
  { changes, cursors },
  done,
) => {
  const changeCursor = cursors.define('changes', ChangeCursorPayload);
  const feedCursor = cursors.define('change-feed', FeedCursorPayload);
  // The cursor key may come from the database: known before any handler of this plugin runs.
  app.addHook('preHandler', () => cursors.ready());

  app.get(
    '/api/v1/changes',
    {
      schema: {
        tags: ['changes'],
        summary: 'The change feed',
        description:
          'Created, updated, removed and restored events in feed order, oldest first. Keep `nextCursor` and ask again later to get only what happened since; without a cursor the feed starts at the beginning. Each event says what it changed (`changes`, typed, with English and Korean summaries) and whether that matters to a reader (`material`: false for registry bookkeeping only); `type`, `material` and `trial` select events. Change types: ' +
          CHANGE_TYPES.join(', ') +
          '. An unknown type is a 400 naming the allowed ones. With `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) every matching event after the cursor is streamed in feed order (CSV with a UTF-8 BOM, the typed changes as JSON in its `changes` column); `limit` then caps the export (default: all). ' +
          `With \`format=atom|jsonfeed|rss\` (or \`Accept: application/atom+xml\`, \`application/feed+json\`, \`application/rss+xml\`) the same query is a feed to follow: the newest matching events first, ${FEED_LIMIT_DEFAULT} per page (\`limit\` up to ${FEED_LIMIT_CAP}), older pages by the feed's own \`next\` link (RFC 5005; \`next_url\` in JSON Feed; its cursor is the feed's, not \`nextCursor\`). One entry per event: a permanent id (\`tag:trialwatch,2026:changes/{seq}/{trialId}\`, the same in every format), the trial's title and the change's summary as its title, the before/after values as plain text, the time it was recorded, a link to the trial on the web page and one to the registry's page (ClinicalTrials.gov; the WHO ICTRP page for CRIS; none for kr-icreat). \`ETag\` and \`Last-Modified\`: send them back (\`If-None-Match\`, \`If-Modified-Since\`) for a 304 while nothing changed.`,
        querystring: ChangeListQuery,
        response: {
          200: {
            description: 'A page (JSON, or a feed page) or every matching event (CSV, NDJSON)',
            headers: {
              ETag: {
                type: 'string',
                description: 'Feeds: a weak tag of the page; it changes when the page does',
              },
              'Last-Modified': {
                type: 'string',
                description: 'Feeds: the newest change the page shows (absent when it shows none)',
              },
            },
            content: {
              'application/json': { schema: ChangeListSchema },
              'text/csv': {
                schema: Type.String({
                  description: `UTF-8 with BOM; one row per event, columns ${CHANGE_CSV_COLUMNS.join(', ')}`,
                }),
              },
              'application/x-ndjson': {
                schema: Type.String({ description: 'One event (JSON, as in `items`) per line' }),
              },
              'application/atom+xml': {
                schema: Type.String({ description: 'Atom 1.0 (RFC 4287) with RFC 5005 paging links' }),
              },
              'application/feed+json': {
                schema: Type.String({
                  description:
                    'JSON Feed 1.1 (`next_url`; each item has `_trialwatch`: seq, trialId, source, kind, version)',
                }),
              },
              'application/rss+xml': {
                schema: Type.String({ description: 'RSS 2.0, with atom:link rel=self/first/next' }),
              },
            },
          },
          304: Type.Null({ description: 'Feeds: not modified since the ETag or time sent' }),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'INVALID_CURSOR',
            'LIMIT_TOO_LARGE',
            'NOT_ACCEPTABLE',
            ...NEAR_ERRORS,
          ),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const format = chooseChangeFormat(query.format, request.headers.accept);
      const filter = changeFilterOf(query);
      void reply.header('vary', 'accept');
      if (isFeedFormat(format)) {
        return sendChangeFeed(
          request,
          reply,
          { changes, cursor: feedCursor },
          { format, filter, limit: query.limit, cursor: query.cursor },
        );
      }
      const afterSeq = query.cursor === undefined ? 0 : changeCursor.decode(query.cursor).s;
      if (format !== 'json') {
        const batches = changes.export({
          afterSeq,
          ...filter,
          ...(query.limit === undefined ? {} : { maxRows: query.limit }),
        });
        return sendExport(
          reply,
          format,
          'changes',
          batches,
          format === 'csv' ? { header: changeCsvHeader(), line: changeCsvRow } : { line: changeNdjsonLine },
        );
      }
      const page = await changes.list({ afterSeq, limit: query.limit ?? CHANGE_LIMIT_DEFAULT, ...filter });
      // JSON text, not the schema's serializer (see changePageBytes); the shape is ChangeListSchema.
      return sendJsonText(
        reply,
        changePageBytes(page.items, changeCursor.encode({ s: page.lastSeq }), page.hasMore),
      );
    },
  );
  done();
};
