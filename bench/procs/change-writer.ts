/**
 * Writes change events for the webhooks scenario, in a process of its own (like a harvest): new
 * kr-icreat trials, `batch` per transaction, through the harvest's own write path
 * (`applyTrialBatch`: version, change event with its classification, trial row). After each commit
 * it notes the feed's last seq and the time, so the orchestrator knows when every event was
 * committed (events of one batch share its commit time).
 */
import { gzipSync } from 'node:zlib';
import { buildConfig } from '../../src/config/config.js';
import { canonicalize, contentHash } from '../../src/domain/canonical.js';
import { eventClassification } from '../../src/domain/change-classifier.js';
import { emptyTrialFields } from '../../src/domain/trial.types.js';
import { DEFAULT_SOURCES, sourceConfigParsers } from '../../src/sources/registry.js';
import { latestChangeSeq } from '../../src/store/change.repository.js';
import { openStore } from '../../src/store/database.js';
import type { ContentChange } from '../../src/store/trial.repository.js';
import { applyTrialBatch } from '../../src/store/trial.repository.js';
import { answerCalls, exitWithParent, sendReady } from '../support/ipc.js';

export interface WriteCall {
  /** DATABASE_URL of the database `serve` uses (already migrated). */
  databaseUrl: string;
  /** The first trial number (ids `W0000001`, …), so calls never collide. */
  from: number;
  count: number;
  batch: number;
  /** Pause between two commits (0: as fast as they go). */
  intervalMs: number;
}

export interface WriteOutcome {
  /** Per commit: the feed's last seq after it, and the time it returned (epoch ms). */
  commits: { upToSeq: number; atMs: number }[];
  firstSeq: number;
}

function created(id: string, title: string): ContentChange {
  const raw = { 과제번호: id, 과제명: title };
  return {
    kind: 'created',
    trial: {
      id,
      source: 'kr-icreat',
      fields: { ...emptyTrialFields(), title, status: 'recruiting' },
      sourceFields: {},
    },
    version: 1,
    contentHash: contentHash(canonicalize(raw)),
    raw: gzipSync(JSON.stringify(raw)),
    diff: null,
    classification: eventClassification('created'),
  };
}

async function write(call: WriteCall): Promise<WriteOutcome> {
  const config = buildConfig({ DATABASE_URL: call.databaseUrl }, sourceConfigParsers(), DEFAULT_SOURCES);
  const store = openStore(config.database);
  try {
    const firstSeq = (await latestChangeSeq(store.db)) + 1;
    const commits: WriteOutcome['commits'] = [];
    for (let done = 0; done < call.count;) {
      const size = Math.min(call.batch, call.count - done);
      const content = Array.from({ length: size }, (_, k) => {
        const n = call.from + done + k;
        return created(`W${String(n).padStart(7, '0')}`, `webhook bench trial ${n}`);
      });
      await store.db
        .transaction()
        .execute((trx) =>
          applyTrialBatch(
            trx,
            store.dialect,
            { content, state: [], seen: [] },
            { runId: null, now: Date.now() },
          ),
        );
      const atMs = Date.now();
      commits.push({ upToSeq: await latestChangeSeq(store.db), atMs });
      done += size;
      if (call.intervalMs > 0 && done < call.count)
        await new Promise((resolve) => setTimeout(resolve, call.intervalMs));
    }
    return { commits, firstSeq };
  } finally {
    await store.close();
  }
}

answerCalls({ write: (payload) => write(payload as WriteCall) });
exitWithParent();
sendReady({ pid: process.pid });
