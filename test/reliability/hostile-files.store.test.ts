/**
 * Issue 15, items 1 and 3: hostile import files, as one table. Each case starts from the 145
 * trials of the bundled snapshot, imports one damaged (or vouched-for) file through the real
 * kr-icreat file reader and the real harvest service, on SQLite and PostgreSQL, and checks:
 * - the run's status and error code, and what its message, info and skipped reasons say (a file
 *   that cannot be read at all is refused before a run is recorded, with its error code and message);
 * - how many trials it removed: none for a file that cannot show it is whole (cut, no count,
 *   far smaller than the stored set) unless the user vouches for it (`import --full`);
 * - that the record a cut went through is not stored (no new version of it);
 * - that no text is ever stored with U+FFFD in place of bytes that could not be decoded;
 * - the store invariants;
 * then imports the whole snapshot again: every trial is back, as it was.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HarvestRun } from '../../src/domain/trial.types.js';
import { AppError } from '../../src/errors/app-error.js';
import type { HarvestDeps } from '../../src/harvest/harvest.service.js';
import { runHarvest } from '../../src/harvest/harvest.service.js';
import { KR_ICREAT_COLUMNS } from '../../src/sources/kr-icreat/kr-icreat-api.types.js';
import { krIcreatSource } from '../../src/sources/kr-icreat/kr-icreat-source.js';
import type { ImportFile } from '../../src/sources/source.types.js';
import { decompressJson } from '../../src/store/compression.js';
import { loadKrSnapshotRecords } from '../../testkit/fake-upstream.js';
import { silentLog, testConfig } from '../../testkit/memory-source.js';
import { checkStoreInvariants } from '../../testkit/store-invariants.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const RECORDS = loadKrSnapshotRecords();
const ID = '과제번호';

/** The snapshot as data.go.kr's CSV download: header, one line per record, CRLF after each. */
function snapshotCsv(rows = RECORDS): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    KR_ICREAT_COLUMNS.join(','),
    ...rows.map((row) => KR_ICREAT_COLUMNS.map((c) => cell(row[c] ?? '')).join(',')),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** The first `count` lines of the CSV (each with its line break), as a download cut there. */
function firstLines(count: number): string {
  return snapshotCsv()
    .split('\r\n')
    .slice(0, count)
    .map((line) => `${line}\r\n`)
    .join('');
}

/** The id on CSV line `line` (1-based; line 1 is the header, and no field of the snapshot holds a line break). */
function idOnLine(line: number): string {
  return RECORDS[line - 2]![ID]!;
}

function odcloudJson(rows: readonly Record<string, string>[], counts: { totalCount?: number } = {}): string {
  return JSON.stringify({
    page: 1,
    perPage: rows.length,
    currentCount: rows.length,
    matchCount: rows.length,
    ...counts,
    data: rows,
  });
}

interface Outcome {
  /** `refused`: the file cannot be read at all, so it is refused before a run is recorded (issue 20.4). */
  status: HarvestRun['status'] | 'refused';
  errorCode?: string;
  removed: number;
  skipped?: number;
  /** Matched against the run's error message, info and skipped reasons. */
  says?: RegExp;
  /** A trial whose record the file cuts: it must keep its stored version. */
  cut?: string;
}

interface FileCase {
  name: string;
  file: () => ImportFile;
  expected: Outcome;
}

const INCOMPLETE = { status: 'partial', errorCode: 'HARVEST_INCOMPLETE', removed: 0 } as const;
const UNREADABLE = { status: 'refused', errorCode: 'IMPORT_UNREADABLE', removed: 0 } as const;

const utf8 = (name: string, text: string, assumeComplete = false): ImportFile => ({
  name,
  content: Buffer.from(text, 'utf8'),
  ...(assumeComplete ? { assumeComplete } : {}),
});

/** `bytes` with `insert` put in at `offset`. */
function spliced(bytes: Buffer, offset: number, insert: number[]): Buffer {
  return Buffer.concat([bytes.subarray(0, offset), Buffer.from(insert), bytes.subarray(offset)]);
}

/** The byte offset of a record's title in the CSV encoded by `encode`. */
function offsetOf(text: string, needle: string, encode: (text: string) => Buffer): number {
  const index = text.indexOf(needle);
  expect(index).toBeGreaterThan(0);
  return encode(text.slice(0, index)).length;
}

const CASES: FileCase[] = [
  {
    name: 'CSV: the first 102 of 147 lines, the last value cut by 3 characters (issue 15.1)',
    file: () => utf8('cut.csv', firstLines(102).replace(/...\r\n$/, '')),
    expected: {
      ...INCOMPLETE,
      skipped: 1,
      cut: idOnLine(102),
      says: new RegExp(
        `does not end in a complete record \\(line 102, ${idOnLine(102)}, does not end in a line break\\)`,
      ),
    },
  },
  {
    name: 'CSV: the first 102 lines, cut at a line end (44 trials missing, no count to tell)',
    file: () => utf8('cut-at-line-end.csv', firstLines(102)),
    expected: { ...INCOMPLETE, skipped: 0, says: /carries no count .* the 44 active trial\(s\) it lacks/ },
  },
  {
    name: 'CSV: cut between two fields of the last line (fewer cells than the header)',
    file: () => utf8('cut-between-fields.csv', firstLines(60).replace(/,[^,]*,[^,]*\r\n$/, '')),
    expected: { ...INCOMPLETE, skipped: 1, cut: idOnLine(60), says: /line 60, the file's last, has 7 cells/ },
  },
  {
    name: 'CSV: the whole snapshot without the last line break (the last record may be cut)',
    file: () => utf8('no-final-eol.csv', snapshotCsv().replace(/\r\n$/, '')),
    expected: {
      ...INCOMPLETE,
      skipped: 1,
      cut: idOnLine(146),
      says: /line 146, the file's last, does not end/,
    },
  },
  {
    name: 'CSV: the whole snapshot without the last line break, its last field quoted (whole)',
    file: () => utf8('quoted-end.csv', snapshotCsv().replace(/([^,]*)\r\n$/, '"$1"')),
    expected: { status: 'succeeded', removed: 0, skipped: 0 },
  },
  {
    name: 'CSV cut at a line end, vouched for with --full: the trials it lacks are removed',
    file: () => utf8('vouched.csv', firstLines(102), true),
    expected: { status: 'succeeded', removed: 44, skipped: 0 },
  },
  {
    name: 'JSON without totalCount, 100 of the 145 records',
    file: () => utf8('no-count.json', odcloudJson(RECORDS.slice(0, 100))),
    expected: { ...INCOMPLETE, says: /no readable totalCount/ },
  },
  {
    name: 'JSON without totalCount, 100 of the 145 records, vouched for with --full',
    file: () => utf8('no-count-vouched.json', odcloudJson(RECORDS.slice(0, 100)), true),
    expected: { status: 'succeeded', removed: 45 },
  },
  {
    name: 'JSON whose totalCount says 40: far fewer than the 145 stored',
    file: () => utf8('small.json', odcloudJson(RECORDS.slice(0, 40), { totalCount: 40 })),
    expected: { ...INCOMPLETE, says: /held 40 of 145 active records; removing 105 would be unsafe/ },
  },
  {
    name: 'JSON whose totalCount says 40, vouched for with --full',
    file: () => utf8('small-vouched.json', odcloudJson(RECORDS.slice(0, 40), { totalCount: 40 }), true),
    expected: { status: 'succeeded', removed: 105 },
  },
  {
    name: 'CP949 CSV with two bytes that are not CP949 inside a title (issue 15.3)',
    file: () => {
      const text = snapshotCsv();
      const encode = (part: string) => iconv.encode(part, 'cp949');
      const at = offsetOf(text, RECORDS[20]!['과제명']!, encode) + 4;
      return { name: 'bad-cp949.csv', content: spliced(encode(text), at, [0xff, 0xff]) };
    },
    expected: {
      ...UNREADABLE,
      says: /not UTF-8, and read as CP949\/EUC-KR it has bytes that are not CP949 \(\d+ bytes, the first at offset \d+\)/,
    },
  },
  {
    name: 'UTF-8 CSV with one bad byte (not read as CP949, not SCHEMA_DRIFT; issue 15.3)',
    file: () => {
      const text = snapshotCsv();
      const at = offsetOf(text, 'C150013', (part) => Buffer.from(part, 'utf8'));
      return { name: 'bad-utf8.csv', content: spliced(Buffer.from(text, 'utf8'), at, [0xc0]) };
    },
    expected: {
      ...UNREADABLE,
      says: /UTF-8 with bytes that are not valid UTF-8 \(\d+ bytes, 1 bad, the first at offset \d+\)/,
    },
  },
  {
    name: 'UTF-8 CSV with a BOM and one bad byte',
    file: () => {
      const text = `\uFEFF${snapshotCsv()}`;
      const at = offsetOf(text, 'C130011', (part) => Buffer.from(part, 'utf8'));
      expect(at).toBe(Buffer.from(text.slice(0, text.indexOf('C130011'))).length);
      return { name: 'bad-bom.csv', content: spliced(Buffer.from(text, 'utf8'), at, [0xff]) };
    },
    expected: {
      ...UNREADABLE,
      says: new RegExp(
        `byte order mark but is not valid UTF-8 \\(\\d+ bytes, the first bad byte at offset ${Buffer.from(`\uFEFF${snapshotCsv()}`.split('C130011')[0]!).length}\\)`,
      ),
    },
  },
  {
    name: 'UTF-8 JSON with one bad byte',
    file: () => {
      const text = odcloudJson(RECORDS, { totalCount: 145 });
      const at = offsetOf(text, 'C130011', (part) => Buffer.from(part, 'utf8'));
      return { name: 'bad.json', content: spliced(Buffer.from(text, 'utf8'), at, [0xff]) };
    },
    expected: {
      ...UNREADABLE,
      says: new RegExp(
        `UTF-8 with bytes that are not valid UTF-8 \\(\\d+ bytes, 1 bad, the first at offset ${Buffer.from(odcloudJson(RECORDS, { totalCount: 145 }).split('C130011')[0]!).length}\\)`,
      ),
    },
  },
];

describe.each(storeKinds())('hostile import files on %s', (kind) => {
  let store: TestStore;
  let deps: HarvestDeps;
  let clock = Date.parse('2026-09-01T00:00:00Z');
  const whole = (): ImportFile => utf8('whole.json', odcloudJson(RECORDS, { totalCount: 145 }));
  const importFile = (file: ImportFile) =>
    runHarvest(deps, { source: 'kr-icreat', mode: 'full', trigger: 'import', file });

  beforeAll(async () => {
    store = await createTestStore(kind);
    deps = {
      config: testConfig(store.url),
      store,
      sources: [krIcreatSource],
      log: silentLog,
      holder: 'test-holder',
      now: () => (clock += 1000),
    };
  });
  afterAll(async () => store.drop());
  // Every case starts from the whole snapshot, whatever the case before did.
  beforeEach(async () => {
    expect(await importFile(whole())).toMatchObject({ status: 'succeeded', removed: 0 });
  });

  const versionsOf = async (id: string) =>
    (await store.db.selectFrom('trial_versions').select('version').where('trial_id', '=', id).execute())
      .length;
  const runCount = async () => (await store.db.selectFrom('harvest_runs').select('id').execute()).length;
  const activeCount = async () =>
    Number(
      (
        await store.db
          .selectFrom('trials')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('removed_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each(CASES)('$name', async ({ file, expected }) => {
    expect(await activeCount()).toBe(145);
    const before = expected.cut === undefined ? 0 : await versionsOf(expected.cut);
    const runsBefore = await runCount();
    const outcome = await importFile(file()).catch((error: unknown) => error);
    if (expected.status === 'refused') {
      expect(outcome).toBeInstanceOf(AppError);
      const error = outcome as AppError;
      expect(error.code, error.message).toBe(expected.errorCode);
      if (expected.says !== undefined) expect(error.message).toMatch(expected.says);
      expect(await runCount()).toBe(runsBefore);
    } else {
      expect(outcome).not.toBeInstanceOf(Error);
      const run = outcome as HarvestRun;
      const said = [
        run.errorMessage ?? '',
        JSON.stringify(run.info),
        ...run.skippedReasons.map((r) => r.reason),
      ].join('\n');
      expect({ status: run.status, errorCode: run.errorCode, removed: run.removed }, said).toEqual({
        status: expected.status,
        errorCode: expected.errorCode ?? null,
        removed: expected.removed,
      });
      if (expected.skipped !== undefined) expect(run.skipped, said).toBe(expected.skipped);
      if (expected.says !== undefined) expect(said).toMatch(expected.says);
      expect(await runCount()).toBe(runsBefore + 1);
    }
    if (expected.cut !== undefined) expect(await versionsOf(expected.cut)).toBe(before);
    expect(await activeCount()).toBe(145 - expected.removed);

    const raws = await store.db.selectFrom('trial_versions').select('raw').execute();
    for (const { raw } of raws) expect(JSON.stringify(decompressJson(raw))).not.toContain('\uFFFD');
    expect(await checkStoreInvariants(store)).toEqual([]);

    // The whole snapshot again: everything back as the first import stored it.
    const again = await importFile(whole());
    expect(again, JSON.stringify(again)).toMatchObject({
      status: 'succeeded',
      removed: 0,
      restored: expected.removed,
    });
    expect(await activeCount()).toBe(145);
  });
});
