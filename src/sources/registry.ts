import type { SourceConfigBase, SourceConfigParser } from '../config/config.js';
import type { SourceId } from '../domain/trial.types.js';
import { SOURCE_IDS } from '../domain/trial.types.js';
import { crisSource } from './cris/cris-source.js';
import { ctgovSource } from './ctgov/ctgov-source.js';
import { krIcreatSource } from './kr-icreat/kr-icreat-source.js';
import type { SourceAdapter } from './source.types.js';

/**
 * The adapter of every source in `SOURCE_TABLE` (src/domain/trial.types.ts), one line each: a
 * source declared there without its adapter here does not compile.
 */
const ADAPTERS: Readonly<Record<SourceId, SourceAdapter<SourceConfigBase>>> = {
  'kr-icreat': krIcreatSource,
  ctgov: ctgovSource,
  cris: crisSource,
};

/** Every source adapter, in the order of `SOURCE_IDS` (the order of `trialwatch sources`). */
export const SOURCE_ADAPTERS: readonly SourceAdapter<SourceConfigBase>[] = SOURCE_IDS.map(
  (id) => ADAPTERS[id],
);

/** Enabled when `SOURCES` is not set. */
export const DEFAULT_SOURCES: readonly SourceId[] = ['kr-icreat'];

export function sourceConfigParsers(): Record<string, SourceConfigParser> {
  return Object.fromEntries(SOURCE_ADAPTERS.map((adapter) => [adapter.id, adapter.parseConfig]));
}

export function findSource(id: string): SourceAdapter<SourceConfigBase> | undefined {
  return SOURCE_ADAPTERS.find((adapter) => adapter.id === id);
}
