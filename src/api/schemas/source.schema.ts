/** Sources (registries). */
import { Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.js';
import { HarvestRunSchema } from './harvest.schema.js';

export const SourceParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$', description: 'Source id' }) },
  { additionalProperties: false },
);

export const SourceSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    enabled: Type.Boolean({ description: 'Listed in SOURCES' }),
    configured: Type.Boolean({ description: 'Every setting it needs is present' }),
    missing: Type.Array(Type.String(), {
      description: 'Settings that keep it from running (names, never values)',
    }),
    schedule: Type.String({ description: 'Cron expression of the scheduled harvest' }),
    timeZone: Type.String(),
    nextRunAt: Nullable(IsoTime),
    trials: Type.Object(
      { total: Type.Integer(), active: Type.Integer(), removed: Type.Integer() },
      { additionalProperties: false },
    ),
    lastRun: Nullable(HarvestRunSchema),
    lastSuccessAt: Nullable(IsoTime),
  },
  { additionalProperties: false },
);

export const SourceListSchema = Type.Object(
  { items: Type.Array(SourceSchema) },
  { additionalProperties: false },
);
