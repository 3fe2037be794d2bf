/**
 * What the mappers make of a record's sites (real fixtures): ClinicalTrials.gov's every location
 * with its `geoPoint`, CRIS's named sites without coordinates, kr-icreat none; and the registry
 * page of each source.
 */
import { describe, expect, it } from 'vitest';
import { registryUrlOf } from '../../src/domain/trial.types.js';
import { mapCrisRecord } from '../../src/sources/cris/cris-mapper.js';
import { mapCtgovStudy } from '../../src/sources/ctgov/ctgov-mapper.js';
import { ctgovFixture, ctgovFixtureIds } from '../../testkit/fake-ctgov.js';
import { realCrisDetailAnswer } from '../../testkit/fake-cris.js';

type Study = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('sites of the mapped trials', () => {
  it('ClinicalTrials.gov: every location, in order, with its coordinates where given', () => {
    let located = 0;
    for (const id of ctgovFixtureIds()) {
      const study: Study = ctgovFixture(id);
      const locations = (study.protocolSection.contactsLocationsModule?.locations ?? []) as Study[];
      const sites = mapCtgovStudy(study).sites ?? [];
      expect(sites, id).toHaveLength(locations.length);
      locations.forEach((location, i) => {
        expect(sites[i], id).toEqual({
          name: location.facility ?? null,
          city: location.city ?? null,
          state: location.state ?? null,
          country: location.country ?? null,
          postalCode: location.zip ?? null,
          status: location.status ?? null,
          lat: location.geoPoint?.lat ?? null,
          lon: location.geoPoint?.lon ?? null,
        });
        if (location.geoPoint !== undefined) located++;
      });
    }
    expect(located).toBeGreaterThan(2000);
  });

  it('ClinicalTrials.gov: a position off the globe is no position', () => {
    const study: Study = ctgovFixture(ctgovFixtureIds()[0]!);
    study.protocolSection.contactsLocationsModule = {
      locations: [{ facility: 'Nowhere', city: 'X', geoPoint: { lat: 95, lon: 10 } }],
    };
    expect(mapCtgovStudy(study).sites).toEqual([
      expect.objectContaining({ name: 'Nowhere', lat: null, lon: null }),
    ]);
  });

  it('CRIS: the named sites of the real detail record, in Korea, without coordinates', () => {
    expect(mapCrisRecord({ detail: realCrisDetailAnswer() }).sites).toEqual([
      {
        name: '전북대학교병원',
        city: null,
        state: null,
        country: 'South Korea',
        postalCode: null,
        status: null,
        lat: null,
        lon: null,
      },
    ]);
  });

  it('links every source to its registry page', () => {
    expect(registryUrlOf('ctgov', 'NCT00000410')).toBe('https://clinicaltrials.gov/study/NCT00000410');
    expect(registryUrlOf('cris', 'KCT0000145')).toMatch(/^https:\/\/cris\.nih\.go\.kr\/.*KCT0000145$/);
    expect(registryUrlOf('kr-icreat', 'C130011')).toBe('https://www.data.go.kr/data/3074271/openapi.do');
    expect(registryUrlOf('unknown', 'X1')).toBeNull();
  });
});
