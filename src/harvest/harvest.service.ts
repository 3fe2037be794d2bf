/**
 * The harvest service: pages through a source (or a saved file), classifies every record against
 * what is stored (created / updated / unchanged / restored), writes each page in one transaction,
 * marks records missing from a complete full listing as removed, and records the run.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AppConfig, SourceConfigBase } from '../config/config.js';
import type {
  HarvestCounts,
  HarvestMode,
  HarvestRun,
  HarvestStatus,
  HarvestTrigger,
  MappedTrial,
  TrialFields,
} from '../domain/trial.types.js';
import { AppError, isAppError, messageOf } from '../errors/app-error.js';
import { secretsOf } from '../sources/http/redact.js';
import type { UpstreamObserver } from '../sources/http/upstream-client.js';
import { UpstreamClient } from '../sources/http/upstream-client.js';
import type {
  ImportFile,
  ListingEnd,
  Logger,
  PageStream,
  SkippedRecord,
  SourceAdapter,
  SourcePage,
} from '../sources/source.types.js';
import { compressBytes, compressJson } from '../store/compression.js';
import type { Store } from '../store/database.js';
import { databaseErrorOf } from '../store/dialect.js';
import {
  abandonRunningRuns,
  createRun,
  finishRun,
  getRun,
  heartbeatRun,
} from '../store/harvest-run.repository.js';
import {
  acquireLease,
  getLease,
  releaseLease,
  renewLease,
  takeOverLease,
} from '../store/lease.repository.js';
import { getSourceState, saveSourceCheckpoint, saveSourceSuccess } from '../store/source-state.repository.js';
import type { ContentChange, StateChange, TrialBatch } from '../store/trial.repository.js';
import {
  applyTrialBatch,
  countActiveTrials,
  countTrialsSeenInRun,
  findUnseenActiveTrials,
  loadTrialStates,
  loadVersionRaws,
  versionKey,
} from '../store/trial.repository.js';
import { CanonicalSerializer, canonicalize, diffCanonical } from '../domain/canonical.js';
import { pageReaderFor } from './page-reader.js';
import { ReadAhead } from './read-ahead.js';
import type { TextRepairs } from './text-repair.js';
import { isStorableText, repairTree, storableText } from './text-repair.js';

/**
 * A full listing that saw fewer than this share of the source's active records looks incomplete:
 * nothing is removed (unless the user vouches for an imported file, `import --full`).
 */
export const REMOVAL_SAFEGUARD_RATIO = 0.5;
/** Progress (counts, heartbeat, lease renewal) is saved at most this often, and at least 3× per lease TTL. */
const MAX_HEARTBEAT_INTERVAL_MS = 5_000;

export function heartbeatIntervalMs(leaseTtlMs: number): number {
  return Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.floor(leaseTtlMs / 3));
}
/** Records written per transaction. */
const WRITE_BATCH = 500;
const DUPLICATE = 'duplicate: the same id appeared earlier in this harvest';
const UNSTORABLE_ID =
  'the id holds a NUL or a lone UTF-16 surrogate (shown as U+FFFD), which no database stores as given';
/** Repaired records named in the run info at most. */
const MAX_REPAIRED_LISTED = 20;

export interface HarvestProgress {
  source: string;
  pages: number;
  counts: HarvestCounts;
  expectedTotal?: number;
}

export interface HarvestDeps {
  config: AppConfig;
  store: Store;
  sources: readonly SourceAdapter<SourceConfigBase>[];
  log: Logger;
  /** Identifies this process in leases and run records. */
  holder?: string;
  now?: () => number;
  observer?: UpstreamObserver;
}

export interface HarvestRequest {
  source: string;
  mode: HarvestMode;
  trigger: HarvestTrigger;
  /** For `import`: the saved file to read instead of the network. */
  file?: ImportFile;
  signal?: AbortSignal;
  onProgress?: (progress: HarvestProgress) => void;
  /** Called once the run record exists (e.g. to answer 202 with its id). */
  onStarted?: (runId: number) => void;
}

/** `host:pid:random`: who holds a lease or runs a harvest. */
export function defaultHolder(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** Whether a holder id names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  if (host !== hostname() || pidText === undefined || !/^\d+$/.test(pidText)) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(pid);
}

/**
 * Whether a process has exited but not been reaped yet (Linux `/proc/PID/stat` state Z): a killed
 * harvest process whose server died with it stays so until init collects it, and never renews.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

export function leaseName(source: string): string {
  return `harvest:${source}`;
}

function zeroCounts(): HarvestCounts {
  return { fetched: 0, created: 0, updated: 0, unchanged: 0, removed: 0, restored: 0, skipped: 0 };
}

/**
 * A fetched record ready to classify: its canonical tree is built only if it must be diffed. A
 * record read by `HarvestContext.readPage` comes as its JSON bytes (parsed again only for a diff).
 */
type Prepared = { trial: MappedTrial; hash: string } & (
  { raw: unknown; json?: undefined } | { raw?: undefined; json: Uint8Array }
);

function rawOf(record: Prepared): unknown {
  if (record.json === undefined) return record.raw;
  const { buffer, byteOffset, byteLength } = record.json;
  return JSON.parse(Buffer.from(buffer, byteOffset, byteLength).toString('utf8')) as unknown;
}

/**
 * Runs one harvest (or import) of one source to the end and returns its recorded run. Only one
 * harvest per source runs at a time across processes (a lease); a second one gets
 * HARVEST_IN_PROGRESS. Upstream and data errors end in a failed run record, not an exception.
 */
export async function runHarvest(deps: HarvestDeps, request: HarvestRequest): Promise<HarvestRun> {
  const adapter = deps.sources.find((candidate) => candidate.id === request.source);
  if (adapter === undefined) {
    throw new AppError('SOURCE_NOT_FOUND', `Unknown source "${request.source}"`);
  }
  const now = deps.now ?? Date.now;
  const holder = deps.holder ?? defaultHolder();
  const { db } = deps.store;
  const lease = leaseName(adapter.id);
  const ttl = deps.config.harvestLeaseTtlMs;
  if (!(await acquireLease(db, lease, holder, ttl, now()))) {
    const current = await getLease(db, lease);
    // A holder on this host whose process is gone will never renew: take its lease now.
    const dead = current !== undefined && isDeadLocalHolder(current.holder);
    if (!dead || !(await takeOverLease(db, lease, current.holder, holder, ttl, now()))) {
      throw new AppError('HARVEST_IN_PROGRESS', `A harvest of ${adapter.id} is already running`);
    }
    deps.log.warn(
      { source: adapter.id, previousHolder: current.holder },
      'took over the lease of a stopped process',
    );
  }
  try {
    // We hold the lease, so any run of this source still marked running belongs to a dead process.
    await abandonRunningRuns(db, adapter.id, now());
    const runId = await createRun(db, {
      source: adapter.id,
      mode: request.mode,
      trigger: request.trigger,
      holder,
      now: now(),
      info: request.file === undefined ? {} : fileInfo(request.file),
    });
    request.onStarted?.(runId);
    await new HarvestJob(deps, adapter, request, runId, holder, now).run();
    const run = await getRun(db, runId);
    if (run === undefined) throw new AppError('INTERNAL', `Run ${runId} vanished`);
    return run;
  } finally {
    await releaseLease(db, lease, holder).catch(() => undefined);
  }
}

class HarvestJob {
  readonly counts = zeroCounts();
  readonly skippedReasons: SkippedRecord[] = [];
  /**
   * Ids seen in this run that `trial_seen` cannot show (records skipped without a stored trial of
   * this source, ids listed before they are stored): as few as the upstream has bad records. Every
   * other id this run saw is in the database, as `trial_seen.last_seen_run_id` = this run, so the
   * run's memory does not grow with the registry.
   */
  readonly seenUnstored = new Set<string>();
  /** Records skipped without a readable id: the listing cannot prove what is gone. */
  unidentified = 0;
  /** Records stored with text repaired (`text-repair.ts`), for the run info. */
  readonly repaired = { records: 0, listed: [] as { id: string; count: number; paths: string[] }[] };
  pages = 0;
  lastHeartbeat = 0;
  /** The adapter's latest checkpoint whose page is written, until it is saved. */
  unsavedCheckpoint: Record<string, unknown> | undefined;
  expectedTotal: number | undefined;
  readonly sourceConfig: SourceConfigBase;
  readonly canonical: CanonicalSerializer;

  constructor(
    readonly deps: HarvestDeps,
    readonly adapter: SourceAdapter<SourceConfigBase>,
    readonly request: HarvestRequest,
    readonly runId: number,
    readonly holder: string,
    readonly now: () => number,
  ) {
    const config = deps.config.sources[adapter.id];
    if (config === undefined)
      throw new AppError('SOURCE_NOT_FOUND', `Source ${adapter.id} has no configuration`);
    this.sourceConfig = config;
    this.canonical = new CanonicalSerializer(adapter.canonicalRules);
    this.lastHeartbeat = now();
  }

  get db() {
    return this.deps.store.db;
  }

  async run(): Promise<void> {
    const signal = this.request.signal ?? new AbortController().signal;
    let status: Exclude<HarvestStatus, 'running'> = 'succeeded';
    let errorCode: string | null = null;
    let errorMessage: string | null = null;
    let end: ListingEnd | undefined;
    try {
      const previous = await getSourceState(this.db, this.adapter.id);
      const stream = this.open(previous.state, previous.lastSuccessAt, signal);
      end = await this.consume(stream, signal);
      if (end.skippedBecause !== undefined) {
        status = 'skipped';
        errorMessage = end.skippedBecause;
      } else if (!end.complete) {
        status = 'partial';
        errorCode = 'HARVEST_INCOMPLETE';
        errorMessage = `Incomplete harvest, nothing removed: ${end.incompleteReason ?? 'the counts do not add up'}`;
      } else if (end.listing === 'full') {
        const refused = await this.removeUnseen();
        if (refused !== undefined) {
          status = 'partial';
          errorCode = 'HARVEST_INCOMPLETE';
          errorMessage = refused;
        }
      }
      if (status === 'succeeded' || status === 'skipped') {
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
      const interrupted = signal.aborted || (isAppError(error) && error.code === 'HARVEST_INTERRUPTED');
      status = interrupted ? 'interrupted' : 'failed';
      errorCode = isAppError(error) ? error.code : 'INTERNAL';
      errorMessage = interrupted
        ? 'The harvest was interrupted (shutdown or lost lease)'
        : storableText(messageOf(error));
      if (!isAppError(error)) this.deps.log.error({ err: error, source: this.adapter.id }, 'harvest crashed');
    }
    // A run that did not succeed still keeps the adapter's last checkpoint (its pages are written).
    await this.saveCheckpoint().catch((error: unknown) =>
      this.deps.log.warn({ err: error, source: this.adapter.id }, 'could not save the source checkpoint'),
    );
    await finishRun(this.db, this.runId, {
      status,
      counts: this.counts,
      skippedReasons: this.skippedReasons,
      errorCode,
      errorMessage,
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
    if (this.request.file !== undefined) {
      if (this.adapter.readFile === undefined) {
        throw new AppError('IMPORT_UNREADABLE', `Source ${this.adapter.id} cannot import files`);
      }
      return this.adapter.readFile(this.request.file, pageReaderFor(this.adapter, this.canonical));
    }
    if (!this.sourceConfig.enabled && this.request.trigger === 'schedule') {
      throw new AppError('SOURCE_NOT_CONFIGURED', `Source ${this.adapter.id} is not enabled (SOURCES)`);
    }
    if (this.sourceConfig.missing.length > 0) {
      throw new AppError(
        'SOURCE_NOT_CONFIGURED',
        `Source ${this.adapter.id} is not configured: set ${this.sourceConfig.missing.join(', ')}`,
      );
    }
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
    const prepared: Prepared[] = [];
    // A duplicate of a record written by an earlier page is found by its seen mark (`write`); one
    // within this page, before anything of it is written, by this set.
    const pageIds = new Set<string>();
    const refuse = (id: string | null, reason: string): void => {
      this.skip(id, reason, true);
      if (id === null) this.unidentified++;
      else skippedIds.push(id);
    };
    const keep = (record: Prepared): void => {
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
   * Id-only listing: known active ids are seen, known removed ones restored, unknown ones skipped.
   * Ids this run already saw (with content, or earlier in the listing) are passed over.
   */
  async markPresent(ids: readonly string[]): Promise<void> {
    const fresh: string[] = [];
    for (const id of new Set(ids)) {
      if (this.seenUnstored.has(id)) continue;
      if (isStorableText(id)) fresh.push(id);
      else {
        this.skip(storableText(id), UNSTORABLE_ID, false);
        this.unidentified++;
      }
    }
    const states = await loadTrialStates(this.db, fresh);
    const batch: TrialBatch = { content: [], state: [], seen: [] };
    for (const id of fresh) {
      const state = states.get(id);
      // Already seen in this run (with content, or earlier in the id listing): nothing more to learn.
      if (state?.source === this.adapter.id && state.lastSeenRunId === this.runId) continue;
      this.counts.fetched++;
      if (state === undefined || state.source !== this.adapter.id) {
        this.seenUnstored.add(id);
        this.skip(id, 'listed by id only and not stored yet: a content harvest will fetch it', true);
      } else if (state.removedAt === null) batch.seen.push(id);
      else batch.state.push({ kind: 'restored', id, source: state.source, version: state.version });
    }
    const now = this.now();
    await this.db
      .transaction()
      .execute((trx) => applyTrialBatch(trx, this.deps.store.dialect, batch, { runId: this.runId, now }));
    this.counts.restored += batch.state.length;
    this.counts.unchanged += batch.seen.length;
  }

  /** Keeps active trials whose upstream record was skipped (unreadable, wrong types) from removal. */
  async markSkippedSeen(ids: readonly string[]): Promise<void> {
    const fresh: string[] = [];
    for (const id of new Set(ids)) {
      if (this.seenUnstored.has(id)) continue;
      // Not a key either database can look up: the record is as good as one without an id.
      if (isStorableText(id)) fresh.push(id);
      else this.unidentified++;
    }
    if (fresh.length === 0) return;
    const states = await loadTrialStates(this.db, fresh);
    const seen: string[] = [];
    for (const id of fresh) {
      const state = states.get(id);
      if (state === undefined || state.source !== this.adapter.id || state.removedAt !== null) {
        this.seenUnstored.add(id);
      } else if (state.lastSeenRunId !== this.runId) seen.push(id);
    }
    if (seen.length === 0) return;
    const now = this.now();
    await this.db
      .transaction()
      .execute((trx) =>
        applyTrialBatch(
          trx,
          this.deps.store.dialect,
          { content: [], state: [], seen },
          { runId: this.runId, now },
        ),
      );
  }

  skip(id: string | null, reason: string, fetched: boolean): void {
    if (!fetched) this.counts.fetched++;
    this.counts.skipped++;
    if (this.skippedReasons.length < 200) {
      this.skippedReasons.push({ id: id === null ? null : storableText(id), reason: storableText(reason) });
    }
  }

  async write(records: Prepared[]): Promise<void> {
    const { db } = this;
    const states = await loadTrialStates(
      db,
      records.map((record) => record.trial.id),
    );
    const batch: TrialBatch = { content: [], state: [], seen: [] };
    const content: ContentChange[] = [];
    const needDiff: Prepared[] = [];
    for (const record of records) {
      const state = states.get(record.trial.id);
      if (state !== undefined && state.source !== record.trial.source) {
        this.seenUnstored.add(record.trial.id);
        this.skip(record.trial.id, `id already belongs to source ${state.source}`, true);
        continue;
      }
      if (state?.lastSeenRunId === this.runId) {
        this.skip(record.trial.id, DUPLICATE, true);
        continue;
      }
      if (state === undefined) {
        content.push(this.contentChange('created', record, 1, null));
      } else if (state.contentHash === record.hash) {
        if (state.removedAt === null) batch.seen.push(record.trial.id);
        else
          batch.state.push({ kind: 'restored', id: state.id, source: state.source, version: state.version });
      } else {
        needDiff.push(record);
      }
    }
    if (needDiff.length > 0) {
      const previous = await loadVersionRaws(
        db,
        needDiff.map((record) => ({ id: record.trial.id, version: states.get(record.trial.id)!.version })),
      );
      const rules = this.adapter.canonicalRules;
      for (const record of needDiff) {
        const state = states.get(record.trial.id)!;
        const before = canonicalize(previous.get(versionKey(state.id, state.version)), rules);
        const diff = diffCanonical(before, canonicalize(rawOf(record), rules));
        const kind = state.removedAt === null ? 'updated' : 'restored';
        content.push(this.contentChange(kind, record, state.version + 1, diff));
      }
    }
    batch.content = content;
    const now = this.now();
    await db
      .transaction()
      .execute((trx) => applyTrialBatch(trx, this.deps.store.dialect, batch, { runId: this.runId, now }));
    for (const change of batch.content) this.counts[change.kind]++;
    for (const change of batch.state) this.counts[change.kind]++;
    this.counts.unchanged += batch.seen.length;
  }

  /**
   * A new version, its raw record compressed here: gzip in line costs about a third of the CPU of
   * the same compression on libuv's pool (which sets up and tears down zlib state on another thread
   * for every record; bench/BASELINE.md), and the pool's threads compete for the same cores.
   */
  contentChange(
    kind: ContentChange['kind'],
    record: Prepared,
    version: number,
    diff: ContentChange['diff'],
  ): ContentChange {
    const raw = record.json === undefined ? compressJson(record.raw) : compressBytes(record.json);
    return { kind, trial: this.storable(record.trial), version, contentHash: record.hash, raw, diff };
  }

  /**
   * The trial as both databases can store it: every NUL and lone surrogate in its text replaced by
   * U+FFFD, and where listed in `sourceFields.repairedText` (the raw record keeps the upstream's
   * bytes; the diff is stored as escaped JSON, which keeps them too). Only new versions pass here.
   */
  storable(trial: MappedTrial): MappedTrial {
    const repairs: TextRepairs = { count: 0, paths: [] };
    const fields = repairTree(trial.fields, 'fields', repairs) as TrialFields;
    const sourceFields = repairTree(trial.sourceFields, 'sourceFields', repairs) as Record<string, unknown>;
    const aliases = repairTree(trial.aliases, 'aliases', repairs) as string[] | undefined;
    if (repairs.count === 0) return trial;
    this.repaired.records++;
    if (this.repaired.listed.length < MAX_REPAIRED_LISTED) {
      this.repaired.listed.push({ id: trial.id, ...repairs });
    }
    return {
      ...trial,
      fields,
      sourceFields: { ...sourceFields, repairedText: repairs },
      ...(aliases === undefined ? {} : { aliases }),
    };
  }

  /**
   * After a complete full listing: marks active trials the run did not see as removed, unless that
   * would remove so many that the listing looks incomplete. Returns why removal was refused.
   */
  async removeUnseen(): Promise<string | undefined> {
    const { db } = this;
    const { file } = this.request;
    const unseen = await findUnseenActiveTrials(db, this.adapter.id, this.runId);
    if (unseen.length === 0) return undefined;
    if (this.unidentified > 0) {
      return `The listing held ${this.unidentified} record(s) without a readable id, so it cannot show what is gone; nothing was removed`;
    }
    if (this.expectedTotal !== undefined) {
      const distinct = (await countTrialsSeenInRun(db, this.runId)) + this.seenUnstored.size;
      if (distinct < this.expectedTotal) {
        return `The listing held ${distinct} distinct ids where the upstream counts ${this.expectedTotal}; nothing was removed`;
      }
    }
    const vouched = file?.assumeComplete === true;
    // A file without the upstream's count (a CSV download) cut at a line end reads like a whole
    // file that lacks the rest: no share of the active set tells the two apart (a cut keeping 70%
    // of the rows is as plausible as one keeping 30%), so only the user's word removes anything.
    if (file !== undefined && this.expectedTotal === undefined && !vouched) {
      return `${file.name} carries no count of the upstream's records, so it cannot show that the ${unseen.length} active trial(s) it lacks are gone rather than cut off; nothing was removed (if the file is the whole dataset, import it with --full)`;
    }
    const active = await countActiveTrials(db, this.adapter.id);
    const seenActive = active - unseen.length;
    if (!vouched && seenActive < active * REMOVAL_SAFEGUARD_RATIO) {
      return `The listing held ${seenActive} of ${active} active records; removing ${unseen.length} would be unsafe, so nothing was removed${file === undefined ? '' : ' (if the file is the whole dataset, import it with --full)'}`;
    }
    for (let i = 0; i < unseen.length; i += WRITE_BATCH) {
      const part = unseen.slice(i, i + WRITE_BATCH);
      const state: StateChange[] = part.map((trial) => ({
        kind: 'removed',
        id: trial.id,
        source: this.adapter.id,
        version: trial.version,
      }));
      const now = this.now();
      await db
        .transaction()
        .execute((trx) =>
          applyTrialBatch(
            trx,
            this.deps.store.dialect,
            { content: [], state, seen: [] },
            { runId: this.runId, now },
          ),
        );
      this.counts.removed += part.length;
    }
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
    if (
      !(await renewLease(
        this.db,
        leaseName(this.adapter.id),
        this.holder,
        this.deps.config.harvestLeaseTtlMs,
        now,
      ))
    ) {
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

/** What a run records about the file it imports. */
function fileInfo(file: ImportFile): Record<string, unknown> {
  return file.assumeComplete === true ? { file: file.name, assumeComplete: true } : { file: file.name };
}
