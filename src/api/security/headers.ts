/**
 * The security headers of every answer, errors included. Written here rather than taken from
 * `@fastify/helmet`: two kinds of answer run no Fastify hook (Node's own parser errors, written to
 * the socket by hand, and Fastify's `frameworkErrors`), so the header list has to exist as data in
 * our code anyway, and the policy depends on the answer's content type (pages get a same-origin
 * CSP, data a deny-all one), which helmet's request-time hook cannot know. One list, used by all three.
 */
import type { FastifyReply } from 'fastify';

/** For pages (Swagger UI at /docs, the web page): everything from this origin, nothing from elsewhere. */
export const HTML_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** For everything else (JSON, CSV, text): a document that is never to run or embed anything. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const STATIC_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-permitted-cross-domain-policies': 'none',
};
const STATIC_HEADER_ENTRIES = Object.entries(STATIC_HEADERS);

/**
 * Sets the security headers a reply lacks. The security plugin's onSend hook does it for every
 * answer that goes through the hooks; the `frameworkErrors` handler calls it itself.
 */
export function addSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of STATIC_HEADER_ENTRIES) {
    if (!reply.hasHeader(name)) void reply.header(name, value);
  }
  if (!reply.hasHeader('content-security-policy')) {
    const type = String(reply.getHeader('content-type') ?? '');
    void reply.header('content-security-policy', type.startsWith('text/html') ? HTML_CSP : DATA_CSP);
  }
}
