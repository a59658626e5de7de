/** File paths as messages show them. */
import { basename, isAbsolute, relative } from 'node:path';

/** A path shown relative to `cwd` when it is below it, else as it is. */
export function shownPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel || basename(abs);
}
