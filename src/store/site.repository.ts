/**
 * Trial sites (migration 0010): written with each trial version, read by distance searches and by
 * `near=<city>`. A distance search finds candidate sites through the (lat, lon) index by the
 * bounding box of its circle (src/domain/geo.ts), then keeps those within the exact great-circle
 * distance, computed by the same formula as `haversineKm` on both databases.
 */
import type { Expression, ExpressionBuilder, RawBuilder, SqlBool, Transaction } from 'kysely';
import { sql } from 'kysely';
import { boundingBox, DEGREE, EARTH_RADIUS_KM, HALF_DEGREE } from '../domain/geo.js';
import type { NearestSite, NearPoint } from '../domain/trial-read.types.js';
import type { MappedTrial, TrialSite } from '../domain/trial.types.js';
import type { Db } from './database.js';
import type { Database, TrialSitesTable } from './schema.js';

/** Rows per insert statement (11 parameters each: well under both databases' limits). */
const CHUNK = 500;

/** A city as `near=<city>` looks it up: ASCII letters lower-cased, spaces trimmed and single. */
export function cityKeyOf(city: string | null): string | null {
  if (city === null) return null;
  const key = city
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return key === '' ? null : key;
}

function siteRows(trial: { id: string; sites?: readonly TrialSite[] }): TrialSitesTable[] {
  return (trial.sites ?? []).map((site, ordinal) => {
    const located = site.lat !== null && site.lon !== null;
    return {
      trial_id: trial.id,
      ordinal,
      name: site.name,
      city: site.city,
      city_key: cityKeyOf(site.city),
      state: site.state,
      country: site.country,
      postal_code: site.postalCode,
      status: site.status,
      lat: located ? site.lat : null,
      lon: located ? site.lon : null,
    };
  });
}

async function insertSites(
  trx: Transaction<Database>,
  trials: readonly { id: string; sites?: readonly TrialSite[] }[],
): Promise<void> {
  const rows = trials.flatMap(siteRows);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('trial_sites')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/**
 * Replaces the sites of these trials with those of their new versions (in the caller's
 * transaction, the one that writes the versions), and takes them off the backfill's list.
 */
export async function replaceSites(
  trx: Transaction<Database>,
  trials: readonly MappedTrial[],
): Promise<void> {
  if (trials.length === 0) return;
  const ids = trials.map((trial) => trial.id);
  await trx.deleteFrom('site_backfill').where('trial_id', 'in', ids).execute();
  await trx.deleteFrom('trial_sites').where('trial_id', 'in', ids).execute();
  await insertSites(trx, trials);
}

/** The great-circle distance in km from the centre to site `s` (haversine, as `haversineKm`). */
export function siteDistanceKm(near: NearPoint): RawBuilder<number> {
  const dLat = sql`sin((s.lat - ${near.lat}) * ${HALF_DEGREE})`;
  const dLon = sql`sin((s.lon - ${near.lon}) * ${HALF_DEGREE})`;
  const a = sql`(${dLat} * ${dLat} + ${Math.cos(near.lat * DEGREE)} * cos(s.lat * ${DEGREE}) * ${dLon} * ${dLon})`;
  return sql<number>`(${2 * EARTH_RADIUS_KM} * atan2(sqrt(${a}), sqrt(abs(1 - ${a}))))`;
}

/** Site `s` matches: inside the bounding box (the index), within the radius, of the statuses. */
export function siteWithin(near: NearPoint): RawBuilder<SqlBool> {
  const box = boundingBox(near, near.radiusKm);
  const lons = box.lonRanges.map((range) => sql`s.lon between ${range.min} and ${range.max}`);
  const conditions = [
    sql`s.lat between ${box.minLat} and ${box.maxLat}`,
    lons.length === 1 ? lons[0]! : sql`(${sql.join(lons, sql` or `)})`,
    sql`${siteDistanceKm(near)} <= ${near.radiusKm}`,
  ];
  if (near.siteStatus !== undefined) conditions.push(sql`s.status in (${sql.join([...near.siteStatus])})`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

/** `t` has a site that matches (for the WHERE of any trial read). */
export function hasSiteNear(near: NearPoint): Expression<SqlBool> {
  return sql<SqlBool>`t.id in (select s.trial_id from trial_sites s where ${siteWithin(near)})`;
}

/** The distance of `t`'s nearest matching site (null when none matches). */
export function nearestDistanceKm(near: NearPoint): RawBuilder<number> {
  return sql<number>`(select min(${siteDistanceKm(near)}) from trial_sites s where s.trial_id = t.id and ${siteWithin(near)})`;
}

/**
 * The nearest matching site of each of these trials (trials without one are left out). Among
 * sites at the same distance, the first the registry lists.
 */
export async function findNearestSites(
  db: Db,
  trialIds: readonly string[],
  near: NearPoint,
): Promise<Map<string, NearestSite>> {
  const out = new Map<string, NearestSite>();
  if (trialIds.length === 0) return out;
  const rows = await db
    .selectFrom('trial_sites as s')
    .select([
      's.trial_id',
      's.ordinal',
      's.name',
      's.city',
      's.country',
      siteDistanceKm(near).as('distance_km'),
    ])
    .where('s.trial_id', 'in', [...new Set(trialIds)])
    .where(siteWithin(near))
    .orderBy('s.trial_id')
    .orderBy('distance_km')
    .orderBy('s.ordinal')
    .execute();
  for (const row of rows) {
    if (out.has(row.trial_id)) continue;
    out.set(row.trial_id, {
      name: row.name,
      city: row.city,
      country: row.country,
      distanceKm: Number(row.distance_km),
    });
  }
  return out;
}

/** Each place a city name (its key) stands for among sites with coordinates, with their mean position. */
export interface CityPlace {
  city: string;
  state: string | null;
  country: string | null;
  lat: number;
  lon: number;
  sites: number;
}

/** A place's columns, over the sites grouped by (city key,) state and country: name, mean position, count. */
function placeColumns(eb: ExpressionBuilder<{ s: TrialSitesTable }, 's'>) {
  return [
    eb.fn.min('s.city').as('city'),
    eb.ref('s.state').as('state'),
    eb.ref('s.country').as('country'),
    eb.fn.avg<number>('s.lat').as('lat'),
    eb.fn.avg<number>('s.lon').as('lon'),
    eb.fn.countAll<number>().as('sites'),
  ];
}

function toCityPlace(row: {
  city: unknown;
  state: string | null;
  country: string | null;
  lat: unknown;
  lon: unknown;
  sites: unknown;
}): CityPlace {
  return {
    city: String(row.city),
    state: row.state,
    country: row.country,
    lat: Number(row.lat),
    lon: Number(row.lon),
    sites: Number(row.sites),
  };
}

export async function findCityPlaces(db: Db, cityKey: string): Promise<CityPlace[]> {
  const rows = await db
    .selectFrom('trial_sites as s')
    .select(placeColumns)
    .where('s.city_key', '=', cityKey)
    .where('s.lat', 'is not', null)
    .groupBy(['s.state', 's.country'])
    .execute();
  return rows.map(toCityPlace);
}

/** Up to `limit` distinct city names (with coordinates) whose key starts with `prefix`, from the index. */
export async function listCityNames(db: Db, prefix: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('trial_sites as s')
    .select('s.city_key')
    .distinct()
    .where('s.lat', 'is not', null)
    .where('s.city_key', '>=', prefix)
    .where('s.city_key', '<', `${prefix}\u{10ffff}`)
    .orderBy('s.city_key')
    .limit(limit)
    .execute();
  const keys = rows.map((row) => row.city_key).filter((key): key is string => key !== null);
  if (keys.length === 0) return [];
  // The names as the registry spells them (one spelling per key).
  const names = await db
    .selectFrom('trial_sites as s')
    .select((eb) => ['s.city_key', eb.fn.min('s.city').as('city')])
    .where('s.city_key', 'in', keys)
    .where('s.lat', 'is not', null)
    .groupBy('s.city_key')
    .execute();
  return names.map((row) => String(row.city));
}

/** Trials stored before migration 0010 whose sites are still to be written, in id order. */
export async function listSiteBackfill(
  db: Db,
  query: { source: string; limit: number },
): Promise<{ id: string; version: number }[]> {
  return db
    .selectFrom('site_backfill as b')
    .innerJoin('trials as t', 't.id', 'b.trial_id')
    .select(['t.id', 't.version'])
    .where('t.source', '=', query.source)
    .orderBy('b.trial_id')
    .limit(query.limit)
    .execute();
}

/** Backfill entries whose trial is gone (deleted by hand): nothing to map, taken off. */
export async function dropOrphanBackfill(db: Db): Promise<void> {
  await db
    .deleteFrom('site_backfill')
    .where('trial_id', 'not in', (eb) => eb.selectFrom('trials').select('id'))
    .execute();
}

/**
 * Writes the backfilled sites of these trials, in one transaction, for the trials still on the
 * backfill's list: a harvest that wrote a trial's sites meanwhile took it off, and its sites (of a
 * newer version) are kept. How many trials it wrote.
 */
export async function saveBackfilledSites(
  db: Db,
  items: readonly { id: string; sites: readonly TrialSite[] }[],
): Promise<number> {
  if (items.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .deleteFrom('site_backfill')
      .where(
        'trial_id',
        'in',
        items.map((item) => item.id),
      )
      .returning('trial_id')
      .execute();
    const still = new Set(taken.map((row) => row.trial_id));
    const kept = items.filter((item) => still.has(item.id));
    if (kept.length === 0) return 0;
    await trx
      .deleteFrom('trial_sites')
      .where(
        'trial_id',
        'in',
        kept.map((item) => item.id),
      )
      .execute();
    await insertSites(trx, kept);
    return kept.length;
  });
}

/** A place (a city of one state and country) among the sites with coordinates, for suggestions. */
export interface PlaceSuggestion extends CityPlace {
  /** Trials with a site there. */
  trials: number;
}

/**
 * Up to `limit` places whose city key starts with `prefix` (ASCII-lower-cased, as `cityKeyOf`),
 * the most trials first, then by name: read from the city index, one row per city, state and
 * country.
 */
export async function listPlaces(db: Db, prefix: string, limit: number): Promise<PlaceSuggestion[]> {
  const rows = await db
    .selectFrom('trial_sites as s')
    .select(placeColumns)
    .select(sql<number>`count(distinct s.trial_id)`.as('trials'))
    .where('s.lat', 'is not', null)
    .where('s.city_key', '>=', prefix)
    .where('s.city_key', '<', `${prefix}\u{10ffff}`)
    .groupBy(['s.city_key', 's.state', 's.country'])
    .orderBy('trials', 'desc')
    .orderBy('city')
    .orderBy('s.state')
    .orderBy('s.country')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...toCityPlace(row), trials: Number(row.trials) }));
}

/** Every site of a trial, in the registry's order. */
export async function listTrialSites(db: Db, trialId: string): Promise<TrialSite[]> {
  const rows = await db
    .selectFrom('trial_sites')
    .select(['name', 'city', 'state', 'country', 'postal_code', 'status', 'lat', 'lon'])
    .where('trial_id', '=', trialId)
    .orderBy('ordinal')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    city: row.city,
    state: row.state,
    country: row.country,
    postalCode: row.postal_code,
    status: row.status,
    lat: row.lat === null ? null : Number(row.lat),
    lon: row.lon === null ? null : Number(row.lon),
  }));
}
