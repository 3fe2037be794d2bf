/**
 * Every scenario, in the order the default set runs them (`inDefaultSet`) and `--help` lists them.
 * To add one: a `Scenario` in its own file, one line below.
 */
import { apiScenario } from './api.js';
import { apiUnderHarvestScenario } from './api-under-harvest.js';
import { ctgovHarvestScenario } from './ctgov-harvest.js';
import { krHarvestScenario } from './kr-harvest.js';
import type { Scenario } from './scenario.js';
import { searchScenario } from './search.js';
import { soakScenario } from './soak.js';
import { webhooksScenario } from './webhooks.js';

export const SCENARIOS: readonly Scenario[] = [
  krHarvestScenario,
  ctgovHarvestScenario,
  apiScenario,
  apiUnderHarvestScenario,
  searchScenario,
  soakScenario,
  webhooksScenario,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
