/** How a change event's classification is stored in the `changes` row, and read back. */
import type { ChangeClassification, ChangeType } from '../domain/change.types.js';
import type { ChangeClassesTable } from './schema.js';

/** The `change_classes` row of an event (without its seq). */
export function classificationColumns(classification: ChangeClassification): Omit<ChangeClassesTable, 'seq'> {
  const types = [...new Set(classification.changes.map((change) => change.type))];
  return {
    change_types: types.length === 0 ? ',' : `,${types.join(',')},`,
    material: classification.material ? 1 : 0,
    classification: JSON.stringify({ changes: classification.changes, summary: classification.summary }),
  };
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

/** The `change_types` pattern of one type, for `LIKE`. */
export function changeTypePattern(type: ChangeType): string {
  return `%,${type},%`;
}
