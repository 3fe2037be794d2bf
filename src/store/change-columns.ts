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

/** The stored classification (an event joined with its `change_classes` row), or null for none. */
export function classificationOf(row: {
  material: number | null;
  classification: string | null;
}): ChangeClassification | null {
  if (row.classification === null || row.material === null) return null;
  const parsed = JSON.parse(row.classification) as Omit<ChangeClassification, 'material'>;
  return { changes: parsed.changes, summary: parsed.summary, material: row.material === 1 };
}
