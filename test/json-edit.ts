/**
 * JSON values as the property tests mutate them: every node's path, the node at a path, and a
 * copy with one node replaced or removed (the value is never changed in place).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonPath = readonly (string | number)[];

/** Paths to every node of a value, the root's (`[]`) first. */
export function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k]!, [...at, k], out);
  return out;
}

/** The node at a path. */
export function get(root: Json, at: JsonPath): Json {
  let v = root;
  for (const k of at) v = (v as Record<string, Json>)[k as string]!;
  return v;
}

/** A copy of `root` with the node at `where` replaced by what `f` makes of it; undefined removes it. */
export function set(root: Json, where: JsonPath, f: (old: Json) => Json | undefined): Json {
  if (where.length === 0) return f(root) ?? null;
  const copy: Json = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = where;
  if (rest.length === 0) {
    const v = f((root as Record<string, Json>)[head as string]!);
    if (v === undefined) {
      if (Array.isArray(copy)) copy.splice(head as number, 1);
      else delete (copy as Record<string, Json>)[head as string];
    } else (copy as Record<string, Json>)[head as string] = v;
    return copy;
  }
  (copy as Record<string, Json>)[head as string] = set((root as Record<string, Json>)[head as string]!, rest, f);
  return copy;
}
