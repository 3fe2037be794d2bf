/**
 * The first step of a CRIS run: every `/list` page, newest registration first, within the day's
 * call budget. Trials whose entry is not due for a detail fetch are named at once (`presentIds`);
 * the listing's problems say whether it can be trusted to remove trials.
 */
import type { HarvestContext, SourcePage, SkippedRecord } from '../source.types.js';
import type { CrisListItem } from './cris-api.types.js';
import { CRIS_ID_PATTERN } from './cris-api.types.js';
import { fetchCrisListPage } from './cris-client.js';
import type { CrisConfig } from './cris-config.js';
import { listEntryFingerprint } from './cris-state.js';
import { isPlainObject } from '../../domain/json.js';

const SOURCE = 'cris';
/** A guard against an upstream that never stops answering full pages. */
const MAX_PAGES = 20_000;

/** What the listing found. */
export interface CrisListing {
  /** Every listed trial's entry, by id, in list order. */
  listed: Map<string, CrisListItem>;
  /** The fingerprint of each listed entry (`listEntryFingerprint`). */
  fingerprints: Map<string, string>;
  /** The last `totalCount` a page gave. */
  total: number | undefined;
  /** Why the listing may have missed entries (empty when it can be trusted). */
  problems: string[];
  invalidItems: number;
  duplicates: number;
  pages: number;
}

export interface CrisListingPlan {
  /** Whether a listed trial's detail is to be fetched (else it is named as present at once). */
  isDue: (id: string, fingerprint: string) => boolean;
  /** The day's call budget and the calls used so far (this run's included). */
  budget: number;
  used: () => number;
  /** The state to checkpoint with each page. */
  checkpoint: () => Record<string, unknown>;
}

function listIdOf(item: unknown): string | null {
  if (!isPlainObject(item) || typeof item.trial_id !== 'string') return null;
  const id = item.trial_id.trim().toUpperCase();
  return CRIS_ID_PATTERN.test(id) ? id : null;
}

export async function* listCris(
  context: HarvestContext<CrisConfig>,
  { isDue, budget, used, checkpoint }: CrisListingPlan,
): AsyncGenerator<SourcePage, CrisListing, void> {
  const { config, client } = context;
  const rows = config.numOfRows;
  const fetchOptions = { signal: context.signal };
  const listed = new Map<string, CrisListItem>();
  const fingerprints = new Map<string, string>();
  const totals: number[] = [];
  const problems: string[] = [];
  let invalidItems = 0;
  let duplicates = 0;
  let pages = 0;
  for (let pageNo = 1; ; pageNo++) {
    if (pageNo > MAX_PAGES) {
      problems.push(`stopped after ${MAX_PAGES} pages`);
      break;
    }
    if (used() >= budget) {
      problems.push(`the daily call budget (${budget}) ran out after ${pages} list pages`);
      break;
    }
    const page = await fetchCrisListPage(client, config, pageNo, fetchOptions);
    pages++;
    if (page.totalCount !== undefined && totals.at(-1) !== page.totalCount) totals.push(page.totalCount);
    if (page.noData && pageNo === 1) problems.push('the first list page answered 03 (no data)');
    const presentIds: string[] = [];
    const skipped: SkippedRecord[] = [];
    let repeated = 0;
    for (const item of page.items) {
      const id = listIdOf(item);
      if (id === null) {
        invalidItems++;
        const rawId = isPlainObject(item) && typeof item.trial_id === 'string' ? item.trial_id : null;
        skipped.push({
          id: rawId,
          reason: `${SOURCE}: list page ${pageNo} has an item without a KCT registration number`,
        });
        continue;
      }
      if (listed.has(id)) {
        // New registrations during the crawl push entries onto the next page.
        duplicates++;
        repeated++;
        continue;
      }
      const fingerprint = listEntryFingerprint(item);
      listed.set(id, item as CrisListItem);
      fingerprints.set(id, fingerprint);
      if (!isDue(id, fingerprint)) presentIds.push(id);
    }
    // Yielded even when empty: the harvest renews its lease between pages.
    yield {
      presentIds,
      ...(skipped.length > 0 ? { skipped } : {}),
      checkpoint: { ...checkpoint() },
    };
    const total = totals.at(-1);
    if (page.items.length === 0) break;
    if (repeated === page.items.length) {
      problems.push(`list page ${pageNo} repeated entries already listed`);
      break;
    }
    // Counting what was seen, not pages, also holds if the upstream serves fewer rows than asked;
    // a registration that arrives mid-crawl leaves us one short, and the next page comes back empty.
    if (total !== undefined ? listed.size + invalidItems >= total : page.items.length < rows) break;
  }
  const total = totals.at(-1);
  if (total === undefined) problems.push('no list page gave a readable totalCount');
  else if (totals.length > 1) problems.push(`totalCount changed during the listing (${totals.join(' → ')})`);
  else if (listed.size + invalidItems !== total) {
    problems.push(
      `the listing held ${listed.size + invalidItems} distinct entries but totalCount is ${total}`,
    );
  }
  return { listed, fingerprints, total, problems, invalidItems, duplicates, pages };
}
