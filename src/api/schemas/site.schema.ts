/** Sites: one trial's sites, and the places (cities) of the mirror's sites that `near` takes. */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { LimitParam, Nullable } from './common.schema.js';

export const PLACE_LIMIT_CAP = 50;
export const PLACE_LIMIT_DEFAULT = 10;

export const PlaceQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[^\\u0000-\\u001f\\u007f]*$',
      description:
        'The start of a city name (ASCII letters in any case; what follows a comma is ignored): `seo`, `portl`',
    }),
    limit: Type.Optional(
      LimitParam(PLACE_LIMIT_CAP, PLACE_LIMIT_DEFAULT, ' Here: the most places returned.'),
    ),
  },
  { additionalProperties: false },
);
export type PlaceQueryType = Static<typeof PlaceQuery>;

const latitude = Type.Number({ minimum: -90, maximum: 90, description: 'Degrees (WGS 84)' });
const longitude = Type.Number({ minimum: -180, maximum: 180, description: 'Degrees (WGS 84)' });

export const PlaceListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          name: Type.String({
            description:
              'The city with its state and country (`Portland, Oregon, United States`): a value of `near` that stands for this place alone',
          }),
          city: Type.String(),
          state: Nullable(Type.String()),
          country: Nullable(Type.String()),
          lat: Type.Number({ description: "The mean of its sites' latitudes" }),
          lon: Type.Number({ description: "The mean of its sites' longitudes" }),
          sites: Type.Integer({ minimum: 1, description: 'Sites with coordinates there' }),
          trials: Type.Integer({
            minimum: 1,
            description: 'Trials with a site there (removed ones included)',
          }),
        },
        { additionalProperties: false },
      ),
      { description: 'The places with the most trials first (ties by name)' },
    ),
  },
  { additionalProperties: false },
);

export const TrialSitesQuery = Type.Object(
  {
    near: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[^\\u0000-\\u001f\\u007f]*$',
        description:
          'A centre, as `near` of GET /api/v1/trials (`LAT,LON` or a city the mirror knows): each site with coordinates then carries `distanceKm`, and the answer `centre`',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TrialSitesQueryType = Static<typeof TrialSitesQuery>;

export const TrialSiteListSchema = Type.Object(
  {
    trialId: Type.String(),
    centre: Type.Optional(
      Type.Object(
        { lat: latitude, lon: longitude },
        {
          additionalProperties: false,
          description: 'With `near`: the centre the distances are measured from',
        },
      ),
    ),
    items: Type.Array(
      Type.Object(
        {
          name: Nullable(Type.String({ description: 'The facility' })),
          city: Nullable(Type.String()),
          state: Nullable(Type.String()),
          country: Nullable(Type.String()),
          postalCode: Nullable(Type.String()),
          status: Nullable(
            Type.String({
              description: "The site's own recruitment status code (`RECRUITING`, …), where given",
            }),
          ),
          lat: Nullable(latitude),
          lon: Nullable(longitude),
          distanceKm: Type.Optional(
            Type.Number({
              minimum: 0,
              description: 'With `near` and coordinates: great-circle distance, km',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { description: "Every site of the trial's current version, in the registry's order" },
    ),
  },
  { additionalProperties: false },
);
