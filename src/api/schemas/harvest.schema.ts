/** Harvest runs. */
import { Type } from 'typebox';
import { SOURCE_IDS } from '../../domain/trial.types.js';
import { CursorParam, FreeObject, IsoTime, LimitParam, Nullable, StringEnum } from './common.schema.js';

export const HARVEST_LIMIT_CAP = 100;
export const HARVEST_LIMIT_DEFAULT = 20;
export const HARVEST_STATUSES = [
  'running',
  'succeeded',
  'partial',
  'failed',
  'skipped',
  'interrupted',
  'abandoned',
] as const;

export const HarvestRunSchema = Type.Object(
  {
    id: Type.Integer(),
    source: Type.String(),
    mode: StringEnum(['full', 'incremental'] as const),
    trigger: StringEnum(['schedule', 'manual', 'import', 'bootstrap'] as const),
    status: StringEnum(HARVEST_STATUSES),
    startedAt: IsoTime,
    finishedAt: Nullable(IsoTime),
    heartbeatAt: IsoTime,
    fetched: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    removed: Type.Integer(),
    restored: Type.Integer(),
    skipped: Type.Integer(),
    skippedReasons: Type.Array(Type.Object({ id: Nullable(Type.String()), reason: Type.String() }), {
      description: 'Why records were skipped (capped; `skipped` is exact)',
    }),
    errorCode: Nullable(Type.String()),
    errorMessage: Nullable(Type.String()),
    info: FreeObject('Source-specific facts (dataset version, upstream total, …)'),
  },
  { additionalProperties: false },
);

export const HarvestListQuery = Type.Object(
  {
    source: Type.Optional(StringEnum(SOURCE_IDS)),
    status: Type.Optional(StringEnum(HARVEST_STATUSES)),
    limit: Type.Optional(LimitParam(HARVEST_LIMIT_CAP, HARVEST_LIMIT_DEFAULT)),
    cursor: Type.Optional(CursorParam),
  },
  { additionalProperties: false },
);

export const HarvestListSchema = Type.Object(
  {
    items: Type.Array(HarvestRunSchema, { description: 'Newest first' }),
    nextCursor: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
