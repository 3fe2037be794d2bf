/**
 * Trial representations: JSON (one trial, a page, NDJSON lines) and CSV rows.
 *
 * JSON is assembled as text: the stored document (`{"fields":…,"sourceFields":…}`, written by the
 * harvest with JSON.stringify) is spliced in as is, never parsed and re-serialised. That keeps
 * get-one and list pages cheap whatever the size of a registry's record (ClinicalTrials.gov ones
 * run to tens of KB). The shape is `TrialSchema`; the API tests check every answer against it.
 */
import type { TrialFields } from '../domain/trial.types.js';
import { registryUrlOf } from '../domain/trial.types.js';
import type { TrialLink } from '../services/trial.service.js';
import { readTrialDoc } from '../services/trial.service.js';
import type { ChangeEvent, TrialRecord } from '../domain/trial-read.types.js';
import type { ChangeClassification, TypedChange } from '../domain/change.types.js';
import type { LabelledCode, Localized } from '../domain/labels.js';
import { codeLabel, codeLabels, isLabelledCode } from '../domain/labels.js';
import { jsonBytes } from './json-reply.js';

// Rows of one harvest batch share their times: remembering the last conversion saves most of them.
let lastEpochMs = Number.NaN;
let lastIso = '';

export function isoTime(epochMs: number): string {
  if (epochMs !== lastEpochMs) {
    lastIso = new Date(epochMs).toISOString();
    lastEpochMs = epochMs;
  }
  return lastIso;
}

const DOC_PREFIX = '{"fields":';
const SOURCE_FIELDS_MEMBER = ',"sourceFields":';
/**
 * A top-level code member of `fields`. `{"` and `,"` never occur inside a JSON string (a quote in a
 * string is escaped), so a match is a member; `fields` comes first in the document, and none of its
 * nested objects (interventions, secondary ids) has these keys, so the first match of each key
 * before `,"sourceFields":` is the one of `fields`.
 */
const CODE_MEMBER = /[{,]"(status|phase|studyType)":(null|"(?:[^"\\]|\\.)*")/g;

type Codes = Record<LabelledCode, string | null>;

/** The status, phase and study-type codes of a document in the harvest's layout, read from its text. */
function codesOfText(docJson: string, end: number): Codes {
  const codes: Codes = { status: null, phase: null, studyType: null };
  const seen = new Set<string>();
  CODE_MEMBER.lastIndex = DOC_PREFIX.length;
  for (let match = CODE_MEMBER.exec(docJson); match !== null; match = CODE_MEMBER.exec(docJson)) {
    if (match.index >= end) break;
    const key = match[1] as LabelledCode;
    if (seen.has(key)) continue;
    seen.add(key);
    codes[key] = JSON.parse(match[2] as string) as string | null;
    if (seen.size === 3) break;
  }
  return codes;
}

// A page's trials share a handful of code combinations: their `labels` JSON is made once each
// (bounded: the map starts over when codes outside the vocabulary would grow it without end).
const labelsJsonCache = new Map<string, string>();
const LABELS_CACHE_MAX = 1000;

function labelsJson(codes: Codes): string {
  const key = JSON.stringify([codes.status, codes.phase, codes.studyType]);
  let json = labelsJsonCache.get(key);
  if (json === undefined) {
    if (labelsJsonCache.size >= LABELS_CACHE_MAX) labelsJsonCache.clear();
    json = JSON.stringify(codeLabels(codes));
    labelsJsonCache.set(key, json);
  }
  return json;
}

/**
 * The document's members without its braces (`"fields":…,"sourceFields":…`) and the labels of its
 * codes (`labels`, as JSON).
 */
function docParts(docJson: string): { members: string; labels: string } {
  const end = docJson.indexOf(SOURCE_FIELDS_MEMBER);
  if (docJson.startsWith(DOC_PREFIX) && docJson.endsWith('}') && end > 0) {
    return { members: docJson.slice(1, -1), labels: labelsJson(codesOfText(docJson, end)) };
  }
  // Written some other way (key order, spacing): normalise it once, through a parse.
  const doc = readTrialDoc(docJson);
  return {
    members: `"fields":${JSON.stringify(doc.fields)},"sourceFields":${JSON.stringify(doc.sourceFields)}`,
    labels: labelsJson(doc.fields),
  };
}

/** What only the one-trial answer carries: its links, and the merged id it was asked by. */
export interface TrialExtras {
  links: readonly TrialLink[];
  resolvedFrom: string | null;
}

/**
 * One trial as JSON text; `rawJson` (the upstream record as sent) is added as `raw` when given,
 * `extras` as `links` (and `resolvedFrom` when set).
 */
export function trialJson(trial: TrialRecord, rawJson?: string, extras?: TrialExtras): string {
  const removedAt = trial.removedAt === null ? 'null' : `"${isoTime(trial.removedAt)}"`;
  let tail = rawJson === undefined ? '' : `,"raw":${rawJson}`;
  if (extras !== undefined) {
    tail += `,"links":${JSON.stringify(extras.links)}`;
    if (extras.resolvedFrom !== null) tail += `,"resolvedFrom":${JSON.stringify(extras.resolvedFrom)}`;
  }
  if (trial.nearestSite !== undefined) tail += `,"nearestSite":${JSON.stringify(trial.nearestSite)}`;
  if (trial.lastChange !== undefined) tail += `,"lastChange":${lastChangeJson(trial.lastChange)}`;
  const { members, labels } = docParts(trial.docJson);
  return (
    `{"id":${JSON.stringify(trial.id)},"source":${JSON.stringify(trial.source)}` +
    `,"registryUrl":${JSON.stringify(registryUrlOf(trial.source, trial.id))},"version":${trial.version}` +
    `,"firstSeenAt":"${isoTime(trial.firstSeenAt)}","lastSeenAt":"${isoTime(trial.lastSeenAt)}"` +
    `,"lastChangedAt":"${isoTime(trial.lastChangedAt)}","removedAt":${removedAt}` +
    `,"sourceUpdatedAt":${JSON.stringify(trial.sourceUpdatedAt)},${members}` +
    `,"labels":${labels}${tail}}`
  );
}

/** A trial's latest change in a list item: what it was, when, its types and its summary. */
export function lastChangeView(event: ChangeEvent) {
  const { changes, material, summary } = classificationView(event.classification);
  return {
    seq: event.seq,
    kind: event.kind,
    occurredAt: isoTime(event.occurredAt),
    types: [...new Set(changes.map((change) => change.type))],
    material,
    summary,
  };
}

// The parsed classifications are shared between requests (store/change-columns.ts): the JSON of
// their types and summary is kept beside them, made once each.
const typesJsonCache = new WeakMap<object, string>();
const summaryJsonCache = new WeakMap<object, string>();

function cachedJson<K extends object>(
  cache: WeakMap<object, string>,
  key: K,
  make: (key: K) => unknown,
): string {
  let json = cache.get(key);
  if (json === undefined) {
    json = JSON.stringify(make(key));
    cache.set(key, json);
  }
  return json;
}

/** `JSON.stringify(lastChangeView(event))`, with the parts a classification shares made once. */
export function lastChangeJson(event: ChangeEvent): string {
  const head = `{"seq":${event.seq},"kind":${JSON.stringify(event.kind)},"occurredAt":"${isoTime(event.occurredAt)}"`;
  const { classification } = event;
  if (classification === null) return `${head},"types":[],"material":null,"summary":null}`;
  const types = cachedJson(typesJsonCache, classification.changes, (changes) => [
    ...new Set(changes.map((change) => change.type)),
  ]);
  const { summary } = classification;
  const summaryJson =
    typeof summary === 'object' && summary !== null
      ? cachedJson(summaryJsonCache, summary, (value) => value)
      : JSON.stringify(summary);
  return `${head},"types":${types},"material":${JSON.stringify(classification.material)},"summary":${summaryJson}}`;
}

/** A list page as the UTF-8 bytes of its JSON, encoded in pieces (see `jsonBytes`). */
export function trialPageBytes(
  items: readonly TrialRecord[],
  nextCursor: string | null,
  total?: number,
): Buffer {
  const pieces = ['{"items":['];
  for (let i = 0; i < items.length; i++) {
    const item = trialJson(items[i] as TrialRecord);
    pieces.push(i === 0 ? item : `,${item}`);
  }
  const next = nextCursor === null ? 'null' : JSON.stringify(nextCursor);
  pieces.push(total === undefined ? `],"nextCursor":${next}}` : `],"nextCursor":${next},"total":${total}}`);
  return jsonBytes(pieces);
}

/** Columns of the CSV export, in order: the common model, flattened, then the source's own fields. */
export const CSV_COLUMNS = [
  'id',
  'source',
  'registryUrl',
  'version',
  'title',
  'titleEn',
  'officialTitle',
  'acronym',
  'status',
  'phase',
  'studyType',
  'institution',
  'department',
  'conditions',
  'keywords',
  'interventions',
  'enrollment',
  'countries',
  'hasResults',
  'secondaryIds',
  'sourceUpdatedAt',
  'firstSeenAt',
  'lastSeenAt',
  'lastChangedAt',
  'removedAt',
  'sourceFields',
] as const;

/** UTF-8 byte order mark: spreadsheet programs read the file as UTF-8 only with it (Korean text). */
export const CSV_BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180). A text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab, CR first) gets a leading apostrophe: exported registry text must never execute.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const LIST_SEPARATOR = '; ';

function csvValues(trial: TrialRecord, fields: TrialFields, sourceFields: Record<string, unknown>) {
  return [
    trial.id,
    trial.source,
    registryUrlOf(trial.source, trial.id),
    trial.version,
    fields.title,
    fields.titleEn,
    fields.officialTitle,
    fields.acronym,
    fields.status,
    fields.phase,
    fields.studyType,
    fields.institution,
    fields.department,
    (fields.conditions ?? []).join(LIST_SEPARATOR),
    (fields.keywords ?? []).join(LIST_SEPARATOR),
    (fields.interventions ?? [])
      .map((item) => (item.type === null ? item.name : `${item.type}: ${item.name}`))
      .join(LIST_SEPARATOR),
    fields.enrollment,
    (fields.countries ?? []).join(LIST_SEPARATOR),
    fields.hasResults,
    (fields.secondaryIds ?? [])
      .map((item) => (item.type === null ? item.id : `${item.id} (${item.type})`))
      .join(LIST_SEPARATOR),
    trial.sourceUpdatedAt,
    isoTime(trial.firstSeenAt),
    isoTime(trial.lastSeenAt),
    isoTime(trial.lastChangedAt),
    trial.removedAt === null ? null : isoTime(trial.removedAt),
    JSON.stringify(sourceFields),
  ];
}

export function csvHeader(): string {
  return `${CSV_BOM}${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(trial: TrialRecord): string {
  const { fields, sourceFields } = readTrialDoc(trial.docJson);
  return `${csvValues(trial, fields, sourceFields).map(csvCell).join(',')}\r\n`;
}

export function ndjsonLine(trial: TrialRecord): string {
  return `${trialJson(trial)}\n`;
}

/** A typed change as the API shows it: a status, phase or study-type change has the labels of its codes. */
export type TypedChangeView = TypedChange & { fromLabel?: Localized | null; toLabel?: Localized | null };

function typedChangeView(change: TypedChange): TypedChangeView {
  const coded = (change.type === 'status' || change.type === 'design') && isLabelledCode(change.field);
  if (!coded) return change;
  const label = (code: unknown) =>
    typeof code === 'string' ? codeLabel(change.field as LabelledCode, code) : null;
  return { ...change, fromLabel: label(change.from), toLabel: label(change.to) };
}

/** The typed-change properties an event or a version shows (`classificationProperties`). */
export function classificationView(classification: ChangeClassification | null) {
  return {
    changes: (classification?.changes ?? []).map(typedChangeView),
    material: classification?.material ?? null,
    summary: classification?.summary ?? null,
  };
}
