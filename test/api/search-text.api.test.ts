/**
 * Issue 19, item 5: the text people read (summaries, descriptions, eligibility criteria, outcome
 * measures) is searched, below every other tier, on both databases, over the real fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialListSchema } from '../../src/api/schemas/trial.schema.js';
import * as search0013 from '../../src/store/migrations/0013-search-text.js';
import { fixturesDir } from '../../testkit/fake-upstream.js';
import type { CorpusRecord } from '../store/support/search-corpus.js';
import { corpusRecords, writeRecords } from '../store/support/search-corpus.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { TestApp } from './support/test-app.js';
import { createTestApp, DAY, T0 } from './support/test-app.js';

const RECORDS = corpusRecords();

/** How often `text` occurs (case-insensitive) in a fixture file, read as the registry sent it. */
function occurrences(file: string, text: string): number {
  const raw = JSON.stringify(JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'))).toLowerCase();
  return raw.split(text.toLowerCase()).length - 1;
}

/** A word that each study has once, in one text field only (checked against the fixture below). */
const ONLY_IN_TEXT = [
  // "… loss of lumbar kyphosis, discopathy with signs of Schmorls' nodules …" (exclusion criteria).
  { q: 'discopathy', id: 'NCT00124774', file: 'ctgov/NCT00124774.json', field: 'eligibility criteria' },
  // "Because of the portability of the equipment …" (brief summary).
  { q: 'portability', id: 'NCT01395264', file: 'ctgov/NCT01395264.json', field: 'brief summary' },
  // "본 임상시험은 아미트리프틸린염산염정제 …" (CRIS Korean summary, substring search).
  {
    q: '"본 임상시험은"',
    id: 'KCT0000145',
    file: 'cris/ctreg__detail_KCT0000145_2026-08-28.json',
    field: 'Korean summary',
  },
] as const;

describe.each(storeKinds())('searching the text people read on %s', (kind) => {
  let t: TestApp;

  const ids = async (q: string, limit = 100): Promise<string[]> => {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await t.app.inject({
        url: `/api/v1/trials?limit=${limit}&q=${encodeURIComponent(q)}${suffix}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expectSchema(TrialListSchema, body);
      out.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await writeRecords(t.store, RECORDS, T0 - 30 * DAY);
  });
  afterAll(async () => t.close());

  it.each(ONLY_IN_TEXT)('finds $id by a word only in its $field ($q)', async ({ q, id, file }) => {
    const text = q.replace(/"/g, '');
    expect(occurrences(file, text), 'the word is in the record once').toBe(1);
    expect(await ids(q)).toEqual([id]);
  });

  it('needs every term, wherever each one is: a title word with a summary word', async () => {
    expect(await ids('saccadometry portability')).toEqual(['NCT01395264']);
    expect(await ids('saccadometry portability -equipment')).toEqual([]);
  });

  it('ranks title, condition and other matches above matches in the text alone', async () => {
    // "lymphoma": in the title or conditions of some studies, only in the eligibility criteria or
    // summaries of others (the judged query set, test/store/support/judged-queries.ts).
    const found = await ids('lymphoma');
    const above = ['C100002', 'NCT02650414', 'NCT04318938', 'NCT04728893', 'NCT06583395'];
    const textOnly = ['NCT01949129', 'NCT02369484', 'NCT04764188', 'NCT05304754', 'NCT05378763'];
    expect(found).toEqual(expect.arrayContaining([...above, ...textOnly]));
    const lastAbove = Math.max(...above.map((id) => found.indexOf(id)));
    for (const id of textOnly) expect(found.indexOf(id)).toBeGreaterThan(lastAbove);
    // Paged one at a time, the cursors reach into the text tier and give the same walk.
    expect(await ids('lymphoma', 1)).toEqual(found);
  });

  it('re-indexes the trials stored before the migration', async () => {
    await search0013.down(t.store.db);
    // Written while the index has no text: by the triggers of migration 0004.
    const original = RECORDS.find((item) => item.trial.id === 'NCT00124774')!;
    const copy: CorpusRecord = {
      raw: { ...(original.raw as object), copy: true },
      trial: { ...original.trial, id: 'NCT09000002', aliases: [] },
    };
    await writeRecords(t.store, [copy], T0 - DAY);
    await search0013.up(t.store.db);
    expect((await ids('discopathy')).sort()).toEqual(['NCT00124774', 'NCT09000002']);
    expect(await ids('"본 임상시험은"')).toEqual(['KCT0000145']);
    expect(await ids('lymphoma')).toContain('NCT01949129');
  });
});
