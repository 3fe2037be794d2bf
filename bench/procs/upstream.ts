/**
 * The fake upstream process: `startFakeUpstream` (testkit) on 127.0.0.1, serving a generated
 * dataset. The orchestrator picks the dataset and its release with the `dataset` call.
 *
 * - kr-icreat: the generated records are handed to the fake gateway as they are (KR-size datasets
 *   fit in memory).
 * - ctgov: the fake holds every study in memory as parsed objects, which 100,000 studies of ~23 KB
 *   would not fit into, so this process routes `/api/v2/studies` to a generator that produces each
 *   page on demand, in the same wire format as the fake (sorted NCT ids, `pageSize` ≤ 1000,
 *   `countTotal`, `nextPageToken` bound to the query) and in the fake's server: its request log,
 *   `/version` and fault injection stay in place.
 */
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { CtgovGenerator, releaseTimestamp } from '../dataset/ctgov-dataset.js';
import { krRecords } from '../dataset/kr-dataset.js';
import type { FakeRequest, FakeResponse } from '../../testkit/fake-upstream.js';
import { startFakeUpstream, text } from '../../testkit/fake-upstream.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface UpstreamInfo {
  baseUrl: string;
  krApiBaseUrl: string;
  krOasUrl: string;
  ctgovApiBaseUrl: string;
}

export interface DatasetCall {
  source: 'kr-icreat' | 'ctgov';
  spec: DatasetSpec;
}

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 10;
const PAGING_PARAMETERS = new Set(['pageSize', 'pageToken', 'countTotal', 'format']);

const upstream = await startFakeUpstream({ kr: { records: [], expectedKey: null }, ctgov: { studies: [] } });
const generator = new CtgovGenerator();
let ctgovSpec: DatasetSpec | undefined;

function badRequest(message: string): FakeResponse {
  return text(400, `${message}\n`);
}

/** A page token: where the next page starts, and the release it belongs to. */
function encodeToken(release: number, offset: number): string {
  return Buffer.from(JSON.stringify(['bench', release, offset])).toString('base64url');
}

function decodeToken(value: string): { release: number; offset: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed[0] === 'bench' &&
      typeof parsed[1] === 'number' &&
      typeof parsed[2] === 'number'
    ) {
      return { release: parsed[1], offset: parsed[2] };
    }
  } catch {
    // reported below
  }
  return undefined;
}

function listStudies(request: FakeRequest): FakeResponse {
  const spec = ctgovSpec;
  if (spec === undefined) return badRequest('bench upstream: no ctgov dataset set');
  for (const key of request.query.keys()) {
    // The harvest's full listing sends only paging parameters; anything else is a listing this
    // generator does not model, and must not be answered as if it did.
    if (!PAGING_PARAMETERS.has(key)) return badRequest(`bench upstream: unsupported parameter ${key}`);
  }
  const format = request.query.get('format');
  if (format !== null && format !== 'json') return badRequest(`format=${format} is not served`);
  const sizeParam = request.query.get('pageSize');
  const pageSize = sizeParam === null ? DEFAULT_PAGE_SIZE : Number(sizeParam);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return badRequest(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${sizeParam})`);
  }
  const tokenParam = request.query.get('pageToken');
  let offset = 0;
  if (tokenParam !== null) {
    const token = decodeToken(tokenParam);
    if (token === undefined) return badRequest(`Invalid pageToken: ${tokenParam}`);
    if (token.release !== spec.release) {
      return badRequest('The data changed while the listing was paged: start again without a pageToken');
    }
    offset = token.offset;
  }
  const end = Math.min(spec.n, offset + pageSize);
  const parts: string[] = [];
  for (let index = offset; index < end; index++) parts.push(generator.studyJson(spec, index));
  let body = `{"studies":[${parts.join(',')}]`;
  if (tokenParam === null && request.query.get('countTotal') === 'true') body += `,"totalCount":${spec.n}`;
  if (end < spec.n) body += `,"nextPageToken":${JSON.stringify(encodeToken(spec.release, end))}`;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: `${body}}` };
}

// Added after the fake's own ctgov routes, so it wins for the listing (the fake's rule).
upstream.route('GET', '/api/v2/studies', listStudies);

answerCalls({
  dataset: (payload) => {
    const { source, spec } = payload as DatasetCall;
    if (source === 'kr-icreat') {
      upstream.kr.setRecords(krRecords(spec));
    } else {
      // Fails here, not mid-harvest, if the fast generator ever drifts from `syntheticStudy`.
      generator.verify(spec, 200);
      ctgovSpec = spec;
      upstream.ctgov.dataTimestamp = releaseTimestamp(spec.release);
    }
    upstream.clearRequests();
    return { source, n: spec.n, release: spec.release };
  },
  requests: () => upstream.requests.length,
});

exitWithParent(() => upstream.close());

const info: UpstreamInfo = {
  baseUrl: upstream.baseUrl,
  krApiBaseUrl: upstream.kr.apiBaseUrl,
  krOasUrl: upstream.kr.oasUrl,
  ctgovApiBaseUrl: upstream.ctgov.apiBaseUrl,
};
sendReady(info);
