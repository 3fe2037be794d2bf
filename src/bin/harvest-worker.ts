/**
 * The child process that runs one harvest for `serve` (see harvest/child-runner.ts): the same
 * config (inherited environment and `.env`), its own database connection, the same runHarvest.
 *
 * It stops at a record boundary on `stop`, on SIGTERM/SIGINT (a terminal's Ctrl-C reaches the
 * whole process group) and when its parent goes away (the IPC channel closes), so a run is never
 * left `running` by a live child. It exits once the end of the run has reached the parent.
 */
import { AppError, isAppError, messageOf } from '../errors/app-error.js';
import type { FromHarvestChild, ToHarvestChild } from '../harvest/harvest-runner.js';
import { defaultHolder, runHarvest } from '../harvest/harvest.service.js';
import { openContext } from './context.js';

function send(message: FromHarvestChild): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  if (process.send === undefined)
    throw new Error('harvest-worker runs only as a child of `trialwatch serve`');
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('stop'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);

  const request = await new Promise<ToHarvestChild & { type: 'start' }>((resolve, reject) => {
    const onMessage = (message: ToHarvestChild) => {
      if (message.type === 'start') resolve(message);
      else reject(new AppError('HARVEST_INTERRUPTED', 'Stopped before it started'));
    };
    process.once('message', onMessage);
  });
  process.on('message', (message: ToHarvestChild) => {
    if (message.type === 'stop') stop();
  });

  const refuse = (error: unknown) =>
    send({ type: 'refused', code: isAppError(error) ? error.code : 'INTERNAL', message: messageOf(error) });
  // The parent has migrated the database; a harvest needs few connections.
  const context = await openContext({ migrate: false, poolSize: 2 }).catch(refuse);
  if (context === undefined) return;
  try {
    const holder = defaultHolder();
    let runId: number | undefined;
    const run = await runHarvest(
      {
        ...context.harvestDeps,
        holder,
        observer: {
          onAttempt: (source, outcome, status) => void send({ type: 'upstream', source, outcome, status }),
        },
      },
      {
        ...request.request,
        signal: controller.signal,
        onStarted: (id) => {
          runId = id;
          void send({ type: 'started', runId: id, holder });
        },
      },
    ).catch(async (error: unknown) => {
      if (runId !== undefined) throw error;
      await refuse(error);
      return undefined;
    });
    if (run !== undefined) await send({ type: 'finished', run });
  } finally {
    await context.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`harvest worker: ${messageOf(error)}\n`);
    process.exit(1);
  },
);
