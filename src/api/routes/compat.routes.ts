/**
 * The original brief's two routes, kept working with its exact envelopes (snake_case, `RESULT`,
 * `MESSAGE`): read one record by its number, and the records changed within the last 7 days paged
 * by skip/limit. Korean records fill every field from the registry's own columns; other sources
 * fill what the common model has.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { readTrialDoc } from '../../services/trial.service.js';
import type { TrialService } from '../../services/trial.service.js';
import type { TrialRecord } from '../../domain/trial-read.types.js';
import { errorResponses, jsonResponse, NoQuery } from '../schemas/common.schema.js';
import {
  COMPAT_LIMIT_DEFAULT,
  CompatListQuery,
  CompatListSchema,
  CompatNoDataSchema,
  CompatNotListSchema,
  CompatSearchParams,
  CompatSearchSchema,
} from '../schemas/compat.schema.js';

export interface CompatRoutesOptions {
  trials: TrialService;
}

/** Korea has no daylight saving time: a fixed +9 h gives Korean wall-clock time. */
const KOREA_OFFSET_MS = 9 * 60 * 60 * 1000;

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** The brief's time format, `2021.11.15 02:08:55`, in Korea time. */
export function briefTime(epochMs: number): string {
  const date = new Date(epochMs + KOREA_OFFSET_MS);
  return (
    `${date.getUTCFullYear()}.${two(date.getUTCMonth() + 1)}.${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  );
}

export function compatRecord(trial: TrialRecord): Static<typeof CompatSearchSchema>['RESULT'] {
  const { fields, sourceFields } = readTrialDoc(trial.docJson);
  const upstream =
    typeof sourceFields.upstream === 'object' && sourceFields.upstream !== null
      ? (sourceFields.upstream as Record<string, unknown>)
      : {};
  // An empty cell is "no value", as the brief's lookup tables stored it (NULL).
  const column = (name: string): string | null => {
    const value = upstream[name];
    return typeof value === 'string' && value.trim() !== '' ? value : null;
  };
  return {
    research_number: trial.id,
    research_name: column('과제명') ?? fields.title,
    research_subject_count: fields.enrollment,
    research_period: column('연구기간'),
    research_created_at: briefTime(trial.firstSeenAt),
    research_updated_at: briefTime(trial.lastChangedAt),
    department_name: column('진료과') ?? fields.department,
    hospital_name: column('연구책임기관') ?? fields.institution,
    type_name: column('연구종류') ?? fields.studyType,
    scope_name: column('연구범위'),
    stage_name: column('임상시험단계(연구모형)') ?? fields.phase,
  };
}

export const compatRoutes: FastifyPluginCallbackTypebox<CompatRoutesOptions> = (app, { trials }, done) => {
  app.get(
    '/api/search/:number',
    {
      schema: {
        tags: ['compat'],
        summary: "The brief's read-one route",
        description:
          'One record by its number (과제번호), in the brief\'s envelope. 404 `{"MESSAGE":"NOT LIST"}` when unknown.',
        params: CompatSearchParams,
        querystring: NoQuery,
        response: {
          200: jsonResponse('The record', CompatSearchSchema),
          404: jsonResponse('No record has this number', CompatNotListSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER'),
        },
      },
    },
    async (request, reply) => {
      const trial = await trials.find(request.params.number);
      if (trial === undefined) return reply.code(404).send({ MESSAGE: 'NOT LIST' });
      return { RESULT: compatRecord(trial) };
    },
  );

  app.get(
    '/api/list',
    {
      schema: {
        tags: ['compat'],
        summary: "The brief's changed-within-a-week list",
        description: `Records changed within the last 7 days, most recent change first, paged by \`skip\` and \`limit\` (default ${COMPAT_LIMIT_DEFAULT}). 404 \`{"MESSAGE":"NO DATA"}\` when the page is empty.`,
        querystring: CompatListQuery,
        response: {
          200: jsonResponse('The records', CompatListSchema),
          404: jsonResponse('Nothing changed within 7 days (or skip is past the end)', CompatNoDataSchema),
          ...errorResponses('VALIDATION_FAILED', 'UNKNOWN_PARAMETER'),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const records = await trials.recentlyChanged(query.skip ?? 0, query.limit ?? COMPAT_LIMIT_DEFAULT);
      if (records.length === 0) return reply.code(404).send({ MESSAGE: 'NO DATA' });
      return { RESULT: records.map(compatRecord) };
    },
  );
  done();
};
