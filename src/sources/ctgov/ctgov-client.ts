import { isUtf8 } from 'node:buffer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError, messageOf } from '../../errors/app-error.js';
import type { UpstreamClient, UpstreamResponse } from '../http/upstream-client.js';
import { isUtf8Declared, scanUtf8, utf8BomLength, utf8CutTailLength } from '../http/body-text.js';
import { scanJsonPage } from '../http/json-page.js';
import { bodyText, firstLine } from '../http/upstream-client.js';
import type {
  HarvestContext,
  ImportFile,
  ListingEnd,
  PageReader,
  PageStream,
  PreparedPage,
  ReadPage,
  SkippedRecord,
  SourcePage,
} from '../source.types.js';
import type { CtgovStudiesPage, CtgovVersionBody } from './ctgov-api.types.js';
import { CTGOV_ID_FIELDS, CTGOV_MAX_PAGE_SIZE } from './ctgov-api.types.js';
import type { CtgovConfig } from './ctgov-config.js';
import { ctgovStudyAliases, ctgovStudyId } from './ctgov-mapper.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'ctgov';
const DAY_MS = 86_400_000;
/**
 * A reconciliation is due this long before `reconcileDays` have fully passed, so a daily schedule
 * whose start drifts by a few seconds still reconciles on the 7th day rather than the 8th.
 */
const RECONCILE_SLACK_MS = 3_600_000;
/** The registry may send empty pages that carry a token; this many in a row means it is looping. */
export const MAX_EMPTY_PAGES_IN_A_ROW = 100;
/** Merged studies fetched per `filter.ids` request during reconciliation (keeps URLs short). */
export const ALIAS_FETCH_CHUNK = 100;
/** Studies per page when importing a saved file. */
const IMPORT_PAGE_SIZE = 500;

type Params = readonly (readonly [string, string])[];

// ---------------------------------------------------------------------------------------------
// Requests and responses

/** `{base}/studies?…`: the given parameters in order, then the page token. */
export function ctgovStudiesUrl(
  config: Pick<CtgovConfig, 'baseUrl'>,
  params: Params,
  pageToken?: string,
): string {
  const search = new URLSearchParams(params.map(([key, value]): [string, string] => [key, value]));
  if (pageToken !== undefined) search.set('pageToken', pageToken);
  return `${config.baseUrl}/studies?${search.toString()}`;
}

/** The Essie clause of an incremental listing: studies whose last update was posted on or after `fromDate`. */
export function lastUpdateClause(fromDate: string): string {
  return `AREA[LastUpdatePostDate]RANGE[${fromDate},MAX]`;
}

/**
 * `CTGOV_QUERY`'s parameters with `clause` added to `filter.advanced`: ANDed with the operator's
 * own `filter.advanced` when there is one, so the incremental window never widens the mirror.
 */
export function withAdvancedFilter(query: Params, clause: string): [string, string][] {
  const out: [string, string][] = [];
  let merged = false;
  for (const [key, value] of query) {
    if (key === 'filter.advanced') {
      out.push([key, `(${value}) AND ${clause}`]);
      merged = true;
    } else {
      out.push([key, value]);
    }
  }
  if (!merged) out.push(['filter.advanced', clause]);
  return out;
}

/**
 * The error for a non-2xx answer the client handed back (a non-retryable 4xx): the registry
 * writes its reason as text (sometimes under a JSON content type), so the message carries the
 * body's first line, or the `message` of a JSON body.
 */
export function ctgovHttpError(response: UpstreamResponse): AppError {
  const reason = reasonOf(response.body);
  const where = `${SOURCE}: GET ${response.safeUrl}`;
  const details = { status: response.status, contentType: response.contentType };
  if (response.status === 404) {
    return new AppError(
      'UPSTREAM_HTTP_ERROR',
      `${where} answered HTTP 404 (${reason}); check CTGOV_BASE_URL, which should end in /api/v2`,
      { details },
    );
  }
  return new AppError('UPSTREAM_REJECTED', `${where} was rejected with HTTP ${response.status}: ${reason}`, {
    details,
  });
}

function reasonOf(body: Buffer): string {
  const text = body.subarray(0, 65_536).toString('utf8').trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isPlainObject(parsed)) {
        for (const key of ['message', 'error', 'detail', 'title']) {
          const value = parsed[key];
          if (typeof value === 'string' && value.trim() !== '') return firstLine(value);
        }
      }
    } catch {
      // not JSON after all: the first line says what it is
    }
  }
  return firstLine(body);
}

/**
 * Parses a 2xx body as JSON. The registry and the proxies in front of it answer some errors with
 * text or HTML under `application/json`, so the body is looked at, not the content type; the error
 * names the declared type and quotes the body's first line.
 */
export function parseCtgovJson(response: UpstreamResponse): unknown {
  const text = bodyText(response, SOURCE);
  const start = text.trimStart();
  const declared = response.contentType === '' ? 'no content type' : `content type ${response.contentType}`;
  if (!start.startsWith('{') && !start.startsWith('[')) {
    const kind = /^<(?:!doctype|html|head|body|\?xml)/i.test(start) ? 'an HTML page' : 'text';
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with ${kind} instead of JSON (${declared}): ${firstLine(response.body)}`,
      { details: { status: response.status, contentType: response.contentType } },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with JSON that cannot be read (${declared}, ${response.body.length} bytes; cut off?): ${messageOf(error)}`,
      { cause: error, details: { status: response.status, contentType: response.contentType } },
    );
  }
}

/** One `/studies` page as read: `studies` is always an array; counts and token only when usable. */
export interface CtgovPage {
  studies: unknown[];
  totalCount: number | undefined;
  nextPageToken: string | undefined;
}

/** Reads one `/studies` response; throws a clear error for an error answer or a body that is not a page. */
export function parseCtgovPage(response: UpstreamResponse): CtgovPage {
  if (response.status < 200 || response.status >= 300) throw ctgovHttpError(response);
  const body = parseCtgovJson(response);
  if (!isPlainObject(body) || !Array.isArray(body.studies)) {
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with JSON that is not a studies page (no "studies" list): ${firstLine(response.body)}`,
      { details: { status: response.status } },
    );
  }
  return {
    studies: body.studies,
    ...pageFacts(body),
  };
}

/** A page's total (a usable count) and next page token (a non-empty one). */
function pageFacts(body: Record<string, unknown>): Pick<CtgovPage, 'totalCount' | 'nextPageToken'> {
  const page = body as unknown as CtgovStudiesPage;
  const total = page.totalCount;
  const token = page.nextPageToken;
  return {
    totalCount: typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : undefined,
    nextPageToken: typeof token === 'string' && token !== '' ? token : undefined,
  };
}

export interface CtgovVersion {
  apiVersion: string | null;
  /** `yyyy-MM-ddTHH:mm:ss` (UTC) of the data release being served. */
  dataTimestamp: string;
}

/** `GET {base}/version`. */
export async function fetchCtgovVersion(client: UpstreamClient, config: CtgovConfig): Promise<CtgovVersion> {
  const response = await client.get({ url: `${config.baseUrl}/version` });
  if (response.status < 200 || response.status >= 300) throw ctgovHttpError(response);
  const body = parseCtgovJson(response) as CtgovVersionBody;
  if (!isPlainObject(body) || typeof body.dataTimestamp !== 'string' || body.dataTimestamp.trim() === '') {
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      `${SOURCE}: GET ${response.safeUrl} has no dataTimestamp: ${firstLine(response.body)}`,
    );
  }
  return {
    apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : null,
    dataTimestamp: body.dataTimestamp.trim(),
  };
}

/** `GET {base}/studies/{nctId}`: the study, or undefined when the registry has no such study (404). */
export async function fetchCtgovStudy(
  client: UpstreamClient,
  config: CtgovConfig,
  nctId: string,
  fields?: string,
): Promise<unknown> {
  const search = fields === undefined ? '' : `?${new URLSearchParams({ fields }).toString()}`;
  const response = await client.get({
    url: `${config.baseUrl}/studies/${encodeURIComponent(nctId)}${search}`,
  });
  if (response.status === 404) return undefined;
  if (response.status < 200 || response.status >= 300) throw ctgovHttpError(response);
  const body = parseCtgovJson(response);
  if (!isPlainObject(body)) {
    throw new AppError('UPSTREAM_BAD_RESPONSE', `${SOURCE}: GET ${response.safeUrl} is not a study object`);
  }
  return body;
}

/** What the paging loop needs of a page, whoever read it, and the page itself (`value`). */
interface PageFacts<P> {
  size: number;
  totalCount: number | undefined;
  nextPageToken: string | undefined;
  value: P;
}

function readStudiesPage(response: UpstreamResponse): PageFacts<CtgovPage> {
  const page = parseCtgovPage(response);
  return {
    size: page.studies.length,
    totalCount: page.totalCount,
    nextPageToken: page.nextPageToken,
    value: page,
  };
}

/**
 * `readPage` of the ctgov adapter: one `/studies` response, its studies located without being
 * parsed (each is parsed when asked for), the page's total and next token as its facts. A page
 * that is not plain UTF-8 JSON of that shape is read whole by `parseCtgovPage`, for its error.
 */
export function readCtgovPage(response: UpstreamResponse): ReadPage {
  if (response.status >= 200 && response.status < 300 && isUtf8Declared(response.contentType)) {
    const scanned = scanJsonPage(response.body, 'studies');
    if (scanned !== undefined) {
      const facts = pageFacts(scanned.page);
      return {
        meta: { totalCount: facts.totalCount, nextPageToken: facts.nextPageToken },
        count: scanned.count,
        json: (index) => scanned.bytes(index),
        record: (index) => {
          try {
            return JSON.parse(scanned.text(index)) as unknown;
          } catch (error) {
            throw new AppError(
              'UPSTREAM_BAD_RESPONSE',
              `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with a page whose study ${index + 1} is not JSON (${response.body.length} bytes): ${messageOf(error)}`,
              { details: { status: response.status } },
            );
          }
        },
      };
    }
  }
  const page = parseCtgovPage(response);
  return {
    meta: { totalCount: page.totalCount, nextPageToken: page.nextPageToken },
    count: page.studies.length,
    record: (index) => page.studies[index],
    json: () => undefined,
  };
}

/** A page read through `HarvestContext.readPage`, with the facts `readCtgovPage` put in its meta. */
function readPreparedPage(
  context: HarvestContext<CtgovConfig>,
  response: UpstreamResponse,
): PageFacts<PreparedPage> {
  const page = context.readPage(response);
  const { totalCount, nextPageToken } = page.meta;
  return {
    size: page.count,
    totalCount: typeof totalCount === 'number' ? totalCount : undefined,
    nextPageToken: typeof nextPageToken === 'string' ? nextPageToken : undefined,
    value: page,
  };
}

export interface CtgovPagingSummary {
  pages: number;
  emptyPages: number;
  studies: number;
  /** From the first page that carried one (the registry sends it on the first page only). */
  totalCount: number | undefined;
}

/**
 * Pages through `/studies` with the same parameters on every page, following `nextPageToken`
 * until a page has none, each page read whole (`parseCtgovPage`). See `pageStudies`.
 */
export function pageCtgovStudies(
  client: UpstreamClient,
  config: CtgovConfig,
  params: Params,
): AsyncGenerator<CtgovPage, CtgovPagingSummary, void> {
  return pageStudies(client, config, params, readStudiesPage);
}

/**
 * The paging loop, whoever reads the pages. Empty pages that carry a token do not end the
 * listing; a token seen before, or too many empty pages in a row, fail it rather than loop forever.
 */
async function* pageStudies<P>(
  client: UpstreamClient,
  config: CtgovConfig,
  params: Params,
  read: (response: UpstreamResponse) => PageFacts<P>,
): AsyncGenerator<P, CtgovPagingSummary, void> {
  const summary: CtgovPagingSummary = { pages: 0, emptyPages: 0, studies: 0, totalCount: undefined };
  const tokens = new Set<string>();
  let token: string | undefined;
  let emptyInARow = 0;
  for (;;) {
    const response = await client.get({ url: ctgovStudiesUrl(config, params, token) });
    const page = read(response);
    summary.pages++;
    summary.studies += page.size;
    summary.totalCount ??= page.totalCount;
    if (page.size === 0) {
      summary.emptyPages++;
      emptyInARow++;
    } else {
      emptyInARow = 0;
    }
    yield page.value;
    if (page.nextPageToken === undefined) return summary;
    if (tokens.has(page.nextPageToken)) {
      throw new AppError(
        'UPSTREAM_BAD_RESPONSE',
        `${SOURCE}: GET ${response.safeUrl} handed out a page token it had handed out before (page ${summary.pages}); following it would loop`,
      );
    }
    if (emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW) {
      throw new AppError(
        'UPSTREAM_BAD_RESPONSE',
        `${SOURCE}: ${emptyInARow} empty pages in a row, each with a next page token (last: GET ${response.safeUrl}); giving up rather than loop`,
      );
    }
    tokens.add(page.nextPageToken);
    token = page.nextPageToken;
  }
}

// ---------------------------------------------------------------------------------------------
// Harvest state

/** What a successful run keeps for the next (in `source_state.state`). */
export interface CtgovState {
  /** `/version`'s dataTimestamp when the run started: an equal one means nothing to fetch. */
  dataTimestamp?: string;
  /**
   * The day (YYYY-MM-DD, UTC) of the data the run covered: the release day, else the day the run
   * started. The next incremental window starts a day before the earlier of this and the run.
   */
  since?: string;
  /** `CTGOV_QUERY` of the run: after a change of scope the next run is a full one. */
  query?: string;
  /** Epoch ms when the last completed reconciliation (id pass or full harvest) started. */
  lastReconciledAt?: number;
  /** Epoch ms when the last complete full harvest started. */
  lastFullAt?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the saved state, dropping anything malformed (a bad value only costs a wider window). */
export function readCtgovState(raw: Readonly<Record<string, unknown>>): CtgovState {
  const state: CtgovState = {};
  if (typeof raw.dataTimestamp === 'string' && raw.dataTimestamp !== '')
    state.dataTimestamp = raw.dataTimestamp;
  if (typeof raw.since === 'string' && DAY.test(raw.since)) state.since = raw.since;
  if (typeof raw.query === 'string') state.query = raw.query;
  if (typeof raw.lastReconciledAt === 'number' && Number.isFinite(raw.lastReconciledAt)) {
    state.lastReconciledAt = raw.lastReconciledAt;
  }
  if (typeof raw.lastFullAt === 'number' && Number.isFinite(raw.lastFullAt))
    state.lastFullAt = raw.lastFullAt;
  return state;
}

/** The UTC day of an epoch-ms time, `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `days` (negative to go back). */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The day of a `/version` dataTimestamp, or undefined when it does not start with one. */
export function dataDay(dataTimestamp: string | undefined): string | undefined {
  const day = dataTimestamp?.slice(0, 10);
  return day !== undefined && DAY.test(day) && !Number.isNaN(Date.parse(day)) ? day : undefined;
}

/**
 * The first day of an incremental window: one day before the earlier of the last successful run's
 * day and the data day it covered. `LastUpdatePostDate` has day granularity and a release can post
 * more updates on the day a run already read, so the windows overlap by a day.
 */
export function incrementalStartDay(state: CtgovState, lastSuccessAt: number): string {
  const days = [utcDay(lastSuccessAt)];
  if (state.since !== undefined) days.push(state.since);
  days.sort();
  return addDays(days[0]!, -1);
}

/** Whether the id-only reconciliation pass is due at `now`. */
export function reconciliationDue(state: CtgovState, reconcileDays: number, now: number): boolean {
  if (reconcileDays === 0 || state.lastReconciledAt === undefined) return true;
  return now - state.lastReconciledAt >= reconcileDays * DAY_MS - RECONCILE_SLACK_MS;
}

// ---------------------------------------------------------------------------------------------
// Listings

interface ContentPassResult extends CtgovPagingSummary {
  /** Studies with a usable NCT id (what completeness is judged on). */
  identified: number;
}

/** Yields every page of a content listing; remembers the ids yielded when `yielded` is given. */
async function* contentPass(
  context: HarvestContext<CtgovConfig>,
  params: Params,
  yielded: Set<string> | undefined,
): AsyncGenerator<SourcePage, ContentPassResult, void> {
  const pages = pageStudies(context.client, context.config, params, (response) =>
    readPreparedPage(context, response),
  );
  let identified = 0;
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return { ...next.value, identified };
    const { prepared, refused } = next.value;
    for (const record of prepared) {
      identified++;
      yielded?.add(record.trial.id);
    }
    for (const record of refused) {
      if (record.id === null) continue; // refused for want of a usable id
      identified++;
      yielded?.add(record.id);
    }
    // Empty pages are yielded too: the harvest service renews its lease after every page.
    yield { prepared, refused };
  }
}

interface IdPassResult extends CtgovPagingSummary {
  listed: number;
  aliased: number;
  aliasedFetched: number;
}

/**
 * The id-only reconciliation listing (`fields=NCTId,NCTIdAlias`). Ids are yielded as
 * `presentIds`; a study that lists merged ids is fetched in full (in `filter.ids` batches) and
 * yielded as a record instead, so its aliases are recorded even when its last-update date did
 * not move. Ids `alreadyYielded` with content in this run stay plain ids.
 */
async function* idPass(
  context: HarvestContext<CtgovConfig>,
  alreadyYielded: ReadonlySet<string>,
): AsyncGenerator<SourcePage, IdPassResult, void> {
  const { config, client } = context;
  const params: [string, string][] = [
    ...config.query.map(([key, value]): [string, string] => [key, value]),
    ['fields', CTGOV_ID_FIELDS],
    ['pageSize', String(config.pageSize)],
    ['countTotal', 'true'],
  ];
  const pages = pageCtgovStudies(client, config, params);
  let listed = 0;
  let aliased = 0;
  let aliasedFetched = 0;
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return { ...next.value, listed, aliased, aliasedFetched };
    const presentIds: string[] = [];
    const merged: string[] = [];
    const skipped: SkippedRecord[] = [];
    for (const study of next.value.studies) {
      const id = ctgovStudyId(study);
      if (id === null) {
        skipped.push({ id: null, reason: 'ctgov: the id listing held an entry without a usable NCT id' });
        continue;
      }
      listed++;
      if (ctgovStudyAliases(study).length > 0 && !alreadyYielded.has(id)) merged.push(id);
      else presentIds.push(id);
    }
    aliased += merged.length;
    const records = merged.length === 0 ? [] : await fetchStudiesByIds(client, config, merged);
    aliasedFetched += records.length;
    // A merged study that vanished between the two requests still counts as listed.
    const fetched = new Set(records.map((record) => ctgovStudyId(record)));
    for (const id of merged) if (!fetched.has(id)) presentIds.push(id);
    const page: SourcePage = { ...context.prepare(records), presentIds };
    if (skipped.length > 0) page.skipped = skipped;
    yield page;
  }
}

/** Full records of the given studies, by `filter.ids`; only the asked-for ids are kept, once each. */
export async function fetchStudiesByIds(
  client: UpstreamClient,
  config: CtgovConfig,
  ids: readonly string[],
): Promise<unknown[]> {
  const out: unknown[] = [];
  const kept = new Set<string>();
  for (let i = 0; i < ids.length; i += ALIAS_FETCH_CHUNK) {
    const chunk = ids.slice(i, i + ALIAS_FETCH_CHUNK);
    const wanted = new Set(chunk);
    const params: [string, string][] = [
      ['filter.ids', chunk.join(',')],
      ['pageSize', String(Math.min(CTGOV_MAX_PAGE_SIZE, chunk.length))],
    ];
    for await (const page of pageCtgovStudies(client, config, params)) {
      for (const study of page.studies) {
        const id = ctgovStudyId(study);
        // The registry ignores filters when a query holds only NCT ids; never trust it to narrow.
        if (id === null || !wanted.has(id) || kept.has(id)) continue;
        kept.add(id);
        out.push(study);
      }
    }
  }
  return out;
}

/** `/version`, or undefined (with a warning) when it cannot be read: the harvest goes on without it. */
async function readVersion(context: HarvestContext<CtgovConfig>): Promise<CtgovVersion | undefined> {
  try {
    return await fetchCtgovVersion(context.client, context.config);
  } catch (error) {
    if (error instanceof AppError && error.code === 'HARVEST_INTERRUPTED') throw error;
    context.log.warn(
      { source: SOURCE, err: messageOf(error) },
      `${SOURCE}: could not read /version (${messageOf(error)}); harvesting without the skip check`,
    );
    return undefined;
  }
}

function countsAddUp(found: number, total: number | undefined, what: string): string | undefined {
  if (total === undefined) return `the registry sent no totalCount for the ${what}, so it cannot be checked`;
  if (found < total) return `the ${what} held ${found} studies but totalCount is ${total}`;
  return undefined;
}

/**
 * A harvest of ClinicalTrials.gov, streamed page by page:
 * - `full` (or the first run, or after `CTGOV_QUERY` changed): every study, a full listing that
 *   reconciles by itself;
 * - `incremental`: skipped when `/version`'s dataTimestamp has not moved since the last success;
 *   else the studies whose last update was posted since a day before the last success, then —
 *   when `CTGOV_RECONCILE_DAYS` have passed — the id-only pass. The listing is `full` only when
 *   that pass completed, so removals follow a complete id listing and nothing else.
 */
export async function* harvestCtgov(context: HarvestContext<CtgovConfig>): PageStream {
  const { config, log } = context;
  const previous = readCtgovState(context.state);
  const startedAt = Date.now();
  const version = await readVersion(context);
  const since = dataDay(version?.dataTimestamp) ?? utcDay(startedAt);
  const info: Record<string, unknown> = {
    apiVersion: version?.apiVersion ?? null,
    dataTimestamp: version?.dataTimestamp ?? null,
    query: config.queryText === '' ? null : config.queryText,
  };
  const nextState = (reconciled: boolean, full: boolean): Record<string, unknown> => {
    const state: CtgovState = { ...previous, since, query: config.queryText };
    if (version !== undefined) state.dataTimestamp = version.dataTimestamp;
    else delete state.dataTimestamp;
    if (reconciled) state.lastReconciledAt = startedAt;
    if (full) state.lastFullAt = startedAt;
    return { ...state };
  };

  let fullBecause: string | undefined;
  if (context.mode === 'full') fullBecause = 'a full harvest was asked for';
  else if (context.lastSuccessAt === null) fullBecause = 'there is no earlier successful harvest';
  else if (previous.query !== config.queryText)
    fullBecause = 'CTGOV_QUERY changed since the last successful harvest';

  if (
    fullBecause === undefined &&
    version !== undefined &&
    version.dataTimestamp === previous.dataTimestamp
  ) {
    return {
      listing: 'partial',
      complete: true,
      skippedBecause: `ClinicalTrials.gov has published no new data since the last successful harvest (dataTimestamp ${version.dataTimestamp})`,
      state: { ...context.state },
      info: { ...info, plan: 'skipped' },
    };
  }

  if (fullBecause !== undefined) {
    log.info({ source: SOURCE, reason: fullBecause }, `${SOURCE}: full harvest (${fullBecause})`);
    const params: [string, string][] = [
      ...config.query.map(([key, value]): [string, string] => [key, value]),
      ['pageSize', String(config.pageSize)],
      ['countTotal', 'true'],
    ];
    const result = yield* contentPass(context, params, undefined);
    const problem = countsAddUp(result.identified, result.totalCount, 'full listing');
    const end: ListingEnd = {
      listing: 'full',
      complete: problem === undefined,
      state: nextState(problem === undefined, problem === undefined),
      info: {
        ...info,
        plan: 'full',
        fullBecause,
        totalCount: result.totalCount ?? null,
        studies: result.studies,
        pages: result.pages,
        emptyPages: result.emptyPages,
      },
    };
    if (result.totalCount !== undefined) end.expectedTotal = result.totalCount;
    if (problem !== undefined) end.incompleteReason = `${SOURCE}: ${problem}`;
    return end;
  }

  const fromDay = incrementalStartDay(previous, context.lastSuccessAt!);
  const due = reconciliationDue(previous, config.reconcileDays, startedAt);
  log.info(
    { source: SOURCE, from: fromDay, reconcile: due },
    `${SOURCE}: incremental harvest of studies updated since ${fromDay}${due ? ', then an id reconciliation' : ''}`,
  );
  const params: [string, string][] = [
    ...withAdvancedFilter(config.query, lastUpdateClause(fromDay)),
    ['pageSize', String(config.pageSize)],
    ['countTotal', 'true'],
  ];
  // Only needed to keep studies already fetched in full out of the id pass's alias fetches.
  const yielded = due ? new Set<string>() : undefined;
  const changed = yield* contentPass(context, params, yielded);
  Object.assign(info, {
    plan: due ? 'incremental+reconcile' : 'incremental',
    updatedFrom: fromDay,
    totalCount: changed.totalCount ?? null,
    studies: changed.studies,
    pages: changed.pages,
    emptyPages: changed.emptyPages,
  });
  // Without a totalCount the window cannot be checked; failing every incremental run for that
  // would only widen the next window forever, so it is recorded and the run goes on.
  const shortfall =
    changed.totalCount !== undefined && changed.identified < changed.totalCount
      ? countsAddUp(changed.identified, changed.totalCount, 'incremental listing')
      : undefined;
  if (shortfall !== undefined) {
    const end: ListingEnd = {
      listing: 'partial',
      complete: false,
      incompleteReason: `${SOURCE}: ${shortfall}`,
      info,
    };
    if (changed.totalCount !== undefined) end.expectedTotal = changed.totalCount;
    return end;
  }
  if (yielded === undefined) {
    const end: ListingEnd = { listing: 'partial', complete: true, state: nextState(false, false), info };
    if (changed.totalCount !== undefined) end.expectedTotal = changed.totalCount;
    return end;
  }

  const ids = yield* idPass(context, yielded);
  const problem = countsAddUp(ids.listed, ids.totalCount, 'id listing');
  info.reconciliation = {
    complete: problem === undefined,
    listed: ids.listed,
    totalCount: ids.totalCount ?? null,
    pages: ids.pages,
    emptyPages: ids.emptyPages,
    merged: ids.aliased,
    mergedFetched: ids.aliasedFetched,
    ...(problem === undefined ? {} : { reason: problem }),
  };
  if (problem !== undefined) {
    // The changed studies are stored; only the removals wait for a reconciliation that completes.
    log.warn(
      { source: SOURCE, reason: problem },
      `${SOURCE}: reconciliation incomplete, nothing removed: ${problem}`,
    );
  }
  const end: ListingEnd = {
    listing: problem === undefined ? 'full' : 'partial',
    complete: true,
    state: nextState(problem === undefined, false),
    info,
  };
  if (ids.totalCount !== undefined) end.expectedTotal = ids.totalCount;
  return end;
}

// ---------------------------------------------------------------------------------------------
// Saved files (`trialwatch import`)

function unreadable(file: ImportFile, reason: string): AppError {
  return new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: ${reason}`);
}

/** A file's studies: how many, and a range of them parsed on demand (NDJSON is parsed page by page). */
interface FileStudies {
  count: number;
  slice(start: number, end: number): unknown[];
  format: string;
}

function listed(studies: unknown[], format: string): FileStudies {
  return { count: studies.length, slice: (start, end) => studies.slice(start, end), format };
}

/** A saved `/studies` page, its studies located in the bytes as the harvest's page reader does. */
function scannedPageOfFile(file: ImportFile): FileStudies | undefined {
  const scanned = scanJsonPage(file.content, 'studies');
  if (scanned === undefined) return undefined;
  const parse = (index: number): unknown => {
    try {
      return JSON.parse(scanned.text(index)) as unknown;
    } catch (error) {
      throw new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: study ${index + 1} is not JSON`, {
        cause: error,
      });
    }
  };
  return {
    count: scanned.count,
    slice: (start, end) =>
      Array.from({ length: Math.max(0, Math.min(end, scanned.count) - start) }, (_, i) => parse(start + i)),
    format: 'studies-page',
  };
}

function nonEmpty(file: ImportFile, text: string): string {
  if (text.trim() === '') throw unreadable(file, 'the file is empty');
  return text;
}

const isJsonSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0d;

/**
 * One study per line (NDJSON), as some exports and our own `ndjson` export write them: at least two
 * non-empty lines, each starting with `{`, the first a whole JSON value. Lines are located in the
 * bytes and each page's lines decoded and parsed when it is read, so a large file is never one
 * string nor all its studies parsed at once. Undefined when the bytes are not NDJSON.
 */
function ndjsonOfFile(file: ImportFile, bytes: Buffer, from: number, to: number): FileStudies | undefined {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = from; at < to;) {
    const newline = bytes.indexOf(0x0a, at);
    const lineEnd = newline < 0 || newline > to ? to : newline;
    let first = at;
    while (first < lineEnd && isJsonSpace(bytes[first])) first++;
    if (first < lineEnd) {
      if (bytes[first] !== 0x7b) return undefined;
      starts.push(first);
      ends.push(lineEnd);
    }
    at = lineEnd + 1;
  }
  if (starts.length < 2) return undefined;
  const parse = (index: number): unknown => {
    try {
      return JSON.parse(bytes.toString('utf8', starts[index], ends[index])) as unknown;
    } catch (lineError) {
      throw new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name}: line ${index + 1} is not JSON`, {
        cause: lineError,
      });
    }
  };
  try {
    parse(0);
  } catch {
    return undefined;
  }
  return {
    count: starts.length,
    slice: (start, end) =>
      Array.from({ length: Math.max(0, Math.min(end, starts.length) - start) }, (_, i) => parse(start + i)),
    format: 'ndjson',
  };
}

function studiesOfFile(file: ImportFile, text: string): FileStudies {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('IMPORT_UNREADABLE', `${SOURCE}: ${file.name} is not JSON: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (Array.isArray(body)) return listed(body, 'study-array');
  if (isPlainObject(body) && Array.isArray(body.studies)) return listed(body.studies, 'studies-page');
  if (isPlainObject(body) && isPlainObject(body.protocolSection)) return listed([body], 'study');
  throw unreadable(file, 'expected a study, a /studies page ({"studies":[…]}) or an array of studies');
}

/**
 * Reads a saved `/studies` page, a `/studies/{nctId}` body, the website's "ctg-studies.json"
 * download (an array) or NDJSON as pages of studies. A file is never a full listing: importing a
 * search export must not mark the rest of the mirror removed.
 */
export async function* readCtgovFile(file: ImportFile, reader: PageReader): PageStream {
  // A byte that is not UTF-8 is refused, never stored as U+FFFD (as in an upstream body); a file
  // cut inside its last character is read without it (and then fails as the cut JSON it is).
  const end = file.content.length - utf8CutTailLength(file.content);
  if (!isUtf8(file.content.subarray(0, end))) {
    const scan = scanUtf8(file.content);
    throw unreadable(
      file,
      `the file is not valid UTF-8 (${file.content.length} bytes, ${scan.badBytes} bad, the first at offset ${scan.firstBadOffset})`,
    );
  }
  const start = utf8BomLength(file.content);
  const studies =
    ndjsonOfFile(file, file.content, start, end) ??
    scannedPageOfFile(file) ??
    studiesOfFile(file, nonEmpty(file, file.content.toString('utf8', start, end)));
  for (let offset = 0; offset < studies.count; offset += IMPORT_PAGE_SIZE) {
    // Parsing is synchronous; letting the event loop run between pages keeps a server responsive.
    await nextTurn();
    yield reader.prepare(studies.slice(offset, offset + IMPORT_PAGE_SIZE));
  }
  return {
    listing: 'partial',
    complete: true,
    info: { file: file.name, format: studies.format, studies: studies.count },
  };
}
