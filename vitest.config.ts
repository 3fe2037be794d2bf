import { defineConfig } from 'vitest/config';

// Test tiers, by file name: *.unit.test.ts (pure code), *.store.test.ts (real databases),
// *.api.test.ts (the HTTP app through inject), *.e2e.test.ts (the built CLI and server as processes).
const tier = (name: string) => ({
  extends: true as const,
  test: { name, include: [`test/**/*.${name}.test.ts`] },
});

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      tier('unit'),
      tier('store'),
      tier('api'),
      {
        ...tier('e2e'),
        test: {
          ...tier('e2e').test,
          globalSetup: ['test/support/build-once.ts', 'test/support/browser-once.ts'],
        },
      },
    ],
  },
});
