/**
 * The eligibility values the patient filters read (issue 19 item 4): ClinicalTrials.gov's age
 * texts, units as years, day keys of partial dates, and what each source's mapper derives from a
 * real record (ctgov fixtures, the real CRIS detail; kr-icreat gives nothing).
 */
import { describe, expect, it } from 'vitest';
import { ageInYears, dayOf, parseCtgovAge, sexOf, sponsorClassOf } from '../../src/domain/eligibility.js';
import { mapCrisRecord } from '../../src/sources/cris/cris-mapper.js';
import { mapCtgovStudy } from '../../src/sources/ctgov/ctgov-mapper.js';
import { mapKrIcreatRecord } from '../../src/sources/kr-icreat/kr-icreat-mapper.js';
import { koreanSnapshot } from '../api/support/seed.js';
import { realCrisDetailAnswer } from '../../testkit/fake-cris.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';

describe('parseCtgovAge', () => {
  it('reads every unit ClinicalTrials.gov writes, singular or plural, as years', () => {
    expect(parseCtgovAge('18 Years')).toBe(18);
    expect(parseCtgovAge('1 Year')).toBe(1);
    expect(parseCtgovAge('6 Months')).toBe(0.5);
    expect(parseCtgovAge('1 Month')).toBe(1 / 12);
    expect(parseCtgovAge('3 Months')).toBe(0.25);
    expect(parseCtgovAge('2 Weeks')).toBeCloseTo(14 / 365.25, 12);
    expect(parseCtgovAge('1 Week')).toBeCloseTo(7 / 365.25, 12);
    expect(parseCtgovAge('28 Days')).toBeCloseTo(28 / 365.25, 12);
    expect(parseCtgovAge('12 Hours')).toBeCloseTo(0.5 / 365.25, 12);
    expect(parseCtgovAge('30 Minutes')).toBeCloseTo(30 / (365.25 * 24 * 60), 15);
    expect(parseCtgovAge(' 65 years ')).toBe(65);
    expect(parseCtgovAge('0 Years')).toBe(0);
  });

  it('gives null (no limit) for N/A, nothing, or text it does not know', () => {
    for (const text of [
      'N/A',
      '',
      'Years',
      '18',
      '18 Decades',
      '-1 Years',
      'eighteen years',
      null,
      undefined,
    ])
      expect(parseCtgovAge(text), String(text)).toBeNull();
  });

  it('orders ages across units as a person ages', () => {
    const ages = ['1 Day', '2 Weeks', '1 Month', '6 Months', '1 Year', '17 Years', '18 Years'].map(
      parseCtgovAge,
    );
    expect([...ages].sort((a, b) => a! - b!)).toEqual(ages);
  });

  it('ageInYears refuses negative and non-finite values', () => {
    expect(ageInYears(-1, 'YEARS')).toBeNull();
    expect(ageInYears(Number.NaN, 'MONTHS')).toBeNull();
    expect(ageInYears(24, 'MONTHS')).toBe(2);
  });
});

describe('dayOf, sexOf, sponsorClassOf', () => {
  it('makes a sortable day of a date given to the day, month or year; null otherwise', () => {
    expect(dayOf('2024-05-17')).toBe('2024-05-17');
    expect(dayOf('2024-05')).toBe('2024-05-01');
    expect(dayOf('2024')).toBe('2024-01-01');
    expect(dayOf('2024-02-29')).toBe('2024-02-29');
    for (const text of ['2023-02-29', '2024-13', '2024-00-10', 'May 2024', '24-05-01', '', null])
      expect(dayOf(text), String(text)).toBeNull();
  });

  it('knows the three sexes in any case, and keeps any sponsor class upper-cased', () => {
    expect(sexOf('female')).toBe('FEMALE');
    expect(sexOf('ALL')).toBe('ALL');
    expect(sexOf('both')).toBeNull();
    expect(sponsorClassOf('industry')).toBe('INDUSTRY');
    expect(sponsorClassOf(' ')).toBeNull();
  });
});

describe('what the mappers derive', () => {
  it('ClinicalTrials.gov: ages, sex, dates and sponsor class of every real study, from its JSON', () => {
    for (const id of ctgovFixtureIds()) {
      const study = ctgovFixture(id) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const p = study.protocolSection;
      const e = mapCtgovStudy(study).eligibility!;
      const years = (text: string | undefined) => {
        const match = text === undefined ? null : /^(\d+) (Year|Month)s?$/.exec(text);
        return match === null ? null : Number(match[1]) / (match[2] === 'Month' ? 12 : 1);
      };
      const day = (date: string | undefined) =>
        date === undefined ? null : date.length === 7 ? `${date}-01` : date;
      expect(e, id).toEqual({
        minAgeYears: years(p.eligibilityModule?.minimumAge),
        maxAgeYears: years(p.eligibilityModule?.maximumAge),
        sex: p.eligibilityModule?.sex ?? null,
        startDate: day(p.statusModule?.startDateStruct?.date),
        completionDate: day(p.statusModule?.completionDateStruct?.date),
        sponsorClass: p.sponsorCollaboratorsModule?.leadSponsor?.class ?? null,
      });
    }
  });

  it('CRIS: the age range, gender, first enrolment and completion of the real detail', () => {
    // 남성 / Male, 19 세 ~ 50 세, enrolled 2011-08-03, completed 2011-09-30.
    expect(mapCrisRecord({ detail: realCrisDetailAnswer() }).eligibility).toEqual({
      minAgeYears: 19,
      maxAgeYears: 50,
      sex: 'MALE',
      startDate: '2011-08-03',
      completionDate: '2011-09-30',
      sponsorClass: null,
    });
  });

  it('kr-icreat: nothing (the file has no ages, sex or dates)', () => {
    const trial = mapKrIcreatRecord(koreanSnapshot()[0]);
    expect(trial.eligibility).toBeUndefined();
  });
});
