/**
 * What the class path holds, as prune needs it: which classes and resources exist (for stale
 * entries, N15, and for telling AOT-compiled namespaces, whose `__init.class` is there, from
 * those that would load from source), and which JDK classes exist. Pure: io/classpath.ts lists
 * the jars and directories, and the JDK's classes.
 */

/** One class path element as listed: its entries (`a/b/C.class`, `a/b/config.edn`). */
export interface ClasspathElement {
  /** The jar or directory, as the user or the command line named it. */
  readonly source: string;
  readonly entries: readonly string[];
}

export interface ClasspathIndex {
  /** Every class on the class path, in Java form (`a.b.C$D`). */
  readonly classes: ReadonlySet<string>;
  /** Every entry on the class path (class files included), as a resource path. */
  readonly resources: ReadonlySet<string>;
  /** The JDK's classes, when known; stale entries are told only then. */
  readonly jdk: ReadonlySet<string> | undefined;
  /** The elements, for messages. */
  readonly sources: readonly string[];
}

/** The resource path of a multi-release jar entry as the JVM sees it (`META-INF/versions/17/a/B.class` → `a/B.class`). */
function unversioned(entry: string): string {
  const m = /^META-INF\/versions\/\d+\/(.*)$/.exec(entry);
  return m ? m[1]! : entry;
}

/** Indexes listed class path elements (and the JDK's class names, when known). */
export function classpathIndex(elements: readonly ClasspathElement[], jdk?: Iterable<string>): ClasspathIndex {
  const classes = new Set<string>();
  const resources = new Set<string>();
  for (const e of elements) {
    for (const raw of e.entries) {
      if (raw.endsWith('/')) continue;
      const entry = unversioned(raw);
      resources.add(entry);
      if (entry.endsWith('.class') && entry !== 'module-info.class' && !entry.endsWith('/module-info.class'))
        classes.add(entry.slice(0, -'.class'.length).replaceAll('/', '.'));
    }
  }
  return {
    classes,
    resources,
    jdk: jdk === undefined ? undefined : new Set(jdk),
    sources: elements.map((e) => e.source),
  };
}

const PRIMITIVES = new Set(['boolean', 'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'void']);

/** The element class of an array name (`a.B[][]` → `a.B`); the name itself otherwise. */
function elementClass(name: string): string {
  let end = name.length;
  while (end >= 2 && name.endsWith('[]', end)) end -= 2;
  return name.slice(0, end);
}

/**
 * Whether a class the metadata names exists neither on the class path nor in the JDK. Unknown
 * (false) without the JDK's list; primitives, hidden classes and runtime-made proxies never are.
 */
export function isStale(name: string, index: ClasspathIndex): boolean {
  if (index.jdk === undefined) return false;
  const c = elementClass(name);
  if (PRIMITIVES.has(c) || c.includes('$$Lambda') || c.includes('/0x') || /\$Proxy\d+$/.test(c)) return false;
  return !index.classes.has(c) && !index.jdk.has(c);
}

/** The warning that names stale entries (N15), none when there are none or --drop-stale removed them. */
export function staleWarning(stale: readonly { readonly entry: string }[], dropped: boolean | undefined): string[] {
  if (stale.length === 0 || dropped) return [];
  const names = stale.slice(0, 5).map((x) => x.entry);
  return [
    `${stale.length} ${stale.length === 1 ? 'entry names a class' : 'entries name classes'} that neither the class path nor the JDK has (N15): ${names.join(', ')}${stale.length > 5 ? ', …' : ''}; --drop-stale removes them`,
  ];
}

/**
 * The namespace an N1/N2 entry belongs to, as a path (`a.b-c__init` → `a/b_c`, `a/b_c.clj` →
 * `a/b_c`), or undefined when the entry is not one of a namespace.
 */
export function namespacePathOf(name: string): string | undefined {
  if (name.endsWith('__init')) return name.slice(0, -'__init'.length).replaceAll('.', '/');
  const m = /^(.*?)(?:__init\.class|\.cljc?|\.cljs)$/.exec(name);
  return m?.[1];
}

/** Whether a namespace (a path from {@link namespacePathOf}) is AOT-compiled: its `__init.class` is on the class path. */
export function compiledNamespace(path: string, index: ClasspathIndex): boolean {
  return index.resources.has(`${path}__init.class`);
}
