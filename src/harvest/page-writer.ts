/**
 * Writes what a harvest run learns, one transaction per batch (`applyBatch`): records classified
 * against what is stored (created / updated / unchanged / restored), ids listed without content,
 * ids of skipped records (kept from removal), and removals. Keeps the run's tallies: its counts,
 * skipped records, the ids it saw that the database cannot show, and its text repairs.
 */
import type { SourceConfigBase } from '../config/config.js';
import { canonicalize, diffCanonical } from '../domain/canonical.js';
import { eventClassification } from '../domain/change-classifier.js';
import type { ChangeClassification } from '../domain/change.types.js';
import type { HarvestCounts, MappedTrial, TrialFields, TrialSite } from '../domain/trial.types.js';
import type { PreparedRecord, SkippedRecord, SourceAdapter } from '../sources/source.types.js';
import { compressBytes } from '../store/compression.js';
import type { Store } from '../store/database.js';
import type { ContentChange, StateChange, TrialBatch } from '../store/trial.repository.js';
import { applyTrialBatch, loadTrialStates, loadVersionRaws, versionKey } from '../store/trial.repository.js';
import type { TextRepairs } from './text-repair.js';
import { classifyVersion } from './version-classification.js';
import { isStorableText, repairTree, storableText } from './text-repair.js';

/** Records written per transaction. */
export const WRITE_BATCH = 500;
export const DUPLICATE = 'duplicate: the same id appeared earlier in this harvest';
export const UNSTORABLE_ID =
  'the id holds a NUL or a lone UTF-16 surrogate (shown as U+FFFD), which no database stores as given';
/** Repaired records named in the run info at most. */
const MAX_REPAIRED_LISTED = 20;

function zeroCounts(): HarvestCounts {
  return { fetched: 0, created: 0, updated: 0, unchanged: 0, removed: 0, restored: 0, skipped: 0 };
}

/**
 * A fetched record ready to classify: its canonical tree is built only if it must be diffed. A
 * record read by `HarvestContext.readPage` comes as its JSON bytes (parsed again only for a diff).
 */
function rawOf(record: PreparedRecord): unknown {
  const { buffer, byteOffset, byteLength } = record.json;
  return JSON.parse(Buffer.from(buffer, byteOffset, byteLength).toString('utf8')) as unknown;
}

/** The writing half of one run of one source (the harvest job extends it with the paging). */
export class PageWriter {
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

  constructor(
    readonly store: Store,
    readonly adapter: SourceAdapter<SourceConfigBase>,
    readonly runId: number,
    readonly now: () => number,
  ) {}

  get db() {
    return this.store.db;
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
    await this.applyBatch(batch);
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
    await this.applyBatch({ content: [], state: [], seen });
  }

  skip(id: string | null, reason: string, fetched: boolean): void {
    if (!fetched) this.counts.fetched++;
    this.counts.skipped++;
    if (this.skippedReasons.length < 200) {
      this.skippedReasons.push({ id: id === null ? null : storableText(id), reason: storableText(reason) });
    }
  }

  /** Classifies records (at most `WRITE_BATCH`) against what is stored and writes them. */
  async write(records: PreparedRecord[]): Promise<void> {
    const { db } = this;
    const states = await loadTrialStates(
      db,
      records.map((record) => record.trial.id),
    );
    const batch: TrialBatch = { content: [], state: [], seen: [] };
    const content: ContentChange[] = [];
    const needDiff: PreparedRecord[] = [];
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
        content.push(this.contentChange('created', record, 1, null, eventClassification('created')));
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
        const previousRaw = previous.get(versionKey(state.id, state.version));
        const diff = diffCanonical(canonicalize(previousRaw, rules), canonicalize(rawOf(record), rules));
        const kind = state.removedAt === null ? 'updated' : 'restored';
        const classification = classifyVersion(this.adapter, previousRaw, record.trial, diff);
        content.push(this.contentChange(kind, record, state.version + 1, diff, classification));
      }
    }
    batch.content = content;
    await this.applyBatch(batch);
    for (const change of batch.content) this.counts[change.kind]++;
    for (const change of batch.state) this.counts[change.kind]++;
    this.counts.unchanged += batch.seen.length;
  }

  /** Marks trials of this source removed, `WRITE_BATCH` to a transaction. */
  async markRemoved(trials: readonly { id: string; version: number }[]): Promise<void> {
    for (let i = 0; i < trials.length; i += WRITE_BATCH) {
      const part = trials.slice(i, i + WRITE_BATCH);
      const state: StateChange[] = part.map((trial) => ({
        kind: 'removed',
        id: trial.id,
        source: this.adapter.id,
        version: trial.version,
      }));
      await this.applyBatch({ content: [], state, seen: [] });
      this.counts.removed += part.length;
    }
  }

  /** Every write of the run goes through here: one batch, one transaction, stamped with the run. */
  private async applyBatch(batch: TrialBatch): Promise<void> {
    const now = this.now();
    await this.db
      .transaction()
      .execute((trx) => applyTrialBatch(trx, this.store.dialect, batch, { runId: this.runId, now }));
  }

  /**
   * A new version, its raw record compressed here: gzip in line costs about a third of the CPU of
   * the same compression on libuv's pool (which sets up and tears down zlib state on another thread
   * for every record; bench/BASELINE.md), and the pool's threads compete for the same cores.
   */
  private contentChange(
    kind: ContentChange['kind'],
    record: PreparedRecord,
    version: number,
    diff: ContentChange['diff'],
    classification: ChangeClassification,
  ): ContentChange {
    const raw = compressBytes(record.json);
    return {
      kind,
      trial: this.storable(record.trial),
      version,
      contentHash: record.hash,
      raw,
      diff,
      classification,
    };
  }

  /**
   * The trial as both databases can store it: every NUL and lone surrogate in its text replaced by
   * U+FFFD, and where listed in `sourceFields.repairedText` (the raw record keeps the upstream's
   * bytes; the diff is stored as escaped JSON, which keeps them too). Only new versions pass here.
   */
  private storable(trial: MappedTrial): MappedTrial {
    const repairs: TextRepairs = { count: 0, paths: [] };
    const fields = repairTree(trial.fields, 'fields', repairs) as TrialFields;
    const sourceFields = repairTree(trial.sourceFields, 'sourceFields', repairs) as Record<string, unknown>;
    const aliases = repairTree(trial.aliases, 'aliases', repairs) as string[] | undefined;
    const sites = repairTree(trial.sites, 'sites', repairs) as TrialSite[] | undefined;
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
      ...(sites === undefined ? {} : { sites }),
    };
  }
}
