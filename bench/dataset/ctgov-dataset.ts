/**
 * ClinicalTrials.gov-size datasets: N studies derived from the 200 real API v2 fixtures, produced
 * one at a time on demand (100,000 studies are about 2.3 GB of JSON: nothing holds them all).
 *
 * Study i is `syntheticStudy(template, i)` (NCT id `NCT9…`, org study id and brief title varied)
 * of a template picked by the seed, so sizes follow the fixtures (about 23 KB on average, up to
 * 0.5 MB). The seed also varies the overall status, the enrollment count and the last update date.
 * Every release moves `derivedSection.miscInfoModule.versionHolder` (a volatile field: it must
 * never create a version); a study that changes in a release gets a new status, enrollment count
 * and last update date — or, with `changeMix: 'mixed'`, one of them (see `MIXED_CHANGE_SHARES`).
 *
 * Two ways to the same bytes: `ctgovStudy` builds the object (structuredClone of the template:
 * about 1,300 studies/s, slower than the harvester it feeds), and `CtgovGenerator` splices the
 * varied values into each template's JSON text compiled once (tens of thousands a second).
 * `CtgovGenerator.verify` checks that both agree.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FakeStudy } from '../../testkit/fake-ctgov.js';
import { loadCtgovFixtures, syntheticNctId, syntheticStudy } from '../../testkit/fake-ctgov.js';
import type { DatasetSpec } from './dataset-spec.js';
import { changesIn, hash32, intBetween, pick } from './random.js';

const STATUSES = [
  'RECRUITING',
  'ACTIVE_NOT_RECRUITING',
  'COMPLETED',
  'NOT_YET_RECRUITING',
  'TERMINATED',
  'WITHDRAWN',
  'UNKNOWN',
];

/**
 * `changeMix: 'mixed'`: the share (percent) of each kind of change among the studies that change
 * in a release. Every kind moves the last-update dates (the registry's bookkeeping, as on every
 * real update); `status` also moves the overall status to a different one, `enrollment` the
 * enrollment count (a study whose template has no numeric count gets only the dates), `registry`
 * nothing else (`material: false`). On ClinicalTrials.gov most updates are dates, enrollment,
 * sites or bookkeeping, a minority are status changes: one in five here, so that a `type=status`
 * filter is selective over a feed of mostly other events.
 */
export const MIXED_CHANGE_SHARES = { status: 20, enrollment: 30, registry: 50 } as const;

export type MixedChangeKind = keyof typeof MIXED_CHANGE_SHARES;

/** With `changeMix: 'mixed'`: the kind of change study `index` makes in `release` if it changes then. */
export function mixedChangeKind(seed: number, index: number, release: number): MixedChangeKind {
  const share = hash32(seed, index, 300 + release) % 100;
  if (share < MIXED_CHANGE_SHARES.status) return 'status';
  return share < MIXED_CHANGE_SHARES.status + MIXED_CHANGE_SHARES.enrollment ? 'enrollment' : 'registry';
}

/** The first release's data day; release r is r days later. */
const RELEASE_0 = Date.UTC(2026, 3, 1);
const DAY_MS = 86_400_000;

let templates: FakeStudy[] | undefined;

function ctgovTemplates(): FakeStudy[] {
  templates ??= loadCtgovFixtures();
  return templates;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The data day of a release, `YYYY-MM-DD`. */
export function releaseDay(release: number): string {
  return day(RELEASE_0 + release * DAY_MS);
}

/** `/version`'s dataTimestamp of a release. */
export function releaseTimestamp(release: number): string {
  return `${releaseDay(release)}T09:00:05`;
}

/** The NCT id of study `index` (`NCT9` and seven digits). */
export function ctgovStudyId(index: number): string {
  return syntheticNctId(index);
}

function templateIndex(spec: DatasetSpec, index: number): number {
  return hash32(spec.seed, index, 11) % ctgovTemplates().length;
}

/** The values the seed and the releases give study `index`. */
interface Variation {
  status: string;
  posted: string;
  /** The enrollment count (used where the template has a numeric one). */
  count: number;
  versionHolder: string;
}

function variation(spec: DatasetSpec, index: number): Variation {
  const varied: Variation = {
    status: pick(STATUSES, spec.seed, index, 13),
    posted: day(Date.UTC(2015, 0, 1) + intBetween(spec.seed, index, 12, 0, 3_900) * DAY_MS),
    count: intBetween(spec.seed, index, 14, 10, 5_000),
    versionHolder: releaseDay(spec.release),
  };
  for (let release = 1; release <= spec.release; release++) {
    if (!changesIn(spec.seed, index, release, spec.changedPercent[release - 1] ?? 0)) continue;
    varied.posted = releaseDay(release);
    // Unique to the release, so a study that changes twice never changes back.
    const count = 10_000 * release + intBetween(spec.seed, index, 200 + release, 0, 9_999);
    if (spec.changeMix !== 'mixed') {
      varied.status = pick(STATUSES, spec.seed, index, 100 + release);
      varied.count = count;
      continue;
    }
    const kind = mixedChangeKind(spec.seed, index, release);
    if (kind === 'status') {
      // Always a different status: one of the others.
      const from = STATUSES.indexOf(varied.status);
      const step = 1 + (hash32(spec.seed, index, 100 + release) % (STATUSES.length - 1));
      varied.status = STATUSES[(from + step) % STATUSES.length]!;
    } else if (kind === 'enrollment') {
      varied.count = count;
    }
  }
  return varied;
}

/** Sets the varied values on a synthetic study (in place); `values` may be placeholders. */
function applyVariation(study: FakeStudy, values: Record<keyof Variation, unknown>): void {
  const status = obj(obj(study.protocolSection).statusModule);
  status.overallStatus = values.status;
  status.lastUpdatePostDateStruct = { date: values.posted, type: 'ACTUAL' };
  status.lastUpdateSubmitDate = values.posted;
  const enrollment = obj(obj(obj(study.protocolSection).designModule).enrollmentInfo);
  if (typeof enrollment.count === 'number') enrollment.count = values.count;
  const misc = obj(obj(study.derivedSection).miscInfoModule);
  if ('versionHolder' in misc) misc.versionHolder = values.versionHolder;
}

/** Study `index` as of `spec.release`, built as an object (the reference; slow). */
export function ctgovStudy(spec: DatasetSpec, index: number): FakeStudy {
  const study = syntheticStudy(ctgovTemplates()[templateIndex(spec, index)], index);
  applyVariation(study, variation(spec, index));
  return study;
}

// ---------------------------------------------------------------------------------------------
// The fast path: each template's synthetic JSON compiled once into text parts and value slots

type Slot = 'nctId' | 'orgId' | 'briefTitle' | keyof Variation;

interface CompiledTemplate {
  /** Text between the slots: `parts.length === slots.length + 1`. */
  parts: string[];
  slots: Slot[];
  /** The real study's NCT id, original org study id and brief title (what syntheticStudy varies). */
  originalId: string;
  orgId: string | undefined;
  briefTitle: string | undefined;
}

const MARK = '\u0001slot:';
const SLOT_PATTERN = /"\\u0001slot:(\w+)\\u0001"/;

function placeholder(slot: Slot): string {
  return `${MARK}${slot}\u0001`;
}

function compile(template: FakeStudy): CompiledTemplate {
  const identification = obj(obj(template.protocolSection).identificationModule);
  const orgId = obj(identification.orgStudyIdInfo).id;
  const study = syntheticStudy(template, 0);
  const synthetic = obj(obj(study.protocolSection).identificationModule);
  synthetic.nctId = placeholder('nctId');
  if (typeof orgId === 'string') obj(synthetic.orgStudyIdInfo).id = placeholder('orgId');
  if (typeof identification.briefTitle === 'string') synthetic.briefTitle = placeholder('briefTitle');
  applyVariation(study, {
    status: placeholder('status'),
    posted: placeholder('posted'),
    count: placeholder('count'),
    versionHolder: placeholder('versionHolder'),
  });
  const pieces = JSON.stringify(study).split(SLOT_PATTERN);
  const parts: string[] = [];
  const slots: Slot[] = [];
  pieces.forEach((piece, i) => (i % 2 === 0 ? parts.push(piece) : slots.push(piece as Slot)));
  return {
    parts,
    slots,
    originalId: typeof identification.nctId === 'string' ? identification.nctId : 'unknown',
    orgId: typeof orgId === 'string' ? orgId : undefined,
    briefTitle: typeof identification.briefTitle === 'string' ? identification.briefTitle : undefined,
  };
}

/** Produces study JSON text fast; the same bytes as `JSON.stringify(ctgovStudy(spec, index))`. */
export class CtgovGenerator {
  readonly #compiled: CompiledTemplate[];

  constructor() {
    this.#compiled = ctgovTemplates().map(compile);
  }

  studyJson(spec: DatasetSpec, index: number): string {
    const compiled = this.#compiled[templateIndex(spec, index)]!;
    const varied = variation(spec, index);
    let out = compiled.parts[0]!;
    for (let i = 0; i < compiled.slots.length; i++) {
      out += this.#value(compiled, compiled.slots[i]!, index, varied) + compiled.parts[i + 1]!;
    }
    return out;
  }

  #value(compiled: CompiledTemplate, slot: Slot, index: number, varied: Variation): string {
    switch (slot) {
      case 'nctId':
        return JSON.stringify(syntheticNctId(index));
      // The two formulas of `syntheticStudy`; `verify` catches any drift from it.
      case 'orgId':
        return JSON.stringify(`${compiled.orgId}-S${index}`);
      case 'briefTitle':
        return JSON.stringify(`${compiled.briefTitle} (synthetic ${index} from ${compiled.originalId})`);
      case 'count':
        return String(varied.count);
      case 'status':
      case 'posted':
      case 'versionHolder':
        return JSON.stringify(varied[slot]);
    }
  }

  /**
   * Checks the fast path against the object path on `samples` studies spread over the dataset (and
   * every template at least once when `samples` ≥ 200); throws on the first difference.
   */
  verify(spec: DatasetSpec, samples = 50): void {
    const step = Math.max(1, Math.floor(spec.n / samples));
    for (let index = 0; index < spec.n; index += step) {
      const fast = JSON.parse(this.studyJson(spec, index)) as unknown;
      const slow = JSON.parse(JSON.stringify(ctgovStudy(spec, index))) as unknown;
      if (!isDeepStrictEqual(fast, slow)) {
        throw new Error(`ctgov generator: the fast path differs from syntheticStudy for study ${index}`);
      }
    }
  }
}
