/**
 * The kr-icreat adapter and its sync plan (`listKrIcreat`): a full listing of the dataset, page by
 * page, and what its counts prove. HTTP and the dataset version are in kr-icreat-client.ts.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors/app-error.js';
import { isPlainObject } from '../../domain/json.js';
import type {
  HarvestContext,
  ListingEnd,
  PageStream,
  SkippedRecord,
  SourceAdapter,
} from '../source.types.js';
import { fetchKrIcreatPage, resolveKrIcreatUddi } from './kr-icreat-client.js';
import type { KrIcreatConfig } from './kr-icreat-config.js';
import { KR_ICREAT_SECRET_KEYS, parseKrIcreatConfig } from './kr-icreat-config.js';
import { readKrIcreatFile } from './kr-icreat-file.js';
import { KR_ICREAT_CANONICAL_RULES, mapKrIcreatRecord } from './kr-icreat-mapper.js';
import { KR_ICREAT_CHANGES } from './kr-icreat-changes.js';

const SOURCE = 'kr-icreat';
/** A guard against a gateway that never stops answering full pages without a count. */
const MAX_PAGES = 10_000;

function idOf(record: unknown): string | null {
  if (!isPlainObject(record)) return null;
  const id = record['과제번호'];
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

/** A short fingerprint of the rows a page was asked for, to notice a gateway that ignores `page`. */
function pageFingerprint(rows: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(rows)).digest('base64');
}

/**
 * Pages through the dataset until rows up to `totalCount` are covered. Page N stands for the rows
 * at offsets (N-1)×perPage onwards, so each page covers at most `perPage` rows; rows beyond that
 * (the executor's `LIMIT offset, page*perPage` quirk) are extra copies of later rows. Every way
 * the counts can fail to add up (fewer rows, a total that changes between pages, an empty or
 * repeated page before the end, a missing total) ends the listing as incomplete, so the harvest
 * removes nothing. A 과제번호 already received is skipped with a reason; the first copy is kept.
 */
export async function* listKrIcreat(context: HarvestContext<KrIcreatConfig>): PageStream {
  const { config } = context;
  if (config.serviceKey === undefined) {
    throw new AppError('UPSTREAM_KEY_MISSING', `${SOURCE}: KR_ICREAT_SERVICE_KEY is not set`);
  }
  const choice = await resolveKrIcreatUddi(context);
  const perPage = config.perPage;
  const firstSeenOnPage = new Map<string, number>();
  const fingerprints = new Map<string, number>();
  const problems: string[] = [];
  let total: number | undefined;
  let covered = 0;
  let received = 0;
  let duplicates = 0;
  let pages = 0;
  let totalMissing = false;
  let shortfallExplained = false;

  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) {
      problems.push(`stopped after ${MAX_PAGES} pages`);
      break;
    }
    const result = await fetchKrIcreatPage(context.client, config, choice.uddi, page, perPage);
    pages++;
    if (result.totalCount === undefined) {
      if (!totalMissing) problems.push(`page ${page} had no readable totalCount`);
      totalMissing = true;
    } else if (total === undefined) {
      total = result.totalCount;
    } else if (result.totalCount !== total) {
      problems.push(`totalCount changed from ${total} to ${result.totalCount} on page ${page}`);
      total = result.totalCount;
    }
    if (result.currentCount !== undefined && result.currentCount !== result.data.length) {
      problems.push(
        `page ${page} said currentCount ${result.currentCount} but held ${result.data.length} rows`,
      );
    }
    if (result.data.length === 0) {
      if (total !== undefined && covered < total) {
        problems.push(`page ${page} was empty after ${covered} of ${total} rows`);
        shortfallExplained = true;
      }
      break;
    }
    const ownRows = result.data.slice(0, perPage);
    const fingerprint = pageFingerprint(ownRows);
    const samePage = fingerprints.get(fingerprint);
    if (samePage !== undefined) {
      // The portal's test key always gets page 1: paging on would count the same rows again.
      problems.push(
        `page ${page} repeated the rows of page ${samePage} (the gateway ignored the page number)`,
      );
      shortfallExplained = true;
      break;
    }
    fingerprints.set(fingerprint, page);
    covered += ownRows.length;

    const records: unknown[] = [];
    const skipped: SkippedRecord[] = [];
    for (const record of result.data) {
      const id = idOf(record);
      // A record without a usable id goes through: the mapper skips it with the reason.
      if (id !== null) {
        const firstPage = firstSeenOnPage.get(id);
        if (firstPage !== undefined) {
          duplicates++;
          skipped.push({
            id,
            reason: `duplicate 과제번호 ${id} on page ${page} (first received on page ${firstPage}); the first copy is kept`,
          });
          continue;
        }
        firstSeenOnPage.set(id, page);
      }
      records.push(record);
    }
    received += records.length;
    const prepared = context.prepare(records);
    yield skipped.length > 0 ? { ...prepared, skipped } : prepared;

    if (total !== undefined && covered >= total) break;
    if (total === undefined && result.data.length < perPage) break;
  }

  if (total !== undefined && covered !== total && !shortfallExplained) {
    problems.push(`received ${covered} rows but totalCount is ${total}`);
  }
  const end: ListingEnd = {
    listing: 'full',
    complete: problems.length === 0,
    state: { uddi: choice.uddi },
    info: {
      uddi: choice.uddi,
      uddiFrom: choice.from,
      ...(choice.summary === undefined ? {} : { datasetName: choice.summary }),
      ...(choice.versionDate === undefined ? {} : { datasetVersionDate: choice.versionDate }),
      totalCount: total ?? null,
      records: received,
      duplicates,
      pages,
      perPage,
    },
  };
  if (total !== undefined) end.expectedTotal = total;
  if (problems.length > 0) end.incompleteReason = `${SOURCE}: ${problems.join('; ')}`;
  return end;
}

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
  changes: KR_ICREAT_CHANGES,
  map: mapKrIcreatRecord,
  // No incremental mode upstream: `context.mode` is ignored and the listing is always full.
  harvest: (context) => listKrIcreat(context),
  readFile: (file, reader) => readKrIcreatFile(file, reader),
};
