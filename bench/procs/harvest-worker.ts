/**
 * One harvest in its own process, so that its peak memory is its own: the config is built from an
 * environment exactly as the CLI builds it, the store is opened and migrated, and `runHarvest`
 * is timed from the call to the recorded run. Sizes and counts are read after the clock stops.
 *
 * With a `memory` source (the API scenario's seeding) the adapter's listing is replaced by pages
 * generated in memory (no HTTP), and the clock can be set back in time.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import { buildConfig } from '../../src/config/config.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import type { SourceAdapter } from '../../src/sources/source.types.js';
import { DEFAULT_SOURCES, SOURCE_ADAPTERS, sourceConfigParsers } from '../../src/sources/registry.js';
import type { Store } from '../../src/store/database.js';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import type { DatasetSpec } from '../dataset/dataset-spec.js';
import { CtgovGenerator } from '../dataset/ctgov-dataset.js';
import { krRecord } from '../dataset/kr-dataset.js';
import { ctgovFixtureIds, ctgovFixtureText } from '../../testkit/fake-ctgov.js';
import type { DatabaseSize } from '../support/databases.js';
import { databaseSize, databaseVersion } from '../support/databases.js';
import { stderrLog } from '../support/log.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';
import type { MemoryPeaks } from '../support/memory-sampler.js';
import { MemorySampler } from '../support/memory-sampler.js';

export interface HarvestCall {
  /** The environment the config is built from (DATABASE_URL, SOURCES, <SOURCE>_BASE_URL, …). */
  env: Record<string, string>;
  source: string;
  mode: 'full' | 'incremental';
  /** Pages generated in this process instead of the source's network listing (seeding only). */
  memory?: { spec: DatasetSpec; pageSize: number; clockMs: number };
}

export interface HarvestOutcome {
  run: HarvestRun;
  /** Milliseconds from the call to `runHarvest` to its return. */
  elapsedMs: number;
  /**
   * CPU milliseconds this process spent in that time (user + system, every thread: SQLite and zlib
   * included, a PostgreSQL server not). Less sensitive than `elapsedMs` to other work on the machine.
   */
  cpuMs: number;
  memory: MemoryPeaks & { highWaterSinceReset: boolean };
  /** Bytes: RSS of the loaded process just before the harvest (tsx adds about 50 MB to it). */
  rssBeforeBytes: number;
  versionsBefore: number;
  versionsAfter: number;
  changesAfter: number;
  trialsAfter: number;
  /** Size before the harvest (a migrated, empty database on the first harvest). */
  sizeBefore: DatabaseSize;
  sizeAfter: DatabaseSize;
  databaseVersion: string;
}

const log = stderrLog('harvest', 'warn');

async function count(store: Store, table: 'trial_versions' | 'changes' | 'trials'): Promise<number> {
  const rows = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    store.db,
  );
  return Number(rows.rows[0]?.n ?? 0);
}

/**
 * The source's adapter (its id, mapper and canonical rules unchanged) with its network listing
 * replaced by generated pages: kr-icreat records, or ClinicalTrials.gov studies parsed from the
 * generator's JSON as the client would parse them.
 */
function memoryAdapter(adapter: SourceAdapter, memory: NonNullable<HarvestCall['memory']>): SourceAdapter {
  const generator = adapter.id === 'ctgov' ? new CtgovGenerator() : undefined;
  const record = (spec: DatasetSpec, index: number): unknown =>
    generator === undefined ? krRecord(spec, index) : JSON.parse(generator.studyJson(spec, index));
  return {
    ...adapter,
    harvest: async function* (context) {
      const { spec, pageSize } = memory;
      for (let offset = 0; offset < spec.n; offset += pageSize) {
        const records: unknown[] = [];
        for (let i = offset; i < Math.min(spec.n, offset + pageSize); i++) records.push(record(spec, i));
        await Promise.resolve();
        yield context.prepare(records);
      }
      return { listing: 'full', complete: true, expectedTotal: spec.n, info: { generated: true } };
    },
  };
}

async function harvest(call: HarvestCall): Promise<HarvestOutcome> {
  const config = buildConfig(call.env, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  try {
    await migrateToLatest(store.db);
    const sqlitePath = config.database.kind === 'sqlite' ? config.database.path : undefined;
    const sizeBefore = await databaseSize(store, sqlitePath);
    const versionsBefore = await count(store, 'trial_versions');
    let sources: readonly SourceAdapter[] = SOURCE_ADAPTERS;
    let now: (() => number) | undefined;
    if (call.memory !== undefined) {
      const memory = call.memory;
      sources = SOURCE_ADAPTERS.map((adapter) =>
        adapter.id === call.source ? memoryAdapter(adapter, memory) : adapter,
      );
      const offset = memory.clockMs - Date.now();
      now = () => Date.now() + offset;
    }
    const rssBeforeBytes = process.memoryUsage.rss();
    const sampler = new MemorySampler().start(50);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const run = await runHarvest(
      { config, store, sources, log, holder: `bench:${process.pid}`, ...(now === undefined ? {} : { now }) },
      { source: call.source, mode: call.mode, trigger: 'manual' },
    );
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const memory = sampler.stop();
    return {
      run,
      elapsedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      memory,
      rssBeforeBytes,
      versionsBefore,
      versionsAfter: await count(store, 'trial_versions'),
      changesAfter: await count(store, 'changes'),
      trialsAfter: await count(store, 'trials'),
      sizeBefore,
      sizeAfter: await databaseSize(store, sqlitePath),
      databaseVersion: await databaseVersion(store),
    };
  } finally {
    await store.close();
  }
}

/**
 * The machine's reference for harvest figures, measured in the same kind of process: per real
 * ClinicalTrials.gov study, the least any harvest must do (parse the JSON, hash it, gzip it), as
 * studies/s over `durationMs`. Harvest rates are also given as ratios to it. It keeps gzip level 6,
 * the store's level before issue 5 (now RAW_GZIP_LEVEL), so that it stays comparable across runs.
 */
function reference(durationMs: number): { studiesPerSecond: number; studies: number } {
  const texts = ctgovFixtureIds().map((id) => ctgovFixtureText(id));
  let studies = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (const text of texts) {
      JSON.parse(text);
      createHash('sha256').update(text).digest('hex');
      gzipSync(Buffer.from(text, 'utf8'), { level: 6 });
      studies++;
    }
  }
  return { studiesPerSecond: studies / ((performance.now() - started) / 1000), studies };
}

answerCalls({
  harvest: (payload) => harvest(payload as HarvestCall),
  reference: (payload) => reference(Number(payload)),
});
exitWithParent();
sendReady({ pid: process.pid });
