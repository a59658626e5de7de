/**
 * Whether a lookup happened while Clojure loaded a namespace: the question prune asks of every
 * path for a Clojure function. Exact with a call tree; with one caller frame (traces.json) an
 * approximation, see docs/evidence.md.
 */
import type { CallPath, LookupEvidence } from './types.js';

/** With a call tree: a frame of RT.load, Compiler.load or an `__init` class's static initialiser. */
function loadingFrame(f: { className: string; method: string }): boolean {
  return (
    (f.method === 'load' && (f.className === 'clojure.lang.RT' || f.className === 'clojure.lang.Compiler')) ||
    (f.method === '<clinit>' && f.className.endsWith('__init'))
  );
}

/**
 * With the caller only: the runtime's loader (clojure.lang.RT), the compiler and its `*Expr`
 * classes, a namespace's `__init` class, and clojure.core's own `fn__N` (the top-level forms of
 * clojure.core that run as it loads).
 */
const LOADING_CALLER = /^(?:clojure\.lang\.RT|clojure\.lang\.Compiler(?:\$\w*Expr)?|.*__init|clojure\.core\$fn__\d+)$/;

/** Whether this lookup happened while a namespace was loading. An empty path (caller unknown) is not. */
export function namespaceLoading(path: CallPath, precision: LookupEvidence['precision']): boolean {
  if (precision === 'tree') return path.some(loadingFrame);
  return path.length > 0 && LOADING_CALLER.test(path[path.length - 1]!.className);
}

/** Whether every lookup of the entry with this key happened while namespaces loaded (false when there is none). */
export function onlyNamespaceLoading(evidence: LookupEvidence, key: string): boolean {
  const paths = evidence.paths.get(key);
  return paths !== undefined && paths.length > 0 && paths.every((p) => namespaceLoading(p, evidence.precision));
}
