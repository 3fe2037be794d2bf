/**
 * Classifies the change events written before typed changes existed (migration 0009 adds the
 * columns, null): each update is classified from its stored versions exactly as a new harvest
 * classifies it (the same canonical diff, today's mapper, the source's change profile). Bounded
 * memory (a batch at a time), and safe to interrupt and run again: a batch is one transaction, and
 * only events still unclassified are read.
 */
import { canonicalize, diffCanonical } from '../domain/canonical.js';
import { classifyUpdate, eventClassification } from '../domain/change-classifier.js';
import type { ChangeClassification } from '../domain/change.types.js';
import { emptyFacts } from '../domain/change.types.js';
import type { ChangeKind, MappedTrial } from '../domain/trial.types.js';
import type { SourceAdapter } from '../sources/source.types.js';
import { listUnclassifiedChanges, saveClassifications } from '../store/change.repository.js';
import type { Db } from '../store/database.js';
import { loadVersionRaws, versionKey } from '../store/trial.repository.js';
import { classifyVersion, mappedOrUndefined } from './version-classification.js';

const BATCH = 200;

/** How many events of `adapter`'s source it classified. */
export async function classifyStoredChanges(
  db: Db,
  adapter: SourceAdapter,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  let done = 0;
  for (;;) {
    if (options.signal?.aborted === true) return done;
    const rows = await listUnclassifiedChanges(db, { source: adapter.id, limit: BATCH });
    if (rows.length === 0) return done;
    // An update (or a restore with new content) compares its version with the one before.
    const updates = rows.filter((row) => row.kind !== 'removed' && row.version > 1 && row.paths !== '[]');
    const raws = await loadVersionRaws(
      db,
      updates.flatMap((row) => [
        { id: row.trial_id, version: row.version - 1 },
        { id: row.trial_id, version: row.version },
      ]),
    );
    const items = rows.map((row) => ({
      seq: row.seq,
      classification: updates.includes(row)
        ? classifyStored(
            adapter,
            raws.get(versionKey(row.trial_id, row.version - 1)),
            raws.get(versionKey(row.trial_id, row.version)),
          )
        : eventClassification(row.kind as Exclude<ChangeKind, 'updated'>),
    }));
    await saveClassifications(db, items);
    done += items.length;
  }
}

function classifyStored(adapter: SourceAdapter, before: unknown, after: unknown): ChangeClassification {
  const rules = adapter.canonicalRules;
  const diff = diffCanonical(canonicalize(before, rules), canonicalize(after, rules));
  const current = mappedOrUndefined(adapter, after);
  if (current === undefined) {
    // Neither side to compare: the changes are named by their types only, from the raw diff.
    const profile = adapter.changes;
    const byPaths = { typeOfPath: (path: string) => profile.typeOfPath(path), facts: emptyFacts };
    const none = {} as MappedTrial;
    return classifyUpdate(byPaths, none, none, diff);
  }
  return classifyVersion(adapter, before, current, diff);
}
