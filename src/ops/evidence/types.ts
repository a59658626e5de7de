/**
 * The neutral shape of lookup evidence: for each metadata entry the agent recorded, every call
 * path that led to a lookup of it. Prune reads it to tell namespace-loading noise from lookups
 * that application or library code makes at run time. docs/evidence.md says where it comes from.
 */
import type { ConfigSet } from '../../model/model.js';
import { PART_NAMES, itemOf, partEntries } from '../../model/sections.js';

/** The parts of a config set evidence is about (the prune rules' sections). */
export const EVIDENCE_SECTIONS = ['reflection', 'jni', 'proxies', 'serialization', 'resources', 'bundles'] as const;
export type EvidenceSection = (typeof EVIDENCE_SECTIONS)[number];

/** One frame: a class in Java form (`clojure.lang.RT`, `hello.core$handle`) and a method name (`load`, `<clinit>`). */
export interface Frame {
  readonly className: string;
  /** '' when the source gives no method (traces.json names only the calling class). */
  readonly method: string;
}

/**
 * Frames from the outermost (thread start) to the frame that made the lookup. With `tree`
 * precision the last frame is the intercepted method itself (`java.lang.Class.forName`,
 * `java.lang.ClassLoader.getResource`), as the agent records the stack; with `caller` precision
 * the path is the one calling class, or empty when the trace names no caller.
 */
export type CallPath = readonly Frame[];

/** Per metadata entry: every call path that led to a lookup of it. */
export interface LookupEvidence {
  /**
   * key: `${section}\u0000${name}` (see {@link evidenceKey}); name in Java form for classes
   * (`java.lang.String[]`), the interfaces joined by `,` for proxies, the resource path for
   * resources (the pattern itself when it is not one quoted literal), the base name for bundles.
   */
  readonly paths: ReadonlyMap<string, readonly CallPath[]>;
  /** 'tree' (a full call path per lookup) or 'caller' (one frame: traces.json) */
  readonly precision: 'tree' | 'caller';
}

/** The key of an entry in {@link LookupEvidence.paths}. */
export function evidenceKey(section: EvidenceSection, name: string): string {
  return `${section}\u0000${name}`;
}

/** The key the evidence has an entry under (the prune rules' view of it), or undefined for predefined classes. */
export function evidenceKeyOf(item: {
  readonly section: string;
  readonly text: string | undefined;
  readonly classNames: readonly string[];
}): string | undefined {
  if (!(EVIDENCE_SECTIONS as readonly string[]).includes(item.section)) return undefined;
  return evidenceKey(item.section as EvidenceSection, item.text ?? item.classNames.join(','));
}

/** The keys of a set's entries that evidence can be about, in the set's order. */
export function evidenceKeysOf(set: ConfigSet): string[] {
  const keys: string[] = [];
  for (const p of PART_NAMES)
    for (const e of partEntries(set, p)) {
      const key = evidenceKeyOf(itemOf(p, e as never));
      if (key !== undefined) keys.push(key);
    }
  return keys;
}

/** The section and name of a key made by {@link evidenceKey}. */
export function splitEvidenceKey(key: string): { section: EvidenceSection; name: string } {
  const i = key.indexOf('\u0000');
  return { section: key.slice(0, i) as EvidenceSection, name: key.slice(i + 1) };
}

/** Collects paths per key, each distinct path once, sharing equal frames. */
export class EvidenceBuilder {
  private readonly paths = new Map<string, CallPath[]>();
  private readonly seen = new Map<string, Set<string>>();
  private readonly frames = new Map<string, Frame>();

  constructor(private readonly precision: 'tree' | 'caller') {}

  /** The one shared object for a frame. */
  frame(className: string, method: string): Frame {
    const k = `${className}#${method}`;
    let f = this.frames.get(k);
    if (f === undefined) this.frames.set(k, (f = { className, method }));
    return f;
  }

  add(section: EvidenceSection, name: string, path: CallPath): void {
    const key = evidenceKey(section, name);
    const pathKey = path.map((f) => `${f.className}#${f.method}`).join('\n');
    let seen = this.seen.get(key);
    if (seen === undefined) {
      this.seen.set(key, (seen = new Set()));
      this.paths.set(key, []);
    }
    if (seen.has(pathKey)) return;
    seen.add(pathKey);
    this.paths.get(key)!.push(path);
  }

  build(): LookupEvidence {
    return { paths: this.paths, precision: this.precision };
  }
}
