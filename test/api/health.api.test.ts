import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/test-store.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';

describe.each(storeKinds())('health on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t.close());

  it('answers /healthz without touching the database', async () => {
    await t.store.db.schema.dropTable('trials').execute();
    const response = await t.app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
