/**
 * The pure parts of distance search: the haversine against known great-circle distances, and the
 * bounding box holding every point within the radius (fast-check over the whole globe, poles and
 * antimeridian included), without being much larger than it must be.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeoBox, GeoPoint } from '../../src/domain/geo.js';
import { boundingBox, EARTH_RADIUS_KM, haversineKm } from '../../src/domain/geo.js';

function inBox(box: GeoBox, point: GeoPoint): boolean {
  return (
    point.lat >= box.minLat &&
    point.lat <= box.maxLat &&
    box.lonRanges.some((range) => point.lon >= range.min && point.lon <= range.max)
  );
}

/** The point `distanceKm` from `from` on the initial bearing `bearing` (radians): the direct problem on the sphere. */
function destination(from: GeoPoint, bearing: number, distanceKm: number): GeoPoint {
  const d = distanceKm / EARTH_RADIUS_KM;
  const lat1 = (from.lat * Math.PI) / 180;
  const lon1 = (from.lon * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
  const lon2 =
    lon1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(d) * Math.cos(lat1),
      Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
    );
  const lon = (((((lon2 * 180) / Math.PI + 540) % 360) + 360) % 360) - 180;
  return { lat: (lat2 * 180) / Math.PI, lon };
}

describe('haversineKm', () => {
  it('gives the known great-circle distances', () => {
    // Seoul City Hall to Busan City Hall: about 325 km.
    expect(haversineKm({ lat: 37.5663, lon: 126.9779 }, { lat: 35.1798, lon: 129.075 })).toBeCloseTo(325, -1);
    // A quarter of a meridian, and half the equator.
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 90, lon: 0 })).toBeCloseTo(
      (Math.PI / 2) * EARTH_RADIUS_KM,
      6,
    );
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    // Across the antimeridian, the short way.
    expect(haversineKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111.2, 0);
    expect(haversineKm({ lat: 12.3, lon: 45.6 }, { lat: 12.3, lon: 45.6 })).toBe(0);
  });
});

describe('boundingBox', () => {
  const centre = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  it('holds every point within the radius, wherever the centre is', () => {
    fc.assert(
      fc.property(
        centre,
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (from, radius, bearing, fraction) => {
          const point = destination(from, bearing, radius * fraction);
          return haversineKm(from, point) > radius || inBox(boundingBox(from, radius), point);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('splits at the antimeridian and spans every longitude at a pole', () => {
    const east = boundingBox({ lat: -36.85, lon: 179.9 }, 100);
    expect(east.lonRanges).toHaveLength(2);
    expect(inBox(east, { lat: -36.85, lon: -179.5 })).toBe(true);
    expect(inBox(east, { lat: -36.85, lon: 0 })).toBe(false);
    const west = boundingBox({ lat: 10, lon: -179.9 }, 100);
    expect(inBox(west, { lat: 10, lon: 179.5 })).toBe(true);
    expect(boundingBox({ lat: 89.9, lon: 10 }, 50).lonRanges).toEqual([{ min: -180, max: 180 }]);
    expect(boundingBox({ lat: -90, lon: 0 }, 0).lonRanges).toEqual([{ min: -180, max: 180 }]);
  });

  it('is no wider than the circle needs away from the poles', () => {
    const box = boundingBox({ lat: 37.5, lon: 127 }, 50);
    expect(box.maxLat - box.minLat).toBeCloseTo((2 * 50 * 180) / (Math.PI * EARTH_RADIUS_KM), 6);
    const [range] = box.lonRanges;
    // The widest point of the circle lies on the box's east edge.
    const widest = Math.max(
      ...Array.from(
        { length: 3600 },
        (_, i) => destination({ lat: 37.5, lon: 127 }, (i / 3600) * 2 * Math.PI, 50).lon,
      ),
    );
    expect(range!.max - widest).toBeGreaterThanOrEqual(0);
    expect(range!.max - widest).toBeLessThan(1e-4);
  });
});
