/**
 * A webhook receiver on 127.0.0.1 for tests and benchmarks: it verifies every delivery with the
 * Standard Webhooks library (`standardwebhooks`, not our code) and answers as told per request.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  /** The verified payload (the library throws, and the request is answered 400, if it does not verify). */
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** The status this request was answered with. */
  status: number;
  /** The body and headers as received (to verify them again with other secrets). */
  body: string;
  headers: Record<string, string>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Requests whose signature did not verify (should stay 0). */
  unverified: number;
  /** The secret to verify with (set once the endpoint is created). */
  secret: string | undefined;
  /** The status to answer the n-th request (0-based) with (or a promise of it, to hold the answer); default 200. */
  respond: (index: number) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  let index = 0;
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    unverified: 0,
    secret: undefined,
    respond: () => 200,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [key, String(value)]),
      );
      let payload: ReceivedWebhook['payload'];
      try {
        payload = new Webhook(receiver.secret ?? 'whsec_').verify(
          body,
          headers,
        ) as ReceivedWebhook['payload'];
      } catch {
        receiver.unverified++;
        response.writeHead(400).end();
        return;
      }
      void Promise.resolve(receiver.respond(index++)).then((status) => {
        receiver.received.push({
          id: headers['webhook-id'] ?? '',
          timestamp: headers['webhook-timestamp'] ?? '',
          payload,
          status,
          body,
          headers,
        });
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
