/**
 * The consistency rules every database written by trialwatch must satisfy at any instant, even
 * right after a process was killed mid-write. Used by the crash harness, the hostile-upstream
 * table and the backup test. Each rule is one SQL query that lists the offending rows, so a
 * violation names the trial (or run) at fault.
 */
import { sql } from 'kysely';
import type { Store } from '../src/store/database.js';
import { integrityCheck } from '../src/store/dialect.js';

/** One broken rule, with up to a few examples. */
export interface InvariantViolation {
  rule: string;
  count: number;
  examples: string[];
}

const EXAMPLES = 5;

/** The rules, as queries returning one `what` text per offending row. */
const RULES: readonly { rule: string; query: ReturnType<typeof sql<{ what: string }>> }[] = [
  {
    rule: "every trial's content_hash equals its current version's",
    query: sql<{ what: string }>`
      select t.id as what from trials t
      left join trial_versions v on v.trial_id = t.id and v.version = t.version
      where v.trial_id is null or v.content_hash <> t.content_hash`,
  },
  {
    rule: "every trial's version is its latest version",
    query: sql<{ what: string }>`
      select t.id as what from trials t
      join (select trial_id, max(version) as top from trial_versions group by trial_id) m on m.trial_id = t.id
      where m.top <> t.version`,
  },
  {
    rule: 'version numbers are contiguous from 1',
    query: sql<{ what: string }>`
      select trial_id as what from trial_versions group by trial_id
      having min(version) <> 1 or count(*) <> max(version)`,
  },
  {
    rule: 'every version belongs to a trial',
    query: sql<{ what: string }>`
      select v.trial_id as what from trial_versions v
      left join trials t on t.id = v.trial_id where t.id is null`,
  },
  {
    rule: 'every version has its change event',
    query: sql<{ what: string }>`
      select v.trial_id as what from trial_versions v
      where not exists (
        select 1 from changes c where c.trial_id = v.trial_id and c.version = v.version
          and c.kind = case when v.version = 1 then 'created' else c.kind end
          and c.kind in ('created', 'updated', 'restored'))`,
  },
  {
    rule: 'version 1 has exactly one created event and no other version has one',
    query: sql<{ what: string }>`
      select trial_id as what from changes where kind = 'created'
      group by trial_id having count(*) <> 1 or max(version) <> 1`,
  },
  {
    rule: 'every change event refers to a stored version',
    query: sql<{ what: string }>`
      select c.trial_id as what from changes c
      left join trial_versions v on v.trial_id = c.trial_id and v.version = c.version
      where v.trial_id is null`,
  },
  {
    rule: "every trial's change_seq is its latest change event",
    query: sql<{ what: string }>`
      select t.id as what from trials t
      left join (select trial_id, max(seq) as top from changes group by trial_id) m on m.trial_id = t.id
      where m.top is null or m.top <> t.change_seq`,
  },
  {
    rule: 'a trial is removed exactly when its latest change event is a removal',
    query: sql<{ what: string }>`
      select t.id as what from trials t
      join changes c on c.seq = t.change_seq
      where (t.removed_at is null) = (c.kind = 'removed')`,
  },
];

/**
 * Checks every rule (and SQLite's `PRAGMA integrity_check`); returns the broken ones, empty when
 * the database is consistent.
 */
export async function checkStoreInvariants(store: Store): Promise<InvariantViolation[]> {
  const violations: InvariantViolation[] = [];
  const integrity = await integrityCheck(store.db, store.dialect);
  if (integrity !== 'ok')
    violations.push({ rule: 'PRAGMA integrity_check', count: 1, examples: [integrity] });
  for (const { rule, query } of RULES) {
    const rows = (await query.execute(store.db)).rows;
    if (rows.length > 0) {
      violations.push({
        rule,
        count: rows.length,
        examples: rows.slice(0, EXAMPLES).map((row) => String(row.what)),
      });
    }
  }
  return violations;
}

/** Runs of any source still marked "running". */
export async function runningRuns(store: Store): Promise<{ id: number; source: string }[]> {
  return store.db
    .selectFrom('harvest_runs')
    .select(['id', 'source'])
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
}

/** What "the same data" means when two databases are compared: ids, content hashes, removed state. */
export interface TrialFingerprint {
  id: string;
  source: string;
  version: number;
  contentHash: string;
  removed: boolean;
}

export async function trialFingerprints(store: Store): Promise<TrialFingerprint[]> {
  const rows = await store.db
    .selectFrom('trials')
    .select(['id', 'source', 'version', 'content_hash', 'removed_at'])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    version: row.version,
    contentHash: row.content_hash,
    removed: row.removed_at !== null,
  }));
}

/** Trial counts for a short report. */
export async function trialCounts(
  store: Store,
): Promise<{ trials: number; versions: number; changes: number }> {
  const count = async (table: 'trials' | 'trial_versions' | 'changes') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    trials: await count('trials'),
    versions: await count('trial_versions'),
    changes: await count('changes'),
  };
}
