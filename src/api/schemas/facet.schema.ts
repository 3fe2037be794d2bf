/** Facets: counts per value of one field over the trials a query selects. */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { FACET_FIELDS } from '../../domain/search.types.js';
import { LimitParam, StringEnum } from './common.schema.js';
import { TrialFilterProperties } from './trial.schema.js';
import { localized } from './typed-change.schema.js';

export const FACET_LIMIT_CAP = 100;
export const FACET_LIMIT_DEFAULT = 20;

export const FacetQuery = Type.Object(
  {
    field: StringEnum(FACET_FIELDS, {
      description:
        'The field to count: `source`, `status`, `phase`, `studyType`, `institution`, `department`, `condition`, `country`, `hasResults`, `sex` (the trials open to each sex, as `sex=` selects them: a trial for all, or that gives none, counts for `FEMALE`, `MALE` and `ALL` alike, so these counts overlap), `sponsorClass` (ClinicalTrials.gov lead sponsor class) or `recruiting` (whether the overall status is `RECRUITING` or `ENROLLING_BY_INVITATION`)',
    }),
    limit: Type.Optional(
      LimitParam(FACET_LIMIT_CAP, FACET_LIMIT_DEFAULT, ' Here: the most values returned.'),
    ),
    ...TrialFilterProperties,
  },
  { additionalProperties: false },
);
export type FacetQueryType = Static<typeof FacetQuery>;

export const FacetListSchema = Type.Object(
  {
    field: Type.String({ description: 'The field counted' }),
    items: Type.Array(
      Type.Object(
        {
          value: Type.String({
            description:
              'A value of the field (conditions and countries that differ only in ASCII case count as one); `hasResults` and `recruiting`: `true` or `false`',
          }),
          count: Type.Integer({ minimum: 1, description: 'Trials with this value' }),
          label: Type.Optional(
            localized('`status`, `phase` and `studyType`: the English and Korean label of the code'),
          ),
        },
        { additionalProperties: false },
      ),
      {
        description: 'The most frequent values first (ties by value); trials without a value are not counted',
      },
    ),
    total: Type.Integer({ minimum: 0, description: 'Trials the query selects, with or without a value' }),
  },
  { additionalProperties: false },
);
