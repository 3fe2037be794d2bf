/**
 * The wire formats of data.go.kr dataset 3074271 ("질병관리청_임상연구 과제정보") as served by the
 * odcloud gateway (api.odcloud.kr) and its OAS index (infuser.odcloud.kr). Everything here is what
 * the upstream sends; what we make of it lives in the mapper.
 */

/** The dataset's namespace on odcloud: `{base}/3074271/v1/uddi:{uuid}`. */
export const KR_ICREAT_NAMESPACE = '3074271/v1';

/**
 * The uddi of the 2021/2022 file version, the last one anyone has seen served. Used when
 * `KR_ICREAT_UDDI` is unset and discovery through the OAS document fails.
 */
export const KR_ICREAT_LAST_KNOWN_UDDI = 'cfc19dda-6f75-4c57-86a8-bb9c8b103887';

/**
 * The nine columns of the 2021/2022 file, in the gateway's (Unicode) key order. A record with any
 * other layout is schema drift: the yearly file may change its columns, and guessing would store
 * empty values as if the registry had published them.
 */
export const KR_ICREAT_COLUMNS = [
  '과제명',
  '과제번호',
  '연구기간',
  '연구범위',
  '연구종류',
  '연구책임기관',
  '임상시험단계(연구모형)',
  '전체목표연구대상자수',
  '진료과',
] as const;

export type KrIcreatColumn = (typeof KR_ICREAT_COLUMNS)[number];

/** One upstream record: every value is a string, empty cells are `""`. */
export type KrIcreatRecord = Record<KrIcreatColumn, string>;

/**
 * One page as the gateway sends it. Keys arrive sorted (Go maps), but nothing may depend on their
 * order; counts are numbers in practice, yet parsed leniently because saved files and proxies
 * sometimes turn them into strings.
 */
export interface OdcloudPageBody {
  currentCount?: number | string;
  data: unknown[];
  matchCount?: number | string;
  page?: number | string;
  perPage?: number | string;
  totalCount?: number | string;
}

/** The gateway's error body, e.g. `{"code":-401,"msg":"인증키는 필수 항목 입니다."}`. */
export interface OdcloudErrorBody {
  code: number;
  msg: string;
}

/**
 * Gateway error codes (Data-Infuser/Gateway `enum/status_code.go`). -401 covers both a missing and
 * an invalid key; the message tells them apart.
 */
export const ODCLOUD_ERROR_CODES = {
  internal: -1,
  parameter: -2,
  unregisteredService: -3,
  unregisteredKey: -4,
  serviceEnded: -9,
  limitExceeded: -10,
  unauthorized: -401,
  unknown: -999,
} as const;

/** The part of the OAS (Swagger/OpenAPI) document we read: each dataset file version is a path. */
export interface OasDocument {
  paths?: Record<string, OasPathItem | undefined>;
}

export interface OasPathItem {
  summary?: unknown;
  get?: { summary?: unknown } | undefined;
  [method: string]: unknown;
}
