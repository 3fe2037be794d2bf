/**
 * An example of every 2xx answer in the OpenAPI document, by operationId, status and media type:
 * what the app answers for a ClinicalTrials.gov trial whose status changed, a harvest run, a
 * webhook endpoint and its deliveries, the compat envelopes, and the text formats (CSV, NDJSON,
 * feeds, metrics). Typed with the schemas' static types, and checked against the published schemas
 * by test/api/openapi-examples.api.test.ts (which also fails on a 2xx answer without one).
 */
import type { Static } from 'typebox';
import type { StartedHarvestSchema } from './admin.schema.js';
import type { ChangeEventSchema, ChangeListSchema } from './change.schema.js';
import type { CompatListSchema, CompatRecordSchema, CompatSearchSchema } from './compat.schema.js';
import type { FacetListSchema } from './facet.schema.js';
import type { HarvestListSchema, HarvestRunSchema } from './harvest.schema.js';
import type { HealthSchema } from './health.schema.js';
import type { PlaceListSchema, TrialSiteListSchema } from './site.schema.js';
import type { SourceListSchema, SourceSchema } from './source.schema.js';
import type {
  TrialListSchema,
  TrialSchema,
  TrialVersionListSchema,
  TrialVersionSchema,
  TrialVersionSummarySchema,
} from './trial.schema.js';
import type { TypedChangeSchema } from './typed-change.schema.js';
import type {
  CreatedWebhookSchema,
  DeliveryListSchema,
  DeliverySchema,
  RotatedSecretSchema,
  WebhookListSchema,
  WebhookSchema,
} from './webhook.schema.js';

const NCT = 'NCT05102630';
const CHANGED_AT = '2024-06-03T05:12:41.000Z';
const CURSOR = 'eyJrIjoidHJpYWxzIiwicCI6eyJzIjoxNDgsInQiOiIyMDI0LTA2LTAzIn19.Hq3aZ0c9c8Q2k1XbZ5mY0w';

const STATUS_CHANGE: Static<typeof TypedChangeSchema> = {
  type: 'status',
  field: 'status',
  from: 'RECRUITING',
  to: 'ACTIVE_NOT_RECRUITING',
  fromLabel: { en: 'Recruiting', ko: '모집 중' },
  toLabel: { en: 'Active, not recruiting', ko: '진행 중(모집 완료)' },
  summary: {
    en: 'Status: Recruiting → Active, not recruiting',
    ko: '상태: 모집 중 → 진행 중(모집 완료)',
  },
};

const ENROLLMENT_CHANGE: Static<typeof TypedChangeSchema> = {
  type: 'enrollment',
  field: 'enrollment',
  from: { count: 400, type: 'ESTIMATED' },
  to: { count: 412, type: 'ACTUAL' },
  summary: { en: 'Enrollment: 400 (estimated) → 412 (actual)', ko: '대상자 수: 400 (예정) → 412 (실제)' },
};

const EVENT_SUMMARY = {
  en: 'Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)',
  ko: '상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)',
};

export const TRIAL_EXAMPLE: Static<typeof TrialSchema> = {
  id: NCT,
  source: 'ctgov',
  registryUrl: `https://clinicaltrials.gov/study/${NCT}`,
  version: 4,
  firstSeenAt: '2024-03-04T05:10:02.000Z',
  lastSeenAt: '2024-06-04T05:11:57.000Z',
  lastChangedAt: CHANGED_AT,
  removedAt: null,
  sourceUpdatedAt: '2024-05-31',
  fields: {
    title: 'Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma',
    titleEn: 'Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma',
    officialTitle:
      'A Randomized, Open-label, Multicenter Study of As-needed Budesonide-Formoterol Compared With Maintenance Budesonide Plus As-needed Terbutaline in Adults With Mild Asthma',
    acronym: 'BREEZE',
    status: 'ACTIVE_NOT_RECRUITING',
    phase: 'PHASE3',
    studyType: 'INTERVENTIONAL',
    institution: 'Seoul National University Hospital',
    department: null,
    conditions: ['Asthma'],
    keywords: ['inhaled corticosteroid', 'reliever therapy'],
    interventions: [
      { type: 'DRUG', name: 'Budesonide-formoterol' },
      { type: 'DRUG', name: 'Budesonide' },
    ],
    enrollment: 412,
    countries: ['South Korea'],
    hasResults: false,
    secondaryIds: [{ id: 'KCT0006789', type: 'REGISTRY' }],
    sourceUpdatedAt: '2024-05-31',
  },
  sourceFields: {
    nctIdAliases: [],
    overallStatus: 'ACTIVE_NOT_RECRUITING',
    whyStopped: null,
    phases: ['PHASE3'],
    enrollment: { count: 412, type: 'ACTUAL', reported: 412 },
    leadSponsor: { name: 'Seoul National University Hospital', class: 'OTHER' },
  },
  labels: {
    status: { en: 'Active, not recruiting', ko: '진행 중(모집 완료)' },
    phase: { en: 'Phase 3', ko: '3상' },
    studyType: { en: 'Interventional', ko: '중재 연구' },
  },
  links: [{ id: 'KCT0006789', source: 'cris', relation: 'secondary-id', mirrored: true }],
};

/** A list item: no `links`, with the latest change in short. */
const TRIAL_ITEM_EXAMPLE: Static<typeof TrialSchema> = {
  ...(({ links: _links, ...rest }) => rest)(TRIAL_EXAMPLE),
  lastChange: {
    seq: 148,
    kind: 'updated',
    occurredAt: CHANGED_AT,
    types: ['status', 'enrollment'],
    material: true,
    summary: EVENT_SUMMARY,
  },
};

const TRIAL_PAGE_EXAMPLE: Static<typeof TrialListSchema> = {
  items: [TRIAL_ITEM_EXAMPLE],
  nextCursor: CURSOR,
};

const VERSION_EXAMPLE: Static<typeof TrialVersionSummarySchema> = {
  version: 4,
  observedAt: CHANGED_AT,
  kind: 'updated',
  contentHash: '9f2c4b7e1a0d3c5f8e6b2a4d7c9e1f3a5b8d0c2e4f6a8b1d3e5f7a9c0b2d4e6f',
  sourceUpdatedAt: '2024-05-31',
  runId: 57,
  diff: [
    {
      path: 'protocolSection.statusModule.overallStatus',
      old: 'RECRUITING',
      new: 'ACTIVE_NOT_RECRUITING',
    },
    { path: 'protocolSection.designModule.enrollmentInfo.count', old: 400, new: 412 },
    { path: 'protocolSection.designModule.enrollmentInfo.type', old: 'ESTIMATED', new: 'ACTUAL' },
  ],
  events: [{ seq: 148, kind: 'updated', occurredAt: CHANGED_AT }],
  changes: [STATUS_CHANGE, ENROLLMENT_CHANGE],
  material: true,
  summary: EVENT_SUMMARY,
};

const VERSIONS_EXAMPLE: Static<typeof TrialVersionListSchema> = {
  trialId: NCT,
  source: 'ctgov',
  currentVersion: 4,
  items: [
    {
      version: 1,
      observedAt: '2024-03-04T05:10:02.000Z',
      kind: 'created',
      contentHash: '3b1e5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b',
      sourceUpdatedAt: '2024-02-27',
      runId: 12,
      diff: null,
      events: [{ seq: 31, kind: 'created', occurredAt: '2024-03-04T05:10:02.000Z' }],
      changes: [],
      material: true,
      summary: { en: 'New trial in the registry', ko: '새로 등록된 임상시험' },
    },
    VERSION_EXAMPLE,
  ],
};

const ONE_VERSION_EXAMPLE: Static<typeof TrialVersionSchema> = {
  trialId: NCT,
  source: 'ctgov',
  current: true,
  ...VERSION_EXAMPLE,
  fields: TRIAL_EXAMPLE.fields,
  sourceFields: TRIAL_EXAMPLE.sourceFields,
  labels: TRIAL_EXAMPLE.labels,
  raw: {
    protocolSection: {
      identificationModule: { nctId: NCT, acronym: 'BREEZE' },
      statusModule: { overallStatus: 'ACTIVE_NOT_RECRUITING' },
      designModule: { phases: ['PHASE3'], enrollmentInfo: { count: 412, type: 'ACTUAL' } },
    },
    hasResults: false,
  },
};

const CHANGE_EXAMPLE: Static<typeof ChangeEventSchema> = {
  seq: 148,
  trialId: NCT,
  source: 'ctgov',
  version: 4,
  kind: 'updated',
  paths: [
    'protocolSection.designModule.enrollmentInfo.count',
    'protocolSection.designModule.enrollmentInfo.type',
    'protocolSection.statusModule.overallStatus',
  ],
  occurredAt: CHANGED_AT,
  runId: 57,
  changes: [STATUS_CHANGE, ENROLLMENT_CHANGE],
  material: true,
  summary: EVENT_SUMMARY,
};

const CHANGE_PAGE_EXAMPLE: Static<typeof ChangeListSchema> = {
  items: [
    {
      seq: 147,
      trialId: 'C110008',
      source: 'kr-icreat',
      version: 1,
      kind: 'removed',
      paths: [],
      occurredAt: '2024-06-03T04:00:31.000Z',
      runId: 56,
      changes: [],
      material: true,
      summary: { en: 'No longer listed by the registry', ko: '등록처 목록에서 삭제됨' },
    },
    CHANGE_EXAMPLE,
  ],
  nextCursor: 'eyJrIjoiY2hhbmdlcyIsInAiOnsicyI6MTQ4fX0.kq9Xw1ZbR0m3v7cT2yLp4A',
  hasMore: false,
};

const FACETS_EXAMPLE: Static<typeof FacetListSchema> = {
  field: 'status',
  items: [
    { value: 'RECRUITING', count: 1284, label: { en: 'Recruiting', ko: '모집 중' } },
    { value: 'COMPLETED', count: 977, label: { en: 'Completed', ko: '완료' } },
    {
      value: 'ACTIVE_NOT_RECRUITING',
      count: 311,
      label: { en: 'Active, not recruiting', ko: '진행 중(모집 완료)' },
    },
  ],
  total: 2790,
};

const RUN_EXAMPLE: Static<typeof HarvestRunSchema> = {
  id: 57,
  source: 'ctgov',
  mode: 'incremental',
  trigger: 'schedule',
  status: 'succeeded',
  startedAt: '2024-06-03T05:10:00.000Z',
  finishedAt: '2024-06-03T05:13:26.000Z',
  heartbeatAt: '2024-06-03T05:13:26.000Z',
  fetched: 38,
  created: 2,
  updated: 9,
  unchanged: 27,
  removed: 0,
  restored: 0,
  skipped: 0,
  skippedReasons: [],
  errorCode: null,
  errorMessage: null,
  info: { since: '2024-06-02', upstreamTotal: 38 },
};

const SOURCE_EXAMPLE: Static<typeof SourceSchema> = {
  id: 'ctgov',
  name: 'ClinicalTrials.gov',
  enabled: true,
  configured: true,
  missing: [],
  schedule: '10 5 * * *',
  timeZone: 'UTC',
  nextRunAt: '2024-06-04T05:10:00.000Z',
  trials: { total: 2790, active: 2781, removed: 9 },
  lastRun: RUN_EXAMPLE,
  lastSuccessAt: '2024-06-03T05:13:26.000Z',
};

const SOURCES_EXAMPLE: Static<typeof SourceListSchema> = {
  items: [
    SOURCE_EXAMPLE,
    {
      id: 'cris',
      name: 'CRIS',
      enabled: false,
      configured: false,
      missing: ['CRIS_SERVICE_KEY'],
      schedule: '0 5 * * *',
      timeZone: 'Asia/Seoul',
      nextRunAt: null,
      trials: { total: 0, active: 0, removed: 0 },
      lastRun: null,
      lastSuccessAt: null,
    },
  ],
};

const HARVESTS_EXAMPLE: Static<typeof HarvestListSchema> = {
  items: [RUN_EXAMPLE],
  nextCursor: 'eyJrIjoiaGFydmVzdHMiLCJwIjp7ImkiOjU3fX0.a8Jc2mQ0xT4vN6pR1sW3zA',
};

const STARTED_EXAMPLE: Static<typeof StartedHarvestSchema> = {
  runId: 58,
  source: 'ctgov',
  mode: 'incremental',
  status: 'running',
};

const ENDPOINT_ID = 'ep_9c1d2e7f4a6b';

const WEBHOOK_EXAMPLE: Static<typeof WebhookSchema> = {
  id: ENDPOINT_ID,
  url: 'https://hooks.example.org/trialwatch',
  filter: { type: 'status', material: true, country: 'South Korea' },
  types: ['trial.created', 'trial.updated', 'trial.removed', 'trial.restored'],
  description: 'Status changes of trials with a site in Korea',
  paused: false,
  disabledAt: null,
  disabledReason: null,
  position: 148,
  lag: 0,
  failingSince: null,
  deliveredCount: 12,
  failedCount: 0,
  failedAttempts: 1,
  createdAt: '2024-05-20T08:30:00.000Z',
  updatedAt: '2024-05-20T08:30:00.000Z',
};

const PLACES_EXAMPLE: Static<typeof PlaceListSchema> = {
  items: [
    {
      name: 'Seoul, Korea, Republic of',
      city: 'Seoul',
      state: null,
      country: 'Korea, Republic of',
      lat: 37.566,
      lon: 126.9784,
      sites: 14,
      trials: 11,
    },
    {
      name: 'Seongnam, Gyeonggi-do, Korea, Republic of',
      city: 'Seongnam',
      state: 'Gyeonggi-do',
      country: 'Korea, Republic of',
      lat: 37.4386,
      lon: 127.1378,
      sites: 3,
      trials: 3,
    },
  ],
};

const TRIAL_SITES_EXAMPLE: Static<typeof TrialSiteListSchema> = {
  trialId: NCT,
  centre: { lat: 37.566, lon: 126.9784 },
  items: [
    {
      name: 'Seoul National University Hospital',
      city: 'Seoul',
      state: null,
      country: 'Korea, Republic of',
      postalCode: '03080',
      status: 'RECRUITING',
      lat: 37.5796,
      lon: 126.9996,
      distanceKm: 2.4,
    },
    {
      name: 'Mayo Clinic',
      city: 'Rochester',
      state: 'Minnesota',
      country: 'United States',
      postalCode: '55905',
      status: 'COMPLETED',
      lat: 44.0225,
      lon: -92.4666,
      distanceKm: 10322.5,
    },
  ],
};

const CREATED_WEBHOOK_EXAMPLE: Static<typeof CreatedWebhookSchema> = {
  ...WEBHOOK_EXAMPLE,
  position: 131,
  lag: 0,
  deliveredCount: 0,
  failedAttempts: 0,
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2CPnm0XWQ6M=',
};

const DELIVERY_EXAMPLE: Static<typeof DeliverySchema> = {
  id: 412,
  endpointId: ENDPOINT_ID,
  messageId: `msg_${ENDPOINT_ID}_148`,
  trigger: 'feed',
  type: 'trial.updated',
  changeSeq: 148,
  status: 'succeeded',
  attempts: 1,
  responseCode: 200,
  latencyMs: 87,
  error: null,
  nextAttemptAt: null,
  createdAt: '2024-06-03T05:13:27.000Z',
  updatedAt: '2024-06-03T05:13:27.000Z',
};

const QUEUED_EXAMPLE: Static<typeof DeliverySchema> = {
  ...DELIVERY_EXAMPLE,
  id: 413,
  trigger: 'replay',
  status: 'pending',
  attempts: 0,
  responseCode: null,
  latencyMs: null,
  nextAttemptAt: '2024-06-03T09:00:00.000Z',
  createdAt: '2024-06-03T09:00:00.000Z',
  updatedAt: '2024-06-03T09:00:00.000Z',
};

const PING_EXAMPLE: Static<typeof DeliverySchema> = {
  ...QUEUED_EXAMPLE,
  id: 414,
  messageId: `msg_${ENDPOINT_ID}_ping_Q7eFGMmo`,
  trigger: 'ping',
  type: 'webhook.ping',
  changeSeq: null,
};

const COMPAT_RECORD_EXAMPLE: Static<typeof CompatRecordSchema> = {
  research_number: 'C110007',
  research_name:
    '악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study',
  research_subject_count: 200,
  research_period: null,
  research_created_at: '2024.06.01 09:00:00',
  research_updated_at: '2024.06.03 09:00:00',
  department_name: 'Hematology',
  hospital_name: '가톨릭대 서울성모병원',
  type_name: '관찰연구',
  scope_name: '단일기관',
  stage_name: 'Case-only',
};

const COMPAT_SEARCH_EXAMPLE: Static<typeof CompatSearchSchema> = { RESULT: COMPAT_RECORD_EXAMPLE };
const COMPAT_LIST_EXAMPLE: Static<typeof CompatListSchema> = {
  RESULT: [
    COMPAT_RECORD_EXAMPLE,
    {
      research_number: 'C160045',
      research_name: '만성뇌혈관질환 바이오뱅크 컨소시엄 운영사업',
      research_subject_count: 765,
      research_period: '5년',
      research_created_at: '2024.06.01 09:00:00',
      research_updated_at: '2024.06.01 09:00:00',
      department_name: 'Psychiatry',
      hospital_name: '아주대학교 산학협력단',
      type_name: '기타',
      scope_name: '국내다기관',
      stage_name: null,
    },
  ],
};

const HEALTH_EXAMPLE: Static<typeof HealthSchema> = { status: 'ok' };

const BOM = '\uFEFF';
const TRIAL_CSV = [
  `${BOM}id,source,registryUrl,version,title,titleEn,officialTitle,acronym,status,phase,studyType,institution,department,conditions,keywords,interventions,enrollment,countries,hasResults,secondaryIds,sourceUpdatedAt,firstSeenAt,lastSeenAt,lastChangedAt,removedAt,sourceFields`,
  `C110007,kr-icreat,https://www.data.go.kr/data/3074271/openapi.do,2,"악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study",,,,COMPLETED,CASE_ONLY,OBSERVATIONAL,가톨릭대 서울성모병원,Hematology,,,,200,,,,,2024-06-01T00:00:00.000Z,2024-06-03T00:00:00.000Z,2024-06-03T00:00:00.000Z,,"{""upstream"":{""과제번호"":""C110007"",""진료과"":""Hematology""}}"`,
  '',
].join('\r\n');

const CHANGE_CSV = [
  `${BOM}seq,occurredAt,trialId,source,version,kind,material,types,summaryEn,summaryKo,changes,paths,runId`,
  `147,2024-06-03T04:00:31.000Z,C110008,kr-icreat,1,removed,true,,No longer listed by the registry,등록처 목록에서 삭제됨,[],,56`,
  '',
].join('\r\n');

const FEED_TITLE = 'Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma';
const FEED_SELF = 'https://trialwatch.example.org/api/v1/changes?format=atom&limit=1';
const FEED_NEXT = `${FEED_SELF}&cursor=eyJrIjoiY2hhbmdlLWZlZWQiLCJwIjp7ImIiOjE0OH19.cpCLA1EPChg9Fo1T1R2KCQ`;
const ENTRY_ID = `tag:trialwatch,2026:changes/148/${NCT}`;
const ENTRY_TEXT = `${EVENT_SUMMARY.en}\n\n${NCT} (ctgov), version 4, updated`;

const ATOM_EXAMPLE = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:trialwatch,2026:changes</id><title type="text">trialwatch changes</title>' +
    '<updated>2024-06-03T05:12:41.000Z</updated><author><name>trialwatch</name></author>' +
    `<link rel="self" href="${FEED_SELF.replaceAll('&', '&amp;')}" type="application/atom+xml"/>` +
    `<link rel="next" href="${FEED_NEXT.replaceAll('&', '&amp;')}" type="application/atom+xml"/>` +
    `<entry><id>${ENTRY_ID}</id><title type="text">${FEED_TITLE}: ${STATUS_CHANGE.summary.en}</title>` +
    `<updated>${CHANGED_AT}</updated><published>${CHANGED_AT}</published>` +
    `<link rel="alternate" href="https://trialwatch.example.org/#/trials/${NCT}" type="text/html"/>` +
    `<link rel="related" href="https://clinicaltrials.gov/study/${NCT}" type="text/html"/>` +
    `<content type="text">${ENTRY_TEXT}</content></entry></feed>`,
].join('\n');

const JSON_FEED_EXAMPLE = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'trialwatch changes',
  home_page_url: 'https://trialwatch.example.org/',
  feed_url: FEED_SELF.replace('atom', 'jsonfeed'),
  next_url: FEED_NEXT.replace('atom', 'jsonfeed'),
  items: [
    {
      id: ENTRY_ID,
      url: `https://trialwatch.example.org/#/trials/${NCT}`,
      external_url: `https://clinicaltrials.gov/study/${NCT}`,
      title: `${FEED_TITLE}: ${STATUS_CHANGE.summary.en}`,
      content_text: ENTRY_TEXT,
      date_published: CHANGED_AT,
      _trialwatch: { seq: 148, trialId: NCT, source: 'ctgov', kind: 'updated', version: 4 },
    },
  ],
});

const RSS_EXAMPLE = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>trialwatch changes</title>' +
    '<link>https://trialwatch.example.org/</link><description>Changes to the clinical trials trialwatch mirrors that match this query, newest first.</description>' +
    `<atom:link rel="self" type="application/rss+xml" href="${FEED_SELF.replace('atom', 'rss').replaceAll('&', '&amp;')}"/>` +
    `<item><title>${FEED_TITLE}: ${STATUS_CHANGE.summary.en}</title><link>https://trialwatch.example.org/#/trials/${NCT}</link>` +
    `<guid isPermaLink="false">${ENTRY_ID}</guid><pubDate>Mon, 03 Jun 2024 05:12:41 GMT</pubDate></item></channel></rss>`,
].join('\n');

const METRICS_EXAMPLE = [
  '# HELP trialwatch_records Trials in the database by source and state (active, removed)',
  '# TYPE trialwatch_records gauge',
  'trialwatch_records{source="ctgov",state="active"} 2781',
  'trialwatch_records{source="ctgov",state="removed"} 9',
  '# HELP trialwatch_database_up Whether the database answered the last scrape in time (1) or not (0)',
  '# TYPE trialwatch_database_up gauge',
  'trialwatch_database_up 1',
  '',
].join('\n');

type Examples = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

/** operationId → status → media type → example. */
export const RESPONSE_EXAMPLES: Examples = {
  getHealth: { 200: { 'application/json': HEALTH_EXAMPLE } },
  getReadiness: { 200: { 'application/json': { status: 'ready', database: 'postgres' } } },
  getMetrics: { 200: { 'text/plain': METRICS_EXAMPLE } },
  listTrials: {
    200: {
      'application/json': TRIAL_PAGE_EXAMPLE,
      'text/csv': TRIAL_CSV,
      'application/x-ndjson': `${JSON.stringify(TRIAL_ITEM_EXAMPLE)}\n`,
    },
  },
  getTrial: { 200: { 'application/json': TRIAL_EXAMPLE } },
  listTrialSites: { 200: { 'application/json': TRIAL_SITES_EXAMPLE } },
  listPlaces: { 200: { 'application/json': PLACES_EXAMPLE } },
  listTrialVersions: { 200: { 'application/json': VERSIONS_EXAMPLE } },
  getTrialVersion: { 200: { 'application/json': ONE_VERSION_EXAMPLE } },
  getFacets: { 200: { 'application/json': FACETS_EXAMPLE } },
  listChanges: {
    200: {
      'application/json': CHANGE_PAGE_EXAMPLE,
      'text/csv': CHANGE_CSV,
      'application/x-ndjson': `${JSON.stringify(CHANGE_EXAMPLE)}\n`,
      'application/atom+xml': ATOM_EXAMPLE,
      'application/feed+json': JSON_FEED_EXAMPLE,
      'application/rss+xml': RSS_EXAMPLE,
    },
  },
  listSources: { 200: { 'application/json': SOURCES_EXAMPLE } },
  getSource: { 200: { 'application/json': SOURCE_EXAMPLE } },
  listHarvests: { 200: { 'application/json': HARVESTS_EXAMPLE } },
  startHarvest: { 202: { 'application/json': STARTED_EXAMPLE } },
  getHarvest: { 200: { 'application/json': RUN_EXAMPLE } },
  listWebhooks: {
    200: { 'application/json': { items: [WEBHOOK_EXAMPLE] } satisfies Static<typeof WebhookListSchema> },
  },
  createWebhook: { 201: { 'application/json': CREATED_WEBHOOK_EXAMPLE } },
  getWebhook: { 200: { 'application/json': WEBHOOK_EXAMPLE } },
  updateWebhook: {
    200: {
      'application/json': {
        ...WEBHOOK_EXAMPLE,
        paused: true,
        updatedAt: '2024-06-03T09:00:00.000Z',
      } satisfies Static<typeof WebhookSchema>,
    },
  },
  listWebhookDeliveries: {
    200: {
      'application/json': {
        items: [DELIVERY_EXAMPLE],
        nextCursor: null,
      } satisfies Static<typeof DeliveryListSchema>,
    },
  },
  replayWebhookDelivery: { 202: { 'application/json': QUEUED_EXAMPLE } },
  pingWebhook: { 202: { 'application/json': PING_EXAMPLE } },
  rotateWebhookSecret: {
    200: {
      'application/json': {
        id: ENDPOINT_ID,
        secret: 'whsec_3nO1c2Vx9hQ0bqW6mJzR8yKfT4uLpA7sDeG5iHkXwYo=',
        previousSecretsExpireAt: '2024-06-04T09:00:00.000Z',
      } satisfies Static<typeof RotatedSecretSchema>,
    },
  },
  compatGetTrial: { 200: { 'application/json': COMPAT_SEARCH_EXAMPLE } },
  compatListChanged: { 200: { 'application/json': COMPAT_LIST_EXAMPLE } },
};

type Media = { example?: unknown };
type Document = { paths?: Record<string, Record<string, { operationId?: string; responses?: unknown }>> };

/**
 * Puts each example on its answer's media type in the finished document (after @fastify/swagger's
 * conversion, which would otherwise read an example's keys as schema keywords).
 */
export function addResponseExamples<T extends object>(document: T): T {
  for (const operations of Object.values((document as Document).paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const examples =
        operation.operationId === undefined ? undefined : RESPONSE_EXAMPLES[operation.operationId];
      if (examples === undefined) continue;
      const responses = operation.responses as Record<string, { content?: Record<string, Media> }>;
      for (const [status, byMedia] of Object.entries(examples)) {
        for (const [media, example] of Object.entries(byMedia)) {
          const target = responses[status]?.content?.[media];
          if (target !== undefined) target.example = example;
        }
      }
    }
  }
  return document;
}
