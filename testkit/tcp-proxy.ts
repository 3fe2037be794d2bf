/**
 * A TCP proxy on 127.0.0.1 in front of a loopback server (PostgreSQL), to make the network fail
 * the way it does in production without touching the server others use:
 * - `forward`: bytes pass both ways;
 * - `blackhole`: connections are accepted (new ones too) but no byte passes either way — packets
 *   dropped, the database "unreachable" without any error reaching the client;
 * - `reset()`: every open connection is reset (RST), as after a network freeze ends or a failover.
 */
import type { Server, Socket } from 'node:net';
import { createConnection, createServer } from 'node:net';

export type ProxyMode = 'forward' | 'blackhole';

export interface TcpProxy {
  readonly port: number;
  mode: ProxyMode;
  /** Connections accepted so far. */
  readonly accepted: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;
  const state: { mode: ProxyMode } = { mode: 'forward' };
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (state.mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (state.mode === 'forward') client.write(chunk);
    });
    for (const socket of pair) {
      socket.on('error', forget);
      socket.on('close', forget);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    get mode() {
      return state.mode;
    },
    set mode(mode: ProxyMode) {
      state.mode = mode;
    },
    get accepted() {
      return accepted;
    },
    reset() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
