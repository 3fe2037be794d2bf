/**
 * The page reader's worker thread (see page-reader.ts): reads each page it is sent with the
 * registered source adapter — decode, parse, map, hash — and answers with the prepared records.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors/app-error.js';
import { findSource } from '../sources/registry.js';
import { CanonicalSerializer } from './canonical.js';
import type { PageReply, PageRequest } from './page-reader.js';
import { prepareRecords, readPageWith, threadError } from './page-reader.js';

const serializers = new Map<string, CanonicalSerializer>();

/** The reply, and what to move back with it (the body the records' JSON views point into). */
function read(request: PageRequest): { reply: PageReply; transfer: ArrayBuffer[] } {
  try {
    const adapter = findSource(request.source);
    if (adapter === undefined) throw new AppError('INTERNAL', `Unknown source "${request.source}"`);
    let serializer = serializers.get(adapter.id);
    if (serializer === undefined) {
      serializer = new CanonicalSerializer(adapter.canonicalRules);
      serializers.set(adapter.id, serializer);
    }
    const { body } = request.response;
    const response = {
      ...request.response,
      body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    };
    const records = prepareRecords(adapter, serializer, readPageWith(adapter, response));
    const buffer = body.buffer as ArrayBuffer;
    return { reply: { id: request.id, records, body: buffer }, transfer: [buffer] };
  } catch (error) {
    return { reply: { id: request.id, error: threadError(error) }, transfer: [] };
  }
}

parentPort?.on('message', (request: PageRequest) => {
  const { reply, transfer } = read(request);
  parentPort?.postMessage(reply, transfer);
});
