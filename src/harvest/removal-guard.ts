/**
 * The rule that decides, after a complete full listing, whether the source's active trials the run
 * did not see may be marked removed: a listing that looks incomplete removes nothing. Pure (the
 * harvest gathers the counts); `removalRefusal` returns why removal is refused, or undefined.
 */

/**
 * A full listing that saw fewer than this share of the source's active records looks incomplete:
 * nothing is removed (unless the user vouches for an imported file, `import --full`).
 */
export const REMOVAL_SAFEGUARD_RATIO = 0.5;

export interface RemovalFacts {
  /** Active trials of the source that the run did not see: the ones removal would remove. */
  unseen: number;
  /** Active trials of the source, seen or not (so at least `unseen`). */
  active: number;
  /** Records the listing held without a readable (or storable) id. */
  unidentified: number;
  /**
   * When the listing carried the upstream's own count of its records: that count, and the distinct
   * ids the run saw (stored or not).
   */
  counted: { expectedTotal: number; distinctSeen: number } | undefined;
  /** The imported file, if the run read one instead of the network. */
  file: { name: string; assumeComplete?: boolean } | undefined;
}

/** Why the unseen trials must not be removed, or undefined when they may be. */
export function removalRefusal(facts: RemovalFacts): string | undefined {
  const { unseen, active, unidentified, counted, file } = facts;
  if (unseen === 0) return undefined;
  if (unidentified > 0) {
    return `The listing held ${unidentified} record(s) without a readable id, so it cannot show what is gone; nothing was removed`;
  }
  if (counted !== undefined && counted.distinctSeen < counted.expectedTotal) {
    return `The listing held ${counted.distinctSeen} distinct ids where the upstream counts ${counted.expectedTotal}; nothing was removed`;
  }
  const vouched = file?.assumeComplete === true;
  // A file without the upstream's count (a CSV download) cut at a line end reads like a whole
  // file that lacks the rest: no share of the active set tells the two apart (a cut keeping 70%
  // of the rows is as plausible as one keeping 30%), so only the user's word removes anything.
  if (file !== undefined && counted === undefined && !vouched) {
    return `${file.name} carries no count of the upstream's records, so it cannot show that the ${unseen} active trial(s) it lacks are gone rather than cut off; nothing was removed (if the file is the whole dataset, import it with --full)`;
  }
  const seenActive = active - unseen;
  if (!vouched && seenActive < active * REMOVAL_SAFEGUARD_RATIO) {
    return `The listing held ${seenActive} of ${active} active records; removing ${unseen} would be unsafe, so nothing was removed${file === undefined ? '' : ' (if the file is the whole dataset, import it with --full)'}`;
  }
  return undefined;
}
