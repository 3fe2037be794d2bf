/**
 * The machine's reference: one `GET /hello` route answering `{"hello":"world"}`, no logging, in its
 * own process, loaded exactly like the API. API figures are also given as ratios to it, which
 * survive a noisy or slower machine better than raw numbers.
 *
 * `HELLO_KIND=fastify` (the default): a bare Fastify app. `HELLO_KIND=node-http`: a bare
 * `node:http` server (issue 14's reference: the least a Node HTTP server can do per request).
 */
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';
import { MemorySampler } from '../support/memory-sampler.js';

const sampler = new MemorySampler().start(100);
answerCalls({
  memory: () => sampler.peaks(),
  resetMemory: () => {
    sampler.reset();
    return null;
  },
});

if (process.env.HELLO_KIND === 'node-http') {
  const body = JSON.stringify({ hello: 'world' });
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/hello') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(body);
    } else {
      response.writeHead(404).end();
    }
  });
  exitWithParent(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  sendReady({
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
  });
} else {
  const app = Fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  exitWithParent(() => app.close());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  sendReady({ url: address });
}
