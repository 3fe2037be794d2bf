/**
 * An app on a fresh test database (SQLite or PostgreSQL), with a seeder and a fixed clock that the
 * test moves. The app does not listen: requests go through `inject`.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/api/app.js';
import type { AppConfig } from '../../../src/config/config.js';
import type { SourceInfo } from '../../../src/services/source.service.js';
import type { StoreKind, TestStore } from '../../support/test-store.js';
import { createTestStore } from '../../support/test-store.js';
import { testConfig as baseTestConfig } from '../../../testkit/memory-source.js';
import { Seeder } from './seed.js';

/** 2024-06-01T00:00:00Z: every test starts here. */
export const T0 = Date.UTC(2024, 5, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The shared test configuration (testkit/memory-source.ts) on this store, with no sources. */
export function testConfig(store: TestStore): AppConfig {
  return {
    ...baseTestConfig(store.url, {}),
    logLevel: (process.env.TEST_LOG_LEVEL ?? 'silent') as AppConfig['logLevel'],
  };
}

export const TEST_SOURCES: SourceInfo[] = [
  {
    id: 'kr-icreat',
    name: 'KDCA iCReaT research projects',
    enabled: true,
    missing: [],
    schedule: '0 4 * * *',
    timeZone: 'Asia/Seoul',
  },
  {
    id: 'ctgov',
    name: 'ClinicalTrials.gov',
    enabled: false,
    missing: [],
    schedule: '30 14 * * 1-5',
    timeZone: 'UTC',
  },
  {
    id: 'cris',
    name: 'CRIS',
    enabled: true,
    missing: ['CRIS_SERVICE_KEY'],
    schedule: '0 5 * * *',
    timeZone: 'Asia/Seoul',
  },
];

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  seed: Seeder;
  clock: { now: number };
  close(): Promise<void>;
}

export async function createTestApp(
  kind: StoreKind,
  options: { sources?: SourceInfo[]; cursorSecret?: string; readTimeoutMs?: number } = {},
): Promise<TestApp> {
  const store = await createTestStore(
    kind,
    options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs },
  );
  const clock = { now: T0 };
  const app = await buildApp({
    config: testConfig(store),
    store,
    sources: options.sources ?? TEST_SOURCES,
    now: () => clock.now,
    ...(options.cursorSecret === undefined ? {} : { cursorSecret: options.cursorSecret }),
  });
  const seed = new Seeder(store.db, T0);
  return {
    app,
    store,
    seed,
    clock,
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}
