/** Typed changes (issue 17), as change events and versions show them. */
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import { Nullable, StringEnum } from './common.schema.js';

export const LocalizedSchema = Type.Object(
  { en: Type.String(), ko: Type.String() },
  { additionalProperties: false, description: 'In English and Korean' },
);

export const TypedChangeSchema = Type.Object(
  {
    type: StringEnum(CHANGE_TYPES, {
      description:
        '`registry` is bookkeeping only (last-update dates, derived MeSH data); `other` any content change no other type covers',
    }),
    field: Type.String({ description: 'Which field of the type (`status`, `completion`, `phase`, …)' }),
    from: Type.Unknown({
      description: 'The value before: a code, a count, or an object such as `{count, type}`',
    }),
    to: Type.Unknown({ description: 'The value after' }),
    added: Type.Optional(Type.Array(Type.String(), { description: 'List types: names added' })),
    removed: Type.Optional(Type.Array(Type.String(), { description: 'List types: names removed' })),
    whyStopped: Type.Optional(
      Type.String({ description: "ClinicalTrials.gov's reason, with a status change" }),
    ),
    summary: LocalizedSchema,
  },
  { additionalProperties: false },
);

/** The typed-change properties of an event or a version. */
export const classificationProperties = {
  changes: Type.Array(TypedChangeSchema, {
    description: 'What an update changed, typed (empty for created, removed and restored)',
  }),
  material: Nullable(
    Type.Boolean({
      description: 'False when every change is registry bookkeeping; null: not classified yet',
    }),
  ),
  summary: Nullable(LocalizedSchema),
};
