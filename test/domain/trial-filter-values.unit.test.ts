/**
 * The filter values (ages, sex, dates, sponsor class) each source's mapped record gives, on real
 * fixtures of all three registries: ClinicalTrials.gov's eligibility, status dates and lead
 * sponsor; CRIS's parsed age range, gender and enrolment/completion dates; KDCA iCReaT none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctgovAgeYears, normalizedDate, trialFilterValuesOf } from '../../src/domain/trial-filter-values.js';
import { mapCrisRecord } from '../../src/sources/cris/cris-mapper.js';
import { mapCtgovStudy } from '../../src/sources/ctgov/ctgov-mapper.js';
import { mapKrIcreatRecord } from '../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { realCrisDetailAnswer } from '../../testkit/fake-cris.js';
import { fixturesDir } from '../../testkit/fake-upstream.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `2020-05` → `2020-05-01`, `2020` → `2020-01-01`. */
const firstDay = (date: string | undefined): string | null =>
  date === undefined ? null : `${date}${['-01-01', '-01', ''][(date.length - 4) / 3]}`;

describe('filter values of the mapped trials', () => {
  it('reads ClinicalTrials.gov ages in their units, and dates as their first day', () => {
    expect(ctgovAgeYears('18 Years')).toBe(18);
    expect(ctgovAgeYears('1 Year')).toBe(1);
    expect(ctgovAgeYears('6 Months')).toBe(0.5);
    expect(ctgovAgeYears('1 Month')).toBe(1 / 12);
    expect(ctgovAgeYears('2 Weeks')).toBeCloseTo(14 / 365.25, 12);
    expect(ctgovAgeYears('28 Days')).toBeCloseTo(28 / 365.25, 12);
    expect(ctgovAgeYears('N/A')).toBeNull();
    expect(ctgovAgeYears('18 Fortnights')).toBeNull();
    expect(normalizedDate('2020-05')).toBe('2020-05-01');
    expect(normalizedDate('2020')).toBe('2020-01-01');
    expect(normalizedDate('2020-05-17')).toBe('2020-05-17');
    expect(normalizedDate('May 2020')).toBeNull();
  });

  it('ClinicalTrials.gov: every fixture study, from its raw eligibility, dates and lead sponsor', () => {
    for (const id of ctgovFixtureIds()) {
      const study: Study = ctgovFixture(id);
      const p = study.protocolSection;
      const mapped = mapCtgovStudy(study);
      const values = trialFilterValuesOf(mapped.source, mapped.sourceFields);
      const eligibility = p.eligibilityModule ?? {};
      expect(values.minAgeYears === null, id).toBe(eligibility.minimumAge === undefined);
      expect(values.maxAgeYears === null, id).toBe(eligibility.maximumAge === undefined);
      expect(values.sex, id).toBe(eligibility.sex ?? null);
      expect(values.startDate, id).toBe(firstDay(p.statusModule?.startDateStruct?.date));
      expect(values.completionDate, id).toBe(firstDay(p.statusModule?.completionDateStruct?.date));
      expect(values.sponsorClass, id).toBe(p.sponsorCollaboratorsModule?.leadSponsor?.class ?? null);
    }
  });

  it('CRIS: the real detail record’s age range, gender and dates; no sponsor class', () => {
    const mapped = mapCrisRecord({ detail: realCrisDetailAnswer() });
    // 19 세 ~ 50 세, 남성, enrolment 2011-08-03, completed 2011-09-30.
    expect(trialFilterValuesOf(mapped.source, mapped.sourceFields)).toEqual({
      minAgeYears: 19,
      maxAgeYears: 50,
      sex: 'MALE',
      startDate: '2011-08-03',
      completionDate: '2011-09-30',
      sponsorClass: null,
    });
  });

  it('KDCA iCReaT: the registry publishes none of them', () => {
    const snapshot = JSON.parse(
      readFileSync(join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json'), 'utf8'),
    ) as {
      data: unknown[];
    };
    for (const record of snapshot.data) {
      const mapped = mapKrIcreatRecord(record);
      expect(trialFilterValuesOf(mapped.source, mapped.sourceFields)).toEqual({
        minAgeYears: null,
        maxAgeYears: null,
        sex: null,
        startDate: null,
        completionDate: null,
        sponsorClass: null,
      });
    }
  });
});
