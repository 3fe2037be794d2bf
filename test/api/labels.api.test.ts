/**
 * Issue 17, item 4 at the level a client sees it: every status, phase and study-type code the API
 * shows has its English and Korean label beside it — `labels` on trials (one trial, list pages,
 * the NDJSON export, a past version), `fromLabel`/`toLabel` on status and phase changes (the feed,
 * its CSV export, the versions route) and `label` on the facet buckets of those fields — while the
 * codes stay as they were. Real ClinicalTrials.gov studies imported through the harvest, then
 * imported again with a status and a phase changed, plus seeded Korean trials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeListSchema } from '../../src/api/schemas/change.schema.js';
import { FacetListSchema } from '../../src/api/schemas/facet.schema.js';
import {
  TrialListSchema,
  TrialSchema,
  TrialVersionListSchema,
  TrialVersionSchema,
} from '../../src/api/schemas/trial.schema.js';
import type { LabelledCode, Localized } from '../../src/domain/labels.js';
import { LABELLED_CODES } from '../../src/domain/labels.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { storeKinds } from '../support/test-store.js';
import { parseCsv } from './support/csv.js';
import { expectSchema } from './support/expect-schema.js';
import { importCtgovStudies } from './support/harvest-file.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { DAY, TEST_SOURCES, createTestApp } from './support/test-app.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Trial {
  id: string;
  fields: Record<LabelledCode, string | null>;
  labels: Record<LabelledCode, Localized | null>;
}

interface Change {
  type: string;
  field: string;
  from: unknown;
  to: unknown;
  fromLabel?: Localized | null;
  toLabel?: Localized | null;
}

const IDS = ctgovFixtureIds().slice(0, 8);
const STATUS_ID = 'NCT00000410'; // COMPLETED → SUSPENDED
const PHASE_ID = 'NCT00124774'; // PHASE3 → PHASE2/PHASE3
/** A title that holds the text of a code member, to mislead a reader of the stored JSON text. */
const TRICKY_TITLE = 'Trial ","status":"WITHDRAWN","phase":"PHASE1" {"studyType":"OTHER"} \\';

/** The labels the vocabulary gives: written out here, not computed by the code under test. */
const KNOWN: Record<LabelledCode, Record<string, Localized>> = {
  status: {
    COMPLETED: { en: 'Completed', ko: '완료' },
    SUSPENDED: { en: 'Suspended', ko: '일시 중지' },
    TERMINATED: { en: 'Terminated', ko: '조기 종료' },
    UNKNOWN: { en: 'Unknown status', ko: '상태 불명' },
    RECRUITING: { en: 'Recruiting', ko: '모집 중' },
  },
  phase: {
    PHASE2: { en: 'Phase 2', ko: '2상' },
    PHASE3: { en: 'Phase 3', ko: '3상' },
    PHASE4: { en: 'Phase 4', ko: '4상' },
    'PHASE2/PHASE3': { en: 'Phase 2/3', ko: '2/3상' },
    NA: { en: 'Not applicable', ko: '해당 없음' },
    COHORT: { en: 'Cohort', ko: '코호트' },
    CASE_ONLY: { en: 'Case-only', ko: '환자군 연구' },
    CASE_CONTROL: { en: 'Case-control', ko: '환자-대조군 연구' },
    CROSS_SECTIONAL: { en: 'Cross-sectional', ko: '단면 연구' },
    OTHER: { en: 'Other', ko: '기타' },
  },
  studyType: {
    INTERVENTIONAL: { en: 'Interventional', ko: '중재 연구' },
    OBSERVATIONAL: { en: 'Observational', ko: '관찰 연구' },
    OTHER: { en: 'Other', ko: '기타' },
  },
};

/** The label a code must have: a known one, or the code itself for a code outside the vocabulary. */
function expectedLabel(kind: LabelledCode, code: string | null): Localized | null {
  if (code === null) return null;
  return KNOWN[kind][code] ?? { en: code, ko: code };
}

function expectLabelled(trial: Trial): void {
  for (const kind of LABELLED_CODES)
    expect(trial.labels[kind], `${trial.id} ${kind}`).toEqual(expectedLabel(kind, trial.fields[kind]));
}

function studies(changed: boolean): Study[] {
  const list: Study[] = IDS.map((id) => ctgovFixture(id));
  if (!changed) return list;
  const byId = (id: string) => list[IDS.indexOf(id)]!;
  byId(STATUS_ID).protocolSection.statusModule.overallStatus = 'SUSPENDED';
  byId(PHASE_ID).protocolSection.designModule.phases = ['PHASE2', 'PHASE3'];
  return list;
}

describe.each(storeKinds())('code labels in the API on %s', (kind) => {
  let t: TestApp;

  const get = async <T>(url: string, schema?: Parameters<typeof expectSchema>[0]): Promise<T> => {
    const response = await t.app.inject(url);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<T>();
    if (schema !== undefined) expectSchema(schema, body);
    return body;
  };

  beforeAll(async () => {
    // ClinicalTrials.gov's mapper, so that past versions show their fields.
    const sources = TEST_SOURCES.map((source) =>
      source.id === 'ctgov' ? { ...source, map: (raw: unknown) => ctgovSource.map(raw) } : source,
    );
    t = await createTestApp(kind, { sources });
    await t.seed.createMany(koreanSnapshot().slice(0, 40).map(koreanTrial));
    await t.seed.create({
      id: 'C999001',
      fields: { title: TRICKY_TITLE, status: 'RECRUITING', phase: null, studyType: 'INTERVENTIONAL' },
      sourceFields: { status: 'TERMINATED', phase: 'PHASE4', studyType: 'OBSERVATIONAL' },
    });
    let clock = t.clock.now + DAY;
    for (const changed of [false, true]) {
      clock += DAY;
      await importCtgovStudies(t.store, studies(changed), () => (clock += 1000));
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('labels the codes of one trial and keeps the codes', async () => {
    const status = await get<Trial>(`/api/v1/trials/${STATUS_ID}`, TrialSchema);
    expect(status.fields).toMatchObject({
      status: 'SUSPENDED',
      phase: 'PHASE4',
      studyType: 'INTERVENTIONAL',
    });
    expect(status.labels).toEqual({
      status: { en: 'Suspended', ko: '일시 중지' },
      phase: { en: 'Phase 4', ko: '4상' },
      studyType: { en: 'Interventional', ko: '중재 연구' },
    });
    const phase = await get<Trial>(`/api/v1/trials/${PHASE_ID}?include=raw`, TrialSchema);
    expect(phase.labels.phase).toEqual({ en: 'Phase 2/3', ko: '2/3상' });
    // Korean designs, and a trial without a status.
    const korean = await get<Trial>('/api/v1/trials/C130011', TrialSchema);
    expect(korean.labels).toEqual({
      status: null,
      phase: { en: 'Cohort', ko: '코호트' },
      studyType: { en: 'Observational', ko: '관찰 연구' },
    });
  });

  it('reads the codes of the trial, not look-alike text in its title or source fields', async () => {
    const tricky = await get<Trial & { fields: { title: string } }>('/api/v1/trials/C999001', TrialSchema);
    expect(tricky.fields.title).toBe(TRICKY_TITLE);
    expect(tricky.labels).toEqual({
      status: { en: 'Recruiting', ko: '모집 중' },
      phase: null,
      studyType: { en: 'Interventional', ko: '중재 연구' },
    });
  });

  it('labels every list item and every NDJSON line as its codes say', async () => {
    const page = await get<{ items: Trial[] }>('/api/v1/trials?limit=1000', TrialListSchema);
    expect(page.items.length).toBe(40 + 1 + IDS.length);
    page.items.forEach(expectLabelled);
    for (const kind of LABELLED_CODES)
      expect(page.items.filter((item) => item.labels[kind] !== null).length, kind).toBeGreaterThan(5);
    const ndjson = await t.app.inject('/api/v1/trials?source=ctgov&format=ndjson');
    const lines = ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Trial);
    expect(lines.map((line) => line.id).sort()).toEqual([...IDS].sort());
    for (const line of lines) {
      expectSchema(TrialSchema, line);
      expectLabelled(line);
    }
  });

  it('labels the codes of a past version', async () => {
    const first = await get<Trial>(`/api/v1/trials/${STATUS_ID}/versions/1`, TrialVersionSchema);
    expect(first.fields.status).toBe('COMPLETED');
    expect(first.labels?.status).toEqual({ en: 'Completed', ko: '완료' });
    expectLabelled(first);
    // A source without a mapper here: no fields of a past version, so no labels either.
    await t.seed.update('C130011', { fields: { status: 'RECRUITING' } });
    const korean = await get<Trial>('/api/v1/trials/C130011/versions/1', TrialVersionSchema);
    expect(korean).toMatchObject({ fields: null, labels: null });
    const current = await get<Trial>('/api/v1/trials/C130011/versions/2', TrialVersionSchema);
    expect(current.labels.status).toEqual({ en: 'Recruiting', ko: '모집 중' });
  });

  it('labels both codes of status and phase changes, in the feed, its CSV and the versions', async () => {
    const feed = await get<{ items: { trialId: string; kind: string; changes: Change[] }[] }>(
      '/api/v1/changes?limit=1000&source=ctgov',
      ChangeListSchema,
    );
    const updates = feed.items.filter((item) => item.kind === 'updated');
    expect(updates.map((item) => item.trialId).sort()).toEqual([STATUS_ID, PHASE_ID].sort());
    const changesOf = (id: string) => updates.find((item) => item.trialId === id)!.changes;
    expect(changesOf(STATUS_ID)).toEqual([
      expect.objectContaining({
        type: 'status',
        field: 'status',
        from: 'COMPLETED',
        to: 'SUSPENDED',
        fromLabel: { en: 'Completed', ko: '완료' },
        toLabel: { en: 'Suspended', ko: '일시 중지' },
      }),
    ]);
    expect(changesOf(PHASE_ID)).toContainEqual(
      expect.objectContaining({
        type: 'design',
        field: 'phase',
        from: 'PHASE3',
        to: 'PHASE2/PHASE3',
        fromLabel: { en: 'Phase 3', ko: '3상' },
        toLabel: { en: 'Phase 2/3', ko: '2/3상' },
      }),
    );
    // Changes of other fields carry no labels: their values are no codes.
    for (const change of updates.flatMap((item) => item.changes)) {
      const coded =
        (change.type === 'status' && change.field === 'status') ||
        (change.type === 'design' && ['phase', 'studyType'].includes(change.field));
      expect('fromLabel' in change, `${change.type}.${change.field}`).toBe(coded);
    }

    const csv = await t.app.inject('/api/v1/changes?source=ctgov&type=status&format=csv');
    const [header, ...rows] = parseCsv(csv.body.slice(1));
    const column = header!.indexOf('changes');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]![column]!)).toEqual(changesOf(STATUS_ID));

    const versions = await get<{ items: { version: number; changes: Change[] }[] }>(
      `/api/v1/trials/${STATUS_ID}/versions`,
      TrialVersionListSchema,
    );
    expect(versions.items.find((item) => item.version === 2)!.changes).toEqual(changesOf(STATUS_ID));
  });

  it('labels the facet buckets of status, phase and study type, and no others', async () => {
    for (const field of LABELLED_CODES) {
      const facets = await get<{ items: { value: string; count: number; label?: Localized }[] }>(
        `/api/v1/facets?field=${field}&limit=100`,
        FacetListSchema,
      );
      expect(facets.items.length, field).toBeGreaterThan(1);
      for (const item of facets.items)
        expect(item.label, `${field} ${item.value}`).toEqual(expectedLabel(field, item.value));
    }
    const suspended = await get<{ items: { value: string; label?: Localized }[] }>(
      '/api/v1/facets?field=status&status=SUSPENDED',
    );
    expect(suspended.items).toEqual([
      { value: 'SUSPENDED', count: 1, label: { en: 'Suspended', ko: '일시 중지' } },
    ]);
    const institutions = await get<{ items: object[] }>('/api/v1/facets?field=institution', FacetListSchema);
    expect(institutions.items.length).toBeGreaterThan(0);
    for (const item of institutions.items) expect(item).not.toHaveProperty('label');
  });

  it('documents the labels in the OpenAPI document', async () => {
    const document = await get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    const text = JSON.stringify(document);
    expect(text).toContain('fromLabel');
    expect(text).toContain('toLabel');
    expect(text).toContain('English and Korean labels of the status, phase and study-type codes');
    expect(text).toContain('the English and Korean label of the code');
  });
});
