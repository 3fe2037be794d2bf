import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeListSchema } from '../../src/api/schemas/change.schema.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, T0 } from './support/test-app.js';

interface ChangePage {
  items: {
    seq: number;
    trialId: string;
    source: string;
    version: number;
    kind: string;
    paths: string[];
    occurredAt: string;
  }[];
  nextCursor: string;
  hasMore: boolean;
}

describe.each(storeKinds())('change feed API on %s', (kind) => {
  let t: TestApp;
  const feed = async (query = ''): Promise<ChangePage> => {
    const response = await t.app.inject(`/api/v1/changes${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ChangePage>();
    expectSchema(ChangeListSchema, body);
    return body;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.seed.now = T0;
    await t.seed.create({ id: 'C300001', raw: { id: 'C300001', a: 1 } });
    await t.seed.create({ id: 'NCT30000001', source: 'ctgov', raw: { id: 'NCT30000001' } });
    await t.seed.update('C300001', { raw: { id: 'C300001', a: 2, b: 'x' } }, T0 + 1000);
    await t.seed.remove('NCT30000001', T0 + 2000);
    await t.seed.restore('NCT30000001', T0 + 3000);
  });
  afterAll(async () => t.close());

  it('lists every event in feed order with its trial, version and changed paths', async () => {
    const body = await feed();
    expect(body.hasMore).toBe(false);
    expect(body.items.map((item) => [item.trialId, item.kind, item.version])).toEqual([
      ['C300001', 'created', 1],
      ['NCT30000001', 'created', 1],
      ['C300001', 'updated', 2],
      ['NCT30000001', 'removed', 1],
      ['NCT30000001', 'restored', 1],
    ]);
    const seqs = body.items.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(body.items[2]).toMatchObject({
      paths: ['a', 'b'],
      source: 'kr-icreat',
      occurredAt: new Date(T0 + 1000).toISOString(),
    });
  });

  it('resumes from a cursor, and the last cursor gets only what happened since', async () => {
    const first = await feed('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const second = await feed(`?limit=2&cursor=${first.nextCursor}`);
    const third = await feed(`?limit=2&cursor=${second.nextCursor}`);
    expect([...first.items, ...second.items, ...third.items].map((item) => item.kind)).toEqual([
      'created',
      'created',
      'updated',
      'removed',
      'restored',
    ]);
    expect(third.hasMore).toBe(false);

    // Caught up: nothing new, and the cursor stays usable for later.
    const idle = await feed(`?cursor=${third.nextCursor}`);
    expect(idle.items).toEqual([]);
    expect(idle.hasMore).toBe(false);
    await t.seed.update('NCT30000001', { raw: { id: 'NCT30000001', v: 2 } }, T0 + 4000);
    const later = await feed(`?cursor=${idle.nextCursor}`);
    expect(later.items.map((item) => [item.trialId, item.kind, item.version])).toEqual([
      ['NCT30000001', 'updated', 2],
    ]);
  });

  it('filters by source', async () => {
    const body = await feed('?source=ctgov');
    expect(new Set(body.items.map((item) => item.trialId))).toEqual(new Set(['NCT30000001']));
    expect((await feed('?source=cris')).items).toEqual([]);
  });

  it('validates limit, source, cursor and unknown parameters', async () => {
    const problem = async (query: string) => {
      const response = await t.app.inject(`/api/v1/changes?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      return response.json<Record<string, unknown>>();
    };
    expect(await problem('limit=1001')).toMatchObject({ code: 'LIMIT_TOO_LARGE', details: { cap: 1000 } });
    expect(await problem('limit=0')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await problem('source=elsewhere')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { parameter: 'source' },
    });
    expect(await problem('after=1')).toMatchObject({
      code: 'UNKNOWN_PARAMETER',
      details: { parameter: 'after' },
    });
    // `since` is a parameter (typed changes): a time, not a number.
    expect(await problem('since=1')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { parameter: 'since' },
    });
    expect(await problem('cursor=xyz')).toMatchObject({ code: 'INVALID_CURSOR' });
    const trialsCursor = (await t.app.inject('/api/v1/trials?limit=1')).json().nextCursor as string;
    expect(await problem(`cursor=${trialsCursor}`)).toMatchObject({ code: 'INVALID_CURSOR' });
    const { nextCursor } = await feed('?limit=1');
    const [body, mac] = nextCursor.split('.') as [string, string];
    const moved = Buffer.from(JSON.stringify({ k: 'changes', p: { s: 0 } })).toString('base64url');
    expect(body).not.toBe(moved);
    expect(await problem(`cursor=${moved}.${mac}`)).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
