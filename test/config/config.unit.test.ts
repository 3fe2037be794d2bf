import { constants } from 'node:buffer';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildConfig,
  loadDotEnv,
  parseDatabaseUrl,
  readUpstreamConfig,
  sqlitePathProblem,
} from '../../src/config/config.js';
import type { SourceConfigParser } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';
import { DEFAULT_SOURCES, sourceConfigParsers } from '../../src/sources/registry.js';

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

  it('reads HARVEST_MAX_HEAP_MB (0: Node decides), refusing a heap no harvest could run in', () => {
    expect(buildConfig({}, parsers, []).harvestMaxHeapMb).toBe(0);
    expect(buildConfig({ HARVEST_MAX_HEAP_MB: '512' }, parsers, []).harvestMaxHeapMb).toBe(512);
    for (const bad of ['10', '-1', 'big']) {
      expect(() => buildConfig({ HARVEST_MAX_HEAP_MB: bad }, parsers, [])).toThrow(/HARVEST_MAX_HEAP_MB/);
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

/** The message of the CONFIG_INVALID error `build` throws (fails the test when it does not). */
function configProblem(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('schedules and time zones of the real sources', () => {
  const build = (env: Record<string, string>) => buildConfig(env, sourceConfigParsers(), DEFAULT_SOURCES);

  it('refuses an unknown time zone and a pattern croner cannot read, naming every key at once', () => {
    const message = configProblem(() =>
      build({
        KR_ICREAT_TIMEZONE: 'Mars/Base',
        KR_ICREAT_SCHEDULE: 'bogus',
        CTGOV_SCHEDULE: '61 * * * *',
        CRIS_TIMEZONE: 'Asia/Nowhere',
        CRIS_SCHEDULE: '0 4 31 2 *',
      }),
    );
    for (const key of [
      'KR_ICREAT_TIMEZONE',
      'KR_ICREAT_SCHEDULE',
      'CTGOV_SCHEDULE',
      'CRIS_TIMEZONE',
      'CRIS_SCHEDULE',
    ])
      expect(message).toContain(key);
    expect(message).toContain('Mars/Base');
    expect(message).toContain('never fires');
  });

  it('checks a source that is not enabled too, and keeps valid values as given', () => {
    expect(configProblem(() => build({ SOURCES: 'kr-icreat', CTGOV_TIMEZONE: 'Nope/Nope' }))).toContain(
      'CTGOV_TIMEZONE',
    );
    const config = build({ KR_ICREAT_SCHEDULE: '*/15 * * * *', KR_ICREAT_TIMEZONE: 'Europe/Paris' });
    expect(config.sources['kr-icreat']).toMatchObject({ schedule: '*/15 * * * *', timeZone: 'Europe/Paris' });
    expect(build({}).sources['kr-icreat']).toMatchObject({ schedule: '0 4 * * *', timeZone: 'Asia/Seoul' });
  });
});

describe('TRUST_PROXY', () => {
  it('takes true, false, a hop count, addresses, CIDRs and the named ranges', () => {
    expect(buildConfig({ TRUST_PROXY: 'true' }, parsers, []).trustProxy).toBe(true);
    expect(buildConfig({ TRUST_PROXY: '2' }, parsers, []).trustProxy).toBe(2);
    const list = '10.0.0.1, 10.0.0.0/8, 192.168.0.0/255.255.0.0, ::1, fd00::/8, loopback, uniquelocal';
    expect(buildConfig({ TRUST_PROXY: list }, parsers, []).trustProxy).toBe(list);
  });

  it('refuses anything else, naming the key and the bad entries', () => {
    const message = configProblem(() =>
      buildConfig({ TRUST_PROXY: 'not a cidr!!, 10.0.0.0/33, 10.0.0.1' }, parsers, []),
    );
    expect(message).toContain('TRUST_PROXY');
    expect(message).toContain('"not a cidr!!"');
    expect(message).toContain('"10.0.0.0/33"');
    expect(message).not.toContain('"10.0.0.1"');
  });
});

describe('CURSOR_SECRET', () => {
  it('is optional, and must be long when set', () => {
    expect(buildConfig({}, parsers, []).cursorSecret).toBeUndefined();
    expect(buildConfig({ CURSOR_SECRET: 'k'.repeat(32) }, parsers, []).cursorSecret).toBe('k'.repeat(32));
    expect(configProblem(() => buildConfig({ CURSOR_SECRET: 'short' }, parsers, []))).toContain(
      'CURSOR_SECRET',
    );
  });
});

describe('the SQLite path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trialwatch-config-'));
  afterAll(() => {
    chmodSync(join(dir, 'locked'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(join(dir, 'a-directory'));
  writeFileSync(join(dir, 'read-only.db'), '');
  chmodSync(join(dir, 'read-only.db'), 0o444);
  writeFileSync(join(dir, 'a-file'), '');
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0o555);

  it('names a directory, a read-only file, a read-only folder and a file in the way, with the path', () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'a-directory'), /names a directory/],
      [join(dir, 'read-only.db'), /read-only file/],
      [join(dir, 'locked', 'x.db'), /read-only/],
      [join(dir, 'locked', 'new', 'x.db'), /read-only/],
      [join(dir, 'a-file', 'x.db'), /is not a directory/],
      ['/proc/x/y.db', /read-only/],
    ];
    for (const [path, expected] of cases) {
      const message = configProblem(() => buildConfig({ DATABASE_URL: `sqlite:${path}` }, parsers, []));
      expect(message).toContain('DATABASE_URL');
      expect(message).toMatch(expected);
      expect(message).toContain(path);
    }
  });

  it('accepts a new file in a writable folder, folders still to create, and :memory:', () => {
    expect(sqlitePathProblem(join(dir, 'new.db'))).toBeUndefined();
    expect(sqlitePathProblem(join(dir, 'not', 'yet', 'there.db'))).toBeUndefined();
    expect(sqlitePathProblem(':memory:')).toBeUndefined();
  });
});

describe('.env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trialwatch-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads KEY=value lines without overriding the environment', () => {
    const path = join(dir, 'good.env');
    writeFileSync(path, 'A_KEY=from-file\nB_KEY="quoted value"\n');
    const env: NodeJS.ProcessEnv = { A_KEY: 'from-env' };
    loadDotEnv(path, env);
    expect(env).toEqual({ A_KEY: 'from-env', B_KEY: 'quoted value' });
    loadDotEnv(join(dir, 'missing.env'), env);
  });

  it('refuses a .env that is a directory, naming it', () => {
    const path = join(dir, 'dir.env');
    mkdirSync(path);
    expect(() => loadDotEnv(path, {})).toThrow(/dir\.env is not a file/);
  });
});
