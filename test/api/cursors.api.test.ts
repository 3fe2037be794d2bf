/**
 * Issue 15, item 7: page cursors cannot be forged. Their MAC key is not a constant of the source
 * but `CURSOR_SECRET`, or one generated once and kept in the database (shared by every process
 * of the deployment), and every field of a cursor is bounded to its column's range, so even a
 * cursor signed with the right key cannot carry `1e300` or `2^63` to the database: 400
 * INVALID_CURSOR on trials, changes and harvests.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { CursorCodec } from '../../src/api/cursor.js';
import { createRun, finishRun } from '../../src/store/harvest-run.repository.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { koreanSnapshot, koreanTrial, Seeder } from './support/seed.js';
import { T0, TEST_SOURCES, testConfig } from './support/test-app.js';

/** The key every process used before: public, in the source. */
const OLD_CONSTANT_KEY = 'trialwatch-cursor-v1';
const CONFIGURED_KEY = 'a-configured-cursor-secret-0123456789';

/** A cursor of `kind` with any payload at all, signed with `key`. */
function forge(key: string, kind: string, payload: unknown): string {
  return new CursorCodec(key).define(kind, Type.Unknown()).encode(payload);
}

function payloadOf(cursor: string): Record<string, unknown> {
  const body = cursor.split('.')[0]!;
  return (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { p: Record<string, unknown> }).p;
}

async function seedStore(store: TestStore): Promise<void> {
  const seed = new Seeder(store.db, T0 - 10 * 86_400_000);
  await seed.createMany(koreanSnapshot().slice(0, 6).map(koreanTrial));
  for (let i = 0; i < 3; i++) {
    const id = await createRun(store.db, {
      source: 'kr-icreat',
      mode: 'full',
      trigger: 'manual',
      holder: 'test',
      now: T0 - i,
    });
    await finishRun(store.db, id, {
      status: 'succeeded',
      counts: { fetched: 1, created: 0, updated: 0, unchanged: 1, removed: 0, restored: 0, skipped: 0 },
      skippedReasons: [],
      errorCode: null,
      errorMessage: null,
      now: T0,
    });
  }
}

function appOn(store: TestStore, cursorSecret?: string): Promise<FastifyInstance> {
  return buildApp({
    config: { ...testConfig(store), cursorSecret },
    store,
    sources: TEST_SOURCES,
    now: () => T0,
  });
}

describe.each(storeKinds())('page cursors on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  /** A real first-page cursor of each list, for the parts a forger would copy. */
  let trialQuery: string;

  beforeAll(async () => {
    store = await createTestStore(kind);
    await seedStore(store);
    app = await appOn(store, CONFIGURED_KEY);
    const page = (await app.inject('/api/v1/trials?limit=2')).json<{ nextCursor: string }>();
    trialQuery = String(payloadOf(page.nextCursor).q);
  });
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  const codeOf = async (url: string) => {
    const response = await app.inject(url);
    return `${response.statusCode} ${response.json<{ code?: string }>().code ?? 'ok'}`;
  };

  /** Payloads a forger would try, per list: each must be refused before the database. */
  const hostile = () => ({
    trials: [
      { q: trialQuery, a: 1e300, w: null, s: 1 },
      { q: trialQuery, a: 2 ** 63, w: null, s: 1 },
      { q: trialQuery, a: 1, w: null, s: 2 ** 63 },
      { q: trialQuery, a: 1, w: -1e300, s: 1 },
      { q: trialQuery, a: -1, w: null, s: 1 },
    ],
    changes: [{ s: 1e300 }, { s: 2 ** 63 }, { s: -1 }, { s: 1.5 }, { s: '1' }],
    harvests: [{ b: 1e300 }, { b: 2 ** 63 }, { b: 0 }, { b: null }],
  });
  const urls: Record<string, string> = {
    trials: '/api/v1/trials?limit=2&cursor=',
    changes: '/api/v1/changes?limit=2&cursor=',
    harvests: '/api/v1/harvests?limit=1&cursor=',
  };

  it('refuses cursors forged with the key that used to be a constant of the source', async () => {
    for (const [list, payloads] of Object.entries(hostile())) {
      for (const payload of payloads) {
        expect(await codeOf(`${urls[list]}${forge(OLD_CONSTANT_KEY, list, payload)}`), list).toBe(
          '400 INVALID_CURSOR',
        );
      }
    }
  });

  it('bounds every cursor field to its column, even under the right key', async () => {
    for (const [list, payloads] of Object.entries(hostile())) {
      for (const payload of payloads) {
        expect(
          await codeOf(`${urls[list]}${forge(CONFIGURED_KEY, list, payload)}`),
          `${list} ${JSON.stringify(payload)}`,
        ).toBe('400 INVALID_CURSOR');
      }
    }
    // The largest values the columns and JavaScript both hold are still positions.
    const max = Number.MAX_SAFE_INTEGER;
    expect(await codeOf(`${urls.changes}${forge(CONFIGURED_KEY, 'changes', { s: max })}`)).toBe('200 ok');
    expect(await codeOf(`${urls.harvests}${forge(CONFIGURED_KEY, 'harvests', { b: max })}`)).toBe('200 ok');
    expect(
      await codeOf(
        `${urls.trials}${forge(CONFIGURED_KEY, 'trials', { q: trialQuery, a: max, w: null, s: max })}`,
      ),
    ).toBe('200 ok');
  });

  it('shares one generated key between the processes of a database, unless CURSOR_SECRET is set', async () => {
    const first = await appOn(store);
    const second = await appOn(store);
    // Another deployment: its own database, with its own key (a PostgreSQL test database is a
    // clone of one migrated template, key included, so this one draws a new key on first use).
    const otherStore = await createTestStore(kind);
    await otherStore.db.deleteFrom('settings').execute();
    const elsewhere = await appOn(otherStore);
    try {
      const cursor = (await first.inject('/api/v1/changes?limit=2')).json<{ nextCursor: string }>()
        .nextCursor;
      expect((await second.inject(`/api/v1/changes?limit=2&cursor=${cursor}`)).statusCode).toBe(200);
      // Another deployment (database) generated its own key.
      expect((await elsewhere.inject(`/api/v1/changes?limit=2&cursor=${cursor}`)).json().code).toBe(
        'INVALID_CURSOR',
      );
      // CURSOR_SECRET wins over the stored key.
      expect((await app.inject(`/api/v1/changes?limit=2&cursor=${cursor}`)).json().code).toBe(
        'INVALID_CURSOR',
      );
      const stored = await store.db.selectFrom('settings').select(['key', 'value']).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.value.length).toBeGreaterThanOrEqual(32);
    } finally {
      await Promise.all([first.close(), second.close(), elsewhere.close()]);
      await otherStore.drop();
    }
  });
});
