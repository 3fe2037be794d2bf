/**
 * A fake of the CRIS Open API (data.go.kr 3033869) at `/1352159/crisinfodataview`, installed on the
 * generic fake server core: `/list` and `/detail` as the real ones answer (flat JSON, `pageNo` a
 * string, items newest registration first, 50 rows at most, `items: []` past the end, the detail's
 * fields at the top level next to `resultCode`/`resultMsg`), the data.go.kr gateway's key errors
 * (the real XML bodies and statuses), a daily quota, and any error body on demand.
 *
 * Its trials are built from the real fixtures in `test/fixtures/cris/`: the real list items
 * with details derived from the one real detail record, that record with a list item derived from
 * it, and as many synthetic trials derived from both as a test wants. Nothing here is a capture
 * except what is read from the fixture files.
 *
 *   const core = new FakeServerCore();
 *   const cris = installCris(core);
 *   await core.listen();
 *   // CRIS_BASE_URL = cris.baseUrl
 */
import { readFileSync } from 'node:fs';
import type { FakeRequest, FakeResponse, FakeServerCore, LoggedRequest } from './fake-upstream.js';
import { fixturesDir } from './fake-upstream.js';

export const CRIS_FAKE_PATH = '/1352159/crisinfodataview';
export const CRIS_FAKE_KEY = 'cris-test-key';

/** One trial as the fake serves it: its `/list` item and its `/detail` fields (without the envelope). */
export interface FakeCrisTrial {
  list: Record<string, unknown>;
  detail: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Real fixtures

function crisDir(): string {
  return `${fixturesDir().replace(/\/?$/, '/')}cris/`;
}

/** The text of a file under `fixtures/cris/`, exactly as stored. */
export function crisFixtureText(name: string): string {
  return readFileSync(`${crisDir()}${name}`, 'utf8');
}

export function crisFixtureJson<T = unknown>(name: string): T {
  return JSON.parse(crisFixtureText(name)) as T;
}

export const CRIS_FIXTURES = {
  list2026: 'ctreg__list_srchWord-metformin-ko_numOfRows3_2026-08-28.json',
  detail: 'ctreg__detail_KCT0000145_2026-08-28.json',
  listItem2026: 'ctreg__list-item_KCT0012458_2026-08-28.TRANSCRIBED.json',
  listItems2021: 'cris-list-items-2021-11_team13_DERIVED.json',
  gatewayNotRegistered: 'errors/gateway__SERVICE_KEY_IS_NOT_REGISTERED_ERROR__http403__lunalism-holidays.xml',
  gatewayKeyNull: 'errors/gateway__SERVICE_KEY_IS_NULL__http401__lunalism-holidays.xml',
  detailNotFound: 'errors/cris__detail_unknown-id_resultCode03.RECONSTRUCTED.json',
} as const;

/** Every real list item in the fixtures: 7 from 2021-11, 3 + 1 from 2026-08 (fresh copies). */
export function realCrisListItems(): Record<string, unknown>[] {
  const items2021 = crisFixtureJson<Record<string, unknown>[]>(CRIS_FIXTURES.listItems2021);
  const page2026 = crisFixtureJson<{ items: Record<string, unknown>[] }>(CRIS_FIXTURES.list2026);
  const item2026 = crisFixtureJson<Record<string, unknown>>(CRIS_FIXTURES.listItem2026);
  return [...items2021, ...page2026.items, item2026];
}

/** The one real `/detail` answer (KCT0000145), envelope included. */
export function realCrisDetailAnswer(): Record<string, unknown> {
  return crisFixtureJson<Record<string, unknown>>(CRIS_FIXTURES.detail);
}

// ---------------------------------------------------------------------------------------------
// Derived and synthetic trials

/** `2011-07-18` → `2011/07/18`, the detail's form of its two main dates. */
export function slashDate(date: unknown): string {
  return typeof date === 'string' ? date.replace(/-/g, '/') : '';
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const DATE_TYPE_EN: Record<string, string> = { 실제등록: 'Actual', 예정: 'Anticipated' };
const STUDY_TYPE_EN: Record<string, string> = {
  중재연구: 'Interventional Study',
  관찰연구: 'Observational Study',
};

/**
 * A `/detail` record for a real list item: the real detail's layout (all 72 data keys), with the
 * list item's values moved in (dates in the detail's slash form) and the template's trial-specific
 * text and people blanked, so no derived record speaks for the real KCT0000145.
 */
export function deriveCrisDetail(item: Record<string, unknown>): Record<string, unknown> {
  const { resultCode: _code, resultMsg: _message, ...template } = realCrisDetailAnswer();
  const blank = Object.fromEntries(
    Object.entries(template).map(([key, value]) => [key, typeof value === 'string' ? '' : value]),
  );
  const completedActual = str(item.results_type_date_completed_kr) === '실제등록';
  const funders = str(item.source_name_kr)
    .split(', ')
    .filter((name) => name !== '');
  return {
    ...blank,
    trial_id: item.trial_id,
    scientific_title_kr: str(item.scientific_title_kr),
    scientific_title_en: str(item.scientific_title_en),
    public_title_kr: str(item.scientific_title_kr),
    public_title_en: str(item.scientific_title_en),
    date_registration: slashDate(item.date_registration),
    date_updated: slashDate(item.date_updated),
    date_enrolment: str(item.date_enrolment),
    results_date_completed: str(item.results_date_completed),
    type_enrolment_kr: str(item.type_enrolment_kr),
    type_enrolment_en: DATE_TYPE_EN[str(item.type_enrolment_kr)] ?? '',
    results_type_date_completed_kr: str(item.results_type_date_completed_kr),
    results_type_date_completed_en: DATE_TYPE_EN[str(item.results_type_date_completed_kr)] ?? '',
    study_type_kr: str(item.study_type_kr),
    study_type_en: STUDY_TYPE_EN[str(item.study_type_kr)] ?? '',
    phase_kr: str(item.phase_kr),
    i_freetext_type_kr: str(item.i_freetext_kr),
    recruitment_status_kr: completedActual ? '연구종결' : '대상자 모집 중',
    recruitment_status_en: completedActual ? 'Completed' : 'Recruiting',
    target_size: 100,
    target_gender_kr: '남녀 모두',
    target_gender_en: 'Both',
    target_age_range_kr: '19 세 ~ 80 세',
    target_age_range_en: '19 Year ~ 80 Year',
    group_number: '0',
    sponsor_items: [{ primary_sponsor_kr: str(item.primary_sponsor_kr), primary_sponsor_en: '' }],
    funding_items: funders.map((name) => ({ source_name_kr: name, source_name_en: '' })),
    research_items: [{ site_name_kr: str(item.primary_sponsor_kr), site_name_en: '' }],
    outcome_items: [
      {
        primary_outcome_kr: str(item.primary_outcome_1_kr),
        primary_outcome_en: '',
        primary_outcome_time_kr: '',
        primary_outcome_time_en: '',
      },
    ],
    arm_items: [],
  };
}

/** A `/list` item for a detail record, in the 2026 key order, dates in the list's hyphen form. */
export function deriveCrisListItem(detail: Record<string, unknown>): Record<string, unknown> {
  const first = (key: string, field: string): string => {
    const list = detail[key];
    const item = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
    return str(item?.[field]);
  };
  const item: Record<string, unknown> = {
    trial_id: detail.trial_id,
    date_updated: str(detail.date_updated).replace(/\//g, '-'),
    date_registration: str(detail.date_registration).replace(/\//g, '-'),
    source_name_kr: first('funding_items', 'source_name_kr'),
    i_freetext_kr: str(detail.i_freetext_type_kr),
    study_type_kr: str(detail.study_type_kr),
    date_enrolment: str(detail.date_enrolment),
    results_type_date_completed_kr: str(detail.results_type_date_completed_kr),
    type_enrolment_kr: str(detail.type_enrolment_kr),
    results_date_completed: str(detail.results_date_completed),
    primary_sponsor_kr: first('sponsor_items', 'primary_sponsor_kr'),
    scientific_title_kr: str(detail.scientific_title_kr),
    scientific_title_en: str(detail.scientific_title_en),
    primary_outcome_1_kr: first('outcome_items', 'primary_outcome_kr'),
    phase_kr: str(detail.phase_kr),
  };
  // Observational list items have no phase_kr and no i_freetext_kr (real 2021 captures).
  if (item.study_type_kr === '관찰연구') {
    delete item.phase_kr;
    delete item.i_freetext_kr;
  }
  return item;
}

/**
 * The fake's default registry, 12 trials: every real list item with a derived detail, and the
 * real detail (KCT0000145) with a derived list item.
 */
export function realCrisTrials(): FakeCrisTrial[] {
  const trials = realCrisListItems().map((list) => ({ list, detail: deriveCrisDetail(list) }));
  const { resultCode: _code, resultMsg: _message, ...detail } = realCrisDetailAnswer();
  trials.push({ list: deriveCrisListItem(detail), detail });
  return trials;
}

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export interface SyntheticCrisOptions {
  /** The number of the first id (`KCT0900000` by default: far above any real one). */
  firstNumber?: number;
  /** The registration date of the first trial; each next one is a day later. */
  firstRegistration?: string;
}

/**
 * `count` synthetic trials derived from the real list items in turn: ids from `KCT0900000` up,
 * registered a day apart in id order, last edited three days before registration (as new
 * registrations are), titles marked with their number.
 */
export function syntheticCrisTrials(count: number, options: SyntheticCrisOptions = {}): FakeCrisTrial[] {
  const templates = realCrisListItems();
  const first = options.firstNumber ?? 900_000;
  const start = options.firstRegistration ?? '2024-01-01';
  return Array.from({ length: count }, (_, index) => {
    const template = templates[index % templates.length]!;
    const registration = addDays(start, index);
    const list: Record<string, unknown> = {
      ...template,
      trial_id: `KCT${String(first + index).padStart(7, '0')}`,
      date_registration: registration,
      date_updated: addDays(registration, -3),
      scientific_title_kr: `${str(template.scientific_title_kr)} (합성 ${index + 1})`,
      scientific_title_en: `${str(template.scientific_title_en)} (synthetic ${index + 1})`,
    };
    return { list, detail: deriveCrisDetail(list) };
  });
}

// ---------------------------------------------------------------------------------------------
// Error bodies

const CODE_NAMES: Record<string, string> = {
  '01': 'APPLICATION_ERROR',
  '03': 'NODATA_ERROR',
  '05': 'SERVICETIME_OUT',
  '10': 'INVALID_REQUEST_PARAMETER_ERROR',
  '12': 'NO_OPENAPI_SERVICE_ERROR',
  '20': 'SERVICE_ACCESS_DENIED_ERROR',
  '22': 'LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR',
  '30': 'SERVICE_KEY_IS_NOT_REGISTERED_ERROR',
  '31': 'DEADLINE_HAS_EXPIRED_ERROR',
  '32': 'UNREGISTERED_IP_ERROR',
  '99': 'UNKNOWN_ERROR',
};

/** The gateway's Korean texts that real bodies carry (codes 20 and 30); others repeat the name. */
const GATEWAY_TEXTS: Record<string, string> = { '20': '서비스 접근거부', '30': '등록되지 않은 서비스키' };

/** An error answer of either layer, in any format, under any status. */
export type CrisFakeError =
  /** The CRIS application's flat JSON `{resultCode, resultMsg}` (default HTTP 200). */
  | { layer: 'application'; code: string; message?: string; status?: number }
  /**
   * The gateway's `OpenAPI_ServiceResponse`: `xml` (errMsg = the name, returnAuthMsg = text),
   * `xml-legacy` (errMsg `SERVICE ERROR`, returnAuthMsg = the name) or `json` (wrapped).
   * Default HTTP 200.
   */
  | {
      layer: 'gateway';
      format: 'xml' | 'xml-legacy' | 'json';
      code: string;
      name?: string;
      text?: string;
      status?: number;
    }
  /** A real gateway body from the fixtures with its real status (403 not registered, 401 no key). */
  | { layer: 'gateway-fixture'; name: 'not-registered' | 'key-null'; status?: number };

const XML = 'text/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';

/** The response a `CrisFakeError` stands for. */
export function crisErrorResponse(error: CrisFakeError): FakeResponse {
  switch (error.layer) {
    case 'application':
      return {
        status: error.status ?? 200,
        headers: { 'content-type': JSON_TYPE },
        body: JSON.stringify({
          resultCode: error.code,
          resultMsg: error.message ?? CODE_NAMES[error.code] ?? 'UNKNOWN_ERROR',
        }),
      };
    case 'gateway-fixture': {
      const file =
        error.name === 'not-registered' ? CRIS_FIXTURES.gatewayNotRegistered : CRIS_FIXTURES.gatewayKeyNull;
      return {
        status: error.status ?? (error.name === 'not-registered' ? 403 : 401),
        headers: { 'content-type': XML },
        body: readFileSync(`${crisDir()}${file}`),
      };
    }
    case 'gateway': {
      const name = error.name ?? CODE_NAMES[error.code] ?? 'UNKNOWN_ERROR';
      const text = error.text ?? GATEWAY_TEXTS[error.code] ?? name;
      const status = error.status ?? 200;
      if (error.format === 'json') {
        const header = { errMsg: name, returnAuthMsg: text, returnReasonCode: error.code };
        return {
          status,
          headers: { 'content-type': JSON_TYPE },
          body: JSON.stringify({ OpenAPI_ServiceResponse: { cmmMsgHeader: header } }),
        };
      }
      const [errMsg, authMsg] = error.format === 'xml' ? [name, text] : ['SERVICE ERROR', name];
      return {
        status,
        headers: { 'content-type': XML },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<OpenAPI_ServiceResponse>\n<cmmMsgHeader>\n  <errMsg>${errMsg}</errMsg>\n  <returnAuthMsg>${authMsg}</returnAuthMsg>\n  <returnReasonCode>${error.code}</returnReasonCode>\n</cmmMsgHeader>\n</OpenAPI_ServiceResponse>\n`,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The controller

export interface FakeCrisOptions {
  /** The registry (default: `realCrisTrials()`); copied. */
  trials?: FakeCrisTrial[];
  /** The key the gateway accepts; null accepts any non-empty key. Default `CRIS_FAKE_KEY`. */
  expectedKey?: string | null;
}

export interface FakeCrisCalls {
  list: number;
  detail: number;
  total: number;
}

export interface FakeCris {
  /** What CRIS_BASE_URL points at: `http://127.0.0.1:PORT/1352159/crisinfodataview`. */
  readonly baseUrl: string;
  /** The live registry; tests may edit it in place or through the methods below. */
  readonly trials: FakeCrisTrial[];
  expectedKey: string | null;
  /**
   * Calls (list and detail) the gateway answers per "day" before it answers with `quotaAnswer`;
   * null = no quota. `resetQuota` starts a new day.
   */
  dailyQuota: number | null;
  /** The quota answer: by default the gateway's XML code 22 under HTTP 200. */
  quotaAnswer: CrisFakeError;
  /** Ids `/list` lists but `/detail` answers 03 for (a registration the detail does not serve yet). */
  readonly detailMissing: Set<string>;
  /** Rewrites each `/list` body before it is sent (move `totalCount`, drop items, …); a string is sent as is. */
  listHook:
    ((body: Record<string, unknown>, page: { pageNo: number; numOfRows: number }) => unknown) | undefined;
  setTrials(trials: FakeCrisTrial[]): void;
  addTrial(trial: FakeCrisTrial): void;
  /** Changes fields of a trial's list item and/or detail (throws when there is no such trial). */
  updateTrial(id: string, patch: { list?: Record<string, unknown>; detail?: Record<string, unknown> }): void;
  removeTrial(id: string): void;
  trial(id: string): FakeCrisTrial | undefined;
  /**
   * Answers the next `times` (default 1) calls of `operation` (default both) with this error; with
   * `crisNumber`, only the detail calls for that trial.
   */
  failWith(
    error: CrisFakeError,
    options?: { operation?: 'list' | 'detail'; times?: number; crisNumber?: string },
  ): void;
  /** Calls received since the start or `resetCalls`, faulted ones included. */
  calls(): FakeCrisCalls;
  /** The `crisNumber` of every detail call since the start or `resetCalls`, in order. */
  detailIds(): string[];
  /** The list and detail requests since the start or `resetCalls`. */
  requests(): LoggedRequest[];
  resetCalls(): void;
  /** A new quota day: the quota counter starts again. */
  resetQuota(): void;
}

function findIndex(trials: FakeCrisTrial[], id: string): number {
  const index = trials.findIndex((trial) => trial.list.trial_id === id);
  if (index < 0) throw new Error(`fake cris: no trial ${id}`);
  return index;
}

function copy(trial: FakeCrisTrial): FakeCrisTrial {
  return structuredClone(trial);
}

function intParam(value: string | null): number | undefined {
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** The detail fields with the envelope in the middle, as the real answer's hash-map order has it. */
function detailAnswer(detail: Record<string, unknown>): string {
  const entries = Object.entries(detail);
  const half = Math.floor(entries.length / 2);
  const threeQuarters = Math.floor((entries.length * 3) / 4);
  return JSON.stringify(
    Object.fromEntries([
      ...entries.slice(0, half),
      ['resultMsg', 'NORMAL_SERVICE'],
      ...entries.slice(half, threeQuarters),
      ['resultCode', '00'],
      ...entries.slice(threeQuarters),
    ]),
  );
}

/** Installs the CRIS routes on `core` and returns their controller. */
export function installCris(core: FakeServerCore, options: FakeCrisOptions = {}): FakeCris {
  let trials = (options.trials ?? realCrisTrials()).map(copy);
  let quotaUsed = 0;
  let since = 0;
  const listPath = `${CRIS_FAKE_PATH}/list`;
  const detailPath = `${CRIS_FAKE_PATH}/detail`;
  const ours = () =>
    core.requests.slice(since).filter((request) => request.path === listPath || request.path === detailPath);

  const controller: FakeCris = {
    get baseUrl() {
      return `${core.baseUrl}${CRIS_FAKE_PATH}`;
    },
    get trials() {
      return trials;
    },
    expectedKey: options.expectedKey === undefined ? CRIS_FAKE_KEY : options.expectedKey,
    dailyQuota: null,
    quotaAnswer: { layer: 'gateway', format: 'xml', code: '22' },
    detailMissing: new Set<string>(),
    listHook: undefined,
    setTrials(next) {
      trials = next.map(copy);
    },
    addTrial(trial) {
      trials.push(copy(trial));
    },
    updateTrial(id, patch) {
      const index = findIndex(trials, id);
      const current = trials[index]!;
      trials[index] = {
        list: { ...current.list, ...patch.list },
        detail: { ...current.detail, ...patch.detail },
      };
    },
    removeTrial(id) {
      trials.splice(findIndex(trials, id), 1);
    },
    trial(id) {
      return trials.find((trial) => trial.list.trial_id === id);
    },
    failWith(error, failOptions = {}) {
      const response = crisErrorResponse(error);
      const { crisNumber } = failOptions;
      const path =
        crisNumber !== undefined
          ? (request: FakeRequest) =>
              request.path === detailPath && request.query.get('crisNumber') === crisNumber
          : failOptions.operation === undefined
            ? CRIS_FAKE_PATH
            : `${CRIS_FAKE_PATH}/${failOptions.operation}`;
      core.injectFault(
        {
          kind: 'respond',
          status: response.status,
          body: response.body ?? '',
          contentType: response.headers?.['content-type'] ?? JSON_TYPE,
        },
        { match: path, times: failOptions.times ?? 1 },
      );
    },
    calls() {
      const requests = ours();
      const list = requests.filter((request) => request.path === listPath).length;
      return { list, detail: requests.length - list, total: requests.length };
    },
    detailIds() {
      return ours()
        .filter((request) => request.path === detailPath)
        .map((request) => request.query.crisNumber ?? '');
    },
    requests: ours,
    resetCalls() {
      since = core.requests.length;
    },
    resetQuota() {
      quotaUsed = 0;
    },
  };

  /** The gateway's checks, in its order: the key, then the quota. */
  const gateway = (query: URLSearchParams): FakeResponse | undefined => {
    const key = query.get('serviceKey') ?? '';
    if (key === '') return crisErrorResponse({ layer: 'gateway-fixture', name: 'key-null' });
    if (controller.expectedKey !== null && key !== controller.expectedKey) {
      return crisErrorResponse({ layer: 'gateway-fixture', name: 'not-registered' });
    }
    quotaUsed++;
    if (controller.dailyQuota !== null && quotaUsed > controller.dailyQuota)
      return crisErrorResponse(controller.quotaAnswer);
    return undefined;
  };

  core.route('GET', listPath, (request) => {
    const refused = gateway(request.query);
    if (refused !== undefined) return refused;
    // Portal defaults: 10 rows, page 1; more than 50 rows gives 50.
    const numOfRows = Math.min(50, Math.max(1, intParam(request.query.get('numOfRows')) ?? 10));
    const pageNo = Math.max(1, intParam(request.query.get('pageNo')) ?? 1);
    const ordered = [...trials].sort((a, b) =>
      String(b.list.trial_id).localeCompare(String(a.list.trial_id)),
    );
    const items = ordered.slice((pageNo - 1) * numOfRows, pageNo * numOfRows).map((trial) => trial.list);
    // The real key order and types: pageNo a string, totalCount and numOfRows numbers.
    const body: Record<string, unknown> = {
      pageNo: String(pageNo),
      resultCode: '00',
      totalCount: ordered.length,
      numOfRows,
      items,
      resultMsg: 'NORMAL_SERVICE',
    };
    const sent = controller.listHook === undefined ? body : controller.listHook(body, { pageNo, numOfRows });
    return {
      status: 200,
      headers: { 'content-type': JSON_TYPE },
      body: typeof sent === 'string' ? sent : JSON.stringify(sent),
    };
  });

  core.route('GET', detailPath, (request) => {
    const refused = gateway(request.query);
    if (refused !== undefined) return refused;
    const crisNumber = request.query.get('crisNumber');
    if (crisNumber === null || crisNumber.trim() === '')
      return crisErrorResponse({ layer: 'application', code: '10' });
    const trial = trials.find((candidate) => candidate.list.trial_id === crisNumber.trim());
    if (trial === undefined || controller.detailMissing.has(crisNumber.trim())) {
      return {
        status: 200,
        headers: { 'content-type': JSON_TYPE },
        body: crisFixtureText(CRIS_FIXTURES.detailNotFound),
      };
    }
    return { status: 200, headers: { 'content-type': JSON_TYPE }, body: detailAnswer(trial.detail) };
  });

  return controller;
}
