/**
 * The trial cursor's query key is derived from the parsed filter: every field of the filter (the
 * `Required<…>` below makes a new field a compile error here until it is added) changes the key,
 * so a cursor of one query is refused by another; equal filters give equal keys whatever the
 * order their fields were set in.
 */
import { describe, expect, it } from 'vitest';
import type { TrialListFilter } from '../../src/services/trial.service.js';
import { trialQueryKey } from '../../src/api/trial-cursor.js';
import { parseSearch } from '../../src/services/search-query.js';

const full: Required<TrialListFilter> = {
  includeRemoved: false,
  updatedWithinMs: 7 * 86_400_000,
  updatedSince: Date.UTC(2024, 0, 1),
  linkedTo: 'NCT01234567',
  source: 'ctgov',
  status: ['RECRUITING'],
  phase: ['PHASE2'],
  studyType: ['INTERVENTIONAL'],
  institution: 'Seoul National University Hospital',
  department: 'Oncology',
  search: parseSearch('lung cancer')!,
  condition: 'Asthma',
  country: 'Korea',
  enrollmentMin: 10,
  enrollmentMax: 500,
  hasResults: true,
  minAge: 30,
  maxAge: 40,
  sex: 'FEMALE',
  startFrom: '2020-01-01',
  startTo: '2020-12-31',
  completionFrom: '2021-01-01',
  completionTo: '2030-12-31',
  recruiting: true,
  sponsorClass: ['INDUSTRY'],
  changeTypes: ['status'],
  near: { lat: 37.5665, lon: 126.978, radiusKm: 50, siteStatus: ['RECRUITING'] },
};

/** Another value of the same field. */
function changed(field: keyof TrialListFilter): Partial<TrialListFilter> {
  const value = full[field];
  if (typeof value === 'boolean') return { [field]: !value };
  if (typeof value === 'number') return { [field]: value + 1 };
  if (typeof value === 'string') return { [field]: `${value}x` };
  if (Array.isArray(value)) return { [field]: [...(value as string[]), 'OTHER'] };
  return { [field]: parseSearch('asthma')! };
}

describe('trialQueryKey', () => {
  it('changes with every field of the filter, and with the sort', () => {
    const base = trialQueryKey(full, 'id');
    for (const field of Object.keys(full) as (keyof TrialListFilter)[]) {
      expect(trialQueryKey({ ...full, ...changed(field) }, 'id'), field).not.toBe(base);
      if (field !== 'includeRemoved') {
        const without: TrialListFilter = { ...full };
        delete without[field];
        expect(trialQueryKey(without, 'id'), `${field} left out`).not.toBe(base);
      }
    }
    expect(trialQueryKey(full, '-lastChangedAt')).not.toBe(base);
  });

  it('is the same for equal filters, whatever their field order', () => {
    const reversed = Object.fromEntries(Object.entries(full).reverse()) as unknown as TrialListFilter;
    expect(trialQueryKey(reversed, 'id')).toBe(trialQueryKey(full, 'id'));
    expect(trialQueryKey({ includeRemoved: false, source: undefined }, 'id')).toBe(
      trialQueryKey({ includeRemoved: false }, 'id'),
    );
    expect(trialQueryKey(full, 'id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
