/**
 * What a ClinicalTrials.gov harvest keeps between runs (`source_state.state`), and the day
 * arithmetic that plans the next run from it: the incremental window and when to reconcile.
 */

const DAY_MS = 86_400_000;
/**
 * A reconciliation is due this long before `reconcileDays` have fully passed, so a daily schedule
 * whose start drifts by a few seconds still reconciles on the 7th day rather than the 8th.
 */
const RECONCILE_SLACK_MS = 3_600_000;

/** What a successful run keeps for the next (in `source_state.state`). */
export interface CtgovState {
  /** `/version`'s dataTimestamp when the run started: an equal one means nothing to fetch. */
  dataTimestamp?: string;
  /**
   * The day (YYYY-MM-DD, UTC) of the data the run covered: the release day, else the day the run
   * started. The next incremental window starts a day before the earlier of this and the run.
   */
  since?: string;
  /** `CTGOV_QUERY` of the run: after a change of scope the next run is a full one. */
  query?: string;
  /** Epoch ms when the last completed reconciliation (id pass or full harvest) started. */
  lastReconciledAt?: number;
  /** Epoch ms when the last complete full harvest started. */
  lastFullAt?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the saved state, dropping anything malformed (a bad value only costs a wider window). */
export function readCtgovState(raw: Readonly<Record<string, unknown>>): CtgovState {
  const state: CtgovState = {};
  if (typeof raw.dataTimestamp === 'string' && raw.dataTimestamp !== '')
    state.dataTimestamp = raw.dataTimestamp;
  if (typeof raw.since === 'string' && DAY.test(raw.since)) state.since = raw.since;
  if (typeof raw.query === 'string') state.query = raw.query;
  if (typeof raw.lastReconciledAt === 'number' && Number.isFinite(raw.lastReconciledAt)) {
    state.lastReconciledAt = raw.lastReconciledAt;
  }
  if (typeof raw.lastFullAt === 'number' && Number.isFinite(raw.lastFullAt))
    state.lastFullAt = raw.lastFullAt;
  return state;
}

/** The UTC day of an epoch-ms time, `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus `days` (negative to go back). */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The day of a `/version` dataTimestamp, or undefined when it does not start with one. */
export function dataDay(dataTimestamp: string | undefined): string | undefined {
  const day = dataTimestamp?.slice(0, 10);
  return day !== undefined && DAY.test(day) && !Number.isNaN(Date.parse(day)) ? day : undefined;
}

/**
 * The first day of an incremental window: one day before the earlier of the last successful run's
 * day and the data day it covered. `LastUpdatePostDate` has day granularity and a release can post
 * more updates on the day a run already read, so the windows overlap by a day.
 */
export function incrementalStartDay(state: CtgovState, lastSuccessAt: number): string {
  const days = [utcDay(lastSuccessAt)];
  if (state.since !== undefined) days.push(state.since);
  days.sort();
  return addDays(days[0]!, -1);
}

/** Whether the id-only reconciliation pass is due at `now`. */
export function reconciliationDue(state: CtgovState, reconcileDays: number, now: number): boolean {
  if (reconcileDays === 0 || state.lastReconciledAt === undefined) return true;
  return now - state.lastReconciledAt >= reconcileDays * DAY_MS - RECONCILE_SLACK_MS;
}
