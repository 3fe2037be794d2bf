/**
 * What makes a database trialwatch's: it is empty (no table but Kysely's migration bookkeeping), or
 * its `kysely_migration` table records our first migration. Anything else belongs to another
 * application, and trialwatch refuses it before writing a byte: pointing DATABASE_URL at the wrong
 * file or database must never add tables to it (or leave half a migration behind when one of its
 * tables has a name we use).
 */
import { AppError } from '../errors/app-error.js';
import { MIGRATIONS } from './migrations/index.js';

const MIGRATION_BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);
const FIRST_MIGRATION = Object.keys(MIGRATIONS)[0] ?? '';
/** Table names shown in the refusal, at most. */
const NAMES_SHOWN = 5;

/**
 * Why the database at `location` is not trialwatch's, or undefined when it is (or is empty).
 * `tables` are its tables; `appliedMigrations` the names in its `kysely_migration` table, if any.
 */
export function ownershipProblem(
  tables: readonly string[],
  appliedMigrations: readonly string[],
  location: string,
): AppError | undefined {
  const foreign = tables.filter((name) => !MIGRATION_BOOKKEEPING.has(name)).sort();
  if (foreign.length === 0 || appliedMigrations.includes(FIRST_MIGRATION)) return undefined;
  const shown = foreign.slice(0, NAMES_SHOWN).join(', ');
  const more = foreign.length > NAMES_SHOWN ? ` and ${foreign.length - NAMES_SHOWN} more` : '';
  return new AppError(
    'DATABASE_NOT_TRIALWATCH',
    `The database at ${location} belongs to another application (it has the tables ${shown}${more} and no trialwatch migrations): nothing was changed. Point DATABASE_URL at an empty or trialwatch database.`,
    { details: { location, tables: foreign } },
  );
}
