/**
 * Streamed exports (CSV, NDJSON) of a list route: one chunk of text per database batch, the first
 * batch read before any byte is sent so that a failure there still gets a problem+json answer.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { TrialFormat } from './content-negotiation.js';
import { CONTENT_TYPES } from './content-negotiation.js';

export type ExportFormat = Exclude<TrialFormat, 'json'>;

/** How an export writes its items: a header (CSV) and one line per item. */
export interface ExportWriter<T> {
  header?: string;
  line: (item: T) => string;
}

async function* exportChunks<T>(
  first: IteratorResult<T[], void>,
  rest: AsyncGenerator<T[], void, undefined>,
  writer: ExportWriter<T>,
): AsyncGenerator<string, void, undefined> {
  if (writer.header !== undefined) yield writer.header;
  if (first.done === true) return;
  yield first.value.map(writer.line).join('');
  for await (const batch of rest) yield batch.map(writer.line).join('');
}

/**
 * Sends the batches as a download named `<name>.<format>`. Takes the untyped reply: a stream is not
 * the route schema's object type, which Fastify only uses to serialise objects.
 */
export async function sendExport<T>(
  reply: FastifyReply,
  format: ExportFormat,
  name: string,
  batches: AsyncGenerator<T[], void, undefined>,
  writer: ExportWriter<T>,
): Promise<FastifyReply> {
  const first = await batches.next();
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .send(Readable.from(exportChunks(first, batches, writer), { objectMode: false }));
}
