/**
 * The one walk of a metadata tree: the paths (relative, `/`-separated) of the files below `root`
 * whose name `wanted` accepts. Skips dot directories (.git), node_modules and the agent's `*.tmp`
 * write directories; does not follow symbolic links. Synchronous on purpose: a metadata tree is
 * thousands of small directories, and one `readdir` awaited per directory, one after another,
 * leaves the process idle for most of the walk (about 250 ms over the ~3,700 directories of the
 * corpus's unified tree).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkOptions {
  /** A directory below the root that cannot be listed: skipped (the default) or thrown. */
  readonly unreadable?: 'skip' | 'throw';
  /** Listings already made in this command, reused instead of walking the tree again. */
  readonly listings?: TreeListings;
}

/** Every file below a root, and the error of the first directory below it that could not be listed. */
interface Listing {
  readonly files: readonly string[];
  readonly firstError: unknown;
}

/**
 * The trees one command has walked, by root. Validate looks below the same paths for metadata
 * files and for native-image.properties: over the corpus's unified tree a second walk costs about
 * 100 ms, as much as the first. Made per command, so that no listing outlives what it saw.
 */
export class TreeListings {
  private readonly byRoot = new Map<string, Listing>();

  listing(root: string): Listing {
    let l = this.byRoot.get(root);
    if (l === undefined) this.byRoot.set(root, (l = listTree(root)));
    return l;
  }
}

/** Files below `root` whose name `wanted` accepts, in no particular order; the root itself must be listable. */
export function walkTree(root: string, wanted: (name: string) => boolean, options: WalkOptions = {}): string[] {
  const shared = options.listings?.listing(root);
  const { files, firstError } = shared ?? listTree(root, wanted);
  if (firstError !== undefined && options.unreadable === 'throw') throw firstError;
  // a shared listing has every file; a walk's own kept only the wanted ones, in a list of its own
  return shared ? files.filter((path) => wanted(path.slice(path.lastIndexOf('/') + 1))) : (files as string[]);
}

/**
 * `path.join(base, rel)` for a `rel` that walkTree gave (`/`-separated names, none empty, `.` or
 * `..`), without normalizing `base` again for each path: over the corpus's 1,854 files and
 * 3,700 directories the joins cost about 40 ms.
 */
export function joinerOf(base: string): (rel: string) => string {
  // join('.', 'a') and join('', 'a') are 'a', not './a' or '/a'
  const prefix = base === '' ? './' : join(base, '/');
  return prefix === './' ? (rel) => rel : (rel) => prefix + rel;
}

/**
 * The files below `root` whose name `keep` accepts (all of them, for a shared listing); a
 * directory below it that cannot be listed is skipped, and the first one's error kept.
 */
function listTree(root: string, keep: (name: string) => boolean = () => true): Listing {
  const files: string[] = [];
  let firstError: unknown;
  const pending: string[] = [''];
  const below = joinerOf(root);
  while (pending.length > 0) {
    const rel = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(rel === '' ? root : below(rel), { withFileTypes: true });
    } catch (e) {
      if (rel === '') throw e;
      firstError ??= e;
      continue;
    }
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules' && !e.name.endsWith('.tmp')) pending.push(path);
      } else if (e.isFile() && keep(e.name)) files.push(path);
    }
  }
  return { files, firstError };
}
