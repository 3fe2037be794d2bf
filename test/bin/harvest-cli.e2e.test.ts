/**
 * Issue 2's acceptance, end to end: the built `trialwatch` CLI against the fake odcloud gateway on
 * 127.0.0.1, checked through its output and the database contents, on SQLite and PostgreSQL.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KR_ICREAT_COLUMNS } from '../../src/sources/kr-icreat/kr-icreat-api.types.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { fixturesDir, startFakeUpstream } from '../../testkit/fake-upstream.js';
import { runCli } from '../../testkit/cli.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const KEY = 'e2e-Secret/Key+Value==';
const COLUMNS = KR_ICREAT_COLUMNS;

describe.each(storeKinds())('trialwatch CLI with kr-icreat on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let env: Record<string, string>;
  let workDir: string;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream({ kr: { expectedKey: KEY } });
    workDir = mkdtempSync(join(tmpdir(), 'trialwatch-e2e-'));
    env = {
      DATABASE_URL: store.url,
      KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
      KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
      KR_ICREAT_SERVICE_KEY: KEY,
      KR_ICREAT_UDDI: 'cfc19dda-6f75-4c57-86a8-bb9c8b103887',
      KR_ICREAT_RETRIES: '1',
      KR_ICREAT_BACKOFF_MS: '10',
    };
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const versionsCount = async () =>
    (await store.db.selectFrom('trial_versions').select('trial_id').execute()).length;

  it('creates 145 trials, then finds nothing changed, then exactly the upstream changes', async () => {
    const first = await runCli(['harvest', '--source', 'kr-icreat'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /kr-icreat: succeeded .*fetched 145, created 145, updated 0, unchanged 0, removed 0/,
    );
    expect(await versionsCount()).toBe(145);

    const second = await runCli(['harvest', '--source', 'kr-icreat'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/created 0, updated 0, unchanged 145, removed 0/);
    expect(await versionsCount()).toBe(145);

    // 3 fields of 2 records change, 1 record goes, 1 comes.
    upstream.kr.updateRecord('C130011', { 연구기간: '7년', 전체목표연구대상자수: '650' });
    upstream.kr.updateRecord('C130010', { 진료과: 'Hematology' });
    upstream.kr.removeRecord('C130012');
    upstream.kr.addRecord({
      ...Object.fromEntries(COLUMNS.map((c) => [c, ''])),
      과제번호: 'C990001',
      과제명: '새 과제',
    });
    const third = await runCli(['harvest', '--source', 'kr-icreat'], env);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/fetched 145, created 1, updated 2, unchanged 142, removed 1/);

    const diff = await store.db
      .selectFrom('trial_versions')
      .select('diff')
      .where('trial_id', '=', 'C130011')
      .where('version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(diff.diff!)).toEqual([
      { path: '연구기간', old: '6년', new: '7년' },
      { path: '전체목표연구대상자수', old: '500', new: '650' },
    ]);
    const trial = await store.db
      .selectFrom('trials')
      .select(['enrollment', 'doc'])
      .where('id', '=', 'C130011')
      .executeTakeFirstOrThrow();
    expect(trial.enrollment).toBe(650);
    expect(JSON.parse(trial.doc).sourceFields.normalized.period).toEqual({ text: '7년', months: 84 });
    const removed = await store.db
      .selectFrom('trials')
      .select('removed_at')
      .where('id', '=', 'C130012')
      .executeTakeFirstOrThrow();
    expect(removed.removed_at).not.toBeNull();
  });

  it('classifies stored change events without classification on migrate, as the harvest did', async () => {
    const classes = () => store.db.selectFrom('change_classes').selectAll().orderBy('seq').execute();
    const typeRows = () =>
      store.db.selectFrom('change_type_rows').selectAll().orderBy('seq').orderBy('type').execute();
    const [before, beforeTypes] = [await classes(), await typeRows()];
    expect(before.length).toBeGreaterThan(145);
    expect(beforeTypes.length).toBeGreaterThan(0);
    // As a database written before typed changes existed.
    await store.db.deleteFrom('change_type_rows').execute();
    await store.db.deleteFrom('change_classes').execute();
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain(`classified ${before.length} stored change events of kr-icreat`);
    expect(await classes()).toEqual(before);
    expect(await typeRows()).toEqual(beforeTypes);
    const again = await runCli(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('classified');
  });

  it('fails with a clear one-line message and a failed run record on a wrong key, never showing a key', async () => {
    const wrong = 'Wrong/Key+123==';
    const result = await runCli(['harvest', '--source', 'kr-icreat'], {
      ...env,
      KR_ICREAT_SERVICE_KEY: wrong,
      KR_ICREAT_KEY_IN: 'query',
    });
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/kr-icreat: failed/);
    for (const secret of [wrong, encodeURIComponent(wrong), KEY, encodeURIComponent(KEY)])
      expect(output).not.toContain(secret);
    const runs = await store.db
      .selectFrom('harvest_runs')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs[0]!.error_code).toMatch(/^UPSTREAM_KEY_/);
    expect(JSON.stringify(runs)).not.toContain(wrong);
    expect(JSON.stringify(runs)).not.toContain(encodeURIComponent(wrong));
  });

  it('refuses a harvest without the key as not configured, recording no run (issue 20.4)', async () => {
    const { KR_ICREAT_SERVICE_KEY: _omit, ...withoutKey } = env;
    const runsBefore = await store.db.selectFrom('harvest_runs').selectAll().orderBy('id').execute();
    const result = await runCli(['harvest', '--source', 'kr-icreat'], withoutKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'trialwatch: Source kr-icreat is not configured: set KR_ICREAT_SERVICE_KEY; nothing was harvested\n',
    );
    expect(await store.db.selectFrom('harvest_runs').selectAll().orderBy('id').execute()).toEqual(runsBefore);
    const sources = await runCli(['sources'], withoutKey);
    expect(sources.code).toBe(0);
    expect(sources.stdout).toMatch(
      /\nkr-icreat\s+not configured \(set KR_ICREAT_SERVICE_KEY\)\s+145\s+failed /,
    );
  });

  it('rejects a bad configuration naming every bad key', async () => {
    const result = await runCli(['sources'], { ...env, PORT: 'x', KR_ICREAT_PER_PAGE: '0' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('KR_ICREAT_PER_PAGE');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.each(storeKinds())('trialwatch import on %s', (kind) => {
  let store: TestStore;
  let workDir: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    workDir = mkdtempSync(join(tmpdir(), 'trialwatch-import-'));
  });
  afterAll(async () => {
    await store.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('gives zero changes between the 2021-11 and 2022-05 snapshots, and the same trials from an EUC-KR CSV', async () => {
    const env = { DATABASE_URL: store.url };
    const first = await runCli(['import', join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json')], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/created 145/);
    const second = await runCli(['import', join(fixturesDir(), 'kr', 'kr-snapshot-2022-05.json')], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/created 0, updated 0, unchanged 145, removed 0, restored 0, skipped 0/);

    const snapshot = JSON.parse(
      readFileSync(join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json'), 'utf8'),
    ) as { data: Record<string, string>[] };
    const quote = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const csv =
      [
        COLUMNS.join(','),
        ...snapshot.data.map((row) => COLUMNS.map((c) => quote(row[c] ?? '')).join(',')),
      ].join('\r\n') + '\r\n';
    const csvPath = join(workDir, 'kr.csv');
    writeFileSync(csvPath, iconv.encode(csv, 'euc-kr'));
    const third = await runCli(['import', csvPath], env);
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/created 0, updated 0, unchanged 145, removed 0/);
    const runs = await store.db.selectFrom('harvest_runs').select(['trigger', 'info']).execute();
    expect(runs.every((r) => r.trigger === 'import')).toBe(true);
    expect(JSON.parse(runs[2]!.info)).toMatchObject({ file: 'kr.csv' });
  });

  it('removes nothing after a cut CSV, removes what a file vouched for with --full lacks, and refuses bad bytes and files above IMPORT_MAX_FILE_BYTES', async () => {
    const env = { DATABASE_URL: store.url };
    const jsonPath = join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json');
    const snapshot = JSON.parse(readFileSync(jsonPath, 'utf8')) as { data: Record<string, string>[] };
    const quote = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const lines = [
      COLUMNS.join(','),
      ...snapshot.data.map((row) => COLUMNS.map((c) => quote(row[c] ?? '')).join(',')),
    ].map((line) => `${line}\r\n`);
    expect(lines).toHaveLength(146);
    const write = (name: string, content: string | Buffer) => {
      const path = join(workDir, name);
      writeFileSync(path, content);
      return path;
    };
    const versionsOf = async (id: string) =>
      (await store.db.selectFrom('trial_versions').select('version').where('trial_id', '=', id).execute())
        .length;
    const active = async () =>
      (await store.db.selectFrom('trials').select('id').where('removed_at', 'is', null).execute()).length;

    expect((await runCli(['import', jsonPath], env)).code).toBe(0);
    expect(await active()).toBe(145);

    // Issue 15.1: the first 102 lines, the last value cut by 3 characters.
    const cutId = snapshot.data[100]!['과제번호']!;
    const cut = await runCli(['import', write('cut.csv', lines.slice(0, 102).join('').slice(0, -5))], env);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(
      /kr-icreat: partial .*updated 0, unchanged 100, removed 0, restored 0, skipped 1/,
    );
    expect(cut.stdout).toContain(`does not end in a complete record (line 102, ${cutId}`);
    expect(cut.stdout).toContain('import it with --full');
    expect(await versionsOf(cutId)).toBe(1);

    // Cut at a line end: the file cannot show that the 44 trials after it are gone.
    const atLineEnd = write('cut-at-line-end.csv', lines.slice(0, 102).join(''));
    const lineEnd = await runCli(['import', atLineEnd], env);
    expect(lineEnd.code).toBe(1);
    expect(lineEnd.stdout).toMatch(/kr-icreat: partial .*unchanged 101, removed 0/);
    expect(lineEnd.stdout).toContain('carries no count');
    expect(await active()).toBe(145);

    // The user vouches for it: the trials it lacks are removed, and come back with the whole file.
    const vouched = await runCli(['import', '--full', atLineEnd], env);
    expect(vouched.stderr).toBe('');
    expect(vouched.code).toBe(0);
    expect(vouched.stdout).toMatch(/kr-icreat: succeeded .*unchanged 101, removed 44/);
    expect(await active()).toBe(101);
    const back = await runCli(['import', jsonPath], env);
    expect(back.stdout).toMatch(/unchanged 101, removed 0, restored 44/);
    expect(await active()).toBe(145);

    // Issue 15.3: one bad byte in a UTF-8 CSV fails as UTF-8, naming its offset (not SCHEMA_DRIFT).
    const utf8 = Buffer.from(lines.join(''), 'utf8');
    const at = Buffer.byteLength(lines.slice(0, 50).join(''));
    const bad = await runCli(
      [
        'import',
        write('bad.csv', Buffer.concat([utf8.subarray(0, at), Buffer.from([0xff]), utf8.subarray(at)])),
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^trialwatch: kr-icreat: cannot import bad\.csv: /);
    expect(bad.stderr).toContain(
      `the file is UTF-8 with bytes that are not valid UTF-8 (${utf8.length + 1} bytes, 1 bad, the first at offset ${at})`,
    );
    expect(bad.stderr).not.toContain('record layout changed');

    // Issue 15.11: a file above the limit is refused before it is read, the limit named.
    const runsBefore = (await store.db.selectFrom('harvest_runs').select('id').execute()).length;
    const large = await runCli(['import', jsonPath], { ...env, IMPORT_MAX_FILE_BYTES: '4096' });
    expect(large.code).toBe(1);
    expect(large.stderr).toMatch(
      /^trialwatch: .*kr-snapshot-2021-11\.json is \d+ bytes, more than IMPORT_MAX_FILE_BYTES \(4096 bytes\) allows; nothing was imported/,
    );
    expect((await store.db.selectFrom('harvest_runs').select('id').execute()).length).toBe(runsBefore);
    const help = await runCli(['import', '--help'], env);
    expect(help.stdout).toMatch(/--full\s+the file is the whole dataset/);
  });

  it('fails on a file that does not exist or is not a dataset file', async () => {
    const env = { DATABASE_URL: store.url };
    const missing = await runCli(['import', join(workDir, 'nope.json')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^trialwatch: Cannot read .*nope\.json/);
    const junk = join(workDir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const runsBefore = (await store.db.selectFrom('harvest_runs').select('id').execute()).length;
    const result = await runCli(['import', junk], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^trialwatch: kr-icreat: cannot import junk\.json: the JSON is not an odcloud response/,
    );
    // Nothing of it could be read: refused before a run is recorded (issue 20.4).
    expect((await store.db.selectFrom('harvest_runs').select('id').execute()).length).toBe(runsBefore);
  });
});
