import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialVersionListSchema, TrialVersionSchema } from '../../src/api/schemas/trial.schema.js';
import { emptyTrialFields } from '../../src/domain/trial.types.js';
import type { SourceInfo } from '../../src/services/source.service.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, HOUR, T0, TEST_SOURCES } from './support/test-app.js';

/** kr-icreat with a mapper (it reads `title` from the raw record); ctgov without one. */
const sources: SourceInfo[] = TEST_SOURCES.map((source) =>
  source.id === 'kr-icreat'
    ? {
        ...source,
        map: (raw: unknown) => {
          const record = raw as { title?: unknown };
          if (typeof record.title !== 'string') throw new Error('no title');
          return { fields: { ...emptyTrialFields(), title: record.title }, sourceFields: { mapped: true } };
        },
      }
    : source,
);

describe.each(storeKinds())('versions API on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { sources });
    t.seed.now = T0 - 10 * HOUR;
    await t.seed.create({
      id: 'C200001',
      raw: { id: 'C200001', title: 'First title', size: 10 },
      fields: { title: 'First title' },
    });
    await t.seed.update(
      'C200001',
      { raw: { id: 'C200001', title: 'Second title', size: 10 }, fields: { title: 'Second title' } },
      T0 - 8 * HOUR,
    );
    await t.seed.remove('C200001', T0 - 6 * HOUR);
    await t.seed.restore('C200001', T0 - 5 * HOUR);
    await t.seed.update(
      'C200001',
      { raw: { id: 'C200001', title: 'Second title', size: 12, extra: true }, fields: { enrollment: 12 } },
      T0 - 4 * HOUR,
    );
    await t.seed.create({ id: 'NCT20000001', source: 'ctgov', raw: { nctId: 'NCT20000001', v: 1 } });
    await t.seed.update('NCT20000001', { raw: { nctId: 'NCT20000001', v: 2 } });
    await t.seed.create({ id: 'C200002', raw: { id: 'C200002', notitle: true } });
    await t.seed.update('C200002', { raw: { id: 'C200002', title: 'Now titled' } });
  });
  afterAll(async () => t.close());

  it('lists every version, oldest first, with diffs and events', async () => {
    const response = await t.app.inject('/api/v1/trials/C200001/versions');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectSchema(TrialVersionListSchema, body);
    expect(body).toMatchObject({ trialId: 'C200001', source: 'kr-icreat', currentVersion: 3 });
    expect(body.items.map((item: { version: number; kind: string }) => [item.version, item.kind])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'updated'],
    ]);
    const [first, second, third] = body.items;
    expect(first.diff).toBeNull();
    expect(first.observedAt).toBe(new Date(T0 - 10 * HOUR).toISOString());
    expect(second.diff).toEqual([{ path: 'title', old: 'First title', new: 'Second title' }]);
    expect(second.events.map((event: { kind: string }) => event.kind)).toEqual([
      'updated',
      'removed',
      'restored',
    ]);
    expect(third.diff).toEqual([
      { path: 'extra', new: true },
      { path: 'size', old: 10, new: 12 },
    ]);
    expect(third.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows the current version with its stored fields and raw record', async () => {
    const body = (await t.app.inject('/api/v1/trials/C200001/versions/3')).json();
    expectSchema(TrialVersionSchema, body);
    expect(body).toMatchObject({
      trialId: 'C200001',
      version: 3,
      current: true,
      raw: { id: 'C200001', title: 'Second title', size: 12, extra: true },
      fields: { title: 'Second title', enrollment: 12 },
      sourceFields: {},
    });
  });

  it("shows an older version through the source's mapper", async () => {
    const body = (await t.app.inject('/api/v1/trials/C200001/versions/1')).json();
    expectSchema(TrialVersionSchema, body);
    expect(body).toMatchObject({
      version: 1,
      current: false,
      kind: 'created',
      raw: { id: 'C200001', title: 'First title', size: 10 },
      fields: { title: 'First title' },
      sourceFields: { mapped: true },
    });
  });

  it('shows an older version as raw only without a mapper, or when the mapper refuses it', async () => {
    const ctgov = (await t.app.inject('/api/v1/trials/NCT20000001/versions/1')).json();
    expectSchema(TrialVersionSchema, ctgov);
    expect(ctgov).toMatchObject({
      current: false,
      raw: { nctId: 'NCT20000001', v: 1 },
      fields: null,
      sourceFields: null,
    });
    const refused = (await t.app.inject('/api/v1/trials/C200002/versions/1')).json();
    expect(refused).toMatchObject({ raw: { id: 'C200002', notitle: true }, fields: null });
  });

  it('answers 404 for an unknown version or trial', async () => {
    const missing = await t.app.inject('/api/v1/trials/C200001/versions/4');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'VERSION_NOT_FOUND', details: { latest: 3 } });
    expect((await t.app.inject('/api/v1/trials/C999999/versions')).json().code).toBe('TRIAL_NOT_FOUND');
    expect((await t.app.inject('/api/v1/trials/C999999/versions/1')).json().code).toBe('TRIAL_NOT_FOUND');
  });

  it('validates the version number and refuses parameters', async () => {
    for (const n of ['0', '-1', 'abc', '1.5', '99999999999']) {
      const response = await t.app.inject(`/api/v1/trials/C200001/versions/${n}`);
      expect(response.statusCode, n).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { parameter: 'n' } });
    }
    expect((await t.app.inject('/api/v1/trials/C200001/versions?limit=1')).json().code).toBe(
      'UNKNOWN_PARAMETER',
    );
    expect((await t.app.inject('/api/v1/trials/C200001/versions/1?raw=1')).json().code).toBe(
      'UNKNOWN_PARAMETER',
    );
  });
});
