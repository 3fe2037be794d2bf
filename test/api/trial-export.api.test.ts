import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialSchema } from '../../src/api/schemas/trial.schema.js';
import { CSV_COLUMNS } from '../../src/api/trial-format.js';
import { TrialService } from '../../src/services/trial.service.js';
import { storeKinds } from '../support/test-store.js';
import { expectSchema } from './support/expect-schema.js';
import type { SeedTrial } from './support/seed.js';
import { koreanSnapshot, koreanTrial } from './support/seed.js';
import type { TestApp } from './support/test-app.js';
import { EXPORT_BATCH } from '../../src/services/change.service.js';
import { parseCsv } from './support/csv.js';
import { createTestApp, DAY, T0 } from './support/test-app.js';

const korean = koreanSnapshot();
/** More than two export batches (500) and many default pages (20). */
const SYNTHETIC = 1100;

describe.each(storeKinds())('trial export on %s', (kind) => {
  let t: TestApp;
  const tricky: SeedTrial = {
    id: 'X0000001',
    source: 'cris',
    fields: {
      title: '=HYPERLINK("http://evil.example","click")',
      titleEn: 'Comma, "quotes"\nand a line break',
      conditions: ['천식', '비만'],
      interventions: [{ type: 'DRUG', name: 'Metformin' }],
      secondaryIds: [{ id: 'NCT00000001', type: 'ctgov' }],
      enrollment: 12,
      hasResults: false,
    },
    sourceFields: { note: '한국어 그대로' },
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.seed.createMany(korean.map(koreanTrial), T0 - 10 * DAY);
    const synthetic: SeedTrial[] = [];
    for (let i = 0; i < SYNTHETIC; i++) {
      synthetic.push({
        id: `NCT${String(10_000_000 + i)}`,
        source: 'ctgov',
        fields: { title: `Synthetic study ${i}`, status: i % 2 === 0 ? 'RECRUITING' : 'COMPLETED' },
      });
    }
    await t.seed.createMany(synthetic, T0 - DAY);
    await t.seed.create(tricky, T0 - DAY);
    await t.seed.create({ id: 'C000GONE', fields: { title: 'removed' } }, T0 - DAY);
    await t.seed.remove('C000GONE', T0 - DAY + 1);
  }, 120_000);
  afterAll(async () => t.close());

  const total = korean.length + SYNTHETIC + 1;

  it('streams the whole filtered result as CSV with a BOM, Korean text intact', async () => {
    const response = await t.app.inject('/api/v1/trials?format=csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="trials.csv"');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(response.body.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const data = rows.slice(1);
    expect(data).toHaveLength(total);
    const ids = data.map((row) => row[0]);
    expect(new Set(ids).size).toBe(total);
    expect(ids).not.toContain('C000GONE');
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const sjogren = data.find((row) => row[0] === 'C130011') as string[];
    expect(sjogren[column('title')]).toBe('대한민국 쇼그렌 증후군 코호트 구축');
    expect(sjogren[column('institution')]).toBe('가톨릭대 서울성모병원');
    expect(JSON.parse(sjogren[column('sourceFields')] as string).upstream['연구기간']).toBe('6년');
  });

  it('escapes CSV cells and defuses spreadsheet formulas', async () => {
    const rows = parseCsv((await t.app.inject('/api/v1/trials?format=csv&source=cris')).body.slice(1));
    expect(rows).toHaveLength(2);
    const row = rows[1] as string[];
    const cell = (name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    expect(cell('title')).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(cell('titleEn')).toBe('Comma, "quotes"\nand a line break');
    expect(cell('conditions')).toBe('천식; 비만');
    expect(cell('interventions')).toBe('DRUG: Metformin');
    expect(cell('secondaryIds')).toBe('NCT00000001 (ctgov)');
    expect(cell('enrollment')).toBe('12');
    expect(cell('hasResults')).toBe('false');
    expect(cell('removedAt')).toBe('');
    expect(JSON.parse(cell('sourceFields') as string)).toEqual({ note: '한국어 그대로' });
  });

  it('streams NDJSON, one trial per line in the API shape', async () => {
    const response = await t.app.inject('/api/v1/trials?format=ndjson&includeRemoved=true');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="trials.ndjson"');
    const lines = response.body.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(total + 1);
    const trials = lines.map((line) => JSON.parse(line) as { id: string; removedAt: string | null });
    for (const trial of trials.slice(0, 50)) expectSchema(TrialSchema, trial);
    expect(new Set(trials.map((trial) => trial.id)).size).toBe(total + 1);
    expect(trials.find((trial) => trial.id === 'C000GONE')?.removedAt).not.toBeNull();
  });

  it('applies the filters, sort, cursor and limit to exports', async () => {
    const recruiting = await t.app.inject('/api/v1/trials?format=ndjson&status=RECRUITING&sort=id');
    const ids = recruiting.body
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(SYNTHETIC / 2);
    expect(ids).toEqual([...ids].sort());

    const capped = await t.app.inject('/api/v1/trials?format=ndjson&limit=7');
    expect(capped.body.trim().split('\n')).toHaveLength(7);

    // A JSON page, then the export resumes after it: together, everything once.
    const first = (await t.app.inject('/api/v1/trials?limit=100')).json<{
      items: { id: string }[];
      nextCursor: string;
    }>();
    const rest = await t.app.inject(`/api/v1/trials?format=ndjson&cursor=${first.nextCursor}`);
    const restIds = rest.body
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const all = [...first.items.map((item) => item.id), ...restIds];
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });

  it('reports the total in X-Total-Count with count=true', async () => {
    const response = await t.app.inject('/api/v1/trials?format=csv&count=true&source=kr-icreat');
    expect(response.headers['x-total-count']).toBe(String(korean.length));
    expect(parseCsv(response.body.slice(1))).toHaveLength(korean.length + 1);
  });

  it('reads the result in bounded batches, never all at once', async () => {
    const service = new TrialService({ db: t.store.db, now: () => T0 });
    const sizes: number[] = [];
    for await (const batch of service.export(
      { filter: { includeRemoved: false }, sort: '-lastChangedAt' },
      300,
    )) {
      sizes.push(batch.length);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(300);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(total);
    expect(sizes.length).toBe(Math.ceil(total / 300));
  });

  it('exports the change feed past one batch, in feed order, every event once', async () => {
    const response = await t.app.inject('/api/v1/changes?format=ndjson&source=ctgov');
    expect(response.statusCode, response.body).toBe(200);
    const seqs = response.body
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    // The synthetic studies (ctgov), each created once.
    expect(SYNTHETIC).toBeGreaterThan(EXPORT_BATCH);
    expect(seqs).toHaveLength(SYNTHETIC);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const capped = await t.app.inject(`/api/v1/changes?format=ndjson&source=ctgov&limit=${EXPORT_BATCH + 3}`);
    expect(capped.body.trimEnd().split('\n')).toHaveLength(EXPORT_BATCH + 3);
  });

  it('answers an empty export with the CSV header only', async () => {
    const response = await t.app.inject('/api/v1/trials?format=csv&updatedWithin=1m');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    expect((await t.app.inject('/api/v1/trials?format=ndjson&updatedWithin=1m')).body).toBe('');
  });

  it('validates export requests before streaming', async () => {
    const response = await t.app.inject('/api/v1/trials?format=csv&cursor=forged.cursor');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json().code).toBe('INVALID_CURSOR');
  });
});
