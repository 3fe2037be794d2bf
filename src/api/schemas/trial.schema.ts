/** Trials: one trial, the list and its exports, and the version history. */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { CHANGE_TYPES } from '../../domain/change.types.js';
import type { LabelledCode } from '../../domain/labels.js';
import { knownCodes } from '../../domain/labels.js';
import { SOURCE_IDS } from '../../domain/trial.types.js';
import { DATE_SORTS } from '../../domain/trial-read.types.js';
import { SEXES, SPONSOR_CLASSES } from '../../domain/trial-filter-values.js';
import { SEARCH_MAX_LENGTH, SEARCH_MAX_TERMS } from '../../services/search-query.js';
import { CursorParam, FreeObject, IsoTime, LimitParam, Nullable, StringEnum } from './common.schema.js';
import { classificationProperties, CodeLabelsSchema } from './typed-change.schema.js';

export const TRIAL_LIMIT_CAP = 1000;
export const TRIAL_LIMIT_DEFAULT = 20;
export const TRIAL_SORTS = [
  'relevance',
  '-lastChangedAt',
  'id',
  '-sourceUpdatedAt',
  'distance',
  ...DATE_SORTS,
] as const;
export const TRIAL_FORMATS = ['json', 'csv', 'ndjson'] as const;
export const CHANGE_KINDS = ['created', 'updated', 'removed', 'restored'] as const;

/** Registry ids: `C130011`, `NCT01234567`, `KCT0001234`, … */
export const TrialId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'The registry id (e.g. C130011, NCT01234567, KCT0001234)',
});

export const TrialParams = Type.Object({ id: TrialId }, { additionalProperties: false });

export const TrialFieldsSchema = Type.Object(
  {
    title: Nullable(Type.String()),
    titleEn: Nullable(Type.String()),
    officialTitle: Nullable(Type.String()),
    acronym: Nullable(Type.String()),
    status: Nullable(Type.String({ description: 'Upper-case code, e.g. RECRUITING' })),
    phase: Nullable(Type.String({ description: 'PHASE1…PHASE4, EARLY_PHASE1, NA, or a design code' })),
    studyType: Nullable(Type.String({ description: 'OBSERVATIONAL, INTERVENTIONAL, …' })),
    institution: Nullable(Type.String()),
    department: Nullable(Type.String()),
    conditions: Type.Array(Type.String()),
    keywords: Type.Array(Type.String()),
    interventions: Type.Array(Type.Object({ type: Nullable(Type.String()), name: Type.String() })),
    enrollment: Nullable(Type.Integer({ description: 'Target or actual participants' })),
    countries: Type.Array(Type.String()),
    hasResults: Nullable(Type.Boolean()),
    secondaryIds: Type.Array(Type.Object({ id: Type.String(), type: Nullable(Type.String()) })),
    sourceUpdatedAt: Nullable(Type.String({ description: "The registry's own last-update date (ISO 8601)" })),
  },
  { description: 'The common trial model every source maps to' },
);

export const TrialLinkSchema = Type.Object(
  {
    id: Type.String({ description: "The other registry's id of the same study" }),
    source: Nullable(Type.String({ description: 'Its source (from the mirror, or from the id format)' })),
    relation: Type.String({
      description:
        '`secondary-id`: this trial lists the other among its secondary ids; `named-by`: the other trial lists this one',
    }),
    mirrored: Type.Boolean({ description: 'Whether the other trial is in this mirror' }),
  },
  { additionalProperties: false },
);

const resolvedFromProperty = Type.Optional(
  Type.String({
    description:
      'Present when the id asked for is an old id the registry merged into this trial (ClinicalTrials.gov `nctIdAliases`): that id. The `Content-Location` header then names the current one.',
  }),
);

export const TrialSchema = Type.Object(
  {
    id: Type.String(),
    source: Type.String(),
    registryUrl: Nullable(
      Type.String({
        description:
          "The record's page on its registry: ClinicalTrials.gov's study page, CRIS's search by registration number (its record pages are addressed by an internal number the Open API does not give), or the data.go.kr dataset page for kr-icreat (no page per record)",
      }),
    ),
    version: Type.Integer({ minimum: 1, description: 'Current version number (1, 2, …)' }),
    firstSeenAt: IsoTime,
    lastSeenAt: IsoTime,
    lastChangedAt: IsoTime,
    removedAt: Nullable(IsoTime),
    sourceUpdatedAt: Nullable(
      Type.String({ description: "The registry's own last-update date, where published" }),
    ),
    fields: TrialFieldsSchema,
    sourceFields: FreeObject("The source's own fields: upstream values as given, plus normalised companions"),
    labels: CodeLabelsSchema,
    raw: Type.Optional(
      Type.Unknown({ description: 'The upstream record as the registry sent it (`include=raw`)' }),
    ),
    links: Type.Optional(
      Type.Array(TrialLinkSchema, {
        description:
          'The same study in other registries, found through secondary ids in either record (one trial only, not in lists)',
      }),
    ),
    resolvedFrom: resolvedFromProperty,
    nearestSite: Type.Optional(
      Type.Object(
        {
          name: Nullable(Type.String()),
          city: Nullable(Type.String()),
          country: Nullable(Type.String()),
          distanceKm: Type.Number({
            minimum: 0,
            description: 'Great-circle distance from the `near` centre, km',
          }),
        },
        {
          additionalProperties: false,
          description: 'With `near`: the closest of its sites that match (list items and exports only)',
        },
      ),
    ),
    lastChange: Type.Optional(
      Type.Object(
        {
          seq: Type.Integer({ minimum: 1, description: 'Its position in the change feed' }),
          kind: StringEnum(CHANGE_KINDS),
          occurredAt: IsoTime,
          types: Type.Array(StringEnum(CHANGE_TYPES), {
            description: 'The types of its changes (empty for created, removed and restored)',
          }),
          material: classificationProperties.material,
          summary: classificationProperties.summary,
        },
        {
          additionalProperties: false,
          description: 'The latest change event of the trial, in short (list items and exports only)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const TrialGetQuery = Type.Object(
  {
    include: Type.Optional(StringEnum(['raw'], { description: '`raw` adds the upstream record as sent' })),
  },
  { additionalProperties: false },
);

const codeList = (what: string, kind: LabelledCode) =>
  Type.String({
    minLength: 1,
    maxLength: 400,
    pattern: '^[A-Za-z0-9_/]+(,[A-Za-z0-9_/]+){0,19}$',
    description: `${what} code(s), comma-separated for any of several (case-insensitive; joined codes such as \`PHASE1/PHASE2\` as the facets list them). One of ${knownCodes(kind).join(', ')}${kind === 'phase' ? ', or phases joined by `/`' : ''}; any other is a 400 naming these.`,
  });

/** Text without control characters (PostgreSQL refuses NUL in text; none belongs in a value). */
const NO_CONTROL = '^[^\\u0000-\\u001f\\u007f]*$';

/** The oldest age `minAge` and `maxAge` take (years). */
export const MAX_AGE = 150;

/** A calendar date; its being a real one, and the order of a range, are checked by the parser. */
const dateParam = (description: string) =>
  Type.String({
    maxLength: 10,
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    description: `${description}. A month or year the registry gives alone counts as its first day (\`2020-05\`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400.`,
  });

/** The filters of a trial query, shared by the list and the facets. */
export const TrialFilterProperties = {
  q: Type.Optional(
    Type.String({
      maxLength: SEARCH_MAX_LENGTH,
      description: [
        `Search, at most ${SEARCH_MAX_LENGTH} characters and ${SEARCH_MAX_TERMS} terms; every term must match.`,
        'Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids;',
        'then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures.',
        'English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`);',
        'Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식");',
        'words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly.',
        '`"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise.',
        'Longer than the limit, or nothing to search for: 400.',
      ].join(' '),
    }),
  ),
  updatedWithin: Type.Optional(
    Type.String({
      pattern: '^[1-9][0-9]{0,5}[mhd]$',
      description:
        'Changed within this period before now: minutes, hours or days, e.g. `30m`, `24h`, `7d` (the brief\'s "last week")',
    }),
  ),
  updatedSince: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'Changed at or after this ISO 8601 time (`2024-05-01` or `2024-05-01T09:00:00+09:00`)',
    }),
  ),
  source: Type.Optional(StringEnum(SOURCE_IDS, { description: 'Only this source' })),
  includeRemoved: Type.Optional(Type.Boolean({ description: 'Include trials the registry no longer lists' })),
  status: Type.Optional(codeList('Status', 'status')),
  phase: Type.Optional(codeList('Phase', 'phase')),
  studyType: Type.Optional(codeList('Study type', 'studyType')),
  institution: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: NO_CONTROL, description: 'Exact institution' }),
  ),
  department: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: NO_CONTROL, description: 'Exact department' }),
  ),
  condition: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 300,
      pattern: NO_CONTROL,
      description:
        "One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them",
    }),
  ),
  country: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: NO_CONTROL,
      description: "One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea`",
    }),
  ),
  enrollmentMin: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'At least this many participants' }),
  ),
  enrollmentMax: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'At most this many participants' }),
  ),
  hasResults: Type.Optional(Type.Boolean({ description: 'Whether the registry has posted results' })),
  minAge: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_AGE,
      description:
        'Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400.',
    }),
  ),
  maxAge: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_AGE,
      description:
        'Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old.',
    }),
  ),
  sex: Type.Optional(
    StringEnum(SEXES, {
      description:
        'Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches.',
    }),
  ),
  startFrom: Type.Optional(dateParam('Started on or after this date (`YYYY-MM-DD`, inclusive)')),
  startTo: Type.Optional(dateParam('Started on or before this date (`YYYY-MM-DD`, inclusive)')),
  completionFrom: Type.Optional(
    dateParam('Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive)'),
  ),
  completionTo: Type.Optional(
    dateParam('Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive)'),
  ),
  recruiting: Type.Optional(
    Type.Boolean({
      description:
        '`true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too.',
    }),
  ),
  sponsorClass: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[A-Za-z_]+(,[A-Za-z_]+){0,9}$',
      description: `ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): ${SPONSOR_CLASSES.join(', ')} (\`OTHER_GOV\`: other government, \`INDIV\`: individual, \`NETWORK\`: a network, \`AMBIG\`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400.`,
    }),
  ),
  changeType: Type.Optional(
    Type.String({
      maxLength: 400,
      description: `Only trials with a change of one of these types (comma list: ${CHANGE_TYPES.join(', ')}); with \`updatedWithin\` or \`updatedSince\`, a change in that window (\`updatedWithin=7d&changeType=status\`: the trials whose status changed this week)`,
    }),
  ),
  near: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: NO_CONTROL,
      description: [
        'Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the',
        "mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates.",
        'Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS)',
        'give none, so their trials never match `near` (find them with `q`, `institution` or `country`).',
        'Items then carry `nearestSite`; `sort=distance` orders by it.',
        'Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in',
        '`details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names.',
      ].join(' '),
    }),
  ),
  radius: Type.Optional(
    Type.String({
      maxLength: 20,
      description:
        'With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`.',
    }),
  ),
  siteStatus: Type.Optional(
    codeList('With `near`, only sites of this recruitment status count: site status', 'status'),
  ),
  linkedTo: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description:
        'Only trials linked to this id (the same study in another registry, either direction); a merged id counts as the trial it was merged into',
    }),
  ),
};

export const TrialFilterQuery = Type.Object(TrialFilterProperties);
/** The filter parameters of a trial query (list, export, facets), as the schema validated them. */
export type TrialFilterQueryType = Static<typeof TrialFilterQuery>;

export const TrialListQuery = Type.Object(
  {
    ...TrialFilterProperties,
    sort: Type.Optional(
      StringEnum(TRIAL_SORTS, {
        description:
          '`relevance` (default with `q`: trials whose title holds every term first, then the official title, then conditions and keywords, then interventions, sponsors, sites and ids, then the summaries, descriptions, eligibility criteria and outcome measures; most recently changed first within each tier; without `q` the same as `-lastChangedAt`), `-lastChangedAt` (default without `q`: most recently changed first), `id`, or `-sourceUpdatedAt` (registry date, undated last), or `distance` (with `near`: nearest site first, then by id), or `startDate` / `-startDate` / `completionDate` / `-completionDate` (by the start or completion date, earliest or, with `-`, latest first; ties by id; trials without the date last)',
      }),
    ),
    limit: Type.Optional(
      LimitParam(
        TRIAL_LIMIT_CAP,
        TRIAL_LIMIT_DEFAULT,
        ' With an export format: the most rows to export (default: all).',
      ),
    ),
    cursor: Type.Optional(CursorParam),
    count: Type.Optional(Type.Boolean({ description: 'Add `total` (exports: the `X-Total-Count` header)' })),
    format: Type.Optional(
      StringEnum(TRIAL_FORMATS, {
        description:
          'json (a page), or csv / ndjson: the whole filtered result, streamed. `Accept: text/csv` or `application/x-ndjson` do the same.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TrialListQueryType = Static<typeof TrialListQuery>;

export const TrialListSchema = Type.Object(
  {
    items: Type.Array(TrialSchema),
    nextCursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last' }),
    ),
    total: Type.Optional(Type.Integer({ minimum: 0, description: 'Rows in the whole walk (`count=true`)' })),
  },
  { additionalProperties: false },
);

const FieldChangeSchema = Type.Object(
  {
    path: Type.String({
      description: 'Dotted path in the upstream record, e.g. `protocolSection.statusModule`',
    }),
    old: Type.Optional(Type.Unknown({ description: 'Absent when the path did not exist before' })),
    new: Type.Optional(Type.Unknown({ description: 'Absent when the path no longer exists' })),
  },
  { additionalProperties: false },
);

const VersionEventSchema = Type.Object(
  { seq: Type.Integer(), kind: StringEnum(CHANGE_KINDS), occurredAt: IsoTime },
  { additionalProperties: false },
);

const versionProperties = {
  version: Type.Integer({ minimum: 1 }),
  observedAt: IsoTime,
  kind: StringEnum(['created', 'updated', 'restored'] as const, {
    description: 'How the version came about',
  }),
  contentHash: Type.String({ description: 'SHA-256 of the canonical upstream record' }),
  sourceUpdatedAt: Nullable(Type.String()),
  runId: Nullable(Type.Integer()),
  diff: Nullable(
    Type.Array(FieldChangeSchema, { description: 'Against the previous version; null for version 1' }),
  ),
  events: Type.Array(VersionEventSchema, { description: 'Change events pointing at this version' }),
  ...classificationProperties,
};

export const TrialVersionSummarySchema = Type.Object(versionProperties, { additionalProperties: false });

export const TrialVersionListSchema = Type.Object(
  {
    trialId: Type.String(),
    source: Type.String(),
    currentVersion: Type.Integer(),
    items: Type.Array(TrialVersionSummarySchema),
    resolvedFrom: resolvedFromProperty,
  },
  { additionalProperties: false },
);

export const TrialVersionParams = Type.Object(
  { id: TrialId, n: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Version number' }) },
  { additionalProperties: false },
);

export const TrialVersionSchema = Type.Object(
  {
    trialId: Type.String(),
    source: Type.String(),
    current: Type.Boolean({ description: 'Whether this is the current version' }),
    ...versionProperties,
    fields: Nullable(TrialFieldsSchema),
    sourceFields: Nullable(FreeObject("The source's own fields of this version")),
    labels: Nullable(CodeLabelsSchema),
    raw: Type.Unknown({ description: 'The upstream record of this version as the registry sent it' }),
    resolvedFrom: resolvedFromProperty,
  },
  { additionalProperties: false },
);
