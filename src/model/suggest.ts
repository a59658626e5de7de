/**
 * "Did you mean …": the known name closest to a mistyped one, when it is close enough to be a
 * typo rather than another word (edit distance at most a third of the longer name, and at most 3).
 */
import { distance } from 'fastest-levenshtein';

/** The candidate a mistyped name most likely meant, or undefined when none is close. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) return undefined;
    // a difference of case alone is the closest there is
    const d = c.toLowerCase() === lower ? 0.5 : distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.min(3, Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)))
    ? best
    : undefined;
}

/** `; did you mean 'x'?` for a message, or '' when no candidate is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : `; did you mean '${c}'?`;
}
