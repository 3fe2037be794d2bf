/**
 * The errors a CRIS answer states in its body, in either layer: the CRIS application's flat
 * `{resultCode, resultMsg}` and the data.go.kr gateway's `OpenAPI_ServiceResponse` (XML even when
 * JSON was asked for, or wrapped in JSON), and the specific AppError each becomes.
 */
import type { ErrorCode } from '../../errors/app-error.js';
import { AppError } from '../../errors/app-error.js';
import { isPlainObject } from '../../domain/json.js';
import { redact, secretsOf } from '../http/redact.js';
import type { UpstreamResponse } from '../http/upstream-client.js';
import type { DataGoKrResultCode, GatewayMessageHeader } from './cris-api.types.js';
import { DATA_GO_KR_RESULT_CODES } from './cris-api.types.js';
import type { CrisConfig } from './cris-config.js';
import { CRIS_SECRET_KEYS } from './cris-config.js';

const SOURCE = 'cris';

/** An error the upstream stated in its body, before we decide what it means. */
export interface CrisStatedError {
  layer: 'application' | 'gateway';
  format: 'json' | 'xml';
  /** Two-digit code (`22`), or null when the body had none. */
  code: string | null;
  /** The upper-case name (`LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR`), when given. */
  name: string | null;
  /** Any human text next to it (the gateway's `returnAuthMsg`, e.g. `등록되지 않은 서비스키`). */
  text: string | null;
}

/** `0`, `"0"`, `"00"`, `22`, `" 22 "` → two digits; anything else → null. */
export function normalizeResultCode(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,3}$/.test(text)) return null;
  return text.padStart(2, '0');
}

function xmlTag(text: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(text);
  if (match?.[1] === undefined) return undefined;
  return match[1].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').trim();
}

const UPPER_NAME = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;

/**
 * The gateway header in either generation: the code name is whichever of `errMsg` and
 * `returnAuthMsg` looks like one (`SERVICE ERROR` has a space), the other is text.
 */
function fromGatewayHeader(header: GatewayMessageHeader, format: 'json' | 'xml'): CrisStatedError {
  const errMsg = header.errMsg?.trim() || null;
  const authMsg = header.returnAuthMsg?.trim() || null;
  const name =
    errMsg !== null && UPPER_NAME.test(errMsg)
      ? errMsg
      : authMsg !== null && UPPER_NAME.test(authMsg)
        ? authMsg
        : null;
  const text = name === errMsg ? authMsg : errMsg;
  return { layer: 'gateway', format, code: normalizeResultCode(header.returnReasonCode), name, text };
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * The error a body states, if it states one: a gateway `OpenAPI_ServiceResponse` (XML or JSON),
 * or an application `resultCode` other than `00` (flat JSON, the usual data.go.kr
 * `response.header` shell, or XML). `undefined` for a body that states no error.
 */
export function readStatedError(body: Buffer | string): CrisStatedError | undefined {
  const text = (typeof body === 'string' ? body : body.toString('utf8')).replace(/^\uFEFF/, '').trim();
  if (text.startsWith('<')) {
    if (text.includes('<OpenAPI_ServiceResponse')) {
      const header: GatewayMessageHeader = {};
      const errMsg = xmlTag(text, 'errMsg');
      const authMsg = xmlTag(text, 'returnAuthMsg');
      const reason = xmlTag(text, 'returnReasonCode');
      if (errMsg !== undefined) header.errMsg = errMsg;
      if (authMsg !== undefined) header.returnAuthMsg = authMsg;
      if (reason !== undefined) header.returnReasonCode = reason;
      return fromGatewayHeader(header, 'xml');
    }
    const code = normalizeResultCode(xmlTag(text, 'resultCode'));
    if (code !== null && code !== '00') {
      return {
        layer: 'application',
        format: 'xml',
        code,
        name: xmlTag(text, 'resultMsg') ?? null,
        text: null,
      };
    }
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  const wrapped = parsed.OpenAPI_ServiceResponse;
  if (isPlainObject(wrapped)) {
    const header = isPlainObject(wrapped.cmmMsgHeader) ? wrapped.cmmMsgHeader : wrapped;
    const fields: GatewayMessageHeader = {};
    const errMsg = stringField(header, 'errMsg');
    const authMsg = stringField(header, 'returnAuthMsg');
    const reason = stringField(header, 'returnReasonCode');
    if (errMsg !== undefined) fields.errMsg = errMsg;
    if (authMsg !== undefined) fields.returnAuthMsg = authMsg;
    if (reason !== undefined) fields.returnReasonCode = reason;
    return fromGatewayHeader(fields, 'json');
  }
  const shellHeader =
    isPlainObject(parsed.response) && isPlainObject(parsed.response.header)
      ? parsed.response.header
      : undefined;
  const source = shellHeader ?? parsed;
  if (!('resultCode' in source)) return undefined;
  const code = normalizeResultCode(source.resultCode);
  if (code === '00') return undefined;
  const resultMsg = stringField(source, 'resultMsg')?.trim();
  return {
    layer: 'application',
    format: 'json',
    code,
    name: resultMsg !== undefined && resultMsg !== '' ? resultMsg : null,
    text: null,
  };
}

/** The code's standard name (`22` → `LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR`). */
function codeName(code: string | null): string | undefined {
  return code !== null && code in DATA_GO_KR_RESULT_CODES
    ? DATA_GO_KR_RESULT_CODES[code as DataGoKrResultCode]
    : undefined;
}

/** Codes (and names) that mean "try again shortly": worth a retry, and no sign of a bad record. */
const TRANSIENT_CODES = new Set(['01', '02', '04', '05', '23', '99']);
const TRANSIENT_NAMES = new Set([
  'SERVICETIMEOUT_ERROR',
  'SERVICETIME_OUT',
  'HTTP_ERROR',
  'APPLICATION_ERROR',
  'DB_ERROR',
]);

export function isTransientStatedError(stated: CrisStatedError): boolean {
  return (
    (stated.code !== null && TRANSIENT_CODES.has(stated.code)) ||
    (stated.name !== null && TRANSIENT_NAMES.has(stated.name))
  );
}

function hasName(stated: CrisStatedError, ...names: string[]): boolean {
  return [stated.name, stated.text].some(
    (value) => value !== null && names.some((name) => value.includes(name)),
  );
}

function classify(stated: CrisStatedError, config: CrisConfig): [ErrorCode, string] {
  if (hasName(stated, 'SERVICE_KEY_IS_NULL') || (stated.code === '20' && config.serviceKey === undefined)) {
    return [
      'UPSTREAM_KEY_MISSING',
      config.serviceKey === undefined
        ? 'the gateway received no service key: set CRIS_SERVICE_KEY'
        : 'the gateway received no service key although CRIS_SERVICE_KEY is set (something on the way drops the serviceKey parameter)',
    ];
  }
  const code =
    stated.code ??
    Object.entries(DATA_GO_KR_RESULT_CODES).find(([, name]) => hasName(stated, name))?.[0] ??
    null;
  switch (code ?? '') {
    case '22':
      return [
        'UPSTREAM_QUOTA_EXCEEDED',
        'the daily call quota of the service key is used up (a development key allows 10,000 calls a day, reset at midnight KST); a later run continues',
      ];
    case '23':
      return [
        'UPSTREAM_QUOTA_EXCEEDED',
        'too many calls per second for the service key (raise CRIS_MIN_INTERVAL_MS)',
      ];
    case '30':
      return [
        'UPSTREAM_KEY_UNREGISTERED',
        'the service key is not registered for this API: check CRIS_SERVICE_KEY (the "Decoding" key, or the "Encoding" key exactly as shown; never encoded twice), that use of dataset 3033869 was approved (활용신청), and allow about an hour after approval',
      ];
    case '20':
      return [
        'UPSTREAM_KEY_UNREGISTERED',
        'the gateway denied the service key access to this API: request use of dataset 3033869 (활용신청) on data.go.kr with this key and wait for approval',
      ];
    case '21':
      return ['UPSTREAM_KEY_INVALID', 'the service key is temporarily disabled on data.go.kr'];
    case '31':
      return [
        'UPSTREAM_KEY_INVALID',
        "the service key's period of use has expired: extend it on data.go.kr (마이페이지)",
      ];
    case '32':
      return ['UPSTREAM_REJECTED', 'the calling IP address is not registered for the service key'];
    case '33':
      return ['UPSTREAM_REJECTED', 'the gateway refused an unsigned call'];
    case '12':
      return [
        'UPSTREAM_SERVICE_UNKNOWN',
        `the gateway knows no such Open API service: check CRIS_BASE_URL (${config.baseUrl})`,
      ];
    case '10':
    case '11':
      return ['UPSTREAM_REJECTED', 'the API rejected the request parameters'];
    case '03':
      return ['UPSTREAM_REJECTED', 'the API has no data for the request'];
    case '01':
    case '02':
    case '04':
    case '05':
    case '99':
      return ['UPSTREAM_REJECTED', 'the API reported a temporary error on its side'];
    default:
      return ['UPSTREAM_REJECTED', 'the API answered with an error'];
  }
}

/** Turns an error stated in a body into the specific AppError, naming the layer, code and request. */
export function crisStatedError(
  config: CrisConfig,
  response: UpstreamResponse,
  stated: CrisStatedError,
): AppError {
  const [code, explanation] = classify(stated, config);
  const said = [stated.code, stated.name ?? codeName(stated.code), stated.text]
    .filter((part): part is string => part !== null && part !== undefined)
    .map((part) => `"${part}"`)
    .join(' ');
  const layer =
    stated.layer === 'gateway'
      ? `gateway OpenAPI_ServiceResponse (${stated.format.toUpperCase()})`
      : `application ${stated.format.toUpperCase()} body`;
  const message = `${SOURCE}: ${explanation} (${layer} ${said || 'without a code'}; HTTP ${response.status}; GET ${response.safeUrl})`;
  return new AppError(code, redact(message, secretsOf(config, CRIS_SECRET_KEYS)), {
    details: {
      status: response.status,
      layer: stated.layer,
      format: stated.format,
      resultCode: stated.code,
      resultName: stated.name ?? codeName(stated.code) ?? null,
      ...(stated.text === null ? {} : { resultText: stated.text }),
    },
  });
}

/** Codes worth recovering from an HTTP error: they ask for action, not for another try. */
const RECLASSIFIED_CODES = new Set(['12', '20', '21', '22', '23', '30', '31', '32', '33']);

/**
 * The client retries 5xx and 429 and then throws `UPSTREAM_HTTP_ERROR` with the first line of the
 * body in its message, so a gateway error sent under such a status would lose its meaning. When
 * that line names a known data.go.kr error, this gives it back its specific code.
 */
export function reclassifyHttpError(error: unknown, config: CrisConfig): unknown {
  if (!(error instanceof AppError) || error.code !== 'UPSTREAM_HTTP_ERROR') return error;
  const entry = Object.entries(DATA_GO_KR_RESULT_CODES).find(
    ([code, name]) => RECLASSIFIED_CODES.has(code) && error.message.includes(name),
  );
  const named =
    entry ?? (error.message.includes('SERVICE_KEY_IS_NULL') ? ['20', 'SERVICE_KEY_IS_NULL'] : undefined);
  if (named === undefined) return error;
  const stated: CrisStatedError = {
    layer: 'gateway',
    format: 'xml',
    code: named[0],
    name: named[1],
    text: null,
  };
  const [code, explanation] = classify(stated, config);
  return new AppError(code, `${SOURCE}: ${explanation} (${error.message})`, {
    cause: error,
    details: { ...(error.details ?? {}), layer: 'gateway', resultCode: named[0], resultName: named[1] },
  });
}
