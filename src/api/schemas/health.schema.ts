/** Operations endpoints. */
import { Type } from 'typebox';
import { StringEnum } from './common.schema.js';

export const HealthSchema = Type.Object(
  { status: StringEnum(['ok'] as const) },
  { additionalProperties: false },
);
