/**
 * CRIS, Korea's WHO primary registry (data.go.kr 3033869): an incremental sync that fits a daily
 * call quota.
 *
 * The API has no date filter, so every run lists every page (~250 calls of 50), then fetches
 * `/detail` only for trials that are new, whose list entry changed, or that are still waiting from
 * an earlier run. The adapter never reads the database: what it must remember between runs is its
 * state (`ListingEnd.state`), which the harvest service saves when a run succeeds; every page also
 * carries a checkpoint of it (`SourcePage.checkpoint`), so a run that fails or is interrupted still
 * keeps the day's calls and the details it stored. So:
 * - the listing comes first and fetches no detail, so a run that fails while listing loses only
 *   list calls;
 * - once the listing is done, running out of budget, the upstream's quota answer, or repeated
 *   upstream failures stop the detail fetches *cleanly*: the run still ends complete, what is left
 *   is recorded as pending, and the work done so far (and the calls spent) are saved with it;
 * - every listed trial is either yielded with its detail or named in `presentIds`, so nothing
 *   still listed is ever removed, fetched or not;
 * - a listed trial whose `/detail` answers 03 (no data) and that has no stored detail is yielded
 *   from its list entry alone (`sourceFields.listOnly`), and its detail is asked for again on every
 *   run until one arrives (then it replaces the list-only version).
 */
import { createHash } from 'node:crypto';
import { AppError, messageOf } from '../../errors/app-error.js';
import { canonicalize, canonicalJson } from '../../domain/canonical.js';
import type {
  HarvestContext,
  ListingEnd,
  PageStream,
  PreparedRecord,
  SkippedRecord,
  SourceAdapter,
} from '../source.types.js';
import type { CrisListItem } from './cris-api.types.js';
import { CRIS_ID_PATTERN } from './cris-api.types.js';
import { fetchCrisDetail, fetchCrisListPage } from './cris-client.js';
import type { CrisConfig } from './cris-config.js';
import { CRIS_SECRET_KEYS, parseCrisConfig } from './cris-config.js';
import { CRIS_CANONICAL_RULES, mapCrisRecord } from './cris-mapper.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'cris';
/** The day of the data.go.kr quota: it resets at midnight Korean time. */
export const CRIS_QUOTA_TIME_ZONE = 'Asia/Seoul';
/** Details yielded per page (one write transaction each). */
const DETAIL_BATCH = 25;
/** Ids per `presentIds` page. */
const PRESENT_BATCH = 1_000;
/** A page at least this often even when nothing is ready, so the harvest renews its lease. */
const KEEPALIVE_MS = 2_000;
/** Detail calls failing in a row (after the client's retries) that mean the upstream is down. */
const MAX_CONSECUTIVE_FAILURES = 5;
/** A guard against an upstream that never stops answering full pages. */
const MAX_PAGES = 20_000;
/** Failed detail fetches kept in the run info. */
const MAX_REPORTED_FAILURES = 20;
/** Errors that need an operator (key, service): the run fails, whatever was fetched before. */
const FATAL_DETAIL_ERRORS = new Set([
  'UPSTREAM_KEY_MISSING',
  'UPSTREAM_KEY_INVALID',
  'UPSTREAM_KEY_UNREGISTERED',
  'UPSTREAM_SERVICE_UNKNOWN',
  'UPSTREAM_SERVICE_ENDED',
  'HARVEST_INTERRUPTED',
]);

/**
 * What a CRIS run hands to the next one (through the harvest service, saved on success only).
 */
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

function listIdOf(item: unknown): string | null {
  if (!isPlainObject(item) || typeof item.trial_id !== 'string') return null;
  const id = item.trial_id.trim().toUpperCase();
  return CRIS_ID_PATTERN.test(id) ? id : null;
}

export interface CrisSyncOptions {
  /** The clock that decides the quota day (tests move it); epoch ms. */
  now?: () => number;
}

/** What a run has done so far, for the checkpoint of a run that fails. */
interface CrisProgress {
  /** The state the next run should start from if this one stops now (once the run has one). */
  stateNow?: () => CrisSyncState;
  /** Records prepared (mapped and hashed) but not yet yielded. */
  unsent: PreparedRecord[];
}

/**
 * One run: list every page, then fetch the details that are due within the day's budget. Mode
 * `full` also re-fetches every listed trial's detail (over as many days as the budget needs), to
 * catch changes the list entry does not show. A run that fails (a key error, a quota answer while
 * listing, an interruption) yields, before it throws, the records it mapped and a checkpoint of
 * its state: the calls it spent count against the day, the details it stored are not asked again.
 */
export async function* syncCris(
  context: HarvestContext<CrisConfig>,
  options: CrisSyncOptions = {},
): PageStream {
  const progress: CrisProgress = { unsent: [] };
  try {
    return yield* syncCrisPages(context, options, progress);
  } catch (error) {
    const { stateNow } = progress;
    if (stateNow !== undefined) yield { prepared: progress.unsent.splice(0), checkpoint: { ...stateNow() } };
    throw error;
  }
}

async function* syncCrisPages(
  context: HarvestContext<CrisConfig>,
  options: CrisSyncOptions,
  progress: CrisProgress,
): PageStream {
  const { config, client, log } = context;
  if (config.serviceKey === undefined) {
    throw new AppError('UPSTREAM_KEY_MISSING', `${SOURCE}: CRIS_SERVICE_KEY is not set`);
  }
  const now = options.now ?? Date.now;
  const { state: previous, problem } = readCrisState(context.state);
  if (problem !== undefined) {
    log.warn(
      { source: SOURCE, problem },
      `${SOURCE}: the saved sync state is unreadable; starting afresh (every detail is fetched again)`,
    );
  }
  const day = quotaDayOf(now());
  const budget = config.dailyCallBudget;
  const usedBefore = previous.calls.day === day ? previous.calls.used : 0;
  const requestsBefore = client.requests;
  // The client counts every request it sends, retries included: that is what the quota counts.
  const used = () => usedBefore + (client.requests - requestsBefore);
  const rows = config.numOfRows;
  const fetchOptions = { signal: context.signal };
  let stateNow = (): CrisSyncState => ({ ...previous, calls: { day, used: used() } });
  progress.stateNow = () => stateNow();
  if (previous.totalCount !== null) {
    const listingCalls = Math.ceil(previous.totalCount / rows) + 1;
    if (listingCalls > budget) {
      throw new AppError(
        'CONFIG_INVALID',
        `${SOURCE}: CRIS_DAILY_CALL_BUDGET (${budget}) cannot cover one listing of ${previous.totalCount} trials (about ${listingCalls} calls of ${rows}; raise the budget or CRIS_NUM_OF_ROWS, at most 50)`,
      );
    }
    if (usedBefore + listingCalls > budget) {
      const end: ListingEnd = {
        listing: 'partial',
        complete: true,
        skippedBecause: `${SOURCE}: the daily call budget is spent (${usedBefore} of ${budget} calls on ${day} KST, a listing needs about ${listingCalls}); the first run after midnight KST continues`,
        state: { ...previous, calls: { day, used: usedBefore } },
        info: { day, budget, callsToday: usedBefore, pending: previous.pending.length },
      };
      return end;
    }
  }

  // 1. The listing: every page, newest registration first. Unchanged trials are named at once.
  const refreshAll = context.mode === 'full';
  const waiting = new Set([...previous.pending, ...previous.failed]);
  const listed = new Map<string, CrisListItem>();
  const fingerprints = new Map<string, string>();
  const isDue = (id: string, fingerprint: string) =>
    refreshAll || waiting.has(id) || previous.entries[id] !== fingerprint;
  const totals: number[] = [];
  const problems: string[] = [];
  let invalidItems = 0;
  let duplicates = 0;
  let pages = 0;
  for (let pageNo = 1; ; pageNo++) {
    if (pageNo > MAX_PAGES) {
      problems.push(`stopped after ${MAX_PAGES} pages`);
      break;
    }
    if (used() >= budget) {
      problems.push(`the daily call budget (${budget}) ran out after ${pages} list pages`);
      break;
    }
    const page = await fetchCrisListPage(client, config, pageNo, fetchOptions);
    pages++;
    if (page.totalCount !== undefined && totals.at(-1) !== page.totalCount) totals.push(page.totalCount);
    if (page.noData && pageNo === 1) problems.push('the first list page answered 03 (no data)');
    const presentIds: string[] = [];
    const skipped: SkippedRecord[] = [];
    let repeated = 0;
    for (const item of page.items) {
      const id = listIdOf(item);
      if (id === null) {
        invalidItems++;
        const rawId = isPlainObject(item) && typeof item.trial_id === 'string' ? item.trial_id : null;
        skipped.push({
          id: rawId,
          reason: `${SOURCE}: list page ${pageNo} has an item without a KCT registration number`,
        });
        continue;
      }
      if (listed.has(id)) {
        // New registrations during the crawl push entries onto the next page.
        duplicates++;
        repeated++;
        continue;
      }
      const fingerprint = listEntryFingerprint(item);
      listed.set(id, item as CrisListItem);
      fingerprints.set(id, fingerprint);
      if (!isDue(id, fingerprint)) presentIds.push(id);
    }
    // Yielded even when empty: the harvest renews its lease between pages.
    yield {
      presentIds,
      ...(skipped.length > 0 ? { skipped } : {}),
      checkpoint: { ...stateNow() },
    };
    const total = totals.at(-1);
    if (page.items.length === 0) break;
    if (repeated === page.items.length) {
      problems.push(`list page ${pageNo} repeated entries already listed`);
      break;
    }
    // Counting what was seen, not pages, also holds if the upstream serves fewer rows than asked;
    // a registration that arrives mid-crawl leaves us one short, and the next page comes back empty.
    if (total !== undefined ? listed.size + invalidItems >= total : page.items.length < rows) break;
  }
  const total = totals.at(-1);
  if (total === undefined) problems.push('no list page gave a readable totalCount');
  else if (totals.length > 1) problems.push(`totalCount changed during the listing (${totals.join(' → ')})`);
  else if (listed.size + invalidItems !== total) {
    problems.push(
      `the listing held ${listed.size + invalidItems} distinct entries but totalCount is ${total}`,
    );
  }
  // A listing that may have missed entries removes nothing, but its work is still saved.
  const trusted = problems.length === 0;
  if (!trusted) {
    log.warn(
      { source: SOURCE, problems },
      `${SOURCE}: the listing is not reliable enough to remove trials: ${problems.join('; ')}`,
    );
  }

  // 2. The details: the ones left waiting by the last run first, then every other due one in list
  //    order (new and changed entries, newest registration first; every trial in mode full), and
  //    last the ones whose fetch failed before, so that one broken record never blocks the rest.
  const queue: string[] = [];
  const queued = new Set<string>();
  const enqueue = (id: string) => {
    if (listed.has(id) && !queued.has(id)) {
      queued.add(id);
      queue.push(id);
    }
  };
  previous.pending.forEach(enqueue);
  const failedBefore = new Set(previous.failed);
  for (const [id, fingerprint] of fingerprints) {
    if (!failedBefore.has(id) && isDue(id, fingerprint)) enqueue(id);
  }
  previous.failed.forEach(enqueue);

  // Entries of trials no longer listed go once the listing is trusted (the harvest removes them).
  const entries: Record<string, string> = {};
  for (const [id, fingerprint] of Object.entries(previous.entries)) {
    if (!trusted || listed.has(id)) entries[id] = fingerprint;
  }
  const deferred: string[] = [];
  const failed: string[] = [];
  const failures: { id: string; reason: string }[] = [];
  const notFound: string[] = [];
  let stoppedBy: 'budget' | 'upstream-quota' | 'upstream-errors' | null = null;
  let quotaAnswered = false;
  let consecutiveFailures = 0;
  let fetched = 0;
  let listOnly = 0;
  let lastYield = Date.now();
  /** Queued ids this run has dealt with (fetched, failed or deferred). */
  const handled = new Set<string>();
  const fail = (id: string, reason: string) => {
    failed.push(id);
    if (failures.length < MAX_REPORTED_FAILURES) failures.push({ id, reason });
  };
  const callsNow = () => (quotaAnswered ? Math.max(used(), budget) : used());
  stateNow = () => ({
    version: 1,
    entries: { ...entries },
    pending: [...deferred, ...previous.pending.filter((id) => !handled.has(id))],
    failed: [...failed, ...previous.failed.filter((id) => !handled.has(id))],
    calls: { day, used: callsNow() },
    totalCount: total ?? previous.totalCount,
  });

  for (const id of queue) {
    handled.add(id);
    if (stoppedBy === null && used() >= budget) stoppedBy = 'budget';
    if (stoppedBy !== null) {
      deferred.push(id);
      continue;
    }
    let result: Awaited<ReturnType<typeof fetchCrisDetail>>;
    try {
      result = await fetchCrisDetail(client, config, id, fetchOptions);
    } catch (error) {
      if (!(error instanceof AppError) || FATAL_DETAIL_ERRORS.has(error.code)) throw error;
      // Code 23 is the per-second limit, not the daily quota: a failure like any other.
      if (error.code === 'UPSTREAM_QUOTA_EXCEEDED' && error.details?.resultCode !== '23') {
        stoppedBy = 'upstream-quota';
        quotaAnswered = true;
        deferred.push(id);
        log.warn(
          { source: SOURCE, err: error },
          `${SOURCE}: the upstream quota is spent; the remaining details wait for the next run`,
        );
        continue;
      }
      fail(id, messageOf(error));
      consecutiveFailures++;
      if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        stoppedBy = 'upstream-errors';
        log.warn(
          { source: SOURCE, failures: failures.slice(-MAX_CONSECUTIVE_FAILURES) },
          `${SOURCE}: ${MAX_CONSECUTIVE_FAILURES} detail fetches failed in a row; the remaining details wait for the next run`,
        );
      }
      continue;
    }
    consecutiveFailures = 0;
    if (!result.found) {
      // Listed but "no data": a registration not yet served by /detail. Tried again on every run;
      // meanwhile one never stored with a detail is stored from its list entry alone (a stored
      // detail is kept rather than replaced by less).
      notFound.push(id);
      fail(id, `${SOURCE}: /detail answered 03 (no data) for ${id}, which /list lists`);
      if (previous.entries[id] === undefined) {
        const listOnlyRecord = context.prepare([{ list: listed.get(id), detail: null }]);
        // A list entry the mapper refuses is not stored (its detail is asked for again).
        if (listOnlyRecord.refused.length > 0) continue;
        listOnly++;
        progress.unsent.push(...listOnlyRecord.prepared);
      }
      continue;
    }
    const list = listed.get(id);
    const { prepared, refused } = context.prepare([{ list, detail: result.detail }]);
    if (refused[0] !== undefined) {
      fail(id, refused[0].reason);
      continue;
    }
    fetched++;
    entries[id] = fingerprints.get(id) ?? listEntryFingerprint(list);
    progress.unsent.push(...prepared);
    if (progress.unsent.length >= DETAIL_BATCH || Date.now() - lastYield >= KEEPALIVE_MS) {
      yield { prepared: progress.unsent.splice(0), checkpoint: { ...stateNow() } };
      lastYield = Date.now();
    }
  }
  if (progress.unsent.length > 0) {
    yield { prepared: progress.unsent.splice(0), checkpoint: { ...stateNow() } };
  }

  // Listed trials without a fresh detail still exist upstream: seen, so never removed.
  const unfetched = [...deferred, ...failed];
  for (let i = 0; i < unfetched.length; i += PRESENT_BATCH) {
    yield { presentIds: unfetched.slice(i, i + PRESENT_BATCH) };
  }
  if (stoppedBy !== null && deferred.length > 0) {
    log.info(
      { source: SOURCE, stoppedBy, pending: deferred.length },
      `${SOURCE}: ${deferred.length} details wait for the next run (${stoppedBy})`,
    );
  }

  // An untrusted listing may have missed trials that were waiting: they keep waiting.
  const carried = (ids: string[]) => (trusted ? [] : ids.filter((id) => !listed.has(id)));
  const callsToday = callsNow();
  const state: CrisSyncState = {
    version: 1,
    entries,
    pending: [...deferred, ...carried(previous.pending)],
    failed: [...failed, ...carried(previous.failed)],
    calls: { day, used: callsToday },
    totalCount: total ?? previous.totalCount,
  };
  const end: ListingEnd = {
    listing: trusted ? 'full' : 'partial',
    complete: true,
    state: { ...state },
    info: {
      day,
      budget,
      callsThisRun: client.requests - requestsBefore,
      callsToday,
      totalCount: total ?? null,
      listPages: pages,
      listed: listed.size,
      duplicates,
      invalidItems,
      ...(trusted ? {} : { listingProblems: problems }),
      refreshAll,
      detailsDue: queue.length,
      detailsFetched: fetched,
      detailsNotFound: notFound.length,
      detailsListOnly: listOnly,
      detailsFailed: failed.length,
      detailsPending: deferred.length,
      ...(failures.length > 0 ? { detailFailures: failures } : {}),
      ...(stoppedBy === null ? {} : { stoppedBy }),
    },
  };
  if (total !== undefined) end.expectedTotal = total;
  // Kept even if the harvest does not end a success (e.g. it refuses to remove trials).
  yield { checkpoint: { ...state } };
  return end;
}

export type CrisSourceOptions = CrisSyncOptions;

/** The adapter, with an injectable clock for tests (the quota day). */
export function createCrisSource(options: CrisSourceOptions = {}): SourceAdapter<CrisConfig> {
  return {
    id: 'cris',
    name: 'CRIS — Clinical Research Information Service (data.go.kr 3033869)',
    parseConfig: parseCrisConfig,
    secretKeys: CRIS_SECRET_KEYS,
    canonicalRules: CRIS_CANONICAL_RULES,
    map: mapCrisRecord,
    harvest: (context) => syncCris(context, options),
  };
}

/**
 * CRIS, Korea's WHO primary registry. Incremental by list entry (the list has no date filter),
 * within a daily call budget; `--full` re-fetches every detail over the following runs.
 */
export const crisSource: SourceAdapter<CrisConfig> = createCrisSource();
