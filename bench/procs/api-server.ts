/**
 * The API under load: `trialwatch serve` itself (src/bin/serve.ts, run from the sources under tsx)
 * with the environment the orchestrator gives it (DATABASE_URL of the prepared database, HOST,
 * PORT, LOG_LEVEL), plus a memory sampler answering over IPC. serve() owns SIGTERM (a graceful
 * shutdown); losing the parent turns into that SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { serve } from '../../src/bin/serve.js';
import { answerCalls, sendReady } from '../support/ipc.js';
import { MemorySampler } from '../support/memory-sampler.js';

const sampler = new MemorySampler().start(100);
// With `--profile`, each route's load is profiled on its own (the inspector's sampling profiler,
// as `--cpu-prof` uses), so one profile shows one route.
let session: Session | undefined;

answerCalls({
  memory: () => sampler.peaks(),
  resetMemory: () => {
    sampler.reset();
    return null;
  },
  profileStart: async () => {
    session ??= new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return null;
  },
  profileStop: async (payload) => {
    if (session === undefined) throw new Error('no profile was started');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(String(payload), JSON.stringify(profile));
    return payload;
  },
});
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

await serve({ scheduler: false });
sendReady({ url: `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8000'}` });
