import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../../src/config/env-reader.js';
import { secretsOf } from '../../../src/sources/http/redact.js';
import { parseKrIcreatConfig } from '../../../src/sources/kr-icreat/kr-icreat-config.js';
import { krIcreatSource } from '../../../src/sources/kr-icreat/kr-icreat-source.js';

function parse(env: Record<string, string>, enabled = true) {
  const reader = new EnvReader(env);
  return { config: parseKrIcreatConfig(reader, enabled), problems: reader.problems };
}

describe('parseKrIcreatConfig', () => {
  it('uses the documented defaults', () => {
    const { config, problems } = parse({ KR_ICREAT_SERVICE_KEY: 'test' });
    expect(problems).toEqual([]);
    expect(config).toEqual({
      enabled: true,
      missing: [],
      schedule: '0 4 * * *',
      timeZone: 'Asia/Seoul',
      upstream: { timeoutMs: 30_000, retries: 4, backoffMs: 1_000, maxBackoffMs: 60_000, minIntervalMs: 0 },
      baseUrl: 'https://api.odcloud.kr/api',
      serviceKey: 'test',
      uddi: undefined,
      oasUrl: 'https://infuser.odcloud.kr/oas/docs?namespace=3074271/v1',
      keyIn: 'header',
      perPage: 100,
    });
  });

  it('reports a missing key as missing, not as a problem', () => {
    const { config, problems } = parse({}, false);
    expect(problems).toEqual([]);
    expect(config.missing).toEqual(['KR_ICREAT_SERVICE_KEY']);
    expect(config.enabled).toBe(false);
    expect(parse({ KR_ICREAT_SERVICE_KEY: '   ' }).config.missing).toEqual(['KR_ICREAT_SERVICE_KEY']);
  });

  it('reads every setting', () => {
    const { config, problems } = parse({
      KR_ICREAT_BASE_URL: 'http://127.0.0.1:9999/api/',
      KR_ICREAT_SERVICE_KEY: 'k',
      KR_ICREAT_UDDI: 'uddi:CFC19DDA-6F75-4C57-86A8-BB9C8B103887',
      KR_ICREAT_OAS_URL: 'http://127.0.0.1:9999/oas/docs?namespace=3074271/v1',
      KR_ICREAT_KEY_IN: 'query',
      KR_ICREAT_PER_PAGE: '1000',
      KR_ICREAT_SCHEDULE: '*/5 * * * *',
      KR_ICREAT_TIMEZONE: 'UTC',
      KR_ICREAT_TIMEOUT_MS: '5000',
      KR_ICREAT_RETRIES: '0',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999/api',
      uddi: 'CFC19DDA-6F75-4C57-86A8-BB9C8B103887',
      oasUrl: 'http://127.0.0.1:9999/oas/docs?namespace=3074271/v1',
      keyIn: 'query',
      perPage: 1000,
      schedule: '*/5 * * * *',
      timeZone: 'UTC',
      upstream: { timeoutMs: 5000, retries: 0 },
    });
  });

  it('names every bad key in the problems', () => {
    const { problems } = parse({
      KR_ICREAT_SERVICE_KEY: 'k',
      KR_ICREAT_BASE_URL: 'ftp://example.org',
      KR_ICREAT_UDDI: 'not-a-uuid',
      KR_ICREAT_OAS_URL: 'nonsense',
      KR_ICREAT_KEY_IN: 'body',
      KR_ICREAT_PER_PAGE: '0',
    });
    const text = problems.join('\n');
    for (const key of [
      'KR_ICREAT_BASE_URL',
      'KR_ICREAT_UDDI',
      'KR_ICREAT_OAS_URL',
      'KR_ICREAT_KEY_IN',
      'KR_ICREAT_PER_PAGE',
    ]) {
      expect(text).toContain(key);
    }
    expect(parse({ KR_ICREAT_PER_PAGE: '1001' }).problems.join()).toContain('KR_ICREAT_PER_PAGE');
  });

  it('decodes an already encoded service key once, so it is encoded exactly once on the wire', () => {
    expect(parse({ KR_ICREAT_SERVICE_KEY: 'ab%2Bc%2Fd%3D%3D' }).config.serviceKey).toBe('ab+c/d==');
  });

  it('gives the key as the secret to redact', () => {
    expect(secretsOf({ serviceKey: 'ab+c/d==' }, krIcreatSource.secretKeys)).toEqual(['ab+c/d==']);
    expect(secretsOf({ serviceKey: undefined }, krIcreatSource.secretKeys)).toEqual([]);
  });
});

describe('krIcreatSource', () => {
  it('is the kr-icreat adapter', () => {
    expect(krIcreatSource.id).toBe('kr-icreat');
    expect(krIcreatSource.name).toBe('KDCA iCReaT research projects (data.go.kr 3074271)');
    expect(krIcreatSource.parseConfig(new EnvReader({}), true).missing).toEqual(['KR_ICREAT_SERVICE_KEY']);
    expect(typeof krIcreatSource.readFile).toBe('function');
  });
});
