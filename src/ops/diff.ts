/**
 * Semantic diff of two config sets: independent of file format and order. Reports per section
 * what was added, removed or changed (flags, member access, members, bundle locales), entries
 * that moved from one condition to another, and marks the changes that broaden what the image
 * allows. Every part of a set is compared through the sections registry; the table below says
 * how each part's entries differ and what risks they carry.
 */
import { emitUnified } from '../model/emit/index.js';
import { kindOfFileName } from '../model/kinds.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  compareStrings,
  compareTypeEntries,
  inTypeOrder,
  isBuiltList,
  methodKey,
  typeKey,
  type BundleEntry,
  type ConfigSet,
  type ResourceEntry,
  type SerializationEntry,
  type TypeEntry,
  type TypeRef,
} from '../model/model.js';
import { parseDocument } from '../model/parse/index.js';
import type { Attribution } from './evidence/file.js';
import type { Risk } from './risks.js';
import {
  PART_NAMES,
  SECTION_NAMES,
  itemOf,
  partEntries,
  type Item,
  type Part,
  type PartEntry,
  type Section,
} from '../model/sections.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface Change {
  readonly section: Section;
  readonly kind: ChangeKind;
  /** The entry, readable: `a.B`, `a.B (if c.D)`, `**\/*.xml`. */
  readonly entry: string;
  /** The condition of the entry (in the new set, for a move); '' when unconditional. */
  readonly condition: string;
  /** For locating a type entry in the new files: its condition and type key. */
  readonly key: { readonly condition: string; readonly type: string } | undefined;
  /** What changed, one line each (`+ allDeclaredMethods`, `- method run()`). */
  readonly details: readonly string[];
  readonly risks: readonly Risk[];
  /** Where the entry is in the new files, when the caller could tell. */
  readonly location?: { readonly file: string; readonly line: number };
  /** For an added entry: the event that first needed it, when the new side's evidence records it (trace --attribute). */
  readonly neededBy?: Attribution;
}

export type SectionStat = {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly moved: number;
};

export interface DiffResult {
  readonly changes: readonly Change[];
  readonly stat: Record<Section, SectionStat>;
}

/** Where an entry of the new side is; undefined when not known. */
export type Locate = (part: Part, key: string) => { file: string; line: number } | undefined;
/** The event that first needed an entry of the new side, when known. */
export type Attribute = (item: Item) => Attribution | undefined;

const SENSITIVE = [
  'java.lang.reflect.',
  'java.lang.invoke.',
  'sun.misc.',
  'jdk.internal.',
  'sun.reflect.',
  'javax.crypto.',
  'java.security.',
  'sun.security.',
  'com.sun.crypto.',
  'javax.net.ssl.',
  'java.lang.ProcessBuilder',
  'java.lang.Runtime',
  'java.lang.ClassLoader',
  'java.lang.System',
];

/**
 * A name in a package of {@link SENSITIVE} (a prefix ending in `.`), or one of its classes or a
 * class nested in one: one regular expression, not a loop over the list for each name.
 */
const SENSITIVE_NAME = new RegExp(
  `^(?:${SENSITIVE.map((p) => {
    const text = p.replace(/[.$]/g, (c) => `\\${c}`);
    return p.endsWith('.') ? text : `${text}(?:$|\\$)`;
  }).join('|')})`,
);

function sensitive(t: TypeRef): boolean {
  if (t.kind === 'class') return SENSITIVE_NAME.test(t.name);
  if (t.kind === 'proxy') return t.interfaces.some((n) => SENSITIVE_NAME.test(n));
  return SENSITIVE_NAME.test(t.declaringClass);
}

const FLAG_RISK = new Set(['allDeclaredFields', 'allPublicFields']);

/** Flags, access levels and members of a type entry as comparable lines. */
function typeFacets(t: TypeEntry): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of t.flags) out.set(`flag:${f}`, f);
  for (const g of MEMBER_GROUP_NAMES) {
    if (t.groups[g] === Access.Accessed) out.set(`group:${g}`, MEMBER_GROUPS[g].accessed);
    else if (t.groups[g] === Access.Queried) out.set(`group:${g}`, MEMBER_GROUPS[g].queried);
  }
  for (const m of t.methods)
    out.set(
      `method:${methodKey(m.name, m.params)}`,
      `${m.access === Access.Queried ? 'queried ' : ''}method ${methodKey(m.name, m.params)}`,
    );
  for (const f of t.fields)
    out.set(
      `field:${f.name}`,
      `field ${f.name}${f.allowWrite ? ' (write)' : ''}${f.allowUnsafeAccess ? ' (unsafe)' : ''}`,
    );
  return out;
}

function bundleFacets(b: BundleEntry): Map<string, string> {
  return new Map([
    ...b.locales.map((l) => [`locale:${l}`, `locale ${l}`] as const),
    ...b.classNames.map((c) => [`class:${c}`, `class ${c}`] as const),
  ]);
}

/**
 * The risks of a type entry that is new (`whole`) or gained `gained` facets. `all*` at the
 * accessed level grants every member of a kind; `queryAll*` only lets them be listed.
 */
function typeRisks(part: Part, t: TypeEntry, gained: ReadonlySet<string>, whole: boolean): Risk[] {
  const risks = new Set<Risk>();
  for (const g of gained) {
    if (g.startsWith('flag:')) {
      const name = g.slice(5);
      if (FLAG_RISK.has(name)) risks.add('all-flag');
      if (name === 'unsafeAllocated') risks.add('unsafe-allocated');
    } else if (g.startsWith('group:') && t.groups[g.slice(6) as keyof typeof t.groups] === Access.Accessed) {
      risks.add('all-flag');
    }
  }
  if (part === 'jni' && (whole || gained.size > 0)) risks.add('jni');
  if (whole && part === 'proxies') risks.add('proxy');
  if (sensitive(t.type) && (whole || gained.size > 0)) risks.add('sensitive-package');
  return [...risks];
}

/** Resource globs and regexes that match much more than one path. */
export function broadResource(kind: 'glob' | 'regex', value: string): boolean {
  if (kind === 'glob') return value.includes('**') || /(^|\/)\*(\/|$|\.)/.test(value) || value === '*';
  return value.includes('.*') || value.includes('.+') || value === '.';
}

/** How the entries of one part compare. */
interface Differ<E> {
  /** Comparable facets of an entry (flags, members, locales); none for entries that are only there or not. */
  readonly facets?: (e: E) => Map<string, string>;
  /** The risks of an entry that is new (`whole`), or that gained these facets. */
  readonly risks: (e: E, gained: ReadonlySet<string>, whole: boolean) => Risk[];
}

const none = (): Risk[] => [];
const typeDiffer = (part: Part): Differ<TypeEntry> => ({
  facets: typeFacets,
  risks: (t, gained, whole) => typeRisks(part, t, gained, whole),
});

const DIFFERS: { readonly [P in Part]: Differ<PartEntry<P>> } = {
  reflection: typeDiffer('reflection'),
  jni: typeDiffer('jni'),
  proxies: typeDiffer('proxies'),
  serialization: {
    risks: (s: SerializationEntry, _g, whole) =>
      whole ? ['serializable', ...(sensitive(s.type) ? (['sensitive-package'] as const) : [])] : [],
  },
  lambdaCapturing: { risks: (_l, _g, whole) => (whole ? ['serializable'] : []) },
  resources: {
    risks: (r: ResourceEntry, _g, whole) => (whole && broadResource(r.kind, r.value) ? ['broad-resource'] : []),
  },
  resourceExcludes: { risks: none },
  bundles: { facets: bundleFacets, risks: none },
  predefined: { risks: none },
};

function typeKeyOf(part: Part, e: unknown): Change['key'] {
  if (part !== 'reflection' && part !== 'jni' && part !== 'proxies') return undefined;
  const t = e as TypeEntry;
  return { condition: t.condition, type: typeKey(t.type) };
}

function diffPart<P extends Part>(
  p: P,
  before: ConfigSet,
  after: ConfigSet,
  locate: Locate | undefined,
  attribute: Attribute | undefined,
  out: Change[],
): void {
  const differ = DIFFERS[p] as Differ<PartEntry<P>>;
  const types = p === 'reflection' || p === 'jni' || p === 'proxies';
  // a built set's type lists are in the canonical order: nothing to check
  const ordered = (set: ConfigSet): boolean => isBuiltList(set.reflection) && isBuiltList(set.jni);
  const olds = partEntries(before, p);
  const nows = partEntries(after, p);
  const inOrder =
    types &&
    ((ordered(before) && ordered(after)) ||
      (inTypeOrder(olds as readonly TypeEntry[]) && inTypeOrder(nows as readonly TypeEntry[])));
  const pairs = matchEntries(p, olds, nows, inOrder ? 'in-order' : 'by-key');
  const facets = (e: PartEntry<P>): Map<string, string> => differ.facets?.(e) ?? new Map();
  const change = (kind: ChangeKind, item: Item, e: PartEntry<P>, details: string[], risks: Risk[]): void => {
    const location = kind === 'removed' ? undefined : locate?.(p, item.key);
    const neededBy = kind === 'added' ? attribute?.(item) : undefined;
    out.push({
      section: item.section,
      kind,
      entry: item.label,
      condition: item.condition,
      key: kind === 'removed' ? undefined : typeKeyOf(p, e),
      details,
      risks,
      ...(location ? { location } : {}),
      ...(neededBy ? { neededBy } : {}),
    });
  };
  const compare = (a: PartEntry<P>, b: PartEntry<P>): { gained: Set<string>; details: string[] } => {
    const fa = facets(a);
    const fb = facets(b);
    const gained = new Set([...fb.keys()].filter((x) => fa.get(x) !== fb.get(x)));
    const lost = [...fa.keys()].filter((x) => fb.get(x) !== fa.get(x));
    return { gained, details: [...[...gained].map((x) => `+ ${fb.get(x)}`), ...lost.map((x) => `- ${fa.get(x)}`)] };
  };

  for (const [a, b] of pairs.both) {
    // the same flags, groups and members make the same facets: nothing to compare
    if (types && sameTypeFacets(a as TypeEntry, b as TypeEntry)) continue;
    const { gained, details } = compare(a, b);
    if (details.length > 0) change('changed', itemOf(p, b), b, details, differ.risks(b, gained, false));
  }
  const { added, removed } = pairs;

  // The same entry leaving one condition and arriving under another is a move.
  const removedByBase = new Map<string, Slot<PartEntry<P>>[]>();
  for (const r of removed) removedByBase.set(r.item.base, [...(removedByBase.get(r.item.base) ?? []), r]);
  const moved = new Set<Slot<PartEntry<P>>>();
  for (const b of added) {
    // (under the same condition it is no move: something else of the entry changed its key)
    const from = removedByBase.get(b.item.base)?.find((r) => !moved.has(r) && r.item.condition !== b.item.condition);
    if (from === undefined) {
      const all = facets(b.e);
      change(
        'added',
        b.item,
        b.e,
        [...all.values()].map((v) => `+ ${v}`),
        differ.risks(b.e, new Set(all.keys()), true),
      );
      continue;
    }
    moved.add(from);
    const { gained, details } = compare(from.e, b.e);
    // an entry without facets is all it is: it carries its risks wherever it goes
    const risks = differ.risks(b.e, gained, differ.facets === undefined);
    // an entry that leaves its condition applies everywhere now
    // (the parts whose entries name a type descriptor; a predefined class's `type` is its origin)
    const type = types || p === 'serialization' ? (b.e as { type: TypeRef }).type : undefined;
    if (b.item.condition === '' && type !== undefined && sensitive(type) && !risks.includes('sensitive-package'))
      risks.push('sensitive-package');
    const where = `condition: ${from.item.condition || 'none'} → ${b.item.condition || 'none'}`;
    change('moved', b.item, b.e, [where, ...details], risks);
  }
  for (const r of removed) if (!moved.has(r)) change('removed', r.item, r.e, [], []);
}

/**
 * The entries of a part on both sides: those only after, those only before (each in its side's
 * order), and the pairs.
 */
export interface Matched<E> {
  readonly added: Slot<E>[];
  readonly removed: Slot<E>[];
  readonly both: [E, E][];
}

/**
 * The entries of both sides matched by item key. Type entries in one canonical order on both
 * sides ({@link compareTypeEntries}, which tells entries apart exactly as their item key does;
 * a built set's are) are matched `in-order`: in one walk along both lists, with no key text and
 * no index of either side. Other lists are matched `by-key`, through an index of their keys.
 */
export function matchEntries<P extends Part>(
  p: P,
  olds: readonly PartEntry<P>[],
  nows: readonly PartEntry<P>[],
  how: 'in-order' | 'by-key',
): Matched<PartEntry<P>> {
  const added: Slot<PartEntry<P>>[] = [];
  const removed: Slot<PartEntry<P>>[] = [];
  const both: [PartEntry<P>, PartEntry<P>][] = [];
  if (how === 'in-order') {
    const a = olds as readonly TypeEntry[];
    let i = 0;
    for (const e of nows) {
      const b = e as TypeEntry;
      let order = -1;
      while (i < a.length && (order = compareTypeEntries(a[i]!, b)) < 0) removed.push(new Slot(p, olds[i++]!));
      if (i < a.length && order === 0) both.push([olds[i++]!, e]);
      else added.push(new Slot(p, e));
    }
    for (; i < a.length; i++) removed.push(new Slot(p, olds[i]!));
    return { added, removed, both };
  }
  const index = (list: readonly PartEntry<P>[]): Map<string, Slot<PartEntry<P>>> => {
    const m = new Map<string, Slot<PartEntry<P>>>();
    for (const e of list) {
      const slot = new Slot(p, e);
      m.set(slot.item.key, slot);
    }
    return m;
  };
  const old = index(olds);
  const now = index(nows);
  for (const [k, b] of now) {
    const a = old.get(k);
    if (a === undefined) added.push(b);
    else both.push([a.e, b.e]);
  }
  for (const [k, a] of old) if (!now.has(k)) removed.push(a);
  return { added, removed, both };
}

/** An entry of one side, and its item, made when first asked for. */
export class Slot<E> {
  private made: Item | undefined;
  constructor(
    private readonly part: Part,
    readonly e: E,
  ) {}
  get item(): Item {
    return (this.made ??= itemOf(this.part, this.e as PartEntry<Part>));
  }
}

/**
 * Whether two type entries certainly have the same facets (`typeFacets`): the same flags,
 * groups, and the same methods and fields in the same order. False says only that they may differ.
 */
function sameTypeFacets(a: TypeEntry, b: TypeEntry): boolean {
  if (a === b) return true;
  if (a.flags.size !== b.flags.size || a.methods.length !== b.methods.length || a.fields.length !== b.fields.length)
    return false;
  for (const f of a.flags) if (!b.flags.has(f)) return false;
  for (const g of MEMBER_GROUP_NAMES) if (a.groups[g] !== b.groups[g]) return false;
  for (let i = 0; i < a.methods.length; i++) {
    const x = a.methods[i]!;
    const y = b.methods[i]!;
    if (x !== y && (x.name !== y.name || x.access !== y.access || !sameParams(x.params, y.params))) return false;
  }
  for (let i = 0; i < a.fields.length; i++) {
    const x = a.fields[i]!;
    const y = b.fields[i]!;
    if (x !== y && (x.name !== y.name || x.allowWrite !== y.allowWrite || x.allowUnsafeAccess !== y.allowUnsafeAccess))
      return false;
  }
  return true;
}

function sameParams(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The differences from `before` to `after`; `locate` places the new side's entries for annotations. */
export function diffSets(before: ConfigSet, after: ConfigSet, locate?: Locate, attribute?: Attribute): DiffResult {
  const changes: Change[] = [];
  for (const p of PART_NAMES) diffPart(p, before, after, locate, attribute, changes);
  const ordered = inReviewOrder(changes);
  const stat = Object.fromEntries(
    SECTION_NAMES.map((s) => [s, { added: 0, removed: 0, changed: 0, moved: 0 }]),
  ) as Record<Section, { added: number; removed: number; changed: number; moved: number }>;
  for (const c of ordered) stat[c.section][c.kind]++;
  return { changes: ordered, stat };
}

/**
 * Changes in the order a reviewer reads them: those with risks first, then by section (in the
 * registry's order), entry and kind. Each change's rank (risks and section) is worked out once,
 * not in every comparison: a command's code runs mostly in V8's interpreter, where a comparator
 * that looked the sections up took 5 ms of a hibernate-core diff.
 */
function inReviewOrder(changes: readonly Change[]): Change[] {
  const sections = new Map(SECTION_NAMES.map((s, i) => [s, i]));
  const ranks = changes.map((c) => (c.risks.length > 0 ? 0 : SECTION_NAMES.length) + sections.get(c.section)!);
  const order = changes.map((_, i) => i);
  order.sort(
    (i, j) =>
      ranks[i]! - ranks[j]! ||
      compareStrings(changes[i]!.entry, changes[j]!.entry) ||
      compareStrings(changes[i]!.kind, changes[j]!.kind),
  );
  return order.map((i) => changes[i]!);
}

/**
 * A set as reachability-metadata.json expresses it: queried members and queryAll* flags implied,
 * JNI and reflection sharing one entry per type. Diffing two sets of which one was written in
 * that format compares both this way, so that a conversion alone shows no difference.
 */
export function unifiedView(set: ConfigSet): ConfigSet {
  // read back from the emitted values themselves: a text round trip would only cost time
  const builder = new ConfigBuilder();
  for (const [name, value] of emitUnified(set).files) {
    const kind = kindOfFileName(name);
    if (kind !== undefined) parseDocument(kind, value, name, builder);
  }
  return builder.build();
}
