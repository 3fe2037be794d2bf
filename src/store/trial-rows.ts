/**
 * The columns a trial read selects and how its row becomes a `TrialRecord`, shared by the trial
 * read repositories (lookups, walks, the compat list); JSON text columns parsed leniently.
 */
import { sql } from 'kysely';
import type { TrialRecord } from '../domain/trial-read.types.js';
import type { TrialRow } from './schema.js';

/** When a harvest last saw the trial `t` (kept in `trial_seen`; see migration 0007). */
const LAST_SEEN_AT =
  sql<number>`coalesce((select s.last_seen_at from trial_seen s where s.trial_id = t.id), t.last_seen_at)`.as(
    'last_seen_at',
  );

export const TRIAL_COLUMNS = [
  't.id',
  't.source',
  't.version',
  't.first_seen_at',
  LAST_SEEN_AT,
  't.last_changed_at',
  't.change_seq',
  't.removed_at',
  't.source_updated_at',
  't.doc',
] as const;

export type TrialColumns = Pick<
  TrialRow,
  | 'id'
  | 'source'
  | 'version'
  | 'first_seen_at'
  | 'last_changed_at'
  | 'change_seq'
  | 'removed_at'
  | 'source_updated_at'
  | 'doc'
> & { last_seen_at: number };

export function toTrialRecord(row: TrialColumns): TrialRecord {
  return {
    id: row.id,
    source: row.source,
    version: row.version,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    lastChangedAt: row.last_changed_at,
    changeSeq: row.change_seq,
    removedAt: row.removed_at,
    sourceUpdatedAt: row.source_updated_at,
    docJson: row.doc,
  };
}

/** The JSON of a text column, or `fallback` when it is null or not valid JSON. */
export function parseJsonOr<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
