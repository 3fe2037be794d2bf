/**
 * Search latency on a database you already have: the `search` scenario's English and id list
 * queries sent one at a time to a running `trialwatch serve` (10 unmeasured, then 100 measured per
 * query), printed as a Markdown table of hits and p50/p95/p99 ms. For databases too large to seed
 * in the `search` scenario, e.g. the one `ctgov-harvest --n 610000` leaves behind.
 *
 *   npx tsx bench/search-latency.ts http://127.0.0.1:8000 610000
 *
 * The second argument is the N the ctgov dataset was generated with (it names the id looked up).
 */
import { ctgovStudyId } from './dataset/ctgov-dataset.js';

const WARMUP = 10;
const MEASURED = 100;

const [base, nText] = process.argv.slice(2);
const n = Number(nText);
if (base === undefined || !Number.isSafeInteger(n) || n < 1) {
  process.stderr.write('usage: npx tsx bench/search-latency.ts BASE_URL N\n');
  process.exit(2);
}

const q = (text: string) => `q=${encodeURIComponent(text)}`;
const id = ctgovStudyId(Math.floor(n / 2));
const QUERIES: [string, string][] = [
  ['q=headache', q('headache')],
  ['q=nsclc egfr', q('nsclc egfr')],
  ['q="cluster headache"', q('"cluster headache"')],
  ['q=psoriasis', q('psoriasis')],
  ['q=lymphoma', q('lymphoma')],
  ['q=xylophone', q('xylophone')],
  [`q=${id}`, q(id)],
  ['q=nsclc -egfr', q('nsclc -egfr')],
  ['q=headache&status=RECRUITING', `${q('headache')}&status=RECRUITING`],
  [
    'q=psoriasis&phase=PHASE3&country=United States',
    `${q('psoriasis')}&phase=PHASE3&country=${encodeURIComponent('United States')}`,
  ],
  ['q=headache&sort=-lastChangedAt', `${q('headache')}&sort=-lastChangedAt`],
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function timed(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - started;
}

console.log('| query | hits | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|');
for (const [label, params] of QUERIES) {
  const url = `${base}/api/v1/trials?${params}`;
  const first = await fetch(`${url}&count=true`);
  const body = (await first.json()) as { total?: number };
  if (first.status !== 200) throw new Error(`${label}: HTTP ${first.status} ${JSON.stringify(body)}`);
  for (let i = 0; i < WARMUP; i++) await timed(url);
  const ms: number[] = [];
  for (let i = 0; i < MEASURED; i++) ms.push(await timed(url));
  ms.sort((a, b) => a - b);
  const cells = [50, 95, 99].map((p) => percentile(ms, p).toFixed(1));
  console.log(`| ${label} | ${body.total ?? '?'} | ${cells.join(' | ')} |`);
}
