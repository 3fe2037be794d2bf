/** How a change event's classification is stored in the `changes` row, and read back. */
import type { ChangeClassification, ChangeType } from '../domain/change.types.js';
import type { ChangesTable } from './schema.js';

export function classificationColumns(
  classification: ChangeClassification,
): Pick<ChangesTable, 'change_types' | 'material' | 'classification'> {
  const types = [...new Set(classification.changes.map((change) => change.type))];
  return {
    change_types: types.length === 0 ? ',' : `,${types.join(',')},`,
    material: classification.material ? 1 : 0,
    classification: JSON.stringify({ changes: classification.changes, summary: classification.summary }),
  };
}

/** The stored classification, or null for an event not classified yet. */
export function classificationOf(
  row: Pick<ChangesTable, 'material' | 'classification'>,
): ChangeClassification | null {
  if (row.classification === null || row.material === null) return null;
  const parsed = JSON.parse(row.classification) as Omit<ChangeClassification, 'material'>;
  return { changes: parsed.changes, summary: parsed.summary, material: row.material === 1 };
}

/** The `change_types` pattern of one type, for `LIKE`. */
export function changeTypePattern(type: ChangeType): string {
  return `%,${type},%`;
}
