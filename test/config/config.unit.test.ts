import { constants } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { buildConfig, parseDatabaseUrl, readUpstreamConfig } from '../../src/config/config.js';
import type { SourceConfigParser } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';

const parsers: Record<string, SourceConfigParser> = {
  demo: (reader, enabled) => {
    const key = reader.optionalString('DEMO_SERVICE_KEY');
    return {
      enabled,
      missing: key === undefined ? ['DEMO_SERVICE_KEY'] : [],
      schedule: reader.string('DEMO_SCHEDULE', '0 4 * * *'),
      timeZone: 'UTC',
      upstream: readUpstreamConfig(reader, 'DEMO'),
    };
  },
};

describe('buildConfig', () => {
  it('gives defaults that work with no set-up: SQLite under ./data, port 8000', () => {
    const config = buildConfig({}, parsers, ['demo']);
    expect(config.database).toMatchObject({ kind: 'sqlite', path: './data/trialwatch.db' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8000);
    expect(config.sources.demo).toMatchObject({ enabled: true, missing: ['DEMO_SERVICE_KEY'] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('selects PostgreSQL from a postgres:// URL and hides its password', () => {
    const config = buildConfig({ DATABASE_URL: 'postgres://u:secret@db:5432/x' }, parsers, []);
    expect(config.database.kind).toBe('postgres');
    expect(config.database.url).not.toContain('secret');
  });

  it('names every offending key in one error', () => {
    let error: unknown;
    try {
      buildConfig(
        {
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          SOURCES: 'demo,nope',
          DEMO_TIMEOUT_MS: '5',
          LOG_LEVEL: 'loud',
        },
        parsers,
        [],
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const message = (error as AppError).message;
    for (const key of ['PORT', 'DATABASE_URL', 'SOURCES', 'DEMO_TIMEOUT_MS', 'LOG_LEVEL'])
      expect(message).toContain(key);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
  });

  it('reads IMPORT_MAX_FILE_BYTES (256 MiB by default), refusing a value no string could hold', () => {
    expect(buildConfig({}, parsers, []).importMaxFileBytes).toBe(256 * 1024 * 1024);
    expect(buildConfig({ IMPORT_MAX_FILE_BYTES: '1048576' }, parsers, []).importMaxFileBytes).toBe(1_048_576);
    for (const bad of ['0', 'lots', String(constants.MAX_STRING_LENGTH + 1)]) {
      expect(() => buildConfig({ IMPORT_MAX_FILE_BYTES: bad }, parsers, [])).toThrow(/IMPORT_MAX_FILE_BYTES/);
    }
  });

  it('rejects a short admin token', () => {
    expect(() => buildConfig({ ADMIN_TOKEN: 'short' }, parsers, [])).toThrow(/ADMIN_TOKEN/);
  });

  it('parses sqlite URLs with relative and absolute paths', () => {
    expect(parseDatabaseUrl('sqlite:./a.db')).toMatchObject({ kind: 'sqlite', path: './a.db' });
    expect(parseDatabaseUrl('sqlite:/tmp/a.db')).toMatchObject({ path: '/tmp/a.db' });
    expect(parseDatabaseUrl('sqlite:')).toBeUndefined();
  });
});
