/**
 * A source adapter over an in-memory list, for harvest-service tests that should not depend on a
 * real registry's format. Records are `{ id, title, tags?, volatile? }`.
 */
import type { AppConfig, SourceConfigBase } from '../src/config/config.js';
import { emptyTrialFields } from '../src/domain/trial.types.js';
import { AppError } from '../src/errors/app-error.js';
import type { ListingEnd, PageReader, SourceAdapter, SourcePage } from '../src/sources/source.types.js';
import { RecordError } from '../src/sources/source.types.js';
import { commonFacts, typeByPrefix } from '../src/domain/change.types.js';

export interface MemoryRecord {
  id?: unknown;
  title?: unknown;
  tags?: string[];
  volatile?: string;
  secondary?: string[];
  aliases?: string[];
  [key: string]: unknown;
}

export interface MemorySourceControl {
  records: MemoryRecord[];
  pageSize: number;
  /** Overrides the listing end (e.g. complete: false). */
  end: Partial<ListingEnd>;
  /** Throw this error after yielding this many pages. */
  failAfterPages?: { pages: number; error: Error };
  /** When set, pages list only these ids (an id-only reconciliation listing). */
  idsOnly?: string[];
  /** Called before each page is yielded (e.g. to abort). */
  beforePage?: (page: number) => void;
}

export function createMemorySource(): { adapter: SourceAdapter; control: MemorySourceControl } {
  const control: MemorySourceControl = { records: [], pageSize: 50, end: {} };
  async function* pages(reader: PageReader): AsyncGenerator<SourcePage, ListingEnd, void> {
    if (control.idsOnly !== undefined) {
      yield { presentIds: [...control.idsOnly] };
      return { listing: 'full', complete: true, expectedTotal: control.idsOnly.length, ...control.end };
    }
    const records = [...control.records];
    let page = 0;
    for (let i = 0; i < records.length; i += control.pageSize) {
      if (control.failAfterPages !== undefined && page >= control.failAfterPages.pages)
        throw control.failAfterPages.error;
      control.beforePage?.(page);
      page++;
      await Promise.resolve();
      yield reader.prepare(records.slice(i, i + control.pageSize));
    }
    return {
      listing: 'full',
      complete: true,
      expectedTotal: records.length,
      info: { memory: true },
      ...control.end,
    };
  }
  const adapter: SourceAdapter = {
    id: 'kr-icreat',
    name: 'memory test source',
    parseConfig: (_reader, enabled): SourceConfigBase => testSourceConfig(enabled),
    secretKeys: [],
    canonicalRules: { volatilePaths: ['volatile'], unorderedPaths: ['tags'] },
    changes: { typeOfPath: typeByPrefix([['title', 'title']], 'other'), facts: commonFacts },
    map(raw) {
      const record = raw as MemoryRecord;
      if (typeof record.id !== 'string' || record.id === '') throw new RecordError(null, 'record has no id');
      if (typeof record.title !== 'string') throw new RecordError(record.id, 'title is not a string');
      if ('drift' in record) throw new AppError('SCHEMA_DRIFT', 'unknown column "drift"');
      return {
        id: record.id,
        source: 'kr-icreat',
        fields: {
          ...emptyTrialFields(),
          title: record.title,
          conditions: record.tags ?? [],
          secondaryIds: (record.secondary ?? []).map((id) => ({ id, type: null })),
        },
        sourceFields: { upstream: record },
        ...(record.aliases === undefined ? {} : { aliases: record.aliases }),
      };
    },
    harvest: (context) => pages(context),
    readFile: (_file, reader) => pages(reader),
  };
  return { adapter, control };
}

export function testSourceConfig(enabled = true): SourceConfigBase {
  return {
    enabled,
    missing: [],
    schedule: '0 4 * * *',
    timeZone: 'UTC',
    upstream: { timeoutMs: 1000, retries: 0, backoffMs: 1, maxBackoffMs: 1, minIntervalMs: 0 },
  };
}

export function testConfig(
  databaseUrl: string,
  sources: Record<string, SourceConfigBase> = { 'kr-icreat': testSourceConfig() },
): AppConfig {
  return {
    database: databaseUrl.startsWith('sqlite:')
      ? { kind: 'sqlite', path: databaseUrl.slice(7), url: databaseUrl }
      : { kind: 'postgres', connectionString: databaseUrl, url: databaseUrl },
    host: '127.0.0.1',
    port: 0,
    adminToken: undefined,
    logLevel: 'silent',
    bootstrap: false,
    harvestLeaseTtlMs: 60_000,
    harvestMaxHeapMb: 0,
    corsOrigins: [],
    rateLimitPerMinute: 0,
    bodyLimitBytes: 65_536,
    requestTimeoutMs: 30_000,
    trustProxy: false,
    importMaxFileBytes: 268_435_456,
    cursorSecret: undefined,
    webhooks: {
      allowPrivate: true,
      allowHttpHosts: ['127.0.0.1', 'localhost'],
      retryScheduleMs: [50, 50, 50],
      disableAfterMs: 259_200_000,
      timeoutMs: 2_000,
      pollIntervalMs: 20,
      leaseTtlMs: 10_000,
      concurrentEndpoints: 16,
      secretOverlapMs: 60_000,
      logMaxAgeMs: 2_592_000_000,
      logMaxRowsPerEndpoint: 10_000,
    },
    sources,
  };
}

export const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
