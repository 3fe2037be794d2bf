/**
 * Fastify's `clientErrorHandler`: answers what Node's HTTP parser refused (headers too large,
 * malformed requests, requests that did not arrive in time) as problem+json with the security
 * headers, written to the socket by hand because no request object, hook or error handler exists yet.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../../errors/app-error.js';
import { ERROR_CATALOGUE } from '../../errors/app-error.js';
import { PROBLEM_CONTENT_TYPE } from '../error-handler.js';
import { DATA_CSP, STATIC_HEADERS } from './headers.js';

/** The catalogue code of an error Node's HTTP parser raised on a connection. */
function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT')
    return 'REQUEST_INCOMPLETE';
  return 'MALFORMED_REQUEST';
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused what a connection sent (a URL or
 * headers over its size limit, a control character in a header, bytes that are not HTTP) before
 * any request object exists, so no hook or error handler runs. The answer is written by hand: a
 * whole HTTP/1.1 problem+json response with the security headers and `Connection: close`, only
 * when nothing of another response has been written on the socket yet (else the client would read
 * a corrupt stream); then the connection is closed once the answer is out.
 */
const answered = new WeakSet<Socket>();

export function answerClientError(
  this: { log?: { debug: (details: object, message: string) => void } } | undefined,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  // A pipelined request whose answer is still being made: that answer goes out first, whole.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inFlight !== undefined && inFlight !== null && !inFlight.writableFinished) {
    inFlight.once('finish', () => writeClientError(error, socket, this?.log));
    inFlight.once('close', () => {
      if (!inFlight.writableFinished) socket.destroy();
    });
    return;
  }
  writeClientError(error, socket, this?.log);
}

function writeClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  log: { debug: (details: object, message: string) => void } | undefined,
): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const code = clientErrorCode(error);
  const { status, title } = ERROR_CATALOGUE[code];
  const detail =
    code === 'HEADERS_TOO_LARGE'
      ? 'The request line (URL) and headers together must stay under 16 KB; send fewer or shorter parameters or headers'
      : code === 'REQUEST_INCOMPLETE'
        ? 'The whole request must arrive in time'
        : 'The request is not valid HTTP/1.1 (for example a control character in a header)';
  const body = JSON.stringify({
    type: `urn:trialwatch:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    instance: '/',
  });
  const headers: Record<string, string> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    ...STATIC_HEADERS,
    'content-security-policy': DATA_CSP,
    'x-request-id': randomUUID(),
    date: new Date().toUTCString(),
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  log?.debug({ err: error, code }, 'client error');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? title}\r\n${head}\r\n${body}`);
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 5_000).unref();
}
