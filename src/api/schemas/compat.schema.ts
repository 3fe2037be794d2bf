/**
 * The original brief's routes, with its exact envelopes: `{"RESULT": …}` on success and
 * `{"MESSAGE": "NOT LIST" | "NO DATA"}` with 404 when there is nothing (snake_case on purpose).
 */
import { Type } from 'typebox';
import { Nullable, StringEnum } from './common.schema.js';

export const COMPAT_LIMIT_CAP = 1000;
export const COMPAT_LIMIT_DEFAULT = 100;
export const COMPAT_SKIP_CAP = 1_000_000;

export const CompatRecordSchema = Type.Object(
  {
    research_number: Type.String({ description: '과제번호 (the registry id)' }),
    research_name: Nullable(Type.String({ description: '과제명' })),
    research_subject_count: Nullable(Type.Integer({ description: '전체목표연구대상자수' })),
    research_period: Nullable(Type.String({ description: '연구기간' })),
    research_created_at: Type.String({ description: 'First seen, `YYYY.MM.DD HH:mm:ss` (Korea time)' }),
    research_updated_at: Type.String({ description: 'Last changed, `YYYY.MM.DD HH:mm:ss` (Korea time)' }),
    department_name: Nullable(Type.String({ description: '진료과' })),
    hospital_name: Nullable(Type.String({ description: '연구책임기관' })),
    type_name: Nullable(Type.String({ description: '연구종류' })),
    scope_name: Nullable(Type.String({ description: '연구범위' })),
    stage_name: Nullable(Type.String({ description: '임상시험단계(연구모형)' })),
  },
  { additionalProperties: false },
);

export const CompatSearchParams = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 64, description: '과제번호, e.g. C130011' }) },
  { additionalProperties: false },
);

export const CompatSearchSchema = Type.Object(
  { RESULT: CompatRecordSchema },
  { additionalProperties: false },
);

export const CompatListQuery = Type.Object(
  {
    skip: Type.Optional(
      Type.Integer({ minimum: 0, maximum: COMPAT_SKIP_CAP, description: 'Records to skip (default 0)' }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: COMPAT_LIMIT_CAP,
        description: `Records to return, 1…${COMPAT_LIMIT_CAP} (default ${COMPAT_LIMIT_DEFAULT})`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const CompatListSchema = Type.Object(
  { RESULT: Type.Array(CompatRecordSchema) },
  { additionalProperties: false },
);

export const CompatNotListSchema = Type.Object(
  { MESSAGE: StringEnum(['NOT LIST'] as const) },
  { additionalProperties: false },
);

export const CompatNoDataSchema = Type.Object(
  { MESSAGE: StringEnum(['NO DATA'] as const) },
  { additionalProperties: false },
);
