/**
 * The values the patient and coordinator filters read (`trial_filters`, migration 0014), written
 * with each trial version in the caller's transaction, from the same document the trial row gets.
 */
import type { Transaction } from 'kysely';
import { trialFilterValuesOf } from '../domain/trial-filter-values.js';
import type { MappedTrial } from '../domain/trial.types.js';
import type { Database, TrialFiltersTable } from './schema.js';

/** Rows per insert statement (7 parameters each). */
const CHUNK = 500;

function filterRow(trial: MappedTrial): TrialFiltersTable {
  const values = trialFilterValuesOf(trial.source, trial.sourceFields);
  return {
    trial_id: trial.id,
    min_age_years: values.minAgeYears,
    max_age_years: values.maxAgeYears,
    sex: values.sex,
    start_date: values.startDate,
    completion_date: values.completionDate,
    sponsor_class: values.sponsorClass,
  };
}

/** Replaces the filter values of these trials with those of their new versions. */
export async function replaceFilterValues(
  trx: Transaction<Database>,
  trials: readonly MappedTrial[],
): Promise<void> {
  if (trials.length === 0) return;
  await trx
    .deleteFrom('trial_filters')
    .where(
      'trial_id',
      'in',
      trials.map((trial) => trial.id),
    )
    .execute();
  const rows = trials.map(filterRow);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('trial_filters')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}
