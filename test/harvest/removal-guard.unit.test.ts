import { describe, expect, it } from 'vitest';
import type { RemovalFacts } from '../../src/harvest/removal-guard.js';
import { REMOVAL_SAFEGUARD_RATIO, removalRefusal } from '../../src/harvest/removal-guard.js';

/** A network run that saw 90 of 100 active trials, carrying no upstream count. */
function facts(overrides: Partial<RemovalFacts> = {}): RemovalFacts {
  return { unseen: 10, active: 100, unidentified: 0, counted: undefined, file: undefined, ...overrides };
}

describe('removal guard (may a complete full listing remove the trials it did not see?)', () => {
  it('allows removal when the run saw most of the active set', () => {
    expect(removalRefusal(facts())).toBeUndefined();
  });

  it('has nothing to refuse when every active trial was seen, whatever else is wrong', () => {
    expect(
      removalRefusal(
        facts({
          unseen: 0,
          unidentified: 3,
          counted: { expectedTotal: 500, distinctSeen: 1 },
          file: { name: 'dump.csv' },
        }),
      ),
    ).toBeUndefined();
  });

  describe('the share of the active set seen', () => {
    it('is one half', () => {
      expect(REMOVAL_SAFEGUARD_RATIO).toBe(0.5);
    });

    it('allows removal at exactly half seen', () => {
      expect(removalRefusal(facts({ unseen: 50, active: 100 }))).toBeUndefined();
      expect(removalRefusal(facts({ unseen: 1, active: 2 }))).toBeUndefined();
    });

    it('refuses just under half seen', () => {
      expect(removalRefusal(facts({ unseen: 51, active: 100 }))).toBe(
        'The listing held 49 of 100 active records; removing 51 would be unsafe, so nothing was removed',
      );
      expect(removalRefusal(facts({ unseen: 2, active: 3 }))).toBe(
        'The listing held 1 of 3 active records; removing 2 would be unsafe, so nothing was removed',
      );
    });

    it('refuses removing the whole active set', () => {
      expect(removalRefusal(facts({ unseen: 1, active: 1 }))).toBe(
        'The listing held 0 of 1 active records; removing 1 would be unsafe, so nothing was removed',
      );
    });

    it('points an imported file with an upstream count at --full when it saw too few', () => {
      expect(
        removalRefusal(
          facts({
            unseen: 60,
            active: 100,
            counted: { expectedTotal: 40, distinctSeen: 40 },
            file: { name: 'dump.json' },
          }),
        ),
      ).toBe(
        'The listing held 40 of 100 active records; removing 60 would be unsafe, so nothing was removed (if the file is the whole dataset, import it with --full)',
      );
    });
  });

  describe('records without a readable id', () => {
    it('refuses with even one', () => {
      expect(removalRefusal(facts({ unidentified: 1 }))).toBe(
        'The listing held 1 record(s) without a readable id, so it cannot show what is gone; nothing was removed',
      );
    });

    it('refuses before any other check, even for a file the user vouches for', () => {
      expect(
        removalRefusal(
          facts({
            unidentified: 2,
            counted: { expectedTotal: 500, distinctSeen: 1 },
            file: { name: 'dump.csv', assumeComplete: true },
          }),
        ),
      ).toBe(
        'The listing held 2 record(s) without a readable id, so it cannot show what is gone; nothing was removed',
      );
    });
  });

  describe("the upstream's count", () => {
    it('allows removal when the run saw as many distinct ids as the upstream counts, or more', () => {
      expect(removalRefusal(facts({ counted: { expectedTotal: 90, distinctSeen: 90 } }))).toBeUndefined();
      expect(removalRefusal(facts({ counted: { expectedTotal: 90, distinctSeen: 95 } }))).toBeUndefined();
    });

    it('refuses one distinct id short', () => {
      expect(removalRefusal(facts({ counted: { expectedTotal: 90, distinctSeen: 89 } }))).toBe(
        'The listing held 89 distinct ids where the upstream counts 90; nothing was removed',
      );
    });

    it('refuses a short listing even from a file the user vouches for', () => {
      expect(
        removalRefusal(
          facts({
            counted: { expectedTotal: 90, distinctSeen: 89 },
            file: { name: 'dump.json', assumeComplete: true },
          }),
        ),
      ).toBe('The listing held 89 distinct ids where the upstream counts 90; nothing was removed');
    });

    it('is checked before the share of the active set', () => {
      expect(
        removalRefusal(facts({ unseen: 90, active: 100, counted: { expectedTotal: 20, distinctSeen: 10 } })),
      ).toBe('The listing held 10 distinct ids where the upstream counts 20; nothing was removed');
    });
  });

  describe('an imported file', () => {
    it('without an upstream count removes nothing unless the user vouches for it', () => {
      expect(removalRefusal(facts({ unseen: 1, active: 100, file: { name: 'dump.csv' } }))).toBe(
        "dump.csv carries no count of the upstream's records, so it cannot show that the 1 active trial(s) it lacks are gone rather than cut off; nothing was removed (if the file is the whole dataset, import it with --full)",
      );
      expect(
        removalRefusal(facts({ unseen: 1, active: 100, file: { name: 'dump.csv', assumeComplete: false } })),
      ).toMatch(/^dump\.csv carries no count/);
    });

    it('that the user vouches for (--full) removes even most of the active set', () => {
      const file = { name: 'dump.csv', assumeComplete: true };
      expect(removalRefusal(facts({ unseen: 99, active: 100, file }))).toBeUndefined();
      expect(removalRefusal(facts({ unseen: 1, active: 1, file }))).toBeUndefined();
    });

    it('with an upstream count that the run matched removes what it lacks', () => {
      expect(
        removalRefusal(
          facts({ counted: { expectedTotal: 90, distinctSeen: 90 }, file: { name: 'dump.json' } }),
        ),
      ).toBeUndefined();
    });
  });
});
