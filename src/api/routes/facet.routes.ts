/**
 * /api/v1/facets: counts per value of one field over the trials that a query (the list's `q` and
 * filters) selects now, for building a search page.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { isLabelledCode, labelOf } from '../../domain/labels.js';
import type { TrialService } from '../../services/trial.service.js';
import { trialFilterOf } from '../query-params.js';
import { errorResponses, jsonResponse, NEAR_ERRORS } from '../schemas/common.schema.js';
import { FACET_LIMIT_DEFAULT, FacetListSchema, FacetQuery } from '../schemas/facet.schema.js';
import { PLACE_LIMIT_DEFAULT, PlaceListSchema, PlaceQuery } from '../schemas/site.schema.js';

export interface FacetRoutesOptions {
  trials: TrialService;
}

export const facetRoutes: FastifyPluginCallbackTypebox<FacetRoutesOptions> = (app, { trials }, done) => {
  app.get(
    '/api/v1/facets',
    {
      schema: {
        tags: ['trials'],
        summary: 'Counts per value of a field, over the trials a search selects',
        description: [
          'Takes the filters and `q` of GET /api/v1/trials (all applied, the counted field’s own filter too)',
          'and counts the current trials (removed ones only with `includeRemoved`) per value of `field`,',
          'most frequent first, `limit` values at most. `total` is the number of trials selected.',
          'The codes of `status`, `phase` and `studyType` come with their English and Korean `label`.',
        ].join(' '),
        querystring: FacetQuery,
        response: {
          200: jsonResponse('The counts', FacetListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'LIMIT_TOO_LARGE', ...NEAR_ERRORS),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const counts = await trials.facets(
        query.field,
        trialFilterOf(query),
        query.limit ?? FACET_LIMIT_DEFAULT,
      );
      const { field } = query;
      const items = isLabelledCode(field)
        ? counts.items.map((item) => ({ ...item, label: labelOf(field, item.value) }))
        : counts.items;
      return { field, items, total: counts.total };
    },
  );
  app.get(
    '/api/v1/places',
    {
      schema: {
        tags: ['trials'],
        summary: 'Places of the mirror’s sites, by the start of their city’s name (for a `near` box)',
        description: [
          'The cities (one per state and country) of the sites with coordinates whose name starts with `q`,',
          'ASCII case ignored, the most trials first: each `name` is a value of `near` (GET /api/v1/trials)',
          'that stands for that place alone, with the mean position of its sites. The Korean registries give',
          'no coordinates, so their sites are not places here.',
        ].join(' '),
        querystring: PlaceQuery,
        response: {
          200: jsonResponse('The places', PlaceListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER', 'LIMIT_TOO_LARGE'),
        },
      },
    },
    async (request) => ({
      items: await trials.places(request.query.q, request.query.limit ?? PLACE_LIMIT_DEFAULT),
    }),
  );
  done();
};
