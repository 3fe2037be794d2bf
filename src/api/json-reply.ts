/** Answers whose JSON is already text (assembled by the route's format module). */
import type { FastifyReply } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';

// This takes the untyped reply: JSON text is not the schema's object type, which Fastify only uses
// to serialise objects.
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.header('content-type', JSON_TYPE).send(json);
}
