/** The change feed: its newest position (where a walk is pinned), a trial's events, feed pages. */
import type { CompiledQuery } from 'kysely';
import type { ChangeKind } from '../domain/trial.types.js';
import type { ChangeEvent, ChangeFilter } from '../domain/trial-read.types.js';
import type { ChangeClassification } from '../domain/change.types.js';
import { classificationOf, insertClassifications } from './change-columns.js';
import { compiledOnce } from './compiled-once.js';
import { contentConditions, searchOf } from './trial-filter.sql.js';
import type { Db } from './database.js';
import type { ChangeRow } from './schema.js';
import { parseJsonOr } from './trial-rows.js';

type ClassifiedRow = ChangeRow & { material: number | null; classification: string | null };

function toChangeEvent(row: ClassifiedRow): ChangeEvent {
  return {
    seq: row.seq,
    trialId: row.trial_id,
    source: row.source,
    version: row.version,
    kind: row.kind as ChangeKind,
    paths: parseJsonOr<string[]>(row.paths, []),
    occurredAt: row.occurred_at,
    runId: row.run_id,
    classification: classificationOf(row),
  };
}

/** Change events with their classification (null columns where an event has none yet). */
function classifiedChanges(db: Db) {
  return db
    .selectFrom('changes as c')
    .leftJoin('change_classes as k', 'k.seq', 'c.seq')
    .selectAll('c')
    .select(['k.material', 'k.classification']);
}

/** The newest change-feed position (0 when the feed is empty): where a new walk is pinned. */
const latestChangeSeqQuery = compiledOnce((db) =>
  db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .compile(),
);

export async function latestChangeSeq(db: Db): Promise<number> {
  const row = (await db.executeQuery(latestChangeSeqQuery(db, []))).rows[0];
  return row?.seq == null ? 0 : Number(row.seq);
}

/** Every change event of one trial, oldest first. */
export async function listTrialEvents(db: Db, trialId: string): Promise<ChangeEvent[]> {
  const rows = await classifiedChanges(db)
    .where('c.trial_id', '=', trialId)
    .orderBy('c.seq', 'asc')
    .execute();
  return rows.map(toChangeEvent);
}

/** `findChangesBySeq`'s query for n positions, compiled once per n (a list page asks for its page size). */
const changesBySeqQueries = new WeakMap<Db, Map<number, CompiledQuery<ClassifiedRow>>>();
const CHANGES_BY_SEQ_COMPILED_MAX = 1_000;

function changesBySeqQuery(db: Db, seqs: readonly number[]): CompiledQuery<ClassifiedRow> {
  const build = () =>
    classifiedChanges(db)
      .where(
        'c.seq',
        'in',
        seqs.map(() => 0),
      )
      .compile();
  if (seqs.length > CHANGES_BY_SEQ_COMPILED_MAX) return { ...build(), parameters: seqs };
  let byCount = changesBySeqQueries.get(db);
  if (byCount === undefined) {
    byCount = new Map();
    changesBySeqQueries.set(db, byCount);
  }
  let compiled = byCount.get(seqs.length);
  if (compiled === undefined) {
    compiled = build();
    byCount.set(seqs.length, compiled);
  }
  return { ...compiled, parameters: seqs };
}

/** The change events at these feed positions, by position (one query, primary-key lookups). */
export async function findChangesBySeq(db: Db, seqs: readonly number[]): Promise<Map<number, ChangeEvent>> {
  if (seqs.length === 0) return new Map();
  const { rows } = await db.executeQuery(changesBySeqQuery(db, [...new Set(seqs)]));
  return new Map(rows.map((row) => [row.seq, toChangeEvent(row)]));
}

/**
 * Change events after `afterSeq` (and before `beforeSeq` when given) of the given filter, in feed
 * order, or newest first with `newestFirst` (the feeds).
 */
export async function pageChanges(
  db: Db,
  query: { afterSeq: number; beforeSeq?: number; newestFirst?: boolean; limit: number } & ChangeFilter,
): Promise<ChangeEvent[]> {
  const newestFirst = query.newestFirst === true;
  const { types } = query;
  const typed = types !== undefined && types.length > 0 ? [...types] : undefined;
  let { afterSeq, beforeSeq } = query;
  if (typed !== undefined) {
    // Where these types' events begin (or end, newest first) in the range, from their index: the
    // page's range is narrowed to start there, so the feed is not walked through a long stretch
    // of other events (a first harvest's creations) before the first one of them.
    const edge = await typedEdge(db, typed, afterSeq, beforeSeq, newestFirst);
    if (edge === undefined) return [];
    if (newestFirst) beforeSeq = edge + 1;
    else afterSeq = edge - 1;
  }
  const before = beforeSeq;
  let select = db
    .selectFrom('changes as c')
    // The range on the classes too: PostgreSQL does not carry a range across a join's equality,
    // and would otherwise merge-join the classes from the feed's first event.
    .leftJoin('change_classes as k', (join) => {
      const from = join.onRef('k.seq', '=', 'c.seq').on('k.seq', '>', afterSeq);
      return before === undefined ? from : from.on('k.seq', '<', before);
    })
    .selectAll('c')
    .select(['k.material', 'k.classification'])
    .where('c.seq', '>', afterSeq)
    .orderBy('c.seq', newestFirst ? 'desc' : 'asc')
    .limit(query.limit);
  if (before !== undefined) select = select.where('c.seq', '<', before);
  if (query.source !== undefined) select = select.where('c.source', '=', query.source);
  if (query.trialId !== undefined) select = select.where('c.trial_id', '=', query.trialId);
  if (query.material !== undefined) select = select.where('k.material', '=', query.material ? 1 : 0);
  if (query.since !== undefined) select = select.where('c.occurred_at', '>=', query.since);
  if (query.until !== undefined) select = select.where('c.occurred_at', '<', query.until);
  const { content } = query;
  if (content !== undefined) {
    const filter = { ...content, includeRemoved: true };
    const search = searchOf(db, filter);
    select = select.where('c.trial_id', 'in', (eb) =>
      eb
        .selectFrom('trials as t')
        .select('t.id')
        .where((tb) => tb.and(contentConditions(tb, filter, search))),
    );
  }
  if (typed !== undefined) {
    // The feed positions of these types, from their index (a rare type costs what it finds).
    select = select.where('c.seq', 'in', (eb) => {
      const rows = eb
        .selectFrom('change_type_rows as r')
        .select('r.seq')
        .where('r.type', 'in', typed)
        .where('r.seq', '>', afterSeq);
      return before === undefined ? rows : rows.where('r.seq', '<', before);
    });
  }
  const rows = await select.execute();
  return rows.map(toChangeEvent);
}

/**
 * The first feed position after `afterSeq` (before `beforeSeq`) of an event of one of these types,
 * or the last one when `last`; undefined when there is none. One index probe per type.
 */
async function typedEdge(
  db: Db,
  types: readonly string[],
  afterSeq: number,
  beforeSeq: number | undefined,
  last: boolean,
): Promise<number | undefined> {
  const edges = await Promise.all(
    types.map(async (type) => {
      let probe = db
        .selectFrom('change_type_rows')
        .select('seq')
        .where('type', '=', type)
        .where('seq', '>', afterSeq)
        .orderBy('seq', last ? 'desc' : 'asc')
        .limit(1);
      if (beforeSeq !== undefined) probe = probe.where('seq', '<', beforeSeq);
      const row = await probe.executeTakeFirst();
      return row === undefined ? undefined : Number(row.seq);
    }),
  );
  const found = edges.filter((seq): seq is number => seq !== undefined);
  if (found.length === 0) return undefined;
  return last ? Math.max(...found) : Math.min(...found);
}

/** Events not classified yet (written before migration 0009), oldest first. */
export async function listUnclassifiedChanges(
  db: Db,
  query: { source: string; limit: number },
): Promise<ChangeRow[]> {
  return db
    .selectFrom('changes as c')
    .leftJoin('change_classes as k', 'k.seq', 'c.seq')
    .selectAll('c')
    .where('k.seq', 'is', null)
    .where('c.source', '=', query.source)
    .orderBy('c.seq', 'asc')
    .limit(query.limit)
    .execute();
}

/** Stores the classification of events (the backfill), in one transaction (rows already there,
 * from a concurrent backfill, are kept). */
export async function saveClassifications(
  db: Db,
  items: readonly { seq: number; classification: ChangeClassification }[],
): Promise<void> {
  if (items.length === 0) return;
  await db.transaction().execute((trx) => insertClassifications(trx, items));
}
