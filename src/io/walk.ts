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
}

/** Files below `root` whose name `wanted` accepts, in no particular order; the root itself must be listable. */
export function walkTree(root: string, wanted: (name: string) => boolean, options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
    } catch (e) {
      if (rel === '' || options.unreadable === 'throw') throw e;
      continue;
    }
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules' && !e.name.endsWith('.tmp')) pending.push(path);
      } else if (e.isFile() && wanted(e.name)) out.push(path);
    }
  }
  return out;
}
