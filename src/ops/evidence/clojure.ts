/**
 * Whether a lookup happened while Clojure loaded a namespace: the question prune asks of every
 * path for a Clojure function, and from it the verdict on an entry. Exact with a call tree; with
 * the caller only (traces.json) an approximation, see docs/evidence.md.
 */
import type { CallPath, Frame, LookupEvidence } from './types.js';

/**
 * With a call tree: a frame of RT.load, Compiler.load, an `__init` class's static initialiser, or
 * the runtime's own start (RT.doInit, from its static initialiser or clojure.main: it loads
 * clojure.core and looks for user.clj).
 */
export function loadingFrame(f: Frame): boolean {
  return (
    (f.method === 'load' && (f.className === 'clojure.lang.RT' || f.className === 'clojure.lang.Compiler')) ||
    (f.method === '<clinit>' && f.className.endsWith('__init')) ||
    (f.method === 'doInit' && f.className === 'clojure.lang.RT')
  );
}

/**
 * Frames that run no code of the function's own: the JDK, Clojure's runtime, its launcher
 * (clojure.main, when a trace runs the function from source) and clojure.core's functions
 * (`require`, `load`, `apply`), which only do what their caller asks.
 */
const MACHINERY = /^(?:(?:java|javax|jdk|sun|com\.sun)\.|clojure\.lang\.|clojure\.main(?:$|\$)|clojure\.core\$)/;

/** Where namespace loading starts in a tree path, and the frame that says when it ran. */
export interface LoadStart {
  /** The outermost loading frame. */
  readonly at: number;
  /**
   * The nearest frame above it that is a static initialiser (class initialisation: build time in
   * an image initialised at build time) or code of the function or its libraries (run time);
   * undefined when only the JVM's start and Clojure's machinery are above it (build time).
   */
  readonly decidedBy: number | undefined;
  /** The namespace loaded while the function ran (`requiring-resolve` in a handler): its entries are needed. */
  readonly atRunTime: boolean;
}

/** The start of namespace loading in a tree path; undefined when the path loads no namespace. */
export function loadStart(path: CallPath): LoadStart | undefined {
  const at = path.findIndex(loadingFrame);
  if (at < 0) return undefined;
  for (let i = at - 1; i >= 0; i--) {
    const f = path[i]!;
    if (f.method === '<clinit>') return { at, decidedBy: i, atRunTime: false };
    if (!MACHINERY.test(f.className)) return { at, decidedBy: i, atRunTime: true };
  }
  return { at, decidedBy: undefined, atRunTime: false };
}

/**
 * With the caller only: the runtime's loader (clojure.lang.RT), the compiler and its `*Expr`
 * classes, a namespace's `__init` class, and clojure.core's own `fn__N` (the top-level forms of
 * clojure.core that run as it loads).
 */
const LOADING_CALLER = /^(?:clojure\.lang\.RT|clojure\.lang\.Compiler(?:\$\w*Expr)?|.*__init|clojure\.core\$fn__\d+)$/;
/** The compiler itself: when it looked a class up, reflection on that class by the helpers below was most likely its own. */
const COMPILER_CALLER = /^clojure\.lang\.Compiler(?:\$\w*Expr)?$/;
/** Reflection helpers that both the compiler (at load) and running code call: they tell nothing by themselves. */
const AMBIGUOUS_CALLER = /^(?:clojure\.lang\.Reflector|clojure\.reflect\$.*)$/;
/** JDK code: the lookups it makes are its own business, not the function's. */
const JDK_CALLER = /^(?:java|javax|jdk|sun|com\.sun)\./;

/** The calling class of a caller-only path (caller, then the intercepted call); undefined when none is named. */
function callerOf(path: CallPath): string | undefined {
  return path.length >= 2 ? path[path.length - 2]!.className : undefined;
}

/**
 * Whether this lookup happened while a namespace was loading at build time. With a tree, loading
 * that the function's own code started outside a static initialiser (a `require` or
 * `requiring-resolve` in the handler) is run time: those lookups happen in the image too. An
 * empty path (caller unknown) is not loading.
 */
export function namespaceLoading(path: CallPath, precision: LookupEvidence['precision']): boolean {
  if (precision === 'tree') {
    const start = loadStart(path);
    return start !== undefined && !start.atRunTime;
  }
  const caller = callerOf(path);
  if (caller === undefined || !LOADING_CALLER.test(caller)) return false;
  // RT makes arrays for into-array while the function runs: Array.newInstance from RT is run time
  const asked = path[path.length - 1]!;
  return !(
    caller === 'clojure.lang.RT' &&
    asked.className === 'java.lang.reflect.Array' &&
    asked.method === 'newInstance'
  );
}

/** What an entry registers beyond its type, and whether it is an array: which lookups can explain it. */
export interface EntryShape {
  readonly fields: boolean;
  readonly methods: boolean;
  readonly constructors: boolean;
}

type Asked = 'type' | 'fields' | 'methods' | 'constructors';

const ASKED: Readonly<Record<string, Asked>> = {
  getField: 'fields',
  getDeclaredField: 'fields',
  getFields: 'fields',
  getDeclaredFields: 'fields',
  GetFieldID: 'fields',
  GetStaticFieldID: 'fields',
  getMethod: 'methods',
  getDeclaredMethod: 'methods',
  getMethods: 'methods',
  getDeclaredMethods: 'methods',
  invoke: 'methods',
  invokeMethod: 'methods',
  GetMethodID: 'methods',
  GetStaticMethodID: 'methods',
  getConstructor: 'constructors',
  getDeclaredConstructor: 'constructors',
  getConstructors: 'constructors',
  getDeclaredConstructors: 'constructors',
};

/**
 * Whether a lookup can explain part of the entry: asking for fields explains registered fields,
 * and so on; a lookup by name (or anything else) explains the type itself, which every entry has.
 */
function explains(path: CallPath, shape: EntryShape): boolean {
  const asked = ASKED[path[path.length - 1]?.method ?? ''] ?? 'type';
  return asked === 'type' || shape[asked];
}

/** What the evidence says of an entry: looked up only while namespaces loaded, at run time too, or nothing. */
export type EvidenceVerdict = 'loading' | 'runtime' | 'none';

/**
 * The verdict on an entry from the paths of its lookups. Only lookups that can explain part of
 * it count. With the caller only, lookups with no caller or a JDK caller say nothing, and the
 * reflection helpers (`clojure.lang.Reflector`, `clojure.reflect`) count as loading when they
 * reflect on the Clojure runtime's own classes or on a class the compiler looked up itself: the
 * compiler resolves interop through them. Elsewhere they count as run time.
 */
export function entryVerdict(
  paths: readonly CallPath[] | undefined,
  precision: LookupEvidence['precision'],
  shape: EntryShape,
  name: string,
): EvidenceVerdict {
  if (paths === undefined) return 'none';
  let relevant = paths.filter((p) => p.length > 0 && explains(p, shape));
  if (precision === 'caller') {
    relevant = relevant.filter((p) => !JDK_CALLER.test(callerOf(p) ?? 'java.'));
    const compilerLooked =
      name.startsWith('clojure.lang.') || paths.some((p) => COMPILER_CALLER.test(callerOf(p) ?? ''));
    const loading = (p: CallPath): boolean =>
      namespaceLoading(p, precision) || (compilerLooked && AMBIGUOUS_CALLER.test(callerOf(p)!));
    if (relevant.length === 0) return 'none';
    return relevant.every(loading) ? 'loading' : 'runtime';
  }
  if (relevant.length === 0) return 'none';
  return relevant.every((p) => namespaceLoading(p, precision)) ? 'loading' : 'runtime';
}

/** Whether every lookup of the entry with this key happened while namespaces loaded (false when there is none). */
export function onlyNamespaceLoading(evidence: LookupEvidence, key: string): boolean {
  const paths = evidence.paths.get(key);
  return paths !== undefined && paths.length > 0 && paths.every((p) => namespaceLoading(p, evidence.precision));
}

/**
 * A path as people read it: the frame that explains it (where loading started, the function's
 * code that started a run-time load, else the last frame outside the JDK and Clojure's
 * machinery), then the caller and what it asked for; `…` where frames were left out.
 */
export function pathSummary(path: CallPath): string[] {
  const text = path.map((f) => (f.method === '' ? f.className : `${f.className}#${f.method}`));
  if (text.length <= 4) return text;
  const start = loadStart(path);
  const anchor = start
    ? start.atRunTime
      ? start.decidedBy!
      : start.at
    : path.findLastIndex((f) => !MACHINERY.test(f.className));
  const tail = text.slice(-3);
  if (anchor < 0 || anchor >= text.length - 3) return ['…', ...tail];
  return anchor === text.length - 4 ? text.slice(anchor) : [text[anchor]!, '…', ...tail];
}
