import type { SourceAdapter } from '../source.types.js';
import { harvestCtgov, readCtgovFile, readCtgovPage } from './ctgov-client.js';
import type { CtgovConfig } from './ctgov-config.js';
import { parseCtgovConfig } from './ctgov-config.js';
import { CTGOV_CANONICAL_RULES, mapCtgovStudy } from './ctgov-mapper.js';

/**
 * ClinicalTrials.gov through its API v2: about 610,000 studies, a few thousand changed a week.
 * Incremental harvests follow `LastUpdatePostDate`; studies that vanish or are merged only show
 * in a full listing or the periodic id-only reconciliation (see `harvestCtgov`).
 */
export const ctgovSource: SourceAdapter<CtgovConfig> = {
  id: 'ctgov',
  name: 'ClinicalTrials.gov (API v2)',
  parseConfig: parseCtgovConfig,
  // ClinicalTrials.gov needs no key.
  secretKeys: [],
  canonicalRules: CTGOV_CANONICAL_RULES,
  map: mapCtgovStudy,
  harvest: (context) => harvestCtgov(context),
  readFile: (file, reader) => readCtgovFile(file, reader),
  readPage: readCtgovPage,
};
