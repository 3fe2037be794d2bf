/**
 * The classification of a new version against the stored one before it, as the page writer and
 * the backfill both make it: the previous record mapped by today's mapper (a record it refuses is
 * compared as the new one, so its changes are named by their types only, from the raw diff).
 */
import { classifyUpdate } from '../domain/change-classifier.js';
import type { ChangeClassification } from '../domain/change.types.js';
import type { FieldChange, MappedTrial } from '../domain/trial.types.js';
import type { SourceAdapter } from '../sources/source.types.js';

/** Today's mapping of a stored record, or undefined when today's mapper refuses it. */
export function mappedOrUndefined(adapter: SourceAdapter, raw: unknown): MappedTrial | undefined {
  try {
    return adapter.map(raw);
  } catch {
    return undefined;
  }
}

export function classifyVersion(
  adapter: SourceAdapter,
  previousRaw: unknown,
  current: MappedTrial,
  diff: readonly FieldChange[],
): ChangeClassification {
  return classifyUpdate(adapter.changes, mappedOrUndefined(adapter, previousRaw) ?? current, current, diff);
}
