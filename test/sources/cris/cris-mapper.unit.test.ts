import { describe, expect, it } from 'vitest';
import { linkedRegistryIds } from '../../../src/domain/trial.types.js';
import { canonicalize, contentHash } from '../../../src/domain/canonical.js';
import type { CrisSourceFields } from '../../../src/sources/cris/cris-mapper.js';
import { CRIS_CANONICAL_RULES, mapCrisRecord } from '../../../src/sources/cris/cris-mapper.js';
import {
  cleanLine,
  cleanText,
  dateTypeOf,
  genderCodeOf,
  normalizeCrisDate,
  parseAgeRange,
  phaseCodeOf,
  splitInterventionTypes,
} from '../../../src/sources/cris/cris-vocabulary.js';
import { RecordError } from '../../../src/sources/source.types.js';
import {
  CRIS_FIXTURES,
  crisFixtureJson,
  crisFixtureText,
  realCrisDetailAnswer,
  realCrisListItems,
} from '../../../testkit/fake-cris.js';

const items2021 = crisFixtureJson<Record<string, unknown>[]>(CRIS_FIXTURES.listItems2021);
const page2026 = crisFixtureJson<{ items: Record<string, unknown>[] }>(CRIS_FIXTURES.list2026);
const item2026 = crisFixtureJson<Record<string, unknown>>(CRIS_FIXTURES.listItem2026);
const detail = realCrisDetailAnswer();
const allListItems = realCrisListItems();

const sourceOf = (raw: unknown) => mapCrisRecord(raw).sourceFields as unknown as CrisSourceFields;
const listItem = (id: string) => {
  const found = allListItems.find((item) => item.trial_id === id);
  if (found === undefined) throw new Error(`no fixture item ${id}`);
  return found;
};

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('the fixtures are what the mapper tests assume', () => {
  it('holds 7 list items from 2021, 3 + 1 from 2026 and one full detail with 74 keys', () => {
    expect(items2021).toHaveLength(7);
    expect(page2026.items).toHaveLength(3);
    expect(allListItems).toHaveLength(11);
    expect(new Set(allListItems.map((item) => item.trial_id)).size).toBe(11);
    expect(Object.keys(detail)).toHaveLength(74);
    // The 2021 observational items lack phase_kr and i_freetext_kr (13 keys), the others have 15.
    expect(items2021.map((item) => Object.keys(item).length)).toEqual([15, 13, 15, 15, 15, 15, 13]);
  });
});

describe('mapCrisRecord over every real list item', () => {
  it('maps each item alone: id, source, cleaned titles, raw kept verbatim', () => {
    for (const item of allListItems) {
      const trial = mapCrisRecord({ list: item });
      expect(trial.id).toBe(item.trial_id);
      expect(trial.source).toBe('cris');
      expect(trial.fields.title).toBe(cleanLine(item.scientific_title_kr));
      expect(trial.fields.titleEn).toBe(cleanLine(item.scientific_title_en));
      expect(trial.fields.officialTitle).toBe(cleanLine(item.scientific_title_kr));
      expect(trial.fields.title).not.toMatch(/[\r\n]|\s{2}|^\s|\s$/);
      expect(trial.fields.titleEn).not.toMatch(/[\r\n]|\s{2}|^\s|\s$/);
      expect(trial.fields.countries).toEqual(['South Korea']);
      // The list has no recruitment status, no target size and no secondary ids.
      expect(trial.fields.status).toBeNull();
      expect(trial.fields.enrollment).toBeNull();
      expect(trial.fields.secondaryIds).toEqual([]);
      const source = sourceOf({ list: item });
      expect(source.upstream.list).toEqual(item);
      expect(source.upstream.detail).toBeNull();
      expect(source.normalized.dates.registration).toBe(item.date_registration);
      expect(source.normalized.dates.updated).toBe(item.date_updated);
    }
  });

  it('maps KCT0008659 (2026): \\r\\n inside both titles is folded in the fields and kept in the raw', () => {
    const item = listItem('KCT0008659');
    expect(item.scientific_title_kr).toContain('\r\n');
    const trial = mapCrisRecord({ list: item });
    expect(trial.fields).toMatchObject({
      title:
        '포도당 대사가 활성화된 진행성 편평상피세포폐암 환자에서 면역 항암 화학요법과 혈당 강하제 메트포르민의 병합요법에 관한 무작위 배정 제2상 연구',
      titleEn:
        'Randomized phase II study of chemoimmunotherapy with or without metformin as a first-line treatment in patients with squamous cell lung carcinoma having high 18F-fluorodeoxyglucose uptake',
      studyType: 'INTERVENTIONAL',
      phase: null,
      institution: '국립암센터',
      interventions: [{ type: 'DRUG', name: '의약품' }],
      sourceUpdatedAt: '2024-01-30',
    });
    const source = sourceOf({ list: item });
    expect(source.upstream.list?.scientific_title_en).toBe(
      'Randomized phase II study of chemoimmunotherapy with or without\r\nmetformin as a first-line treatment in patients with squamous cell lung carcinoma\r\nhaving high 18F-fluorodeoxyglucose uptake',
    );
    expect(source.normalized.phase).toEqual({ code: null, kr: null, en: null });
    expect(source.normalized.dates).toEqual({
      registration: '2023-07-28',
      updated: '2024-01-30',
      enrolment: '2023-10-31',
      enrolmentType: 'ACTUAL',
      completion: '2028-05-31',
      completionType: 'ANTICIPATED',
      irb: null,
    });
  });

  it('maps KCT0006760 (2021): 의약품방사선 is split into two intervention types', () => {
    const trial = mapCrisRecord({ list: listItem('KCT0006760') });
    expect(trial.fields.interventions).toEqual([
      { type: 'DRUG', name: '의약품' },
      { type: 'RADIATION', name: '방사선' },
    ]);
    expect(trial.fields.phase).toBe('NA');
    expect(sourceOf({ list: listItem('KCT0006760') }).normalized.phase).toEqual({
      code: 'NA',
      kr: '해당사항없음',
      en: null,
    });
  });

  it('maps KCT0012458 (2026): 의료기구행동요인 split; registered after its last edit, so updated = registration', () => {
    const trial = mapCrisRecord({ list: item2026 });
    expect(trial.fields.interventions).toEqual([
      { type: 'DEVICE', name: '의료기구' },
      { type: 'BEHAVIORAL', name: '행동요인' },
    ]);
    const { dates } = sourceOf({ list: item2026 }).normalized;
    expect(dates.updated).toBe('2026-08-11');
    expect(dates.registration).toBe('2026-08-14');
    expect(trial.fields.sourceUpdatedAt).toBe('2026-08-14');
    expect(trial.fields.institution).toBe('중앙대학교 광명병원');
    expect(sourceOf({ list: item2026 }).normalized.funders).toEqual([{ kr: '(주)아이센스', en: null }]);
  });

  it('maps the 2021 observational items, which lack phase_kr and i_freetext_kr', () => {
    for (const id of ['KCT0006763', 'KCT0006758']) {
      const item = listItem(id);
      expect('phase_kr' in item || 'i_freetext_kr' in item).toBe(false);
      const trial = mapCrisRecord({ list: item });
      expect(trial.fields).toMatchObject({ studyType: 'OBSERVATIONAL', phase: null, interventions: [] });
      const source = sourceOf({ list: item });
      expect(source.normalized.interventionTypes).toEqual({ kr: [], en: [] });
    }
    expect(mapCrisRecord({ list: listItem('KCT0006758') }).fields).toMatchObject({
      title: '국민 건강 보험공단 데이터를 이용한 신대체 요법에 따른 뇌경색 발생 비교',
      institution: '연세대학교 원주의과대학',
      sourceUpdatedAt: '2021-11-15',
    });
  });

  it('maps KCT0006764 (leading blank in the English title) and KCT0006762 (double blanks)', () => {
    expect(listItem('KCT0006764').scientific_title_en).toMatch(/^ A study/);
    expect(mapCrisRecord({ list: listItem('KCT0006764') }).fields.titleEn).toBe(
      'A study on the safety and effectiveness of one-arm motorized gait training device for gait rehabilitation on the hemiplegic disabled due to stroke',
    );
    const knee = mapCrisRecord({ list: listItem('KCT0006762') });
    expect(knee.fields.title).toBe(
      '복합 균형 운동 프로그램이 무릎 인공관절 전치환술 환자의 신체기능, 균형능력 및 보행에 미치는 효과',
    );
    expect(knee.fields.titleEn).toBe(
      'Effects of Combined Balance Exercise Program on Physical Function, Balance Ability and Gait in Patients with Total Knee Replacement Arthroplasty',
    );
    expect(knee.fields.interventions).toEqual([{ type: 'OTHER', name: '기타' }]);
    // Edited 2021-09-26, registered 2021-11-16.
    expect(knee.fields.sourceUpdatedAt).toBe('2021-11-16');
  });

  it('keeps every list field of KCT0009342 in sourceFields.normalized', () => {
    const source = sourceOf({ list: listItem('KCT0009342') });
    expect(source.normalized).toMatchObject({
      sponsors: [{ kr: '재단법인아산사회복지재단 서울아산병원', en: null }],
      funders: [{ kr: '보건복지부', en: null }],
      outcomes: [
        {
          kr: '시험군 1과 대조군을 비교하기 위해 베이스라인 시점에서 8주째 PASC 점수가 12이상에서 12미만으로 개선되는 환자의 호전비율의 차이를 보기 위한 분석을 시행할 예정',
          en: null,
          timeKr: null,
          timeEn: null,
        },
      ],
      dates: { enrolmentType: 'ACTUAL', completionType: 'ACTUAL', completion: '2025-03-18' },
    });
  });
});

describe('mapCrisRecord over the real detail record KCT0000145', () => {
  const trial = mapCrisRecord({ detail });
  const source = sourceOf({ detail });

  it('maps the common fields exactly', () => {
    expect(trial).toMatchObject({ id: 'KCT0000145', source: 'cris' });
    expect(trial.fields).toEqual({
      title: '아미트리프틸린염산염정제 10밀리그램과 25밀리그램의 약동학적 특성 평가를 위한 비교 연구',
      titleEn:
        'Study to Compare the Pharamcokinetics profile of Amitriptyline Hydrochloride Tablet 10mg and 25mg',
      officialTitle:
        '건강한 남성피험자에서 에트라빌정10밀리그램 및 25밀리그램 경구 투여 후, 안전성 및 약동학적 특성을 평가하기 위한 무작위배정, 단회, 교차, 공개 임상시험',
      acronym: null,
      status: 'COMPLETED',
      phase: null,
      studyType: 'INTERVENTIONAL',
      institution: '동화약품(주)',
      department: null,
      conditions: [],
      keywords: [],
      interventions: [{ type: 'DRUG', name: '의약품' }],
      enrollment: 12,
      countries: ['South Korea'],
      hasResults: null,
      secondaryIds: [],
      // date_updated 2013/12/04 and date_registration 2011/07/18, slashes normalised.
      sourceUpdatedAt: '2013-12-04',
    });
  });

  it('normalises every documented quirk of the detail', () => {
    const { normalized } = source;
    expect(normalized.dates).toEqual({
      registration: '2011-07-18',
      updated: '2013-12-04',
      enrolment: '2011-08-03',
      enrolmentType: 'ACTUAL',
      completion: '2011-09-30',
      completionType: null,
      irb: '2011-06-21',
    });
    expect(normalized.titles).toEqual({
      scientificKr:
        '건강한 남성피험자에서 에트라빌정10밀리그램 및 25밀리그램 경구 투여 후, 안전성 및 약동학적 특성을 평가하기 위한 무작위배정, 단회, 교차, 공개 임상시험',
      scientificEn:
        'Randomized, Sigle dose, 2-way crossover, Open study to compare the pharmacokinetics profile of Etravil(Amitriptyline Hydrochloride)tablet 10mg and Etravil(Amitriptyline Hydrochloride)tablet 25mg after a single oral administration in healthy male volunteers',
      publicKr: '아미트리프틸린염산염정제 10밀리그램과 25밀리그램의 약동학적 특성 평가를 위한 비교 연구',
      publicEn:
        'Study to Compare the Pharamcokinetics profile of Amitriptyline Hydrochloride Tablet 10mg and 25mg',
    });
    expect(normalized.summary).toEqual({
      kr: '본 임상시험은 아미트리프틸린염산염정제 10밀리그램과 25밀리그램의 약동학적 특성 평가를 위한 비교 연구',
      en: 'Study to Compare the Pharamcokinetics profile of Amitriptyline Hydrochloride Tablet 10mg and 25mg',
    });
    expect(normalized.status).toEqual({ code: 'COMPLETED', kr: '연구종결', en: 'Completed' });
    expect(normalized.studyType).toEqual({
      code: 'INTERVENTIONAL',
      kr: '중재연구',
      en: 'Interventional Study',
    });
    expect(normalized.phase).toEqual({ code: null, kr: null, en: null });
    // In the detail, i_freetext_kr is the arms' text and i_freetext_type_kr the type.
    expect(normalized.interventionTypes).toEqual({
      kr: [{ code: 'DRUG', label: '의약품' }],
      en: [{ code: 'DRUG', label: 'Drug' }],
    });
    expect(normalized.interventionDescription).toEqual({
      kr: '1군 : 아미트리프틸린염산염정10밀리그램, 1회, 경구투여\n2군 : 아미트리프틸린염산염정25밀리그램, 1회, 경구투여',
      en: 'Group 1 : Amitriptyline HCl tablet 10mg, single Oral dose\nGroup 2 : Amitriptyline HCl tablet 10mg, single Oral dose',
    });
    expect(normalized.sponsors).toEqual([{ kr: '동화약품(주)', en: 'Dongwha Pharmaceutical' }]);
    expect(normalized.funders).toEqual([{ kr: '동화약품(주)', en: 'Dongwha Pharmaceutical' }]);
    expect(normalized.sites).toEqual([{ kr: '전북대학교병원', en: 'Jeonbuk National University Hospital' }]);
    expect(normalized.outcomes).toEqual([
      {
        kr: '혈중농도-시간곡선하 면적: AUClast, AUCinf',
        en: 'Area under the concentration-time curve',
        timeKr: '투약 후 72시간',
        timeEn: 'Up to 72hr after adminstration',
      },
      {
        kr: '최고 혈중농도: Cmax',
        en: 'Peak concentration',
        timeKr: '투약 후 72시간',
        timeEn: 'Up to 72hr after adminstration',
      },
    ]);
    expect(normalized.outcomeType).toEqual({ kr: '약물동태성', en: 'Pharmacokinetics' });
    expect(normalized.targetSize).toBe(12);
    expect(normalized.gender).toEqual({ code: 'MALE', kr: '남성', en: 'Male' });
    expect(normalized.ageRange).toEqual({
      kr: '19 세 ~ 50 세',
      en: '19 Year ~ 50 Year',
      min: { value: 19, unit: 'YEARS' },
      max: { value: 50, unit: 'YEARS' },
    });
  });

  it('keeps the 72 data fields as given (without the envelope), \\r\\n and blanks included', () => {
    const upstream = source.upstream.detail!;
    expect(Object.keys(upstream)).toHaveLength(72);
    expect(upstream).not.toHaveProperty('resultCode');
    expect(upstream).not.toHaveProperty('resultMsg');
    expect(upstream.i_freetext_kr).toContain('\r\n');
    expect(upstream.irb_status_en).toBe('  Submitted approval');
    expect(upstream.date_registration).toBe('2011/07/18');
    const { resultCode: _code, resultMsg: _message, ...rest } = detail;
    expect(upstream).toEqual(rest);
  });

  it('reads the detail from the raw answer text, byte for byte', () => {
    expect(JSON.parse(crisFixtureText(CRIS_FIXTURES.detail))).toEqual(detail);
  });

  it('prefers the detail and fills from the list when both are given', () => {
    const list = {
      trial_id: 'KCT0000145',
      date_updated: '2013-12-04',
      phase_kr: '해당사항없음',
      primary_outcome_1_kr: 'x',
    };
    const both = mapCrisRecord({ list, detail });
    // The detail's phase_kr is "" (blank), so the list's value fills it.
    expect(both.fields.phase).toBe('NA');
    expect(both.fields.title).toBe(trial.fields.title);
    expect(sourceOf({ list, detail }).normalized.outcomes).toHaveLength(2);
  });
});

describe('the mapper rejects records it cannot identify', () => {
  it.each([
    [null, 'cris: a record is not an object (null)'],
    [[], 'cris: a record is not an object (object)'],
    [{}, 'cris: a record has neither a list entry nor a detail'],
    [{ list: { scientific_title_kr: 'x' } }, 'cris: a record has no trial_id'],
    [{ list: { trial_id: 'KCT12' } }, 'cris: "KCT12" is not a CRIS registration number (KCT and 7 digits)'],
    [
      { list: { trial_id: 'KCT0000001' }, detail: { trial_id: 'KCT0000002' } },
      'cris: the list entry (KCT0000001) and the detail (KCT0000002) name different trials',
    ],
  ])('%j → RecordError', (raw, reason) => {
    const error = thrown(() => mapCrisRecord(raw));
    expect(error).toBeInstanceOf(RecordError);
    expect((error as RecordError).message).toBe(reason);
  });

  it('accepts an id in lower case or with blanks around it', () => {
    expect(mapCrisRecord({ list: { trial_id: ' kct0001234 ' } }).id).toBe('KCT0001234');
  });
});

describe('normalisers', () => {
  it('normalises both date forms and rejects impossible ones', () => {
    expect(normalizeCrisDate('2011/07/18')).toBe('2011-07-18');
    expect(normalizeCrisDate('2011-07-18')).toBe('2011-07-18');
    expect(normalizeCrisDate(' 2011.7.8 ')).toBe('2011-07-08');
    expect(normalizeCrisDate('20110718')).toBe('2011-07-18');
    for (const bad of ['', '2011/02/30', '2011-13-01', '18/07/2011', 'soon', 20110718, null]) {
      expect(normalizeCrisDate(bad)).toBeNull();
    }
  });

  it('splits concatenated intervention types against the vocabulary, keeping unknown parts', () => {
    expect(splitInterventionTypes('생물학적제제백신줄기세포를제외한생물학적제제백신')).toEqual([
      { code: 'BIOLOGICAL', label: '생물학적제제백신줄기세포를제외한생물학적제제' },
      { code: 'BIOLOGICAL', label: '백신' },
    ]);
    expect(splitInterventionTypes('행동요인기타')).toEqual([
      { code: 'BEHAVIORAL', label: '행동요인' },
      { code: 'OTHER', label: '기타' },
    ]);
    expect(splitInterventionTypes('의약품, 시술/수술')).toEqual([
      { code: 'DRUG', label: '의약품' },
      { code: 'PROCEDURE', label: '시술/수술' },
    ]);
    expect(splitInterventionTypes('의약품한약방사선')).toEqual([
      { code: 'DRUG', label: '의약품' },
      { code: null, label: '한약' },
      { code: 'RADIATION', label: '방사선' },
    ]);
    expect(splitInterventionTypes('')).toEqual([]);
    expect(splitInterventionTypes(undefined)).toEqual([]);
  });

  it('reads phases in Korean and English', () => {
    expect(phaseCodeOf('해당사항없음')).toBe('NA');
    expect(phaseCodeOf('2상')).toBe('PHASE2');
    expect(phaseCodeOf('제3상')).toBe('PHASE3');
    expect(phaseCodeOf('1/2상')).toBe('PHASE1/PHASE2');
    expect(phaseCodeOf('2a상')).toBe('PHASE2');
    expect(phaseCodeOf('초기1상')).toBe('EARLY_PHASE1');
    expect(phaseCodeOf('Phase 2')).toBe('PHASE2');
    expect(phaseCodeOf('Phase1/Phase2')).toBe('PHASE1/PHASE2');
    expect(phaseCodeOf('Phase II/III')).toBe('PHASE2/PHASE3');
    expect(phaseCodeOf('Not applicable')).toBe('NA');
    expect(phaseCodeOf('탐색')).toBeNull();
    expect(phaseCodeOf(null)).toBeNull();
  });

  it('reads gender, age ranges, date types and target sizes', () => {
    expect(genderCodeOf('여성', 'Female')).toBe('FEMALE');
    expect(genderCodeOf('남녀 모두', 'Both')).toBe('ALL');
    expect(genderCodeOf('남성', null)).toBe('MALE');
    expect(genderCodeOf(null, null)).toBeNull();
    expect(parseAgeRange('6 개월 ~ 18 세')).toEqual({
      min: { value: 6, unit: 'MONTHS' },
      max: { value: 18, unit: 'YEARS' },
    });
    expect(parseAgeRange('19 세 ~ 제한없음')).toEqual({ min: { value: 19, unit: 'YEARS' }, max: null });
    expect(parseAgeRange('만 65세 이상')).toEqual({ min: { value: 65, unit: 'YEARS' }, max: null });
    expect(dateTypeOf('예정', null)).toBe('ANTICIPATED');
    expect(dateTypeOf('', '')).toBeNull();
    expect(cleanText(' a \r\n\r\n\r\n b  c ')).toBe('a\n\nb c');
  });

  it('reads secondary ids where a record carries them, and links NCT ids', () => {
    const withIds = {
      detail: {
        ...detail,
        secondary_id: 'NCT01234567, SPONSOR-001',
        secondary_id_items: [{ secondary_id_number: 'nct07654321', secondary_id_type: 'ClinicalTrials.gov' }],
      },
    };
    const trial = mapCrisRecord(withIds);
    expect(trial.fields.secondaryIds).toEqual([
      { id: 'NCT01234567', type: 'ClinicalTrials.gov' },
      { id: 'SPONSOR-001', type: null },
      { id: 'nct07654321', type: 'ClinicalTrials.gov' },
    ]);
    expect(linkedRegistryIds(trial)).toEqual(['NCT01234567', 'NCT07654321']);
  });
});

describe('canonical rules', () => {
  const hash = (raw: unknown) => contentHash(canonicalize(raw, CRIS_CANONICAL_RULES));

  it('ignores the envelope codes and the order of sponsors, funders and sites, not of outcomes', () => {
    const base = { list: item2026, detail };
    const twoSites = {
      ...detail,
      research_items: [
        { site_name_kr: 'B', site_name_en: 'B' },
        { site_name_kr: 'A', site_name_en: 'A' },
      ],
    };
    expect(hash({ ...base, detail: { ...detail, resultMsg: 'OTHER' } })).toBe(hash(base));
    expect(hash({ list: item2026, detail: twoSites })).toBe(
      hash({
        list: item2026,
        detail: { ...twoSites, research_items: [...twoSites.research_items].reverse() },
      }),
    );
    const outcomes = detail.outcome_items as unknown[];
    expect(hash({ list: item2026, detail: { ...detail, outcome_items: [...outcomes].reverse() } })).not.toBe(
      hash(base),
    );
  });
});
