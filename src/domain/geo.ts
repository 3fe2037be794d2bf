/**
 * Great-circle distances and the bounding boxes that find candidate sites through an index. Pure.
 * Both databases compute the distance with the same formula (`store/site.repository.ts`), in the
 * same order of operations as `haversineKm` here, so an answer never depends on the database.
 */

/** Mean Earth radius (IUGG), km: the sphere every distance here is measured on. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Kilometres in a statute mile. */
export const KM_PER_MILE = 1.609344;
/** The largest search radius accepted, km. */
export const MAX_RADIUS_KM = 500;
/** The radius when `near` is given without one, km. */
export const DEFAULT_RADIUS_KM = 50;

/** π/360: half a degree in radians (the haversine takes half-angles). */
export const HALF_DEGREE = Math.PI / 360;
/** π/180: a degree in radians. */
export const DEGREE = Math.PI / 180;

export interface GeoPoint {
  lat: number;
  lon: number;
}

/**
 * Great-circle distance in km between two points given in degrees (haversine). The operations are
 * those of the SQL in site.repository.ts, in the same order.
 */
export function haversineKm(from: GeoPoint, to: GeoPoint): number {
  const dLat = Math.sin((to.lat - from.lat) * HALF_DEGREE);
  const dLon = Math.sin((to.lon - from.lon) * HALF_DEGREE);
  const a = dLat * dLat + Math.cos(from.lat * DEGREE) * Math.cos(to.lat * DEGREE) * dLon * dLon;
  // atan2 rather than asin(sqrt(a)): defined even where rounding takes `a` a hair past 1.
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(Math.abs(1 - a)));
}

/** A latitude band and one or two longitude ranges (two when the box crosses the antimeridian). */
export interface GeoBox {
  minLat: number;
  maxLat: number;
  lonRanges: { min: number; max: number }[];
}

/**
 * Widens every edge by this many degrees (~1 mm): the exact distance decides, the box only has
 * to hold every point within the radius whatever the rounding of its own arithmetic.
 */
const EDGE_MARGIN = 1e-8;

/**
 * The smallest latitude/longitude box that holds every point within `radiusKm` of `centre`
 * (the bounding coordinates of a spherical cap). A cap that reaches a pole spans every
 * longitude; one that crosses the antimeridian is split into two longitude ranges.
 */
export function boundingBox(centre: GeoPoint, radiusKm: number): GeoBox {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const dLat = angular / DEGREE;
  const minLat = centre.lat - dLat - EDGE_MARGIN;
  const maxLat = centre.lat + dLat + EDGE_MARGIN;
  if (maxLat >= 90 || minLat <= -90) {
    return {
      minLat: Math.max(minLat, -90),
      maxLat: Math.min(maxLat, 90),
      lonRanges: [{ min: -180, max: 180 }],
    };
  }
  const dLon =
    Math.asin(Math.min(1, Math.sin(angular) / Math.cos(centre.lat * DEGREE))) / DEGREE + EDGE_MARGIN;
  const min = centre.lon - dLon;
  const max = centre.lon + dLon;
  if (dLon >= 180) return { minLat, maxLat, lonRanges: [{ min: -180, max: 180 }] };
  if (min < -180)
    return {
      minLat,
      maxLat,
      lonRanges: [
        { min: min + 360, max: 180 },
        { min: -180, max },
      ],
    };
  if (max > 180)
    return {
      minLat,
      maxLat,
      lonRanges: [
        { min, max: 180 },
        { min: -180, max: max - 360 },
      ],
    };
  return { minLat, maxLat, lonRanges: [{ min, max }] };
}
