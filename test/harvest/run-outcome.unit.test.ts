import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { incomplete, listingOutcome, stoppedOutcome } from '../../src/harvest/run-outcome.js';

describe('how a run ends', () => {
  it('a skipped listing is skipped, with the reason and no error code, even when incomplete', () => {
    expect(listingOutcome({ listing: 'full', complete: false, skippedBecause: 'data did not move' })).toEqual(
      {
        status: 'skipped',
        errorCode: null,
        errorMessage: 'data did not move',
      },
    );
  });

  it('an incomplete listing is partial, with its reason or a default one', () => {
    expect(
      listingOutcome({ listing: 'full', complete: false, incompleteReason: 'page 3 was short' }),
    ).toEqual({
      status: 'partial',
      errorCode: 'HARVEST_INCOMPLETE',
      errorMessage: 'Incomplete harvest, nothing removed: page 3 was short',
    });
    expect(listingOutcome({ listing: 'partial', complete: false }).errorMessage).toBe(
      'Incomplete harvest, nothing removed: the counts do not add up',
    );
  });

  it('a complete listing succeeds (full or partial)', () => {
    const succeeded = { status: 'succeeded', errorCode: null, errorMessage: null };
    expect(listingOutcome({ listing: 'full', complete: true })).toEqual(succeeded);
    expect(listingOutcome({ listing: 'partial', complete: true })).toEqual(succeeded);
  });

  it('a refused removal is partial with the refusal as its message', () => {
    expect(incomplete('too few seen')).toEqual({
      status: 'partial',
      errorCode: 'HARVEST_INCOMPLETE',
      errorMessage: 'too few seen',
    });
  });

  it('an error fails the run with its code, INTERNAL for a crash, its message made storable', () => {
    expect(stoppedOutcome(new AppError('UPSTREAM_TIMEOUT', 'gone'), false)).toEqual({
      status: 'failed',
      errorCode: 'UPSTREAM_TIMEOUT',
      errorMessage: 'gone',
    });
    expect(stoppedOutcome(new TypeError('bad \u0000 thing'), false)).toEqual({
      status: 'failed',
      errorCode: 'INTERNAL',
      errorMessage: 'bad \uFFFD thing',
    });
  });

  it('a stop request or a lost lease interrupts the run, whatever the error', () => {
    const interrupted = 'The harvest was interrupted (shutdown or lost lease)';
    expect(stoppedOutcome(new TypeError('aborted fetch'), true)).toEqual({
      status: 'interrupted',
      errorCode: 'INTERNAL',
      errorMessage: interrupted,
    });
    expect(stoppedOutcome(new AppError('HARVEST_INTERRUPTED', 'Lost the lease'), false)).toEqual({
      status: 'interrupted',
      errorCode: 'HARVEST_INTERRUPTED',
      errorMessage: interrupted,
    });
  });
});
