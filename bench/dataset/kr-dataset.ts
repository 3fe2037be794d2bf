/**
 * KR-size datasets: records shaped exactly like data.go.kr 3074271 rows (nine string columns),
 * derived from the 145 real records of the bundled 2021-11 snapshot.
 *
 * Records 0…144 are the real records unchanged (so N = 145 is the real dataset); record i ≥ 145 is
 * real record `i mod 145` with the id rewritten to `C9` + six digits (no real 과제번호 starts with
 * C9), the title marked, and the target size and period varied by the seed. A record that changes
 * in a release gets a new target size and period.
 */
import { loadKrSnapshotRecords } from '../../testkit/fake-upstream.js';
import type { DatasetSpec } from './dataset-spec.js';
import { changesIn, intBetween, pick } from './random.js';

export type KrRecord = Record<string, string>;

const PERIODS = ['1년', '2년', '3년', '5년', '6개월', '18개월', '1년 6개월', '10년', ''];

let templates: KrRecord[] | undefined;

function krTemplates(): KrRecord[] {
  templates ??= loadKrSnapshotRecords();
  return templates;
}

/** The number of real records the synthetic ones are made from. */
export function krTemplateCount(): number {
  return krTemplates().length;
}

/** `C9` and six digits: a range no real 과제번호 uses. */
export function syntheticKrId(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index > 999_999) {
    throw new Error(`synthetic kr-icreat index out of range: ${index}`);
  }
  return `C9${String(index).padStart(6, '0')}`;
}

/** The id of record `index` (real ids for the first 145). */
export function krRecordId(index: number): string {
  const real = krTemplates()[index];
  return real !== undefined ? real['과제번호']! : syntheticKrId(index);
}

/** Record `index` of the dataset as of `spec.release` (a fresh object). */
export function krRecord(spec: DatasetSpec, index: number): KrRecord {
  const all = krTemplates();
  const template = all[index % all.length]!;
  const record: KrRecord = { ...template };
  if (index >= all.length) {
    record['과제번호'] = syntheticKrId(index);
    record['과제명'] = `${template['과제명']!.trimEnd()} (합성 ${index})`;
    record['전체목표연구대상자수'] = String(intBetween(spec.seed, index, 1, 10, 5_000));
    record['연구기간'] = pick(PERIODS, spec.seed, index, 2);
  }
  for (let release = 1; release <= spec.release; release++) {
    if (!changesIn(spec.seed, index, release, spec.changedPercent[release - 1] ?? 0)) continue;
    record['전체목표연구대상자수'] = String(intBetween(spec.seed, index, 100 + release, 5_001, 9_999));
    record['연구기간'] = `${release + 1}년 ${intBetween(spec.seed, index, 200 + release, 1, 11)}개월`;
  }
  return record;
}

/** Every record of the dataset as of `spec.release`, in upstream order. */
export function krRecords(spec: DatasetSpec): KrRecord[] {
  const out: KrRecord[] = [];
  for (let i = 0; i < spec.n; i++) out.push(krRecord(spec, i));
  return out;
}
