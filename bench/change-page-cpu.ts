/**
 * Issue 17: the CPU time of rendering one /api/v1/changes page of 100 typed update events, the old
 * way (changeEventView, then the response schema compiled by fast-json-stringify as Fastify does)
 * and the new one (changePageBytes: JSON.stringify per event, encoded in pieces), in-process; also
 * checks that both write the same text.
 *
 *   node --import tsx bench/change-page-cpu.ts
 */
import fjs from 'fast-json-stringify';
import { ChangeListSchema } from '../src/api/schemas/change.schema.js';
import { changeEventView, changePageBytes } from '../src/api/change-format.js';
import type { ChangeEvent } from '../src/domain/trial-read.types.js';

const stringify = fjs(JSON.parse(JSON.stringify(ChangeListSchema)) as object) as (value: unknown) => string;
const loc = (s: string) => ({ en: `${s} changed from A to B`, ko: `${s} 변경: A → B` });
function ev(i: number) {
  return {
    seq: 100000 + i,
    trialId: `NCT0${1000000 + i}`,
    source: 'ctgov',
    version: 2,
    kind: 'updated',
    paths: [
      'protocolSection.statusModule.overallStatus',
      'protocolSection.statusModule.lastUpdatePostDateStruct.date',
      'protocolSection.statusModule.statusVerifiedDate',
    ],
    occurredAt: Date.now() - i,
    runId: 3,
    classification: {
      material: true,
      summary: loc('Status'),
      changes: [
        { type: 'status', field: 'status', from: 'RECRUITING', to: 'COMPLETED', summary: loc('Status') },
        {
          type: 'registry',
          field: 'lastUpdate',
          from: '2024-01-02',
          to: '2024-02-03',
          summary: loc('Last update'),
        },
        {
          type: 'registry',
          field: 'statusVerified',
          from: '2024-01',
          to: '2024-02',
          summary: loc('Verified'),
        },
        {
          summary: loc('Sites'),
          type: 'sites',
          field: 'sites',
          from: 3,
          to: { count: 4, x: [1] },
          whyStopped: 'w',
          removed: ['b'],
          added: ['a'],
          extra: 1,
        },
        {
          type: 'status',
          field: 'status',
          from: null,
          to: 'WITHDRAWN',
          whyStopped: 'money',
          summary: loc('Status'),
        },
      ],
    },
  };
}
const events = Array.from({ length: 100 }, (_, i) => ev(i)) as unknown as ChangeEvent[];
events.push({
  ...ev(200),
  classification: null,
  kind: 'created',
  paths: [],
  runId: null,
} as unknown as ChangeEvent);
// Both as the bytes sent (a page's text over 64 K characters costs most in its encoding).
const old = () =>
  Buffer.from(
    stringify({ items: events.map(changeEventView), nextCursor: 'c'.repeat(40), hasMore: true }),
    'utf8',
  );
const now = () => changePageBytes(events, 'c'.repeat(40), true);
const same = () => old().equals(now());
console.log('bytes', old().length, now().length, 'identical text:', same());
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
for (let round = 0; round < 3; round++)
  for (const [name, f] of [
    ['view + fjs (before)', old],
    ['changePageBytes (after)', now],
  ] as const) {
    for (let i = 0; i < 300; i++) f();
    const t = cpu();
    const N = 2000;
    for (let i = 0; i < N; i++) f();
    console.log(name, ((cpu() - t) / N).toFixed(3), 'ms CPU/page');
  }
if (!same()) throw new Error('the two renderings differ');
