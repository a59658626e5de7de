/** Foreign-function metadata (`foreign-config.json`, or `foreign` in reachability-metadata.json), carried as it is. */
import type { Json, JsonObject, Reader } from './reader.js';

const MAX_CARRIED_DEPTH = 64;

/** Whether a JSON value nests deeper than `max` levels; iterative, so any depth is safe to ask about. */
function depthExceeds(root: Json, max: number): boolean {
  const stack: [Json, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as JsonObject)) stack.push([child, depth + 1]);
  }
  return false;
}

/** `foreign` is carried as it is; it only has to be an object of sane depth (its schema nests five levels). */
export function foreign(r: Reader, v: Json, ptr: string): void {
  if (r.obj(v, ptr, "'foreign'") === undefined) return;
  if (depthExceeds(v, MAX_CARRIED_DEPTH)) {
    r.report(
      'schema',
      ptr,
      `expected the foreign-function metadata to nest at most ${MAX_CARRIED_DEPTH} levels, found deeper nesting`,
    );
    return;
  }
  r.builder.addForeign(v);
}
