import type { SourceAdapter } from '../source.types.js';
import { listKrIcreat } from './kr-icreat-client.js';
import type { KrIcreatConfig } from './kr-icreat-config.js';
import { KR_ICREAT_SECRET_KEYS, parseKrIcreatConfig } from './kr-icreat-config.js';
import { readKrIcreatFile } from './kr-icreat-file.js';
import { KR_ICREAT_CANONICAL_RULES, mapKrIcreatRecord } from './kr-icreat-mapper.js';

/**
 * KDCA iCReaT research projects, data.go.kr dataset 3074271 on the odcloud gateway. The dataset is
 * a yearly file of a few hundred rows with no update dates, so every harvest is a full listing and
 * changes come from diffing snapshots.
 */
export const krIcreatSource: SourceAdapter<KrIcreatConfig> = {
  id: 'kr-icreat',
  name: 'KDCA iCReaT research projects (data.go.kr 3074271)',
  parseConfig: parseKrIcreatConfig,
  secretKeys: KR_ICREAT_SECRET_KEYS,
  canonicalRules: KR_ICREAT_CANONICAL_RULES,
  map: mapKrIcreatRecord,
  // No incremental mode upstream: `context.mode` is ignored and the listing is always full.
  harvest: (context) => listKrIcreat(context),
  readFile: (file, reader) => readKrIcreatFile(file, reader),
};
