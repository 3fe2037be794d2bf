/**
 * Issue 18 through the HTTP app and the delivery worker, on SQLite and PostgreSQL: the admin API
 * (token, 201 with the secret once, validation like /api/v1/changes, URL safety), and deliveries
 * to node:http receivers on 127.0.0.1 that verify every message with the `standardwebhooks`
 * library — the matching events in feed order, nothing to a filter that excludes them, retries with
 * the same webhook-id, 410 disabling, ping and replay; secret rotation (both secrets sign during the
 * overlap, then only the new one); the position committed per message within a page; the delivery
 * log pruned by count and age.
 */
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { webhookFormat } from '../../src/api/webhook-format.js';
import type { AppConfig } from '../../src/config/config.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { metricsSnapshotOf } from '../../src/services/operations.service.js';
import { releaseLease } from '../../src/store/lease.repository.js';
import { DeliveryWorker, webhookLeaseName } from '../../src/webhooks/delivery.service.js';
import { silentLog } from '../../testkit/memory-source.js';
import type { WebhookReceiver } from '../../testkit/webhook-receiver.js';
import { startWebhookReceiver } from '../../testkit/webhook-receiver.js';
import { Seeder } from '../api/support/seed.js';
import { expectSchema } from '../api/support/expect-schema.js';
import { T0, TEST_SOURCES, testConfig } from '../api/support/test-app.js';
import {
  CreatedWebhookSchema,
  DeliveryListSchema,
  RotatedSecretSchema,
  WebhookSchema,
} from '../../src/api/schemas/webhook.schema.js';
import { resetTables } from '../support/reset-tables.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const TOKEN = 'admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Created {
  id: string;
  secret: string;
}

describe.each(storeKinds())('webhooks on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let config: AppConfig;
  let seed: Seeder;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    store = await createTestStore(kind);
    config = { ...testConfig(store), adminToken: TOKEN };
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.useSnapshot(metricsSnapshotOf(store.db));
    app = await buildApp({ config, store, sources: TEST_SOURCES, metrics });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await app.close();
    await store.drop();
  });
  beforeEach(async () => {
    await resetTables(store.db);
    seed = new Seeder(store.db, T0);
  });

  async function receiver(): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver();
    receivers.push(started);
    return started;
  }

  async function create(body: Record<string, unknown>, target?: WebhookReceiver): Promise<Created> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: auth,
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<Created>();
    expectSchema(CreatedWebhookSchema, created);
    if (target !== undefined) target.secret = created.secret;
    return created;
  }

  function worker(overrides: Partial<AppConfig['webhooks']> = {}, now?: () => number): DeliveryWorker {
    return new DeliveryWorker({
      db: store.db,
      config: { ...config.webhooks, ...overrides },
      format: webhookFormat,
      log: silentLog,
      ...(now === undefined ? {} : { now }),
    });
  }

  /** Runs passes until `done` holds (or fails after `timeoutMs`). */
  async function deliverUntil(work: DeliveryWorker, done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('deliveries did not arrive in time');
      await work.runPass();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('requires the admin token on every webhook route', async () => {
    const routes = [
      ['POST', '/api/v1/webhooks'],
      ['GET', '/api/v1/webhooks'],
      ['GET', '/api/v1/webhooks/ep_x'],
      ['PATCH', '/api/v1/webhooks/ep_x'],
      ['DELETE', '/api/v1/webhooks/ep_x'],
      ['GET', '/api/v1/webhooks/ep_x/deliveries'],
      ['POST', '/api/v1/webhooks/ep_x/deliveries/1/replay'],
      ['POST', '/api/v1/webhooks/ep_x/ping'],
      ['POST', '/api/v1/webhooks/ep_x/secret/rotate'],
    ] as const;
    for (const [method, url] of routes) {
      const payload =
        (method === 'POST' && !url.endsWith('/rotate')) || method === 'PATCH'
          ? { url: 'https://hooks.example.org/' }
          : undefined;
      const none = await app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
      expect([url, none.statusCode, none.json<{ code: string }>().code]).toEqual([url, 401, 'UNAUTHORIZED']);
      const wrong = await app.inject({
        method,
        url,
        headers: { authorization: 'Bearer not-the-admin-token' },
        ...(payload === undefined ? {} : { payload }),
      });
      expect([url, wrong.statusCode, wrong.json<{ code: string }>().code]).toEqual([url, 403, 'FORBIDDEN']);
    }
  });

  it('creates (secret shown once), reads, lists, updates, pauses and deletes an endpoint', async () => {
    const created = await create({
      url: 'https://hooks.example.org/in',
      filter: { source: 'kr-icreat', material: true },
      types: ['trial.created', 'trial.removed'],
      description: 'new and removed Korean trials',
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const one = await app.inject({ url: `/api/v1/webhooks/${created.id}`, headers: auth });
    expect(one.statusCode).toBe(200);
    expectSchema(WebhookSchema, one.json());
    expect(one.body).not.toContain(created.secret);
    expect(one.json()).toMatchObject({
      url: 'https://hooks.example.org/in',
      filter: { source: 'kr-icreat', material: true },
      types: ['trial.created', 'trial.removed'],
      paused: false,
      disabledAt: null,
    });
    const list = await app.inject({ url: '/api/v1/webhooks', headers: auth });
    expect(list.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([created.id]);
    expect(list.body).not.toContain(created.secret);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${created.id}`,
      headers: auth,
      payload: { paused: true, description: 'paused', filter: { trial: 'c100001' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      paused: true,
      description: 'paused',
      filter: { trial: 'c100001' },
    });

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${created.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await app.inject({ url: `/api/v1/webhooks/${created.id}`, headers: auth });
    expect([gone.statusCode, gone.json<{ code: string }>().code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);
  });

  it('checks the filter exactly as /api/v1/changes does', async () => {
    const badType = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: auth,
      payload: { url: 'https://hooks.example.org/in', filter: { type: 'status,bogus' } },
    });
    expect(badType.statusCode).toBe(400);
    expect(badType.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(badType.json<{ detail: string }>().detail).toMatch(/bogus.*allowed: .*status/);
    const viaChanges = await app.inject({ url: '/api/v1/changes?type=status,bogus' });
    expect(viaChanges.json<{ detail: string }>().detail).toContain(
      badType.json<{ detail: string }>().detail.replace('In "filter": ', ''),
    );
    const badTime = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: auth,
      payload: { url: 'https://hooks.example.org/in', filter: { since: '2024-02-30' } },
    });
    expect([badTime.statusCode, badTime.json<{ code: string }>().code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: auth,
      payload: { url: 'https://hooks.example.org/in', filter: { cursor: 'x' } },
    });
    expect([unknown.statusCode, unknown.json<{ code: string }>().code]).toEqual([400, 'UNKNOWN_PARAMETER']);
    const badEventType = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: auth,
      payload: { url: 'https://hooks.example.org/in', types: ['trial.deleted'] },
    });
    expect(badEventType.statusCode).toBe(400);
  });

  it('refuses private addresses and plain http without the operator allowing them (400 WEBHOOK_URL_FORBIDDEN)', async () => {
    const strictApp = await buildApp({
      config: { ...config, webhooks: { ...config.webhooks, allowPrivate: false, allowHttpHosts: [] } },
      store,
      sources: TEST_SOURCES,
    });
    try {
      for (const url of [
        'https://127.0.0.1:8443/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://[fd00::1]/hook',
        'https://10.0.0.1/hook',
        'https://localhost/hook',
        'http://hooks.example.org/hook',
      ]) {
        const response = await strictApp.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: auth,
          payload: { url },
        });
        expect([url, response.statusCode, response.json<{ code: string }>().code]).toEqual([
          url,
          400,
          'WEBHOOK_URL_FORBIDDEN',
        ]);
      }
      const list = await strictApp.inject({ url: '/api/v1/webhooks', headers: auth });
      expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    } finally {
      await strictApp.close();
    }
  });

  it('delivers exactly the matching events, in feed order, verified; nothing to a filter that excludes them', async () => {
    const matching = await receiver();
    const excluded = await receiver();
    const onlyRemovals = await receiver();
    await seed.create({ id: 'C100000', raw: { id: 'C100000', v: 0 } });
    const a = await create({ url: matching.url, filter: { source: 'kr-icreat' } }, matching);
    await create({ url: excluded.url, filter: { source: 'ctgov' } }, excluded);
    await create(
      { url: onlyRemovals.url, filter: { trial: 'C100001' }, types: ['trial.removed'] },
      onlyRemovals,
    );

    await seed.create({ id: 'C100001', raw: { id: 'C100001', v: 1 } }, T0 + 1_000);
    await seed.create({ id: 'C100002', raw: { id: 'C100002', v: 1 } }, T0 + 2_000);
    await seed.update('C100001', { raw: { id: 'C100001', v: 2 } }, T0 + 3_000);
    await seed.remove('C100002', T0 + 4_000);
    await seed.restore('C100002', T0 + 5_000);
    await seed.remove('C100001', T0 + 6_000);

    const work = worker();
    await deliverUntil(work, () => matching.received.length >= 6 && onlyRemovals.received.length >= 1);
    await work.runPass();
    await work.runPass();
    expect(matching.unverified + excluded.unverified + onlyRemovals.unverified).toBe(0);
    const feed = await app.inject({ url: '/api/v1/changes?source=kr-icreat&limit=100' });
    const expected = feed
      .json<{ items: { seq: number; trialId: string; kind: string }[] }>()
      .items.filter((event) => event.trialId !== 'C100000');
    expect(matching.received.map((message) => [message.payload.type, message.payload.data.trialId])).toEqual([
      ['trial.created', 'C100001'],
      ['trial.created', 'C100002'],
      ['trial.updated', 'C100001'],
      ['trial.removed', 'C100002'],
      ['trial.restored', 'C100002'],
      ['trial.removed', 'C100001'],
    ]);
    // The data is the change event exactly as /api/v1/changes shows it.
    expect(matching.received.map((message) => message.payload.data)).toEqual(expected);
    expect(matching.received.map((message) => message.id)).toEqual(
      expected.map((event) => `msg_${a.id}_${event.seq}`),
    );
    expect(matching.received[0]?.payload.timestamp).toBe(new Date(T0 + 1_000).toISOString());
    expect(excluded.received).toEqual([]);
    expect(
      onlyRemovals.received.map((message) => [message.payload.type, message.payload.data.trialId]),
    ).toEqual([['trial.removed', 'C100001']]);

    const endpoint = await app.inject({ url: `/api/v1/webhooks/${a.id}`, headers: auth });
    expect(endpoint.json()).toMatchObject({ deliveredCount: 6, failedCount: 0, lag: 0, failingSince: null });
    const scrape = (await app.inject({ url: '/metrics' })).body;
    expect(scrape).toContain(`trialwatch_webhook_deliveries{endpoint="${a.id}",outcome="succeeded"} 6`);
    expect(scrape).toContain(`trialwatch_webhook_deliveries{endpoint="${a.id}",outcome="failed"} 0`);
    expect(scrape).toContain(`trialwatch_webhook_lag_events{endpoint="${a.id}"} 0`);
    const log = await app.inject({ url: `/api/v1/webhooks/${a.id}/deliveries?limit=4`, headers: auth });
    expectSchema(DeliveryListSchema, log.json());
    const page = log.json<{
      items: { status: string; attempts: number; responseCode: number }[];
      nextCursor: string;
    }>();
    expect(page.items).toHaveLength(4);
    expect(
      page.items.every(
        (item) => item.status === 'succeeded' && item.attempts === 1 && item.responseCode === 200,
      ),
    ).toBe(true);
    const next = await app.inject({
      url: `/api/v1/webhooks/${a.id}/deliveries?limit=4&cursor=${page.nextCursor}`,
      headers: auth,
    });
    expect(next.json<{ items: unknown[]; nextCursor: null }>()).toMatchObject({ nextCursor: null });
    expect(next.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('retries 500, 500 with the same webhook-id, then succeeds: three attempts in the log', async () => {
    const flaky = await receiver();
    flaky.respond = (index) => (index < 2 ? 500 : 200);
    const endpoint = await create({ url: flaky.url }, flaky);
    await seed.create({ id: 'C200001', raw: { id: 'C200001' } });
    await seed.create({ id: 'C200002', raw: { id: 'C200002' } });
    const work = worker({ retryScheduleMs: [30, 30, 30] });
    await deliverUntil(work, () => flaky.received.length >= 4);
    expect(flaky.received.map((message) => message.status)).toEqual([500, 500, 200, 200]);
    const [first, second, third, fourth] = flaky.received;
    expect(new Set([first?.id, second?.id, third?.id]).size).toBe(1);
    // The second event waited for the first one's success.
    expect(fourth?.id).not.toBe(first?.id);
    expect(fourth?.payload.data.trialId).toBe('C200002');
    const log = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}/deliveries`, headers: auth });
    const items = log.json<{
      items: { messageId: string; attempts: number; status: string; responseCode: number }[];
    }>().items;
    expect(items.at(-1)).toMatchObject({
      messageId: first?.id,
      attempts: 3,
      status: 'succeeded',
      responseCode: 200,
    });
    const state = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}`, headers: auth });
    expect(state.json()).toMatchObject({ deliveredCount: 2, failedAttempts: 2, failingSince: null });
    const scrape = (await app.inject({ url: '/metrics' })).body;
    expect(scrape).toContain(
      `trialwatch_webhook_deliveries{endpoint="${endpoint.id}",outcome="failed_attempts"} 2`,
    );
  });

  it('gives up on a message after the schedule, and moves on to the next one', async () => {
    const down = await receiver();
    down.respond = (index) => (index < 3 ? 503 : 200);
    const endpoint = await create({ url: down.url }, down);
    await seed.create({ id: 'C250001', raw: { id: 'C250001' } });
    await seed.create({ id: 'C250002', raw: { id: 'C250002' } });
    await deliverUntil(worker({ retryScheduleMs: [20, 20] }), () => down.received.length >= 4);
    expect(down.received.map((message) => [message.status, message.payload.data.trialId])).toEqual([
      [503, 'C250001'],
      [503, 'C250001'],
      [503, 'C250001'],
      [200, 'C250002'],
    ]);
    const log = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}/deliveries`, headers: auth });
    expect(
      log.json<{ items: { status: string; attempts: number; error: string | null }[] }>().items,
    ).toMatchObject([
      { status: 'succeeded', attempts: 1 },
      { status: 'failed', attempts: 3, error: 'HTTP 503' },
    ]);
  });

  it('disables an endpoint that answers 410, with the reason; resuming it sends the event again', async () => {
    const gone = await receiver();
    gone.respond = (index) => (index === 0 ? 410 : 200);
    const endpoint = await create({ url: gone.url }, gone);
    await seed.create({ id: 'C300001', raw: { id: 'C300001' } });
    const work = worker();
    await deliverUntil(work, () => gone.received.length >= 1);
    await work.runPass();
    const state = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}`, headers: auth });
    expect(state.json<{ disabledAt: string | null; disabledReason: string }>().disabledAt).not.toBeNull();
    expect(state.json<{ disabledReason: string }>().disabledReason).toContain('410');
    await seed.create({ id: 'C300002', raw: { id: 'C300002' } });
    await work.runPass();
    await work.runPass();
    expect(gone.received).toHaveLength(1);

    const resumed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/webhooks/${endpoint.id}`,
      headers: auth,
      payload: { paused: false },
    });
    expect(resumed.json()).toMatchObject({ disabledAt: null, disabledReason: null });
    await deliverUntil(work, () => gone.received.length >= 3);
    expect(gone.received.map((message) => [message.status, message.payload.data.trialId])).toEqual([
      [410, 'C300001'],
      [200, 'C300001'],
      [200, 'C300002'],
    ]);
    expect(gone.received[1]?.id).toBe(gone.received[0]?.id);
  });

  it('disables an endpoint failing for longer than WEBHOOK_DISABLE_AFTER_MS', async () => {
    const broken = await receiver();
    broken.respond = () => 500;
    const endpoint = await create({ url: broken.url }, broken);
    await seed.create({ id: 'C350001', raw: { id: 'C350001' } });
    // Twenty retries 30 ms apart: the endpoint is still failing the same message after 200 ms. The
    // worker's clock moves 31 ms per pass, so the count of attempts does not depend on the load.
    let clock = Date.now();
    const work = worker(
      { retryScheduleMs: Array.from({ length: 20 }, () => 30), disableAfterMs: 200 },
      () => clock,
    );
    const deadline = Date.now() + 10_000;
    let reason: string | null = null;
    while (reason === null && Date.now() < deadline) {
      await work.runPass();
      clock += 31;
      const state = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}`, headers: auth });
      reason = state.json<{ disabledReason: string | null }>().disabledReason;
    }
    expect(reason).toContain('WEBHOOK_DISABLE_AFTER_MS');
    expect(reason).toContain('HTTP 500');
    expect(broken.received.length).toBeGreaterThan(2);
    expect(broken.received.length).toBeLessThan(21);
    const count = broken.received.length;
    await work.runPass();
    expect(broken.received).toHaveLength(count);
  });

  it('pings an endpoint and replays a delivery with the same webhook-id', async () => {
    const target = await receiver();
    const endpoint = await create({ url: target.url, description: 'ping me' }, target);
    const ping = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/ping`,
      headers: auth,
    });
    expect(ping.statusCode).toBe(202);
    const work = worker();
    await deliverUntil(work, () => target.received.length >= 1);
    expect(target.received[0]?.payload).toMatchObject({
      type: 'webhook.ping',
      data: { endpointId: endpoint.id, description: 'ping me' },
    });
    await seed.create({ id: 'C400001', raw: { id: 'C400001' } });
    await deliverUntil(work, () => target.received.length >= 2);
    const log = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}/deliveries`, headers: auth });
    const [feedDelivery] = log.json<{ items: { id: number; messageId: string; trigger: string }[] }>().items;
    expect(feedDelivery?.trigger).toBe('feed');
    const replay = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/deliveries/${feedDelivery?.id}/replay`,
      headers: auth,
    });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toMatchObject({
      trigger: 'replay',
      messageId: feedDelivery?.messageId,
      status: 'pending',
    });
    await deliverUntil(work, () => target.received.length >= 3);
    expect(target.received[2]?.id).toBe(feedDelivery?.messageId);
    expect(target.received[2]?.payload.data).toEqual(target.received[1]?.payload.data);
    const missing = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/deliveries/999999/replay`,
      headers: auth,
    });
    expect([missing.statusCode, missing.json<{ code: string }>().code]).toEqual([404, 'DELIVERY_NOT_FOUND']);
  });

  it('logs status and size only: never the secret, the body or what the receiver said', async () => {
    const target = await receiver();
    target.respond = (index) => (index === 0 ? 500 : 200);
    const endpoint = await create({ url: target.url }, target);
    await seed.create({ id: 'C450001', raw: { id: 'C450001', title: 'SECRET-TITLE-TEXT' } });
    const lines: string[] = [];
    const capture = (obj: object, msg: string) => lines.push(`${JSON.stringify(obj)} ${msg}`);
    const work = new DeliveryWorker({
      db: store.db,
      config: { ...config.webhooks, retryScheduleMs: [20] },
      format: webhookFormat,
      log: { debug: capture, info: capture, warn: capture },
    });
    await deliverUntil(work, () => target.received.length >= 2);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const text = lines.join('\n');
    expect(text).toContain('"status":500');
    expect(text).toContain('"responseBytes":2');
    for (const secretish of [endpoint.secret, endpoint.secret.slice(6), 'C450001', 'trial.created', '"ok"']) {
      expect(text).not.toContain(secretish);
    }
  });

  it('one worker at a time delivers an endpoint (the lease), and a second takes over when the first stops', async () => {
    const target = await receiver();
    await create({ url: target.url }, target);
    await seed.create({ id: 'C500001', raw: { id: 'C500001' } });
    const first = worker();
    const second = new DeliveryWorker({
      db: store.db,
      config: config.webhooks,
      format: webhookFormat,
      log: silentLog,
      holder: 'other-host:1:abcdef',
    });
    await first.runPass();
    await seed.create({ id: 'C500002', raw: { id: 'C500002' } });
    await second.runPass();
    expect(target.received).toHaveLength(1);
    await first.stop();
    await deliverUntil(second, () => target.received.length >= 2);
    expect(target.received.map((message) => message.payload.data.trialId)).toEqual(['C500001', 'C500002']);
  });

  async function position(id: string): Promise<number> {
    const row = await store.db
      .selectFrom('webhook_endpoints')
      .select('position')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.position);
  }

  async function logRows(id: string) {
    return store.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'message_id', 'status'])
      .where('endpoint_id', '=', id)
      .orderBy('id')
      .execute();
  }

  it('rotates the secret: both sign during the overlap (either verifies), then only the new one', async () => {
    const target = await receiver();
    const endpoint = await create({ url: target.url }, target);
    const oldSecret = endpoint.secret;
    await seed.create({ id: 'C600001', raw: { id: 'C600001' } });
    const work = worker();
    await deliverUntil(work, () => target.received.length >= 1);
    expect(target.received[0]?.headers['webhook-signature']?.split(' ')).toHaveLength(1);

    const before = Date.now();
    const rotated = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/secret/rotate`,
      headers: auth,
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expectSchema(RotatedSecretSchema, rotated.json());
    const { secret: newSecret, previousSecretsExpireAt } = rotated.json<{
      secret: string;
      previousSecretsExpireAt: string;
    }>();
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(newSecret).not.toBe(oldSecret);
    const overlap = config.webhooks.secretOverlapMs;
    expect(Date.parse(previousSecretsExpireAt)).toBeGreaterThanOrEqual(before + overlap);
    expect(Date.parse(previousSecretsExpireAt)).toBeLessThanOrEqual(Date.now() + overlap);
    const read = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}`, headers: auth });
    expect(read.body).not.toContain(newSecret);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/ep_nope/secret/rotate',
      headers: auth,
    });
    expect([missing.statusCode, missing.json<{ code: string }>().code]).toEqual([404, 'WEBHOOK_NOT_FOUND']);

    // During the overlap: a receiver holding only the old secret and one holding only the new one both verify.
    target.secret = newSecret;
    await seed.create({ id: 'C600002', raw: { id: 'C600002' } });
    await deliverUntil(work, () => target.received.length >= 2);
    const during = target.received[1];
    expect(during?.payload.data.trialId).toBe('C600002');
    expect(during?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(during?.body ?? '', during?.headers ?? {})).toEqual(during?.payload);
    expect(new Webhook(newSecret).verify(during?.body ?? '', during?.headers ?? {})).toEqual(during?.payload);

    // After it (the worker's clock past the overlap, within the library's 5-minute tolerance): only the new one.
    await work.stop();
    const later = worker({}, () => Date.now() + overlap + 1_000);
    await seed.create({ id: 'C600003', raw: { id: 'C600003' } });
    await deliverUntil(later, () => target.received.length >= 3);
    const after = target.received[2];
    expect(after?.payload.data.trialId).toBe('C600003');
    expect(after?.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(new Webhook(newSecret).verify(after?.body ?? '', after?.headers ?? {})).toEqual(after?.payload);
    expect(() => new Webhook(oldSecret).verify(after?.body ?? '', after?.headers ?? {})).toThrow();
    expect(target.unverified).toBe(0);
    // The expired secret is deleted (the worker prunes on its first pass).
    const secrets = await store.db
      .selectFrom('webhook_secrets')
      .select('secret')
      .where('endpoint_id', '=', endpoint.id)
      .execute();
    expect(secrets.map((row) => row.secret)).toEqual([newSecret]);
  });

  it('commits the position per message within a page: a worker that dies mid-page loses nothing, order kept', async () => {
    const target = await receiver();
    const endpoint = await create({ url: target.url }, target);
    const ids = Array.from({ length: 30 }, (_, i) => `C7${String(i).padStart(5, '0')}`);
    await seed.createMany(ids.map((id) => ({ id, raw: { id } })));
    const feed = await app.inject({ url: '/api/v1/changes?limit=100' });
    const seqs = feed.json<{ items: { seq: number }[] }>().items.map((event) => event.seq);
    expect(seqs).toHaveLength(30);

    // The 10th message is held: the first worker is in the middle of its page (all 30 in one).
    let release: (status: number) => void = () => undefined;
    let holding = false;
    target.respond = (index) =>
      index === 9
        ? new Promise<number>((resolve) => {
            holding = true;
            release = resolve;
          })
        : 200;
    const holder = 'dead-host:1:aaaaaa';
    const first = new DeliveryWorker({
      db: store.db,
      // Long enough that the held attempt does not time out meanwhile.
      config: { ...config.webhooks, timeoutMs: 60_000 },
      format: webhookFormat,
      log: silentLog,
      holder,
    });
    const pass = first.runPass();
    const deadline = Date.now() + 10_000;
    while (!holding && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(holding).toBe(true);
    // Nine messages sent, nine committed: the position is that of the ninth, not of the page.
    expect(await position(endpoint.id)).toBe(seqs[8]);
    expect((await logRows(endpoint.id)).map((row) => row.status)).toEqual(Array(9).fill('succeeded'));

    // The worker "dies" before the 10th is committed: its lease lapses and another worker takes over.
    await releaseLease(store.db, webhookLeaseName(endpoint.id), holder);
    target.respond = () => 200;
    await deliverUntil(worker(), () => target.received.length >= 30);
    const received = target.received.map((message) => Number(message.payload.data.seq));
    // The 10th again (same webhook-id), then the rest: every event once, in order.
    expect(received).toEqual(seqs);
    expect(target.received.map((message) => message.id)).toEqual(
      seqs.map((seq) => `msg_${endpoint.id}_${seq}`),
    );
    expect(await position(endpoint.id)).toBe(seqs[29]);

    // The first worker's answer comes at last: it stops after recording it, the position never goes back.
    const stopping = first.stop();
    release(200);
    await pass;
    await stopping;
    expect(await position(endpoint.id)).toBe(seqs[29]);
    expect(target.received).toHaveLength(31);
    expect(target.received[30]?.id).toBe(`msg_${endpoint.id}_${seqs[9]}`);
    expect(target.unverified).toBe(0);
  });

  it('keeps the delivery log bounded: the newest WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT, none older than WEBHOOK_LOG_MAX_AGE_MS, pending kept', async () => {
    const target = await receiver();
    const endpoint = await create({ url: target.url }, target);
    const ids = Array.from({ length: 25 }, (_, i) => `C8${String(i).padStart(5, '0')}`);
    await seed.createMany(ids.map((id) => ({ id, raw: { id } })));
    const limits = { logMaxRowsPerEndpoint: 10, logMaxAgeMs: 60_000, retryScheduleMs: [3_600_000] };
    const first = worker(limits);
    await deliverUntil(first, () => target.received.length >= 25);
    await first.stop();
    const kept = await logRows(endpoint.id);
    expect(kept.map((row) => row.message_id)).toEqual(target.received.slice(15).map((message) => message.id));

    // A ping the receiver refuses stays pending (its retry an hour away) ...
    target.respond = () => 500;
    const ping = await app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${endpoint.id}/ping`,
      headers: auth,
    });
    expect(ping.statusCode).toBe(202);
    const second = worker(limits);
    await deliverUntil(second, () => target.received.length >= 26);
    await second.stop();
    expect((await logRows(endpoint.id)).length).toBe(10);
    // ... and is kept when everything else is older than the age limit.
    await worker(limits, () => Date.now() + 61_000).runPass();
    const left = await logRows(endpoint.id);
    expect(left.map((row) => [row.status, row.message_id.includes('_ping_')])).toEqual([['pending', true]]);
    const log = await app.inject({ url: `/api/v1/webhooks/${endpoint.id}/deliveries`, headers: auth });
    expect(log.json<{ items: { trigger: string }[] }>().items.map((item) => item.trigger)).toEqual(['ping']);
  });
});
