/** /api/v1/changes: the ordered change feed, resumable from a cursor. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import type { ChangeService } from '../../services/change.service.js';
import type { CursorCodec } from '../cursor.js';
import { CursorInteger } from '../cursor.js';
import { changeFilterOf } from '../query-params.js';
import { errorResponses } from '../schemas/common.schema.js';
import { CHANGE_LIMIT_DEFAULT, ChangeListQuery, ChangeListSchema } from '../schemas/change.schema.js';
import {
  CHANGE_CSV_COLUMNS,
  changeCsvHeader,
  changeCsvRow,
  changeEventView,
  changeNdjsonLine,
} from '../change-format.js';
import { chooseTrialFormat } from '../content-negotiation.js';
import { sendExport } from '../export-stream.js';

export interface ChangeRoutesOptions {
  changes: ChangeService;
  cursors: CursorCodec;
}

/** The feed position after which to continue. */
const ChangeCursorPayload = Type.Object({ s: CursorInteger(0) }, { additionalProperties: false });

export const changeRoutes: FastifyPluginCallbackTypebox<ChangeRoutesOptions> = (
  app,
  { changes, cursors },
  done,
) => {
  const changeCursor = cursors.define('changes', ChangeCursorPayload);
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
          '. An unknown type is a 400 naming the allowed ones. With `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) every matching event after the cursor is streamed in feed order (CSV with a UTF-8 BOM, the typed changes as JSON in its `changes` column); `limit` then caps the export (default: all).',
        querystring: ChangeListQuery,
        response: {
          200: {
            description: 'A page (JSON) or every matching event (CSV, NDJSON)',
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
            },
          },
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'INVALID_CURSOR',
            'LIMIT_TOO_LARGE',
            'NOT_ACCEPTABLE',
          ),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const format = chooseTrialFormat(query.format, request.headers.accept);
      const afterSeq = query.cursor === undefined ? 0 : changeCursor.decode(query.cursor).s;
      const filter = changeFilterOf(query);
      void reply.header('vary', 'accept');
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
      return {
        items: page.items.map(changeEventView),
        nextCursor: changeCursor.encode({ s: page.lastSeq }),
        hasMore: page.hasMore,
      };
    },
  );
  done();
};
