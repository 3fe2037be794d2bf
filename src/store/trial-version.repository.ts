/** The stored versions of a trial: their metadata, and the upstream record each was made from. */
import { gunzipSync } from 'node:zlib';
import type { FieldChange } from '../domain/trial.types.js';
import type { TrialVersionRecord } from '../domain/trial-read.types.js';
import { compiledOnce } from './compiled-once.js';
import type { Db } from './database.js';
import type { TrialVersionsTable } from './schema.js';
import { parseJsonOr } from './trial-rows.js';

/** The upstream record of one version as the registry sent it (JSON text), if the version exists. */
const rawRecordQuery = compiledOnce((db) =>
  db.selectFrom('trial_versions').select('raw').where('trial_id', '=', '').where('version', '=', 0).compile(),
);

export async function findRawRecordJson(
  db: Db,
  trialId: string,
  version: number,
): Promise<string | undefined> {
  const row = (await db.executeQuery(rawRecordQuery(db, [trialId, version]))).rows[0];
  return row === undefined ? undefined : gunzipSync(row.raw).toString('utf8');
}

const VERSION_COLUMNS = [
  'trial_id',
  'version',
  'content_hash',
  'observed_at',
  'run_id',
  'diff',
  'source_updated_at',
] as const;

function toVersionRecord(
  row: Pick<TrialVersionsTable, (typeof VERSION_COLUMNS)[number]>,
): TrialVersionRecord {
  return {
    trialId: row.trial_id,
    version: row.version,
    contentHash: row.content_hash,
    observedAt: row.observed_at,
    runId: row.run_id,
    diff: parseJsonOr<FieldChange[] | null>(row.diff, null),
    sourceUpdatedAt: row.source_updated_at,
  };
}

/** Every version of a trial, oldest first (without the raw records). */
export async function listTrialVersions(db: Db, trialId: string): Promise<TrialVersionRecord[]> {
  const rows = await db
    .selectFrom('trial_versions')
    .select(VERSION_COLUMNS)
    .where('trial_id', '=', trialId)
    .orderBy('version', 'asc')
    .execute();
  return rows.map(toVersionRecord);
}

export async function findTrialVersion(
  db: Db,
  trialId: string,
  version: number,
): Promise<(TrialVersionRecord & { rawJson: string }) | undefined> {
  const row = await db
    .selectFrom('trial_versions')
    .select([...VERSION_COLUMNS, 'raw'])
    .where('trial_id', '=', trialId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { ...toVersionRecord(row), rawJson: gunzipSync(row.raw).toString('utf8') };
}
