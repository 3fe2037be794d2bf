/**
 * Issue 20, item 1: `npm run demo` starts loopback stand-ins for the three registries and a `serve`
 * harvesting them; the test sees every registry's trials, a release's changes (a typed status change,
 * a study no longer listed, a link between registries), and the whole demo stopping on SIGTERM.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/paths.js';

interface SourceItem {
  id: string;
  trials: { total: number; active: number; removed: number };
  lastRun: { status: string } | null;
}

interface ChangeItem {
  trialId: string;
  source: string;
  kind: string;
  changes?: { type: string; from: unknown; to: unknown }[];
}

const get = async <T>(url: string): Promise<T> => {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
};

/** Polls `check` until it returns a value (not undefined), for at most `ms`. */
async function eventually<T>(ms: number, check: () => Promise<T | undefined>, what = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what()}`);
    await sleep(250);
  }
}

describe('npm run demo', () => {
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join('demo', 'main.ts')], {
      cwd: packageRoot(),
      env: { PATH: process.env.PATH ?? '', PORT: '0', DEMO_RELEASE_SECONDS: '4' },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    url = await eventually(60_000, () =>
      Promise.resolve(/trialwatch demo: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]),
    );
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode !== null) return;
    // A failed test left it running: stop it the way a user would, so it stops its server too.
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }, 30_000);

  it('harvests all three registries from the loopback stand-ins', async () => {
    const sources = await eventually(120_000, async () => {
      const { items } = await get<{ items: SourceItem[] }>(`${url}/api/v1/sources`);
      return items.every((item) => item.lastRun?.status === 'succeeded' && item.trials.total > 0)
        ? items
        : undefined;
    });
    const totals = Object.fromEntries(sources.map((item) => [item.id, item.trials.total]));
    expect(totals).toEqual({ 'kr-icreat': 145, ctgov: 200, cris: 12 });
    for (const source of ['kr-icreat', 'ctgov', 'cris']) {
      const page = await get<{ items: { source: string }[] }>(
        `${url}/api/v1/trials?source=${source}&limit=5`,
      );
      expect(page.items.length, source).toBe(5);
      expect(new Set(page.items.map((item) => item.source))).toEqual(new Set([source]));
    }
  }, 150_000);

  it('a release changes records the mirror then notices: typed changes, a removal, a link', async () => {
    const changesOf = async (query: string) =>
      (await get<{ items: ChangeItem[] }>(`${url}/api/v1/changes?${query}&limit=200`)).items;
    const typed = (items: ChangeItem[], type: string) =>
      items.flatMap((item) => (item.changes ?? []).filter((change) => change.type === type).map(() => item));
    // Release 1 is printed before its harvests start; its lines name what the mirror must record.
    const release = await eventually(60_000, () =>
      Promise.resolve(/release 1 [^\n]*\n((?: {2}[^\n]*\n)+)/.exec(output)?.[1]),
    );
    const line = (pattern: RegExp): RegExpExecArray => {
      const match = pattern.exec(release);
      if (match === null) throw new Error(`release 1 printed no line like ${String(pattern)}:\n${release}`);
      return match;
    };
    const [, statusId, from, to] = line(/ctgov (NCT\d{8}): status ([A-Z_]+) → ([A-Z_]+)/);
    const [, goneId] = line(/ctgov (NCT\d{8}): no longer listed/);
    const [, crisId] = line(/cris (KCT\d{7}): recruitment status/);
    const [, krId] = line(/kr-icreat (C\d+): target enrollment/);
    const [, namingId, namedId] = line(/ctgov (NCT\d{8}): names the CRIS registration (KCT\d{7})/);

    const statusChange = await eventually(120_000, async () =>
      typed(await changesOf(`trial=${statusId}&type=status`), 'status')[0]?.changes?.find(
        (change) => change.type === 'status',
      ),
    );
    expect(statusChange).toMatchObject({ from, to });
    await eventually(60_000, async () =>
      (await changesOf(`trial=${goneId}`)).find((item) => item.kind === 'removed'),
    );
    await eventually(60_000, async () => typed(await changesOf(`trial=${crisId}&type=status`), 'status')[0]);
    await eventually(
      60_000,
      async () => typed(await changesOf(`trial=${krId}&type=enrollment`), 'enrollment')[0],
    );
    // A ClinicalTrials.gov study names a CRIS registration: the link shows from the CRIS side.
    const cris = await eventually(60_000, async () => {
      const trial = await get<{ links?: { id: string }[] }>(`${url}/api/v1/trials/${namedId}`);
      return trial.links?.some((link) => link.id === namingId) === true ? trial : undefined;
    });
    expect(cris.links).toContainEqual(expect.objectContaining({ id: namingId, source: 'ctgov' }));
  }, 400_000);

  it('stops the server and the stand-ins on SIGTERM, exit code 0', async () => {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
    expect(code, output).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 30_000);
});
