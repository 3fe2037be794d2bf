/**
 * HTTP caching of single-resource answers and feeds: weak ETags (RFC 9110 §8.8.3), Last-Modified,
 * and the 304 answer to a matching `If-None-Match` (or, without one, `If-Modified-Since`).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal once `W/` is set aside. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
  });
}

/** A short tag of some text (`.` and 10 base64url characters), empty for empty text. */
export function shortTag(text: string): string {
  return text === '' ? '' : `.${createHash('sha256').update(text).digest('base64url').slice(0, 10)}`;
}

/** The untyped reply: a 304 has no body, which no response schema describes. */
export function sendNotModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}

/**
 * Whether `If-Modified-Since` holds for a representation last modified at `lastModified` (epoch
 * ms): HTTP dates have whole seconds. An unparsable date is ignored (RFC 9110 §13.1.3).
 */
export function unmodifiedSince(header: string | undefined, lastModified: number): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && Math.floor(lastModified / 1000) * 1000 <= since;
}
