/**
 * How a run ends, as its run record states it (status, error code, message): from how its listing
 * ended, or from what stopped it. Pure.
 */
import type { HarvestStatus } from '../domain/trial.types.js';
import { isAppError, messageOf } from '../errors/app-error.js';
import type { ListingEnd } from '../sources/source.types.js';
import { storableText } from './text-repair.js';

export interface RunOutcome {
  status: Exclude<HarvestStatus, 'running'>;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * A listing that ended without an error: skipped (the adapter says why), incomplete (nothing is
 * removed), or succeeded (whether its unseen trials may be removed is still to decide).
 */
export function listingOutcome(end: ListingEnd): RunOutcome {
  if (end.skippedBecause !== undefined) {
    return { status: 'skipped', errorCode: null, errorMessage: end.skippedBecause };
  }
  if (!end.complete) {
    return incomplete(
      `Incomplete harvest, nothing removed: ${end.incompleteReason ?? 'the counts do not add up'}`,
    );
  }
  return { status: 'succeeded', errorCode: null, errorMessage: null };
}

/** A listing that cannot be trusted to show what is gone: `message` says why. */
export function incomplete(message: string): RunOutcome {
  return { status: 'partial', errorCode: 'HARVEST_INCOMPLETE', errorMessage: message };
}

/**
 * A run stopped by `error` (a database error already named, `databaseErrorOf`): interrupted when it
 * was asked to stop (`aborted`) or lost its lease, otherwise failed with the error's code (INTERNAL
 * for anything not an `AppError`).
 */
export function stoppedOutcome(error: unknown, aborted: boolean): RunOutcome {
  const interrupted = aborted || (isAppError(error) && error.code === 'HARVEST_INTERRUPTED');
  return {
    status: interrupted ? 'interrupted' : 'failed',
    errorCode: isAppError(error) ? error.code : 'INTERNAL',
    errorMessage: interrupted
      ? 'The harvest was interrupted (shutdown or lost lease)'
      : storableText(messageOf(error)),
  };
}
