/**
 * /api/v1/trials: one trial (ETag, 304, `include=raw`, links to other registries, merged ids
 * followed), the list and search (keyset pages pinned to the change feed) and its CSV / NDJSON
 * exports (streamed in batches), and the version history. Registers the facets too (they take
 * the same filters, from the same service).
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TrialLink, TrialService, TrialVersionSummary } from '../../services/trial.service.js';
import { codeLabels } from '../../domain/labels.js';
import { chooseTrialFormat } from '../content-negotiation.js';
import { sendExport } from '../export-stream.js';
import { sendJsonText } from '../json-reply.js';
import type { CursorCodec } from '../cursor.js';
import { etagMatches, sendNotModified, shortTag } from '../http-caching.js';
import { checkSort, parseNear, trialFilterOf } from '../query-params.js';
import { TrialSiteListSchema, TrialSitesQuery } from '../schemas/site.schema.js';
import { errorResponses, jsonResponse, NEAR_ERRORS } from '../schemas/common.schema.js';
import {
  TRIAL_LIMIT_DEFAULT,
  TrialGetQuery,
  TrialListQuery,
  TrialListSchema,
  TrialParams,
  TrialSchema,
  TrialVersionListSchema,
  TrialVersionParams,
  TrialVersionSchema,
} from '../schemas/trial.schema.js';
import {
  classificationView,
  csvHeader,
  csvRow,
  isoTime,
  ndjsonLine,
  trialJson,
  trialPageBytes,
} from '../trial-format.js';
import { defineTrialCursor, trialQueryKey } from '../trial-cursor.js';
import { facetRoutes } from './facet.routes.js';

export interface TrialRoutesOptions {
  trials: TrialService;
  cursors: CursorCodec;
}

function trialPath(id: string): string {
  return `/api/v1/trials/${encodeURIComponent(id)}`;
}

/** A short tag of a trial's links (empty without links), so that a new link changes the ETag. */
function linksTag(links: readonly TrialLink[]): string {
  return shortTag(
    links.map((link) => `${link.id}:${link.relation}:${link.source ?? ''}:${link.mirrored}`).join('|'),
  );
}

function versionView(version: TrialVersionSummary) {
  return {
    version: version.version,
    observedAt: isoTime(version.observedAt),
    kind: version.kind === 'removed' ? 'updated' : version.kind,
    contentHash: version.contentHash,
    sourceUpdatedAt: version.sourceUpdatedAt,
    runId: version.runId,
    diff: version.diff,
    events: version.events.map((event) => ({ ...event, occurredAt: isoTime(event.occurredAt) })),
    ...classificationView(version.classification),
  };
}

export const trialRoutes: FastifyPluginCallbackTypebox<TrialRoutesOptions> = (
  app,
  { trials, cursors },
  done,
) => {
  const trialCursor = defineTrialCursor(cursors);
  // The cursor key may come from the database: known before any handler of this plugin runs.
  app.addHook('preHandler', () => cursors.ready());

  app.get(
    '/api/v1/trials/:id',
    {
      schema: {
        tags: ['trials'],
        summary: 'One trial by its registry id',
        description: [
          "The common fields, the source's own fields, the times, and `links`: the same study in other registries",
          "(a record that lists the other's id among its secondary ids, in either direction).",
          'An old id that the registry merged into another record (ClinicalTrials.gov `nctIdAliases`) answers with the',
          'current trial, with `resolvedFrom` set to the id asked for and `Content-Location` naming the current one.',
          '`ETag` follows the version, removal and links; send it back in `If-None-Match` for a 304.',
        ].join(' '),
        params: TrialParams,
        querystring: TrialGetQuery,
        response: {
          200: {
            ...jsonResponse('The trial', TrialSchema),
            headers: {
              ETag: { type: 'string', description: 'Weak tag of the version, latest change and links' },
              'Content-Location': {
                type: 'string',
                description: 'When the id was a merged one: the path of the current trial',
              },
            },
          },
          304: Type.Null({ description: 'Not modified since the ETag sent in If-None-Match' }),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'TRIAL_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const { trial, resolvedFrom } = await trials.resolve(request.params.id);
      const links = await trials.links(trial);
      const raw = request.query.include === 'raw';
      const etag = `W/"${trial.version}.${trial.changeSeq}${linksTag(links)}${resolvedFrom === null ? '' : '.r'}${raw ? '.raw' : ''}"`;
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      if (resolvedFrom !== null) void reply.header('content-location', trialPath(trial.id));
      if (etagMatches(request.headers['if-none-match'], etag)) return sendNotModified(reply);
      return sendJsonText(
        reply,
        trialJson(trial, raw ? await trials.rawRecordJson(trial) : undefined, { links, resolvedFrom }),
      );
    },
  );

  app.get(
    '/api/v1/trials',
    {
      schema: {
        tags: ['trials'],
        summary: 'List, filter and export trials',
        description: [
          'Keyset pages, most recently changed first by default: follow `nextCursor` until it is null.',
          'A walk is pinned to the change feed when its first page is read: every trial that existed then comes',
          'exactly once, however harvests change trials meanwhile (trials created after the first page are left',
          'out; start a new walk to see them). Field filters apply to current content; the time window, removal',
          'and order are those of the first page.',
          '`updatedWithin=7d` is the brief\'s "changed within the last week".',
          'With `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) the whole filtered result is',
          'streamed (CSV with a UTF-8 BOM); a cursor resumes an export, `limit` caps it.',
        ].join(' '),
        querystring: TrialListQuery,
        response: {
          200: {
            description: 'A page (JSON) or the whole result (CSV, NDJSON)',
            content: {
              'application/json': { schema: TrialListSchema },
              'text/csv': { schema: Type.String({ description: 'UTF-8 with BOM; one row per trial' }) },
              'application/x-ndjson': { schema: Type.String({ description: 'One trial (JSON) per line' }) },
            },
          },
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
      const format = chooseTrialFormat(query.format, request.headers.accept);
      const filter = trialFilterOf(query);
      const sort = query.sort ?? (filter.search === undefined ? '-lastChangedAt' : 'relevance');
      checkSort(sort, filter);
      const key = trialQueryKey(filter, sort);
      const continuation =
        query.cursor === undefined ? undefined : trialCursor.decode(query.cursor, sort, key);
      void reply.header('vary', 'accept');
      if (format === 'json') {
        const page = await trials.list({
          filter,
          sort,
          limit: query.limit ?? TRIAL_LIMIT_DEFAULT,
          count: query.count ?? false,
          ...(continuation === undefined ? {} : { continuation }),
        });
        const next = page.next === null ? null : trialCursor.encode(page.next, key);
        return sendJsonText(reply, trialPageBytes(page.items, next, page.total));
      }
      if (query.count === true) void reply.header('x-total-count', String(await trials.count(filter)));
      const batches = trials.export({
        filter,
        sort,
        ...(continuation === undefined ? {} : { continuation }),
        ...(query.limit === undefined ? {} : { maxRows: query.limit }),
      });
      return sendExport(
        reply,
        format,
        'trials',
        batches,
        format === 'csv' ? { header: csvHeader(), line: csvRow } : { line: ndjsonLine },
      );
    },
  );

  app.get(
    '/api/v1/trials/:id/sites',
    {
      schema: {
        tags: ['trials'],
        summary: 'The sites of a trial, with their status (and distance from `near`)',
        description: [
          "Every site (location) of the trial's current version as the registry lists it, with its own recruitment",
          'status and coordinates where the registry gives them (ClinicalTrials.gov does; the Korean registries do',
          'not). With `near`, each site with coordinates carries `distanceKm` from that centre. A merged (old) id',
          'answers for the trial it was merged into, as GET /api/v1/trials/{id}.',
        ].join(' '),
        params: TrialParams,
        querystring: TrialSitesQuery,
        response: {
          200: jsonResponse('The sites', TrialSiteListSchema),
          ...errorResponses(
            'VALIDATION_FAILED',
            'UNKNOWN_PARAMETER',
            'TRIAL_NOT_FOUND',
            'INVALID_NEAR',
            'UNKNOWN_CITY',
            'AMBIGUOUS_CITY',
          ),
        },
      },
    },
    async (request, reply) => {
      const { trial, resolvedFrom } = await trials.resolve(request.params.id);
      const near = parseNear(request.query.near, undefined, undefined);
      const { sites, centre } = await trials.sites(trial, near);
      if (resolvedFrom !== null) void reply.header('content-location', `${trialPath(trial.id)}/sites`);
      return { trialId: trial.id, ...(centre === undefined ? {} : { centre }), items: sites };
    },
  );

  app.get(
    '/api/v1/trials/:id/versions',
    {
      schema: {
        tags: ['trials'],
        summary: 'Every version of a trial, with field-level diffs',
        description:
          'A merged (old) id answers with the versions of the trial it was merged into, with `resolvedFrom` and `Content-Location`, as GET /api/v1/trials/{id}.',
        params: TrialParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: jsonResponse('Versions, oldest first', TrialVersionListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'TRIAL_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const { trial, resolvedFrom, versions } = await trials.versions(request.params.id);
      if (resolvedFrom !== null) void reply.header('content-location', `${trialPath(trial.id)}/versions`);
      return {
        trialId: trial.id,
        source: trial.source,
        currentVersion: trial.version,
        items: versions.map(versionView),
        ...(resolvedFrom === null ? {} : { resolvedFrom }),
      };
    },
  );

  app.get(
    '/api/v1/trials/:id/versions/:n',
    {
      schema: {
        tags: ['trials'],
        summary: 'A trial as it was at version n',
        description:
          "The upstream record of that version as the registry sent it (`raw`), its diff, and its fields: stored for the current version, mapped from `raw` by the source's mapper for older ones (null when the source has none). A merged (old) id follows to the trial it was merged into (`resolvedFrom`, `Content-Location`).",
        params: TrialVersionParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: jsonResponse('The version', TrialVersionSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'TRIAL_NOT_FOUND', 'VERSION_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      const { trial, resolvedFrom, version } = await trials.version(request.params.id, request.params.n);
      if (resolvedFrom !== null)
        void reply.header('content-location', `${trialPath(trial.id)}/versions/${version.version}`);
      return {
        ...(resolvedFrom === null ? {} : { resolvedFrom }),
        trialId: trial.id,
        source: trial.source,
        current: version.current,
        ...versionView(version),
        fields: version.doc?.fields ?? null,
        sourceFields: version.doc?.sourceFields ?? null,
        labels: version.doc === null ? null : codeLabels(version.doc.fields),
        raw: JSON.parse(version.rawJson) as unknown,
      };
    },
  );
  // The facets take the same filters from the same service.
  void app.register(facetRoutes, { trials });
  done();
};
