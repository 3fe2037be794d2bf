/**
 * Read side of trials: one trial, lists and exports (keyset walks pinned to the change feed),
 * versions, and the original brief's compat views. Edges call this; it calls the trial read
 * repositories and throws `AppError`s, never HTTP errors.
 */
import type { ChangeType } from '../domain/change.types.js';
import type { FacetField } from '../domain/search.types.js';
import type { ChangeKind, TrialFields } from '../domain/trial.types.js';
import { REGISTRY_ID_PATTERNS } from '../domain/trial.types.js';
import { AppError } from '../errors/app-error.js';
import type { Db } from '../store/database.js';
import type { FacetCounts } from '../domain/trial-read.types.js';
import { countFacet } from '../store/search.repository.js';
import type {
  ChangeEvent,
  TrialContentFilter,
  TrialFilter,
  TrialPosition,
  TrialRecord,
  TrialSort,
  TrialVersionRecord,
} from '../domain/trial-read.types.js';
import { findChangesBySeq, latestChangeSeq, listTrialEvents } from '../store/change.repository.js';
import { findAliasTarget, listTrialLinks } from '../store/trial-link.repository.js';
import { findTrial, listChangedSince } from '../store/trial-query.repository.js';
import { findRawRecordJson, findTrialVersion, listTrialVersions } from '../store/trial-version.repository.js';
import { countTrialsAsOf, pageTrials } from '../store/trial-walk.repository.js';
import type { PlaceSuggestion } from '../store/site.repository.js';
import { cityKeyOf, findNearestSites, listPlaces, listTrialSites } from '../store/site.repository.js';
import { haversineKm } from '../domain/geo.js';
import type { NearFilter } from '../domain/trial-read.types.js';
import type { TrialSite } from '../domain/trial.types.js';
import { nearPointOf } from '../store/trial-filter.sql.js';
import { resolveContentNear, resolveNear } from './near-resolver.js';
import type { ChangeClassification } from '../domain/change.types.js';

/** The stored document of a version: the common fields and the source's own. */
export interface TrialDoc {
  fields: TrialFields;
  sourceFields: Record<string, unknown>;
}

/** Maps an upstream record to its document (a source adapter's mapper), to show past versions. */
export type TrialMapper = (raw: unknown) => TrialDoc;

export interface TrialListFilter extends TrialContentFilter {
  includeRemoved: boolean;
  /** Only trials changed within this many milliseconds before now. */
  updatedWithinMs?: number;
  /** Only trials changed at or after this epoch ms. */
  updatedSince?: number;
  /** A trial id (or merged id): only trials linked to it, either direction. */
  linkedTo?: string;
  /** Only trials with a change of one of these types (in the changed-since window when set). */
  changeTypes?: readonly ChangeType[];
}

/** A trial asked for by an id that may be a merged (alias) id. */
export interface ResolvedTrial {
  trial: TrialRecord;
  /** The id asked for, when it was an alias that resolved to `trial`; otherwise null. */
  resolvedFrom: string | null;
}

/** A link to the same study in another registry, as seen from one trial. */
export interface TrialLink {
  id: string;
  /** The other trial's source: from the mirror, or from its id's format when it is not mirrored. */
  source: string | null;
  /**
   * How the link was found, from this trial's side: `secondary-id` (this trial lists the other
   * among its secondary ids) or `named-by` (the other trial lists this one).
   */
  relation: string;
  /** Whether the other trial is in the mirror (GET /api/v1/trials/{id} answers for it). */
  mirrored: boolean;
}

/** The name of a stored relation seen from the trial it points at. */
const INVERSE_RELATIONS: Readonly<Record<string, string>> = { 'secondary-id': 'named-by' };

/** What a next page needs: the walk's pinned feed position and time window, and where it stopped. */
export interface TrialContinuation {
  asOf: number;
  /** The resolved window start (epoch ms) of the first page, so "7d" does not slide mid-walk. */
  changedSince: number | null;
  after: TrialPosition;
}

export interface TrialListRequest {
  filter: TrialListFilter;
  sort: TrialSort;
  limit: number;
  count: boolean;
  continuation?: TrialContinuation;
}

export interface TrialListPage {
  items: TrialRecord[];
  next: TrialContinuation | null;
  /** Rows of the whole walk, when counted. */
  total?: number;
}

export interface TrialVersionSummary extends TrialVersionRecord {
  /** How this version came about: created, updated, or restored with new content. */
  kind: ChangeKind;
  /** The change events that point at this version (a removal keeps the version it removed). */
  events: { seq: number; kind: ChangeKind; occurredAt: number }[];
  /** What the event that made this version changed (null: not classified yet). */
  classification: ChangeClassification | null;
}

export interface TrialVersionDetail extends TrialVersionSummary {
  /** The upstream record of this version as the registry sent it (JSON text). */
  rawJson: string;
  /** The version's document: stored for the current version, mapped from `raw` for older ones. */
  doc: TrialDoc | null;
  current: boolean;
}

/** The brief's "changed within the last week". */
export const RECENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Rows per database round trip while exporting. */
export const EXPORT_BATCH_SIZE = 500;

/** Parses a stored document; a corrupt one is an internal error (never the client's fault). */
export function readTrialDoc(docJson: string): TrialDoc {
  try {
    const doc = JSON.parse(docJson) as Partial<TrialDoc> | null;
    if (doc === null || typeof doc !== 'object' || typeof doc.fields !== 'object' || doc.fields === null) {
      throw new TypeError('the document has no fields');
    }
    return { fields: doc.fields, sourceFields: doc.sourceFields ?? {} };
  } catch (error) {
    throw new AppError('INTERNAL', 'A stored trial document cannot be read', { cause: error });
  }
}

export class TrialService {
  readonly #db: Db;
  /**
   * Searches, counts, facets and exports: they can run long (Store.reads, reader threads on
   * SQLite). A plain list page stays on `db`: it is a bounded keyset read, and four messages to a
   * thread and back would cost it more than the read itself.
   */
  readonly #reads: Db;
  readonly #now: () => number;
  readonly #mappers: ReadonlyMap<string, TrialMapper>;

  constructor(deps: { db: Db; reads?: Db; now: () => number; mappers?: ReadonlyMap<string, TrialMapper> }) {
    this.#db = deps.db;
    this.#reads = deps.reads ?? deps.db;
    this.#now = deps.now;
    this.#mappers = deps.mappers ?? new Map();
  }

  /** One trial by its registry id; `TRIAL_NOT_FOUND` when unknown. */
  async get(id: string): Promise<TrialRecord> {
    return (await this.resolve(id)).trial;
  }

  /**
   * One trial by its id or by an id the registry merged into it (ClinicalTrials.gov
   * `nctIdAliases`): an active trial answers for its own id; otherwise an alias resolves to the
   * trial it was merged into; a removed trial without an alias still answers as itself.
   */
  async resolve(id: string): Promise<ResolvedTrial> {
    const own = await findTrial(this.#db, id);
    if (own !== undefined && own.removedAt === null) return { trial: own, resolvedFrom: null };
    const target = await findAliasTarget(this.#db, id);
    if (target !== undefined && target !== id) {
      const current = await findTrial(this.#db, target);
      if (current !== undefined) return { trial: current, resolvedFrom: id };
    }
    if (own !== undefined) return { trial: own, resolvedFrom: null };
    throw new AppError('TRIAL_NOT_FOUND', `No trial has the id "${id}"`, { details: { id } });
  }

  /**
   * Places (city, state, country) among the sites with coordinates whose city starts with `text`
   * (what comes before a comma; ASCII case ignored), the most trials first: the names `near`
   * takes, for suggestions. `name` is the city qualified by its state and country, which `near`
   * resolves to that place alone.
   */
  async places(text: string, limit: number): Promise<(PlaceSuggestion & { name: string })[]> {
    const prefix = cityKeyOf(text.split(',')[0] ?? '') ?? '';
    if (prefix === '') return [];
    const places = await listPlaces(this.#reads, prefix, limit);
    return places.map((place) => ({
      ...place,
      name: [place.city, place.state, place.country].filter((part) => part !== null).join(', '),
    }));
  }

  /**
   * The trial's sites in the registry's order; with `near` (a point or a city the mirror knows),
   * each site with coordinates carries its distance from that centre, and the centre is returned.
   */
  async sites(
    trial: TrialRecord,
    near?: NearFilter,
  ): Promise<{ sites: (TrialSite & { distanceKm?: number })[]; centre?: { lat: number; lon: number } }> {
    const sites = await listTrialSites(this.#db, trial.id);
    if (near === undefined) return { sites };
    const point = await resolveNear(this.#db, near);
    const centre = { lat: point.lat, lon: point.lon };
    return {
      centre,
      sites: sites.map((site) =>
        site.lat === null || site.lon === null
          ? site
          : { ...site, distanceKm: haversineKm(centre, { lat: site.lat, lon: site.lon }) },
      ),
    };
  }

  /** The trial's links to the same study in other registries, both directions, by id. */
  async links(trial: TrialRecord): Promise<TrialLink[]> {
    const stored = await listTrialLinks(this.#db, trial.id);
    return stored
      .map((link) => ({
        id: link.id,
        source:
          link.source ?? REGISTRY_ID_PATTERNS.find((entry) => entry.pattern.test(link.id))?.source ?? null,
        relation:
          link.direction === 'out'
            ? link.relation
            : (INVERSE_RELATIONS[link.relation] ?? `${link.relation}-of`),
        mirrored: link.source !== null,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.relation < b.relation ? -1 : 1));
  }

  /** Counts per value of a field over the trials the filter selects now (most frequent first). */
  async facets(field: FacetField, filter: TrialListFilter, limit: number): Promise<FacetCounts> {
    return countFacet(
      this.#reads,
      field,
      await this.#repositoryFilter(filter, this.#changedSince(filter)),
      limit,
    );
  }

  /** The upstream record of the trial's current version, as the registry sent it (JSON text). */
  async rawRecordJson(trial: TrialRecord): Promise<string> {
    const raw = await findRawRecordJson(this.#db, trial.id, trial.version);
    if (raw === undefined) {
      throw new AppError('INTERNAL', `Trial ${trial.id} has no stored record for version ${trial.version}`);
    }
    return raw;
  }

  async #repositoryFilter(filter: TrialListFilter, changedSince: number | null): Promise<TrialFilter> {
    const { linkedTo, updatedWithinMs: _within, updatedSince: _since, ...rest } = filter;
    const out: TrialFilter = await resolveContentNear(this.#db, {
      ...rest,
      ...(changedSince === null ? {} : { changedSince }),
    });
    if (linkedTo !== undefined) {
      // A merged id links through the trial it was merged into, too.
      const target = await findAliasTarget(this.#db, linkedTo);
      out.linkedTo = target === undefined || target === linkedTo ? [linkedTo] : [linkedTo, target];
    }
    return out;
  }

  /** Both time filters narrow: the later bound wins. */
  #changedSince(filter: TrialListFilter): number | null {
    const bounds: number[] = [];
    if (filter.updatedWithinMs !== undefined) bounds.push(this.#now() - filter.updatedWithinMs);
    if (filter.updatedSince !== undefined) bounds.push(filter.updatedSince);
    return bounds.length === 0 ? null : Math.max(...bounds);
  }

  /**
   * One page of trials. The first page pins the walk (feed position and time window); later pages
   * carry it in `continuation`, so every trial that existed when the walk began comes exactly once.
   * `bulk`: a batch of an export (read on Store.reads, like searches, distance searches and counts).
   */
  async list(request: TrialListRequest, bulk = false): Promise<TrialListPage> {
    const long =
      bulk || request.count || request.filter.search !== undefined || request.filter.near !== undefined;
    const db = long ? this.#reads : this.#db;
    const walk = request.continuation ?? {
      asOf: await latestChangeSeq(db),
      changedSince: this.#changedSince(request.filter),
    };
    const filter = await this.#repositoryFilter(request.filter, walk.changedSince);
    const [page, total] = await Promise.all([
      pageTrials(db, {
        filter,
        sort: request.sort,
        asOf: walk.asOf,
        limit: request.limit,
        ...(request.continuation === undefined ? {} : { after: request.continuation.after }),
      }),
      request.count ? countTrialsAsOf(db, filter, walk.asOf) : Promise.resolve(undefined),
    ]);
    const last = page.items.at(-1);
    const [lastChanges, nearest] = await Promise.all([
      findChangesBySeq(
        db,
        page.items.map((item) => item.trial.changeSeq),
      ),
      filter.near === undefined
        ? Promise.resolve(undefined)
        : findNearestSites(
            db,
            page.items.map((item) => item.trial.id),
            nearPointOf(filter),
          ),
    ]);
    return {
      items: page.items.map(({ trial }) => {
        const lastChange = lastChanges.get(trial.changeSeq);
        const nearestSite = nearest?.get(trial.id);
        return {
          ...trial,
          ...(lastChange === undefined ? {} : { lastChange }),
          ...(nearestSite === undefined ? {} : { nearestSite }),
        };
      }),
      next:
        page.hasMore && last !== undefined
          ? { asOf: walk.asOf, changedSince: walk.changedSince, after: last.position }
          : null,
      ...(total === undefined ? {} : { total }),
    };
  }

  /** How many trials a new walk with this filter would return. */
  async count(filter: TrialListFilter): Promise<number> {
    const asOf = await latestChangeSeq(this.#reads);
    return countTrialsAsOf(
      this.#reads,
      await this.#repositoryFilter(filter, this.#changedSince(filter)),
      asOf,
    );
  }

  /**
   * Every trial of a walk, in batches of `batchSize`, at most `maxRows` in all: one query per batch
   * and nothing held across batches, so memory stays bounded whatever the result size.
   */
  async *export(
    request: Omit<TrialListRequest, 'limit' | 'count'> & { maxRows?: number },
    batchSize = EXPORT_BATCH_SIZE,
  ): AsyncGenerator<TrialRecord[], void, undefined> {
    let remaining = request.maxRows ?? Number.POSITIVE_INFINITY;
    let continuation = request.continuation;
    while (remaining > 0) {
      const page = await this.list(
        {
          filter: request.filter,
          sort: request.sort,
          limit: Math.min(batchSize, remaining),
          count: false,
          ...(continuation === undefined ? {} : { continuation }),
        },
        true,
      );
      if (page.items.length > 0) yield page.items;
      remaining -= page.items.length;
      if (page.next === null) return;
      continuation = page.next;
    }
  }

  async #summaries(trialId: string): Promise<TrialVersionSummary[]> {
    const [versions, events] = await Promise.all([
      listTrialVersions(this.#db, trialId),
      listTrialEvents(this.#db, trialId),
    ]);
    const byVersion = new Map<number, ChangeEvent[]>();
    for (const event of events) {
      const list = byVersion.get(event.version);
      if (list === undefined) byVersion.set(event.version, [event]);
      else list.push(event);
    }
    return versions.map((version) => {
      const own = byVersion.get(version.version) ?? [];
      const origin = own.find((event) => event.kind !== 'removed');
      return {
        ...version,
        kind: origin?.kind ?? (version.version === 1 ? 'created' : 'updated'),
        events: own.map((event) => ({ seq: event.seq, kind: event.kind, occurredAt: event.occurredAt })),
        classification: origin?.classification ?? null,
      };
    });
  }

  /** Every version of a trial (or of the trial a merged id resolves to), oldest first. */
  async versions(
    id: string,
  ): Promise<{ trial: TrialRecord; resolvedFrom: string | null; versions: TrialVersionSummary[] }> {
    const { trial, resolvedFrom } = await this.resolve(id);
    return { trial, resolvedFrom, versions: await this.#summaries(trial.id) };
  }

  /** The trial (or the trial a merged id resolves to) as it was at version `n`. */
  async version(
    requestedId: string,
    n: number,
  ): Promise<{ trial: TrialRecord; resolvedFrom: string | null; version: TrialVersionDetail }> {
    const { trial, resolvedFrom } = await this.resolve(requestedId);
    const id = trial.id;
    const [stored, summaries] = await Promise.all([findTrialVersion(this.#db, id, n), this.#summaries(id)]);
    const summary = summaries.find((item) => item.version === n);
    if (stored === undefined || summary === undefined) {
      throw new AppError('VERSION_NOT_FOUND', `Trial ${id} has no version ${n} (it has ${trial.version})`, {
        details: { id, version: n, latest: trial.version },
      });
    }
    const current = n === trial.version;
    return {
      trial,
      resolvedFrom,
      version: {
        ...summary,
        rawJson: stored.rawJson,
        current,
        doc: current ? readTrialDoc(trial.docJson) : this.#map(trial.source, stored.rawJson),
      },
    };
  }

  /** A past version's document, mapped by today's mapper of its source; null when there is none. */
  #map(source: string, rawJson: string): TrialDoc | null {
    const map = this.#mappers.get(source);
    if (map === undefined) return null;
    try {
      return map(JSON.parse(rawJson));
    } catch {
      // An old record today's mapper refuses (e.g. a column it now requires) still has its raw form.
      return null;
    }
  }

  /** The trial for the brief's `/api/search/{number}`, or undefined. */
  async find(id: string): Promise<TrialRecord | undefined> {
    return findTrial(this.#db, id);
  }

  /** The brief's list: trials changed within the last 7 days, newest change first, by offset. */
  async recentlyChanged(skip: number, limit: number): Promise<TrialRecord[]> {
    return listChangedSince(this.#reads, { since: this.#now() - RECENT_WINDOW_MS, offset: skip, limit });
  }
}
