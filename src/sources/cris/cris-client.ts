/**
 * The two CRIS operations (`/list`, `/detail`) over the one `UpstreamClient`, and the reading of
 * their answers. An answer may state an error in its body under any HTTP status, including 200,
 * so the body is read whatever the status, and a stated error becomes its specific AppError
 * (cris-stated-error.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ErrorCode } from '../../errors/app-error.js';
import { isPlainObject } from '../../domain/json.js';
import { toCount } from '../http/lenient.js';
import { AppError, messageOf } from '../../errors/app-error.js';
import { redact, secretsOf } from '../http/redact.js';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from '../http/upstream-client.js';
import { bodyText, firstLine } from '../http/upstream-client.js';
import type { CrisDetail } from './cris-api.types.js';
import type { CrisConfig } from './cris-config.js';
import { CRIS_MAX_ROWS, CRIS_SECRET_KEYS } from './cris-config.js';
import type { CrisStatedError } from './cris-stated-error.js';
import {
  crisStatedError,
  isTransientStatedError,
  reclassifyHttpError,
  readStatedError,
} from './cris-stated-error.js';

const SOURCE = 'cris';
/** Retries of an answer that says "try again" in its body (HTTP 200), on top of the client's own. */
const MAX_BODY_RETRIES = 2;

/** One `/list` page, counts parsed leniently (undefined when absent or unreadable). */
export interface CrisListPage {
  items: unknown[];
  totalCount: number | undefined;
  pageNo: number | undefined;
  /** True when the application answered 03 (no data): read as an empty page. */
  noData: boolean;
}

export type CrisDetailResult =
  { found: true; detail: CrisDetail } | { found: false; stated: CrisStatedError };

function searchParams(config: CrisConfig, extra: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  // URLSearchParams encodes the (decoded) key exactly once; a double-encoded key is "not registered".
  if (config.serviceKey !== undefined) params.set('serviceKey', config.serviceKey);
  params.set('resultType', 'JSON');
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

/** `GET {base}/list?serviceKey&resultType=JSON&numOfRows&pageNo`, newest registration first. */
export function crisListRequest(
  config: CrisConfig,
  pageNo: number,
  numOfRows = config.numOfRows,
): UpstreamRequest {
  const rows = Math.max(1, Math.min(CRIS_MAX_ROWS, numOfRows));
  return {
    url: `${config.baseUrl}/list?${searchParams(config, { numOfRows: String(rows), pageNo: String(pageNo) }).toString()}`,
  };
}

/** `GET {base}/detail?serviceKey&resultType=JSON&crisNumber=KCT…` (the parameter is `crisNumber`). */
export function crisDetailRequest(config: CrisConfig, crisNumber: string): UpstreamRequest {
  return { url: `${config.baseUrl}/detail?${searchParams(config, { crisNumber }).toString()}` };
}

function unreadable(config: CrisConfig, response: UpstreamResponse, what: string, cause?: unknown): AppError {
  const code: ErrorCode = response.status >= 400 ? 'UPSTREAM_REJECTED' : 'UPSTREAM_BAD_RESPONSE';
  const message = `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with ${what} (${response.contentType || 'no content type'}): ${firstLine(response.body)}`;
  return new AppError(code, redact(message, secretsOf(config, CRIS_SECRET_KEYS)), {
    ...(cause === undefined ? {} : { cause }),
    details: { status: response.status },
  });
}

/**
 * Reads an answer: throws the specific error a body states (whatever the HTTP status), or a
 * clear error for a body that is neither an error nor JSON; returns the parsed JSON object of a
 * 2xx success. `03 NODATA` is returned to the caller, who knows what "no data" means there.
 */
function readAnswer(
  config: CrisConfig,
  response: UpstreamResponse,
): { body: Record<string, unknown> } | { noData: CrisStatedError } {
  const success = response.status >= 200 && response.status < 300;
  let text: string;
  try {
    // An error answer is only read for its message; a success must decode whole.
    text = success ? bodyText(response, SOURCE) : response.body.toString('utf8');
  } catch (error) {
    throw new AppError(
      'UPSTREAM_BAD_RESPONSE',
      redact(messageOf(error), secretsOf(config, CRIS_SECRET_KEYS)),
      {
        cause: error,
        details: { status: response.status },
      },
    );
  }
  const stated = readStatedError(text);
  if (stated !== undefined) {
    if (stated.layer === 'application' && stated.code === '03') return { noData: stated };
    throw crisStatedError(config, response, stated);
  }
  if (!success) {
    throw unreadable(config, response, 'no error body we know');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw unreadable(config, response, 'a body that is not JSON', error);
  }
  if (!isPlainObject(parsed)) throw unreadable(config, response, 'JSON that is not an object');
  return { body: parsed };
}

/** Reads a `/list` answer. A page past the end has `items: []`; `03` is read as an empty page too. */
export function parseCrisList(config: CrisConfig, response: UpstreamResponse): CrisListPage {
  const answer = readAnswer(config, response);
  if ('noData' in answer) return { items: [], totalCount: undefined, pageNo: undefined, noData: true };
  const { body } = answer;
  let items: unknown[];
  if (Array.isArray(body.items)) items = body.items;
  // A single item as an object, and "no items" as null or "", are defensive reads seen in other clients.
  else if (isPlainObject(body.items)) items = [body.items];
  else if (
    body.items === null ||
    body.items === '' ||
    (body.items === undefined && toCount(body.totalCount) === 0)
  )
    items = [];
  else {
    throw unreadable(config, response, 'JSON that is not a CRIS list page (no "items" list)');
  }
  return { items, totalCount: toCount(body.totalCount), pageNo: toCount(body.pageNo), noData: false };
}

/** Reads a `/detail` answer: the record, or "not found" (`03`, an unknown number). */
export function parseCrisDetail(
  config: CrisConfig,
  response: UpstreamResponse,
  crisNumber: string,
): CrisDetailResult {
  const answer = readAnswer(config, response);
  if ('noData' in answer) return { found: false, stated: answer.noData };
  const id = typeof answer.body.trial_id === 'string' ? answer.body.trial_id.trim() : undefined;
  if (id === undefined || id === '') {
    throw unreadable(config, response, 'JSON that is not a CRIS detail record (no "trial_id")');
  }
  if (id.toUpperCase() !== crisNumber.toUpperCase()) {
    throw unreadable(config, response, `the record of ${id} where ${crisNumber} was asked for`);
  }
  return { found: true, detail: answer.body };
}

export interface CrisFetchOptions {
  signal?: AbortSignal;
  /** For tests: replaces the wait between retries of a "try again" body. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs one call, retrying (up to twice, with the source's backoff) when the body says the upstream
 * had a temporary problem: the `UpstreamClient` only retries on HTTP statuses, and data.go.kr
 * reports its timeouts and application errors under HTTP 200.
 */
async function withBodyRetries<T>(
  config: CrisConfig,
  options: CrisFetchOptions,
  call: () => Promise<T>,
): Promise<T> {
  const retries = Math.min(MAX_BODY_RETRIES, config.upstream.retries);
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient = error instanceof AppError && isTransientAppError(error);
      if (!transient || attempt >= retries) throw error;
      const wait = Math.min(config.upstream.maxBackoffMs, config.upstream.backoffMs * 2 ** attempt);
      await sleep(wait, options.signal);
    }
  }
}

function isTransientAppError(error: AppError): boolean {
  const details = error.details ?? {};
  const code = typeof details.resultCode === 'string' ? details.resultCode : null;
  const name = typeof details.resultName === 'string' ? details.resultName : null;
  if (code === null && name === null) return false;
  return isTransientStatedError({ layer: 'application', format: 'json', code, name, text: null });
}

async function get(
  client: UpstreamClient,
  config: CrisConfig,
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  try {
    return await client.get(request);
  } catch (error) {
    throw reclassifyHttpError(error, config);
  }
}

/** Fetches and reads one `/list` page. */
export function fetchCrisListPage(
  client: UpstreamClient,
  config: CrisConfig,
  pageNo: number,
  options: CrisFetchOptions = {},
): Promise<CrisListPage> {
  return withBodyRetries(config, options, async () =>
    parseCrisList(config, await get(client, config, crisListRequest(config, pageNo))),
  );
}

/** Fetches and reads one `/detail` record. */
export function fetchCrisDetail(
  client: UpstreamClient,
  config: CrisConfig,
  crisNumber: string,
  options: CrisFetchOptions = {},
): Promise<CrisDetailResult> {
  return withBodyRetries(config, options, async () =>
    parseCrisDetail(config, await get(client, config, crisDetailRequest(config, crisNumber)), crisNumber),
  );
}
