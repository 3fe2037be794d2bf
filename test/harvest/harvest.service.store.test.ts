import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { leaseName } from '../../src/harvest/harvest-lease.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { sql } from 'kysely';
import { decompressJson } from '../../src/store/compression.js';
import * as trialSeen0007 from '../../src/store/migrations/0007-trial-seen.js';
import { findTrial } from '../../src/store/trial-query.repository.js';
import { acquireLease } from '../../src/store/lease.repository.js';
import { AppError } from '../../src/errors/app-error.js';
import type { ListingEnd, PageReader, SourcePage } from '../../src/sources/source.types.js';
import type { MemorySourceControl } from '../../testkit/memory-source.js';
import { createMemorySource, silentLog, testConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { resetTables } from '../support/reset-tables.js';

/** V8's full garbage collection, exposed at run time (the heap it leaves is what is still referenced). */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function records(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    id: `T${String(from + i).padStart(4, '0')}`,
    title: `title ${from + i}`,
    tags: ['b', 'a'],
  }));
}

describe.each(storeKinds())('harvest service on %s', (kind) => {
  let store: TestStore;
  let control: MemorySourceControl;
  let deps: HarvestDeps;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store.drop());

  beforeEach(async () => {
    await resetTables(store.db);
    const memory = createMemorySource();
    control = memory.control;
    deps = {
      config: testConfig(store.url),
      store,
      sources: [memory.adapter],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
  });

  const harvest = () => runHarvest(deps, { source: 'kr-icreat', mode: 'full', trigger: 'manual' });

  it('marks unchanged records seen in trial_seen only, and migration 0007 moves the marks both ways', async () => {
    control.records = records(20);
    const first = await harvest();
    const rowBefore = await store.db
      .selectFrom('trials')
      .selectAll()
      .where('id', '=', 'T0003')
      .executeTakeFirstOrThrow();
    const seenBefore = (await findTrial(store.db, 'T0003'))!.lastSeenAt;
    const second = await harvest();
    expect(second).toMatchObject({ status: 'succeeded', unchanged: 20 });
    // The trial's own row is untouched; its seen mark moved to this run.
    expect(
      await store.db.selectFrom('trials').selectAll().where('id', '=', 'T0003').executeTakeFirstOrThrow(),
    ).toEqual(rowBefore);
    const marks = await store.db.selectFrom('trial_seen').selectAll().orderBy('trial_id').execute();
    expect(marks.filter((mark) => mark.trial_id.startsWith('T00'))).toHaveLength(20);
    for (const mark of marks.filter((row) => row.trial_id.startsWith('T00'))) {
      expect(Number(mark.last_seen_run_id)).toBe(second.id);
    }
    const seenAfter = (await findTrial(store.db, 'T0003'))!.lastSeenAt;
    expect(seenAfter).toBeGreaterThan(seenBefore);
    expect(seenBefore).toBeGreaterThanOrEqual(first.startedAt);

    // Down: the marks go back into trials; up: they come out again, unchanged.
    await trialSeen0007.down(store.db);
    const columns = await sql<{
      id: string;
      last_seen_at: number | string;
      last_seen_run_id: number | string;
    }>`
      select id, last_seen_at, last_seen_run_id from trials where id = 'T0003'`.execute(store.db);
    expect(Number(columns.rows[0]?.last_seen_at)).toBe(seenAfter);
    expect(Number(columns.rows[0]?.last_seen_run_id)).toBe(second.id);
    await trialSeen0007.up(store.db);
    expect((await findTrial(store.db, 'T0003'))!.lastSeenAt).toBe(seenAfter);
    // A record missing from a later full listing is still found unseen and removed.
    control.records = records(19);
    expect(await harvest()).toMatchObject({ status: 'succeeded', unchanged: 19, removed: 1 });
  });

  it('creates, then changes nothing on the same data, then records updates, removals and additions', async () => {
    control.records = records(145);
    const first = await harvest();
    expect(first).toMatchObject({ status: 'succeeded', fetched: 145, created: 145, unchanged: 0 });

    const second = await harvest();
    expect(second).toMatchObject({
      status: 'succeeded',
      fetched: 145,
      created: 0,
      updated: 0,
      unchanged: 145,
      removed: 0,
    });
    const versions = await store.db.selectFrom('trial_versions').select('trial_id').execute();
    expect(versions).toHaveLength(145);

    // Change 3 fields of 2 records, remove 1, add 1.
    control.records = records(145);
    control.records[0] = { ...control.records[0], title: 'changed title', extra: 'x' };
    control.records[1] = { ...control.records[1], title: 'other title' };
    control.records.splice(10, 1);
    control.records.push({ id: 'T9999', title: 'new one' });
    const third = await harvest();
    expect(third).toMatchObject({ status: 'succeeded', created: 1, updated: 2, removed: 1, unchanged: 142 });

    const v2 = await store.db
      .selectFrom('trial_versions')
      .selectAll()
      .where('trial_id', '=', 'T0000')
      .where('version', '=', 2)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(v2.diff!)).toEqual([
      { path: 'extra', new: 'x' },
      { path: 'title', old: 'title 0', new: 'changed title' },
    ]);
    expect(decompressJson(v2.raw)).toMatchObject({ id: 'T0000', title: 'changed title' });
    const trial = await store.db
      .selectFrom('trials')
      .selectAll()
      .where('id', '=', 'T0000')
      .executeTakeFirstOrThrow();
    expect(trial).toMatchObject({ version: 2, content_hash: v2.content_hash, title: 'changed title' });
    const removed = await store.db
      .selectFrom('trials')
      .selectAll()
      .where('id', '=', 'T0010')
      .executeTakeFirstOrThrow();
    expect(removed.removed_at).not.toBeNull();

    const kinds = await store.db
      .selectFrom('changes')
      .select(['kind', 'trial_id', 'paths', 'version'])
      .where('run_id', '=', third.id)
      .orderBy('seq')
      .execute();
    expect(kinds.map((k) => `${k.kind}:${k.trial_id}`).sort()).toEqual([
      'created:T9999',
      'removed:T0010',
      'updated:T0000',
      'updated:T0001',
    ]);
    expect(JSON.parse(kinds.find((k) => k.trial_id === 'T0001')!.paths)).toEqual(['title']);

    // It comes back: restored, same content, no new version.
    control.records = records(145);
    control.records.push({ id: 'T9999', title: 'new one' });
    control.records[0] = { ...control.records[0], title: 'changed title', extra: 'x' };
    control.records[1] = { ...control.records[1], title: 'other title' };
    const fourth = await harvest();
    expect(fourth).toMatchObject({ restored: 1, created: 0, updated: 0, removed: 0 });
    const restored = await store.db
      .selectFrom('trials')
      .selectAll()
      .where('id', '=', 'T0010')
      .executeTakeFirstOrThrow();
    expect(restored).toMatchObject({ removed_at: null, version: 1 });
  });

  it('ignores volatile fields and the order of unordered lists', async () => {
    control.records = [{ id: 'A1', title: 't', tags: ['x', 'y'], volatile: '2024' }];
    await harvest();
    control.records = [{ id: 'A1', title: 't', tags: ['y', 'x'], volatile: '2025' }];
    expect(await harvest()).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('skips records without an id, with wrong types, or duplicated, and counts them', async () => {
    control.pageSize = 2;
    control.records = [
      { id: 'A1', title: 't' },
      { title: 'no id' },
      { id: 'A2', title: 42 },
      { id: 'A1', title: 'dup' },
      { id: 'A3', title: 'ok' },
    ];
    const run = await harvest();
    expect(run).toMatchObject({ status: 'succeeded', fetched: 5, created: 2, skipped: 3 });
    expect(run.skippedReasons.map((s) => s.reason)).toEqual([
      'record has no id',
      'title is not a string',
      'duplicate: the same id appeared earlier in this harvest',
    ]);
  });

  it('removes nothing after an incomplete listing, and records why', async () => {
    control.records = records(20);
    await harvest();
    control.records = records(10);
    control.end = { complete: false, incompleteReason: 'fetched 10 of 20' };
    const run = await harvest();
    expect(run).toMatchObject({
      status: 'partial',
      removed: 0,
      unchanged: 10,
      errorCode: 'HARVEST_INCOMPLETE',
    });
    expect(run.errorMessage).toContain('fetched 10 of 20');
  });

  it('refuses to remove most records even when the listing claims to be complete', async () => {
    control.records = records(20);
    await harvest();
    control.records = records(5);
    const run = await harvest();
    expect(run).toMatchObject({ status: 'partial', removed: 0, errorCode: 'HARVEST_INCOMPLETE' });
    const active = await store.db.selectFrom('trials').select('id').where('removed_at', 'is', null).execute();
    expect(active).toHaveLength(20);
  });

  it('fails the run on an upstream error, keeps what was written, removes nothing', async () => {
    control.records = records(100);
    await harvest();
    control.records = records(100).map((r) => ({ ...r, title: `${r.title}!` }));
    control.pageSize = 10;
    control.failAfterPages = {
      pages: 3,
      error: new AppError('UPSTREAM_HTTP_ERROR', 'kr-icreat: GET … answered HTTP 503'),
    };
    const run = await harvest();
    expect(run).toMatchObject({
      status: 'failed',
      errorCode: 'UPSTREAM_HTTP_ERROR',
      updated: 30,
      removed: 0,
    });
    const last = await store.db.selectFrom('source_state').selectAll().executeTakeFirst();
    expect(last?.last_run_id).not.toBe(run.id);
  });

  it('fails loudly on schema drift', async () => {
    control.records = [{ id: 'A1', title: 't', drift: 1 }];
    const run = await harvest();
    expect(run).toMatchObject({ status: 'failed', errorCode: 'SCHEMA_DRIFT' });
  });

  it('stops at a page boundary when interrupted, marked interrupted', async () => {
    const controller = new AbortController();
    control.records = records(30);
    control.pageSize = 10;
    control.beforePage = (page) => {
      if (page === 1) controller.abort();
    };
    const run = await runHarvest(deps, {
      source: 'kr-icreat',
      mode: 'full',
      trigger: 'manual',
      signal: controller.signal,
    });
    expect(run.status).toBe('interrupted');
    expect(run.created).toBeGreaterThanOrEqual(10);
    expect(run.created).toBeLessThan(30);
  });

  it('refuses a second harvest of a source while one holds the lease, and abandons dead runs', async () => {
    expect(
      await acquireLease(store.db, leaseName('kr-icreat'), 'other-process', 60_000, clock + 10_000),
    ).toBe(true);
    await expect(harvest()).rejects.toMatchObject({ code: 'HARVEST_IN_PROGRESS' });
    await store.db.deleteFrom('leases').execute();
    await store.db
      .insertInto('harvest_runs')
      .values({
        source: 'kr-icreat',
        mode: 'full',
        trigger: 'manual',
        status: 'running',
        holder: 'dead',
        started_at: 1,
        heartbeat_at: 1,
      })
      .execute();
    control.records = records(1);
    await harvest();
    const statuses = await store.db
      .selectFrom('harvest_runs')
      .select(['holder', 'status'])
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { holder: 'dead', status: 'abandoned' },
      { holder: 'test-holder', status: 'succeeded' },
    ]);
  });

  it('keeps the invariants: contiguous versions, one event per version, current hash = latest version hash', async () => {
    control.records = records(30);
    await harvest();
    for (let round = 0; round < 3; round++) {
      control.records = records(30).map((r, i) =>
        i % (round + 2) === 0 ? { ...r, title: `${r.title} r${round}` } : r,
      );
      await harvest();
    }
    const trials = await store.db.selectFrom('trials').selectAll().execute();
    for (const trial of trials) {
      const versions = await store.db
        .selectFrom('trial_versions')
        .selectAll()
        .where('trial_id', '=', trial.id)
        .orderBy('version')
        .execute();
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
      expect(versions.at(-1)!.content_hash).toBe(trial.content_hash);
      const events = await store.db
        .selectFrom('changes')
        .select(['version', 'kind'])
        .where('trial_id', '=', trial.id)
        .orderBy('seq')
        .execute();
      expect(
        events.filter((e) => e.kind === 'created' || e.kind === 'updated').map((e) => e.version),
      ).toEqual(versions.map((v) => v.version));
    }
  });

  it('records cross-registry links and merged-id aliases with each version', async () => {
    control.records = [
      { id: 'A1', title: 't', secondary: ['kct0001234', 'NOT-AN-ID', 'NCT01234567'], aliases: ['OLD1'] },
    ];
    await harvest();
    const links = await store.db
      .selectFrom('trial_links')
      .select(['trial_id', 'linked_id', 'relation'])
      .orderBy('linked_id')
      .execute();
    expect(links).toEqual([
      { trial_id: 'A1', linked_id: 'KCT0001234', relation: 'secondary-id' },
      { trial_id: 'A1', linked_id: 'NCT01234567', relation: 'secondary-id' },
    ]);
    expect(await store.db.selectFrom('trial_aliases').select(['alias', 'trial_id']).execute()).toEqual([
      { alias: 'OLD1', trial_id: 'A1' },
    ]);
    control.records = [{ id: 'A1', title: 't', secondary: ['NCT01234567'] }];
    await harvest();
    expect(await store.db.selectFrom('trial_links').select('linked_id').execute()).toEqual([
      { linked_id: 'NCT01234567' },
    ]);
  });

  it('reconciles from an id-only listing: unseen ids are removed, listed removed ones restored', async () => {
    control.records = records(10);
    await harvest();
    control.idsOnly = records(10)
      .map((r) => r.id)
      .filter((id) => id !== 'T0003');
    const first = await harvest();
    expect(first).toMatchObject({ status: 'succeeded', removed: 1, unchanged: 9, created: 0 });
    control.idsOnly = [...records(10).map((r) => r.id), 'T0100'];
    const second = await harvest();
    expect(second).toMatchObject({ restored: 1, unchanged: 9, skipped: 1 });
    expect(second.skippedReasons[0]).toMatchObject({ id: 'T0100' });
  });

  it('takes over at once a lease whose holder process on this host is gone, but not a live one', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    await acquireLease(
      store.db,
      leaseName('kr-icreat'),
      `${hostname()}:${deadPid}:zz`,
      60_000,
      clock + 10_000,
    );
    control.records = records(3);
    expect(await harvest()).toMatchObject({ status: 'succeeded', created: 3 });
    await acquireLease(
      store.db,
      leaseName('kr-icreat'),
      `${hostname()}:${process.ppid}:zz`,
      60_000,
      clock + 10_000,
    );
    await expect(harvest()).rejects.toMatchObject({ code: 'HARVEST_IN_PROGRESS' });
  });

  it('holds nothing per record in memory: the heap a harvest keeps does not grow with the records it has seen', async () => {
    const gc = collectGarbage();
    const pageSize = 3_000;
    const pages = 10;
    // Records made page by page (as a real upstream's are parsed): nothing but the run holds their ids.
    const idOf = (i: number) => `MEM-${String(i).padStart(8, '0')}-${'x'.repeat(48)}`;
    async function* generated(reader: PageReader): AsyncGenerator<SourcePage, ListingEnd, void> {
      for (let page = 0; page < pages; page++) {
        await Promise.resolve();
        const list = Array.from({ length: pageSize }, (_, k) => ({
          id: idOf(page * pageSize + k),
          title: 't',
        }));
        // The first record again on the last page: a duplicate found through the database.
        if (page === pages - 1) list.push({ id: idOf(0), title: 'again' });
        yield reader.prepare(list);
      }
      return { listing: 'full', complete: true, expectedTotal: pages * pageSize };
    }
    const adapter = { ...deps.sources[0]!, harvest: (context: PageReader) => generated(context) };
    const heapAfterPage = new Map<number, number>();
    const run = await runHarvest(
      { ...deps, sources: [adapter] },
      {
        source: 'kr-icreat',
        mode: 'full',
        trigger: 'manual',
        onProgress: ({ pages: done }) => {
          if (done !== 1 && done !== pages) return;
          gc();
          heapAfterPage.set(done, process.memoryUsage().heapUsed);
        },
      },
    );
    expect(run).toMatchObject({ status: 'succeeded', created: pages * pageSize, skipped: 1, removed: 0 });
    expect(run.skippedReasons).toEqual([{ id: idOf(0), reason: expect.stringMatching(/duplicate/) }]);
    const retained = heapAfterPage.get(pages)! - heapAfterPage.get(1)!;
    // 27,000 more ids seen between the two points: a set of them would hold about 2.5 MB.
    expect(retained, `heap retained over 27,000 more records: ${retained} bytes`).toBeLessThan(1_000_000);
  }, 120_000);
});
