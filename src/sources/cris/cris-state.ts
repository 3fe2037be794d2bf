/**
 * What a CRIS run hands to the next one (`source_state.state`, saved by the harvest service on
 * success and as each page's checkpoint), read leniently, and the facts it is keyed by: the quota
 * day and the fingerprint of a list entry.
 */
import { createHash } from 'node:crypto';
import { canonicalize, canonicalJson } from '../../domain/canonical.js';
import { isPlainObject } from '../../domain/json.js';

/** The day of the data.go.kr quota: it resets at midnight Korean time. */
export const CRIS_QUOTA_TIME_ZONE = 'Asia/Seoul';

/** What a CRIS run hands to the next one. */
export interface CrisSyncState {
  version: 1;
  /** Per trial whose detail is stored: the fingerprint of the list entry it was fetched with. */
  entries: Record<string, string>;
  /** Listed trials still waiting for a detail fetch (deferred by the budget), first to fetch first. */
  pending: string[];
  /** Listed trials whose last detail fetch failed (not found, unreadable): retried after the rest. */
  failed: string[];
  /** Calls made on `day` (YYYY-MM-DD in Asia/Seoul), counted against CRIS_DAILY_CALL_BUDGET. */
  calls: { day: string; used: number };
  /** The last `totalCount`, to tell before listing whether the budget covers a listing. */
  totalCount: number | null;
}

export function emptyCrisState(): CrisSyncState {
  return { version: 1, entries: {}, pending: [], failed: [], calls: { day: '', used: 0 }, totalCount: null };
}

function idList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Reads the saved state leniently: unknown or malformed parts start empty (with `problem` set),
 * which costs detail calls but never loses records — the store keeps them, and every listed trial
 * is seen again.
 */
export function readCrisState(raw: Readonly<Record<string, unknown>>): {
  state: CrisSyncState;
  problem?: string;
} {
  const state = emptyCrisState();
  if (Object.keys(raw).length === 0) return { state };
  if (raw.version !== 1) return { state, problem: `unknown state version ${JSON.stringify(raw.version)}` };
  if (isPlainObject(raw.entries)) {
    for (const [id, fingerprint] of Object.entries(raw.entries)) {
      if (typeof fingerprint === 'string') state.entries[id] = fingerprint;
    }
  }
  state.pending = idList(raw.pending);
  state.failed = idList(raw.failed);
  if (isPlainObject(raw.calls) && typeof raw.calls.day === 'string' && typeof raw.calls.used === 'number') {
    state.calls = { day: raw.calls.day, used: raw.calls.used };
  }
  if (typeof raw.totalCount === 'number') state.totalCount = raw.totalCount;
  return { state };
}

const seoulDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: CRIS_QUOTA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The quota day of an instant: its date in Asia/Seoul, as YYYY-MM-DD. */
export function quotaDayOf(epochMs: number): string {
  return seoulDate.format(new Date(epochMs));
}

/**
 * A short fingerprint of a list entry (any key order). Any change to the entry triggers a detail
 * fetch: `date_updated` and `date_registration` — a new registration is often published after
 * its last edit — but also a title or sponsor corrected without either date moving.
 */
export function listEntryFingerprint(item: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(canonicalize(item)))
    .digest('base64url')
    .slice(0, 16);
}
