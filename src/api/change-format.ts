/** How a change event is shown: the JSON view of the feed and its CSV / NDJSON export lines. */
import type { ChangeEvent } from '../domain/trial-read.types.js';
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
