import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearch } from '../../src/services/search-query.js';
import * as search0004 from '../../src/store/migrations/0004-search.js';
import * as search0006 from '../../src/store/migrations/0006-search-levels.js';
import * as search0013 from '../../src/store/migrations/0013-search-text.js';
import type { Store } from '../../src/store/database.js';
import type { TrialFilter, TrialSort } from '../../src/domain/trial-read.types.js';
import { latestChangeSeq } from '../../src/store/change.repository.js';
import { pageTrials } from '../../src/store/trial-walk.repository.js';
import { applyTrialBatch } from '../../src/store/trial.repository.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import type { CorpusRecord } from './support/search-corpus.js';
import { contentChange, corpusRecords, writeRecords } from './support/search-corpus.js';
import { JUDGED_QUERIES } from './support/judged-queries.js';

const T = Date.UTC(2024, 4, 1);
const RECORDS = corpusRecords();

/** Every id a search returns, walking all pages, in order. */
async function searchIds(
  store: Store,
  q: string,
  options: { filter?: Partial<TrialFilter>; sort?: TrialSort; limit?: number } = {},
): Promise<string[]> {
  const search = parseSearch(q);
  const filter: TrialFilter = {
    includeRemoved: false,
    ...(search === undefined ? {} : { search }),
    ...options.filter,
  };
  const asOf = await latestChangeSeq(store.db);
  const ids: string[] = [];
  let after;
  for (;;) {
    const page = await pageTrials(store.db, {
      filter,
      sort: options.sort ?? 'relevance',
      asOf,
      limit: options.limit ?? 100,
      ...(after === undefined ? {} : { after }),
    });
    ids.push(...page.items.map((item) => item.trial.id));
    if (!page.hasMore) return ids;
    after = page.items.at(-1)?.position;
  }
}

function record(id: string): CorpusRecord {
  const found = RECORDS.find((item) => item.trial.id === id);
  if (found === undefined) throw new Error(`no record ${id}`);
  return found;
}

describe.each(storeKinds())('search index on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore(kind);
    await writeRecords(store, RECORDS, T);
  });
  afterAll(async () => store.drop());

  describe('the judged query set over the real fixtures', () => {
    it.each(JUDGED_QUERIES)('$q', async ({ q, found, notFound, first, exactly }) => {
      const ids = await searchIds(store, q);
      expect(new Set(ids).size, 'no duplicates').toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining([...found]));
      for (const id of notFound ?? []) expect(ids).not.toContain(id);
      if (first !== undefined) expect(ids[0]).toBe(first);
      if (exactly === true) expect([...ids].sort()).toEqual([...found].sort());
    });
  });

  it('ranks title matches first, then official titles, then conditions, then the rest', async () => {
    // "asthma": in the titles of some studies, only in the conditions or sites of others.
    const ids = await searchIds(store, 'asthma');
    const inTitle = ['NCT00410098', 'NCT00712335', 'NCT06863285', 'C120002', 'C160029'];
    const elsewhere = ['NCT05911841', 'NCT05915845', 'NCT06583395', 'NCT01738087'];
    const lastTitle = Math.max(...inTitle.map((id) => ids.indexOf(id)));
    for (const id of elsewhere) expect(ids.indexOf(id)).toBeGreaterThan(lastTitle);
    // Another sort: the same trials, in that order.
    const byId = await searchIds(store, 'asthma', { sort: 'id' });
    expect(byId).toEqual([...ids].sort());
    const byChange = await searchIds(store, 'asthma', { sort: '-lastChangedAt' });
    expect([...byChange].sort()).toEqual([...ids].sort());
  });

  it('pages a relevance walk without losing or repeating a trial', async () => {
    const all = await searchIds(store, 'study', { limit: 1000 });
    expect(all.length).toBeGreaterThan(50);
    expect(await searchIds(store, 'study', { limit: 7 })).toEqual(all);
  });

  it('walks a search pinned to where it began, while harvests change, remove and add matching trials', async () => {
    const asOf = await latestChangeSeq(store.db);
    const search = parseSearch('asthma');
    const filter: TrialFilter = { includeRemoved: false, ...(search === undefined ? {} : { search }) };
    const expected = await searchIds(store, 'asthma');
    const first = await pageTrials(store.db, { filter, sort: 'relevance', asOf, limit: 4 });
    const seenIds = first.items.map((item) => item.trial.id);
    // Changed after the walk began: one already returned, one not yet; one removed; one added.
    const changedEarly = seenIds[0] as string;
    const changedLate = expected.at(-1) as string;
    const removed = expected.at(-2) as string;
    const added: CorpusRecord = {
      raw: { id: 'NCT09000001', title: 'Asthma in a new study' },
      trial: { ...record('NCT00410098').trial, id: 'NCT09000001', aliases: [] },
    };
    const revise = (id: string): CorpusRecord => {
      const original = record(id);
      return { raw: { ...(original.raw as object), revision: 2 }, trial: original.trial };
    };
    await store.db.transaction().execute((trx) =>
      applyTrialBatch(
        trx,
        store.dialect,
        {
          content: [
            contentChange(revise(changedEarly), 2),
            contentChange(revise(changedLate), 2),
            contentChange(added),
          ],
          state: [{ kind: 'removed', id: removed, source: 'ctgov', version: 1 }],
          seen: [],
        },
        { runId: null, now: T + 10 },
      ),
    );
    let after = first.items.at(-1)?.position;
    for (let hasMore = first.hasMore; hasMore;) {
      const next = await pageTrials(store.db, {
        filter,
        sort: 'relevance',
        asOf,
        limit: 4,
        ...(after ? { after } : {}),
      });
      seenIds.push(...next.items.map((item) => item.trial.id));
      after = next.items.at(-1)?.position;
      hasMore = next.hasMore;
    }
    expect(seenIds).toEqual(expected);
    // A new walk sees the world as it is now.
    const now = await searchIds(store, 'asthma');
    expect(now).toContain('NCT09000001');
    expect(now).not.toContain(removed);
    await store.db
      .transaction()
      .execute((trx) =>
        applyTrialBatch(
          trx,
          store.dialect,
          { content: [], state: [{ kind: 'restored', id: removed, source: 'ctgov', version: 1 }], seen: [] },
          { runId: null, now: T + 11 },
        ),
      );
    await store.db.deleteFrom('trial_versions').where('trial_id', '=', 'NCT09000001').execute();
    await store.db.deleteFrom('trials').where('id', '=', 'NCT09000001').execute();
  });

  it('keeps only the CJK rows in the substring index, so short Korean terms scan a bounded set', async () => {
    const { rows } = await sql<{ source: string; n: number }>`
      select t.source, count(*) as n from search_cjk_docs c join trials t on t.id = c.trial_id
      group by t.source order by t.source`.execute(store.db);
    const bySource = Object.fromEntries(rows.map((row) => [row.source, Number(row.n)]));
    // One ClinicalTrials.gov study writes CJK punctuation in its description ("（CD152）、TIGIT").
    expect(bySource).toEqual({ 'kr-icreat': 145, cris: 12, ctgov: 1 });
  });

  it('follows every write in the same transaction: new versions, removals, restores, deletions', async () => {
    const study = record('NCT05078931');
    const renamed: CorpusRecord = {
      raw: { ...(study.raw as object), revision: 2 },
      trial: {
        ...study.trial,
        fields: { ...study.trial.fields, title: '레바티닙 병용 연구 Zanzibarvaccine' },
      },
    };
    const apply = (batch: Parameters<typeof applyTrialBatch>[2], now: number) =>
      store.db
        .transaction()
        .execute((trx) => applyTrialBatch(trx, store.dialect, batch, { runId: null, now }));
    const seen = async (q: string) => (await searchIds(store, q)).includes('NCT05078931');

    // A transaction that fails leaves the index as it was.
    await expect(
      store.db.transaction().execute(async (trx) => {
        await applyTrialBatch(
          trx,
          store.dialect,
          { content: [contentChange(renamed, 2)], state: [], seen: [] },
          {
            runId: null,
            now: T + 1,
          },
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await seen('zanzibarvaccine')).toBe(false);
    expect(await seen('pembrolizumab')).toBe(true);

    await apply({ content: [contentChange(renamed, 2)], state: [], seen: [] }, T + 2);
    expect(await seen('zanzibarvaccine')).toBe(true);
    expect(await seen('병용')).toBe(true);
    expect(await searchIds(store, '레바티닙')).toEqual(['NCT05078931']);
    // The rest of the record (official title, interventions) is still indexed.
    expect(await seen('pembrolizumab')).toBe(true);

    const remove = { kind: 'removed' as const, id: 'NCT05078931', source: 'ctgov', version: 2 };
    await apply({ content: [], state: [remove], seen: [] }, T + 3);
    expect(await seen('zanzibarvaccine')).toBe(false);
    expect(await searchIds(store, 'zanzibarvaccine', { filter: { includeRemoved: true } })).toEqual([
      'NCT05078931',
    ]);
    await apply({ content: [], state: [{ ...remove, kind: 'restored' }], seen: [] }, T + 4);
    expect(await seen('zanzibarvaccine')).toBe(true);

    // Seen marks touch no index row; a deleted trial leaves none behind.
    await apply({ content: [], state: [], seen: ['NCT05078931'] }, T + 5);
    expect(await seen('zanzibarvaccine')).toBe(true);
    await store.db
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('trials').where('id', '=', 'NCT05078931').execute();
        const left = await sql<{ n: number }>`
        select (select count(*) from search_docs where trial_id = 'NCT05078931') +
               (select count(*) from search_cjk_docs where trial_id = 'NCT05078931') +
               (select count(*) from trial_facets where trial_id = 'NCT05078931') as n`.execute(trx);
        expect(Number(left.rows[0]?.n)).toBe(0);
        throw new Error('undo the deletion');
      })
      .catch(() => undefined);
    expect(await seen('zanzibarvaccine')).toBe(true);
  });

  it('builds the index for trials harvested before the migration, and the migration runs twice safely', async () => {
    const queries = ['우울증', '천식', 'lymphoma', 'seoul', 'KCT0000145', 'study'];
    const before = await Promise.all(queries.map((q) => searchIds(store, q)));
    await search0013.down(store.db);
    await search0006.down(store.db);
    await search0004.down(store.db);
    for (const migration of [search0004, search0006, search0013]) {
      await migration.up(store.db);
      await migration.up(store.db);
    }
    expect(await Promise.all(queries.map((q) => searchIds(store, q)))).toEqual(before);
  });
});

// ------------------------------------------------------------------------------------------------

/** Queries whose full ordered answers must be the same on both databases. */
const COMPARED: readonly { q: string; sort?: TrialSort; filter?: Partial<TrialFilter> }[] = [
  ...JUDGED_QUERIES.map(({ q }) => ({ q })),
  ...JUDGED_QUERIES.map(({ q }) => ({ q, sort: 'id' as const })),
  { q: 'study' },
  { q: 'trial -phase' },
  { q: 'cancer', filter: { source: 'ctgov', status: ['RECRUITING', 'COMPLETED'] } },
  { q: '"randomized controlled"' },
  { q: 'children vaccine' },
  { q: 'covid-19' },
  { q: '코로나19' },
  { q: '임상 연구' },
  { q: '"임상 연구"' },
  { q: '암' },
  { q: '-암 환자' },
  { q: 'efficacy safety placebo' },
  { q: 'cell' },
  { q: 'arm' },
  { q: 'phase 2' },
  { q: 'insulin glucose' },
  { q: 'hôpital' },
  { q: 'münchen' },
  { q: 'university hospital korea' },
  { q: 'seoul national' },
  { q: 'pain', filter: { enrollmentMin: 50, enrollmentMax: 500 } },
  { q: 'breast', filter: { country: 'united states' } },
  { q: 'diabetes', filter: { condition: 'Type 2 Diabetes' } },
];

describe.runIf(storeKinds().includes('postgres'))(
  'search gives the same answers on SQLite and PostgreSQL',
  () => {
    let sqlite: TestStore;
    let postgres: TestStore;

    beforeAll(async () => {
      [sqlite, postgres] = await Promise.all([createTestStore('sqlite'), createTestStore('postgres')]);
      await writeRecords(sqlite, RECORDS, T);
      await writeRecords(postgres, RECORDS, T);
    });
    afterAll(async () => {
      await sqlite.drop();
      await postgres.drop();
    });

    it('indexes the same words, substrings and facet values for every record', async () => {
      const facets = (store: Store) =>
        sql<{ trial_id: string; field: string; key: string; value: string }>`
        select trial_id, field, key, value from trial_facets order by trial_id, field, key`.execute(store.db);
      expect((await facets(postgres)).rows).toEqual((await facets(sqlite)).rows);
      const cjk = (store: Store) =>
        sql<{ seq: number; title: string; official: string; subject: string; other: string }>`
        select seq, title, official, subject, other from search_cjk_docs order by seq`.execute(store.db);
      const [liteCjk, pgCjk] = [(await cjk(sqlite)).rows, (await cjk(postgres)).rows];
      expect(pgCjk.map((row) => ({ ...row, seq: Number(row.seq) }))).toEqual(liteCjk);
    });

    it.each(COMPARED)('$q ($sort)', async ({ q, sort, filter }) => {
      const options = {
        ...(sort === undefined ? {} : { sort }),
        ...(filter === undefined ? {} : { filter }),
      };
      const [lite, pg] = await Promise.all([searchIds(sqlite, q, options), searchIds(postgres, q, options)]);
      expect(pg).toEqual(lite);
    });
  },
);
