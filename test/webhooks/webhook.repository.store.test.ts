/** Migrations 0011's and 0015's tables through the webhook repository, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as secrets0015 from '../../src/store/migrations/0015-webhook-secrets.js';
import {
  getEndpoint,
  getEndpointWithSecrets,
  inTransaction,
  insertDelivery,
  insertEndpoint,
  listDeliveries,
  nextDueDelivery,
  pendingFeedDelivery,
  recordAttempt,
  rotateSecret,
} from '../../src/store/webhook.repository.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const T0 = Date.UTC(2024, 5, 1);

describe.each(storeKinds())('webhook tables on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(() => store.drop());

  it('keeps an endpoint, its log, and moves the position only forward with an attempt', async () => {
    const endpoint = await insertEndpoint(
      store.db,
      {
        id: 'ep_1',
        url: 'https://hooks.example.org/in',
        filter: { type: 'status', material: true },
        types: ['trial.updated'],
        description: 'status changes',
        secret: 'whsec_AAAA',
        position: 5,
      },
      T0,
    );
    expect(endpoint).toMatchObject({
      position: 5,
      paused: false,
      disabledAt: null,
      filter: { type: 'status', material: true },
    });
    const delivery = await insertDelivery(
      store.db,
      {
        endpointId: 'ep_1',
        messageId: 'msg_ep_1_9',
        trigger: 'feed',
        eventType: 'trial.updated',
        changeSeq: 9,
      },
      T0,
    );
    expect(await nextDueDelivery(store.db, 'ep_1', T0)).toMatchObject({ id: delivery.id, attempts: 0 });
    await inTransaction(store.db, (trx) =>
      recordAttempt(
        trx,
        delivery,
        {
          status: 'pending',
          responseCode: 500,
          latencyMs: 12,
          error: 'HTTP 500',
          nextAttemptAt: T0 + 5_000,
          endpoint: { failing: 'start', delivered: false, finallyFailed: false },
        },
        T0,
      ),
    );
    expect(await nextDueDelivery(store.db, 'ep_1', T0 + 1)).toBeUndefined();
    expect(await pendingFeedDelivery(store.db, 'ep_1')).toMatchObject({ attempts: 1, responseCode: 500 });
    expect(await getEndpoint(store.db, 'ep_1')).toMatchObject({
      failingSince: T0,
      failedAttempts: 1,
      position: 5,
    });
    await inTransaction(store.db, (trx) =>
      recordAttempt(
        trx,
        { ...delivery, attempts: 1 },
        {
          status: 'succeeded',
          responseCode: 200,
          latencyMs: 3,
          error: null,
          nextAttemptAt: null,
          endpoint: { failing: 'clear', delivered: true, finallyFailed: false, advanceTo: 9 },
        },
        T0 + 5_000,
      ),
    );
    expect(await getEndpoint(store.db, 'ep_1')).toMatchObject({
      failingSince: null,
      deliveredCount: 1,
      position: 9,
    });
    // A replay of an older event never moves the position back.
    await inTransaction(store.db, (trx) =>
      recordAttempt(
        trx,
        { ...delivery, attempts: 2 },
        {
          status: 'succeeded',
          responseCode: 200,
          latencyMs: 3,
          error: null,
          nextAttemptAt: null,
          endpoint: { failing: 'clear', delivered: true, finallyFailed: false, advanceTo: 7 },
        },
        T0 + 6_000,
      ),
    );
    expect((await getEndpoint(store.db, 'ep_1'))?.position).toBe(9);
    expect(await listDeliveries(store.db, 'ep_1', { limit: 10 })).toMatchObject([
      { status: 'succeeded', attempts: 3, responseCode: 200, changeSeq: 9, messageId: 'msg_ep_1_9' },
    ]);
  });

  it('migration 0015 moves each endpoint secret into webhook_secrets and empties the old column', async () => {
    await secrets0015.down(store.db);
    const row = {
      url: 'https://hooks.example.org/in',
      filter: '{}',
      types: '["trial.created"]',
      description: '',
      paused: 0,
      disabled_at: null,
      disabled_reason: null,
      position: 0,
      failing_since: null,
      created_at: T0,
      updated_at: T0,
    };
    await store.db
      .insertInto('webhook_endpoints')
      .values([
        { ...row, id: 'ep_old_a', secret: 'whsec_T2xkQQ==' },
        { ...row, id: 'ep_old_b', secret: 'whsec_T2xkQg==' },
      ])
      .execute();
    await secrets0015.up(store.db);
    expect((await getEndpointWithSecrets(store.db, 'ep_old_a', T0))?.secrets).toEqual(['whsec_T2xkQQ==']);
    expect((await getEndpointWithSecrets(store.db, 'ep_old_b', T0))?.secrets).toEqual(['whsec_T2xkQg==']);
    const columns = await store.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'secret'])
      .where('id', 'in', ['ep_old_a', 'ep_old_b'])
      .orderBy('id')
      .execute();
    expect(columns).toEqual([
      { id: 'ep_old_a', secret: '' },
      { id: 'ep_old_b', secret: '' },
    ]);

    // A rotation: both sign until the overlap ends (newest first), then only the new one.
    expect(await rotateSecret(store.db, 'ep_old_a', 'whsec_TmV3', T0 + 1_000, 60_000)).toEqual({
      previousExpireAt: T0 + 61_000,
    });
    expect((await getEndpointWithSecrets(store.db, 'ep_old_a', T0 + 60_999))?.secrets).toEqual([
      'whsec_TmV3',
      'whsec_T2xkQQ==',
    ]);
    expect((await getEndpointWithSecrets(store.db, 'ep_old_a', T0 + 61_000))?.secrets).toEqual([
      'whsec_TmV3',
    ]);
    expect(await rotateSecret(store.db, 'ep_missing', 'whsec_TmV3', T0, 60_000)).toBeUndefined();
    // Back down: the column gets the newest secret again.
    await secrets0015.down(store.db);
    const back = await store.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'secret'])
      .where('id', 'in', ['ep_old_a', 'ep_old_b'])
      .orderBy('id')
      .execute();
    expect(back).toEqual([
      { id: 'ep_old_a', secret: 'whsec_TmV3' },
      { id: 'ep_old_b', secret: 'whsec_T2xkQg==' },
    ]);
    await secrets0015.up(store.db);
  });
});
