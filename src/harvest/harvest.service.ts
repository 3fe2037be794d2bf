/**
 * The harvest service: runs one harvest (or import) of one source under its lease
 * (`harvest-lease.ts`), pages through the source (or a saved file), has each page classified and
 * written (`page-writer.ts`), marks records missing from a complete full listing as removed when
 * the removal guard allows it (`removal-guard.ts`), and records the run.
 */
import type { SourceConfigBase } from '../config/config.js';
import { CanonicalSerializer } from '../domain/canonical.js';
import type { HarvestRun } from '../domain/trial.types.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { secretsOf } from '../sources/http/redact.js';
import { UpstreamClient } from '../sources/http/upstream-client.js';
import type {
  ImportFile,
  ListingEnd,
  PageStream,
  PreparedRecord,
  SourceAdapter,
  SourcePage,
} from '../sources/source.types.js';
import { databaseErrorOf } from '../store/dialect.js';
import {
  abandonRunningRuns,
  createRun,
  finishRun,
  getRun,
  heartbeatRun,
} from '../store/harvest-run.repository.js';
import { getSourceState, saveSourceCheckpoint, saveSourceSuccess } from '../store/source-state.repository.js';
import {
  countActiveTrials,
  countTrialsSeenInRun,
  findUnseenActiveTrials,
} from '../store/trial-seen.repository.js';
import { SourceLease, defaultHolder, heartbeatIntervalMs } from './harvest-lease.js';
import type { HarvestDeps, HarvestRequest } from './harvest.types.js';
import { DUPLICATE, PageWriter, UNSTORABLE_ID, WRITE_BATCH } from './page-writer.js';
import { pageReaderFor } from './page-reader.js';
import { classifyStoredChanges } from './classification-backfill.js';
import { backfillStoredSites } from './site-backfill.js';
import { ReadAhead } from './read-ahead.js';
import { removalRefusal } from './removal-guard.js';
import type { RunOutcome } from './run-outcome.js';
import { incomplete, listingOutcome, stoppedOutcome } from './run-outcome.js';
import { isStorableText, storableText } from './text-repair.js';

// What the edges that start runs use, where they have always found it.
export { defaultHolder } from './harvest-lease.js';
export type { HarvestDeps, HarvestProgress, HarvestRequest } from './harvest.types.js';

/**
 * Runs one harvest (or import) of one source to the end and returns its recorded run. Only one
 * harvest per source runs at a time across processes (a lease); a second one gets
 * HARVEST_IN_PROGRESS. Upstream and data errors end in a failed run record, not an exception.
 */
export async function runHarvest(deps: HarvestDeps, request: HarvestRequest): Promise<HarvestRun> {
  // A run that could never start is refused here, before a run is recorded: the source's last run
  // stays its last real one. A file that cannot be read at all is refused the same way (`firstPageOf`).
  const adapter = checkRunnable(deps, request.source, request.file === undefined ? 'harvest' : 'import');
  const now = deps.now ?? Date.now;
  const holder = deps.holder ?? defaultHolder();
  const { db } = deps.store;
  const stream =
    request.file === undefined
      ? undefined
      : await firstPageOf(adapter, request.file, new CanonicalSerializer(adapter.canonicalRules));
  const lease = await SourceLease.take(db, adapter.id, holder, deps.config.harvestLeaseTtlMs, now, deps.log);
  try {
    // We hold the lease, so any run of this source still marked running belongs to a dead process.
    await abandonRunningRuns(db, adapter.id, now());
    // Events recorded before typed changes existed get theirs (once; a no-op afterwards).
    const classified = await classifyStoredChanges(db, adapter);
    if (classified > 0) deps.log.info({ source: adapter.id, classified }, 'classified stored change events');
    // Trials stored before sites were kept get theirs (once; a no-op afterwards).
    const sited = await backfillStoredSites(db, adapter);
    if (sited > 0) deps.log.info({ source: adapter.id, trials: sited }, 'wrote the sites of stored trials');
    const runId = await createRun(db, {
      source: adapter.id,
      mode: request.mode,
      trigger: request.trigger,
      holder,
      now: now(),
      info: request.file === undefined ? {} : fileInfo(request.file),
    });
    request.onStarted?.(runId);
    await new HarvestJob(deps, adapter, request, runId, lease, now, stream).run();
    const run = await getRun(db, runId);
    if (run === undefined) throw new AppError('INTERNAL', `Run ${runId} vanished`);
    return run;
  } finally {
    await lease.release();
  }
}

/** One run: opens the listing, pages through it (its writes are `PageWriter`'s), then records the run. */
class HarvestJob extends PageWriter {
  pages = 0;
  lastHeartbeat = 0;
  /** The adapter's latest checkpoint whose page is written, until it is saved. */
  unsavedCheckpoint: Record<string, unknown> | undefined;
  expectedTotal: number | undefined;
  readonly sourceConfig: SourceConfigBase;
  readonly canonical: CanonicalSerializer;

  constructor(
    readonly deps: HarvestDeps,
    adapter: SourceAdapter<SourceConfigBase>,
    readonly request: HarvestRequest,
    runId: number,
    readonly lease: SourceLease,
    now: () => number,
    /** An import's listing, its first page already read (`firstPageOf`). */
    readonly fileStream?: PageStream,
  ) {
    super(deps.store, adapter, runId, now);
    const config = deps.config.sources[adapter.id];
    if (config === undefined)
      throw new AppError('SOURCE_NOT_FOUND', `Source ${adapter.id} has no configuration`);
    this.sourceConfig = config;
    this.canonical = new CanonicalSerializer(adapter.canonicalRules);
    this.lastHeartbeat = now();
  }

  async run(): Promise<void> {
    const signal = this.request.signal ?? new AbortController().signal;
    let outcome: RunOutcome;
    let end: ListingEnd | undefined;
    try {
      const previous = await getSourceState(this.db, this.adapter.id);
      const stream = this.open(previous.state, previous.lastSuccessAt, signal);
      end = await this.consume(stream, signal);
      outcome = listingOutcome(end);
      if (outcome.status === 'succeeded' && end.listing === 'full') {
        const refused = await this.removeUnseen();
        if (refused !== undefined) outcome = incomplete(refused);
      }
      if (outcome.status === 'succeeded' || outcome.status === 'skipped') {
        await saveSourceSuccess(this.db, this.adapter.id, {
          state: end.state ?? previous.state,
          runId: this.runId,
          now: this.now(),
        });
        this.unsavedCheckpoint = undefined;
      }
    } catch (caught) {
      // A database failure is recorded as what it is (unreachable, disk full), not as INTERNAL.
      const error = isAppError(caught)
        ? caught
        : (databaseErrorOf(caught, this.deps.store.dialect) ?? caught);
      outcome = stoppedOutcome(error, signal.aborted);
      if (!isAppError(error)) this.deps.log.error({ err: error, source: this.adapter.id }, 'harvest crashed');
    }
    // A run that did not succeed still keeps the adapter's last checkpoint (its pages are written).
    await this.saveCheckpoint().catch((error: unknown) =>
      this.deps.log.warn({ err: error, source: this.adapter.id }, 'could not save the source checkpoint'),
    );
    await finishRun(this.db, this.runId, {
      ...outcome,
      counts: this.counts,
      skippedReasons: this.skippedReasons,
      info: {
        ...(this.request.file === undefined ? {} : fileInfo(this.request.file)),
        ...(end?.info ?? {}),
        ...(this.expectedTotal === undefined ? {} : { expectedTotal: this.expectedTotal }),
        ...(this.repaired.records === 0 ? {} : { textRepaired: this.repaired }),
        pages: this.pages,
      },
      now: this.now(),
    });
  }

  open(state: Record<string, unknown>, lastSuccessAt: number | null, signal: AbortSignal): PageStream {
    if (this.fileStream !== undefined) return this.fileStream;
    const client = new UpstreamClient({
      source: this.adapter.id,
      config: this.sourceConfig.upstream,
      secrets: secretsOf(this.sourceConfig, this.adapter.secretKeys),
      signal,
      ...(this.deps.observer === undefined ? {} : { observer: this.deps.observer }),
    });
    return this.adapter.harvest({
      config: this.sourceConfig,
      mode: this.request.mode,
      state,
      lastSuccessAt,
      client,
      signal,
      log: this.deps.log,
      ...pageReaderFor(this.adapter, this.canonical),
    });
  }

  async consume(stream: PageStream, signal: AbortSignal): Promise<ListingEnd> {
    // The next page is fetched while this one is written (one page ahead, no more).
    const pages = new ReadAhead(stream);
    for (;;) {
      // Stop at a record boundary: pages already written stay written.
      if (signal.aborted) throw new AppError('HARVEST_INTERRUPTED', 'The harvest was interrupted');
      const next = await pages.next();
      if (next.done === true) {
        if (next.value.expectedTotal !== undefined) this.expectedTotal = next.value.expectedTotal;
        return next.value;
      }
      this.pages++;
      await this.processPage(next.value);
      if (next.value.checkpoint !== undefined) this.unsavedCheckpoint = next.value.checkpoint;
      await this.heartbeat(false);
    }
  }

  async processPage(page: SourcePage): Promise<void> {
    // A record skipped for its content still exists upstream: its id counts as seen (never removed).
    const skippedIds: string[] = [];
    for (const skipped of page.skipped ?? []) {
      this.skip(skipped.id, skipped.reason, false);
      if (skipped.id === null) this.unidentified++;
      else skippedIds.push(skipped.id);
    }
    if (page.presentIds !== undefined && page.presentIds.length > 0) await this.markPresent(page.presentIds);
    const prepared: PreparedRecord[] = [];
    // A duplicate of a record written by an earlier page is found by its seen mark (`write`); one
    // within this page, before anything of it is written, by this set.
    const pageIds = new Set<string>();
    const refuse = (id: string | null, reason: string): void => {
      this.skip(id, reason, true);
      if (id === null) this.unidentified++;
      else skippedIds.push(id);
    };
    const keep = (record: PreparedRecord): void => {
      const { id } = record.trial;
      if (!isStorableText(id)) {
        this.skip(storableText(id), UNSTORABLE_ID, true);
        this.unidentified++;
        return;
      }
      if (pageIds.has(id) || this.seenUnstored.has(id)) {
        this.skip(id, DUPLICATE, true);
        return;
      }
      pageIds.add(id);
      prepared.push(record);
    };
    for (const record of page.prepared ?? []) {
      this.counts.fetched++;
      keep(record);
    }
    for (const record of page.refused ?? []) {
      this.counts.fetched++;
      refuse(record.id, record.reason);
    }
    await this.markSkippedSeen(skippedIds.filter((id) => !pageIds.has(id)));

    for (let i = 0; i < prepared.length; i += WRITE_BATCH) {
      await this.write(prepared.slice(i, i + WRITE_BATCH));
    }
  }

  /**
   * After a complete full listing: marks active trials the run did not see as removed, unless that
   * would remove so many that the listing looks incomplete. Returns why removal was refused.
   */
  async removeUnseen(): Promise<string | undefined> {
    const { db } = this;
    const unseen = await findUnseenActiveTrials(db, this.adapter.id, this.runId);
    if (unseen.length === 0) return undefined;
    const refused = removalRefusal({
      unseen: unseen.length,
      unidentified: this.unidentified,
      counted:
        this.expectedTotal === undefined
          ? undefined
          : {
              expectedTotal: this.expectedTotal,
              distinctSeen: (await countTrialsSeenInRun(db, this.runId)) + this.seenUnstored.size,
            },
      file: this.request.file,
      active: await countActiveTrials(db, this.adapter.id),
    });
    if (refused !== undefined) return refused;
    await this.markRemoved(unseen);
    return undefined;
  }

  /** Saves the adapter's latest checkpoint, if one came since the last save. */
  async saveCheckpoint(): Promise<void> {
    const state = this.unsavedCheckpoint;
    if (state === undefined) return;
    await saveSourceCheckpoint(this.db, this.adapter.id, { state, now: this.now() });
    this.unsavedCheckpoint = undefined;
  }

  async heartbeat(force: boolean): Promise<void> {
    const now = this.now();
    this.request.onProgress?.({
      source: this.adapter.id,
      pages: this.pages,
      counts: { ...this.counts },
      ...(this.expectedTotal === undefined ? {} : { expectedTotal: this.expectedTotal }),
    });
    if (!force && now - this.lastHeartbeat < heartbeatIntervalMs(this.deps.config.harvestLeaseTtlMs)) return;
    this.lastHeartbeat = now;
    await heartbeatRun(this.db, this.runId, this.counts, now);
    if (!(await this.lease.renew(now))) {
      // The new holder owns the source's state from now on.
      this.unsavedCheckpoint = undefined;
      throw new AppError(
        'HARVEST_INTERRUPTED',
        `Lost the lease on ${this.adapter.id}: another process took over`,
      );
    }
    await this.saveCheckpoint();
  }
}

/**
 * Throws why this request cannot run at all, before anything is recorded: an unknown source, a
 * harvest of a source that is not enabled (SOURCES) or lacks a setting (a service key), or an
 * import into a source that takes no files. An import needs neither SOURCES nor a key: it reads no
 * upstream. Returns the source's adapter.
 */
export function checkRunnable(
  deps: Pick<HarvestDeps, 'config' | 'sources'>,
  source: string,
  kind: 'harvest' | 'import',
): SourceAdapter<SourceConfigBase> {
  const adapter = deps.sources.find((candidate) => candidate.id === source);
  if (adapter === undefined) {
    throw new AppError(
      'SOURCE_NOT_FOUND',
      `Unknown source "${source}" (known: ${deps.sources.map((a) => a.id).join(', ')})`,
    );
  }
  const config = deps.config.sources[adapter.id];
  if (config === undefined) {
    throw new AppError('SOURCE_NOT_FOUND', `Source ${adapter.id} has no configuration`);
  }
  if (kind === 'import') {
    if (adapter.readFile === undefined) {
      const importing = deps.sources.filter((candidate) => candidate.readFile !== undefined);
      throw new AppError(
        'IMPORT_UNREADABLE',
        `Source ${adapter.id} does not import files (the sources that do: ${importing.map((a) => a.id).join(', ')}); nothing was imported`,
      );
    }
    return adapter;
  }
  if (!config.enabled) {
    throw new AppError(
      'SOURCE_NOT_CONFIGURED',
      `Source ${adapter.id} is not enabled: add it to SOURCES to harvest it; nothing was harvested`,
    );
  }
  if (config.missing.length > 0) {
    throw new AppError(
      'SOURCE_NOT_CONFIGURED',
      `Source ${adapter.id} is not configured: set ${config.missing.join(', ')}; nothing was harvested`,
    );
  }
  return adapter;
}

/**
 * An import's listing with its first page already read: a file that cannot be read at all (not a
 * dataset of the source, bad bytes, an empty file) throws here, before a run is recorded, since
 * nothing of it would be written. Later pages fail the run as usual.
 */
async function firstPageOf(
  adapter: SourceAdapter<SourceConfigBase>,
  file: ImportFile,
  canonical: CanonicalSerializer,
): Promise<PageStream> {
  const stream = (adapter.readFile as NonNullable<SourceAdapter['readFile']>)(
    file,
    pageReaderFor(adapter, canonical),
  );
  const first = await stream.next();
  return (async function* replay(): PageStream {
    if (first.done === true) return first.value;
    yield first.value;
    return yield* stream;
  })();
}

/** What a run records about the file it imports. */
function fileInfo(file: ImportFile): Record<string, unknown> {
  return file.assumeComplete === true ? { file: file.name, assumeComplete: true } : { file: file.name };
}
