/**
 * The real fixtures as one searchable corpus: the 145 records of the Korean iCReaT snapshot, the
 * 200 ClinicalTrials.gov studies and the CRIS trials the fake CRIS serves (its real list items and
 * the real detail record), each mapped by its source's real mapper and written through the
 * harvest's own write path (`applyTrialBatch`), so the search index is built by the same triggers
 * that index every harvest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MappedTrial } from '../../../src/domain/trial.types.js';
import { canonicalize, contentHash } from '../../../src/domain/canonical.js';
import { mapCrisRecord } from '../../../src/sources/cris/cris-mapper.js';
import { mapCtgovStudy } from '../../../src/sources/ctgov/ctgov-mapper.js';
import { mapKrIcreatRecord } from '../../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { compressJson } from '../../../src/store/compression.js';
import type { Store } from '../../../src/store/database.js';
import type { ContentChange } from '../../../src/store/trial.repository.js';
import { applyTrialBatch } from '../../../src/store/trial.repository.js';
import { realCrisTrials } from '../../../testkit/fake-cris.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';
import { loadCtgovFixtures } from '../../../testkit/fake-ctgov.js';
import { eventClassification } from '../../../src/domain/change-classifier.js';

/** The snapshot the brief names (the same 145 records as the bundled asset). */
export const KR_SNAPSHOT_PATH = join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json');

function krSnapshotRecords(): Record<string, string>[] {
  return (JSON.parse(readFileSync(KR_SNAPSHOT_PATH, 'utf8')) as { data: Record<string, string>[] }).data;
}

export interface CorpusRecord {
  raw: unknown;
  trial: MappedTrial;
}

/** Every real record, mapped: Korean first, then ClinicalTrials.gov (by id), then CRIS. */
export function corpusRecords(): CorpusRecord[] {
  const kr = krSnapshotRecords().map((raw) => ({ raw, trial: mapKrIcreatRecord(raw) }));
  const ctgov = loadCtgovFixtures().map((raw) => ({ raw, trial: mapCtgovStudy(raw) }));
  const cris = realCrisTrials().map((raw) => ({ raw, trial: mapCrisRecord(raw) }));
  return [...kr, ...ctgov, ...cris];
}

/** A content change creating (version 1) or updating (`version` > 1) a trial from a raw record. */
export function contentChange(record: CorpusRecord, version = 1): ContentChange {
  return {
    kind: version === 1 ? 'created' : 'updated',
    trial: record.trial,
    version,
    contentHash: contentHash(canonicalize(record.raw)),
    raw: compressJson(record.raw),
    diff: version === 1 ? null : [],
    classification:
      version === 1
        ? eventClassification('created')
        : { changes: [], material: true, summary: { en: 'Test update', ko: '시험 갱신' } },
  };
}

/** Writes records as new trials through the harvest's write path, in batches of 100. */
export async function writeRecords(
  store: Store,
  records: readonly CorpusRecord[],
  now: number,
): Promise<void> {
  for (let i = 0; i < records.length; i += 100) {
    const part = records.slice(i, i + 100);
    await store.db
      .transaction()
      .execute((trx) =>
        applyTrialBatch(
          trx,
          store.dialect,
          { content: part.map((record) => contentChange(record)), state: [], seen: [] },
          { runId: null, now },
        ),
      );
  }
}
