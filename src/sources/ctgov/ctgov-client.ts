/**
 * ClinicalTrials.gov API v2 over HTTP: requests, reading and checking responses, and paging
 * through `/studies`. What a harvest lists and when is planned in ctgov-source.ts.
 */
import { AppError, messageOf } from '../../errors/app-error.js';
import type { UpstreamClient, UpstreamResponse } from '../http/upstream-client.js';
import { isUtf8Declared } from '../http/body-text.js';
import { scanJsonPage } from '../http/json-page.js';
import { bodyText, firstLine } from '../http/upstream-client.js';
import type { HarvestContext, PreparedPage, ReadPage } from '../source.types.js';
import type { CtgovStudiesPage, CtgovVersionBody } from './ctgov-api.types.js';
import { CTGOV_MAX_PAGE_SIZE } from './ctgov-api.types.js';
import type { CtgovConfig } from './ctgov-config.js';
import { ctgovStudyId } from './ctgov-mapper.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'ctgov';
/** The registry may send empty pages that carry a token; this many in a row means it is looping. */
export const MAX_EMPTY_PAGES_IN_A_ROW = 100;
/** Merged studies fetched per `filter.ids` request during reconciliation (keeps URLs short). */
export const ALIAS_FETCH_CHUNK = 100;

export type Params = readonly (readonly [string, string])[];

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
 * Pages through `/studies` like `pageCtgovStudies`, each page read through the harvest's page
 * reader (`HarvestContext.readPage`): its studies come mapped and hashed.
 */
export function pagePreparedStudies(
  context: HarvestContext<CtgovConfig>,
  params: Params,
): AsyncGenerator<PreparedPage, CtgovPagingSummary, void> {
  return pageStudies(context.client, context.config, params, (response) =>
    readPreparedPage(context, response),
  );
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
