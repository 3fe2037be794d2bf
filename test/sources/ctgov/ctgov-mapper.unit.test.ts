import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linkedRegistryIds } from '../../../src/domain/trial.types.js';
import { canonicalize, contentHash, diffCanonical } from '../../../src/domain/canonical.js';
import type { CtgovSourceFields } from '../../../src/sources/ctgov/ctgov-mapper.js';
import {
  CTGOV_CANONICAL_RULES,
  ctgovStudyAliases,
  ctgovStudyId,
  enrollmentCount,
  mapCtgovStudy,
  phaseOf,
} from '../../../src/sources/ctgov/ctgov-mapper.js';
import { RecordError } from '../../../src/sources/source.types.js';
import type { FakeStudy } from '../../../testkit/fake-ctgov.js';
import {
  ctgovFixture,
  ctgovFixtureIds,
  loadCtgovFixtures,
  syntheticNctId,
  syntheticStudy,
} from '../../../testkit/fake-ctgov.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';

interface IndexRow {
  nctId: string;
  file: string;
  versionHolder: string;
  lastUpdatePostDate: { date: string; type: string };
  overallStatus: string;
  studyType: string;
  hasResults: boolean;
}

const dir = `${fixturesDir().replace(/\/?$/, '/')}ctgov/`;
const index = JSON.parse(readFileSync(`${dir}index.json`, 'utf8')) as IndexRow[];
const studies = loadCtgovFixtures();
const mapped = studies.map((study) => mapCtgovStudy(study));
const sourceFieldsOf = (id: string): CtgovSourceFields => {
  const trial = mapped.find((candidate) => candidate.id === id);
  expect(trial).toBeDefined();
  return trial!.sourceFields as unknown as CtgovSourceFields;
};
const trialOf = (id: string) => mapped.find((candidate) => candidate.id === id)!;

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const DATE_STRUCTS = {
  start: 'startDateStruct',
  primaryCompletion: 'primaryCompletionDateStruct',
  completion: 'completionDateStruct',
  studyFirstPosted: 'studyFirstPostDateStruct',
  resultsFirstPosted: 'resultsFirstPostDateStruct',
  lastUpdatePosted: 'lastUpdatePostDateStruct',
} as const;

describe('mapCtgovStudy over the 200 real studies', () => {
  it('maps every study without an exception, each under its own NCT id', () => {
    expect(studies).toHaveLength(200);
    expect(index).toHaveLength(200);
    expect(new Set(mapped.map((trial) => trial.id)).size).toBe(200);
    expect(mapped.map((trial) => trial.id).sort()).toEqual(ctgovFixtureIds());
    for (const trial of mapped) expect(trial.source).toBe('ctgov');
  });

  it("maps every study's status, type, results flag and last update as the index records them", () => {
    for (const row of index) {
      const trial = trialOf(row.nctId);
      expect(trial.fields.status, row.nctId).toBe(row.overallStatus);
      expect(trial.fields.studyType, row.nctId).toBe(row.studyType);
      expect(trial.fields.hasResults, row.nctId).toBe(row.hasResults);
      expect(trial.fields.sourceUpdatedAt, row.nctId).toBe(row.lastUpdatePostDate.date);
      expect(sourceFieldsOf(row.nctId).dates.lastUpdatePosted, row.nctId).toEqual({
        date: row.lastUpdatePostDate.date,
        type: row.lastUpdatePostDate.type,
        precision: 'day',
      });
    }
    const statuses = new Map<string, number>();
    for (const trial of mapped)
      statuses.set(trial.fields.status!, (statuses.get(trial.fields.status!) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({
      COMPLETED: 64,
      RECRUITING: 42,
      UNKNOWN: 23,
      TERMINATED: 22,
      ACTIVE_NOT_RECRUITING: 19,
      NOT_YET_RECRUITING: 18,
      WITHDRAWN: 7,
      ENROLLING_BY_INVITATION: 3,
      SUSPENDED: 2,
    });
  });

  it("maps every study's phases and every date with its type", () => {
    studies.forEach((study, i) => {
      const trial = mapped[i]!;
      const source = trial.sourceFields as unknown as CtgovSourceFields;
      const protocol = study.protocolSection as Record<string, Record<string, unknown>>;
      const phases = (protocol.designModule!.phases as string[] | undefined) ?? [];
      expect(source.phases, trial.id).toEqual(phases);
      expect(trial.fields.phase, trial.id).toBe(phases.length === 0 ? null : phases.join('/'));
      const status = protocol.statusModule!;
      for (const [name, struct] of Object.entries(DATE_STRUCTS)) {
        const raw = status[struct] as { date: string; type?: string } | undefined;
        const date = source.dates[name as keyof typeof DATE_STRUCTS];
        if (raw === undefined) {
          expect(date, `${trial.id} ${name}`).toBeNull();
        } else {
          expect(date, `${trial.id} ${name}`).toMatchObject({ date: raw.date, type: raw.type ?? null });
          expect(date!.precision, `${trial.id} ${name}`).not.toBeNull();
        }
      }
    });
    const phases = new Set(mapped.map((trial) => trial.fields.phase));
    expect([...phases].sort()).toEqual(
      [
        'EARLY_PHASE1',
        'NA',
        'PHASE1',
        'PHASE1/PHASE2',
        'PHASE2',
        'PHASE2/PHASE3',
        'PHASE3',
        'PHASE4',
        null,
      ].sort(),
    );
  });

  it('keeps locations with their geo points, and the countries they name', () => {
    let locations = 0;
    let withGeo = 0;
    for (const trial of mapped) {
      const source = trial.sourceFields as unknown as CtgovSourceFields;
      locations += source.locations.length;
      withGeo += source.locations.filter((location) => location.geoPoint !== null).length;
      const countries = [...new Set(source.locations.map((l) => l.country).filter((c) => c !== null))].sort();
      expect(trial.fields.countries).toEqual(countries);
    }
    expect(locations).toBe(2414);
    expect(withGeo).toBe(2386);
  });

  it('maps NCT00000410 exactly', () => {
    const trial = trialOf('NCT00000410');
    expect(trial.fields).toEqual({
      title: 'Spine Patient Outcomes Research Trial (SPORT) - Intervertebral Disc Herniation',
      titleEn: 'Spine Patient Outcomes Research Trial (SPORT) - Intervertebral Disc Herniation',
      officialTitle:
        'Spine Patient Outcomes Research Trial (SPORT): A Multicenter Randomized Trial for Intervertebral Disc Herniation (IDH)',
      acronym: 'SPORT',
      status: 'COMPLETED',
      phase: 'PHASE4',
      studyType: 'INTERVENTIONAL',
      institution: 'Dartmouth-Hitchcock Medical Center',
      department: null,
      conditions: ['Herniated Disc', 'Low Back Pain'],
      keywords: [
        'Intervertebral disc herniation (IDH)',
        'Stenosis with degenerative spondylolisthesis (DS)',
        'Spinal stenosis (SpS)',
        'Low back pain (LBP)',
        'Leg pain',
        'Surgical therapy',
        'Non-surgical therapy',
        'Randomized study',
        'Multicenter',
        'MRI',
      ],
      interventions: [
        { type: 'PROCEDURE', name: 'Diskectomy' },
        { type: 'PROCEDURE', name: 'Non-surgical treatments' },
      ],
      enrollment: 501,
      countries: ['United States'],
      hasResults: false,
      secondaryIds: [{ id: 'U01AR045444', type: 'NIH' }],
      sourceUpdatedAt: '2015-08-04',
    });
    expect(trial.aliases).toBeUndefined();
    const source = sourceFieldsOf('NCT00000410');
    expect(source).toMatchObject({
      nctIdAliases: [],
      orgStudyId: { id: 'U01 AR45444 NIAMS-004C', type: null, domain: null, link: null },
      secondaryIds: [
        {
          id: 'U01AR045444',
          type: 'NIH',
          domain: null,
          link: 'https://reporter.nih.gov/quickSearch/U01AR045444',
        },
      ],
      organization: { name: 'Dartmouth-Hitchcock Medical Center', class: 'OTHER' },
      statusVerifiedDate: '2015-08',
      enrollment: { count: 501, type: 'ACTUAL', reported: 501 },
      dates: {
        start: { date: '2000-03', type: null, precision: 'month' },
        primaryCompletion: { date: '2015-04', type: 'ACTUAL', precision: 'month' },
        completion: { date: '2015-04', type: 'ACTUAL', precision: 'month' },
        studyFirstPosted: { date: '1999-11-04', type: 'ESTIMATED', precision: 'day' },
        resultsFirstPosted: null,
        lastUpdatePosted: { date: '2015-08-04', type: 'ESTIMATED', precision: 'day' },
        studyFirstSubmitted: '1999-11-03',
        lastUpdateSubmitted: '2015-08-03',
      },
      leadSponsor: { name: 'Dartmouth-Hitchcock Medical Center', class: 'OTHER' },
      collaborators: [
        {
          name: 'National Institute of Arthritis and Musculoskeletal and Skin Diseases (NIAMS)',
          class: 'NIH',
        },
        { name: 'National Institute for Occupational Safety and Health (NIOSH/CDC)', class: 'FED' },
        { name: "Office of Research on Women's Health (ORWH)", class: 'NIH' },
      ],
      eligibility: {
        sex: 'ALL',
        minimumAge: '18 Years',
        maximumAge: null,
        healthyVolunteers: false,
        stdAges: ['ADULT', 'OLDER_ADULT'],
      },
    });
    expect(source.locations).toHaveLength(13);
    expect(source.locations[0]).toEqual({
      facility: 'Kaiser Permanente Spine Care Program',
      city: 'Oakland',
      state: 'California',
      zip: '94612',
      country: 'United States',
      status: null,
      geoPoint: { lat: 37.80437, lon: -122.2708 },
    });
  });

  it('maps NCT04431453 (490 KB, with results) exactly where it matters', () => {
    expect(trialOf('NCT04431453').fields).toMatchObject({
      title: 'Study of Remdesivir in Participants Below 18 Years Old With COVID-19',
      acronym: 'CARAVAN',
      status: 'COMPLETED',
      phase: 'PHASE2/PHASE3',
      institution: 'Gilead Sciences',
      enrollment: 59,
      countries: ['Italy', 'Spain', 'United Kingdom', 'United States'],
      hasResults: true,
      secondaryIds: [{ id: '2020-001803-17', type: 'EUDRACT_NUMBER' }],
      sourceUpdatedAt: '2023-12-22',
    });
    expect(sourceFieldsOf('NCT04431453')).toMatchObject({
      phases: ['PHASE2', 'PHASE3'],
      dates: { resultsFirstPosted: { date: '2023-12-22', type: 'ACTUAL', precision: 'day' } },
      interventions: [{ type: 'DRUG', name: 'Remdesivir', otherNames: ['GS-5734™', 'Veklury®'] }],
      eligibility: { minimumAge: null, maximumAge: '18 Years', stdAges: ['CHILD', 'ADULT'] },
    });
  });

  it('keeps a secondary id without a type, and an enrollment without a type (NCT00203190)', () => {
    expect(trialOf('NCT00203190').fields).toMatchObject({
      status: 'TERMINATED',
      enrollment: 60,
      secondaryIds: [{ id: '080-19000-H56501', type: null }],
      sourceUpdatedAt: '2009-01-23',
    });
    expect(sourceFieldsOf('NCT00203190')).toMatchObject({
      enrollment: { count: 60, type: null, reported: 60 },
      dates: { start: { date: '2004-09', type: null, precision: 'month' }, primaryCompletion: null },
      collaborators: [{ name: 'Ortho-McNeil Neurologics, Inc.', class: 'INDUSTRY' }],
    });
  });

  it('keeps registry ids with their type and issuer (NCT05915702)', () => {
    expect(trialOf('NCT05915702').fields.secondaryIds).toEqual([
      { id: '2022-501884-41-00', type: 'REGISTRY' },
    ]);
    expect(sourceFieldsOf('NCT05915702').secondaryIds).toEqual([
      { id: '2022-501884-41-00', type: 'REGISTRY', domain: 'CTIS (EU)', link: null },
    ]);
    expect(trialOf('NCT05915702').fields.countries).toContain('Korea, Republic of');
  });
});

describe('mapCtgovStudy on edited studies', () => {
  const base = (): FakeStudy => ctgovFixture('NCT00000410');
  const identification = (study: FakeStudy) =>
    (study.protocolSection as Record<string, Record<string, unknown>>).identificationModule!;
  const design = (study: FakeStudy) =>
    (study.protocolSection as Record<string, Record<string, unknown>>).designModule!;

  it('reads 99999999 as an unknown enrollment but keeps the reported value', () => {
    const study = base();
    design(study).enrollmentInfo = { count: 99_999_999, type: 'ESTIMATED' };
    const trial = mapCtgovStudy(study);
    expect(trial.fields.enrollment).toBeNull();
    expect((trial.sourceFields as unknown as CtgovSourceFields).enrollment).toEqual({
      count: null,
      type: 'ESTIMATED',
      reported: 99_999_999,
    });
    expect(enrollmentCount(0)).toBe(0);
    expect(enrollmentCount(-1)).toBeNull();
    expect(enrollmentCount(1.5)).toBeNull();
    expect(enrollmentCount('12')).toBeNull();
  });

  it('records merged ids as aliases (valid NCT ids other than its own, once each)', () => {
    const study = base();
    identification(study).nctIdAliases = ['NCT00000001', 'NCT00000410', 'junk', 'NCT00000001', 'NCT00000002'];
    const trial = mapCtgovStudy(study);
    expect(trial.aliases).toEqual(['NCT00000001', 'NCT00000002']);
    expect(ctgovStudyAliases(study)).toEqual(['NCT00000001', 'NCT00000002']);
    expect((trial.sourceFields as unknown as CtgovSourceFields).nctIdAliases).toEqual([
      'NCT00000001',
      'NCT00000002',
    ]);
  });

  it('turns a CRIS secondary id into a cross-registry link', () => {
    const study = base();
    identification(study).secondaryIdInfos = [
      { id: 'KCT0001234', type: 'REGISTRY', domain: 'CRIS' },
      { id: 'U01AR045444', type: 'NIH' },
    ];
    const trial = mapCtgovStudy(study);
    expect(trial.fields.secondaryIds).toEqual([
      { id: 'KCT0001234', type: 'REGISTRY' },
      { id: 'U01AR045444', type: 'NIH' },
    ]);
    expect(linkedRegistryIds(trial)).toEqual(['KCT0001234']);
  });

  it('skips, with a reason, what is not a study with an NCT id', () => {
    expect(thrown(() => mapCtgovStudy(null))).toBeInstanceOf(RecordError);
    expect(thrown(() => mapCtgovStudy([]))).toBeInstanceOf(RecordError);
    const noId = base();
    delete identification(noId).nctId;
    expect(thrown(() => mapCtgovStudy(noId))).toMatchObject({
      recordId: null,
      message: 'ctgov: a study has no protocolSection.identificationModule.nctId',
    });
    const badId = base();
    identification(badId).nctId = 'NCT123';
    expect(thrown(() => mapCtgovStudy(badId))).toMatchObject({ recordId: 'NCT123' });
    expect(thrown(() => mapCtgovStudy({ hasResults: false }))).toBeInstanceOf(RecordError);
  });

  it('maps mistyped or missing modules to null and empty values rather than failing', () => {
    const trial = mapCtgovStudy({
      protocolSection: {
        identificationModule: { nctId: 'NCT01234568', briefTitle: 42 },
        statusModule: { overallStatus: ['RECRUITING'], lastUpdatePostDateStruct: { date: 20240101 } },
        designModule: { phases: 'PHASE1', enrollmentInfo: { count: '10' } },
        contactsLocationsModule: {
          locations: [{ country: 'Korea, Republic of', geoPoint: { lat: 'x' } }, 'junk'],
        },
      },
    });
    expect(trial.fields).toMatchObject({
      title: null,
      status: null,
      phase: null,
      enrollment: null,
      countries: ['Korea, Republic of'],
      hasResults: null,
      sourceUpdatedAt: null,
    });
    expect((trial.sourceFields as unknown as CtgovSourceFields).locations[0]!.geoPoint).toBeNull();
  });

  it('maps the field-limited responses of the real API (fixtures partial/ and pages/)', () => {
    for (const name of [
      'partial/biomcp__get_nct02576665_20260811.json',
      'partial/biomcp__get_nct06382129_20260811.json',
      'partial/biomcp__get_nct06604689_20260811.json',
    ]) {
      const study = JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as unknown;
      const trial = mapCtgovStudy(study);
      expect(trial.id).toMatch(/^NCT\d{8}$/);
      expect(trial.fields.status).not.toBeNull();
    }
    const page = JSON.parse(
      readFileSync(`${dir}pages/biomcp__search_phelan_limit5_20260811.json`, 'utf8'),
    ) as {
      studies: unknown[];
    };
    const ids = page.studies.map((study) => mapCtgovStudy(study).id);
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe('NCT02710084');
    expect(mapCtgovStudy(page.studies[0]).fields).toMatchObject({
      status: 'COMPLETED',
      phase: 'PHASE2',
      enrollment: 18,
    });
  });

  it('reads ids for listings without throwing', () => {
    expect(ctgovStudyId(base())).toBe('NCT00000410');
    expect(ctgovStudyId({ protocolSection: { identificationModule: { nctId: 'NCT1' } } })).toBeNull();
    expect(ctgovStudyId('x')).toBeNull();
    expect(phaseOf([])).toBeNull();
  });
});

describe('CTGOV_CANONICAL_RULES', () => {
  const derived = (study: FakeStudy) => study.derivedSection as Record<string, Record<string, unknown>>;
  const status = (study: FakeStudy) =>
    (study.protocolSection as Record<string, Record<string, Record<string, unknown>>>).statusModule!;

  it('ignores a versionHolder-only change, in every study', () => {
    for (const study of studies.slice(0, 50)) {
      const next = structuredClone(study);
      derived(next).miscInfoModule!.versionHolder = '2099-01-01';
      expect(hash(next)).toBe(hash(study));
    }
  });

  it('ignores re-ordered MeSH browse lists of both browse modules', () => {
    let reordered = 0;
    for (const study of studies) {
      const next = structuredClone(study);
      for (const module of ['conditionBrowseModule', 'interventionBrowseModule']) {
        const browse = derived(next)[module];
        if (browse === undefined) continue;
        for (const list of ['meshes', 'ancestors', 'browseLeaves', 'browseBranches']) {
          const items = browse[list] as unknown[] | undefined;
          if (items !== undefined && items.length > 1) {
            items.reverse();
            reordered++;
          }
        }
      }
      expect(hash(next)).toBe(hash(study));
    }
    expect(reordered).toBeGreaterThan(200);
  });

  it('sees a re-ordered protocol list, and a removed browse entry', () => {
    const study = ctgovFixture('NCT00000410');
    const conditions = structuredClone(study);
    (
      conditions.protocolSection as Record<string, Record<string, string[]>>
    ).conditionsModule!.conditions!.reverse();
    expect(hash(conditions)).not.toBe(hash(study));
    const fewer = structuredClone(study);
    (derived(fewer).conditionBrowseModule!.meshes as unknown[]).pop();
    expect(hash(fewer)).not.toBe(hash(study));
  });

  it('sees ESTIMATED → ACTUAL with the same date, with that path in the diff', () => {
    const before = ctgovFixture('NCT05915702');
    const after = structuredClone(before);
    status(after).primaryCompletionDateStruct = { date: '2024-10-31', type: 'ACTUAL' };
    expect(status(before).primaryCompletionDateStruct).toEqual({ date: '2024-10-31', type: 'ESTIMATED' });
    expect(hash(after)).not.toBe(hash(before));
    expect(
      diffCanonical(canonicalize(before, CTGOV_CANONICAL_RULES), canonicalize(after, CTGOV_CANONICAL_RULES)),
    ).toEqual([
      {
        path: 'protocolSection.statusModule.primaryCompletionDateStruct.type',
        old: 'ESTIMATED',
        new: 'ACTUAL',
      },
    ]);
  });
});

describe('syntheticStudy', () => {
  it('rewrites the ids and varies the title, leaving the template as it was', () => {
    const template = ctgovFixture('NCT00000410');
    const copy = structuredClone(template);
    const study = syntheticStudy(template, 42);
    expect(template).toEqual(copy);
    const trial = mapCtgovStudy(study);
    expect(trial.id).toBe('NCT90000042');
    expect(syntheticNctId(9_999_999)).toBe('NCT99999999');
    expect(() => syntheticNctId(10_000_000)).toThrow();
    expect(trial.fields.title).toBe(
      'Spine Patient Outcomes Research Trial (SPORT) - Intervertebral Disc Herniation (synthetic 42 from NCT00000410)',
    );
    expect((trial.sourceFields as unknown as CtgovSourceFields).orgStudyId?.id).toBe(
      'U01 AR45444 NIAMS-004C-S42',
    );
    expect(trial.fields.status).toBe('COMPLETED');
    expect(hash(study)).not.toBe(hash(syntheticStudy(template, 43)));
  });
});

function hash(study: unknown): string {
  return contentHash(canonicalize(study, CTGOV_CANONICAL_RULES));
}
