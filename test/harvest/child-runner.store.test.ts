/**
 * The child-process runner's contract (issue 14): a harvest process that dies of a thrown error
 * after starting its run has the run recorded failed (HARVEST_PROCESS_DIED, with the exit code) and
 * its lease released, so the next harvest starts at once; one that refuses to start rejects with
 * its own error code and leaves nothing behind.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import { childProcessRunner } from '../../src/harvest/child-runner.js';
import { leaseName } from '../../src/harvest/harvest-lease.js';
import { createRun, getRun } from '../../src/store/harvest-run.repository.js';
import { acquireLease, getLease } from '../../src/store/lease.repository.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const ENTRY = fileURLToPath(new URL('./fixtures/throwing-harvest-child.mjs', import.meta.url));
const silent = { warn: () => undefined, error: () => undefined };

describe.each(storeKinds())('child-process harvest runner on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store.drop());

  it('records a run failed and frees its lease when the process dies of a thrown error', async () => {
    const holder = 'test-host:999999:abc';
    const now = Date.now();
    expect(await acquireLease(store.db, leaseName('kr-icreat'), holder, 60_000, now)).toBe(true);
    const runId = await createRun(store.db, {
      source: 'kr-icreat',
      mode: 'full',
      trigger: 'manual',
      holder,
      now,
    });
    const runner = childProcessRunner({
      db: store.db,
      log: silent,
      entry: ENTRY,
      env: { CHILD_RUN_ID: String(runId), CHILD_HOLDER: holder },
    });
    const startedIds: number[] = [];
    const run = await runner(
      { source: 'kr-icreat', mode: 'full', trigger: 'manual' },
      { signal: new AbortController().signal, onStarted: (id) => startedIds.push(id) },
    );
    expect(startedIds).toEqual([runId]);
    expect(run).toMatchObject({ id: runId, status: 'failed', errorCode: 'HARVEST_PROCESS_DIED' });
    expect(run.errorMessage).toMatch(/exited with code 1/);
    expect(await getRun(store.db, runId)).toMatchObject({ status: 'failed' });
    expect(await getLease(store.db, leaseName('kr-icreat'))).toBeUndefined();
  });

  it('rejects with the child’s own error when it refuses to start', async () => {
    const runner = childProcessRunner({
      db: store.db,
      log: silent,
      entry: ENTRY,
      env: { CHILD_FAULT: 'refuse' },
    });
    const error = await runner(
      { source: 'kr-icreat', mode: 'full', trigger: 'manual' },
      { signal: new AbortController().signal, onStarted: () => undefined },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isAppError(error) && error.code).toBe('HARVEST_IN_PROGRESS');
  });
});
