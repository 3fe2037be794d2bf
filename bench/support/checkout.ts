/**
 * `--compare-ref REF`: the code at a git ref, unpacked once (`git archive`, which reads the
 * repository and changes nothing in it) into a folder outside the repository — so neither tsc,
 * eslint nor prettier of this tree sees it — with this tree's node_modules linked in. A scenario
 * then forks that code's own bench processes (e.g. its `bench/procs/harvest-worker.ts`, which
 * imports that code's `src/`) beside this tree's, in the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this bench belongs to. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where checkouts are kept between runs (one folder per commit; delete it to reclaim the space). */
export const CHECKOUTS_DIR = join(tmpdir(), 'trialwatch-bench-checkouts');

export interface Checkout {
  /** The ref as given. */
  ref: string;
  /** Its commit (40 hex digits) and the first 7 of them. */
  commit: string;
  short: string;
  /** The unpacked tree. */
  dir: string;
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
}

/** The code at `ref`, unpacked (once per commit) with node_modules linked to this tree's. */
export function checkoutOf(ref: string): Checkout {
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--compare-ref: "${ref}" is not a commit of this repository`);
  }
  const dir = join(CHECKOUTS_DIR, commit);
  if (!existsSync(join(dir, 'package.json'))) {
    // Unpacked under a temporary name and renamed, so an interrupted unpack is never taken for a checkout.
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('sh', ['-c', `git archive --format=tar ${commit} | tar -x -C '${partial}'`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    symlinkSync(realpathSync(join(REPO_ROOT, 'node_modules')), join(partial, 'node_modules'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return { ref, commit, short: commit.slice(0, 7), dir };
}
