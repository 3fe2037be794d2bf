/**
 * The odcloud gateway of data.go.kr for dataset 3074271: page requests, reading pages and the
 * gateway's errors, and finding the dataset file version (uddi) to read.
 */
import type { ErrorCode } from '../../errors/app-error.js';
import { isPlainObject } from '../../domain/json.js';
import { toCount } from '../http/lenient.js';
import { AppError, messageOf } from '../../errors/app-error.js';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from '../http/upstream-client.js';
import { firstLine, parseJsonBody } from '../http/upstream-client.js';
import { redact, secretsOf } from '../http/redact.js';
import type { HarvestContext } from '../source.types.js';
import type { OasDocument, OasPathItem, OdcloudErrorBody } from './kr-icreat-api.types.js';
import {
  KR_ICREAT_LAST_KNOWN_UDDI,
  KR_ICREAT_NAMESPACE,
  ODCLOUD_ERROR_CODES,
} from './kr-icreat-api.types.js';
import type { KrIcreatConfig } from './kr-icreat-config.js';
import { KR_ICREAT_SECRET_KEYS } from './kr-icreat-config.js';

const SOURCE = 'kr-icreat';
const UUID_IN_PATH = /uddi:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** Which dataset file version a harvest reads, and how it was chosen. */
export interface KrIcreatUddiChoice {
  uddi: string;
  /** `config`: KR_ICREAT_UDDI; `oas`: discovered; `last-used`/`last-known`: discovery failed. */
  from: 'config' | 'oas' | 'last-used' | 'last-known';
  /** The OAS summary of the chosen path, e.g. `질병관리청_임상연구 과제정보_20240730`. */
  summary?: string;
  /** The date the summary ends in, as YYYY-MM-DD. */
  versionDate?: string;
}

/** One page as read from the gateway, counts parsed leniently (undefined when absent or unreadable). */
export interface KrIcreatPage {
  data: unknown[];
  totalCount: number | undefined;
  currentCount: number | undefined;
}

/** The gateway's `{code, msg}` error body, when `body` is one. */
export function asGatewayError(body: unknown): OdcloudErrorBody | undefined {
  if (!isPlainObject(body) || Array.isArray(body.data)) return undefined;
  const code = typeof body.code === 'string' && /^-?\d+$/.test(body.code) ? Number(body.code) : body.code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code >= 0) return undefined;
  return { code, msg: typeof body.msg === 'string' ? body.msg : '' };
}

/** The request for one page; the key goes where the config says, encoded once by URLSearchParams. */
export function krIcreatPageRequest(
  config: KrIcreatConfig,
  uddi: string,
  page: number,
  perPage: number,
): UpstreamRequest {
  const url = new URL(`${config.baseUrl}/${KR_ICREAT_NAMESPACE}/uddi:${uddi}`);
  url.searchParams.set('page', String(page));
  url.searchParams.set('perPage', String(perPage));
  url.searchParams.set('returnType', 'JSON');
  const headers: Record<string, string> = {};
  if (config.serviceKey !== undefined) {
    if (config.keyIn === 'query') url.searchParams.set('serviceKey', config.serviceKey);
    else headers.authorization = `Infuser ${config.serviceKey}`;
  }
  return { url: url.toString(), headers };
}

/** Builds an AppError whose message has the service key removed, whatever the client was given. */
function safeError(
  config: KrIcreatConfig,
  code: ErrorCode,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): AppError {
  return new AppError(code, redact(message, secretsOf(config, KR_ICREAT_SECRET_KEYS)), options);
}

/**
 * Turns a gateway error body (or the 404 "not found service" of an unknown route) into the
 * specific AppError, naming the gateway's code and message and what to do about it.
 */
export function krIcreatGatewayError(
  config: KrIcreatConfig,
  uddi: string,
  response: UpstreamResponse,
  body: OdcloudErrorBody | undefined,
): AppError {
  const where = `HTTP ${response.status}; GET ${response.safeUrl}`;
  if (body === undefined) {
    if (response.status === 404) {
      return safeError(
        config,
        'UPSTREAM_SERVICE_UNKNOWN',
        `${SOURCE}: the gateway has no such route (${where}: "${firstLine(response.body)}"); check KR_ICREAT_BASE_URL (${config.baseUrl}) and the dataset version uddi:${uddi}`,
        { details: { status: response.status, uddi } },
      );
    }
    return safeError(
      config,
      'UPSTREAM_REJECTED',
      `${SOURCE}: the gateway refused the request (${where}): ${firstLine(response.body)}`,
      { details: { status: response.status, uddi } },
    );
  }
  const [code, explanation] = explainGatewayCode(config, uddi, body);
  return safeError(
    config,
    code,
    `${SOURCE}: ${explanation} (gateway code ${body.code} "${body.msg}"; ${where})`,
    { details: { status: response.status, gatewayCode: body.code, gatewayMessage: body.msg, uddi } },
  );
}

function explainGatewayCode(
  config: KrIcreatConfig,
  uddi: string,
  body: OdcloudErrorBody,
): [ErrorCode, string] {
  const otherPlacement = config.keyIn === 'header' ? 'query' : 'header';
  switch (body.code) {
    case ODCLOUD_ERROR_CODES.unauthorized:
      // -401 stands for both "no key" (인증키는 필수 항목) and "invalid key"; only the text differs.
      if (body.msg.includes('필수')) {
        return [
          'UPSTREAM_KEY_MISSING',
          config.serviceKey === undefined
            ? 'the gateway received no service key: set KR_ICREAT_SERVICE_KEY'
            : `the gateway received no service key although KR_ICREAT_SERVICE_KEY is set (sent as the ${config.keyIn === 'header' ? 'Authorization header' : 'serviceKey parameter'}; something on the way may drop it: try KR_ICREAT_KEY_IN=${otherPlacement})`,
        ];
      }
      return [
        'UPSTREAM_KEY_INVALID',
        'the gateway rejected KR_ICREAT_SERVICE_KEY as not valid: check that it is the data.go.kr key of the account (the "Encoding" or the "Decoding" form)',
      ];
    case ODCLOUD_ERROR_CODES.unregisteredKey:
      return [
        'UPSTREAM_KEY_UNREGISTERED',
        'the service key is not registered for this API: request use of dataset 3074271 (활용신청) on data.go.kr with this key and wait for approval',
      ];
    case ODCLOUD_ERROR_CODES.unregisteredService:
      return [
        'UPSTREAM_SERVICE_UNKNOWN',
        `the gateway does not know dataset version uddi:${uddi}; a newer file version may have replaced it (${config.uddi === undefined ? 'check KR_ICREAT_OAS_URL, which lists the current versions' : 'unset KR_ICREAT_UDDI to discover the newest, or pin the current one'})`,
      ];
    case ODCLOUD_ERROR_CODES.serviceEnded:
      return [
        'UPSTREAM_SERVICE_ENDED',
        `the gateway says the service for dataset version uddi:${uddi} has ended`,
      ];
    case ODCLOUD_ERROR_CODES.limitExceeded:
      return [
        'UPSTREAM_QUOTA_EXCEEDED',
        'the call quota of the service key is used up (a development key allows 10,000 calls a day); a later run will try again',
      ];
    case ODCLOUD_ERROR_CODES.internal:
      return ['UPSTREAM_REJECTED', 'the gateway reported an internal error'];
    case ODCLOUD_ERROR_CODES.parameter:
      return ['UPSTREAM_REJECTED', 'the gateway rejected the request parameters'];
    default:
      return ['UPSTREAM_REJECTED', 'the gateway answered with an error'];
  }
}

/**
 * Reads one page response: a `{data: [...], totalCount, …}` body is a page whatever the order of
 * its keys; a `{code, msg}` body is a gateway error even under HTTP 200 (some gateways answer so).
 */
export function parseKrIcreatPage(
  config: KrIcreatConfig,
  uddi: string,
  response: UpstreamResponse,
): KrIcreatPage {
  if (response.status < 200 || response.status >= 300) {
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8')) as unknown;
    } catch {
      body = undefined;
    }
    throw krIcreatGatewayError(config, uddi, response, asGatewayError(body));
  }
  let body: unknown;
  try {
    body = parseJsonBody(response, SOURCE);
  } catch (error) {
    throw safeError(config, 'UPSTREAM_BAD_RESPONSE', messageOf(error), { cause: error });
  }
  const gateway = asGatewayError(body);
  if (gateway !== undefined) throw krIcreatGatewayError(config, uddi, response, gateway);
  if (!isPlainObject(body) || !Array.isArray(body.data)) {
    throw safeError(
      config,
      'UPSTREAM_BAD_RESPONSE',
      `${SOURCE}: GET ${response.safeUrl} answered HTTP ${response.status} with JSON that is not an odcloud page (no "data" list): ${firstLine(response.body)}`,
    );
  }
  return { data: body.data, totalCount: toCount(body.totalCount), currentCount: toCount(body.currentCount) };
}

/** Fetches and reads one page. */
export async function fetchKrIcreatPage(
  client: UpstreamClient,
  config: KrIcreatConfig,
  uddi: string,
  page: number,
  perPage: number,
): Promise<KrIcreatPage> {
  const response = await client.get(krIcreatPageRequest(config, uddi, page, perPage));
  return parseKrIcreatPage(config, uddi, response);
}

function summaryOf(item: OasPathItem): string | undefined {
  if (typeof item.get?.summary === 'string') return item.get.summary;
  if (typeof item.summary === 'string') return item.summary;
  for (const operation of Object.values(item)) {
    if (isPlainObject(operation) && typeof operation.summary === 'string') return operation.summary;
  }
  return undefined;
}

/**
 * The newest file version an OAS document lists: the path with a `uddi:` whose summary ends in
 * the latest `_YYYYMMDD`. Undefined when no path qualifies. Ties keep the first in document order.
 */
export function pickNewestUddi(document: unknown): Omit<KrIcreatUddiChoice, 'from'> | undefined {
  if (!isPlainObject(document)) return undefined;
  const paths = (document as OasDocument).paths;
  if (!isPlainObject(paths)) return undefined;
  let best: { uddi: string; summary: string; date: string } | undefined;
  for (const [path, item] of Object.entries(paths)) {
    const uddi = UUID_IN_PATH.exec(path)?.[1];
    if (uddi === undefined || !isPlainObject(item)) continue;
    const summary = summaryOf(item);
    const date = summary === undefined ? undefined : /_(\d{4})(\d{2})(\d{2})\s*$/.exec(summary);
    if (summary === undefined || date === null || date === undefined) continue;
    const iso = `${date[1]}-${date[2]}-${date[3]}`;
    if (Number.isNaN(Date.parse(iso))) continue;
    if (best === undefined || iso > best.date) best = { uddi, summary: summary.trim(), date: iso };
  }
  return best === undefined ? undefined : { uddi: best.uddi, summary: best.summary, versionDate: best.date };
}

/**
 * The dataset version to read: the pinned one, else the newest in the OAS document (fetched
 * without a key), else — with a warning — the uddi the last successful run used, else the last
 * known one. An interrupted harvest is not a discovery failure and is rethrown.
 */
export async function resolveKrIcreatUddi(
  context: HarvestContext<KrIcreatConfig>,
): Promise<KrIcreatUddiChoice> {
  const { config } = context;
  if (config.uddi !== undefined) return { uddi: config.uddi, from: 'config' };
  let reason: string;
  try {
    const response = await context.client.get({ url: config.oasUrl });
    if (response.status !== 200) {
      reason = `GET ${response.safeUrl} answered HTTP ${response.status}: ${firstLine(response.body)}`;
    } else {
      const newest = pickNewestUddi(parseJsonBody(response, SOURCE));
      if (newest !== undefined) return { ...newest, from: 'oas' };
      reason = `the OAS document at ${response.safeUrl} lists no uddi path with a summary ending in _YYYYMMDD`;
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'HARVEST_INTERRUPTED') throw error;
    reason = messageOf(error);
  }
  const lastUsed = context.state.uddi;
  const fallback =
    typeof lastUsed === 'string' && UUID_IN_PATH.test(`uddi:${lastUsed}`)
      ? { uddi: lastUsed, from: 'last-used' as const }
      : { uddi: KR_ICREAT_LAST_KNOWN_UDDI, from: 'last-known' as const };
  context.log.warn(
    {
      source: SOURCE,
      oasUrl: config.oasUrl,
      uddi: fallback.uddi,
      reason: redact(reason, secretsOf(config, KR_ICREAT_SECRET_KEYS)),
    },
    `${SOURCE}: could not discover the newest dataset version; using the ${fallback.from === 'last-used' ? 'one the last successful run used' : 'last known one'} (uddi:${fallback.uddi})`,
  );
  return fallback;
}
