/**
 * Writes trials, versions and change events directly, in the format the harvest service writes
 * (see src/store/schema.ts): one trials row with the current version and its `doc`, one
 * trial_versions row per version (gzip raw, JSON diff), one changes row per event. Lets the API
 * tests build any history, at any time, without a harvest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SourceId, TrialFields } from '../../../src/domain/trial.types.js';
import { emptyTrialFields } from '../../../src/domain/trial.types.js';
import { canonicalize, contentHash, diffCanonical } from '../../../src/domain/canonical.js';
import type { Db } from '../../../src/store/database.js';
import { fixturesDir } from '../../../testkit/fake-upstream.js';

export const KR_SNAPSHOT = join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json');

export interface SeedTrial {
  id: string;
  source?: SourceId;
  /** The upstream record as sent; defaults to `{ id, ...fields }`. */
  raw?: Record<string, unknown>;
  fields?: Partial<TrialFields>;
  sourceFields?: Record<string, unknown>;
}

interface Current {
  source: SourceId;
  version: number;
  raw: Record<string, unknown>;
  fields: TrialFields;
  sourceFields: Record<string, unknown>;
  removed: boolean;
}

/** The nine columns of data.go.kr 3074271, all strings. */
export type KoreanRecord = Record<
  | '과제명'
  | '과제번호'
  | '연구기간'
  | '연구범위'
  | '연구종류'
  | '연구책임기관'
  | '임상시험단계(연구모형)'
  | '전체목표연구대상자수'
  | '진료과',
  string
>;

export function koreanSnapshot(): KoreanRecord[] {
  return (JSON.parse(readFileSync(KR_SNAPSHOT, 'utf8')) as { data: KoreanRecord[] }).data;
}

const STUDY_TYPES: Record<string, string> = {
  관찰연구: 'OBSERVATIONAL',
  중재연구: 'INTERVENTIONAL',
  기타: 'OTHER',
};
const SCOPES: Record<string, string> = { 단일기관: 'SINGLE_CENTER', 국내다기관: 'MULTICENTER_DOMESTIC' };

/** A Korean record as the kr-icreat mapper shapes it (enough of it for the API). */
export function koreanTrial(record: KoreanRecord): SeedTrial {
  const empty = (value: string) => (value.trim() === '' ? null : value);
  const enrollment = /^\d+$/.test(record['전체목표연구대상자수'])
    ? Number(record['전체목표연구대상자수'])
    : null;
  const period = /^(\d+)(년|개월)$/.exec(record['연구기간']);
  const design = empty(record['임상시험단계(연구모형)']);
  const designCode =
    design === null
      ? null
      : design
          .toUpperCase()
          .replace(/[\s-]+/g, '_')
          .replace('코호트', 'COHORT');
  return {
    id: record['과제번호'],
    source: 'kr-icreat',
    raw: { ...record },
    fields: {
      title: empty(record['과제명']),
      studyType: STUDY_TYPES[record['연구종류']] ?? null,
      phase: designCode,
      institution: empty(record['연구책임기관']),
      department: empty(record['진료과']),
      enrollment,
    },
    sourceFields: {
      upstream: { ...record },
      normalized: {
        enrollment,
        period: {
          text: empty(record['연구기간']),
          months: period === null ? null : Number(period[1]) * (period[2] === '년' ? 12 : 1),
        },
        studyType: { code: STUDY_TYPES[record['연구종류']] ?? null, label: empty(record['연구종류']) },
        scope: { code: SCOPES[record['연구범위']] ?? null, label: empty(record['연구범위']) },
        designPhase: { code: designCode, label: design },
      },
    },
  };
}

export class Seeder {
  readonly #db: Db;
  readonly #current = new Map<string, Current>();
  /** The time the next write is stamped with (epoch ms); tests move it. */
  now: number;

  constructor(db: Db, now: number) {
    this.#db = db;
    this.now = now;
  }

  #insertChange(
    trx: Db,
    change: { id: string; source: string; version: number; kind: string; paths: string[]; at: number },
  ) {
    return trx
      .insertInto('changes')
      .values({
        trial_id: change.id,
        source: change.source,
        version: change.version,
        kind: change.kind,
        paths: JSON.stringify(change.paths),
        occurred_at: change.at,
        run_id: null,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
  }

  #columns(state: Current) {
    const f = state.fields;
    return {
      source: state.source,
      title: f.title,
      title_en: f.titleEn,
      status: f.status,
      phase: f.phase,
      study_type: f.studyType,
      institution: f.institution,
      department: f.department,
      enrollment: f.enrollment,
      has_results: f.hasResults === null ? null : f.hasResults ? 1 : 0,
      source_updated_at: f.sourceUpdatedAt,
      doc: JSON.stringify({ fields: f, sourceFields: state.sourceFields }),
    };
  }

  /** A new trial (version 1, a `created` event). */
  async create(trial: SeedTrial, at = this.now): Promise<void> {
    await this.#db.transaction().execute((trx) => this.#create(trx, trial, at));
  }

  /** Many new trials in one transaction, in order (their `created` events follow that order). */
  async createMany(trials: readonly SeedTrial[], at = this.now): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      for (const trial of trials) await this.#create(trx, trial, at);
    });
  }

  async #create(trx: Db, trial: SeedTrial, at: number): Promise<void> {
    const state: Current = {
      source: trial.source ?? 'kr-icreat',
      version: 1,
      raw: trial.raw ?? { id: trial.id, ...trial.fields },
      fields: { ...emptyTrialFields(), ...trial.fields },
      sourceFields: trial.sourceFields ?? {},
      removed: false,
    };
    const hash = contentHash(canonicalize(state.raw));
    await trx
      .insertInto('trial_versions')
      .values({
        trial_id: trial.id,
        version: 1,
        content_hash: hash,
        observed_at: at,
        run_id: null,
        diff: null,
        source_updated_at: state.fields.sourceUpdatedAt,
        raw: gzipSync(JSON.stringify(state.raw)),
      })
      .execute();
    const { seq } = await this.#insertChange(trx, {
      id: trial.id,
      source: state.source,
      version: 1,
      kind: 'created',
      paths: [],
      at,
    });
    await trx
      .insertInto('trials')
      .values({
        id: trial.id,
        ...this.#columns(state),
        version: 1,
        content_hash: hash,
        first_seen_at: at,
        last_seen_at: at,
        last_changed_at: at,
        change_seq: seq,
        removed_at: null,
        last_seen_run_id: null,
      })
      .execute();
    await trx
      .insertInto('trial_seen')
      .values({ trial_id: trial.id, last_seen_at: at, last_seen_run_id: null })
      .execute();
    this.#current.set(trial.id, state);
  }

  /** A new version: fields and raw merged with the patch, diffed against the previous raw. */
  async update(
    id: string,
    patch: {
      fields?: Partial<TrialFields>;
      raw?: Record<string, unknown>;
      sourceFields?: Record<string, unknown>;
    },
    at = this.now,
    kind: 'updated' | 'restored' = 'updated',
  ): Promise<void> {
    const before = this.#state(id);
    const state: Current = {
      ...before,
      version: before.version + 1,
      fields: { ...before.fields, ...patch.fields },
      raw: patch.raw ?? { ...before.raw, ...patch.fields, revision: before.version + 1 },
      sourceFields: patch.sourceFields ?? before.sourceFields,
      removed: false,
    };
    const diff = diffCanonical(canonicalize(before.raw), canonicalize(state.raw));
    const hash = contentHash(canonicalize(state.raw));
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('trial_versions')
        .values({
          trial_id: id,
          version: state.version,
          content_hash: hash,
          observed_at: at,
          run_id: null,
          diff: JSON.stringify(diff),
          source_updated_at: state.fields.sourceUpdatedAt,
          raw: gzipSync(JSON.stringify(state.raw)),
        })
        .execute();
      const { seq } = await this.#insertChange(trx, {
        id,
        source: state.source,
        version: state.version,
        kind,
        paths: diff.map((item) => item.path),
        at,
      });
      await trx
        .updateTable('trials')
        .set({
          ...this.#columns(state),
          version: state.version,
          content_hash: hash,
          last_changed_at: at,
          change_seq: seq,
          removed_at: null,
        })
        .where('id', '=', id)
        .execute();
      await trx.updateTable('trial_seen').set({ last_seen_at: at }).where('trial_id', '=', id).execute();
    });
    this.#current.set(id, state);
  }

  /** The registry no longer lists it: a `removed` event, no new version. */
  async remove(id: string, at = this.now): Promise<void> {
    await this.#stateChange(id, 'removed', at);
  }

  /** Listed again, unchanged: a `restored` event, no new version. */
  async restore(id: string, at = this.now): Promise<void> {
    await this.#stateChange(id, 'restored', at);
  }

  async #stateChange(id: string, kind: 'removed' | 'restored', at: number): Promise<void> {
    const state = this.#state(id);
    await this.#db.transaction().execute(async (trx) => {
      const { seq } = await this.#insertChange(trx, {
        id,
        source: state.source,
        version: state.version,
        kind,
        paths: [],
        at,
      });
      await trx
        .updateTable('trials')
        .set(
          kind === 'removed'
            ? { removed_at: at, last_changed_at: at, change_seq: seq }
            : { removed_at: null, last_changed_at: at, change_seq: seq },
        )
        .where('id', '=', id)
        .execute();
      if (kind !== 'removed') {
        await trx.updateTable('trial_seen').set({ last_seen_at: at }).where('trial_id', '=', id).execute();
      }
    });
    state.removed = kind === 'removed';
  }

  #state(id: string): Current {
    const state = this.#current.get(id);
    if (state === undefined) throw new Error(`seed: unknown trial ${id}`);
    return state;
  }

  has(id: string): boolean {
    return this.#current.has(id);
  }

  ids(): string[] {
    return [...this.#current.keys()];
  }
}
