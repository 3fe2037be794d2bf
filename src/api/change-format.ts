/** How a change event is shown: the JSON view of the feed and its CSV / NDJSON export lines. */
import type { ChangeEvent } from '../domain/trial-read.types.js';
import type { TypedChangeView } from './trial-format.js';
import { jsonBytes } from './json-reply.js';
import { CSV_BOM, LIST_SEPARATOR, classificationView, csvCell, isoTime } from './trial-format.js';

/** An event as the API shows it. */
export function changeEventView(event: ChangeEvent) {
  const { classification, ...rest } = event;
  return {
    ...rest,
    occurredAt: isoTime(event.occurredAt),
    ...classificationView(classification),
  };
}

/**
 * A typed change with the members of `TypedChangeSchema` only, in the order its compiled serializer
 * wrote them (the required ones first), so that the text is the same as before.
 */
function typedChangeMembers(change: TypedChangeView) {
  return {
    type: change.type,
    field: change.field,
    from: change.from,
    to: change.to,
    summary: { en: change.summary.en, ko: change.summary.ko },
    fromLabel: change.fromLabel,
    toLabel: change.toLabel,
    added: change.added,
    removed: change.removed,
    whyStopped: change.whyStopped,
  };
}

/**
 * A page of the feed as the UTF-8 bytes of its JSON (`ChangeListSchema`): the members the response
 * schema shows, in its order, each event written by JSON.stringify, encoded in pieces (see
 * `jsonBytes`). A page of 100 update events is ~90 KB; the schema's compiled serializer took about
 * 1.5× the time of JSON.stringify on it (bench/BASELINE.md). The text is that of
 * `JSON.stringify({ items, nextCursor, hasMore })`.
 */
export function changePageBytes(
  events: readonly ChangeEvent[],
  nextCursor: string,
  hasMore: boolean,
): Buffer {
  const pieces = ['{"items":['];
  for (let i = 0; i < events.length; i++) {
    const item = JSON.stringify(changeItem(events[i]!));
    pieces.push(i === 0 ? item : `,${item}`);
  }
  pieces.push(`],"nextCursor":${JSON.stringify(nextCursor)},"hasMore":${JSON.stringify(hasMore)}}`);
  return jsonBytes(pieces);
}

/** An event with the members `ChangeSchema` shows, in its serializer's order. */
function changeItem(event: ChangeEvent) {
  const { changes, material, summary } = classificationView(event.classification);
  return {
    seq: event.seq,
    trialId: event.trialId,
    source: event.source,
    version: event.version,
    kind: event.kind,
    paths: event.paths,
    occurredAt: isoTime(event.occurredAt),
    runId: event.runId,
    changes: changes.map(typedChangeMembers),
    material,
    summary: summary === null ? null : { en: summary.en, ko: summary.ko },
  };
}

/** The CSV columns: one row per event, the typed changes as JSON in `changes`. */
export const CHANGE_CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'trialId',
  'source',
  'version',
  'kind',
  'material',
  'types',
  'summaryEn',
  'summaryKo',
  'changes',
  'paths',
  'runId',
] as const;

export function changeCsvHeader(): string {
  return `${CSV_BOM}${CHANGE_CSV_COLUMNS.join(',')}\r\n`;
}

export function changeCsvRow(event: ChangeEvent): string {
  const view = changeEventView(event);
  const types = [...new Set(view.changes.map((change) => change.type))];
  const values = [
    view.seq,
    view.occurredAt,
    view.trialId,
    view.source,
    view.version,
    view.kind,
    view.material,
    types.join(LIST_SEPARATOR),
    view.summary?.en ?? null,
    view.summary?.ko ?? null,
    JSON.stringify(view.changes),
    view.paths.join(LIST_SEPARATOR),
    view.runId,
  ];
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function changeNdjsonLine(event: ChangeEvent): string {
  return `${JSON.stringify(changeEventView(event))}\n`;
}
