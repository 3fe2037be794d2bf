import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacetListSchema } from '../../src/api/schemas/facet.schema.js';
import { TrialListSchema } from '../../src/api/schemas/trial.schema.js';
import { FACET_FIELDS } from '../../src/domain/search.types.js';
import type { TrialFields } from '../../src/domain/trial.types.js';
import { SEARCH_MAX_LENGTH } from '../../src/services/search-query.js';
import { applyTrialBatch } from '../../src/store/trial.repository.js';
import type { CorpusRecord } from '../store/support/search-corpus.js';
import { contentChange, corpusRecords, writeRecords } from '../store/support/search-corpus.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY, HOUR, T0 } from './support/test-app.js';

const RECORDS = corpusRecords();
/** Re-harvested with new content two hours before the tests' clock; everything else a month ago. */
const RECENT = ['C130011', 'NCT00410098', 'KCT0000145'];

interface Item {
  id: string;
  source: string;
  fields: TrialFields;
  lastChangedAt: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  total?: number;
}
interface Facets {
  field: string;
  items: { value: string; count: number }[];
  total: number;
}

describe.each(storeKinds())('search API on %s', (kind) => {
  let t: TestApp;

  const get = (url: string) => t.app.inject({ url });
  const page = async (url: string): Promise<Page> => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Page>();
    expectSchema(TrialListSchema, body);
    return body;
  };
  /** Every item of a walk, following `nextCursor`. */
  const walk = async (query: string, limit = 1000): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const body = await page(`/api/v1/trials?limit=${limit}&${query}${suffix}`);
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor !== null);
    return items;
  };
  const ids = async (query: string) => (await walk(query)).map((item) => item.id);
  const facets = async (query: string): Promise<Facets> => {
    const response = await get(`/api/v1/facets?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Facets>();
    expectSchema(FacetListSchema, body);
    return body;
  };
  const problem = async (url: string, status: number, code: string) => {
    const response = await get(url);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json<{ code: string }>().code).toBe(code);
    return response.json<{ detail: string }>();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await writeRecords(t.store, RECORDS, T0 - 30 * DAY);
    const changed = RECORDS.filter((item) => RECENT.includes(item.trial.id)).map((item): CorpusRecord => ({
      raw: { ...(item.raw as object), revised: true },
      trial: item.trial,
    }));
    await t.store.db
      .transaction()
      .execute((trx) =>
        applyTrialBatch(
          trx,
          t.store.dialect,
          { content: changed.map((item) => contentChange(item, 2)), state: [], seen: [] },
          { runId: null, now: T0 - 2 * HOUR },
        ),
      );
    t.clock.now = T0;
  });
  afterAll(async () => t.close());

  describe('q on GET /api/v1/trials', () => {
    it('finds Korean substrings, two-syllable terms and English words, best matches first', async () => {
      expect(await ids('q=%EC%87%BC%EA%B7%B8%EB%A0%8C')).toEqual(['C130011']); // 쇼그렌
      expect(await ids(`q=${encodeURIComponent('림프종')}`)).toEqual(['C110007']);
      expect(await ids(`q=${encodeURIComponent('우울증')}`)).toEqual(
        expect.arrayContaining(['C140012', 'C160023']),
      );
      expect((await ids(`q=${encodeURIComponent('천식')}`)).sort()).toEqual([
        'C110009',
        'C110014',
        'C160030',
        'C160044',
      ]);
      const lymphoma = await ids('q=Lymphomas');
      expect(lymphoma[0]).toBe('C100002');
      // Five name it in a title, condition or elsewhere; seven more only in the text people read
      // (eligibility criteria, summaries: test/store/support/judged-queries.ts).
      expect(lymphoma).toHaveLength(12);
    });

    it('counts the whole result and pages it with cursors bound to the search', async () => {
      const all = await walk('q=study', 1000);
      const first = await page('/api/v1/trials?q=study&limit=5&count=true');
      expect(first.total).toBe(all.length);
      expect((await walk('q=study', 5)).map((item) => item.id)).toEqual(all.map((item) => item.id));
      const other = await get(
        `/api/v1/trials?q=trial&limit=5&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      );
      expect(other.statusCode).toBe(400);
      expect(other.json<{ code: string }>().code).toBe('INVALID_CURSOR');
      // Another order of the same trials.
      const byId = await walk('q=study&sort=id', 50);
      expect(byId.map((item) => item.id)).toEqual(all.map((item) => item.id).sort());
    });

    it('exports a search as CSV', async () => {
      const response = await get(`/api/v1/trials?format=csv&q=${encodeURIComponent('치매')}`);
      expect(response.statusCode).toBe(200);
      const lines = response.body.trim().split('\r\n');
      expect(lines).toHaveLength(5);
      expect(
        lines
          .slice(1)
          .map((line) => line.split(',')[0])
          .sort(),
      ).toEqual(['C150009', 'C160027', 'C160028', 'C160039']);
    });

    it('answers 400 for a q that is too long or has nothing to search for, and treats a blank q as none', async () => {
      const long = await problem(
        `/api/v1/trials?q=${'a'.repeat(SEARCH_MAX_LENGTH + 1)}`,
        400,
        'VALIDATION_FAILED',
      );
      expect(long.detail).toContain(`${SEARCH_MAX_LENGTH}`);
      await problem(`/api/v1/trials?q=${encodeURIComponent('!!! ***')}`, 400, 'VALIDATION_FAILED');
      expect((await page('/api/v1/trials?q=%20%20&limit=1000')).items).toHaveLength(RECORDS.length);
    });
  });

  describe('filters', () => {
    const trialsAll = () => walk('');

    /** Each filter: its query, and what every trial it keeps must satisfy. */
    const FILTERS: readonly { query: string; keeps: (item: Item) => boolean }[] = [
      { query: 'q=asthma', keeps: () => true },
      { query: 'source=cris', keeps: (item) => item.source === 'cris' },
      { query: 'status=RECRUITING', keeps: (item) => item.fields.status === 'RECRUITING' },
      { query: 'phase=PHASE3', keeps: (item) => item.fields.phase === 'PHASE3' },
      { query: 'studyType=OBSERVATIONAL', keeps: (item) => item.fields.studyType === 'OBSERVATIONAL' },
      {
        query: `institution=${encodeURIComponent('서울아산병원')}`,
        keeps: (item) => item.fields.institution === '서울아산병원',
      },
      { query: 'department=Psychiatry', keeps: (item) => item.fields.department === 'Psychiatry' },
      {
        query: 'condition=asthma',
        keeps: (item) => item.fields.conditions.some((value) => value.toLowerCase() === 'asthma'),
      },
      { query: 'country=Japan', keeps: (item) => item.fields.countries.includes('Japan') },
      { query: 'enrollmentMin=1000', keeps: (item) => (item.fields.enrollment ?? -1) >= 1000 },
      { query: 'enrollmentMax=30', keeps: (item) => (item.fields.enrollment ?? Infinity) <= 30 },
      { query: 'hasResults=true', keeps: (item) => item.fields.hasResults === true },
      { query: 'hasResults=false', keeps: (item) => item.fields.hasResults === false },
      { query: 'updatedWithin=1d', keeps: (item) => RECENT.includes(item.id) },
      {
        query: `updatedSince=${encodeURIComponent(new Date(T0 - DAY).toISOString())}`,
        keeps: (item) => RECENT.includes(item.id),
      },
    ];

    it.each(FILTERS)('$query narrows the results to trials that have it', async ({ query, keeps }) => {
      const all = await trialsAll();
      const kept = await walk(query);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(all.length);
      for (const item of kept) expect(keeps(item), `${query}: ${item.id}`).toBe(true);
      // Nothing that has it is left out.
      const keptIds = new Set(kept.map((item) => item.id));
      if (!query.startsWith('q=')) {
        for (const item of all)
          if (keeps(item)) expect(keptIds.has(item.id), `${query}: ${item.id}`).toBe(true);
      }
    });

    it('combines every filter with q and with each other (the intersection, computed in the database)', async () => {
      const parts = [
        'q=study',
        'source=ctgov',
        'status=COMPLETED,TERMINATED,RECRUITING',
        'studyType=INTERVENTIONAL',
        'enrollmentMin=20',
        'enrollmentMax=5000',
        'hasResults=false',
        'country=United%20States',
      ];
      const combined = await ids(parts.join('&'));
      expect(combined.length).toBeGreaterThan(0);
      const each = await Promise.all(parts.map((part) => ids(part)));
      const expected = each.reduce((acc, list) => acc.filter((id) => list.includes(id)));
      expect([...combined].sort()).toEqual([...expected].sort());
      expect(combined.length).toBeLessThan(Math.min(...each.map((list) => list.length)));
      // And with a Korean search and Korean filters.
      const korean = await ids(
        `q=${encodeURIComponent('심부전')}&source=kr-icreat&institution=${encodeURIComponent('서울대학교병원')}&department=Cardiology`,
      );
      expect(korean.sort()).toEqual(['C100001', 'C110002']);
      expect(
        await ids(
          `q=${encodeURIComponent('연구')}&institution=${encodeURIComponent('서울대학교병원')}&department=Cardiology`,
        ),
      ).toEqual([]);
    });

    it('refuses filters that cannot hold', async () => {
      await problem('/api/v1/trials?enrollmentMin=10&enrollmentMax=5', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/trials?hasResults=maybe', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/trials?linkedTo=%27%3B--', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/trials?conditions=asthma', 400, 'UNKNOWN_PARAMETER');
      // PostgreSQL refuses NUL in text: such values never reach the database.
      await problem('/api/v1/trials?condition=asth%00ma', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/facets?field=status&institution=%00', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/trials?country=Korea%0A', 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/facets', () => {
    it('counts every source over the whole mirror', async () => {
      const body = await facets('field=source');
      expect(body).toEqual({
        field: 'source',
        items: [
          { value: 'ctgov', count: 200 },
          { value: 'kr-icreat', count: 145 },
          { value: 'cris', count: 12 },
        ],
        total: RECORDS.length,
      });
    });

    it.each(FACET_FIELDS)(
      'counts %s with q and filters applied, each count the size of the list filtered by that value',
      async (field) => {
        const query =
          field === 'source'
            ? 'q=study&hasResults=false'
            : field === 'institution' || field === 'department'
              ? `q=${encodeURIComponent('연구')}&source=kr-icreat`
              : 'q=study&source=ctgov';
        const body = await facets(`field=${field}&limit=5&${query}`);
        expect(body.field).toBe(field);
        expect(body.total).toBe((await ids(query)).length);
        expect(body.items.length).toBeGreaterThan(0);
        expect(body.items.length).toBeLessThanOrEqual(5);
        const counts = body.items.map((item) => item.count);
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
        for (const item of body.items) {
          const filtered = await ids(`${query}&${field}=${encodeURIComponent(item.value)}`);
          expect(filtered.length, `${field}=${item.value}`).toBe(item.count);
        }
      },
    );

    it('counts Korean values and conditions in any ASCII case as one', async () => {
      const institutions = await facets(`field=institution&q=${encodeURIComponent('천식')}`);
      expect(institutions.items).toEqual([{ value: '서울아산병원', count: 4 }]);
      const conditions = await facets('field=condition&q=asthma&limit=100');
      const asthma = conditions.items.find((item) => item.value.toLowerCase() === 'asthma');
      expect(asthma?.count).toBe((await ids('condition=ASTHMA&q=asthma')).length);
    });

    it('refuses a missing or unknown field, an unknown parameter and a limit above the cap', async () => {
      await problem('/api/v1/facets', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/facets?field=title', 400, 'VALIDATION_FAILED');
      await problem('/api/v1/facets?field=status&sort=id', 400, 'UNKNOWN_PARAMETER');
      await problem('/api/v1/facets?field=status&limit=101', 400, 'LIMIT_TOO_LARGE');
      await problem(
        `/api/v1/facets?field=status&q=${encodeURIComponent('"" - ***')}`,
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  it('survives 2,000 random and hostile q strings: never a 5xx, every answer in bounded time', async () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ maxLength: SEARCH_MAX_LENGTH + 40 }),
      fc
        .array(
          fc.constantFrom(
            '"',
            '-',
            '*',
            '(',
            ')',
            ':',
            '^',
            '+',
            'NEAR',
            'AND',
            'OR',
            'NOT',
            "'",
            '\\',
            '%',
            '_',
            '{title}',
            '천식',
            '암',
            '림프종',
            'lymph',
            'NCT0',
            ' ',
            '&',
            '|',
            '!',
            '<->',
            ':*A',
            ';',
            '--',
            "' OR 1=1 --",
            'DROP TABLE trials',
            '\u0000',
            '\u001F',
            '가',
            'ａ',
            'ß',
            'İ',
            '😀',
            '\u0301',
          ),
          { maxLength: 30 },
        )
        .map((tokens) => tokens.join('')),
    );
    const suffixes = ['', '&sort=id', '&sort=-sourceUpdatedAt', '&count=true', '&source=cris&limit=3'];
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom(...suffixes), fc.boolean(), async (q, suffix, facet) => {
        const started = performance.now();
        const response = await get(
          facet
            ? `/api/v1/facets?field=condition&q=${encodeURIComponent(q)}`
            : `/api/v1/trials?q=${encodeURIComponent(q)}${suffix}`,
        );
        slowest = Math.max(slowest, performance.now() - started);
        expect(response.statusCode, `${JSON.stringify(q)}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(['VALIDATION_FAILED']).toContain(response.json<{ code: string }>().code);
        }
      }),
      { numRuns: 2000 },
    );
    expect(slowest).toBeLessThan(5000);
  }, 300_000);
});
