/**
 * Issue 9, part 2: SIGKILL the built CLI's harvest at random moments, on SQLite and PostgreSQL,
 * and check the invariants after every kill and the final data against a clean run. `npm test`
 * delivers a few kills per database; `npm run bench` calls the same loop with at least 30.
 * CRASH_KILLS and CRASH_SEED override the count and replay a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrashLoop } from '../../testkit/crash-harness.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 6);
const SEED = process.env.CRASH_SEED === undefined ? undefined : Number(process.env.CRASH_SEED);

describe.each(storeKinds())('crash consistency of the harvest on %s', (kind) => {
  let target: TestStore;
  let reference: TestStore;

  beforeAll(async () => {
    target = await createTestStore(kind);
    reference = await createTestStore(kind);
  });
  afterAll(async () => {
    await target.drop();
    await reference.drop();
  });

  it(
    `survives ${KILLS} SIGKILLs mid-harvest with every invariant intact`,
    { timeout: 60_000 + KILLS * 12_000 },
    async () => {
      const report = await runCrashLoop({
        target,
        reference,
        kills: KILLS,
        ...(SEED === undefined ? {} : { seed: SEED }),
        timeBudgetMs: KILLS * 10_000,
        log: (line) => console.info(`[${kind}] ${line}`),
      });
      const summary = {
        seed: report.seed,
        kills: report.kills,
        killsMidRun: report.killsMidRun,
        finishedBeforeKill: report.finishedBeforeKill,
        generations: report.generations,
        takeovers: report.takeovers,
        violations: report.violations,
        abandoned: report.abandoned,
        leftRunning: report.leftRunning,
        matchesReference: report.matchesReference,
        harvestMs: report.harvestMs,
        durationMs: report.durationMs,
      };
      console.info(`crash loop on ${kind}: ${JSON.stringify(summary)}`);
      // The seed is in every failure message, to replay the run with CRASH_SEED.
      const context = `seed ${report.seed}: ${JSON.stringify({ ...summary, mismatches: report.mismatches, kills: report.killLog.filter((k) => k.violations.length > 0) })}`;
      expect(report.kills, context).toBe(KILLS);
      expect(report.violations, context).toBe(0);
      // Most kills must hit a harvest in progress, or the test proves little.
      expect(report.killsMidRun, context).toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
      // Every dead holder's lease was taken over, not waited out (HARVEST_LEASE_TTL_MS).
      expect(report.takeovers, context).toBeGreaterThanOrEqual(1);
      expect(report.final.code, context).toBe(0);
      expect(report.leftRunning, context).toBe(0);
      expect(report.abandoned, context).toBe(report.killsMidRun);
      expect(report.mismatches, context).toEqual([]);
      expect(report.matchesReference, context).toBe(true);
    },
  );
});
