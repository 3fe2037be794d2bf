/** Webhook endpoints and their delivery log (migration 0011), their signing secrets (0015). */
import type { Selectable, Transaction } from 'kysely';
import type {
  DeliveryStatus,
  DeliveryTrigger,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookFilterParams,
} from '../domain/webhook.types.js';
import type { Db } from './database.js';
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.js';

type EndpointRow = Selectable<WebhookEndpointsTable>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    filter: JSON.parse(row.filter) as WebhookFilterParams,
    types: JSON.parse(row.types) as WebhookEventType[],
    description: row.description,
    paused: row.paused === 1,
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
    disabledReason: row.disabled_reason,
    position: Number(row.position),
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
    deliveredCount: Number(row.delivered_count),
    failedCount: Number(row.failed_count),
    failedAttempts: Number(row.failed_attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: Number(row.id),
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    trigger: row.trigger as DeliveryTrigger,
    eventType: row.event_type,
    changeSeq: row.change_seq === null ? null : Number(row.change_seq),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    responseCode: row.response_code,
    latencyMs: row.latency_ms,
    error: row.error,
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface NewEndpoint {
  id: string;
  url: string;
  filter: WebhookFilterParams;
  types: readonly WebhookEventType[];
  description: string;
  secret: string;
  position: number;
}

export async function insertEndpoint(db: Db, endpoint: NewEndpoint, now: number): Promise<WebhookEndpoint> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint.id,
        url: endpoint.url,
        filter: JSON.stringify(endpoint.filter),
        types: JSON.stringify(endpoint.types),
        description: endpoint.description,
        // The secrets live in webhook_secrets (migration 0015).
        secret: '',
        paused: 0,
        disabled_at: null,
        disabled_reason: null,
        position: endpoint.position,
        failing_since: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('webhook_secrets')
      .values({ endpoint_id: endpoint.id, secret: endpoint.secret, created_at: now, expires_at: null })
      .execute();
    return toEndpoint(row);
  });
}

/** Every endpoint, oldest first. */
export async function listEndpoints(db: Db): Promise<WebhookEndpoint[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}

export async function getEndpoint(db: Db, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toEndpoint(row);
}

/**
 * The endpoint with the secrets that sign its deliveries at `now`, newest first: the current one,
 * and during a rotation's overlap the previous ones (for the delivery worker only).
 */
export async function getEndpointWithSecrets(
  db: Db,
  id: string,
  now: number,
): Promise<{ endpoint: WebhookEndpoint; secrets: string[] } | undefined> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const secrets = await db
    .selectFrom('webhook_secrets')
    .select('secret')
    .where('endpoint_id', '=', id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id', 'desc')
    .execute();
  return { endpoint: toEndpoint(row), secrets: secrets.map((secret) => secret.secret) };
}

/**
 * Makes `secret` the endpoint's current secret; the ones before it sign too until `now + overlapMs`
 * (an earlier expiry is kept), and those already expired are deleted. Touches the endpoint's
 * `updated_at`, so a worker in the middle of a page reads the secrets again. Undefined when there
 * is no such endpoint; else when the previous secrets stop signing.
 */
export async function rotateSecret(
  db: Db,
  id: string,
  secret: string,
  now: number,
  overlapMs: number,
): Promise<{ previousExpireAt: number } | undefined> {
  return db.transaction().execute(async (trx) => {
    const touched = await trx
      .updateTable('webhook_endpoints')
      .set({ updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(touched.numUpdatedRows) === 0) return undefined;
    const expireAt = now + overlapMs;
    await trx
      .deleteFrom('webhook_secrets')
      .where('endpoint_id', '=', id)
      .where('expires_at', '<=', now)
      .execute();
    await trx
      .updateTable('webhook_secrets')
      .set({ expires_at: expireAt })
      .where('endpoint_id', '=', id)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expireAt)]))
      .execute();
    await trx
      .insertInto('webhook_secrets')
      .values({ endpoint_id: id, secret, created_at: now, expires_at: null })
      .execute();
    return { previousExpireAt: expireAt };
  });
}

/** Deletes every secret that no longer signs (their overlap has ended); returns how many. */
export async function deleteExpiredSecrets(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('webhook_secrets').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface EndpointPatch {
  url?: string;
  filter?: WebhookFilterParams;
  types?: readonly WebhookEventType[];
  description?: string;
  paused?: boolean;
  /** Clears the disabled state and the failing time (an unpause of a disabled endpoint). */
  enable?: boolean;
}

export async function updateEndpoint(
  db: Db,
  id: string,
  patch: EndpointPatch,
  now: number,
): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      updated_at: now,
      ...(patch.url === undefined ? {} : { url: patch.url }),
      ...(patch.filter === undefined ? {} : { filter: JSON.stringify(patch.filter) }),
      ...(patch.types === undefined ? {} : { types: JSON.stringify(patch.types) }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.paused === undefined ? {} : { paused: patch.paused ? 1 : 0 }),
      ...(patch.enable === true ? { disabled_at: null, disabled_reason: null, failing_since: null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toEndpoint(row);
}

/** Deletes an endpoint and its log; false when there was none. */
export async function deleteEndpoint(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_secrets').where('endpoint_id', '=', id).execute();
    const result = await trx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function disableEndpoint(db: Db, id: string, reason: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Moves the position forward (never back) past events the endpoint does not want. */
export async function advancePosition(db: Db, id: string, position: number): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ position })
    .where('id', '=', id)
    .where('position', '<', position)
    .execute();
}

export interface NewDelivery {
  endpointId: string;
  messageId: string;
  trigger: DeliveryTrigger;
  eventType: string;
  changeSeq: number | null;
}

/** The columns that say which message a delivery row is (the same for every attempt). */
function deliveryColumns(delivery: NewDelivery) {
  return {
    endpoint_id: delivery.endpointId,
    message_id: delivery.messageId,
    trigger: delivery.trigger,
    event_type: delivery.eventType,
    change_seq: delivery.changeSeq,
  };
}

export async function insertDelivery(db: Db, delivery: NewDelivery, now: number): Promise<WebhookDelivery> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({
      ...deliveryColumns(delivery),
      status: 'pending',
      response_code: null,
      latency_ms: null,
      error: null,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDelivery(row);
}

/** An endpoint's log, newest first, before `beforeId` when given. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  query: { limit: number; beforeId?: number },
): Promise<WebhookDelivery[]> {
  let select = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(query.limit);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  return (await select.execute()).map(toDelivery);
}

export async function getDelivery(
  db: Db,
  endpointId: string,
  id: number,
): Promise<WebhookDelivery | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toDelivery(row);
}

/** The endpoint's pending feed message (at most one: the next event waits for it), if any. */
export async function pendingFeedDelivery(db: Db, endpointId: string): Promise<WebhookDelivery | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .where('trigger', '=', 'feed')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toDelivery(row);
}

/** The oldest pending delivery of the endpoint that is due at `now`. */
export async function nextDueDelivery(
  db: Db,
  endpointId: string,
  now: number,
): Promise<WebhookDelivery | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toDelivery(row);
}

/** The earliest next attempt of the endpoint's pending deliveries (epoch ms), if any. */
export async function earliestPendingAt(db: Db, endpointId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('endpoint_id', '=', endpointId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at == null ? undefined : Number(row.at);
}

export interface AttemptRecord {
  status: DeliveryStatus;
  responseCode: number | null;
  latencyMs: number;
  error: string | null;
  nextAttemptAt: number | null;
  /** The endpoint's state after this attempt. */
  endpoint: {
    /** Moves the position to the message's seq (a feed message that ended). */
    advanceTo?: number;
    /** `clear` after a success; `start` after a failure (kept when already failing). */
    failing: 'clear' | 'start';
    delivered: boolean;
    finallyFailed: boolean;
    disable?: string;
  };
}

/**
 * Records one attempt of a delivery and its effect on the endpoint, atomically; returns the
 * endpoint as it is now (undefined when it was deleted meanwhile).
 */
export async function recordAttempt(
  trx: Transaction<Database>,
  delivery: WebhookDelivery,
  record: AttemptRecord,
  now: number,
): Promise<WebhookEndpoint | undefined> {
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: record.status,
      attempts: eb('attempts', '+', 1),
      response_code: record.responseCode,
      latency_ms: record.latencyMs,
      error: record.error,
      next_attempt_at: record.nextAttemptAt,
      updated_at: now,
    }))
    .where('id', '=', delivery.id)
    .execute();
  return applyEffect(trx, delivery.endpointId, record.endpoint, now);
}

/**
 * Records the first attempt of a feed message, atomically: its log entry (written only now, with
 * the attempt's result: its `webhook-id` comes from endpoint and seq, so a crash before this changes
 * nothing) and its effect on the endpoint, the position included. Returns the endpoint as it is now.
 */
export async function recordFirstAttempt(
  trx: Transaction<Database>,
  delivery: NewDelivery,
  record: AttemptRecord,
  now: number,
): Promise<WebhookEndpoint | undefined> {
  await trx
    .insertInto('webhook_deliveries')
    .values({
      ...deliveryColumns(delivery),
      status: record.status,
      attempts: 1,
      response_code: record.responseCode,
      latency_ms: record.latencyMs,
      error: record.error,
      next_attempt_at: record.nextAttemptAt,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return applyEffect(trx, delivery.endpointId, record.endpoint, now);
}

async function applyEffect(
  trx: Transaction<Database>,
  endpointId: string,
  effect: AttemptRecord['endpoint'],
  now: number,
): Promise<WebhookEndpoint | undefined> {
  const row = await trx
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      failing_since: effect.failing === 'clear' ? null : eb.fn.coalesce('failing_since', eb.val(now)),
      delivered_count: eb('delivered_count', '+', effect.delivered ? 1 : 0),
      failed_count: eb('failed_count', '+', effect.finallyFailed ? 1 : 0),
      failed_attempts: eb('failed_attempts', '+', effect.delivered ? 0 : 1),
      ...(effect.advanceTo === undefined
        ? {}
        : {
            position: eb
              .case()
              .when('position', '<', effect.advanceTo)
              .then(effect.advanceTo)
              .else(eb.ref('position'))
              .end(),
          }),
      ...(effect.disable === undefined ? {} : { disabled_at: now, disabled_reason: effect.disable }),
    }))
    .where('id', '=', endpointId)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toEndpoint(row);
}

/**
 * Keeps an endpoint's delivery log bounded: deletes the entries that are no longer pending and
 * were last touched before `before`, or are older than its `keepRows` newest entries. Pending
 * entries (a retry, a replay, a ping still to send) are always kept. Returns how many went.
 */
export async function pruneDeliveries(
  db: Db,
  endpointId: string,
  limits: { before: number; keepRows: number },
): Promise<number> {
  let deleted = Number(
    (
      await db
        .deleteFrom('webhook_deliveries')
        .where('endpoint_id', '=', endpointId)
        .where('status', '<>', 'pending')
        .where('updated_at', '<', limits.before)
        .executeTakeFirst()
    ).numDeletedRows,
  );
  const oldestKept = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(1)
    .offset(limits.keepRows - 1)
    .executeTakeFirst();
  if (oldestKept !== undefined) {
    deleted += Number(
      (
        await db
          .deleteFrom('webhook_deliveries')
          .where('endpoint_id', '=', endpointId)
          .where('status', '<>', 'pending')
          .where('id', '<', oldestKept.id)
          .executeTakeFirst()
      ).numDeletedRows,
    );
  }
  return deleted;
}

export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/** Per endpoint: counts and position, for /metrics. */
export async function endpointStats(
  db: Db,
): Promise<{ id: string; delivered: number; failed: number; failedAttempts: number; position: number }[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'delivered_count', 'failed_count', 'failed_attempts', 'position'])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    delivered: Number(row.delivered_count),
    failed: Number(row.failed_count),
    failedAttempts: Number(row.failed_attempts),
    position: Number(row.position),
  }));
}
