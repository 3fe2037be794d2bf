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
import type { FakeUpstream } from '../support/fake-upstream.js';
import { fixturesDir, startFakeUpstream } from '../support/fake-upstream.js';
import { runCli } from '../support/cli.js';
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

  it('reports a missing key as not configured, with a failed run', async () => {
    const { KR_ICREAT_SERVICE_KEY: _omit, ...withoutKey } = env;
    const result = await runCli(['harvest', '--source', 'kr-icreat'], withoutKey);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('KR_ICREAT_SERVICE_KEY');
    const sources = await runCli(['sources'], withoutKey);
    expect(sources.code).toBe(0);
    expect(sources.stdout).toMatch(/kr-icreat\tnot configured \(set KR_ICREAT_SERVICE_KEY\)/);
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

  it('fails on a file that does not exist or is not a dataset file', async () => {
    const env = { DATABASE_URL: store.url };
    const missing = await runCli(['import', join(workDir, 'nope.json')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^trialwatch: Cannot read .*nope\.json/);
    const junk = join(workDir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const result = await runCli(['import', junk], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/kr-icreat: failed/);
  });
});
