/**
 * The layer rules of eslint.layers.js (used by `npm run check`) refuse an import across a layer and
 * let the allowed ones through, checked on planted files with ESLint itself.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without type declarations
import { layerRules } from '../../eslint.layers.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
    ...(layerRules as ESLint.Options['overrideConfig'][]),
  ] as never,
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src/sources/ctgov/planted.ts', "import { openStore } from '../../store/database.js';"],
    ['src/sources/ctgov/planted.ts', "import { runHarvest } from '../../harvest/harvest.service.js';"],
    ['src/store/planted.ts', "import { ctgovSource } from '../sources/ctgov/ctgov-source.js';"],
    ['src/store/planted.ts', "import { listTrials } from '../services/trial.service.js';"],
    ['src/api/routes/planted.ts', "import { findTrial } from '../../store/trial-query.repository.js';"],
    ['src/domain/planted.ts', "import type { Db } from '../store/database.js';"],
    ['src/bin/planted.ts', "import { latestRunBySource } from '../store/harvest-run.repository.js';"],
    ['bench/scenarios/planted.ts', "import { createTestStore } from '../../test/support/test-store.js';"],
    // The edges reach no store module at all, helpers and types included (only through services).
    ['src/api/planted.ts', "import { databaseErrorOf } from '../store/dialect.js';"],
    ['src/api/routes/planted.ts', "import { migrationsPending } from '../../store/database.js';"],
    ['src/api/routes/planted.ts', "import type { Store } from '../../store/database.js';"],
    ['src/api/routes/planted.ts', "import { MIGRATIONS } from '../../store/migrations/index.js';"],
    ['src/bin/planted.ts', "import { openStore } from '../store/database.js';"],
    ['src/bin/planted.ts', "import type { Store } from '../store/database.js';"],
    ['src/bin/planted.ts', "import { backupSqliteDatabase } from '../store/backup.js';"],
    // app.ts is an edge like any other: not even the Store type from the store.
    ['src/api/app.ts', "import type { Store } from '../store/database.js';"],
    ['src/api/app.ts', "import { openStore } from '../store/database.js';"],
    ['src/api/app.ts', "import { databaseErrorOf } from '../store/dialect.js';"],
    ['src/api/app.ts', "import { ctgovSource } from '../sources/ctgov/ctgov-source.js';"],
    ['src/webhooks/planted.ts', "import { changeEventView } from '../api/change-format.js';"],
    ['src/webhooks/planted.ts', "import { serve } from '../bin/serve.js';"],
    ['src/webhooks/planted.ts', "import { ctgovSource } from '../sources/ctgov/ctgov-source.js';"],
  ])('%s: %s is refused', async (filePath, code) => {
    const messages = await restricted(filePath, code);
    expect(messages).toHaveLength(1);
  });

  it.each([
    ['src/sources/ctgov/planted.ts', "import type { CanonicalRules } from '../../domain/canonical.js';"],
    ['src/services/planted.ts', "import { findTrial } from '../store/trial-query.repository.js';"],
    ['src/api/routes/planted.ts', "import type { TrialRecord } from '../../domain/trial-read.types.js';"],
    ['src/domain/planted.ts', "import type { FieldChange } from './trial.types.js';"],
    ['src/bin/planted.ts', "import { metricsSnapshotOf } from '../services/operations.service.js';"],
    ['bench/scenarios/planted.ts', "import { startFakeUpstream } from '../../testkit/fake-upstream.js';"],
    ['src/api/routes/planted.ts', "import { migrationsPending } from '../../services/database.service.js';"],
    ['src/api/routes/planted.ts', "import type { Store } from '../../services/database.service.js';"],
    ['src/bin/planted.ts', "import { migrateToLatest, openStore } from '../services/database.service.js';"],
    ['src/api/app.ts', "import type { Store } from '../services/database.service.js';"],
    ['src/webhooks/planted.ts', "import { pageChanges } from '../store/change.repository.js';"],
    ['src/api/routes/planted.ts', "import { WebhookService } from '../../webhooks/webhook.service.js';"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await restricted(filePath, code)).toEqual([]);
  });
});
