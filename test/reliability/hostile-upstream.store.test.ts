/**
 * Issue 9, part 1: hostile upstream data, as one table. Every source (kr-icreat, ctgov, cris) is
 * harvested through the real adapter and the real harvest service from the fake upstream on
 * 127.0.0.1, on SQLite and PostgreSQL. Each case starts from a clean harvest of a small dataset,
 * takes one record away upstream (so that a complete listing *would* remove exactly one trial),
 * makes the upstream hostile in one way, harvests, and checks the outcome the table gives:
 * - the run's status and error code (handled, or failed with a clear error);
 * - how many records were skipped, and why (the reason is recorded on the run);
 * - how many trials were removed: 1 after a listing that is complete, 0 after one that is not;
 * - the store invariants (no half-written record: hashes, versions, events all agree);
 * then clears the fault and harvests again: the data must come back whole.
 *
 * Bodies that cannot be decoded (bytes that are not UTF-8, CP949 sent as UTF-8: BUG-3) are retried
 * like a truncated body and then fail the request with UPSTREAM_BAD_RESPONSE; nothing is ever
 * stored with U+FFFD in place of the bytes. A body in a declared Korean charset is decoded by it.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfigBase } from '../../src/config/config.js';
import { EnvReader } from '../../src/config/env-reader.js';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import type { CrisConfig } from '../../src/sources/cris/cris-config.js';
import { createCrisSource } from '../../src/sources/cris/cris-source.js';
import { parseCtgovConfig } from '../../src/sources/ctgov/ctgov-config.js';
import { ctgovSource } from '../../src/sources/ctgov/ctgov-source.js';
import { parseKrIcreatConfig } from '../../src/sources/kr-icreat/kr-icreat-config.js';
import { krIcreatSource } from '../../src/sources/kr-icreat/kr-icreat-source.js';
import type { SourceAdapter } from '../../src/sources/source.types.js';
import { decompressJson } from '../../src/store/compression.js';
import type { FakeCrisTrial } from '../../testkit/fake-cris.js';
import { CRIS_FAKE_KEY, CRIS_FAKE_PATH, realCrisTrials } from '../../testkit/fake-cris.js';
import type { FakeStudy } from '../../testkit/fake-ctgov.js';
import { ctgovFixtureIds, ctgovFixture, studyIdOf } from '../../testkit/fake-ctgov.js';
import type { FakeRequest, FakeUpstream } from '../../testkit/fake-upstream.js';
import {
  KR_FAKE_LAST_KNOWN_UDDI,
  goJson,
  loadKrSnapshotRecords,
  startFakeUpstream,
} from '../../testkit/fake-upstream.js';
import { silentLog, testConfig, testSourceConfig } from '../../testkit/memory-source.js';
import { checkStoreInvariants } from '../../testkit/store-invariants.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';
import { resetTables } from '../support/reset-tables.js';

type SourceName = 'kr-icreat' | 'ctgov' | 'cris';
type Json = Record<string, unknown>;

const FIVE_MB = 5 * 1024 * 1024;
const KR_PAGE_PATH = `/api/3074271/v1/uddi:${KR_FAKE_LAST_KNOWN_UDDI}`;
const CRIS_LIST_PATH = `${CRIS_FAKE_PATH}/list`;
const CRIS_DETAIL_PATH = `${CRIS_FAKE_PATH}/detail`;
/** Replaced by invalid UTF-8 bytes in a body. */
const BAD_BYTES_MARK = '@@INVALID-UTF8@@';

/** What a case must lead to. */
interface Outcome {
  status: HarvestRun['status'];
  errorCode?: string;
  /** Exact count of skipped records (run.skipped). */
  skipped?: number;
  /** A reason every case with skipped records must record. */
  skippedReason?: RegExp;
  /** 1: the listing was complete (the record taken away upstream is removed); 0: it was not. */
  removed: number;
  /** Matched against the run's error message, info and skipped reasons. */
  says?: RegExp;
  /** The upstream saw a request again (a retry). */
  retried?: boolean;
  /** Anything else to check once the hostile harvest is done. */
  check?: (world: World) => Promise<void>;
}

interface HostileCase {
  source: SourceName;
  name: string;
  /** Makes the upstream hostile (after the clean harvest and the removal of one record). */
  arrange: (world: World) => void;
  expected: Outcome;
}

/** The fake upstream, the test database and the per-source knobs the cases turn. */
interface World {
  upstream: FakeUpstream;
  store: TestStore;
  /** The ctgov listing this test serves (its own pages, so that they can be broken at will). */
  ctgov: { studies: FakeStudy[]; hook?: (page: number, body: Json) => Json | string | Buffer };
  /** kr-icreat's current rows (what the gateway serves). */
  kr: () => Record<string, unknown>[];
}

// ---------------------------------------------------------------------------------------------
// Datasets

const KR_BASE = loadKrSnapshotRecords().slice(0, 30);
const CTGOV_BASE = ctgovFixtureIds()
  .slice(0, 30)
  .map((id) => ctgovFixture(id));
const CRIS_BASE = realCrisTrials();

/** The record taken away upstream before each hostile harvest (the last one listed). */
const KR_GONE = KR_BASE.at(-1)!['과제번호']!;
const CTGOV_GONE = studyIdOf(CTGOV_BASE.at(-1)!);
const CRIS_GONE = [...CRIS_BASE].map((trial) => String(trial.list.trial_id)).sort()[0]!;

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** `text` with the mark replaced by bytes that are not UTF-8 (a lone 0xFF and a cut sequence). */
function withInvalidUtf8(text: string): Buffer {
  const parts = text.split(BAD_BYTES_MARK);
  const bad = Buffer.from([0xff, 0xe2, 0x82]);
  return Buffer.concat(
    parts.flatMap((part, index) => (index === 0 ? [Buffer.from(part)] : [bad, Buffer.from(part)])),
  );
}

function queryOf(request: FakeRequest, name: string): string | null {
  return request.query.get(name);
}

/** Matches the kr-icreat page request for `page`. */
const krPage = (page: number) => (request: FakeRequest) =>
  request.path === KR_PAGE_PATH && queryOf(request, 'page') === String(page);
/** Matches the ctgov listing request for `page` of this test's paging. */
const ctgovPage = (page: number) => (request: FakeRequest) =>
  request.path === '/api/v2/studies' && (queryOf(request, 'pageToken') ?? 'p1') === `p${page}`;
/** Matches the CRIS list request for `page`. */
const crisPage = (page: number) => (request: FakeRequest) =>
  request.path === CRIS_LIST_PATH && queryOf(request, 'pageNo') === String(page);

/** The odcloud page body the fake gateway would send for page `page` of `rows`. */
function krPageBody(rows: Record<string, unknown>[], page: number, perPage = 10): Json {
  const data = rows.slice((page - 1) * perPage, page * perPage);
  return { currentCount: data.length, data, matchCount: rows.length, page, perPage, totalCount: rows.length };
}

/** This test's ctgov page body (`p1`, `p2`, … tokens; totalCount on the first page only). */
function ctgovPageBody(studies: FakeStudy[], page: number, size = 10): Json {
  const body: Json = { studies: studies.slice((page - 1) * size, page * size) };
  if (page === 1) body.totalCount = studies.length;
  if (page * size < studies.length) body.nextPageToken = `p${page + 1}`;
  return body;
}

/** The CRIS list body the fake would send (newest registration first). */
function crisListBody(trials: FakeCrisTrial[], page: number, rows = 5): Json {
  const ordered = [...trials].sort((a, b) => String(b.list.trial_id).localeCompare(String(a.list.trial_id)));
  return {
    pageNo: String(page),
    resultCode: '00',
    totalCount: ordered.length,
    numOfRows: rows,
    items: ordered.slice((page - 1) * rows, page * rows).map((trial) => trial.list),
    resultMsg: 'NORMAL_SERVICE',
  };
}

const respond = (body: string | Buffer, contentType = 'application/json; charset=UTF-8') =>
  ({ kind: 'respond', status: 200, body, contentType }) as const;

/** Checks that no stored text holds U+FFFD (a character lost in decoding). */
async function expectNoReplacementCharacter(world: World): Promise<void> {
  const rows = await world.store.db.selectFrom('trials').select(['id', 'doc']).execute();
  const damaged = rows.filter((row) => row.doc.includes('\uFFFD')).map((row) => row.id);
  expect(damaged, 'trials stored with U+FFFD in place of bytes that were not UTF-8').toEqual([]);
}

/** Checks that the latest raw record of `id` holds `value` at `read` (text decoded, not damaged). */
function expectStoredValue(id: string, read: (raw: unknown) => unknown, value: string) {
  return async (world: World) => {
    await expectNoReplacementCharacter(world);
    const version = await world.store.db
      .selectFrom('trial_versions')
      .select('raw')
      .where('trial_id', '=', id)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    expect(read(decompressJson(version.raw))).toBe(value);
  };
}

/** A body that stays undecodable on every attempt. */
const ALWAYS = 1_000;
/** The run failed on a body that could not be decoded, retried, and said which source and request. */
const UNDECODABLE = (source: SourceName, problem: RegExp): Outcome => ({
  status: 'failed',
  errorCode: 'UPSTREAM_BAD_RESPONSE',
  removed: 0,
  retried: true,
  says: new RegExp(
    `${source}: GET http://127\\.0\\.0\\.1:\\d+/\\S+ answered HTTP 200 with ${problem.source}`,
  ),
  check: expectNoReplacementCharacter,
});

/** The upstream record stored with one version of a trial, decompressed. */
async function storedRaw(world: World, id: string, version: number): Promise<unknown> {
  const row = await world.store.db
    .selectFrom('trial_versions')
    .select('raw')
    .where('trial_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return decompressJson(row.raw);
}

/** Checks that the trial holds the big value whole, in its row and in its version's raw record. */
function expectStoredWhole(id: string, read: (raw: unknown) => unknown, length: number) {
  return async (world: World) => {
    const trial = await world.store.db
      .selectFrom('trials')
      .select(['version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const value = read(await storedRaw(world, id, trial.version));
    expect(typeof value === 'string' ? value.length : -1).toBe(length);
  };
}

/** Legal JSON that no database stores as text: half an emoji (`"\ud83d"` alone), and `"\u0000"`. */
const LONE_SURROGATE = 'Cut emoji \ud83d here';
const WITH_NUL = 'Nul\u0000inside';
/** What each becomes in the stored columns and document. */
const REPAIRED: Record<string, string> = {
  [LONE_SURROGATE]: 'Cut emoji \uFFFD here',
  [WITH_NUL]: 'Nul\uFFFDinside',
};

/**
 * Checks that `id` is stored (current, active) with the title repaired and flagged, while its raw
 * record keeps what the upstream sent, and that the run says so.
 */
function expectRepairedTitle(source: SourceName, id: string, read: (raw: unknown) => unknown, sent: string) {
  return async (world: World) => {
    const trial = await world.store.db
      .selectFrom('trials')
      .select(['title', 'doc', 'version', 'removed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(trial.removed_at).toBeNull();
    expect(trial.title).toBe(REPAIRED[sent]);
    const doc = JSON.parse(trial.doc) as {
      sourceFields: { repairedText?: { count: number; paths: string[] } };
    };
    expect(doc.sourceFields.repairedText?.paths).toContain('fields.title');
    expect(read(await storedRaw(world, id, trial.version))).toBe(sent);
    const run = await world.store.db
      .selectFrom('harvest_runs')
      .select('info')
      .where('source', '=', source)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((JSON.parse(run.info) as { textRepaired?: { records: number } }).textRepaired?.records).toBe(1);
  };
}

const KR_REPAIRED = KR_BASE[12]!['과제번호']!;
const CTGOV_REPAIRED = studyIdOf(CTGOV_BASE[12]!);
const CRIS_REPAIRED = String(CRIS_BASE[2]!.list.trial_id);
const briefTitleOf = (raw: unknown) =>
  ((raw as FakeStudy).protocolSection as { identificationModule: Json }).identificationModule.briefTitle;
const crisPublicTitleOf = (raw: unknown) => (raw as { detail: Json }).detail.public_title_kr;

/** The cases of text no database stores as given, for every source: stored repaired and flagged. */
function unstorableTextCases(text: string, label: string): HostileCase[] {
  const expected = (source: SourceName, check: (world: World) => Promise<void>): Outcome => ({
    status: 'succeeded',
    removed: 1,
    skipped: 0,
    says: /textRepaired/,
    check,
  });
  return [
    {
      source: 'kr-icreat',
      name: `${label} in a title: stored repaired and flagged, the raw record as sent`,
      arrange: (w) => w.upstream.kr.updateRecord(KR_REPAIRED, { 과제명: text }),
      expected: expected(
        'kr-icreat',
        expectRepairedTitle('kr-icreat', KR_REPAIRED, (raw) => (raw as Json)['과제명'], text),
      ),
    },
    {
      source: 'ctgov',
      name: `${label} in a title: stored repaired and flagged, the raw record as sent`,
      arrange: (w) => {
        (
          w.ctgov.studies[12]!.protocolSection as { identificationModule: Json }
        ).identificationModule.briefTitle = text;
      },
      expected: expected('ctgov', expectRepairedTitle('ctgov', CTGOV_REPAIRED, briefTitleOf, text)),
    },
    {
      source: 'cris',
      name: `${label} in a detail's title: stored repaired and flagged, the raw record as sent`,
      arrange: (w) => w.upstream.cris.updateTrial(CRIS_REPAIRED, { detail: { public_title_kr: text } }),
      expected: expected('cris', expectRepairedTitle('cris', CRIS_REPAIRED, crisPublicTitleOf, text)),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The table

const INCOMPLETE = { status: 'partial', errorCode: 'HARVEST_INCOMPLETE', removed: 0 } as const;
const CRIS_UNTRUSTED = { status: 'succeeded', removed: 0, says: /listingProblems/ } as const;

const CASES: HostileCase[] = [
  // kr-icreat: 29 rows after the removal, 10 a page.
  {
    source: 'kr-icreat',
    name: 'duplicate record across pages, beyond the page size (the gateway LIMIT quirk)',
    arrange: (w) => {
      w.upstream.kr.pageHook = (body, page) =>
        page.page === 2
          ? { ...body, currentCount: 11, data: [...(body.data as unknown[]), w.kr()[0]] }
          : body;
    },
    expected: { status: 'succeeded', skipped: 1, skippedReason: /duplicate 과제번호/, removed: 1 },
  },
  {
    source: 'kr-icreat',
    name: 'duplicate record across pages, displacing a record (unstable order)',
    arrange: (w) => {
      w.upstream.kr.pageHook = (body, page) =>
        page.page === 2 ? { ...body, data: [w.kr()[0], ...(body.data as unknown[]).slice(1)] } : body;
    },
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /duplicate 과제번호/ },
  },
  {
    source: 'kr-icreat',
    name: 'record missing its id (과제번호 empty)',
    arrange: (w) => w.upstream.kr.updateRecord(KR_BASE[12]!['과제번호']!, { 과제번호: '' }),
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /no 과제번호/ },
  },
  {
    source: 'kr-icreat',
    name: 'record with wrong types (a number and a null for text)',
    arrange: (w) =>
      w.upstream.kr.updateRecord(KR_BASE[12]!['과제번호']!, { 전체목표연구대상자수: 120, 진료과: null }),
    // The record still exists upstream: skipped with its reason and kept; only the genuine removal happens.
    expected: { status: 'succeeded', removed: 1, skipped: 1, skippedReason: /not text/ },
  },
  {
    source: 'kr-icreat',
    name: 'unknown column layout in one record (schema drift)',
    arrange: (w) => w.upstream.kr.updateRecord(KR_BASE[15]!['과제번호']!, { 연구목적: '신규 컬럼' }),
    expected: { status: 'failed', errorCode: 'SCHEMA_DRIFT', removed: 0, says: /unknown columns "연구목적"/ },
  },
  {
    source: 'kr-icreat',
    name: 'renamed column in every record (schema drift)',
    arrange: (w) =>
      w.upstream.kr.setRecords(
        w.kr().map(({ 진료과: department, ...rest }) => ({ ...rest, 진료과목: department })),
      ),
    expected: { status: 'failed', errorCode: 'SCHEMA_DRIFT', removed: 0, says: /missing columns "진료과"/ },
  },
  {
    source: 'kr-icreat',
    name: 'a page sent in CP949 and declared so (charset=EUC-KR): decoded by its charset',
    arrange: (w) =>
      w.upstream.injectFault(
        respond(iconv.encode(goJson(krPageBody(w.kr(), 2)), 'cp949'), 'application/json; charset=EUC-KR'),
        { match: krPage(2), times: ALWAYS },
      ),
    expected: {
      status: 'succeeded',
      removed: 1,
      check: expectStoredValue(
        KR_BASE[12]!['과제번호']!,
        (raw) => (raw as Json)['과제명'],
        KR_BASE[12]!['과제명']!,
      ),
    },
  },
  {
    source: 'kr-icreat',
    name: 'a page sent in CP949 but declared UTF-8 (BUG-3)',
    arrange: (w) =>
      w.upstream.injectFault(respond(iconv.encode(goJson(krPageBody(w.kr(), 2)), 'cp949')), {
        match: krPage(2),
        times: ALWAYS,
      }),
    expected: UNDECODABLE('kr-icreat', /a body that is not valid UTF-8/),
  },
  {
    source: 'kr-icreat',
    name: 'invalid UTF-8 inside one value, on every attempt (BUG-3)',
    arrange: (w) => {
      const rows = clone(w.kr());
      rows[12] = { ...rows[12], 과제명: `손상된 ${BAD_BYTES_MARK} 과제명` };
      w.upstream.injectFault(respond(withInvalidUtf8(goJson(krPageBody(rows, 2)))), {
        match: krPage(2),
        times: ALWAYS,
      });
    },
    expected: UNDECODABLE('kr-icreat', /a body that is not valid UTF-8/),
  },
  {
    source: 'kr-icreat',
    name: 'invalid UTF-8 inside one value, once (damaged on the way): retried',
    arrange: (w) => {
      const rows = clone(w.kr());
      rows[12] = { ...rows[12], 과제명: `손상된 ${BAD_BYTES_MARK} 과제명` };
      w.upstream.injectFault(respond(withInvalidUtf8(goJson(krPageBody(rows, 2)))), { match: krPage(2) });
    },
    expected: {
      status: 'succeeded',
      removed: 1,
      retried: true,
      check: expectStoredValue(
        KR_BASE[12]!['과제번호']!,
        (raw) => (raw as Json)['과제명'],
        KR_BASE[12]!['과제명']!,
      ),
    },
  },
  {
    source: 'kr-icreat',
    name: 'a 5 MB record',
    arrange: (w) => w.upstream.kr.updateRecord(KR_BASE[3]!['과제번호']!, { 과제명: 'A'.repeat(FIVE_MB) }),
    expected: {
      status: 'succeeded',
      removed: 1,
      check: expectStoredWhole(KR_BASE[3]!['과제번호']!, (raw) => (raw as Json)['과제명'], FIVE_MB),
    },
  },
  {
    source: 'kr-icreat',
    name: 'totalCount changing between pages',
    arrange: (w) => {
      w.upstream.kr.pageHook = (body, page) =>
        page.page === 2 ? { ...body, totalCount: Number(body.totalCount) + 1 } : body;
    },
    expected: { ...INCOMPLETE, says: /totalCount changed from 29 to 30 on page 2/ },
  },
  {
    source: 'kr-icreat',
    name: 'an empty page in the middle',
    arrange: (w) => {
      w.upstream.kr.pageHook = (body, page) =>
        page.page === 2 ? { ...body, currentCount: 0, data: [] } : body;
    },
    expected: { ...INCOMPLETE, says: /page 2 was empty after 10 of 29 rows/ },
  },
  {
    source: 'kr-icreat',
    name: 'a page that repeats the previous one',
    arrange: (w) => {
      w.upstream.kr.pageHook = (body, page) =>
        page.page === 2 ? { ...body, data: w.kr().slice(0, 10) } : body;
    },
    expected: { ...INCOMPLETE, says: /page 2 repeated the rows of page 1/ },
  },
  {
    source: 'kr-icreat',
    name: 'JSON truncated mid-record (connection cut): retried',
    arrange: (w) => w.upstream.injectFault({ kind: 'truncate' }, { match: krPage(2) }),
    expected: { status: 'succeeded', removed: 1, retried: true },
  },
  {
    source: 'kr-icreat',
    name: 'JSON truncated mid-record (sent as a whole body)',
    arrange: (w) => {
      const text = goJson(krPageBody(w.kr(), 2));
      w.upstream.injectFault(respond(text.slice(0, Math.floor(text.length / 2))), { match: krPage(2) });
    },
    expected: { status: 'failed', errorCode: 'UPSTREAM_BAD_RESPONSE', removed: 0, says: /not JSON/ },
  },

  // ctgov: 29 studies after the removal, 10 a page, full harvests.
  {
    source: 'ctgov',
    name: 'duplicate study across pages, displacing a study',
    arrange: (w) => {
      w.ctgov.hook = (page, body) =>
        page === 2
          ? { ...body, studies: [w.ctgov.studies[0], ...(body.studies as unknown[]).slice(1)] }
          : body;
    },
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /duplicate/ },
  },
  {
    source: 'ctgov',
    name: 'study missing its id',
    arrange: (w) => {
      const study = w.ctgov.studies[12]!;
      delete (study.protocolSection as { identificationModule: Json }).identificationModule.nctId;
    },
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /no protocolSection.identificationModule.nctId/ },
  },
  {
    source: 'ctgov',
    name: 'study with wrong types (id a number, enrollment a string)',
    arrange: (w) => {
      const broken = (w.ctgov.studies[12]!.protocolSection as { identificationModule: Json })
        .identificationModule;
      broken.nctId = 12345678;
      const design = (w.ctgov.studies[13]!.protocolSection as Json).designModule as Json | undefined;
      if (design !== undefined) design.enrollmentInfo = { count: 'many', type: 42 };
    },
    // The study without a usable id is skipped (and the listing is short of it); the odd
    // enrollment is kept as given in the raw record and read as unknown.
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /no protocolSection.identificationModule.nctId/ },
  },
  {
    source: 'ctgov',
    name: 'unknown layout: protocolSection renamed on a page (schema drift)',
    arrange: (w) => {
      for (const study of w.ctgov.studies.slice(10, 20)) {
        study.protocol_section = study.protocolSection;
        delete study.protocolSection;
      }
    },
    expected: { ...INCOMPLETE, skipped: 10, skippedReason: /no protocolSection/ },
  },
  {
    source: 'ctgov',
    name: 'a page sent in CP949 instead of UTF-8',
    arrange: (w) => {
      (
        w.ctgov.studies[12]!.protocolSection as { identificationModule: Json }
      ).identificationModule.briefTitle = '서울대학교병원 임상시험';
      w.ctgov.hook = (page, body) => (page === 2 ? iconv.encode(JSON.stringify(body), 'cp949') : body);
    },
    expected: UNDECODABLE('ctgov', /a body that is not valid UTF-8/),
  },
  {
    source: 'ctgov',
    name: 'invalid UTF-8 inside one value',
    arrange: (w) => {
      (
        w.ctgov.studies[12]!.protocolSection as { identificationModule: Json }
      ).identificationModule.briefTitle = `Broken ${BAD_BYTES_MARK} title`;
      w.ctgov.hook = (page, body) => (page === 2 ? withInvalidUtf8(JSON.stringify(body)) : body);
    },
    expected: UNDECODABLE('ctgov', /a body that is not valid UTF-8/),
  },
  {
    source: 'ctgov',
    name: 'invalid UTF-8 inside one value, once (damaged on the way): retried',
    arrange: (w) => {
      let damaged = false;
      w.ctgov.hook = (page, body) => {
        if (page !== 2 || damaged) return body;
        damaged = true;
        const studies = clone(body.studies) as FakeStudy[];
        (studies[2]!.protocolSection as { identificationModule: Json }).identificationModule.briefTitle =
          `Broken ${BAD_BYTES_MARK} title`;
        return withInvalidUtf8(JSON.stringify({ ...body, studies }));
      };
    },
    expected: {
      status: 'succeeded',
      removed: 1,
      retried: true,
      check: expectStoredValue(
        studyIdOf(CTGOV_BASE[12]!),
        (raw) =>
          (raw as { protocolSection: { identificationModule: Json } }).protocolSection.identificationModule
            .briefTitle,
        String(
          (CTGOV_BASE[12]!.protocolSection as { identificationModule: Json }).identificationModule.briefTitle,
        ),
      ),
    },
  },
  {
    source: 'ctgov',
    name: 'a 5 MB study',
    arrange: (w) => {
      const study = w.ctgov.studies[5]!;
      (study.protocolSection as Json).descriptionModule = { briefSummary: 'B'.repeat(FIVE_MB) };
    },
    expected: {
      status: 'succeeded',
      removed: 1,
      check: expectStoredWhole(
        studyIdOf(CTGOV_BASE[5]!),
        (raw) =>
          (raw as { protocolSection: { descriptionModule: Json } }).protocolSection.descriptionModule
            .briefSummary,
        FIVE_MB,
      ),
    },
  },
  {
    source: 'ctgov',
    name: 'totalCount changing between pages (first page counts a study the listing never delivers)',
    arrange: (w) => {
      w.ctgov.hook = (page, body) =>
        page === 1 ? { ...body, totalCount: Number(body.totalCount) + 1 } : body;
    },
    expected: { ...INCOMPLETE, says: /held 29 studies but totalCount is 30/ },
  },
  {
    source: 'ctgov',
    name: 'totalCount changing between pages (a later page carries a different one)',
    arrange: (w) => {
      w.ctgov.hook = (page, body) => (page === 2 ? { ...body, totalCount: 45 } : body);
    },
    // The registry sends totalCount on the first page only; a later one is not read.
    expected: { status: 'succeeded', removed: 1 },
  },
  {
    source: 'ctgov',
    name: 'an empty page in the middle (with a next-page token): paged past',
    arrange: (w) => {
      // Page 2 comes back empty with a token (p2x) that then serves the real page 2.
      w.ctgov.hook = (page, body) => (page === 2 ? { ...body, studies: [], nextPageToken: 'p2x' } : body);
    },
    expected: { status: 'succeeded', removed: 1 },
  },
  {
    source: 'ctgov',
    name: 'a page that repeats the previous one',
    arrange: (w) => {
      w.ctgov.hook = (page, body) => (page === 2 ? { ...body, studies: w.ctgov.studies.slice(0, 10) } : body);
    },
    expected: { ...INCOMPLETE, skipped: 10, skippedReason: /duplicate/ },
  },
  {
    source: 'ctgov',
    name: 'JSON truncated mid-record (connection cut): retried',
    arrange: (w) => w.upstream.injectFault({ kind: 'truncate' }, { match: ctgovPage(2) }),
    expected: { status: 'succeeded', removed: 1, retried: true },
  },
  {
    source: 'ctgov',
    name: 'JSON truncated mid-record (sent as a whole body)',
    arrange: (w) => {
      w.ctgov.hook = (page, body) => {
        const text = JSON.stringify(body);
        return page === 2 ? text.slice(0, Math.floor(text.length / 2)) : body;
      };
    },
    expected: { status: 'failed', errorCode: 'UPSTREAM_BAD_RESPONSE', removed: 0, says: /cannot be read/ },
  },

  // cris: 11 trials after the removal, 5 a list page; details fetched for new and changed entries.
  {
    source: 'cris',
    name: 'duplicate list entry across pages, displacing an entry',
    arrange: (w) => {
      w.upstream.cris.listHook = (body, page) =>
        page.pageNo === 2
          ? {
              ...body,
              items: [
                (crisListBody(w.upstream.cris.trials, 1).items as unknown[])[0],
                ...(body.items as unknown[]).slice(1),
              ],
            }
          : body;
    },
    expected: CRIS_UNTRUSTED,
  },
  {
    source: 'cris',
    name: 'list entry missing its id',
    arrange: (w) => {
      w.upstream.cris.listHook = (body, page) =>
        page.pageNo === 2
          ? {
              ...body,
              items: (body.items as Json[]).map((item, index) => {
                if (index !== 1) return item;
                const { trial_id: _id, ...rest } = item;
                return rest;
              }),
            }
          : body;
    },
    // An entry without an id makes the listing unable to show what is gone: nothing removed.
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /without a KCT registration number/ },
  },
  {
    source: 'cris',
    name: 'detail with wrong types (trial_id a number): recorded as a failed detail, kept',
    arrange: (w) => {
      const id = String(w.upstream.cris.trials[2]!.list.trial_id);
      w.upstream.cris.updateTrial(id, {
        list: { date_updated: '2099-01-01' },
        detail: { trial_id: 1234567 },
      });
    },
    expected: { status: 'succeeded', removed: 1, says: /detailFailures.*not a CRIS detail record/ },
  },
  {
    source: 'cris',
    name: 'unknown fields in list entries and details (schema drift): kept in the raw record',
    arrange: (w) => {
      const id = String(w.upstream.cris.trials[2]!.list.trial_id);
      w.upstream.cris.updateTrial(id, {
        list: { new_list_field: 'x' },
        detail: { new_detail_field: { a: 1 } },
      });
    },
    expected: {
      status: 'succeeded',
      removed: 1,
      check: async (world) => {
        const id = String(world.upstream.cris.trials[2]!.list.trial_id);
        const row = await world.store.db
          .selectFrom('trial_versions')
          .select('raw')
          .where('trial_id', '=', id)
          .orderBy('version', 'desc')
          .executeTakeFirstOrThrow();
        expect(decompressJson(row.raw)).toMatchObject({ detail: { new_detail_field: { a: 1 } } });
      },
    },
  },
  {
    source: 'cris',
    name: 'a list page sent in CP949 instead of UTF-8',
    arrange: (w) =>
      w.upstream.injectFault(
        respond(iconv.encode(JSON.stringify(crisListBody(w.upstream.cris.trials, 2)), 'cp949')),
        { match: crisPage(2), times: ALWAYS },
      ),
    expected: UNDECODABLE('cris', /a body that is not valid UTF-8/),
  },
  {
    source: 'cris',
    name: 'invalid UTF-8 inside a detail value',
    arrange: (w) => {
      const trial = w.upstream.cris.trials[2]!;
      const id = String(trial.list.trial_id);
      w.upstream.cris.updateTrial(id, { list: { date_updated: '2099-01-01' } });
      const detail = JSON.stringify({
        ...trial.detail,
        scientific_title_kr: `손상 ${BAD_BYTES_MARK}`,
        resultCode: '00',
        resultMsg: 'NORMAL_SERVICE',
      });
      w.upstream.injectFault(respond(withInvalidUtf8(detail)), {
        match: (request) => request.path === CRIS_DETAIL_PATH && queryOf(request, 'crisNumber') === id,
        times: ALWAYS,
      });
    },
    // The detail is recorded as failed (the run says which and why); the record is not touched.
    expected: {
      status: 'succeeded',
      removed: 1,
      retried: true,
      says: /detailFailures[\s\S]*not valid UTF-8/,
      check: expectNoReplacementCharacter,
    },
  },
  {
    source: 'cris',
    name: 'a 5 MB detail',
    arrange: (w) => {
      const id = String(w.upstream.cris.trials[4]!.list.trial_id);
      w.upstream.cris.updateTrial(id, {
        list: { date_updated: '2099-01-01' },
        detail: { scientific_title_en: 'C'.repeat(FIVE_MB) },
      });
    },
    expected: {
      status: 'succeeded',
      removed: 1,
      check: expectStoredWhole(
        String(CRIS_BASE[4]!.list.trial_id),
        (raw) => (raw as { detail: Json }).detail.scientific_title_en,
        FIVE_MB,
      ),
    },
  },
  {
    source: 'cris',
    name: 'totalCount changing between pages',
    arrange: (w) => {
      w.upstream.cris.listHook = (body, page) =>
        page.pageNo === 2 ? { ...body, totalCount: Number(body.totalCount) + 1 } : body;
    },
    expected: { ...CRIS_UNTRUSTED, says: /totalCount changed during the listing/ },
  },
  {
    source: 'cris',
    name: 'an empty page in the middle',
    arrange: (w) => {
      w.upstream.cris.listHook = (body, page) => (page.pageNo === 2 ? { ...body, items: [] } : body);
    },
    expected: { ...CRIS_UNTRUSTED, says: /held 5 distinct entries but totalCount is 11/ },
  },
  {
    source: 'cris',
    name: 'a page that repeats the previous one',
    arrange: (w) => {
      w.upstream.cris.listHook = (body, page) =>
        page.pageNo === 2 ? { ...body, items: crisListBody(w.upstream.cris.trials, 1).items } : body;
    },
    expected: { ...CRIS_UNTRUSTED, says: /list page 2 repeated entries already listed/ },
  },
  {
    source: 'cris',
    name: 'JSON truncated mid-record (connection cut): retried',
    arrange: (w) => w.upstream.injectFault({ kind: 'truncate' }, { match: crisPage(2) }),
    expected: { status: 'succeeded', removed: 1, retried: true },
  },
  {
    source: 'cris',
    name: 'JSON truncated mid-record (sent as a whole body)',
    arrange: (w) => {
      const text = JSON.stringify(crisListBody(w.upstream.cris.trials, 2));
      w.upstream.injectFault(respond(text.slice(0, Math.floor(text.length / 2))), { match: crisPage(2) });
    },
    expected: { status: 'failed', errorCode: 'UPSTREAM_BAD_RESPONSE', removed: 0, says: /not JSON/ },
  },
  // Legal JSON holding text PostgreSQL refuses (and SQLite stores as invalid UTF-8): issue 15, item 2.
  ...unstorableTextCases(LONE_SURROGATE, 'a lone UTF-16 surrogate escape (half an emoji)'),
  ...unstorableTextCases(WITH_NUL, 'a NUL character escape'),
  {
    source: 'kr-icreat',
    name: 'a NUL character escape in an id: skipped as a record without a usable id, the others stored',
    arrange: (w) => w.upstream.kr.updateRecord(KR_REPAIRED, { 과제번호: `${KR_REPAIRED}\u0000` }),
    expected: { ...INCOMPLETE, skipped: 1, skippedReason: /the id holds a NUL or a lone UTF-16 surrogate/ },
  },
];

// ---------------------------------------------------------------------------------------------
// The run

describe.each(storeKinds())('hostile upstream data on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let world: World;
  let clock = Date.parse('2026-09-01T00:00:00Z');
  const adapters: Record<SourceName, SourceAdapter<SourceConfigBase>> = {
    'kr-icreat': krIcreatSource,
    ctgov: ctgovSource,
    cris: createCrisSource({ now: () => clock }),
  };
  let configs: Record<SourceName, SourceConfigBase>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream({ kr: { records: KR_BASE }, cris: { trials: CRIS_BASE } });
    world = {
      upstream,
      store,
      ctgov: { studies: [] },
      kr: () => upstream.kr.records,
    };
    // This test's own ClinicalTrials.gov listing (a later route wins over the fake's).
    upstream.route('GET', '/api/v2/studies', (request) => {
      const page = Number((request.query.get('pageToken') ?? 'p1').replace(/^p(\d+).*$/, '$1'));
      const size = Number(request.query.get('pageSize') ?? 10);
      const body = ctgovPageBody(world.ctgov.studies, page, size);
      const sent =
        world.ctgov.hook === undefined || /x$/.test(request.query.get('pageToken') ?? '')
          ? body
          : world.ctgov.hook(page, body);
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: typeof sent === 'string' || Buffer.isBuffer(sent) ? sent : JSON.stringify(sent),
      };
    });
    const common = { RETRIES: '1', BACKOFF_MS: '1', MAX_BACKOFF_MS: '5', TIMEOUT_MS: '20000' };
    const env = (prefix: string, values: Record<string, string>) =>
      Object.fromEntries([
        ...Object.entries(common).map(([key, value]) => [`${prefix}_${key}`, value]),
        ...Object.entries(values),
      ]) as Record<string, string>;
    const krReader = new EnvReader(
      env('KR_ICREAT', {
        KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
        KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
        KR_ICREAT_SERVICE_KEY: 'test',
        KR_ICREAT_UDDI: KR_FAKE_LAST_KNOWN_UDDI,
        KR_ICREAT_PER_PAGE: '10',
      }),
    );
    const ctgovReader = new EnvReader(
      env('CTGOV', {
        CTGOV_BASE_URL: upstream.ctgov.apiBaseUrl,
        CTGOV_PAGE_SIZE: '10',
        CTGOV_MIN_INTERVAL_MS: '0',
      }),
    );
    const crisConfig: CrisConfig = {
      ...testSourceConfig(),
      upstream: { timeoutMs: 20_000, retries: 1, backoffMs: 1, maxBackoffMs: 5, minIntervalMs: 0 },
      baseUrl: upstream.cris.baseUrl,
      serviceKey: CRIS_FAKE_KEY,
      dailyCallBudget: 9_000,
      numOfRows: 5,
    };
    configs = {
      'kr-icreat': parseKrIcreatConfig(krReader, true),
      ctgov: parseCtgovConfig(ctgovReader, true),
      cris: crisConfig,
    };
    expect([...krReader.problems, ...ctgovReader.problems]).toEqual([]);
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
  });

  beforeEach(async () => {
    await resetTables(store.db);
    upstream.clearFaults();
    upstream.kr.setRecords(KR_BASE);
    upstream.kr.pageHook = undefined;
    upstream.cris.setTrials(CRIS_BASE);
    upstream.cris.listHook = undefined;
    world.ctgov.studies = clone(CTGOV_BASE);
    delete world.ctgov.hook;
  });

  const harvest = (source: SourceName): Promise<HarvestRun> => {
    const deps: HarvestDeps = {
      config: testConfig(store.url, { [source]: configs[source] }),
      store,
      sources: [adapters[source]],
      log: silentLog,
      holder: 'hostile-test',
      now: () => (clock += 1000),
    };
    return runHarvest(deps, { source, mode: 'full', trigger: 'manual' });
  };

  const takeOneAway = (source: SourceName): void => {
    if (source === 'kr-icreat') upstream.kr.removeRecord(KR_GONE);
    else if (source === 'ctgov')
      world.ctgov.studies = world.ctgov.studies.filter((s) => studyIdOf(s) !== CTGOV_GONE);
    else upstream.cris.removeTrial(CRIS_GONE);
  };

  for (const hostile of CASES) {
    const label = `${hostile.source}: ${hostile.name}`;
    it(label, async () => {
      const { source } = hostile;
      const { expected } = hostile;
      const clean = await harvest(source);
      expect(clean.status, `the clean harvest: ${clean.errorMessage}`).toBe('succeeded');
      const baseline = clean.created;

      takeOneAway(source);
      hostile.arrange(world);
      const requestsBefore = upstream.requests.length;
      const run = await harvest(source);
      const said = [
        run.errorMessage ?? '',
        JSON.stringify(run.info),
        ...run.skippedReasons.map((reason) => reason.reason),
      ].join('\n');
      if (process.env.HOSTILE_DEBUG !== undefined) {
        console.info(
          `${label}: ${run.status} ${run.errorCode} removed=${run.removed} skipped=${run.skipped}\n${said}`,
        );
      }

      expect(run.status, said).toBe(expected.status);
      if (expected.errorCode !== undefined) expect(run.errorCode, said).toBe(expected.errorCode);
      if (expected.status === 'failed') expect(run.errorMessage ?? '', said).not.toBe('');
      if (expected.skipped !== undefined) expect(run.skipped, said).toBe(expected.skipped);
      if (expected.skippedReason !== undefined) {
        expect(run.skippedReasons.length, said).toBeGreaterThan(0);
        for (const reason of run.skippedReasons) expect(reason.reason, said).toMatch(expected.skippedReason);
      }
      expect(run.removed, said).toBe(expected.removed);
      if (expected.says !== undefined) expect(said).toMatch(expected.says);
      if (expected.retried === true) {
        const paths = upstream.requests
          .slice(requestsBefore)
          .map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`);
        expect(new Set(paths).size, 'a request was sent again').toBeLessThan(paths.length);
      }
      await expected.check?.(world);
      expect(await checkStoreInvariants(store)).toEqual([]);

      // The fault goes; the next harvest brings the data back whole.
      upstream.clearFaults();
      upstream.kr.pageHook = undefined;
      upstream.cris.listHook = undefined;
      delete world.ctgov.hook;
      upstream.kr.setRecords(KR_BASE.filter((record) => record['과제번호'] !== KR_GONE));
      upstream.cris.setTrials(CRIS_BASE.filter((trial) => trial.list.trial_id !== CRIS_GONE));
      world.ctgov.studies = clone(CTGOV_BASE).filter((study) => studyIdOf(study) !== CTGOV_GONE);
      const recovered = await harvest(source);
      expect(recovered.status, recovered.errorMessage ?? '').toBe('succeeded');
      expect(await checkStoreInvariants(store)).toEqual([]);
      const active = await store.db
        .selectFrom('trials')
        .select('id')
        .where('source', '=', source)
        .where('removed_at', 'is', null)
        .execute();
      expect(active.length).toBe(baseline - 1);
    });
  }
});
