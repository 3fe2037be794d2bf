/** Admin: start a harvest. */
import { Type } from 'typebox';
import { SOURCE_IDS } from '../../domain/trial.types.js';
import { StringEnum } from './common.schema.js';

export const StartHarvestBody = Type.Object(
  {
    source: StringEnum(SOURCE_IDS, { description: 'The source to harvest' }),
    mode: Type.Optional(
      StringEnum(['incremental', 'full'] as const, {
        description: 'incremental (default; a full listing where the source has no incremental mode) or full',
        default: 'incremental',
      }),
    ),
  },
  { additionalProperties: false },
);

export const StartedHarvestSchema = Type.Object(
  {
    runId: Type.Integer({ description: 'The run; follow it at /api/v1/harvests/{runId}' }),
    source: Type.String(),
    mode: StringEnum(['incremental', 'full'] as const),
    status: StringEnum(['running'] as const),
  },
  { additionalProperties: false },
);
