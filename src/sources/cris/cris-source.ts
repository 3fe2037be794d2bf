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
import { AppError, messageOf } from '../../errors/app-error.js';
import type {
  HarvestContext,
  ListingEnd,
  PageStream,
  PreparedRecord,
  SourceAdapter,
} from '../source.types.js';
import { fetchCrisDetail } from './cris-client.js';
import type { CrisConfig } from './cris-config.js';
import { CRIS_SECRET_KEYS, parseCrisConfig } from './cris-config.js';
import { listCris } from './cris-listing.js';
import { CRIS_CANONICAL_RULES, mapCrisRecord } from './cris-mapper.js';
import type { CrisSyncState } from './cris-state.js';
import { listEntryFingerprint, quotaDayOf, readCrisState } from './cris-state.js';
import { CRIS_CHANGES } from './cris-changes.js';

const SOURCE = 'cris';
/** Details yielded per page (one write transaction each). */
const DETAIL_BATCH = 25;
/** Ids per `presentIds` page. */
const PRESENT_BATCH = 1_000;
/** A page at least this often even when nothing is ready, so the harvest renews its lease. */
const KEEPALIVE_MS = 2_000;
/** Detail calls failing in a row (after the client's retries) that mean the upstream is down. */
const MAX_CONSECUTIVE_FAILURES = 5;
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
  const isDue = (id: string, fingerprint: string) =>
    refreshAll || waiting.has(id) || previous.entries[id] !== fingerprint;
  const { listed, fingerprints, total, problems, invalidItems, duplicates, pages } = yield* listCris(
    context,
    {
      isDue,
      budget,
      used,
      checkpoint: () => ({ ...stateNow() }),
    },
  );
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
    changes: CRIS_CHANGES,
    map: mapCrisRecord,
    harvest: (context) => syncCris(context, options),
  };
}

/**
 * CRIS, Korea's WHO primary registry. Incremental by list entry (the list has no date filter),
 * within a daily call budget; `--full` re-fetches every detail over the following runs.
 */
export const crisSource: SourceAdapter<CrisConfig> = createCrisSource();
