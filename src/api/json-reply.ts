/** Answers whose JSON is already text (assembled by the route's format module). */
import type { FastifyReply } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Consecutive pieces are joined into strings of about this many UTF-16 units before each is encoded.
 * V8 keeps a string over 128 KB in its large-object space: Korean text makes a page's string two
 * bytes a character, so a page over 64 K characters crosses it, and encoding that one string (its
 * rope flattened first) cost 4–5× what encoding the same text in pieces does (a 100-event /changes
 * page: ~1 ms against ~0.3 ms with JSON.stringify included; bench/BASELINE.md).
 */
const PIECE_CHARS = 16_384;

/** The UTF-8 bytes of the pieces' text, in order, encoded a few pieces at a time (see PIECE_CHARS). */
export function jsonBytes(pieces: readonly string[]): Buffer {
  const buffers: Buffer[] = [];
  let run = '';
  for (const piece of pieces) {
    if (run.length > 0 && run.length + piece.length > PIECE_CHARS) {
      buffers.push(Buffer.from(run, 'utf8'));
      run = '';
    }
    run += piece;
  }
  if (run.length > 0 || buffers.length === 0) buffers.push(Buffer.from(run, 'utf8'));
  return buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers);
}

// This takes the untyped reply: JSON text is not the schema's object type, which Fastify only uses
// to serialise objects. A string is sent as its UTF-8 bytes, encoded once here: given a string,
// Node measures its UTF-8 length for Content-Length and then encodes it again to write it.
export function sendJsonText(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply
    .header('content-type', JSON_TYPE)
    .send(typeof json === 'string' ? Buffer.from(json, 'utf8') : json);
}
