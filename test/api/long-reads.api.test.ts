/**
 * Issue 14, item 2, as a client sees it on SQLite: while long reads occupy every reader thread,
 * get-one keeps answering at once (it reads on the main connection), and a facet request that
 * cannot finish within the time limit gets 503 REQUEST_TIMEOUT with Retry-After instead of
 * freezing the process. (PostgreSQL's driver is asynchronous already: nothing to show there.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/test-app.js';
import { createTestApp } from './support/test-app.js';
import { isAppError } from '../../src/errors/app-error.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';

describe('long reads on sqlite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { readTimeoutMs: 500 });
    await t.seed.createMany(koreanSnapshot().slice(0, 20).map(koreanTrial));
  });
  afterAll(async () => t.close());

  it('answers get-one while the readers are busy, and times stuck reads out with 503', async () => {
    // A statement that takes seconds of SQLite's own CPU (more than the 500 ms limit).
    const slow = () =>
      sql`with recursive c(x) as (select 1 union all select x + 1 from c where x < 12000000) select count(*) from c`
        .execute(t.store.reads)
        .then(
          () => 'answered',
          (error: unknown) => (isAppError(error) ? error.code : String(error)),
        );
    expect((await t.app.inject('/api/v1/trials/C130011')).statusCode).toBe(200);

    let settled = false;
    const first = Promise.all([slow(), slow()]).finally(() => (settled = true));
    // Answered while both long statements hold the readers (a functional check, not a timing one).
    const one = await t.app.inject('/api/v1/trials/C130011');
    expect(one.statusCode).toBe(200);
    expect(settled).toBe(false);
    expect(await first).toEqual(['REQUEST_TIMEOUT', 'REQUEST_TIMEOUT']);

    // Timed-out statements finish detached (SQLite cannot be interrupted); with two more, the pool
    // is at its bound of detached threads, so a facet waits and gets a clear 503.
    expect(await Promise.all([slow(), slow()])).toEqual(['REQUEST_TIMEOUT', 'REQUEST_TIMEOUT']);
    const facet = await t.app.inject('/api/v1/facets?field=status');
    expect(facet.statusCode, facet.body).toBe(503);
    expect(facet.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(facet.json()).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 503 });
    expect(facet.headers['retry-after']).toBe('1');
    expect((await t.app.inject('/api/v1/trials/C130011')).statusCode).toBe(200);

    // Once the detached statements end, the same request answers.
    const until = Date.now() + 60_000;
    let again = await t.app.inject('/api/v1/facets?field=status');
    while (again.statusCode !== 200 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      again = await t.app.inject('/api/v1/facets?field=status');
    }
    expect(again.statusCode, again.body).toBe(200);
  }, 90_000);
});
