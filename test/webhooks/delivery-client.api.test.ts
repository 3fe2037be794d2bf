/**
 * One webhook attempt's connection (delivery-client.ts) against node:http receivers on loopback:
 * connections are kept alive and reused only to the same resolved address, and a reused
 * connection the receiver had closed is tried once more on a new one.
 */
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/webhooks/url-guard.js';
import { attemptWebhook } from '../../src/webhooks/delivery-client.js';

const policy = { allowPrivate: true, allowHttpHosts: ['127.0.0.1', 'hooks.test'] };

interface Receiver {
  server: Server;
  port: number;
  /** The local address of each new connection, in order. */
  connections: string[];
  requests: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function receiver(
  host: string,
  answer: (index: number, request: IncomingMessage) => number | 'drop' = () => 200,
): Promise<Receiver> {
  const state: Receiver = { server: createServer(), port: 0, connections: [], requests: 0 };
  state.server.on('connection', (socket) => state.connections.push(socket.localAddress ?? ''));
  state.server.on('request', (request, response) => {
    request.resume();
    request.on('end', () => {
      const status = answer(state.requests++, request);
      if (status === 'drop') request.socket.destroy();
      else response.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, host, resolve));
  state.port = (state.server.address() as AddressInfo).port;
  servers.push(state.server);
  return state;
}

async function attempt(url: string, resolve?: Resolver) {
  return attemptWebhook(url, { 'webhook-id': 'msg_t' }, '{"a":1}', {
    policy,
    timeoutMs: 5_000,
    ...(resolve === undefined ? {} : { resolve }),
  });
}

describe('webhook attempts and their connections', () => {
  it('reuses one kept-alive connection for attempts to the same address', async () => {
    const target = await receiver('127.0.0.1');
    for (let i = 0; i < 5; i++) {
      expect(await attempt(`http://127.0.0.1:${target.port}/hook`)).toMatchObject({
        kind: 'response',
        status: 200,
      });
    }
    expect(target.requests).toBe(5);
    expect(target.connections).toHaveLength(1);
  });

  it('connects anew when the host resolves to another address: a reused connection never goes elsewhere', async () => {
    const target = await receiver('0.0.0.0');
    let address = '127.0.0.1';
    const resolve: Resolver = () => Promise.resolve([{ address, family: 4 }]);
    const url = `http://hooks.test:${target.port}/hook`;
    expect(await attempt(url, resolve)).toMatchObject({ status: 200 });
    expect(await attempt(url, resolve)).toMatchObject({ status: 200 });
    address = '127.0.0.2';
    expect(await attempt(url, resolve)).toMatchObject({ status: 200 });
    expect(await attempt(url, resolve)).toMatchObject({ status: 200 });
    expect(target.connections).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('tries once more on a new connection when the receiver closed the reused one', async () => {
    // The second request (on the reused connection) is dropped without an answer.
    const target = await receiver('127.0.0.1', (index) => (index === 1 ? 'drop' : 200));
    const url = `http://127.0.0.1:${target.port}/hook`;
    expect(await attempt(url)).toMatchObject({ status: 200 });
    expect(await attempt(url)).toMatchObject({ kind: 'response', status: 200 });
    expect(target.requests).toBe(3);
    expect(target.connections).toHaveLength(2);
    // A first connection that fails is an error, not tried again.
    const closed = await receiver('127.0.0.1', () => 'drop');
    expect(await attempt(`http://127.0.0.1:${closed.port}/hook`)).toMatchObject({
      kind: 'error',
      reason: 'network',
    });
    expect(closed.requests).toBe(1);
  });
});
