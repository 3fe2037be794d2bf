/**
 * The ClinicalTrials.gov adapter and its sync plan (`harvestCtgov`): what each run lists — every
 * study, the studies updated since the last run, the id-only reconciliation — and what its
 * listing proves. HTTP and paging are in ctgov-client.ts, the saved state in ctgov-state.ts.
 */
import { AppError, messageOf } from '../../errors/app-error.js';
import type {
  HarvestContext,
  ListingEnd,
  PageStream,
  SkippedRecord,
  SourceAdapter,
  SourcePage,
} from '../source.types.js';
import { CTGOV_ID_FIELDS } from './ctgov-api.types.js';
import type { CtgovPagingSummary, CtgovVersion, Params } from './ctgov-client.js';
import {
  fetchCtgovVersion,
  fetchStudiesByIds,
  lastUpdateClause,
  pageCtgovStudies,
  pagePreparedStudies,
  readCtgovPage,
  withAdvancedFilter,
} from './ctgov-client.js';
import type { CtgovConfig } from './ctgov-config.js';
import { parseCtgovConfig } from './ctgov-config.js';
import { readCtgovFile } from './ctgov-file.js';
import { CTGOV_CANONICAL_RULES, ctgovStudyAliases, ctgovStudyId, mapCtgovStudy } from './ctgov-mapper.js';
import type { CtgovState } from './ctgov-state.js';
import { dataDay, incrementalStartDay, readCtgovState, reconciliationDue, utcDay } from './ctgov-state.js';
import { CTGOV_CHANGES } from './ctgov-changes.js';

const SOURCE = 'ctgov';

interface ContentPassResult extends CtgovPagingSummary {
  /** Studies with a usable NCT id (what completeness is judged on). */
  identified: number;
}

/** Yields every page of a content listing; remembers the ids yielded when `yielded` is given. */
async function* contentPass(
  context: HarvestContext<CtgovConfig>,
  params: Params,
  yielded: Set<string> | undefined,
): AsyncGenerator<SourcePage, ContentPassResult, void> {
  const pages = pagePreparedStudies(context, params);
  let identified = 0;
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return { ...next.value, identified };
    const { prepared, refused } = next.value;
    for (const record of prepared) {
      identified++;
      yielded?.add(record.trial.id);
    }
    for (const record of refused) {
      if (record.id === null) continue; // refused for want of a usable id
      identified++;
      yielded?.add(record.id);
    }
    // Empty pages are yielded too: the harvest service renews its lease after every page.
    yield { prepared, refused };
  }
}

interface IdPassResult extends CtgovPagingSummary {
  listed: number;
  aliased: number;
  aliasedFetched: number;
}

/**
 * The id-only reconciliation listing (`fields=NCTId,NCTIdAlias`). Ids are yielded as
 * `presentIds`; a study that lists merged ids is fetched in full (in `filter.ids` batches) and
 * yielded as a record instead, so its aliases are recorded even when its last-update date did
 * not move. Ids `alreadyYielded` with content in this run stay plain ids.
 */
async function* idPass(
  context: HarvestContext<CtgovConfig>,
  alreadyYielded: ReadonlySet<string>,
): AsyncGenerator<SourcePage, IdPassResult, void> {
  const { config, client } = context;
  const params: [string, string][] = [
    ...config.query.map(([key, value]): [string, string] => [key, value]),
    ['fields', CTGOV_ID_FIELDS],
    ['pageSize', String(config.pageSize)],
    ['countTotal', 'true'],
  ];
  const pages = pageCtgovStudies(client, config, params);
  let listed = 0;
  let aliased = 0;
  let aliasedFetched = 0;
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return { ...next.value, listed, aliased, aliasedFetched };
    const presentIds: string[] = [];
    const merged: string[] = [];
    const skipped: SkippedRecord[] = [];
    for (const study of next.value.studies) {
      const id = ctgovStudyId(study);
      if (id === null) {
        skipped.push({ id: null, reason: 'ctgov: the id listing held an entry without a usable NCT id' });
        continue;
      }
      listed++;
      if (ctgovStudyAliases(study).length > 0 && !alreadyYielded.has(id)) merged.push(id);
      else presentIds.push(id);
    }
    aliased += merged.length;
    const records = merged.length === 0 ? [] : await fetchStudiesByIds(client, config, merged);
    aliasedFetched += records.length;
    // A merged study that vanished between the two requests still counts as listed.
    const fetched = new Set(records.map((record) => ctgovStudyId(record)));
    for (const id of merged) if (!fetched.has(id)) presentIds.push(id);
    const page: SourcePage = { ...context.prepare(records), presentIds };
    if (skipped.length > 0) page.skipped = skipped;
    yield page;
  }
}

/** `/version`, or undefined (with a warning) when it cannot be read: the harvest goes on without it. */
async function readVersion(context: HarvestContext<CtgovConfig>): Promise<CtgovVersion | undefined> {
  try {
    return await fetchCtgovVersion(context.client, context.config);
  } catch (error) {
    if (error instanceof AppError && error.code === 'HARVEST_INTERRUPTED') throw error;
    context.log.warn(
      { source: SOURCE, err: messageOf(error) },
      `${SOURCE}: could not read /version (${messageOf(error)}); harvesting without the skip check`,
    );
    return undefined;
  }
}

function countsAddUp(found: number, total: number | undefined, what: string): string | undefined {
  if (total === undefined) return `the registry sent no totalCount for the ${what}, so it cannot be checked`;
  if (found < total) return `the ${what} held ${found} studies but totalCount is ${total}`;
  return undefined;
}

/**
 * A harvest of ClinicalTrials.gov, streamed page by page:
 * - `full` (or the first run, or after `CTGOV_QUERY` changed): every study, a full listing that
 *   reconciles by itself;
 * - `incremental`: skipped when `/version`'s dataTimestamp has not moved since the last success;
 *   else the studies whose last update was posted since a day before the last success, then —
 *   when `CTGOV_RECONCILE_DAYS` have passed — the id-only pass. The listing is `full` only when
 *   that pass completed, so removals follow a complete id listing and nothing else.
 */
export async function* harvestCtgov(context: HarvestContext<CtgovConfig>): PageStream {
  const { config, log } = context;
  const previous = readCtgovState(context.state);
  const startedAt = Date.now();
  const version = await readVersion(context);
  const since = dataDay(version?.dataTimestamp) ?? utcDay(startedAt);
  const info: Record<string, unknown> = {
    apiVersion: version?.apiVersion ?? null,
    dataTimestamp: version?.dataTimestamp ?? null,
    query: config.queryText === '' ? null : config.queryText,
  };
  const nextState = (reconciled: boolean, full: boolean): Record<string, unknown> => {
    const state: CtgovState = { ...previous, since, query: config.queryText };
    if (version !== undefined) state.dataTimestamp = version.dataTimestamp;
    else delete state.dataTimestamp;
    if (reconciled) state.lastReconciledAt = startedAt;
    if (full) state.lastFullAt = startedAt;
    return { ...state };
  };

  let fullBecause: string | undefined;
  if (context.mode === 'full') fullBecause = 'a full harvest was asked for';
  else if (context.lastSuccessAt === null) fullBecause = 'there is no earlier successful harvest';
  else if (previous.query !== config.queryText)
    fullBecause = 'CTGOV_QUERY changed since the last successful harvest';

  if (
    fullBecause === undefined &&
    version !== undefined &&
    version.dataTimestamp === previous.dataTimestamp
  ) {
    return {
      listing: 'partial',
      complete: true,
      skippedBecause: `ClinicalTrials.gov has published no new data since the last successful harvest (dataTimestamp ${version.dataTimestamp})`,
      state: { ...context.state },
      info: { ...info, plan: 'skipped' },
    };
  }

  if (fullBecause !== undefined) {
    log.info({ source: SOURCE, reason: fullBecause }, `${SOURCE}: full harvest (${fullBecause})`);
    const params: [string, string][] = [
      ...config.query.map(([key, value]): [string, string] => [key, value]),
      ['pageSize', String(config.pageSize)],
      ['countTotal', 'true'],
    ];
    const result = yield* contentPass(context, params, undefined);
    const problem = countsAddUp(result.identified, result.totalCount, 'full listing');
    const end: ListingEnd = {
      listing: 'full',
      complete: problem === undefined,
      state: nextState(problem === undefined, problem === undefined),
      info: {
        ...info,
        plan: 'full',
        fullBecause,
        totalCount: result.totalCount ?? null,
        studies: result.studies,
        pages: result.pages,
        emptyPages: result.emptyPages,
      },
    };
    if (result.totalCount !== undefined) end.expectedTotal = result.totalCount;
    if (problem !== undefined) end.incompleteReason = `${SOURCE}: ${problem}`;
    return end;
  }

  const fromDay = incrementalStartDay(previous, context.lastSuccessAt!);
  const due = reconciliationDue(previous, config.reconcileDays, startedAt);
  log.info(
    { source: SOURCE, from: fromDay, reconcile: due },
    `${SOURCE}: incremental harvest of studies updated since ${fromDay}${due ? ', then an id reconciliation' : ''}`,
  );
  const params: [string, string][] = [
    ...withAdvancedFilter(config.query, lastUpdateClause(fromDay)),
    ['pageSize', String(config.pageSize)],
    ['countTotal', 'true'],
  ];
  // Only needed to keep studies already fetched in full out of the id pass's alias fetches.
  const yielded = due ? new Set<string>() : undefined;
  const changed = yield* contentPass(context, params, yielded);
  Object.assign(info, {
    plan: due ? 'incremental+reconcile' : 'incremental',
    updatedFrom: fromDay,
    totalCount: changed.totalCount ?? null,
    studies: changed.studies,
    pages: changed.pages,
    emptyPages: changed.emptyPages,
  });
  // Without a totalCount the window cannot be checked; failing every incremental run for that
  // would only widen the next window forever, so it is recorded and the run goes on.
  const shortfall =
    changed.totalCount !== undefined && changed.identified < changed.totalCount
      ? countsAddUp(changed.identified, changed.totalCount, 'incremental listing')
      : undefined;
  if (shortfall !== undefined) {
    const end: ListingEnd = {
      listing: 'partial',
      complete: false,
      incompleteReason: `${SOURCE}: ${shortfall}`,
      info,
    };
    if (changed.totalCount !== undefined) end.expectedTotal = changed.totalCount;
    return end;
  }
  if (yielded === undefined) {
    const end: ListingEnd = { listing: 'partial', complete: true, state: nextState(false, false), info };
    if (changed.totalCount !== undefined) end.expectedTotal = changed.totalCount;
    return end;
  }

  const ids = yield* idPass(context, yielded);
  const problem = countsAddUp(ids.listed, ids.totalCount, 'id listing');
  info.reconciliation = {
    complete: problem === undefined,
    listed: ids.listed,
    totalCount: ids.totalCount ?? null,
    pages: ids.pages,
    emptyPages: ids.emptyPages,
    merged: ids.aliased,
    mergedFetched: ids.aliasedFetched,
    ...(problem === undefined ? {} : { reason: problem }),
  };
  if (problem !== undefined) {
    // The changed studies are stored; only the removals wait for a reconciliation that completes.
    log.warn(
      { source: SOURCE, reason: problem },
      `${SOURCE}: reconciliation incomplete, nothing removed: ${problem}`,
    );
  }
  const end: ListingEnd = {
    listing: problem === undefined ? 'full' : 'partial',
    complete: true,
    state: nextState(problem === undefined, false),
    info,
  };
  if (ids.totalCount !== undefined) end.expectedTotal = ids.totalCount;
  return end;
}

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
  changes: CTGOV_CHANGES,
  map: mapCtgovStudy,
  harvest: (context) => harvestCtgov(context),
  readFile: (file, reader) => readCtgovFile(file, reader),
  readPage: readCtgovPage,
};
