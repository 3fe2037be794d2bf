/**
 * Write side of trials: the current-state lookups and counts the harvest needs, and the atomic
 * application of a batch of changes (trial row, version, change event together). Read queries for
 * the API live in trial-query.repository.ts and its neighbours (walk, version, change, link, count).
 */
import type { Transaction } from 'kysely';
import type { ChangeKind, FieldChange, MappedTrial } from '../domain/trial.types.js';
import { linkedRegistryIds } from '../domain/trial.types.js';
import type { ChangeClassification } from '../domain/change.types.js';
import { eventClassification } from '../domain/change-classifier.js';
import { insertClassifications } from './change-columns.js';
import { decompressJson } from './compression.js';
import type { Db } from './database.js';
import type { DialectInfo } from './dialect.js';
import { lockChangeFeed } from './dialect.js';
import type { Database, TrialsTable } from './schema.js';
import { replaceSites } from './site.repository.js';
import { replaceFilterValues } from './trial-filter.repository.js';

/** What the harvest needs to know about a stored trial to classify a fetched record. */
export interface TrialState {
  id: string;
  source: string;
  version: number;
  contentHash: string;
  removedAt: number | null;
  /** The run that last saw the trial (`trial_seen`): this run's id means it was already seen in this run. */
  lastSeenRunId: number | null;
}

/** Parameters per statement stay well under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function loadTrialStates(db: Db, ids: readonly string[]): Promise<Map<string, TrialState>> {
  const states = new Map<string, TrialState>();
  for (const part of chunks(ids)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('trials as t')
      .leftJoin('trial_seen as s', 's.trial_id', 't.id')
      .select(['t.id', 't.source', 't.version', 't.content_hash', 't.removed_at', 's.last_seen_run_id'])
      .where('t.id', 'in', part)
      .execute();
    for (const row of rows) {
      states.set(row.id, {
        id: row.id,
        source: row.source,
        version: row.version,
        contentHash: row.content_hash,
        removedAt: row.removed_at,
        lastSeenRunId: row.last_seen_run_id === null ? null : Number(row.last_seen_run_id),
      });
    }
  }
  return states;
}

/** The raw upstream records of the given versions (to diff a new version against its predecessor). */
export async function loadVersionRaws(
  db: Db,
  keys: readonly { id: string; version: number }[],
): Promise<Map<string, unknown>> {
  const raws = new Map<string, unknown>();
  for (const part of chunks(keys)) {
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('trial_versions')
      .select(['trial_id', 'version', 'raw'])
      .where((eb) =>
        eb.or(part.map((key) => eb.and([eb('trial_id', '=', key.id), eb('version', '=', key.version)]))),
      )
      .execute();
    for (const row of rows) raws.set(`${row.trial_id}\u0000${row.version}`, decompressJson(row.raw));
  }
  return raws;
}

export function versionKey(id: string, version: number): string {
  return `${id}\u0000${version}`;
}

/** A new immutable version of a trial (created, updated, or restored with new content). */
export interface ContentChange {
  kind: Extract<ChangeKind, 'created' | 'updated' | 'restored'>;
  trial: MappedTrial;
  version: number;
  contentHash: string;
  /** gzip-compressed raw record. */
  raw: Buffer;
  /** Null for version 1. */
  diff: FieldChange[] | null;
  /** What the update changed, typed (for version 1: the created event's). */
  classification: ChangeClassification;
}

/** A state change without new content: removed, or restored unchanged. */
export interface StateChange {
  kind: Extract<ChangeKind, 'removed' | 'restored'>;
  id: string;
  source: string;
  version: number;
}

export interface TrialBatch {
  content: ContentChange[];
  state: StateChange[];
  /** Ids fetched unchanged: only their seen marks (`trial_seen`) move. */
  seen: string[];
}

function trialColumns(
  trial: MappedTrial,
): Omit<
  TrialsTable,
  | 'id'
  | 'version'
  | 'content_hash'
  | 'first_seen_at'
  | 'last_seen_at'
  | 'last_changed_at'
  | 'change_seq'
  | 'removed_at'
  | 'last_seen_run_id'
> {
  const f = trial.fields;
  return {
    source: trial.source,
    title: f.title,
    title_en: f.titleEn,
    status: f.status,
    phase: f.phase,
    study_type: f.studyType,
    institution: f.institution,
    department: f.department,
    enrollment: f.enrollment,
    has_results: f.hasResults === null ? null : f.hasResults ? 1 : 0,
    source_updated_at: f.sourceUpdatedAt,
    doc: JSON.stringify({ fields: f, sourceFields: trial.sourceFields }),
  };
}

async function appendChange(
  trx: Transaction<Database>,
  change: {
    trialId: string;
    source: string;
    version: number;
    kind: ChangeKind;
    paths: string[];
    classification: ChangeClassification;
  },
  context: { runId: number | null; now: number },
): Promise<number> {
  const row = await trx
    .insertInto('changes')
    .values({
      trial_id: change.trialId,
      source: change.source,
      version: change.version,
      kind: change.kind,
      paths: JSON.stringify(change.paths),
      occurred_at: context.now,
      run_id: context.runId,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  await insertClassifications(trx, [{ seq: row.seq, classification: change.classification }]);
  return row.seq;
}

/**
 * Applies one batch atomically: for each content change a version row, a change event, the
 * trial row, its sites and its filter values; for each state change an event and the trial row; for unchanged records the seen
 * marks. The caller owns the transaction (one per batch; a crash leaves whole records only).
 *
 * Content changes are written with one multi-row statement per table and chunk (versions, events,
 * new trials, links) rather than one per record: on PostgreSQL every statement is a round trip,
 * and on both databases building a statement costs about as much as running it. Events get their
 * sequence numbers in batch order, as before.
 */
export async function applyTrialBatch(
  trx: Transaction<Database>,
  dialect: DialectInfo,
  batch: TrialBatch,
  context: { runId: number | null; now: number },
): Promise<void> {
  const { now } = context;
  if (batch.content.length > 0 || batch.state.length > 0) await lockChangeFeed(trx, dialect);
  for (const part of chunks(batch.content)) await applyContentChanges(trx, part, context);
  for (const change of batch.state) {
    const seq = await appendChange(
      trx,
      {
        trialId: change.id,
        source: change.source,
        version: change.version,
        kind: change.kind,
        paths: [],
        classification: eventClassification(change.kind),
      },
      context,
    );
    await trx
      .updateTable('trials')
      .set(
        change.kind === 'removed'
          ? { removed_at: now, last_changed_at: now, change_seq: seq }
          : { removed_at: null, last_changed_at: now, change_seq: seq },
      )
      .where('id', '=', change.id)
      .execute();
  }
  const restored = batch.state.filter((change) => change.kind === 'restored').map((change) => change.id);
  await markSeen(trx, [...batch.seen, ...restored], context);
}

/** Moves the seen marks of trials that exist (every stored trial has its `trial_seen` row). */
async function markSeen(
  trx: Transaction<Database>,
  ids: readonly string[],
  context: { runId: number | null; now: number },
): Promise<void> {
  for (const part of chunks(ids)) {
    if (part.length === 0) continue;
    await trx
      .updateTable('trial_seen')
      .set({ last_seen_at: context.now, last_seen_run_id: context.runId })
      .where('trial_id', 'in', part)
      .execute();
  }
}

/** Content changes of distinct trials (a batch holds each trial once), at most `CHUNK` of them. */
async function applyContentChanges(
  trx: Transaction<Database>,
  part: readonly ContentChange[],
  context: { runId: number | null; now: number },
): Promise<void> {
  if (part.length === 0) return;
  const { runId, now } = context;
  await trx
    .insertInto('trial_versions')
    .values(
      part.map((change) => ({
        trial_id: change.trial.id,
        version: change.version,
        content_hash: change.contentHash,
        observed_at: now,
        run_id: runId,
        diff: change.diff === null ? null : JSON.stringify(change.diff),
        source_updated_at: change.trial.fields.sourceUpdatedAt,
        raw: change.raw,
      })),
    )
    .execute();
  const events = await trx
    .insertInto('changes')
    .values(
      part.map((change) => ({
        trial_id: change.trial.id,
        source: change.trial.source,
        version: change.version,
        kind: change.kind,
        paths: JSON.stringify((change.diff ?? []).map((item) => item.path)),
        occurred_at: now,
        run_id: runId,
      })),
    )
    .returning(['seq', 'trial_id'])
    .execute();
  // Matched by trial id rather than by position: neither database promises RETURNING's row order.
  const seqs = new Map(events.map((event) => [event.trial_id, event.seq]));
  const seqOf = (id: string): number => {
    const seq = seqs.get(id);
    if (seq === undefined || seqs.size !== part.length) {
      throw new Error(`Change events of a batch do not match its ${part.length} trials (at ${id})`);
    }
    return seq;
  };
  await insertClassifications(
    trx,
    part.map((change) => ({ seq: seqOf(change.trial.id), classification: change.classification })),
  );
  const created = part.filter((change) => change.kind === 'created');
  if (created.length > 0) {
    await trx
      .insertInto('trials')
      .values(
        created.map(({ trial, version, contentHash }) => ({
          id: trial.id,
          ...trialColumns(trial),
          version,
          content_hash: contentHash,
          first_seen_at: now,
          last_seen_at: now,
          last_changed_at: now,
          change_seq: seqOf(trial.id),
          removed_at: null,
          last_seen_run_id: runId,
        })),
      )
      .execute();
    // A row left by a trial deleted by hand is taken over, not a conflict.
    await trx
      .insertInto('trial_seen')
      .values(
        created.map(({ trial }) => ({ trial_id: trial.id, last_seen_at: now, last_seen_run_id: runId })),
      )
      .onConflict((oc) => oc.column('trial_id').doUpdateSet({ last_seen_at: now, last_seen_run_id: runId }))
      .execute();
  }
  for (const change of part) {
    if (change.kind === 'created') continue;
    const { trial } = change;
    await trx
      .updateTable('trials')
      .set({
        ...trialColumns(trial),
        version: change.version,
        content_hash: change.contentHash,
        last_changed_at: now,
        change_seq: seqOf(trial.id),
        removed_at: null,
      })
      .where('id', '=', trial.id)
      .execute();
  }
  await markSeen(
    trx,
    part.filter((change) => change.kind !== 'created').map((change) => change.trial.id),
    context,
  );
  await replaceLinksAndAliases(
    trx,
    part.map((change) => change.trial),
    now,
  );
  await replaceSites(
    trx,
    part.map((change) => change.trial),
  );
  await replaceFilterValues(
    trx,
    part.map((change) => change.trial),
  );
}

/** Keeps the trials' cross-registry links and merged-id aliases in step with their current versions. */
async function replaceLinksAndAliases(
  trx: Transaction<Database>,
  trials: readonly MappedTrial[],
  now: number,
): Promise<void> {
  await trx
    .deleteFrom('trial_links')
    .where(
      'trial_id',
      'in',
      trials.map((trial) => trial.id),
    )
    .execute();
  const links = trials.flatMap((trial) =>
    linkedRegistryIds(trial).map((id) => ({
      trial_id: trial.id,
      linked_id: id,
      relation: 'secondary-id',
      recorded_at: now,
    })),
  );
  for (const part of chunks(links)) {
    if (part.length > 0) await trx.insertInto('trial_links').values(part).execute();
  }
  // One statement per alias, in batch order: when two trials claim the same alias, the last wins.
  for (const trial of trials) {
    for (const alias of trial.aliases ?? []) {
      if (alias === trial.id) continue;
      await trx
        .insertInto('trial_aliases')
        .values({ alias, trial_id: trial.id, recorded_at: now })
        .onConflict((oc) => oc.column('alias').doUpdateSet({ trial_id: trial.id, recorded_at: now }))
        .execute();
    }
  }
}
