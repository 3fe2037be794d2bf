/**
 * What a feed says of each change event, whatever its format (Atom, JSON Feed, RSS): a permanent
 * id, a title (the trial's title and the change's summary), the before/after values as plain text,
 * when it was recorded, and links to the trial on the web page and on its registry. Every text is
 * made XML-safe here (`xmlSafeText`), so the three formats carry the same text.
 */
import type { TypedChange } from '../domain/change.types.js';
import type { ChangeEvent, TrialHeadline } from '../domain/trial-read.types.js';
import type { SourceId } from '../domain/trial.types.js';
import { isSourceId } from '../domain/trial.types.js';
import { xmlSafeText } from './feed-xml.js';

/**
 * The tagging entity of entry and feed ids (RFC 4151). A change event's position in the feed
 * (`seq`) is never reused (SQLite AUTOINCREMENT, PostgreSQL bigserial) and never changes, so
 * `seq` and the trial's id name one event for good, across formats and restarts.
 */
const TAG = 'tag:trialwatch,2026:';

export interface FeedEntry {
  id: string;
  title: string;
  /** The change in words and its before/after values, plain text (lines). */
  text: string;
  /** Epoch ms the change was recorded. */
  updated: number;
  /** The trial on the web page. */
  webUrl: string;
  /** The record's page on its registry, where it has one. */
  registryUrl: string | null;
  registryName: string | null;
  /** The change types of the event (categories, tags). */
  types: string[];
  event: Pick<ChangeEvent, 'seq' | 'trialId' | 'source' | 'kind' | 'version'>;
}

/** The permanent id of a change event's entry. */
export function changeEntryId(event: Pick<ChangeEvent, 'seq' | 'trialId'>): string {
  return `${TAG}changes/${event.seq}/${encodeURIComponent(event.trialId)}`;
}

/** The id of the feed of a query: its filters, in a stable order (not its page, size or format). */
export function changeFeedId(filters: URLSearchParams): string {
  const pairs = [...filters].sort(([a, av], [b, bv]) =>
    a === b ? av.localeCompare(bv) : a.localeCompare(b),
  );
  const query = new URLSearchParams(pairs).toString();
  return `${TAG}changes${query === '' ? '' : `?${query}`}`;
}

interface RegistryPage {
  name: string;
  url: (id: string) => string;
}

/**
 * The record's page on its registry. CRIS's own page (`cris.nih.go.kr/cris/search/detailSearch.do`)
 * is keyed by an internal number its Open API does not publish, so a CRIS trial links to the WHO
 * registry platform's page of its KCT id (CRIS sends every record there). data.go.kr's iCReaT
 * dataset has no page per research project: no link.
 */
const REGISTRY_PAGES: Readonly<Record<SourceId, RegistryPage | null>> = {
  ctgov: {
    name: 'ClinicalTrials.gov',
    url: (id) => `https://clinicaltrials.gov/study/${encodeURIComponent(id)}`,
  },
  cris: {
    name: 'WHO ICTRP (CRIS)',
    url: (id) => `https://trialsearch.who.int/Trial2.aspx?TrialID=${encodeURIComponent(id)}`,
  },
  'kr-icreat': null,
};

function registryPageOf(source: string): RegistryPage | null {
  return isSourceId(source) ? REGISTRY_PAGES[source] : null;
}

/** A compared value as text: codes and numbers as they are, lists and objects spelled out. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(valueText).join('; ');
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([key, part]) => `${key}: ${valueText(part)}`,
    );
    return parts.length === 0 ? '—' : parts.join(', ');
  }
  return JSON.stringify(value) ?? '—';
}

function changeLines(change: TypedChange): string[] {
  const name = change.field === change.type ? change.type : `${change.type} (${change.field})`;
  const lines = [`• ${name}: ${valueText(change.from)} → ${valueText(change.to)}`];
  if (change.added !== undefined && change.added.length > 0)
    lines.push(`  added: ${change.added.join('; ')}`);
  if (change.removed !== undefined && change.removed.length > 0) {
    lines.push(`  removed: ${change.removed.join('; ')}`);
  }
  if (change.whyStopped !== undefined) lines.push(`  why stopped: ${change.whyStopped}`);
  return lines;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  created: 'New trial',
  updated: 'Updated',
  removed: 'Removed from the registry',
  restored: 'Back in the registry',
};

/** One entry per event; `webBase` is the web page's absolute URL (`https://host/`). */
export function feedEntry(event: ChangeEvent, trial: TrialHeadline | undefined, webBase: string): FeedEntry {
  const { classification } = event;
  const summary = classification?.summary ?? null;
  const headline = summary?.en ?? KIND_WORDS[event.kind] ?? event.kind;
  const lines: string[] = [headline];
  if (summary !== null && summary.ko !== summary.en) lines.push(summary.ko);
  const changes = classification?.changes ?? [];
  if (changes.length > 0) lines.push('', ...changes.flatMap(changeLines));
  else if (event.paths.length > 0) lines.push('', `Changed fields: ${event.paths.join(', ')}`);
  lines.push('', `${event.trialId} (${event.source}), version ${event.version}, ${event.kind}`);
  const registry = registryPageOf(event.source);
  return {
    id: changeEntryId(event),
    title: xmlSafeText(`${trial?.title ?? event.trialId}: ${headline}`),
    text: xmlSafeText(lines.join('\n')),
    updated: event.occurredAt,
    webUrl: `${webBase}#/trials/${encodeURIComponent(event.trialId)}`,
    registryUrl: registry === null ? null : registry.url(event.trialId),
    registryName: registry?.name ?? null,
    types: [...new Set(changes.map((change) => change.type))],
    event: {
      seq: event.seq,
      trialId: event.trialId,
      source: event.source,
      kind: event.kind,
      version: event.version,
    },
  };
}
