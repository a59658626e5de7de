/**
 * The sections registry: every list a {@link ConfigSet} holds, with how to name, key, count and
 * rebuild its entries. Counting, rules, the prune loop and diff all go through this one table, so a
 * new kind of metadata is one row here plus the `satisfies Record<Part, …>` tables that the
 * compiler then asks for (ops/diff.ts, ops/prune).
 */
import {
  KIND_RANK,
  firstNotBefore,
  isBuiltList,
  isNameOnly,
  typeKey,
  typeLabel,
  type BundleEntry,
  type ConfigBuilder,
  type ConfigSet,
  type LambdaCapturingEntry,
  type ResourceEntry,
  type SerializationEntry,
  type TypeEntry,
  type TypeRef,
} from './model.js';

import { SECTION_NAMES, type Section } from './section-names.js';

export { SECTIONS, SECTION_NAMES, type Section } from './section-names.js';

/** A predefined class: one class of a predefined-classes entry. */
export interface PredefinedClass {
  readonly type: string;
  readonly hash: string;
  readonly nameInfo: string;
}

/** One entry of any part as rules, prune and diff see it. */
export interface Item {
  readonly part: Part;
  readonly section: Section;
  /** Identity within the part: what merge keys the entry by. */
  readonly key: string;
  /** The entry without its condition: an entry that moves between conditions keeps it. */
  readonly base: string;
  /** Readable, one line: `a.B`, `a.B (if c.D)`, `regex .*\.xml`, `exclude x/y`. */
  readonly label: string;
  /** Class name of the condition; '' when unconditional. */
  readonly condition: string;
  /** Class names that class rules match: the type, a proxy's interfaces, a lambda's declaring class. */
  readonly classNames: readonly string[];
  /** Resource path or pattern, or bundle name, that text rules match. */
  readonly text: string | undefined;
  /** Registers the type (or resource) and nothing more. */
  readonly nameOnly: boolean;
}

interface PartDef<E> {
  /** The user-facing section the part belongs to. */
  readonly section: Section;
  /** Whether prune rules judge its entries (excludes and predefined classes are carried as they are). */
  readonly prunable: boolean;
  readonly entries: (set: ConfigSet) => readonly E[];
  readonly item: (e: E) => Omit<Item, 'part' | 'section'>;
  /** Adds the entry to a set being built (the prune loop keeps entries this way). */
  readonly add: (builder: ConfigBuilder, e: E) => void;
}

/** `text`, or `text (if Condition)`: the one way an entry's label shows its condition. */
export function withCondition(text: string, condition: string): string {
  return condition === '' ? text : `${text} (if ${condition})`;
}

/** The class names a type descriptor stands for when rules match it. */
export function classNamesOf(type: TypeRef): readonly string[] {
  switch (type.kind) {
    case 'class':
      return [type.name];
    case 'proxy':
      return type.interfaces;
    case 'lambda':
      return [type.declaringClass];
  }
}

/** Key of a type entry (reflection, proxies, JNI) in its part. */
export function typeItemKey(condition: string, type: TypeRef): string {
  return `${condition}\u0000${typeKey(type)}`;
}

/** Key of a resource include or exclude in its part. */
export function resourceItemKey(r: Pick<ResourceEntry, 'condition' | 'module' | 'kind' | 'value'>): string {
  return `${r.condition}\u0000${r.module}\u0000${r.kind}\u0000${r.value}`;
}

/** Key of a serialization entry in its part. */
export function serializationItemKey(condition: string, type: TypeRef, customTargetConstructorClass: string): string {
  return `${condition}\u0000${typeKey(type)}\u0000${customTargetConstructorClass}`;
}

/** Key of a lambda-capturing type in its part. */
export function lambdaItemKey(condition: string, name: string): string {
  return `${condition}\u0000${name}`;
}

/** Key of a bundle in its part. */
export function bundleItemKey(condition: string, module: string, name: string): string {
  return `${condition}\u0000${module}\u0000${name}`;
}

function typeItem(t: TypeEntry): Omit<Item, 'part' | 'section'> {
  return {
    key: typeItemKey(t.condition, t.type),
    base: typeKey(t.type),
    label: withCondition(typeLabel(t.type), t.condition),
    condition: t.condition,
    classNames: classNamesOf(t.type),
    text: undefined,
    nameOnly: isNameOnly(t),
  };
}

function resourceLabel(r: ResourceEntry, exclude: boolean): string {
  return `${exclude ? 'exclude ' : ''}${r.kind === 'glob' ? '' : 'regex '}${r.module ? `${r.module}:` : ''}${r.value}`;
}

function resourceItem(r: ResourceEntry, exclude: boolean): Omit<Item, 'part' | 'section'> {
  const base = resourceLabel(r, exclude);
  return {
    key: resourceItemKey(r),
    base,
    label: withCondition(base, r.condition),
    condition: r.condition,
    classNames: [],
    text: r.value,
    nameOnly: true,
  };
}

function part<E>(def: PartDef<E>): PartDef<E> {
  return def;
}

const isProxy = (t: TypeEntry): boolean => t.type.kind === 'proxy';

/**
 * Every list of a config set, in the order they are shown. `foreign` and the file comment are
 * carried whole and are not entries.
 */
export const PARTS = {
  reflection: part<TypeEntry>({
    section: 'reflection',
    prunable: true,
    entries: (set) => {
      const list = set.reflection;
      const range = proxyRange(list);
      if (range === undefined) return list.filter((t) => !isProxy(t));
      return range[0] === range[1] ? list.slice() : list.slice(0, range[0]).concat(list.slice(range[1]));
    },
    item: typeItem,
    add: (b, t) => void b.addType('reflection', t),
  }),
  jni: part<TypeEntry>({
    section: 'jni',
    prunable: true,
    entries: (set) => set.jni,
    item: typeItem,
    add: (b, t) => void b.addType('jni', t),
  }),
  proxies: part<TypeEntry>({
    section: 'proxies',
    prunable: true,
    entries: (set) => {
      const range = proxyRange(set.reflection);
      return range === undefined ? set.reflection.filter(isProxy) : set.reflection.slice(...range);
    },
    item: typeItem,
    add: (b, t) => void b.addType('reflection', t),
  }),
  serialization: part<SerializationEntry>({
    section: 'serialization',
    prunable: true,
    entries: (set) => set.serialization,
    item: (s) => {
      const base = typeLabel(s.type) + (s.customTargetConstructorClass ? ` via ${s.customTargetConstructorClass}` : '');
      return {
        key: serializationItemKey(s.condition, s.type, s.customTargetConstructorClass),
        base,
        label: withCondition(base, s.condition),
        condition: s.condition,
        classNames: classNamesOf(s.type),
        text: undefined,
        nameOnly: true,
      };
    },
    add: (b, s) => void b.addSerialization(s),
  }),
  lambdaCapturing: part<LambdaCapturingEntry>({
    section: 'serialization',
    prunable: true,
    entries: (set) => set.lambdaCapturing,
    item: (l) => ({
      key: lambdaItemKey(l.condition, l.name),
      base: `lambda-capturing ${l.name}`,
      label: withCondition(`lambda-capturing ${l.name}`, l.condition),
      condition: l.condition,
      classNames: [l.name],
      text: undefined,
      nameOnly: true,
    }),
    add: (b, l) => void b.addLambdaCapturing(l.condition, l.name),
  }),
  resources: part<ResourceEntry>({
    section: 'resources',
    prunable: true,
    entries: (set) => set.resources,
    item: (r) => resourceItem(r, false),
    add: (b, r) => void b.addResource(r),
  }),
  resourceExcludes: part<ResourceEntry>({
    section: 'resources',
    prunable: false,
    entries: (set) => set.resourceExcludes,
    item: (r) => resourceItem(r, true),
    add: (b, r) => void b.addResource(r, true),
  }),
  bundles: part<BundleEntry>({
    section: 'bundles',
    prunable: true,
    entries: (set) => set.bundles,
    item: (e) => {
      const base = `${e.module ? `${e.module}:` : ''}${e.name}`;
      return {
        key: bundleItemKey(e.condition, e.module, e.name),
        base,
        label: withCondition(base, e.condition),
        condition: e.condition,
        classNames: [],
        text: e.name,
        nameOnly: e.locales.length === 0 && e.classNames.length === 0,
      };
    },
    add: (b, e) => void b.addBundle(e),
  }),
  predefined: part<PredefinedClass>({
    section: 'predefined',
    prunable: false,
    entries: (set) => set.predefined.flatMap((p) => p.classes.map((c) => ({ type: p.type, ...c }))),
    item: (c) => ({
      key: `${c.type}\u0000${c.hash}`,
      base: c.nameInfo || c.hash,
      label: c.nameInfo || c.hash,
      condition: '',
      classNames: c.nameInfo ? [c.nameInfo] : [],
      text: undefined,
      nameOnly: true,
    }),
    add: (b, c) => b.addPredefined(c.type, [c]),
  }),
} as const;

export type Part = keyof typeof PARTS;
export const PART_NAMES = Object.keys(PARTS) as Part[];

/** The entry type of a part. */
export type PartEntry<P extends Part> = (typeof PARTS)[P] extends PartDef<infer E> ? E : never;

/** The entries of one part of a set. */
export function partEntries<P extends Part>(set: ConfigSet, p: P): readonly PartEntry<P>[] {
  return (PARTS[p] as unknown as PartDef<PartEntry<P>>).entries(set);
}

/** The item view of one entry of a part. */
export function itemOf<P extends Part>(p: P, e: PartEntry<P>): Item {
  const def = PARTS[p] as unknown as PartDef<PartEntry<P>>;
  return { part: p, section: def.section, ...def.item(e) };
}

/** Adds an entry of a part to a set being built. */
export function addEntry<P extends Part>(builder: ConfigBuilder, p: P, e: PartEntry<P>): void {
  (PARTS[p] as unknown as PartDef<PartEntry<P>>).add(builder, e);
}

/**
 * Where the proxies of a built reflection list are, [from, to); undefined for any other list. A
 * built list holds classes, then proxies, then lambdas, so two binary searches tell without
 * touching every entry (a walk of the 200 MB merge's 841,549 entries after its emit took 180 ms,
 * a cache miss each; a diff of two such lists walked each twice, for its reflection and its
 * proxies, 0.4 s in all).
 */
function proxyRange(list: readonly TypeEntry[]): [number, number] | undefined {
  if (!isBuiltList(list)) return undefined;
  // the first index whose entry's kind ranks at least `r`
  const firstOf = (r: number): number => firstNotBefore(list, (t) => KIND_RANK[t.type.kind] < r);
  return [firstOf(KIND_RANK.proxy), firstOf(KIND_RANK.lambda)];
}

/** How many entries of a reflection list are proxies. */
function proxyCount(list: readonly TypeEntry[]): number {
  const range = proxyRange(list);
  if (range !== undefined) return range[1] - range[0];
  let n = 0;
  for (const t of list) if (isProxy(t)) n++;
  return n;
}

/** Number of entries per section, for summaries and the `--json` `entries` objects. */
export function countEntries(set: ConfigSet): Record<Section, number> {
  const counts = Object.fromEntries(SECTION_NAMES.map((s) => [s, 0])) as Record<Section, number>;
  // reflection and proxies share one list: counted in one pass, without filtering copies of it
  const proxies = proxyCount(set.reflection);
  counts[PARTS.reflection.section] += set.reflection.length - proxies;
  counts[PARTS.proxies.section] += proxies;
  for (const p of PART_NAMES)
    if (p !== 'reflection' && p !== 'proxies') counts[PARTS[p].section] += partEntries(set, p).length;
  return counts;
}
