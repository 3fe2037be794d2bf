/**
 * One attempt of one webhook: resolve the host now, check the address (url-guard.ts), connect to
 * exactly that address (node:http(s)'s `lookup` option, so the name is not resolved a second time
 * and TLS still checks the certificate against the name), POST the signed body, follow no redirect,
 * stop at `timeoutMs`, and read at most `RESPONSE_CAP_BYTES` of the answer (only its size is kept).
 *
 * Connections are kept alive and reused, but only to the same address: one keep-alive agent per
 * origin and resolved address, so a reused connection always goes where this attempt's resolution
 * says (a host that now resolves elsewhere gets a new connection there). An answer cut short by
 * the cap closes its connection. A reused connection that the receiver had closed meanwhile
 * (ECONNRESET/EPIPE before any answer) is tried once more on a new one, as Node's documentation
 * advises (`request.reusedSocket`); at least once allows the rare repeat.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isAppError, messageOf } from '../errors/app-error.js';
import type { Resolver, UrlPolicy } from './url-guard.js';
import { checkWebhookUrl, resolveDestination, systemResolver } from './url-guard.js';

/** The most of a receiver's answer read (bytes); the rest is dropped with the connection. */
export const RESPONSE_CAP_BYTES = 4_096;
/** An idle kept-alive connection is closed after this long (ms). */
const IDLE_SOCKET_MS = 4_000;
/** Agents kept (origin × address); the least recently used beyond this are closed. */
const AGENTS_KEPT = 256;

const agents = new Map<string, http.Agent>();

function agentFor(url: URL, address: string): http.Agent {
  const key = `${url.protocol}//${url.host}|${address}`;
  let agent = agents.get(key);
  if (agent !== undefined) {
    agents.delete(key);
  } else {
    const options = {
      keepAlive: true,
      maxFreeSockets: 4,
      timeout: IDLE_SOCKET_MS,
      scheduling: 'lifo' as const,
    };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }
  agents.set(key, agent);
  for (const [oldKey, old] of agents) {
    if (agents.size <= AGENTS_KEPT) break;
    agents.delete(oldKey);
    old.destroy();
  }
  return agent;
}

export type AttemptOutcome =
  | {
      kind: 'response';
      status: number;
      /** Retry-After (seconds or an HTTP date) in ms from now, when the answer had one. */
      retryAfterMs: number | undefined;
      /** Bytes of the answer read (at most RESPONSE_CAP_BYTES). */
      bodyBytes: number;
      latencyMs: number;
    }
  | {
      kind: 'error';
      /** `forbidden`: the destination is not allowed now (not retried any differently). */
      reason: 'timeout' | 'network' | 'forbidden';
      message: string;
      latencyMs: number;
    };

export interface AttemptOptions {
  policy: UrlPolicy;
  timeoutMs: number;
  resolve?: Resolver;
  now?: () => number;
}

/** Milliseconds a Retry-After value asks for, or undefined when it says nothing usable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export async function attemptWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  let destination;
  try {
    // The rules may have changed since the endpoint was saved (WEBHOOK_ALLOW_HTTP_HOSTS).
    url = checkWebhookUrl(target, options.policy);
    destination = await resolveDestination(url, options.policy, options.resolve ?? systemResolver);
  } catch (error) {
    const reason = isAppError(error) && error.code === 'WEBHOOK_URL_FORBIDDEN' ? 'forbidden' : 'network';
    return { kind: 'error', reason, message: messageOf(error), latencyMs: elapsed() };
  }
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) {
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
        destination,
      ]);
    } else callback(null, destination.address, destination.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const send = (agent: http.Agent | false): Promise<AttemptOutcome | 'stale'> =>
    new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: AttemptOutcome | 'stale') => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = client.request(url, {
        method: 'POST',
        agent,
        lookup: pinned,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'trialwatch-webhooks',
        },
      });
      const timer = setTimeout(
        () => {
          finish({
            kind: 'error',
            reason: 'timeout',
            message: `No answer within ${options.timeoutMs} ms`,
            latencyMs: elapsed(),
          });
          request.destroy();
        },
        Math.max(1, options.timeoutMs - elapsed()),
      );
      let answered = false;
      request.on('response', (response) => {
        answered = true;
        let bytes = 0;
        const done = () =>
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            retryAfterMs: retryAfterMs(response.headers['retry-after'], now()),
            bodyBytes: bytes,
            latencyMs: elapsed(),
          });
        response.on('data', (chunk: Buffer) => {
          bytes = Math.min(RESPONSE_CAP_BYTES, bytes + chunk.length);
          if (bytes >= RESPONSE_CAP_BYTES) {
            done();
            request.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
        response.on('aborted', done);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (
          !answered &&
          request.reusedSocket &&
          (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.code === 'ECONNABORTED')
        ) {
          finish('stale');
          return;
        }
        finish({
          kind: 'error',
          reason: 'network',
          message: error.code === undefined ? error.message : `${error.code}: ${error.message}`,
          latencyMs: elapsed(),
        });
      });
      request.end(body);
    });
  const outcome = await send(agentFor(url, destination.address));
  if (outcome !== 'stale') return outcome;
  // The kept-alive connection had been closed by the receiver: once more, on a new connection.
  const again = await send(false);
  return again === 'stale'
    ? { kind: 'error', reason: 'network', message: 'The connection was reset', latencyMs: elapsed() }
    : again;
}
