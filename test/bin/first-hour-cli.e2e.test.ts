/**
 * Issue 20, items 3 and 4, through the built CLI as a newcomer meets it: `--version`, `serve
 * --port/--host`, `sources` as a table with local times and the next run, `import --help`, logs as
 * text on a terminal and JSON otherwise; runs that could never run (an import the source cannot
 * take, a file that is not its dataset, a harvest of a source not enabled or without its key) are
 * refused before a run is recorded, so `sources` keeps the last real run; a host name that does
 * not resolve fails after a short, bounded retry. On SQLite and PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/paths.js';
import { CLI_PATH, runCli, startServe } from '../../testkit/cli.js';
import type { FakeUpstream } from '../../testkit/fake-upstream.js';
import { fixturesDir, startFakeUpstream } from '../../testkit/fake-upstream.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const KEY = 'first-hour-key';
const SNAPSHOT = join(fixturesDir(), 'kr', 'kr-snapshot-2021-11.json');
const VERSION = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
  .version;

/** The terminal's "clear to the end of the line" (ESC [ K) that the progress line is rewritten with. */
const CLEAR_TO_END = new RegExp(`^${String.fromCharCode(27)}\\[K`);

/** Runs the CLI on a pseudo-terminal (util-linux `script`): stdout and stderr are one terminal. */
function runOnTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, CLI_PATH, ...args].map((part) => `'${part}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: packageRoot(),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe('the CLI without a database', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${VERSION}\n`);
    }
  });

  it('says in import --help which sources import which files, and which import none', async () => {
    const result = await runCli(['import', '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--source kr-icreat: an odcloud JSON response or the data\.go\.kr CSV/);
    expect(result.stdout).toMatch(/--source ctgov: a study, a \/studies page/);
    expect(result.stdout).toMatch(/\(cris imports no files\)/);
    const top = await runCli(['--help'], {});
    expect(top.stdout).toMatch(/import \[options\] <file>\s+import a saved upstream file/);
  });
});

describe('the CLI on a terminal', () => {
  it('logs text lines on a terminal, never JSON, with the summary on its own line; JSON lines otherwise', async () => {
    // A new database: its migrations are logged before the import's progress and summary.
    const dir = mkdtempSync(join(tmpdir(), 'trialwatch-tty-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'tty.db')}`, LOG_LEVEL: 'info' };
    try {
      const output = await runOnTerminal(['import', SNAPSHOT], env);
      // Lines as the terminal shows them: what follows the last carriage return of each.
      const shown = output
        .split('\n')
        .map((line) => line.replace(/\r$/, ''))
        .map((line) => line.slice(line.lastIndexOf('\r') + 1).replace(CLEAR_TO_END, ''))
        .filter((line) => line !== '');
      expect(shown.length, output).toBeGreaterThan(2);
      expect(shown.filter((line) => line.includes('{"level"'))).toEqual([]);
      const logs = shown.slice(0, -1);
      for (const line of logs) expect(line).toMatch(/^\d{2}:\d{2}:\d{2} (INFO |WARN ) \S/);
      expect(logs.some((line) => / INFO {2}migration migration=\S+ status=Success$/.test(line))).toBe(true);
      expect(shown.at(-1)).toMatch(/^kr-icreat: succeeded \(run \d+, [\d.]+ s\) — fetched 145, created 145/);

      const piped = await runCli(['import', SNAPSHOT], {
        ...env,
        DATABASE_URL: `sqlite:${join(dir, 'piped.db')}`,
      });
      expect(piped.code).toBe(0);
      const jsonLines = piped.stderr.trim().split('\n');
      expect(jsonLines.length).toBeGreaterThan(2);
      for (const line of jsonLines) expect(JSON.parse(line)).toHaveProperty('level');
      expect(piped.stdout).toMatch(/^kr-icreat: succeeded .*created 145/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(storeKinds())('the first hour with the CLI on %s', (kind) => {
  let store: TestStore;
  let upstream: FakeUpstream;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    upstream = await startFakeUpstream({ kr: { expectedKey: KEY } });
    env = {
      DATABASE_URL: store.url,
      TZ: 'Asia/Seoul',
      KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
      KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
      KR_ICREAT_SERVICE_KEY: KEY,
      KR_ICREAT_UDDI: 'cfc19dda-6f75-4c57-86a8-bb9c8b103887',
      KR_ICREAT_SCHEDULE: '30 4 * * *',
      KR_ICREAT_TIMEZONE: 'Asia/Seoul',
    };
  });
  afterAll(async () => {
    await upstream.close();
    await store.drop();
  });

  const runs = async () =>
    store.db.selectFrom('harvest_runs').select(['id', 'source', 'status']).orderBy('id').execute();

  it('refuses runs that could never run before recording one, and `sources` keeps the last real run', async () => {
    const imported = await runCli(['import', SNAPSHOT], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^kr-icreat: succeeded \(run \d+/);
    const recorded = await runs();
    expect(recorded).toHaveLength(1);

    const refusals: [string[], Record<string, string>, RegExp][] = [
      [
        ['import', SNAPSHOT, '--source', 'cris'],
        env,
        /^trialwatch: Source cris does not import files \(the sources that do: kr-icreat, ctgov\); nothing was imported\n$/,
      ],
      [
        ['import', join(packageRoot(), 'README.md')],
        env,
        /^trialwatch: kr-icreat: cannot import README\.md: it is no kr-icreat dataset \(an odcloud JSON response, or the data\.go\.kr CSV download, whose first line names the columns 과제번호,과제명,…\), its first line is "# trialwatch.*"; nothing was imported\n$/,
      ],
      [
        ['import', join(packageRoot(), 'README.md'), '--source', 'ctgov'],
        env,
        /^trialwatch: ctgov: README\.md is not JSON, so it is no ClinicalTrials\.gov file/,
      ],
      [
        ['harvest', '--source', 'ctgov'],
        env,
        /^trialwatch: Source ctgov is not enabled: add it to SOURCES to harvest it; nothing was harvested\n$/,
      ],
      [
        ['harvest', '--source', 'kr-icreat', '--source', 'cris'],
        env,
        /^trialwatch: Source cris is not enabled: add it to SOURCES to harvest it; nothing was harvested\n$/,
      ],
      [
        ['harvest'],
        { ...env, KR_ICREAT_SERVICE_KEY: '' },
        /^trialwatch: Source kr-icreat is not configured: set KR_ICREAT_SERVICE_KEY; nothing was harvested\n$/,
      ],
    ];
    for (const [args, runEnv, message] of refusals) {
      const result = await runCli(args, runEnv);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(await runs(), args.join(' ')).toEqual(recorded);
    }

    const sources = await runCli(['sources'], env);
    expect(sources.code, sources.stderr).toBe(0);
    const lines = sources.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+STATE\s+TRIALS\s+LAST RUN\s+NEXT RUN\s+REGISTRY$/);
    expect(lines).toHaveLength(4);
    // Columns line up under their headers.
    const column = (name: string) => lines[0]!.indexOf(name);
    const kr = lines.find((line) => line.startsWith('kr-icreat'))!;
    expect(kr.slice(column('STATE'))).toMatch(/^enabled\s/);
    expect(kr.slice(column('TRIALS'))).toMatch(/^145\s/);
    // Local times (TZ=Asia/Seoul), the last real run (not a refusal), and the next cron tick.
    const started = new Date(
      Number(
        (
          await store.db
            .selectFrom('harvest_runs')
            .select('started_at')
            .where('id', '=', recorded[0]!.id)
            .executeTakeFirstOrThrow()
        ).started_at,
      ),
    );
    const seoul = new Date(started.getTime() + 9 * 3_600_000).toISOString();
    expect(kr.slice(column('LAST RUN'))).toMatch(
      new RegExp(
        `^succeeded ${seoul.slice(0, 10)} ${seoul.slice(11, 16)} GMT\\+9 \\(run ${recorded[0]!.id}\\)\\s`,
      ),
    );
    expect(kr.slice(column('NEXT RUN'))).toMatch(/^\d{4}-\d{2}-\d{2} 04:30 GMT\+9\s+KDCA iCReaT/);
    const ctgov = lines.find((line) => line.startsWith('ctgov'))!;
    expect(ctgov.slice(column('STATE'))).toMatch(/^not enabled \(SOURCES\)\s/);
    expect(ctgov.slice(column('LAST RUN'))).toMatch(/^never\s+-\s+ClinicalTrials\.gov/);
    const noKey = await runCli(['sources'], { ...env, KR_ICREAT_SERVICE_KEY: '' });
    expect(noKey.stdout).toMatch(
      /\nkr-icreat\s+not configured \(set KR_ICREAT_SERVICE_KEY\)\s+145\s+succeeded .*\s-\s+KDCA/,
    );
  });

  it('reports a host name that does not resolve after one short retry, not the whole backoff', async () => {
    const before = (await runs()).length;
    const started = Date.now();
    // The default retries (4, from 1 s doubling) would take 15 s; .invalid never resolves.
    const result = await runCli(['harvest', '--source', 'kr-icreat'], {
      ...env,
      KR_ICREAT_BASE_URL: 'http://trialwatch-test.invalid/api',
      KR_ICREAT_OAS_URL: 'http://trialwatch-test.invalid/oas',
    });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^kr-icreat: failed .* the host name trialwatch-test\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\): is there a network connection, and is the source's base URL right\? \(after 2 attempts\)\n$/,
    );
    expect(elapsed).toBeLessThan(8_000);
    // It did run (and failed): that is a recorded run.
    expect((await runs()).length).toBe(before + 1);
  });

  it('listens where --port and --host say, over PORT and HOST', async () => {
    // PORT names a port already taken and HOST an address this machine does not have: both overridden.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const server = startServe(
        { ...env, PORT: String(port), HOST: '203.0.113.7', BOOTSTRAP_SNAPSHOT: 'false' },
        ['--no-scheduler', '--port', '0', '--host', '127.0.0.1'],
      );
      try {
        const url = await server.url;
        expect(url).not.toBe(`http://127.0.0.1:${port}`);
        const health = await fetch(`${url}/healthz`);
        expect(health.status).toBe(200);
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      }
    } finally {
      taken.close();
    }
    const bad = await runCli(['serve', '--port', 'eighty'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--port <port>' argument 'eighty' is invalid. a port is a number");
  });
});
