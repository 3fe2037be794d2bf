/**
 * Issue 17 at the level a client sees it: real ClinicalTrials.gov studies imported through the
 * harvest, then imported again changed the way the registry changes them. /api/v1/changes and the
 * versions route carry the typed changes; `type`, `material` and `trial` select exactly what a
 * brute-force filter over every event selects; the backfill of events stored before
 * classification gives the same classifications as the harvest wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { ChangeListSchema } from '../../src/api/schemas/change.schema.js';
import { TrialListSchema, TrialVersionListSchema } from '../../src/api/schemas/trial.schema.js';
import { sourceInfos } from '../../src/bin/context.js';
import { CHANGE_TYPES } from '../../src/domain/change.types.js';
import { classifyStoredChanges } from '../../src/harvest/classification-backfill.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { parseCsv } from './support/csv.js';
import { importCtgovStudies } from './support/harvest-file.js';
import { expectSchema } from './support/expect-schema.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Item {
  seq: number;
  occurredAt: string;
  trialId: string;
  kind: string;
  material: boolean | null;
  changes: { type: string; field: string; from: unknown; to: unknown; whyStopped?: string }[];
  summary: { en: string; ko: string } | null;
}

const IDS = ctgovFixtureIds().slice(0, 12);
const [STATUS_ID, ENROLLMENT_ID, BOOKKEEPING_ID, SITES_ID] = IDS as [string, string, string, string];

function studies(changed: boolean): Study[] {
  const list: Study[] = IDS.map((id) => ctgovFixture(id));
  if (!changed) return list;
  const byId = (id: string) => list[IDS.indexOf(id)]!;
  const status = byId(STATUS_ID).protocolSection.statusModule as Study;
  status.overallStatus = 'TERMINATED';
  status.whyStopped = 'Funding ended';
  byId(ENROLLMENT_ID).protocolSection.designModule.enrollmentInfo = { count: 7, type: 'ACTUAL' };
  const bookkeeping = byId(BOOKKEEPING_ID).protocolSection.statusModule as Study;
  bookkeeping.lastUpdateSubmitDate = '2026-11-30';
  bookkeeping.lastUpdatePostDateStruct = { date: '2026-12-01', type: 'ACTUAL' };
  const sites = byId(SITES_ID).protocolSection.contactsLocationsModule as Study;
  sites.locations = [
    ...((sites.locations as unknown[] | undefined) ?? []),
    { facility: 'Added Clinic', city: 'Seoul', country: 'Korea, Republic of' },
  ];
  return list;
}

describe.each(storeKinds())('typed changes through the API on %s', (kind) => {
  let store: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let clock = Date.parse('2026-11-01T00:00:00Z');

  const changes = async (query = ''): Promise<Item[]> => {
    const response = await app.inject(`/api/v1/changes?limit=1000${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ items: Item[] }>();
    expectSchema(ChangeListSchema, body);
    return body.items;
  };

  /** Every event of the query, a page of `limit` at a time through `nextCursor` (a feed's cursor
   * never ends: it is where to poll next; an empty page is the end for now). */
  const walk = async (query: string, limit: number): Promise<Item[]> => {
    const out: Item[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const url = `/api/v1/changes?limit=${limit}${query}${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const response = await app.inject(url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ items: Item[]; nextCursor: string | null }>();
      if (body.items.length === 0) return out;
      out.push(...body.items);
      if (body.nextCursor === null) return out;
      cursor = body.nextCursor;
    }
    throw new Error(`${query}: no end after 1000 pages`);
  };

  beforeAll(async () => {
    store = await createTestStore(kind);
    const config = testConfig(store.url, { ctgov: testSourceConfig() });
    for (const changed of [false, true])
      await importCtgovStudies(store, studies(changed), () => (clock += 1000));
    app = await buildApp({ config, store, sources: sourceInfos(config) });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.drop();
  });

  it('types each update with its from/to, and says it in words', async () => {
    const updates = (await changes()).filter((item) => item.kind === 'updated');
    expect(updates.map((item) => item.trialId).sort()).toEqual(
      [STATUS_ID, ENROLLMENT_ID, BOOKKEEPING_ID, SITES_ID].sort(),
    );
    const of = (id: string) => updates.find((item) => item.trialId === id)!;
    expect(of(STATUS_ID).changes).toEqual([
      expect.objectContaining({ type: 'status', to: 'TERMINATED', whyStopped: 'Funding ended' }),
    ]);
    expect(of(ENROLLMENT_ID).changes).toEqual([
      expect.objectContaining({ type: 'enrollment', to: { count: 7, type: 'ACTUAL' } }),
    ]);
    expect(of(BOOKKEEPING_ID)).toMatchObject({ material: false, changes: [{ type: 'registry' }] });
    expect(of(SITES_ID).changes).toEqual([
      expect.objectContaining({ type: 'sites', added: ['Added Clinic, Seoul, Korea, Republic of'] }),
    ]);
    expect(of(SITES_ID).summary).toEqual({ en: '1 site added', ko: '연구 기관 1개 추가' });
    const created = (await changes()).filter((item) => item.kind === 'created');
    expect(created).toHaveLength(IDS.length);
    for (const item of created) {
      expect(item).toMatchObject({
        material: true,
        changes: [],
        summary: { en: 'New trial in the registry' },
      });
    }
  });

  it('filters by type, material and trial exactly as a brute-force filter does', async () => {
    const all = await changes();
    const cases: [string, (item: Item) => boolean][] = [
      ['&type=status', (item) => item.changes.some((change) => change.type === 'status')],
      [
        '&type=status,results',
        (item) => item.changes.some((c) => c.type === 'status' || c.type === 'results'),
      ],
      [
        '&type=sites,enrollment',
        (item) => item.changes.some((c) => c.type === 'sites' || c.type === 'enrollment'),
      ],
      ['&type=registry', (item) => item.changes.some((c) => c.type === 'registry')],
      ['&material=true', (item) => item.material === true],
      ['&material=false', (item) => item.material === false],
      [`&trial=${STATUS_ID}`, (item) => item.trialId === STATUS_ID],
      [
        `&trial=${STATUS_ID}&material=true&type=status`,
        (item) => item.trialId === STATUS_ID && item.kind === 'updated',
      ],
    ];
    const second = all.find((item) => item.kind === 'updated')!;
    const at = (item: Item) => Date.parse(item.occurredAt);
    cases.push(
      [`&since=${second.occurredAt}`, (item) => at(item) >= at(second)],
      [`&until=${second.occurredAt}&type=status`, () => false],
      [
        `&since=${second.occurredAt}&material=false`,
        (item) => at(item) >= at(second) && item.material === false,
      ],
    );
    for (const [query, keep] of cases) {
      const expected = all.filter(keep).map((item) => item.seq);
      expect(
        (await changes(query)).map((item) => item.seq),
        query,
      ).toEqual(expected);
      // Paged by cursor, one and two at a time: the same events, no repeats, no gaps.
      for (const limit of [1, 2]) {
        expect(
          (await walk(query, limit)).map((item) => item.seq),
          `${query} limit ${limit}`,
        ).toEqual(expected);
      }
    }
    expect((await changes('&type=status')).map((item) => item.trialId)).toEqual([STATUS_ID]);
  });

  it('takes the content filters of /api/v1/trials: the events of the trials that match now', async () => {
    const all = await changes();
    const trialIds = async (query: string) => {
      const body = (await app.inject(`/api/v1/trials?limit=1000&includeRemoved=true&${query}`)).json<{
        items: { id: string }[];
      }>();
      return new Set(body.items.map((item) => item.id));
    };
    const queries = [
      'status=TERMINATED',
      'status=COMPLETED',
      'country=United States',
      'q=headache',
      'hasResults=true',
    ];
    let matched = 0;
    for (const query of queries) {
      const ids = await trialIds(query);
      const got = (await changes(`&${query.replace(' ', '%20')}`)).map((item) => item.seq);
      expect(got, query).toEqual(all.filter((item) => ids.has(item.trialId)).map((item) => item.seq));
      matched += got.length;
    }
    expect(matched).toBeGreaterThan(0);
    const terminated = await changes('&status=TERMINATED&type=status');
    expect(terminated.map((item) => item.trialId)).toEqual([STATUS_ID]);
  });

  it('lists the trials with a change of a type (changeType=), in a time window too', async () => {
    const all = await changes();
    const trialIds = async (query: string): Promise<string[]> => {
      const response = await app.inject(`/api/v1/trials?limit=100&includeRemoved=true${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response
        .json<{ items: { id: string }[] }>()
        .items.map((item) => item.id)
        .sort();
    };
    const expected = (types: string[], since = 0) =>
      [
        ...new Set(
          all
            .filter((item) => Date.parse(item.occurredAt) >= since)
            .filter((item) => item.changes.some((change) => types.includes(change.type)))
            .map((item) => item.trialId),
        ),
      ].sort();
    for (const type of CHANGE_TYPES)
      expect(await trialIds(`&changeType=${type}`), type).toEqual(expected([type]));
    expect(await trialIds('&changeType=sites,enrollment')).toEqual([ENROLLMENT_ID, SITES_ID].sort());
    expect(await trialIds('&changeType=status')).toEqual([STATUS_ID]);

    // In a window: only a change of the type inside it counts.
    const statusAt = Date.parse(
      all.find((item) => item.trialId === STATUS_ID && item.kind === 'updated')!.occurredAt,
    );
    const window = (at: number) => `&updatedSince=${encodeURIComponent(new Date(at).toISOString())}`;
    expect(await trialIds(`&changeType=status${window(statusAt)}`)).toEqual([STATUS_ID]);
    expect(await trialIds(`&changeType=status${window(statusAt + 1)}`)).toEqual(
      expected(['status'], statusAt + 1),
    );
    expect(expected(['status'], statusAt + 1)).toEqual([]);

    // Counts, facets and exports take it too.
    const counted = await app.inject('/api/v1/trials?changeType=registry&count=true');
    expect(counted.json<{ total: number }>().total).toBe(1);
    const csv = await app.inject('/api/v1/trials?changeType=status&format=csv');
    expect(parseCsv(csv.body.slice(1)).map((row) => row[0])).toEqual(['id', STATUS_ID]);
    const facets = await app.inject('/api/v1/facets?field=source&changeType=sites');
    expect(facets.statusCode, facets.body).toBe(200);
    expect(facets.body).toContain('"total":1');

    const refused = await app.inject('/api/v1/trials?changeType=status,colour');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('changeType');
    expect(refused.body).toContain('colour');
  });

  it("shows each trial's latest change on list items and in the NDJSON export", async () => {
    const all = await changes();
    const latest = new Map(all.map((item) => [item.trialId, item]));
    const response = await app.inject('/api/v1/trials?limit=100');
    const body = response.json<{ items: { id: string; lastChange: Record<string, unknown> }[] }>();
    expectSchema(TrialListSchema, body);
    expect(body.items).toHaveLength(IDS.length);
    for (const item of body.items) {
      const event = latest.get(item.id)!;
      expect(item.lastChange).toEqual({
        seq: event.seq,
        kind: event.kind,
        occurredAt: event.occurredAt,
        types: [...new Set(event.changes.map((change) => change.type))],
        material: event.material,
        summary: event.summary,
      });
    }
    expect(body.items.find((item) => item.id === STATUS_ID)!.lastChange).toMatchObject({
      kind: 'updated',
      types: ['status'],
      material: true,
    });
    expect(body.items.find((item) => item.id === BOOKKEEPING_ID)!.lastChange).toMatchObject({
      types: ['registry'],
      material: false,
    });
    const ndjson = await app.inject(`/api/v1/trials?format=ndjson&changeType=status`);
    expect(JSON.parse(ndjson.body.trimEnd()).lastChange).toEqual(
      body.items.find((item) => item.id === STATUS_ID)!.lastChange,
    );
  });

  it('exports the same events as CSV and NDJSON, filters and cursor included', async () => {
    const all = await changes();
    const statusOnly = all.filter((item) => item.changes.some((change) => change.type === 'status'));
    const ndjson = await app.inject('/api/v1/changes?format=ndjson');
    expect(ndjson.statusCode, ndjson.body).toBe(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.headers['content-disposition']).toBe('attachment; filename="changes.ndjson"');
    const lines = ndjson.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Item);
    expect(lines).toEqual(all);

    const csv = await app.inject({ url: '/api/v1/changes?type=status', headers: { accept: 'text/csv' } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(csv.body.slice(1));
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => Number(row[column('seq')]))).toEqual(statusOnly.map((item) => item.seq));
    const status = rows.find((row) => row[column('trialId')] === STATUS_ID)!;
    expect(status[column('types')]).toBe('status');
    expect(status[column('material')]).toBe('true');
    expect(JSON.parse(status[column('changes')]!)).toEqual(
      statusOnly.find((item) => item.trialId === STATUS_ID)!.changes,
    );
    expect(status[column('summaryEn')]).toBe(
      statusOnly.find((item) => item.trialId === STATUS_ID)!.summary!.en,
    );

    // A cursor resumes the export and `limit` caps it.
    const cursor = (await app.inject('/api/v1/changes?limit=3')).json<{ nextCursor: string }>().nextCursor;
    const rest = await app.inject(`/api/v1/changes?format=ndjson&limit=5&cursor=${cursor}`);
    const restSeqs = rest.body
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as Item).seq);
    expect(restSeqs).toEqual(all.slice(3, 8).map((item) => item.seq));
  });

  it('refuses an unknown type, naming the allowed ones', async () => {
    const response = await app.inject('/api/v1/changes?type=status,colour');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { parameter: 'type' } });
    expect(response.json<{ detail: string }>().detail).toContain(CHANGE_TYPES.join(', '));
  });

  it('shows the typed changes on the versions route', async () => {
    const response = await app.inject(`/api/v1/trials/${STATUS_ID}/versions`);
    const body = response.json<{ items: Item[] }>();
    expectSchema(TrialVersionListSchema, body);
    expect(body.items.map((item) => item.changes.map((change) => change.type))).toEqual([[], ['status']]);
    expect(body.items[1]?.summary?.en).toMatch(/^Status: .* → Terminated \(why stopped: Funding ended\)$/);
  });

  it('classifies stored events without classification as the harvest did, and can run again', async () => {
    const before = await changes();
    await store.db.deleteFrom('change_type_rows').execute();
    await store.db.deleteFrom('change_classes').execute();
    expect((await changes()).every((item) => item.material === null && item.summary === null)).toBe(true);
    expect(await classifyStoredChanges(store.db, ctgovSource)).toBe(before.length);
    expect(await classifyStoredChanges(store.db, ctgovSource)).toBe(0);
    expect(await changes()).toEqual(before);
  });
});
