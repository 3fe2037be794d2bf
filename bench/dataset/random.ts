/**
 * Deterministic pseudo-random numbers for the dataset generators: every value is a pure function of
 * (seed, index, salt), so any record of any generation can be produced on its own, in any order, in
 * any process, and always comes out the same.
 */

/** A 32-bit integer hash of three numbers (a murmur3-style finaliser over a simple combination). */
export function hash32(seed: number, index: number, salt = 0): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x7f4a7c15, 0xc2b2ae35);
  h ^= Math.imul(salt + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) for (seed, index, salt). */
export function unit(seed: number, index: number, salt = 0): number {
  return hash32(seed, index, salt) / 0x1_0000_0000;
}

/** An integer in [min, max] for (seed, index, salt). */
export function intBetween(seed: number, index: number, salt: number, min: number, max: number): number {
  return min + (hash32(seed, index, salt) % (max - min + 1));
}

/** One element of a non-empty list for (seed, index, salt). */
export function pick<T>(items: readonly T[], seed: number, index: number, salt: number): T {
  return items[hash32(seed, index, salt) % items.length]!;
}

/**
 * Whether record `index` changes in release `release` when `percent` of the records change in it.
 * The same (seed, index, release) always gives the same answer, so the number of records changed
 * can be counted exactly beforehand (see `countChanged`).
 */
export function changesIn(seed: number, index: number, release: number, percent: number): boolean {
  if (percent <= 0) return false;
  return hash32(seed, index, 1_000_003 * release + 17) % 1_000_000 < Math.round(percent * 10_000);
}

/** How many of records 0…n-1 change in `release` (exact). */
export function countChanged(seed: number, n: number, release: number, percent: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (changesIn(seed, i, release, percent)) count++;
  return count;
}
