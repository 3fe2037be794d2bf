/** Typed changes (issue 17), as change events and versions show them. */
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import { Nullable, StringEnum } from './common.schema.js';

/** A text in English and Korean; `description` says what text. */
export const localized = (description = 'In English and Korean') =>
  Type.Object({ en: Type.String(), ko: Type.String() }, { additionalProperties: false, description });

export const LocalizedSchema = localized();

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
    fromLabel: Type.Optional(
      Nullable(
        localized(
          'Status changes (`field` `status`) and design changes of `phase` or `studyType`: the English and Korean label of the code in `from` (null when there was none)',
        ),
      ),
    ),
    toLabel: Type.Optional(Nullable(localized('As `fromLabel`, of the code in `to`'))),
    added: Type.Optional(Type.Array(Type.String(), { description: 'List types: names added' })),
    removed: Type.Optional(Type.Array(Type.String(), { description: 'List types: names removed' })),
    whyStopped: Type.Optional(
      Type.String({ description: "ClinicalTrials.gov's reason, with a status change" }),
    ),
    summary: LocalizedSchema,
  },
  { additionalProperties: false },
);

/**
 * The labels of a trial's codes, beside `fields` (null where the field has no code; a code the
 * vocabulary does not know is its own label).
 */
export const CodeLabelsSchema = Type.Object(
  {
    status: Nullable(localized('Of `fields.status`, e.g. `{"en":"Recruiting","ko":"모집 중"}`')),
    phase: Nullable(localized('Of `fields.phase`, e.g. `{"en":"Phase 1/2","ko":"1/2상"}`')),
    studyType: Nullable(localized('Of `fields.studyType`')),
  },
  {
    additionalProperties: false,
    description: 'English and Korean labels of the status, phase and study-type codes',
  },
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
