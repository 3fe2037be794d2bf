/**
 * The machine's reference: a bare Fastify app with one `GET /hello` route answering
 * `{"hello":"world"}`, no logging, in its own process, loaded exactly like the API. API figures are
 * also given as ratios to it, which survive a noisy or slower machine better than raw numbers.
 */
import Fastify from 'fastify';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';
import { MemorySampler } from '../support/memory-sampler.js';

const sampler = new MemorySampler().start(100);
const app = Fastify({ logger: false });
app.get('/hello', () => ({ hello: 'world' }));

answerCalls({
  memory: () => sampler.peaks(),
  resetMemory: () => {
    sampler.reset();
    return null;
  },
});
exitWithParent(() => app.close());

const address = await app.listen({ host: '127.0.0.1', port: 0 });
sendReady({ url: address });
