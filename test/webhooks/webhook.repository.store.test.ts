/** Migration 0012's tables through the webhook repository, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getEndpoint,
  inTransaction,
  insertDelivery,
  insertEndpoint,
  listDeliveries,
  nextDueDelivery,
  pendingFeedDelivery,
  recordAttempt,
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
});
