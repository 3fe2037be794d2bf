/**
 * The child process that delivers webhooks for `serve` (see webhooks/delivery-runner.ts): the same
 * config (inherited environment and `.env`), its own database connection, the delivery worker with
 * the API's event view and filter parser. It stops (finishing the attempt in flight and giving up
 * its leases) on SIGTERM/SIGINT and when its parent goes away (the IPC channel closes).
 */
import { webhookFormat } from '../api/webhook-format.js';
import { messageOf } from '../errors/app-error.js';
import { DeliveryWorker } from '../webhooks/delivery.service.js';
import { openContext } from './context.js';

async function main(): Promise<void> {
  if (process.send === undefined)
    throw new Error('webhook-worker runs only as a child of `trialwatch serve`');
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('disconnect', () => resolve());
  });
  // The parent has migrated the database. Each endpoint delivered at once commits a transaction
  // per message: a few connections, so that they do not queue for one (at most 9).
  const context = await openContext({
    migrate: false,
    poolSize: (config) => Math.min(config.webhooks.concurrentEndpoints, 8) + 1,
  });
  const worker = new DeliveryWorker({
    db: context.store.db,
    config: context.config.webhooks,
    format: webhookFormat,
    log: context.log,
  });
  try {
    worker.start();
    await stopped;
    await worker.stop();
  } finally {
    await context.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`webhook worker: ${messageOf(error)}\n`);
    process.exit(1);
  },
);
