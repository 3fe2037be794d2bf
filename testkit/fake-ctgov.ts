/**
 * A fake ClinicalTrials.gov API v2 on the generic fake server (`FakeServerCore`): `/api/v2/studies`
 * (paging by `nextPageToken`, `countTotal`, `fields`, `filter.advanced`, `filter.ids`,
 * `filter.overallStatus`, `query.*`), `/api/v2/studies/{nctId}` and `/api/v2/version`, over a
 * mutable in-memory list of studies (the 200 real fixtures by default).
 *
 * Paging works like a search-after cursor over the studies sorted by NCT id, so a test may add,
 * change or remove studies between pages and the listing stays well defined. A page token is bound
 * to its query: a next-page request with other parameters is refused, as the real API documents.
 * Errors are sent the way the registry and the proxies in front of it send them: text or HTML,
 * sometimes under a JSON content type.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import type {
  FakeRequest,
  FakeResponse,
  FakeServerCore,
  LoggedRequest,
  RequestMatcher,
} from './fake-upstream.js';
import { fixturesDir, json, text } from './fake-upstream.js';

/** A study as the fake holds it: plain JSON, shaped like a v2 study. */
export type FakeStudy = Record<string, unknown>;

const API = '/api/v2';
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 10;

// ---------------------------------------------------------------------------------------------
// Fixtures and synthetic studies (pure; the benchmark reuses them)

let fixtureTexts: Map<string, string> | undefined;

function ctgovFixtureTexts(): Map<string, string> {
  if (fixtureTexts !== undefined) return fixtureTexts;
  const dir = `${fixturesDir().replace(/\/?$/, '/')}ctgov/`;
  fixtureTexts = new Map();
  for (const name of readdirSync(dir).sort()) {
    if (/^NCT\d{8}\.json$/.test(name))
      fixtureTexts.set(name.slice(0, -5), readFileSync(`${dir}${name}`, 'utf8'));
  }
  return fixtureTexts;
}

/** The file names' NCT ids of the real fixtures, sorted. */
export function ctgovFixtureIds(): string[] {
  return [...ctgovFixtureTexts().keys()];
}

/** The exact text of one fixture file. */
export function ctgovFixtureText(fileId: string): string {
  const found = ctgovFixtureTexts().get(fileId);
  if (found === undefined) throw new Error(`no ctgov fixture ${fileId}.json`);
  return found;
}

/** A fresh parsed copy of one fixture (by its file name's id). */
export function ctgovFixture(fileId: string): FakeStudy {
  return JSON.parse(ctgovFixtureText(fileId)) as FakeStudy;
}

/** Fresh parsed copies of all 200 real studies, sorted by file name. */
export function loadCtgovFixtures(): FakeStudy[] {
  return ctgovFixtureIds().map((id) => ctgovFixture(id));
}

/** `NCT9` and 7 digits: a range no real study uses yet, so synthetic ids never meet real ones. */
export function syntheticNctId(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index > 9_999_999) {
    throw new Error(`synthetic study index out of range: ${index}`);
  }
  return `NCT9${String(index).padStart(7, '0')}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * A synthetic study made from a real one (not modified): NCT id `syntheticNctId(index)`, no merged
 * ids, the org study id and the brief title varied by the index. Sizes and everything else stay
 * as in the template, so a list of these behaves like the registry.
 */
export function syntheticStudy(template: unknown, index: number): FakeStudy {
  const study = structuredClone(template) as FakeStudy;
  const id = syntheticNctId(index);
  const identification = record(record(study.protocolSection).identificationModule);
  const original = typeof identification.nctId === 'string' ? identification.nctId : 'unknown';
  identification.nctId = id;
  delete identification.nctIdAliases;
  const org = record(identification.orgStudyIdInfo);
  if (typeof org.id === 'string') org.id = `${org.id}-S${index}`;
  if (typeof identification.briefTitle === 'string') {
    identification.briefTitle = `${identification.briefTitle} (synthetic ${index} from ${original})`;
  }
  return study;
}

// ---------------------------------------------------------------------------------------------
// Reading study values

function identificationOf(study: FakeStudy): Record<string, unknown> {
  return record(record(study.protocolSection).identificationModule);
}

function statusOf(study: FakeStudy): Record<string, unknown> {
  return record(record(study.protocolSection).statusModule);
}

export function studyIdOf(study: FakeStudy): string {
  const id = identificationOf(study).nctId;
  if (typeof id !== 'string')
    throw new Error('fake ctgov: a study without protocolSection.identificationModule.nctId');
  return id;
}

function dateField(study: FakeStudy, struct: string): string | undefined {
  const date = record(statusOf(study)[struct]).date;
  return typeof date === 'string' ? date : undefined;
}

/** Piece names (`fields=`) the fake knows, and where they live. */
const FIELD_PATHS: Readonly<Record<string, string>> = {
  NCTId: 'protocolSection.identificationModule.nctId',
  NCTIdAlias: 'protocolSection.identificationModule.nctIdAliases',
  BriefTitle: 'protocolSection.identificationModule.briefTitle',
  OfficialTitle: 'protocolSection.identificationModule.officialTitle',
  Acronym: 'protocolSection.identificationModule.acronym',
  OverallStatus: 'protocolSection.statusModule.overallStatus',
  LastUpdatePostDate: 'protocolSection.statusModule.lastUpdatePostDateStruct',
  StudyFirstPostDate: 'protocolSection.statusModule.studyFirstPostDateStruct',
  StartDate: 'protocolSection.statusModule.startDateStruct',
  CompletionDate: 'protocolSection.statusModule.completionDateStruct',
  Phase: 'protocolSection.designModule.phases',
  StudyType: 'protocolSection.designModule.studyType',
  EnrollmentCount: 'protocolSection.designModule.enrollmentInfo.count',
  Condition: 'protocolSection.conditionsModule.conditions',
  LeadSponsorName: 'protocolSection.sponsorCollaboratorsModule.leadSponsor.name',
  HasResults: 'hasResults',
};
const TOP_LEVEL = [
  'protocolSection',
  'derivedSection',
  'resultsSection',
  'documentSection',
  'annotationSection',
  'hasResults',
];

/** Areas `filter.advanced` can test, and their date struct or value path. */
const RANGE_AREAS: Readonly<Record<string, string>> = {
  LastUpdatePostDate: 'lastUpdatePostDateStruct',
  StudyFirstPostDate: 'studyFirstPostDateStruct',
  StartDate: 'startDateStruct',
  CompletionDate: 'completionDateStruct',
};

class BadRequest extends Error {}

function pathValue(study: unknown, path: string): unknown {
  let node: unknown = study;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Resolves a `fields=` list to paths; unknown names are a 400, as on the real API. */
function fieldPaths(fields: string): string[] {
  const paths: string[] = [];
  for (const raw of fields.split(/[,|]/)) {
    const name = raw.trim();
    if (name === '') continue;
    const known = FIELD_PATHS[name];
    if (known !== undefined) paths.push(known);
    else if (TOP_LEVEL.includes(name.split('.')[0]!)) paths.push(name);
    else throw new BadRequest(`Unknown field in fields parameter: ${name}`);
  }
  return paths;
}

function project(study: FakeStudy, paths: readonly string[]): FakeStudy {
  const out: FakeStudy = {};
  for (const path of paths) {
    const value = pathValue(study, path);
    if (value !== undefined) setPath(out, path, structuredClone(value));
  }
  return out;
}

type Predicate = (study: FakeStudy, entry: StudyEntry) => boolean;

/**
 * The part of Essie `filter.advanced` the harvester and tests use: `AREA[X]RANGE[a,b]` on dates
 * (`MIN`/`MAX` open ends), `AREA[X]value` on a few coded fields, `AND`, and parentheses.
 */
export function parseAdvancedFilter(expression: string): Predicate {
  let rest = expression.trim();
  const fail = (): never => {
    throw new BadRequest(`Unsupported or invalid filter.advanced expression: ${expression}`);
  };
  const parseTerm = (): Predicate => {
    rest = rest.trimStart();
    if (rest.startsWith('(')) {
      rest = rest.slice(1);
      const inner = parseExpr();
      rest = rest.trimStart();
      if (!rest.startsWith(')')) fail();
      rest = rest.slice(1);
      return inner;
    }
    const range = /^AREA\[(\w+)\]RANGE\[([^,\]]+),([^\]]+)\]/.exec(rest);
    if (range !== null) {
      rest = rest.slice(range[0].length);
      const struct = RANGE_AREAS[range[1]!];
      if (struct === undefined) fail();
      const low = range[2]!.trim();
      const high = range[3]!.trim();
      return (study) => {
        const date = dateField(study, struct!);
        if (date === undefined) return false;
        return (low === 'MIN' || date >= low) && (high === 'MAX' || date <= high);
      };
    }
    const equal = /^AREA\[(\w+)\]([A-Za-z0-9_]+)/.exec(rest);
    if (equal !== null) {
      rest = rest.slice(equal[0].length);
      const [, area, value] = equal;
      const path =
        area === 'OverallStatus'
          ? 'protocolSection.statusModule.overallStatus'
          : area === 'StudyType'
            ? 'protocolSection.designModule.studyType'
            : area === 'Phase'
              ? 'protocolSection.designModule.phases'
              : fail();
      return (study) => {
        const found = pathValue(study, path);
        return Array.isArray(found) ? found.includes(value) : found === value;
      };
    }
    return fail();
  };
  const parseExpr = (): Predicate => {
    const terms = [parseTerm()];
    for (;;) {
      const and = /^\s+AND\s+/.exec(rest);
      if (and === null) break;
      rest = rest.slice(and[0].length);
      terms.push(parseTerm());
    }
    return (study, entry) => terms.every((term) => term(study, entry));
  };
  const predicate = parseExpr();
  if (rest.trim() !== '') fail();
  return predicate;
}

const KNOWN_PARAMETERS = new Set([
  'format',
  'markupFormat',
  'fields',
  'sort',
  'countTotal',
  'pageSize',
  'pageToken',
  'aggFilters',
  'geoDecay',
]);

function locationText(study: FakeStudy): string {
  const locations = record(record(study.protocolSection).contactsLocationsModule).locations;
  if (!Array.isArray(locations)) return '';
  return locations
    .map((location) => {
      const l = record(location);
      return [l.facility, l.city, l.state, l.country].filter((v) => typeof v === 'string').join(' ');
    })
    .join('\n')
    .toLowerCase();
}

function conditionText(study: FakeStudy): string {
  const conditions = record(record(study.protocolSection).conditionsModule);
  const identification = identificationOf(study);
  return [
    ...(Array.isArray(conditions.conditions) ? conditions.conditions : []),
    ...(Array.isArray(conditions.keywords) ? conditions.keywords : []),
    identification.briefTitle,
    identification.officialTitle,
  ]
    .filter((v) => typeof v === 'string')
    .join('\n')
    .toLowerCase();
}

/** Builds the study predicate of a `/studies` request; a parameter the fake cannot honour is a 400. */
function studiesPredicate(query: URLSearchParams): Predicate | undefined {
  const predicates: Predicate[] = [];
  for (const [key, value] of query) {
    if (KNOWN_PARAMETERS.has(key)) continue;
    if (key === 'filter.advanced' || key === 'postFilter.advanced') {
      predicates.push(parseAdvancedFilter(value));
    } else if (key === 'filter.ids' || key === 'postFilter.ids') {
      const ids = new Set(value.split(/[\s,|]+/).filter((id) => id !== ''));
      predicates.push((_study, entry) => ids.has(entry.id) || entry.aliases.some((alias) => ids.has(alias)));
    } else if (key === 'filter.overallStatus' || key === 'postFilter.overallStatus') {
      const statuses = new Set(value.split(/[,|]/).map((s) => s.trim()));
      predicates.push((study) => statuses.has(String(statusOf(study).overallStatus)));
    } else if (key.startsWith('query.')) {
      const needle = value.toLowerCase();
      if (key === 'query.locn') predicates.push((study) => locationText(study).includes(needle));
      else if (key === 'query.cond') predicates.push((study) => conditionText(study).includes(needle));
      else predicates.push((_study, entry) => entry.json().toLowerCase().includes(needle));
    } else {
      throw new BadRequest(`Unknown parameter: ${key}`);
    }
  }
  if (predicates.length === 0) return undefined;
  return (study, entry) => predicates.every((predicate) => predicate(study, entry));
}

function querySignature(query: URLSearchParams): string {
  // The documented rule: every parameter but countTotal, pageSize and pageToken stays the same.
  const kept = [...query].filter(([key]) => !['countTotal', 'pageSize', 'pageToken'].includes(key));
  return createHash('sha256').update(JSON.stringify(kept)).digest('base64url').slice(0, 12);
}

interface PageToken {
  /** Studies with ids greater than this come next ('' = from the start). */
  after: string;
  /** The 1-based number of the page this token asks for. */
  page: number;
  signature: string;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([token.after, token.page, token.signature])).toString('base64url');
}

function decodeToken(value: string): PageToken {
  try {
    const [after, page, signature] = JSON.parse(
      Buffer.from(value, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof after === 'string' && typeof page === 'number' && typeof signature === 'string') {
      return { after, page, signature };
    }
  } catch {
    // reported below
  }
  throw new BadRequest(`Invalid pageToken: ${value}`);
}

// ---------------------------------------------------------------------------------------------
// The controller

class StudyEntry {
  #json: string | undefined;

  constructor(
    readonly id: string,
    public study: FakeStudy,
  ) {}

  get aliases(): string[] {
    const aliases = identificationOf(this.study).nctIdAliases;
    return Array.isArray(aliases)
      ? aliases.filter((alias): alias is string => typeof alias === 'string')
      : [];
  }

  /** The compact JSON of the study, cached until the study changes (pages of 1,000 stay cheap). */
  json(): string {
    this.#json ??= JSON.stringify(this.study);
    return this.#json;
  }

  replace(study: FakeStudy): void {
    this.study = study;
    this.#json = undefined;
  }
}

export type CtgovErrorKind =
  /** `text/plain`, as the API answers a bad request. */
  | 'text'
  /** An HTML error page, as a proxy or CDN in front of the registry sends. */
  | 'html'
  /** Text under `application/json`. */
  | 'text-as-json'
  /** HTML under `application/json`. */
  | 'html-as-json';

export interface CtgovFailure {
  status?: number;
  /** The first line of the body (default: a message fitting the status). */
  message?: string;
  /** Which requests (default: `/api/v2/studies`, which covers single studies too). */
  match?: RequestMatcher;
  times?: number;
}

export interface FakeCtgovOptions {
  /** The studies served (copied; default: the 200 real fixtures). */
  studies?: readonly FakeStudy[];
  dataTimestamp?: string;
  apiVersion?: string;
}

export interface FakeCtgov {
  /** `http://127.0.0.1:PORT/api/v2`: what CTGOV_BASE_URL points at. */
  readonly apiBaseUrl: string;
  /** `/version`'s dataTimestamp (`yyyy-MM-ddTHH:mm:ss`). */
  dataTimestamp: string;
  apiVersion: string;
  /** Page numbers (1-based, per listing) answered with no studies but a token to the same place. */
  emptyPages: Set<number>;
  /** Whether `countTotal=true` gets a `totalCount` (on the first page only, as the real API does). */
  sendTotalCount: boolean;
  /**
   * Added to the `totalCount` sent (e.g. +1 to fake a study lost between pages); a function gets
   * the request's parameters, to skew only some listings.
   */
  totalCountSkew: number | ((query: URLSearchParams) => number);
  /** Ids served, sorted. */
  ids(): string[];
  /** The study held for an id (the live object; use `updateStudy` to change it). */
  study(id: string): FakeStudy | undefined;
  setStudies(studies: readonly FakeStudy[]): void;
  addStudy(study: FakeStudy): void;
  removeStudy(id: string): void;
  /** Changes a copy of the study and serves the copy from then on. */
  updateStudy(id: string, change: (study: FakeStudy) => void): void;
  /** Sets `lastUpdatePostDateStruct` (and `lastUpdateSubmitDate` to the same day). */
  setLastUpdatePostDate(id: string, date: string, type?: 'ACTUAL' | 'ESTIMATED'): void;
  /**
   * Merges `oldId` into `intoId`: `oldId` is no longer served and becomes one of `intoId`'s
   * `nctIdAliases`; `lastUpdatePostDate` of `intoId` moves only when given.
   */
  mergeStudy(oldId: string, intoId: string, lastUpdatePostDate?: string): void;
  /** Answers the next matching requests with an error as text or HTML. */
  failWith(kind: CtgovErrorKind, failure?: CtgovFailure): void;
  /** `/studies` listing requests seen so far (not single-study requests). */
  listingRequests(): LoggedRequest[];
  /** `/studies/{nctId}` requests seen so far. */
  studyRequests(): LoggedRequest[];
  versionRequests(): LoggedRequest[];
}

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad request: the request parameters are not valid',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests, please slow down',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
};

/** The body and content type of an error of `kind`. */
export function ctgovErrorResponse(kind: CtgovErrorKind, status: number, message: string): FakeResponse {
  const html = `<!DOCTYPE html>\n<html>\n<head><title>${status} ${message}</title></head>\n<body>\n<h1>${message}</h1>\n<p>Reference #18.5e3c1002.1718000000.1a2b3c</p>\n</body>\n</html>\n`;
  switch (kind) {
    case 'text':
      return text(status, `${message}\n`);
    case 'html':
      return text(status, html, 'text/html; charset=utf-8');
    case 'text-as-json':
      return text(status, `${message}\n`, 'application/json');
    case 'html-as-json':
      return text(status, html, 'application/json;charset=UTF-8');
  }
}

/** Installs the ClinicalTrials.gov API v2 routes on `core`. */
export function installCtgov(core: FakeServerCore, options: FakeCtgovOptions = {}): FakeCtgov {
  const entries = new Map<string, StudyEntry>();
  let sorted: string[] | undefined;
  const sortedIds = (): string[] => (sorted ??= [...entries.keys()].sort());
  const put = (study: FakeStudy): void => {
    const id = studyIdOf(study);
    entries.set(id, new StudyEntry(id, study));
    sorted = undefined;
  };
  const entryOf = (id: string): StudyEntry => {
    const entry = entries.get(id);
    if (entry === undefined) throw new Error(`fake ctgov: no study ${id}`);
    return entry;
  };
  for (const study of options.studies ?? loadCtgovFixtures()) put(structuredClone(study));

  const controller: FakeCtgov = {
    get apiBaseUrl() {
      return `${core.baseUrl}${API}`;
    },
    dataTimestamp: options.dataTimestamp ?? '2026-04-09T09:00:05',
    apiVersion: options.apiVersion ?? '2.0.5',
    emptyPages: new Set(),
    sendTotalCount: true,
    totalCountSkew: 0,
    ids: () => [...sortedIds()],
    study: (id) => entries.get(id)?.study,
    setStudies(studies) {
      entries.clear();
      sorted = undefined;
      for (const study of studies) put(structuredClone(study));
    },
    addStudy(study) {
      put(structuredClone(study));
    },
    removeStudy(id) {
      entryOf(id);
      entries.delete(id);
      sorted = undefined;
    },
    updateStudy(id, change) {
      const entry = entryOf(id);
      const copy = structuredClone(entry.study);
      change(copy);
      if (studyIdOf(copy) !== id) throw new Error('fake ctgov: updateStudy may not change the NCT id');
      entry.replace(copy);
    },
    setLastUpdatePostDate(id, date, type = 'ACTUAL') {
      controller.updateStudy(id, (study) => {
        const status = statusOf(study);
        status.lastUpdatePostDateStruct = { date, type };
        status.lastUpdateSubmitDate = date;
      });
    },
    mergeStudy(oldId, intoId, lastUpdatePostDate) {
      entryOf(oldId);
      controller.updateStudy(intoId, (study) => {
        const identification = identificationOf(study);
        const aliases = Array.isArray(identification.nctIdAliases) ? identification.nctIdAliases : [];
        identification.nctIdAliases = [...aliases, oldId];
        if (lastUpdatePostDate !== undefined) {
          statusOf(study).lastUpdatePostDateStruct = { date: lastUpdatePostDate, type: 'ACTUAL' };
        }
      });
      controller.removeStudy(oldId);
    },
    failWith(kind, failure = {}) {
      const status = failure.status ?? 400;
      const message = failure.message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
      const response = ctgovErrorResponse(kind, status, message);
      core.injectFault(
        {
          kind: 'respond',
          status,
          body: response.body ?? '',
          contentType: response.headers?.['content-type'] ?? 'text/plain',
        },
        { match: failure.match ?? `${API}/studies`, times: failure.times ?? 1 },
      );
    },
    listingRequests: () => core.requests.filter((request) => request.path === `${API}/studies`),
    studyRequests: () => core.requests.filter((request) => request.path.startsWith(`${API}/studies/`)),
    versionRequests: () => core.requests.filter((request) => request.path === `${API}/version`),
  };

  const badRequest = (error: unknown): FakeResponse => {
    if (error instanceof BadRequest) return text(400, `${error.message}\n`);
    throw error;
  };

  const listStudies = (request: FakeRequest): FakeResponse => {
    const { query } = request;
    const format = query.get('format');
    if (format !== null && format !== 'json')
      throw new BadRequest(`The fake serves format=json only (got ${format})`);
    const sizeParam = query.get('pageSize');
    const pageSize = sizeParam === null ? DEFAULT_PAGE_SIZE : Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new BadRequest(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${sizeParam})`);
    }
    const fields = query.get('fields');
    const paths = fields === null ? undefined : fieldPaths(fields);
    const predicate = studiesPredicate(query);
    const signature = querySignature(query);
    const tokenParam = query.get('pageToken');
    const token = tokenParam === null ? { after: '', page: 1, signature } : decodeToken(tokenParam);
    if (token.signature !== signature) {
      throw new BadRequest(
        'The pageToken was issued for a different query: send the same parameters on every page',
      );
    }

    const ids = sortedIds();
    const matches = (id: string): boolean => {
      const entry = entries.get(id)!;
      return predicate === undefined || predicate(entry.study, entry);
    };
    const parts: string[] = [];
    let position = token.after === '' ? 0 : upperBound(ids, token.after);
    let last = token.after;
    let more = false;
    if (controller.emptyPages.has(token.page)) {
      more = true; // an empty page that still hands out a token to the same place
    } else {
      for (; position < ids.length; position++) {
        const id = ids[position]!;
        if (!matches(id)) continue;
        if (parts.length === pageSize) {
          more = true;
          break;
        }
        const entry = entries.get(id)!;
        parts.push(paths === undefined ? entry.json() : JSON.stringify(project(entry.study, paths)));
        last = id;
      }
    }
    let body = `{"studies":[${parts.join(',')}]`;
    if (tokenParam === null && query.get('countTotal') === 'true' && controller.sendTotalCount) {
      const total = predicate === undefined ? ids.length : ids.filter(matches).length;
      const skew = controller.totalCountSkew;
      body += `,"totalCount":${total + (typeof skew === 'number' ? skew : skew(query))}`;
    }
    if (more)
      body += `,"nextPageToken":${JSON.stringify(encodeToken({ after: last, page: token.page + 1, signature }))}`;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: `${body}}` };
  };

  // Added first so that the routes below win: unknown API paths answer like the API, in text.
  core.route('*', /^\/api\/v2(?:\/.*)?$/, (request) => text(404, `Not found: ${request.path}\n`));
  core.route('GET', `${API}/version`, () =>
    json(200, { apiVersion: controller.apiVersion, dataTimestamp: controller.dataTimestamp }),
  );
  core.route('GET', `${API}/studies`, (request) => {
    try {
      return listStudies(request);
    } catch (error) {
      return badRequest(error);
    }
  });
  core.route('GET', `${API}/studies/{nctId}`, (request) => {
    try {
      const id = decodeURIComponent(request.params.nctId ?? '');
      if (!/^NCT\d{8}$/i.test(id)) throw new BadRequest(`Invalid NCT number: ${id}`);
      const upper = id.toUpperCase();
      // A merged id answers with the study it was merged into.
      const entry =
        entries.get(upper) ?? [...entries.values()].find((candidate) => candidate.aliases.includes(upper));
      if (entry === undefined) return text(404, `Study ${upper} not found\n`);
      const fields = request.query.get('fields');
      const body = fields === null ? entry.json() : JSON.stringify(project(entry.study, fieldPaths(fields)));
      return { status: 200, headers: { 'content-type': 'application/json' }, body };
    } catch (error) {
      return badRequest(error);
    }
  });

  return controller;
}

/** The index of the first id greater than `after` in sorted `ids`. */
function upperBound(ids: readonly string[], after: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid]! <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
