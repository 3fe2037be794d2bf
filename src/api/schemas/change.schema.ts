/** The change feed. */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import { classificationProperties } from './typed-change.schema.js';
import { SOURCE_IDS } from '../../domain/trial.types.js';
import { CursorParam, IsoTime, LimitParam, Nullable, StringEnum } from './common.schema.js';
import { CHANGE_KINDS, TRIAL_FORMATS, TrialFilterProperties } from './trial.schema.js';

export const CHANGE_LIMIT_CAP = 1000;
export const CHANGE_LIMIT_DEFAULT = 100;
/** Entries per feed page (Atom, JSON Feed, RSS): default and cap. */
export const FEED_LIMIT_DEFAULT = 50;
export const FEED_LIMIT_CAP = 200;
export const CHANGE_FORMATS = [...TRIAL_FORMATS, 'atom', 'jsonfeed', 'rss'] as const;

/** The content filters of `/api/v1/trials`, for the changes of the trials that match them now. */
const contentProperties = {
  q: TrialFilterProperties.q,
  status: TrialFilterProperties.status,
  phase: TrialFilterProperties.phase,
  studyType: TrialFilterProperties.studyType,
  institution: TrialFilterProperties.institution,
  department: TrialFilterProperties.department,
  condition: TrialFilterProperties.condition,
  country: TrialFilterProperties.country,
  enrollmentMin: TrialFilterProperties.enrollmentMin,
  enrollmentMax: TrialFilterProperties.enrollmentMax,
  hasResults: TrialFilterProperties.hasResults,
  minAge: TrialFilterProperties.minAge,
  maxAge: TrialFilterProperties.maxAge,
  sex: TrialFilterProperties.sex,
  startFrom: TrialFilterProperties.startFrom,
  startTo: TrialFilterProperties.startTo,
  completionFrom: TrialFilterProperties.completionFrom,
  completionTo: TrialFilterProperties.completionTo,
  recruiting: TrialFilterProperties.recruiting,
  sponsorClass: TrialFilterProperties.sponsorClass,
  near: TrialFilterProperties.near,
  radius: TrialFilterProperties.radius,
  siteStatus: TrialFilterProperties.siteStatus,
};
export type ChangeContentKey = keyof typeof contentProperties;
export const CHANGE_CONTENT_FILTERS = Object.keys(contentProperties) as ChangeContentKey[];

export const ChangeListQuery = Type.Object(
  {
    ...contentProperties,
    cursor: Type.Optional(CursorParam),
    limit: Type.Optional(
      LimitParam(
        CHANGE_LIMIT_CAP,
        CHANGE_LIMIT_DEFAULT,
        ` With an export format: the most events to export (default: all). With a feed format: entries per page, 1…${FEED_LIMIT_CAP} (default ${FEED_LIMIT_DEFAULT}).`,
      ),
    ),
    format: Type.Optional(
      StringEnum(CHANGE_FORMATS, {
        description:
          'json (a page), or csv / ndjson: every matching event after the cursor, streamed (`Accept: text/csv` or `application/x-ndjson` do the same); or a feed, newest first: atom (Atom 1.0, `Accept: application/atom+xml`), jsonfeed (JSON Feed 1.1, `application/feed+json`), rss (RSS 2.0, `application/rss+xml`).',
      }),
    ),
    source: Type.Optional(StringEnum(SOURCE_IDS, { description: 'Only events of this source' })),
    type: Type.Optional(
      Type.String({
        maxLength: 400,
        description: `Only events with a change of one of these types (comma list): ${CHANGE_TYPES.join(', ')}`,
      }),
    ),
    material: Type.Optional(
      Type.Boolean({
        description:
          '`true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping',
      }),
    ),
    since: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only events at or after this ISO 8601 time (with a zone)' }),
    ),
    until: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only events before this ISO 8601 time (with a zone)' }),
    ),
    trial: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Only events of this trial (its registry id)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type ChangeListQueryType = Static<typeof ChangeListQuery>;

export const ChangeEventSchema = Type.Object(
  {
    seq: Type.Integer({ description: 'Position in the feed (increasing, may have gaps)' }),
    trialId: Type.String(),
    source: Type.String(),
    version: Type.Integer({ description: 'The version the trial has after this event' }),
    kind: StringEnum(CHANGE_KINDS),
    paths: Type.Array(Type.String(), { description: 'Changed paths (updated events)' }),
    occurredAt: IsoTime,
    runId: Nullable(Type.Integer({ description: 'The harvest run that recorded it' })),
    ...classificationProperties,
  },
  { additionalProperties: false },
);

export const ChangeListSchema = Type.Object(
  {
    items: Type.Array(ChangeEventSchema),
    nextCursor: Type.String({
      description:
        'Resume from here, now or later: always present, so a client can poll with its last cursor',
    }),
    hasMore: Type.Boolean({ description: 'Whether more events are already waiting' }),
  },
  { additionalProperties: false },
);
