/**
 * `npm run demo`: trialwatch with live data and no keys, no network. Loopback stand-ins for
 * ClinicalTrials.gov, CRIS and the odcloud gateway of data.go.kr replay the real captures the project
 * ships (test/fixtures), a `trialwatch serve` (the built CLI) harvests all three from them into a
 * fresh SQLite database, and every few minutes a "release" changes some records and harvests again,
 * so "changed this week", versions, typed changes and links between registries show something.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../src/config/paths.js';
import { CRIS_FAKE_KEY } from '../testkit/fake-cris.js';
import { loadCtgovFixtures } from '../testkit/fake-ctgov.js';
import type { FakeUpstream } from '../testkit/fake-upstream.js';
import { KR_FAKE_LAST_KNOWN_UDDI, startFakeUpstream } from '../testkit/fake-upstream.js';
import { DemoReleases } from './releases.js';

export const DEMO_SOURCES = ['kr-icreat', 'ctgov', 'cris'] as const;

/** The odcloud gateway's key in the demo (not the portal's test key, which it limits to 10 rows). */
const DEMO_KR_KEY = 'trialwatch-demo';

export interface DemoOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Time between releases. */
  releaseEveryMs: number;
  /** Where the demo's lines go (the banner, each release). */
  print: (line: string) => void;
  /** The server's LOG_LEVEL (default `warn`: only problems). */
  logLevel?: string;
}

export interface RunningDemo {
  /** `http://HOST:PORT` of the server. */
  readonly url: string;
  readonly adminToken: string;
  /** Resolves with the server's exit code when it exits (after `stop`, or on its own). */
  readonly exited: Promise<number | null>;
  /** Releases applied so far. */
  releases(): number;
  /** Applies the next release and harvests every source again (also what the timer does). */
  release(): Promise<void>;
  stop(): Promise<void>;
}

const CLI = (): string => join(packageRoot(), 'dist', 'src', 'bin', 'trialwatch.js');

/** The dataTimestamp format of ClinicalTrials.gov's /version (`yyyy-MM-ddTHH:mm:ss`, UTC). */
const ctgovTimestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

function ensureBuilt(print: (line: string) => void): void {
  if (existsSync(CLI())) return;
  print('building trialwatch (dist/ is missing)…');
  const result = spawnSync(
    process.execPath,
    [join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageRoot(),
      stdio: 'inherit',
    },
  );
  if (result.status !== 0)
    throw new Error('the build failed: run `npm install` (it builds dist/) and try again');
}

function serveEnv(upstream: FakeUpstream, options: DemoOptions, databaseUrl: string, adminToken: string) {
  return {
    PATH: process.env.PATH ?? '',
    HOST: options.host,
    PORT: String(options.port),
    LOG_LEVEL: options.logLevel ?? 'warn',
    DATABASE_URL: databaseUrl,
    SOURCES: DEMO_SOURCES.join(','),
    BOOTSTRAP_SNAPSHOT: 'false',
    ADMIN_TOKEN: adminToken,
    KR_ICREAT_BASE_URL: upstream.kr.apiBaseUrl,
    KR_ICREAT_OAS_URL: upstream.kr.oasUrl,
    KR_ICREAT_SERVICE_KEY: DEMO_KR_KEY,
    KR_ICREAT_UDDI: KR_FAKE_LAST_KNOWN_UDDI,
    KR_ICREAT_PER_PAGE: '100',
    CTGOV_BASE_URL: upstream.ctgov.apiBaseUrl,
    CTGOV_MIN_INTERVAL_MS: '0',
    CRIS_BASE_URL: upstream.cris.baseUrl,
    CRIS_SERVICE_KEY: CRIS_FAKE_KEY,
    CRIS_MIN_INTERVAL_MS: '0',
  };
}

/** Resolves with the address once `/healthz` answers; rejects if the server exits first. */
async function waitForServer(child: ChildProcess, url: string, output: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (exited) throw new Error(`trialwatch serve exited before it listened:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`trialwatch serve did not answer at ${url} within 60 s:\n${output()}`);
}

/** Starts the loopback registries and the server; the first harvests start at once. */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  ensureBuilt(options.print);
  const upstream = await startFakeUpstream({
    kr: { expectedKey: DEMO_KR_KEY },
    ctgov: { studies: loadCtgovFixtures(), dataTimestamp: ctgovTimestamp(Date.now()) },
  });
  const releases = new DemoReleases(upstream);
  const dataDir = mkdtempSync(join(tmpdir(), 'trialwatch-demo-'));
  const adminToken = randomBytes(18).toString('base64url');
  const env = serveEnv(upstream, options, `sqlite:${join(dataDir, 'demo.db')}`, adminToken);
  let output = '';
  // The port is known up front unless it is 0; then the server's own log line says it.
  const child = spawn(process.execPath, [CLI(), 'serve'], {
    cwd: packageRoot(),
    env: options.port === 0 ? { ...env, LOG_LEVEL: 'info' } : env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-20_000);
      if (options.port === 0) {
        const match = /Server listening at (http:\/\/[^\s"]+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      }
      // The server's warnings and errors (and anything not a log line) reach the demo's user.
      for (const line of text.split('\n')) {
        if (line.trim() !== '' && (!line.startsWith('{') || /"level":[4-6]0/.test(line)))
          process.stderr.write(`${line}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`trialwatch serve exited:\n${output}`)));
    if (options.port !== 0)
      resolve(`http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}`);
  });
  await waitForServer(child, url, () => output);

  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let releasing: Promise<void> = Promise.resolve();
  let stopped = false;

  const harvestAll = async (): Promise<void> => {
    for (const source of DEMO_SOURCES) {
      for (let attempt = 0; attempt < 600 && !stopped; attempt += 1) {
        const response = await fetch(`${url}/api/v1/harvests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ source, mode: 'full' }),
        });
        await response.arrayBuffer();
        if (response.status === 202) break;
        // 409: the source is harvesting already (the start-up catch-up); try again shortly.
        if (response.status !== 409) throw new Error(`starting a ${source} harvest: HTTP ${response.status}`);
        await sleep(500);
      }
    }
  };

  const release = async (): Promise<void> => {
    const run = releasing.then(async () => {
      if (stopped) return;
      count += 1;
      upstream.ctgov.dataTimestamp = ctgovTimestamp(Date.now());
      const lines = releases.apply(count);
      options.print(`release ${count} (${new Date().toLocaleTimeString()}):`);
      for (const line of lines) options.print(`  ${line}`);
      await harvestAll();
    });
    releasing = run.catch(() => undefined);
    return run;
  };

  /** Resolves once every source has a successful run (the start-up catch-up harvests). */
  const firstHarvests = async (): Promise<void> => {
    while (!stopped) {
      const response = await fetch(`${url}/api/v1/sources`);
      const body = (await response.json()) as { items?: { lastRun: { status: string } | null }[] };
      const runs = body.items ?? [];
      if (runs.length === DEMO_SOURCES.length && runs.every((item) => item.lastRun?.status === 'succeeded'))
        return;
      await sleep(500);
    }
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      release()
        .catch((error: unknown) => options.print(`release failed: ${String(error)}`))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, options.releaseEveryMs);
    timer.unref();
  };
  // Releases start once the first harvests are in, so release 1 changes what the mirror holds.
  void firstHarvests().then(
    () => {
      if (stopped) return;
      options.print('first harvests done: ' + DEMO_SOURCES.join(', '));
      schedule();
    },
    (error: unknown) => options.print(`waiting for the first harvests failed: ${String(error)}`),
  );

  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

  return {
    url,
    adminToken,
    exited,
    releases: () => count,
    release,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await releasing;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
