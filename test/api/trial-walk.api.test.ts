/**
 * The keyset walk under concurrent writes: between every two pages a "harvest" updates trials on
 * both sides of the walk's position (moving them in every sort), creates new ones, removes and
 * restores others. Every trial that was in the result when the walk began must come exactly once,
 * and nothing created after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-store.js';
import type { SeedTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY, T0 } from './support/test-app.js';

/** A small deterministic PRNG (mulberry32): the same writes on every run and database. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const date = (day: number): string => new Date(Date.UTC(2024, 0, 1) + day * DAY).toISOString().slice(0, 10);

function trial(n: number, rand: () => number): SeedTrial {
  const id = `T${String(n).padStart(5, '0')}`;
  return {
    id,
    source: n % 2 === 0 ? 'kr-icreat' : 'ctgov',
    fields: {
      title: `Trial ${n}`,
      status: 'RECRUITING',
      // About a quarter undated: the walk crosses from dated to undated trials.
      sourceUpdatedAt: rand() < 0.25 ? null : date(Math.floor(rand() * 60)),
    },
  };
}

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}

describe.each(storeKinds())('trial walk under concurrent writes on %s', (kind) => {
  let t: TestApp;
  let next = 1;
  const rand = random(7);

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.clock.now = T0;
  });
  afterAll(async () => t.close());

  /** Active and removed trials as the store holds them now. */
  async function snapshot(): Promise<{ active: string[]; removed: string[] }> {
    const rows = await t.store.db
      .selectFrom('trials')
      .select(['id', 'removed_at', 'last_changed_at'])
      .execute();
    return {
      active: rows.filter((row) => row.removed_at === null).map((row) => row.id),
      removed: rows.filter((row) => row.removed_at !== null).map((row) => row.id),
    };
  }

  /** One burst of harvest writes: updates (re-dating), creations, removals and restorations. */
  async function harvestBurst(): Promise<void> {
    const { active, removed } = await snapshot();
    t.seed.now += 1000;
    for (let i = 0; i < 6; i++) {
      const id = active[Math.floor(rand() * active.length)] as string;
      const roll = rand();
      const sourceUpdatedAt = roll < 0.2 ? null : date(Math.floor(rand() * 90));
      await t.seed.update(id, { fields: { title: `Trial ${id} rev ${t.seed.now}`, sourceUpdatedAt } });
    }
    for (let i = 0; i < 3; i++) {
      // New ids on both sides of the id order.
      const n = rand() < 0.5 ? next++ : 90_000 + next++;
      await t.seed.create(trial(n, rand));
    }
    const victim = active[Math.floor(rand() * active.length)] as string;
    await t.seed.remove(victim);
    const back = removed[Math.floor(rand() * removed.length)];
    if (back !== undefined) await t.seed.restore(back);
  }

  async function walkWithWrites(query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/trials?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await t.app.inject(url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<Page>();
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      await harvestBurst();
    } while (cursor !== null);
    return ids;
  }

  /** About 20 pages per walk, whatever the table size, so each walk sees about 20 bursts. */
  const pageSize = (rows: number) => Math.max(5, Math.ceil(rows / 20));

  async function seedMore(count: number): Promise<void> {
    const batch: SeedTrial[] = [];
    for (let i = 0; i < count; i++) batch.push(trial(next++, rand));
    t.seed.now += 1000;
    await t.seed.createMany(batch);
    // Some history before the walk: updated and removed trials.
    for (let i = 0; i < 10; i++) await harvestBurst();
  }

  for (const sort of ['-lastChangedAt', 'id', '-sourceUpdatedAt'] as const) {
    it(`returns every trial that existed when the walk began exactly once (sort ${sort})`, async () => {
      await seedMore(150);
      const before = await snapshot();
      const ids = await walkWithWrites(`sort=${sort}`, pageSize(before.active.length));
      expect(ids.length - new Set(ids).size).toBe(0);
      expect([...ids].sort()).toEqual([...before.active].sort());
    });

    it(`keeps removed trials in an includeRemoved walk exactly once (sort ${sort})`, async () => {
      const before = await snapshot();
      const all = before.active.length + before.removed.length;
      const ids = await walkWithWrites(`sort=${sort}&includeRemoved=true`, pageSize(all) + 3);
      expect(ids.length - new Set(ids).size).toBe(0);
      expect([...ids].sort()).toEqual([...before.active, ...before.removed].sort());
    });
  }

  it('keeps the time window of the first page for the whole walk', async () => {
    const start = await t.store.db
      .selectFrom('trials')
      .select(['id', 'last_changed_at', 'removed_at'])
      .execute();
    // The window opens at the median change time: half the trials in, half out.
    const times = start.map((row) => row.last_changed_at).sort((a, b) => a - b);
    const since = times[Math.floor(times.length / 2)] as number;
    t.clock.now = since + DAY;
    const expected = start
      .filter((row) => row.removed_at === null && row.last_changed_at >= since)
      .map((r) => r.id);
    // Writes during the walk make old trials recent: they must not join it.
    const ids = await walkWithWrites('updatedWithin=1d', pageSize(expected.length));
    expect(ids.length - new Set(ids).size).toBe(0);
    expect([...ids].sort()).toEqual([...expected].sort());
    t.clock.now = T0;
  });

  it('counts what the walk returns', async () => {
    const { active } = await snapshot();
    const body = (await t.app.inject('/api/v1/trials?count=true&limit=1')).json<{ total: number }>();
    expect(body.total).toBe(active.length);
  });
});
