import type { SourceConfigBase } from '../../config/config.js';
import { readSchedule, readUpstreamConfig } from '../../config/config.js';
import { decodeServiceKey } from '../http/lenient.js';
import type { EnvReader } from '../../config/env-reader.js';

export type KrIcreatKeyPlacement = 'header' | 'query';

export interface KrIcreatConfig extends SourceConfigBase {
  /** odcloud API root without a trailing slash, e.g. `https://api.odcloud.kr/api`. */
  baseUrl: string;
  /**
   * The service key, percent-decoded: data.go.kr shows an "Encoding" and a "Decoding" key and
   * people paste either, so an encoded key is decoded here and encoded exactly once on the wire.
   */
  serviceKey: string | undefined;
  /** A pinned dataset file version (the uuid after `uddi:`); unset means discover the newest. */
  uddi: string | undefined;
  /** The OAS document that lists every file version of the dataset (fetched without a key). */
  oasUrl: string;
  /** `header`: `Authorization: Infuser <key>`; `query`: the `serviceKey` parameter. */
  keyIn: KrIcreatKeyPlacement;
  /** Records per page, 1..1000. */
  perPage: number;
}

export const KR_ICREAT_DEFAULTS = {
  baseUrl: 'https://api.odcloud.kr/api',
  oasUrl: 'https://infuser.odcloud.kr/oas/docs?namespace=3074271/v1',
  perPage: 100,
  schedule: '0 4 * * *',
  timeZone: 'Asia/Seoul',
} as const;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings that hold secrets (`SourceAdapter.secretKeys`). */
export const KR_ICREAT_SECRET_KEYS = ['serviceKey'] as const satisfies readonly (keyof KrIcreatConfig)[];

/**
 * Reads the `KR_ICREAT_*` settings. A missing key is not an error: the source is reported as not
 * configured (`missing`), never a crash; malformed values are added to the reader's problems.
 */
export function parseKrIcreatConfig(reader: EnvReader, enabled: boolean): KrIcreatConfig {
  const rawKey = reader.optionalString('KR_ICREAT_SERVICE_KEY');
  const serviceKey = rawKey === undefined ? undefined : decodeServiceKey(rawKey);
  let uddi = reader.optionalString('KR_ICREAT_UDDI')?.replace(/^uddi:/i, '');
  if (uddi !== undefined && !UUID_PATTERN.test(uddi)) {
    reader.problems.push(
      `KR_ICREAT_UDDI must be a uuid such as cfc19dda-6f75-4c57-86a8-bb9c8b103887 (got "${uddi}")`,
    );
    uddi = undefined;
  }
  return {
    enabled,
    missing: serviceKey === undefined ? ['KR_ICREAT_SERVICE_KEY'] : [],
    ...readSchedule(reader, 'KR_ICREAT', KR_ICREAT_DEFAULTS),
    upstream: readUpstreamConfig(reader, 'KR_ICREAT'),
    baseUrl: reader.url('KR_ICREAT_BASE_URL', KR_ICREAT_DEFAULTS.baseUrl),
    serviceKey,
    uddi,
    // Not `reader.url`: it strips trailing slashes, and this URL is used exactly as given.
    oasUrl: readOasUrl(reader),
    keyIn: reader.oneOf('KR_ICREAT_KEY_IN', ['header', 'query'] as const, 'header'),
    perPage: reader.integer('KR_ICREAT_PER_PAGE', KR_ICREAT_DEFAULTS.perPage, { min: 1, max: 1000 }),
  };
}

function readOasUrl(reader: EnvReader): string {
  const value = reader.string('KR_ICREAT_OAS_URL', KR_ICREAT_DEFAULTS.oasUrl);
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  reader.problems.push(`KR_ICREAT_OAS_URL must be an http(s) URL (got "${value}")`);
  return KR_ICREAT_DEFAULTS.oasUrl;
}
