/** The read repository on real databases: as-of walks, counts, versions, the feed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialFilter, TrialPosition, TrialSort } from '../../src/domain/trial-read.types.js';
import { latestChangeSeq, listTrialEvents, pageChanges } from '../../src/store/change.repository.js';
import { countTrialsBySource } from '../../src/store/trial-count.repository.js';
import { findTrial, listChangedSince } from '../../src/store/trial-query.repository.js';
import {
  findRawRecordJson,
  findTrialVersion,
  listTrialVersions,
} from '../../src/store/trial-version.repository.js';
import { comparePositions, countTrialsAsOf, pageTrials } from '../../src/store/trial-walk.repository.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openStore } from '../../src/store/database.js';
import { Seeder } from '../api/support/seed.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const T = Date.UTC(2024, 0, 1);

describe.each(storeKinds())('trial query repository on %s', (kind) => {
  let store: TestStore;
  let seed: Seeder;
  let asOf: number;

  async function all(
    sort: TrialSort,
    at: number,
    filter: TrialFilter = { includeRemoved: false },
    limit = 2,
  ): Promise<string[]> {
    const ids: string[] = [];
    let after: TrialPosition | undefined;
    for (;;) {
      const page = await pageTrials(store.db, {
        filter,
        sort,
        asOf: at,
        limit,
        ...(after === undefined ? {} : { after }),
      });
      ids.push(...page.items.map((item) => item.trial.id));
      if (!page.hasMore) return ids;
      after = page.items.at(-1)?.position;
    }
  }

  beforeAll(async () => {
    store = await createTestStore(kind);
    seed = new Seeder(store.db, T);
    expect(await latestChangeSeq(store.db)).toBe(0);
    // A..E created in order, with registry dates (E undated).
    const dates = ['2023-05-01', '2023-03-01', '2023-04-01', '2023-03-01', null];
    for (const [i, id] of ['A', 'B', 'C', 'D', 'E'].entries()) {
      await seed.create(
        {
          id,
          source: i < 3 ? 'kr-icreat' : 'ctgov',
          raw: { id, n: 1 },
          fields: { title: id, status: i % 2 ? 'OPEN' : 'CLOSED', sourceUpdatedAt: dates[i] ?? null },
        },
        T + i,
      );
    }
    await seed.remove('D', T + 10);
    asOf = await latestChangeSeq(store.db);
    // After the walk begins: B re-dated and moved to the front, A removed, D restored, F created.
    await seed.update('B', { raw: { id: 'B', n: 2 }, fields: { sourceUpdatedAt: '2023-12-31' } }, T + 20);
    await seed.remove('A', T + 21);
    await seed.restore('D', T + 22);
    await seed.create({ id: 'F', raw: { id: 'F' }, fields: { sourceUpdatedAt: '2024-01-01' } }, T + 23);
  });
  afterAll(async () => store.drop());

  it('pins the newest feed position', async () => {
    expect(asOf).toBe(6);
    expect(await latestChangeSeq(store.db)).toBe(10);
  });

  it('orders a walk as of its position: moved rows where they stood, new rows left out', async () => {
    // As of `asOf`: E, C, B, A by latest change (D was removed then).
    expect(await all('-lastChangedAt', asOf)).toEqual(['E', 'C', 'B', 'A']);
    expect(await all('id', asOf)).toEqual(['A', 'B', 'C', 'E']);
    expect(await all('-sourceUpdatedAt', asOf)).toEqual(['A', 'C', 'B', 'E']);
    expect(await all('-lastChangedAt', asOf, { includeRemoved: true })).toEqual(['D', 'E', 'C', 'B', 'A']);
    // A new walk sees the present.
    const now = await latestChangeSeq(store.db);
    expect(await all('-lastChangedAt', now)).toEqual(['F', 'D', 'B', 'E', 'C']);
    expect(await all('-sourceUpdatedAt', now, { includeRemoved: false }, 10)).toEqual([
      'F',
      'B',
      'C',
      'D',
      'E',
    ]);
  });

  it('takes the time window as of the walk, content filters from the present', async () => {
    const window = { includeRemoved: false, changedSince: T + 2 };
    expect(await all('-lastChangedAt', asOf, window)).toEqual(['E', 'C']);
    expect(await all('id', asOf, { includeRemoved: true, changedSince: T + 1 })).toEqual([
      'B',
      'C',
      'D',
      'E',
    ]);
    expect(await all('id', asOf, { includeRemoved: false, source: 'ctgov' })).toEqual(['E']);
    expect(await all('id', asOf, { includeRemoved: false, status: ['CLOSED'] })).toEqual(['A', 'C', 'E']);
  });

  it('counts exactly what a walk returns', async () => {
    expect(await countTrialsAsOf(store.db, { includeRemoved: false }, asOf)).toBe(4);
    expect(await countTrialsAsOf(store.db, { includeRemoved: true }, asOf)).toBe(5);
    expect(await countTrialsAsOf(store.db, { includeRemoved: false, changedSince: T + 2 }, asOf)).toBe(2);
    expect(await countTrialsAsOf(store.db, { includeRemoved: false }, await latestChangeSeq(store.db))).toBe(
      5,
    );
  });

  it('compares positions the way the database orders them', () => {
    const dated = (updated: string | null, id: string): TrialPosition => ({
      sort: '-sourceUpdatedAt',
      updated,
      id,
    });
    const sorted = [
      dated(null, 'A'),
      dated('2023-01-01', 'Z'),
      dated('2023-01-01', 'B'),
      dated('2024-01-01', 'A'),
      dated(null, 'Z'),
    ].sort(comparePositions);
    expect(sorted).toEqual([
      dated('2024-01-01', 'A'),
      dated('2023-01-01', 'Z'),
      dated('2023-01-01', 'B'),
      dated(null, 'Z'),
      dated(null, 'A'),
    ]);
    expect(
      comparePositions({ sort: '-lastChangedAt', seq: 5 }, { sort: '-lastChangedAt', seq: 3 }),
    ).toBeLessThan(0);
    expect(comparePositions({ sort: 'id', id: 'B' }, { sort: 'id', id: 'A' })).toBeGreaterThan(0);
    expect(() => comparePositions({ sort: 'id', id: 'B' }, { sort: '-lastChangedAt', seq: 1 })).toThrow(
      TypeError,
    );
  });

  it('reads one trial as a domain object', async () => {
    const b = await findTrial(store.db, 'B');
    expect(b).toMatchObject({
      id: 'B',
      source: 'kr-icreat',
      version: 2,
      firstSeenAt: T + 1,
      lastChangedAt: T + 20,
      removedAt: null,
      sourceUpdatedAt: '2023-12-31',
    });
    expect(JSON.parse(b!.docJson)).toMatchObject({ fields: { title: 'B', sourceUpdatedAt: '2023-12-31' } });
    expect((await findTrial(store.db, 'A'))?.removedAt).toBe(T + 21);
    expect(await findTrial(store.db, 'nope')).toBeUndefined();
  });

  it('reads versions, raw records and events', async () => {
    const versions = await listTrialVersions(store.db, 'B');
    expect(versions.map((version) => [version.version, version.observedAt, version.sourceUpdatedAt])).toEqual(
      [
        [1, T + 1, '2023-03-01'],
        [2, T + 20, '2023-12-31'],
      ],
    );
    expect(versions[0]?.diff).toBeNull();
    expect(versions[1]?.diff).toEqual([{ path: 'n', old: 1, new: 2 }]);
    expect(JSON.parse((await findTrialVersion(store.db, 'B', 1))!.rawJson)).toEqual({ id: 'B', n: 1 });
    expect(await findTrialVersion(store.db, 'B', 3)).toBeUndefined();
    expect(JSON.parse((await findRawRecordJson(store.db, 'B', 2))!)).toEqual({ id: 'B', n: 2 });
    expect(await findRawRecordJson(store.db, 'B', 9)).toBeUndefined();
    const events = await listTrialEvents(store.db, 'D');
    expect(events.map((event) => [event.kind, event.version, event.occurredAt])).toEqual([
      ['created', 1, T + 3],
      ['removed', 1, T + 10],
      ['restored', 1, T + 22],
    ]);
  });

  it('pages the change feed after a position, by source', async () => {
    const first = await pageChanges(store.db, { afterSeq: 0, limit: 3 });
    expect(first.map((event) => event.seq)).toEqual([1, 2, 3]);
    const rest = await pageChanges(store.db, { afterSeq: 3, limit: 100 });
    expect(rest.map((event) => event.trialId)).toEqual(['D', 'E', 'D', 'B', 'A', 'D', 'F']);
    expect(rest.find((event) => event.trialId === 'B')).toMatchObject({
      kind: 'updated',
      version: 2,
      paths: ['n'],
      occurredAt: T + 20,
      runId: null,
    });
    const ctgov = await pageChanges(store.db, { afterSeq: 0, source: 'ctgov', limit: 100 });
    expect(new Set(ctgov.map((event) => event.trialId))).toEqual(new Set(['D', 'E']));
  });

  it('lists recently changed trials by offset, and counts per source', async () => {
    const recent = await listChangedSince(store.db, { since: T + 3, offset: 0, limit: 10 });
    expect(recent.map((trial) => trial.id)).toEqual(['F', 'D', 'B', 'E']);
    expect(
      (await listChangedSince(store.db, { since: T + 3, offset: 1, limit: 2 })).map((trial) => trial.id),
    ).toEqual(['D', 'B']);
    const counts = await countTrialsBySource(store.db);
    expect(counts.get('kr-icreat')).toEqual({ total: 4, removed: 1 });
    expect(counts.get('ctgov')).toEqual({ total: 2, removed: 0 });
  });

  // Last: it writes. A write lands between the two reads of one page (settled rows, then moved
  // rows): the row it moves is read by both, and must come once. The writer has its own connection,
  // as a harvest in another process would.
  it('neither loses nor repeats a row that moves between the two reads of a page', async () => {
    const other = openStore(parseDatabaseUrl(store.url)!);
    try {
      const writer = new Seeder(other.db, T + 30);
      await writer.createMany([{ id: 'G' }, { id: 'H' }, { id: 'I' }]);
      const pinned = await latestChangeSeq(store.db);
      let armed = true;
      const racing = store.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          if (armed) {
            armed = false;
            await writer.update('H', { raw: { id: 'H', moved: true } }, T + 40);
          }
          return args.result;
        },
      });
      const page = await pageTrials(racing, {
        filter: { includeRemoved: false },
        sort: '-lastChangedAt',
        asOf: pinned,
        limit: 4,
      });
      expect(armed).toBe(false);
      expect((await findTrial(store.db, 'H'))?.version).toBe(2);
      expect(page.items.map((item) => item.trial.id)).toEqual(['I', 'H', 'G', 'F']);
    } finally {
      await other.close();
    }
  });
});
