/** How a change event's classification is stored (`change_classes`, `change_type_rows`), and read back. */
import type { Kysely } from 'kysely';
import type { ChangeClassification } from '../domain/change.types.js';
import type { ChangeClassesTable, ChangeTypeRowsTable, Database } from './schema.js';

/** The `change_classes` row of an event. */
export function classificationRow(seq: number, classification: ChangeClassification): ChangeClassesTable {
  return {
    seq,
    material: classification.material ? 1 : 0,
    classification: JSON.stringify({ changes: classification.changes, summary: classification.summary }),
  };
}

/** The `change_type_rows` of an event: one per distinct type. */
export function typeRows(seq: number, classification: ChangeClassification): ChangeTypeRowsTable[] {
  return [...new Set(classification.changes.map((change) => change.type))].map((type) => ({ type, seq }));
}

/** Writes the classification rows of events, in the caller's transaction (rows already there are kept). */
export async function insertClassifications(
  trx: Kysely<Database>,
  items: readonly { seq: number; classification: ChangeClassification }[],
): Promise<void> {
  if (items.length === 0) return;
  await trx
    .insertInto('change_classes')
    .values(items.map((item) => classificationRow(item.seq, item.classification)))
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
  const rows = items.flatMap((item) => typeRows(item.seq, item.classification));
  if (rows.length === 0) return;
  await trx
    .insertInto('change_type_rows')
    .values(rows)
    .onConflict((oc) => oc.columns(['type', 'seq']).doNothing())
    .execute();
}

/** Parsed classifications by their stored text, most recently used last (see `classificationOf`). */
const parsedClassifications = new Map<string, Omit<ChangeClassification, 'material'>>();
export const CLASSIFICATION_CACHE_SIZE = 4096;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * The stored classification (an event joined with its `change_classes` row), or null for none.
 * List pages read the same recent events again and again: each stored text is parsed once while it
 * stays among the last `CLASSIFICATION_CACHE_SIZE` read, and the parsed value is frozen (it is
 * shared between every request that reads the event; the text itself is the key, so a
 * classification written again with other content is parsed anew).
 */
export function classificationOf(row: {
  material: number | null;
  classification: string | null;
}): ChangeClassification | null {
  if (row.classification === null || row.material === null) return null;
  let parsed = parsedClassifications.get(row.classification);
  if (parsed === undefined) {
    const { changes, summary } = JSON.parse(row.classification) as Omit<ChangeClassification, 'material'>;
    parsed = deepFreeze({ changes, summary });
    if (parsedClassifications.size >= CLASSIFICATION_CACHE_SIZE) {
      const oldest = parsedClassifications.keys().next();
      if (oldest.done !== true) parsedClassifications.delete(oldest.value);
    }
  } else {
    parsedClassifications.delete(row.classification);
  }
  parsedClassifications.set(row.classification, parsed);
  return { changes: parsed.changes, summary: parsed.summary, material: row.material === 1 };
}
