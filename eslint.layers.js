// @ts-check
/**
 * The layer rules (docs/design.md, "Architecture"): which folder may import which. Kept apart from
 * eslint.config.js so that test/config/layer-rules.unit.test.ts can check them on planted imports.
 */

/** @param {string[]} group @param {string} message */
const forbid = (group, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group, message }] }],
});

/** @param {{ group: string[], message: string, allowTypeImports?: boolean }[]} patterns */
const forbidEach = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const STORE = ['**/store/*', '**/store/**'];
const SOURCES = ['**/sources/*', '**/sources/**'];
const API_STORE_MESSAGE =
  'Routes reach the store through services (src/services, e.g. database.service.ts), never src/store.';
const API_SOURCES_MESSAGE = "Routes never import a source (sources are the harvest's).";

/** @type {import('eslint').Linter.Config[]} */
export const layerRules = [
  {
    // The bottom layer: types, canonical rules, vocabularies; it imports nothing of the project.
    files: ['src/domain/**/*.ts'],
    rules: forbid(['../*', '../**'], 'src/domain is the bottom layer: it imports nothing outside itself.'),
  },
  {
    files: ['src/sources/**/*.ts'],
    rules: forbid(
      ['**/harvest/*', '**/store/*', '**/services/*', '**/api/*', '**/bin/*'],
      'Sources do network and mapping only: no harvest, store, services, api or bin (use src/domain).',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: forbid(
      [...SOURCES, '**/harvest/*', '**/services/*', '**/api/*', '**/bin/*'],
      'The store is below the harvest, the services and the edges: it imports only domain, config and errors.',
    ),
  },
  {
    // Webhook delivery runs beside the harvest, below the edges: how the API shows an event and
    // parses a filter is handed in by the entry point (bin/webhook-worker.ts).
    files: ['src/webhooks/**/*.ts'],
    rules: forbid(
      [...SOURCES, '**/api/*', '**/api/**', '**/bin/*'],
      'Webhooks use store, services, domain, config and errors: no api, bin or sources (the entry point hands in the API view).',
    ),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: forbidEach([
      { group: STORE, message: API_STORE_MESSAGE },
      { group: SOURCES, message: API_SOURCES_MESSAGE },
    ]),
  },
  {
    files: ['src/bin/**/*.ts'],
    rules: forbid(
      STORE,
      'The CLI and serve reach the store through services (src/services, e.g. database.service.ts), never src/store.',
    ),
  },
  {
    files: ['bench/**/*.ts', 'demo/**/*.ts'],
    rules: forbid(
      ['**/test/*', '**/test/**'],
      'The bench and the demo share fakes with the tests through testkit/, not test/.',
    ),
  },
];
