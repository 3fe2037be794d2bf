/**
 * `near=<city>`: a city name resolved to a point from the cities the mirror itself knows (no
 * geocoder: the machine may have no network). A city is placed at the mean of its sites'
 * coordinates; a name that several places far apart share (Portland, Oregon and Maine) must be
 * qualified by its state or country; an unknown name is refused with the closest known names.
 */
import { haversineKm } from '../domain/geo.js';
import type { NearFilter, NearPoint, TrialContentFilter } from '../domain/trial-read.types.js';
import { AppError } from '../errors/app-error.js';
import type { Db } from '../store/database.js';
import type { CityPlace } from '../store/site.repository.js';
import { cityKeyOf, findCityPlaces, listCityNames } from '../store/site.repository.js';

/** Places of one name closer than this (km) are one city (spellings of its state, a suburb's sites). */
const SAME_CITY_KM = 50;
const SUGGESTIONS = 5;
/** Known names read to rank suggestions (sharing the first letters of the name asked for). */
const CANDIDATES = 2000;

/**
 * Edit distance (Levenshtein) of two short strings. Written here: the project has no string
 * distance dependency, and suggestions for an error message need only this much.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function placeName(place: CityPlace): string {
  return [place.city, place.state, place.country].filter((part) => part !== null).join(', ');
}

/** The known names closest to `key`, best first. */
async function suggestionsFor(db: Db, key: string): Promise<string[]> {
  for (const length of [2, 1]) {
    if (key.length < length) continue;
    const prefix = key.slice(0, length);
    const names = (await listCityNames(db, prefix, CANDIDATES)).filter((name) =>
      (cityKeyOf(name) ?? '').startsWith(prefix),
    );
    if (names.length === 0) continue;
    return names
      .map((name) => ({ name, distance: editDistance(key, cityKeyOf(name) ?? '') }))
      .sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      .slice(0, SUGGESTIONS)
      .map((item) => item.name);
  }
  return [];
}

/** The point of a city name (`City`, or `City, State or Country`, or `City, State, Country`). */
export async function resolveCity(db: Db, name: string): Promise<{ lat: number; lon: number }> {
  const comma = name.indexOf(',');
  const key = cityKeyOf(comma < 0 ? name : name.slice(0, comma)) ?? '';
  // After the city: its state, its country, or both (a country may hold a comma itself: "Korea, Republic of").
  const wanted = comma < 0 ? null : cityKeyOf(name.slice(comma + 1).replace(/\s*,\s*/g, ', '));
  const places = (await findCityPlaces(db, key)).filter(
    (place) =>
      wanted === null ||
      [place.state, place.country, `${place.state ?? ''}, ${place.country ?? ''}`].some(
        (qualifier) => cityKeyOf(qualifier) === wanted,
      ),
  );
  if (places.length === 0) {
    const suggestions = await suggestionsFor(db, key);
    throw new AppError(
      'UNKNOWN_CITY',
      `No site with coordinates is in a city called "${name}"` +
        (suggestions.length > 0 ? `; close names: ${suggestions.join(', ')}` : ''),
      { details: { parameter: 'near', location: 'querystring', suggestions } },
    );
  }
  const first = places[0]!;
  const far = places.filter((place) => haversineKm(first, place) > SAME_CITY_KM);
  if (far.length > 0) {
    const names = places
      .sort((x, y) => y.sites - x.sites)
      .map(placeName)
      .slice(0, SUGGESTIONS * 2);
    throw new AppError(
      'AMBIGUOUS_CITY',
      `"${name}" stands for several places: name its state or country, e.g. ${names.join('; ')}`,
      { details: { parameter: 'near', location: 'querystring', suggestions: names } },
    );
  }
  // The mean over every site of the city, whichever place its sites were grouped in.
  const total = places.reduce((sum, place) => sum + place.sites, 0);
  return {
    lat: places.reduce((sum, place) => sum + place.lat * place.sites, 0) / total,
    lon: places.reduce((sum, place) => sum + place.lon * place.sites, 0) / total,
  };
}

/** The near filter with its centre a point (a city resolved; a point as it is). */
export async function resolveNear(db: Db, near: NearFilter): Promise<NearPoint> {
  if ('lat' in near) return near;
  const { city, ...rest } = near;
  return { ...rest, ...(await resolveCity(db, city)) };
}

/** A content filter with its `near` resolved (the store only takes points). */
export async function resolveContentNear<T extends TrialContentFilter>(db: Db, filter: T): Promise<T> {
  if (filter.near === undefined || 'lat' in filter.near) return filter;
  return { ...filter, near: await resolveNear(db, filter.near) };
}
