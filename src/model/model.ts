/**
 * The canonical config-set model. Every on-disk form is parsed into it and
 * both output formats are emitted from it.
 *
 * A {@link ConfigSet} is normalised: names in Java source form, entries
 * deduplicated by (condition, type), members that an `all*` flag certainly
 * covers removed, everything sorted. Sets are only ever built through a
 * {@link ConfigBuilder}, whose `add*` methods have GraalVM's merge semantics,
 * so building from several inputs *is* merging them.
 */

/** Member access lattice: NONE < QUERIED < ACCESSED (GraalVM's ConfigurationMemberAccessibility). */
export const Access = { None: 0, Queried: 1, Accessed: 2 } as const;
export type Access = (typeof Access)[keyof typeof Access];

/** Boolean type flags that are plain ORs under merge. */
export const TYPE_FLAGS = [
  'allDeclaredClasses',
  'allPublicClasses',
  'allDeclaredFields',
  'allPublicFields',
  'allRecordComponents',
  'allPermittedSubclasses',
  'allNestMembers',
  'allSigners',
  'unsafeAllocated',
] as const;
export type TypeFlag = (typeof TYPE_FLAGS)[number];

/** Member groups whose flag has two levels: `queryAll*` (queried) and `all*` (accessed). */
export const MEMBER_GROUPS = {
  declaredMethods: { accessed: 'allDeclaredMethods', queried: 'queryAllDeclaredMethods' },
  publicMethods: { accessed: 'allPublicMethods', queried: 'queryAllPublicMethods' },
  declaredConstructors: { accessed: 'allDeclaredConstructors', queried: 'queryAllDeclaredConstructors' },
  publicConstructors: { accessed: 'allPublicConstructors', queried: 'queryAllPublicConstructors' },
} as const;
export type MemberGroup = keyof typeof MEMBER_GROUPS;
export const MEMBER_GROUP_NAMES = Object.keys(MEMBER_GROUPS) as MemberGroup[];

export type TypeRef =
  | { readonly kind: 'class'; readonly name: string }
  | { readonly kind: 'proxy'; readonly interfaces: readonly string[] }
  | {
      readonly kind: 'lambda';
      readonly declaringClass: string;
      readonly declaringMethod?: { readonly name: string; readonly params: readonly string[] | null };
      readonly interfaces: readonly string[];
    };

export interface MethodEntry {
  readonly name: string;
  /** null: every overload of that name (legacy entries without `parameterTypes`). */
  readonly params: readonly string[] | null;
  readonly access: typeof Access.Queried | typeof Access.Accessed;
}

export interface FieldEntry {
  readonly name: string;
  readonly allowWrite: boolean;
  readonly allowUnsafeAccess: boolean;
}

export interface TypeEntry {
  /** Class name of the condition; '' when unconditional. */
  readonly condition: string;
  readonly type: TypeRef;
  readonly flags: ReadonlySet<TypeFlag>;
  readonly groups: Readonly<Record<MemberGroup, Access>>;
  /** Sorted by name, then parameter list. */
  readonly methods: readonly MethodEntry[];
  /** Sorted by name. */
  readonly fields: readonly FieldEntry[];
  readonly reasons: readonly string[];
}

export interface ResourceEntry {
  readonly condition: string;
  readonly module: string;
  readonly kind: 'glob' | 'regex';
  readonly value: string;
  readonly reasons: readonly string[];
}

export interface BundleEntry {
  readonly condition: string;
  readonly module: string;
  readonly name: string;
  readonly locales: readonly string[];
  readonly classNames: readonly string[];
  readonly reasons: readonly string[];
}

export interface SerializationEntry {
  readonly condition: string;
  readonly type: TypeRef;
  readonly customTargetConstructorClass: string;
  readonly reasons: readonly string[];
}

export interface LambdaCapturingEntry {
  readonly condition: string;
  readonly name: string;
}

export interface PredefinedEntry {
  readonly type: string;
  readonly classes: readonly { readonly hash: string; readonly nameInfo: string }[];
}

export interface ConfigSet {
  readonly reflection: readonly TypeEntry[];
  readonly jni: readonly TypeEntry[];
  readonly serialization: readonly SerializationEntry[];
  readonly lambdaCapturing: readonly LambdaCapturingEntry[];
  readonly resources: readonly ResourceEntry[];
  readonly resourceExcludes: readonly ResourceEntry[];
  readonly bundles: readonly BundleEntry[];
  readonly predefined: readonly PredefinedEntry[];
  /** The `foreign` section, carried through as parsed (or a sorted union when inputs differ). */
  readonly foreign: unknown;
  readonly comments: readonly string[];
}

export type TypeSection = 'reflection' | 'jni';

// ---------------------------------------------------------------------------------------------
// keys and ordering

/** The identity of a type descriptor, as merge keys it. */
export function typeKey(t: TypeRef): string {
  switch (t.kind) {
    case 'class':
      return t.name;
    case 'proxy':
      return `proxy(${t.interfaces.join(',')})`;
    case 'lambda': {
      const m = t.declaringMethod;
      const method = m ? `${m.name}(${m.params === null ? '*' : m.params.join(',')})` : '';
      return `lambda(${t.declaringClass}.${method};${t.interfaces.join(',')})`;
    }
  }
}

/** A readable one-line rendering of a type descriptor, for messages and diffs. */
export function typeLabel(t: TypeRef): string {
  return t.kind === 'class' ? t.name : typeKey(t);
}

/** The identity of a method: `name(params)`, `name(*)` for every overload. */
export function methodKey(name: string, params: readonly string[] | null): string {
  return params === null ? `${name}(*)` : `${name}(${params.join(',')})`;
}

/** The place of each kind of type in the canonical order: classes, proxies, lambdas. */
export const KIND_RANK = { class: 0, proxy: 1, lambda: 2 } as const;

/** Code-unit order, the same on every machine (no locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTypeRefs(a: TypeRef, b: TypeRef): number {
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || compareStrings(typeKey(a), typeKey(b));
}

/** The canonical order of type entries: classes, proxies, lambdas, then by key and condition. */
export function compareTypeEntries(
  a: { type: TypeRef; condition: string },
  b: { type: TypeRef; condition: string },
): number {
  return compareTypeRefs(a.type, b.type) || compareStrings(a.condition, b.condition);
}

/**
 * The first index from `from` of a sorted list whose item `before` does not hold for (the list's
 * length when it holds for all): `before` holds for a leading run of the list and then never.
 */
export function firstNotBefore<T>(list: readonly T[], before: (item: T) => boolean, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether entries are strictly in the canonical order of {@link compareTypeEntries}: sorted, and
 * no two of one (condition, type).
 */
export function inTypeOrder(list: readonly { type: TypeRef; condition: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareTypeEntries(list[i - 1]!, list[i]!) >= 0) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// builder

/**
 * A type entry while it is being built: flags as a bit mask (bit i: `TYPE_FLAGS[i]`), member
 * groups packed two bits each (`MEMBER_GROUP_NAMES` order), lists null until something is added
 * and owned by the builder (appended as added; deduplicated, access max and flags OR, once, when
 * the set is built). Small records and no per-entry Set or group object: a built set shares one
 * frozen Set per flag combination and one group object per group combination.
 */
interface TypeRecord {
  readonly condition: string;
  readonly type: TypeRef;
  flags: number;
  groups: number;
  methods: MethodEntry[] | null;
  fields: FieldEntry[] | null;
  reasons: string[] | null;
}

/** A record with nothing registered yet. */
function newRecord(condition: string, type: TypeRef): TypeRecord {
  return { condition, type, flags: 0, groups: 0, methods: null, fields: null, reasons: null };
}

/** Records of one type key: one record (the usual case) or one per condition. */
type RecordSlot = TypeRecord | TypeRecord[];

const NO_FLAGS: ReadonlySet<TypeFlag> = new Set();
const NO_GROUPS: Readonly<Record<MemberGroup, Access>> = Object.freeze({
  declaredMethods: 0,
  publicMethods: 0,
  declaredConstructors: 0,
  publicConstructors: 0,
});
const NO_STRINGS: readonly string[] = Object.freeze([]);

/** The bit of each type flag in a record's mask. */
export const FLAG_BIT: Readonly<Record<TypeFlag, number>> = Object.fromEntries(
  TYPE_FLAGS.map((f, i) => [f, 1 << i]),
) as Record<TypeFlag, number>;
/** The shift of each member group's two bits in a record's packed groups. */
export const GROUP_SHIFT: Readonly<Record<MemberGroup, number>> = Object.fromEntries(
  MEMBER_GROUP_NAMES.map((g, i) => [g, 2 * i]),
) as Record<MemberGroup, number>;

const flagSets: (ReadonlySet<TypeFlag> | undefined)[] = [];
const groupObjects: (Readonly<Record<MemberGroup, Access>> | undefined)[] = [];

/** The one shared set of the flags in a mask (in `TYPE_FLAGS` order). */
function flagSet(mask: number): ReadonlySet<TypeFlag> {
  if (mask === 0) return NO_FLAGS;
  return (flagSets[mask] ??= new Set(TYPE_FLAGS.filter((_, i) => (mask & (1 << i)) !== 0)));
}

/** The one shared (frozen) group record of a packed value. */
function groupObject(packed: number): Readonly<Record<MemberGroup, Access>> {
  if (packed === 0) return NO_GROUPS;
  return (groupObjects[packed] ??= Object.freeze({
    declaredMethods: (packed & 3) as Access,
    publicMethods: ((packed >> 2) & 3) as Access,
    declaredConstructors: ((packed >> 4) & 3) as Access,
    publicConstructors: ((packed >> 6) & 3) as Access,
  }));
}

/** Two packed group values merged: the higher access of each group. */
function maxGroups(a: number, b: number): number {
  if (a === b || b === 0) return a;
  if (a === 0) return b;
  let out = 0;
  for (let shift = 0; shift < 8; shift += 2) out |= Math.max((a >> shift) & 3, (b >> shift) & 3) << shift;
  return out;
}

function appendTo<T>(list: T[] | null, items: readonly T[]): T[] {
  if (list === null) return items.slice();
  for (let i = 0; i < items.length; i++) list.push(items[i]!);
  return list;
}

/** What an `add*` call takes: a type entry whose parts may be left out. */
export interface TypeEntryInput {
  condition?: string;
  type: TypeRef;
  flags?: Iterable<TypeFlag>;
  groups?: Partial<Record<MemberGroup, Access>>;
  methods?: readonly MethodEntry[];
  fields?: readonly FieldEntry[];
  reasons?: readonly string[];
}

/** The type and serialization lists that `build()` made: sorted, deduplicated, in normal form. */
const BUILT_LISTS = new WeakSet<readonly unknown[]>();

/** Whether a list is one a builder made (and so sorted and in normal form), not one made by hand. */
export function isBuiltList(list: readonly unknown[]): boolean {
  return BUILT_LISTS.has(list);
}

/**
 * What a built type list holds, as a whole: the flags its entries have, and whether any entry has
 * a member or group that is only queried, a method of every overload (no parameter types), or a
 * field with write or unsafe access. Taken as the list is built, each record at hand, so that a
 * reader looking for any of these (the unified emitter, for its notes) need not visit every entry
 * to find none. Taken before covered members are dropped, it may say more than the entries hold,
 * never less.
 */
export interface TypeListFacts {
  readonly flags: ReadonlySet<TypeFlag>;
  readonly queried: boolean;
  readonly anyOverload: boolean;
  readonly fieldFlags: boolean;
}

const LIST_FACTS = new WeakMap<readonly TypeEntry[], TypeListFacts>();

/** The {@link TypeListFacts} of a list a builder made; undefined for any other list. */
export function typeListFacts(list: readonly TypeEntry[]): TypeListFacts | undefined {
  return LIST_FACTS.get(list);
}

/** {@link TypeListFacts} being gathered: flags as a mask, the rest as bits. */
interface FactsTally {
  flags: number;
  bits: number;
}
const QUERIED = 1;
const ANY_OVERLOAD = 2;
const FIELD_FLAGS = 4;

function tally(t: TypeRecord, f: FactsTally): void {
  f.flags |= t.flags;
  // a group only queried has the value 1 (its low bit set, its high bit clear)
  if ((t.groups & ~(t.groups >> 1) & 0x55) !== 0) f.bits |= QUERIED;
  const methods = t.methods;
  if (methods !== null)
    for (let i = 0; i < methods.length; i++) {
      const m = methods[i]!;
      if (m.access === Access.Queried) f.bits |= QUERIED;
      if (m.params === null) f.bits |= ANY_OVERLOAD;
    }
  const fields = t.fields;
  if (fields !== null)
    for (let i = 0; i < fields.length; i++)
      if (fields[i]!.allowWrite || fields[i]!.allowUnsafeAccess) f.bits |= FIELD_FLAGS;
}

function factsOf(f: FactsTally): TypeListFacts {
  return {
    flags: flagSet(f.flags),
    queried: (f.bits & QUERIED) !== 0,
    anyOverload: (f.bits & ANY_OVERLOAD) !== 0,
    fieldFlags: (f.bits & FIELD_FLAGS) !== 0,
  };
}

/** A set with nothing in it. */
export function emptyConfigSet(): ConfigSet {
  return new ConfigBuilder().build();
}

/** Builds a normalised {@link ConfigSet}; every `add*` merges with GraalVM's semantics. */
export class ConfigBuilder {
  /**
   * Type entries by type key, then by condition. Most types have one or two conditions, and the
   * type key is usually the name string as parsed, whose hash the engine caches: cheaper than
   * one map keyed by a concatenated (condition, type) string.
   */
  private types: Record<TypeSection, Map<string, RecordSlot>> = { reflection: new Map(), jni: new Map() };
  /**
   * Records taken in the order added, with their keys, and looked up by nobody
   * ({@link stageInOrder}): the lean reader's stage for a document read in pieces, where a
   * repeat gives the document up anyway. Inserting each of 841,549 records into a map cost about
   * 0.4 s; sorting them once, which the set's order needs anyway, finds the repeats.
   */
  private staging: Record<TypeSection, { keys: string[]; records: TypeRecord[] }> | undefined;
  /**
   * A section's records in the canonical order, no two of one (key, condition), kept as a list
   * instead of the map until something must look one up (`keyed`): what {@link settle} made,
   * handed on by `absorb` to a builder that had none of the section. `made` holds the same
   * records in the order they were made, as they lie in memory (see {@link sortedEntries}), and
   * `variants` says whether a type has records under several conditions.
   */
  private inOrder: Partial<Record<TypeSection, SettledRecords>> = {};
  /** Who added a record last and where (only for adds that say): tells a repeat within one file from a merge. */
  private readonly origins = new Map<TypeRecord, { id: number; pointer: string }>();
  private readonly serialization = new Map<
    string,
    { condition: string; type: TypeRef; customTargetConstructorClass: string; reasons: Set<string> }
  >();
  private readonly lambdaCapturing = new Map<string, LambdaCapturingEntry>();
  private readonly resources = new Map<string, { entry: Omit<ResourceEntry, 'reasons'>; reasons: Set<string> }>();
  private readonly excludes = new Map<string, { entry: Omit<ResourceEntry, 'reasons'>; reasons: Set<string> }>();
  private readonly bundles = new Map<
    string,
    {
      condition: string;
      module: string;
      name: string;
      locales: Set<string>;
      classNames: Set<string>;
      reasons: Set<string>;
    }
  >();
  private readonly predefined = new Map<string, Map<string, string>>();
  private readonly foreigns: unknown[] = [];
  private readonly commentLists: (readonly string[])[] = [];

  /** The record of (section, key, condition), created when there is none; `created` says which. */
  private record(section: TypeSection, key: string, condition: string, type: TypeRef): TypeRecord {
    if (this.built !== undefined) this.restore();
    const staging = this.staging?.[section];
    if (staging !== undefined) {
      const t = newRecord(condition, type);
      staging.keys.push(key);
      staging.records.push(t);
      this.created = true;
      return t;
    }
    const map = this.keyed(section);
    const slot = map.get(key);
    let t: TypeRecord | undefined;
    if (slot === undefined) {
      t = newRecord(condition, type);
      map.set(key, t);
      this.created = true;
      return t;
    }
    if (!Array.isArray(slot)) {
      if (slot.condition === condition) {
        this.created = false;
        return slot;
      }
      t = newRecord(condition, type);
      map.set(key, [slot, t]);
      this.created = true;
      return t;
    }
    for (const candidate of slot) {
      if (candidate.condition === condition) {
        this.created = false;
        return candidate;
      }
    }
    t = newRecord(condition, type);
    slot.push(t);
    this.created = true;
    return t;
  }

  /** Whether the last `record` call made a new one. */
  private created = false;
  /**
   * `build()` turns the type records into the set's entries in place (no second object per
   * entry) and starts afresh; the entries it built are kept here and added back, copied, only if
   * this builder is used again.
   */
  private built: Record<TypeSection, readonly TypeEntry[]> | undefined;

  private restore(): void {
    const built = this.built;
    if (built === undefined) return;
    this.built = undefined;
    for (const section of ['reflection', 'jni'] as const) for (const t of built[section]) this.addType(section, t);
  }

  /**
   * Adds (merges) a type entry. With an origin (a number per parsed file, and the entry's JSON
   * pointer in it), returns the pointer of an entry with the same key that the same origin added
   * before (a repeat within one file), else undefined.
   */
  addType(section: TypeSection, input: TypeEntryInput, originId = -1, originPointer = ''): string | undefined {
    const condition = input.condition ?? '';
    const key = input.type.kind === 'class' ? input.type.name : typeKey(input.type);
    const t = this.record(section, key, condition, input.type);
    let repeatOf: string | undefined;
    if (originId >= 0) {
      const origin = this.origins.get(t);
      if (origin !== undefined && origin.id === originId) repeatOf = origin.pointer;
      else this.origins.set(t, { id: originId, pointer: originPointer });
    }
    if (input.flags) for (const f of input.flags) t.flags |= FLAG_BIT[f];
    if (input.groups) {
      for (const g of MEMBER_GROUP_NAMES) {
        const level = input.groups[g];
        if (level === undefined || level === Access.None) continue;
        const shift = GROUP_SHIFT[g];
        if (level > ((t.groups >> shift) & 3)) t.groups = (t.groups & ~(3 << shift)) | (level << shift);
      }
    }
    const { methods, fields, reasons } = input;
    if (methods !== undefined && methods.length > 0) t.methods = appendTo(t.methods, methods);
    if (fields !== undefined && fields.length > 0) t.fields = appendTo(t.fields, fields);
    if (reasons !== undefined && reasons.length > 0) t.reasons = appendTo(t.reasons, reasons);
    return repeatOf;
  }

  /**
   * Adds a type entry whose parts the caller has already packed (the lean reader): `flags` a
   * mask of {@link FLAG_BIT}s, `groups` packed by {@link GROUP_SHIFT}, and lists that the
   * builder may keep and change (the caller made them for this call). Returns false when an
   * entry of the same key was already there (a repeat, in a builder of one file).
   */
  addPackedType(
    section: TypeSection,
    key: string,
    condition: string,
    type: TypeRef,
    flags: number,
    groups: number,
    methods: MethodEntry[] | null,
    fields: FieldEntry[] | null,
    reasons: string[] | null,
  ): boolean {
    const t = this.record(section, key, condition, type);
    const created = this.created;
    if (created) {
      t.flags = flags;
      t.groups = groups;
      t.methods = methods;
      t.fields = fields;
      t.reasons = reasons;
      return true;
    }
    t.flags |= flags;
    t.groups = maxGroups(t.groups, groups);
    if (methods !== null) t.methods = t.methods === null ? methods : appendTo(t.methods, methods);
    if (fields !== null) t.fields = t.fields === null ? fields : appendTo(t.fields, fields);
    if (reasons !== null) t.reasons = t.reasons === null ? reasons : appendTo(t.reasons, reasons);
    return false;
  }

  /** Whether this builder holds a type entry of (section, key) under more than one condition. */
  hasConditionVariants(section: TypeSection): boolean {
    this.restore();
    if (this.staging !== undefined) throw new Error('a builder that stages in order is settled first');
    const settled = this.inOrder[section];
    if (settled !== undefined) return settled.variants;
    for (const slot of this.types[section].values()) if (Array.isArray(slot)) return true;
    return false;
  }

  /**
   * From here on, until {@link settle}, type records are only taken, in the order added: none is
   * looked up, so none is merged, and every `addPackedType` says it made a new one. For a builder
   * of one document that is given up at its first repeat (the lean reader's, in pieces).
   */
  stageInOrder(): void {
    if (
      this.built !== undefined ||
      this.staging !== undefined ||
      this.types.reflection.size > 0 ||
      this.types.jni.size > 0 ||
      Object.keys(this.inOrder).length > 0
    )
      throw new Error('only an empty builder stages in order');
    this.staging = { reflection: { keys: [], records: [] }, jni: { keys: [], records: [] } };
  }

  /**
   * Puts the staged records in the canonical order; false, with nothing kept, when two of them
   * are of one (section, key, condition): a repeat, which this builder did not merge.
   */
  settle(): boolean {
    const staging = this.staging;
    if (staging === undefined) return true;
    this.staging = undefined;
    for (const section of ['reflection', 'jni'] as const) {
      const { keys, records } = staging[section];
      if (records.length === 0) continue;
      const settled = inKeyOrder(keys, records);
      if (settled === undefined) {
        this.inOrder = {};
        return false;
      }
      this.inOrder[section] = settled;
    }
    return true;
  }

  /** A section's map, made from its list in order first when it is kept as one. */
  private keyed(section: TypeSection): Map<string, RecordSlot> {
    const settled = this.inOrder[section];
    if (settled === undefined) return this.types[section];
    delete this.inOrder[section];
    const map = this.types[section];
    for (const t of settled.made) {
      const key = t.type.kind === 'class' ? t.type.name : typeKey(t.type);
      const slot = map.get(key);
      if (slot === undefined) map.set(key, t);
      else if (Array.isArray(slot)) slot.push(t);
      else map.set(key, [slot, t]);
    }
    return map;
  }

  addSerialization(input: {
    condition?: string;
    type: TypeRef;
    customTargetConstructorClass?: string;
    reasons?: Iterable<string>;
  }): boolean {
    const condition = input.condition ?? '';
    const ctcc = input.customTargetConstructorClass ?? '';
    const key = `${condition}\u0000${typeKey(input.type)}\u0000${ctcc}`;
    let s = this.serialization.get(key);
    const existed = s !== undefined;
    if (s === undefined) {
      s = { condition, type: input.type, customTargetConstructorClass: ctcc, reasons: new Set() };
      this.serialization.set(key, s);
    }
    if (input.reasons) for (const r of input.reasons) s.reasons.add(r);
    return existed;
  }

  addLambdaCapturing(condition: string, name: string): boolean {
    const key = `${condition}\u0000${name}`;
    const existed = this.lambdaCapturing.has(key);
    if (!existed) this.lambdaCapturing.set(key, { condition, name });
    return existed;
  }

  addResource(
    input: { condition?: string; module?: string; kind: 'glob' | 'regex'; value: string; reasons?: Iterable<string> },
    exclude = false,
  ): boolean {
    const entry = {
      condition: input.condition ?? '',
      module: input.module ?? '',
      kind: input.kind,
      value: input.value,
    };
    const key = `${entry.condition}\u0000${entry.module}\u0000${entry.kind}\u0000${entry.value}`;
    const map = exclude ? this.excludes : this.resources;
    let r = map.get(key);
    const existed = r !== undefined;
    if (r === undefined) {
      r = { entry, reasons: new Set() };
      map.set(key, r);
    }
    if (input.reasons) for (const reason of input.reasons) r.reasons.add(reason);
    return existed;
  }

  addBundle(input: {
    condition?: string;
    module?: string;
    name: string;
    locales?: Iterable<string>;
    classNames?: Iterable<string>;
    reasons?: Iterable<string>;
  }): boolean {
    const condition = input.condition ?? '';
    const module = input.module ?? '';
    const key = `${condition}\u0000${module}\u0000${input.name}`;
    let b = this.bundles.get(key);
    const existed = b !== undefined;
    if (b === undefined) {
      b = { condition, module, name: input.name, locales: new Set(), classNames: new Set(), reasons: new Set() };
      this.bundles.set(key, b);
    }
    if (input.locales) for (const l of input.locales) b.locales.add(l);
    if (input.classNames) for (const c of input.classNames) b.classNames.add(c);
    if (input.reasons) for (const r of input.reasons) b.reasons.add(r);
    return existed;
  }

  addPredefined(type: string, classes: Iterable<{ hash: string; nameInfo: string }>): void {
    let m = this.predefined.get(type);
    if (m === undefined) {
      m = new Map();
      this.predefined.set(type, m);
    }
    for (const c of classes) {
      const prev = m.get(c.hash);
      // Two records of one hash are the same bytes; keep the name deterministically.
      if (prev === undefined || (c.nameInfo !== '' && (prev === '' || c.nameInfo < prev))) m.set(c.hash, c.nameInfo);
    }
  }

  addForeign(value: unknown): void {
    this.foreigns.push(value);
  }

  addComments(comments: readonly string[]): void {
    if (comments.length > 0) this.commentLists.push(comments);
  }

  /**
   * Serialization registers its types for reflective lookup (native-image's SerializationFeature
   * does), so a reflection entry that registers nothing but the type adds nothing to a
   * serialization entry for the same condition and type. Dropping it keeps one canonical form,
   * whichever format the set came from; its reasons move to the serialization entry. A
   * reflection entry that registers more stays, and shares its reasons with the serialization one.
   */
  private dropReflectionImpliedBySerialization(): void {
    if (this.serialization.size === 0) return;
    const reflection = this.keyed('reflection');
    for (const s of this.serialization.values()) {
      if (s.customTargetConstructorClass !== '') continue;
      const key = s.type.kind === 'class' ? s.type.name : typeKey(s.type);
      const slot = reflection.get(key);
      if (slot === undefined) continue;
      const t = Array.isArray(slot) ? slot.find((r) => r.condition === s.condition) : slot;
      if (t === undefined || t.condition !== s.condition) continue;
      if (t.flags !== 0 || t.methods !== null || t.fields !== null || t.groups !== 0) {
        // both stay; they are one entry in the unified format, so they share their reasons
        // (whichever of them a reason arrived with, in whatever merge order)
        for (const r of t.reasons ?? []) s.reasons.add(r);
        if (s.reasons.size > 0) t.reasons = [...s.reasons];
        continue;
      }
      if (t.reasons) for (const r of t.reasons) s.reasons.add(r);
      if (!Array.isArray(slot)) reflection.delete(key);
      else {
        slot.splice(slot.indexOf(t), 1);
        if (slot.length === 0) reflection.delete(key);
      }
    }
  }

  /**
   * Moves everything another builder holds into this one, as if it had been added here (the
   * other builder is left unusable). The lean reader reads a file into a builder of its own and
   * hands it over only when the whole file read clean.
   */
  absorb(other: ConfigBuilder): this {
    this.restore();
    other.restore();
    if (other.staging !== undefined || this.staging !== undefined)
      throw new Error('a builder that stages in order is settled first');
    for (const section of ['reflection', 'jni'] as const) {
      const theirs = other.inOrder[section];
      if (theirs !== undefined && this.types[section].size === 0 && this.inOrder[section] === undefined) {
        // the first document read in pieces: its list in order becomes this builder's as it is
        this.inOrder[section] = theirs;
        continue;
      }
      other.keyed(section);
      const mine = this.keyed(section);
      if (mine.size === 0) {
        // the first (or only) document: its map becomes this builder's as it is
        this.types = { ...this.types, [section]: other.types[section] };
        continue;
      }
      for (const [key, slot] of other.types[section]) {
        if (!mine.has(key)) {
          mine.set(key, slot);
          continue;
        }
        for (const r of Array.isArray(slot) ? slot : [slot]) {
          this.addPackedType(section, key, r.condition, r.type, r.flags, r.groups, r.methods, r.fields, r.reasons);
        }
      }
    }
    for (const [key, s] of other.serialization) {
      const prev = this.serialization.get(key);
      if (prev === undefined) this.serialization.set(key, s);
      else for (const r of s.reasons) prev.reasons.add(r);
    }
    for (const [key, l] of other.lambdaCapturing) if (!this.lambdaCapturing.has(key)) this.lambdaCapturing.set(key, l);
    for (const [mine, theirs] of [
      [this.resources, other.resources],
      [this.excludes, other.excludes],
    ] as const) {
      for (const [key, r] of theirs) {
        const prev = mine.get(key);
        if (prev === undefined) mine.set(key, r);
        else for (const reason of r.reasons) prev.reasons.add(reason);
      }
    }
    for (const [key, b] of other.bundles) {
      const prev = this.bundles.get(key);
      if (prev === undefined) this.bundles.set(key, b);
      else {
        for (const l of b.locales) prev.locales.add(l);
        for (const c of b.classNames) prev.classNames.add(c);
        for (const r of b.reasons) prev.reasons.add(r);
      }
    }
    for (const [type, m] of other.predefined) {
      this.addPredefined(
        type,
        [...m].map(([hash, nameInfo]) => ({ hash, nameInfo })),
      );
    }
    for (const f of other.foreigns) this.foreigns.push(f);
    for (const c of other.commentLists) this.commentLists.push(c);
    return this;
  }

  /** Merges a whole built set into this builder. */
  addSet(set: ConfigSet): this {
    for (const section of ['reflection', 'jni'] as const) {
      for (const t of set[section]) this.addType(section, t);
    }
    for (const s of set.serialization) this.addSerialization(s);
    for (const l of set.lambdaCapturing) this.addLambdaCapturing(l.condition, l.name);
    for (const r of set.resources) this.addResource(r);
    for (const r of set.resourceExcludes) this.addResource(r, true);
    for (const b of set.bundles) this.addBundle(b);
    for (const p of set.predefined) this.addPredefined(p.type, p.classes);
    if (set.foreign !== undefined) this.addForeign(set.foreign);
    this.addComments(set.comments);
    return this;
  }

  build(): ConfigSet {
    if (this.staging !== undefined) throw new Error('a builder that stages in order is settled first');
    this.restore();
    this.dropReflectionImpliedBySerialization();
    const sortedSet = (s: Set<string>): string[] => [...s].sort(compareStrings);
    const types = (section: TypeSection): TypeEntry[] => {
      const facts: FactsTally = { flags: 0, bits: 0 };
      const inOrder = this.inOrder[section];
      const list = inOrder !== undefined ? entriesInOrder(inOrder, facts) : sortedEntries(this.types[section], facts);
      BUILT_LISTS.add(list);
      LIST_FACTS.set(list, factsOf(facts));
      return list;
    };
    const resourceList = (map: typeof this.resources): ResourceEntry[] =>
      [...map.values()]
        .map(({ entry, reasons }) => ({ ...entry, reasons: sortedSet(reasons) }))
        .sort(
          (a, b) =>
            compareStrings(a.value, b.value) ||
            compareStrings(a.kind, b.kind) ||
            compareStrings(a.module, b.module) ||
            compareStrings(a.condition, b.condition),
        );
    const reflection = types('reflection');
    const jni = types('jni');
    this.types = { reflection: new Map(), jni: new Map() };
    this.inOrder = {};
    this.built = { reflection, jni };
    return {
      reflection,
      jni,
      serialization: [...this.serialization.values()]
        .map((s) => ({ ...s, reasons: sortedSet(s.reasons) }))
        .sort(
          (a, b) =>
            compareTypeEntries(a, b) || compareStrings(a.customTargetConstructorClass, b.customTargetConstructorClass),
        ),
      lambdaCapturing: [...this.lambdaCapturing.values()].sort(
        (a, b) => compareStrings(a.name, b.name) || compareStrings(a.condition, b.condition),
      ),
      resources: resourceList(this.resources),
      resourceExcludes: resourceList(this.excludes),
      bundles: [...this.bundles.values()]
        .map((b) => ({
          condition: b.condition,
          module: b.module,
          name: b.name,
          locales: sortedSet(b.locales),
          classNames: sortedSet(b.classNames),
          reasons: sortedSet(b.reasons),
        }))
        .sort(
          (a, b) =>
            compareStrings(a.name, b.name) ||
            compareStrings(a.module, b.module) ||
            compareStrings(a.condition, b.condition),
        ),
      // An origin with no classes predefines nothing (the agent writes one when it saw none).
      predefined: [...this.predefined.entries()]
        .filter(([, m]) => m.size > 0)
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([type, m]) => ({
          type,
          classes: [...m.entries()]
            .sort(([a], [b]) => compareStrings(a, b))
            .map(([hash, nameInfo]) => ({ hash, nameInfo })),
        })),
      foreign: mergeForeign(this.foreigns),
      comments: mergeComments(this.commentLists),
    };
  }
}

/**
 * The records of a section turned into entries ({@link freezeType}), in the canonical order of
 * {@link compareTypeEntries}: classes, proxies, lambdas, then by key and condition. The keys are
 * the type keys, so sorting the keys (code-unit order) sorts the records, unless one key holds
 * types of several kinds (a class named like a proxy key), when the records are sorted one by
 * one. Each record is turned into its entry in the map's order, the order the records were made
 * and lie in memory, before they are sorted: in sorted order, each record's first touch is a
 * cache miss (on a 200 MB input, 1.3 s for 841,549 records). For the same reason the records are
 * put in order by their places in the map's order, sorted by their keys, not looked up again by
 * key (on that input, the build 2.1–2.3 → 1.4–1.8 s). The list's facts are tallied
 * as the records are turned into entries.
 */
function sortedEntries(map: ReadonlyMap<string, RecordSlot>, facts: FactsTally): TypeEntry[] {
  const byKind: [string[], string[], string[]] = [[], [], []];
  const slotsByKind: [RecordSlot[], RecordSlot[], RecordSlot[]] = [[], [], []];
  let mixed = false;
  for (const [key, slot] of map) {
    let first: TypeRecord;
    if (Array.isArray(slot)) {
      first = slot[0]!;
      for (const r of slot) {
        if (r.type.kind !== first.type.kind) mixed = true;
        tally(r, facts);
        freezeType(r);
      }
    } else {
      first = slot;
      tally(slot, facts);
      freezeType(slot);
    }
    const rank = KIND_RANK[first.type.kind];
    byKind[rank].push(key);
    slotsByKind[rank].push(slot);
  }
  const out: TypeRecord[] = [];
  if (mixed) {
    for (const slot of map.values()) {
      if (Array.isArray(slot)) for (const r of slot) out.push(r);
      else out.push(slot);
    }
    out.sort(compareTypeEntries);
    return out as unknown as TypeEntry[];
  }
  for (let rank = 0; rank < 3; rank++) {
    const keys = byKind[rank]!;
    const slots = slotsByKind[rank]!;
    const order = Array.from(keys, (_, i) => i);
    order.sort((a, b) => compareStrings(keys[a]!, keys[b]!));
    for (let i = 0; i < order.length; i++) {
      const slot = slots[order[i]!]!;
      if (!Array.isArray(slot)) out.push(slot);
      else for (const r of slot.slice().sort((a, b) => compareStrings(a.condition, b.condition))) out.push(r);
    }
  }
  return out as unknown as TypeEntry[];
}

/** Records of one section, settled: in the canonical order, and in the order made. */
interface SettledRecords {
  readonly sorted: TypeRecord[];
  readonly made: readonly TypeRecord[];
  readonly variants: boolean;
}

/**
 * Settled records turned into entries ({@link freezeType}) in the order they were made, as
 * {@link sortedEntries} does and for the same reason, the list's facts tallied; the list in order.
 */
function entriesInOrder(settled: SettledRecords, facts: FactsTally): TypeEntry[] {
  const made = settled.made;
  for (let i = 0; i < made.length; i++) {
    tally(made[i]!, facts);
    freezeType(made[i]!);
  }
  return settled.sorted as unknown as TypeEntry[];
}

/**
 * Records taken in the order added, with their keys, put in the canonical order of
 * {@link compareTypeEntries}: by kind, key, then condition (a key names one kind of type here,
 * as the lean reader's class names hold no `(`). Undefined when two are of one (key, condition).
 */
function inKeyOrder(keys: readonly string[], records: readonly TypeRecord[]): SettledRecords | undefined {
  const ranks = Uint8Array.from(records, (t) => KIND_RANK[t.type.kind]);
  const order = Array.from(keys, (_, i) => i);
  order.sort(
    (a, b) =>
      ranks[a]! - ranks[b]! ||
      compareStrings(keys[a]!, keys[b]!) ||
      compareStrings(records[a]!.condition, records[b]!.condition),
  );
  const sorted: TypeRecord[] = new Array(order.length);
  let variants = false;
  for (let i = 0; i < order.length; i++) {
    const t = records[order[i]!]!;
    if (i > 0 && keys[order[i]!] === keys[order[i - 1]!]) {
      if (t.condition === sorted[i - 1]!.condition) return undefined;
      variants = true;
    }
    sorted[i] = t;
  }
  return { sorted, made: records, variants };
}

/**
 * Turns a record into a {@link TypeEntry}, in place: members deduplicated (access max, field flags OR) and sorted,
 * minus those that an `all*` flag of equal or higher access certainly covers. A listed method or
 * field is either declared by the type or a public one it inherits; the file does not say which.
 * So a method is covered only when both the declared and the public group cover it, while
 * constructors, which are never inherited, are covered by the declared group alone. Fields that
 * carry write or unsafe-access flags are never dropped.
 */
function freezeType(t: TypeRecord): void {
  let methods = NO_STRINGS as unknown as MethodEntry[];
  if (t.methods !== null && t.methods.length === 1) {
    if (!isCovered(t.methods[0]!, t.groups)) methods = t.methods;
  } else if (t.methods !== null) {
    methods = normaliseMethods(t.methods, t.groups);
  }
  let fields = NO_STRINGS as unknown as FieldEntry[];
  const fieldsCovered = (t.flags & FLAG_BIT.allDeclaredFields) !== 0 && (t.flags & FLAG_BIT.allPublicFields) !== 0;
  if (t.fields !== null && t.fields.length === 1) {
    if (keepField(t.fields[0]!, fieldsCovered)) fields = t.fields;
  } else if (t.fields !== null) {
    fields = normaliseFields(t.fields, fieldsCovered);
  }
  let reasons = NO_STRINGS;
  if (t.reasons !== null) reasons = t.reasons.length === 1 ? t.reasons : [...new Set(t.reasons)].sort(compareStrings);
  // the record becomes the entry: the same seven properties, in the same order
  const e = t as unknown as { -readonly [K in keyof TypeEntry]: TypeEntry[K] };
  e.flags = flagSet(t.flags);
  e.groups = groupObject(t.groups);
  e.methods = methods;
  e.fields = fields;
  e.reasons = reasons;
}

/**
 * One method per (name, signature) with the highest access, minus what a group covers, sorted
 * by name and then by `methodKey`. Signatures are told apart by their `methodKey` text, as merge
 * keys them; only methods that share a name (overloads) need that text made.
 */
/** Whether the groups (packed) certainly cover a listed method (see {@link freezeType}). */
function isCovered(m: MethodEntry, groups: number): boolean {
  return m.name === '<init>'
    ? ((groups >> 4) & 3) >= m.access
    : (groups & 3) >= m.access && ((groups >> 2) & 3) >= m.access;
}

function keepField(f: FieldEntry, fieldsCovered: boolean): boolean {
  return !(fieldsCovered && !f.allowWrite && !f.allowUnsafeAccess);
}

/** Sorts a short list in place by `name` (stable, no comparator calls); longer lists with Array#sort. */
function sortByName<T extends { readonly name: string }>(list: T[]): void {
  if (list.length > 12) {
    list.sort((a, b) => compareStrings(a.name, b.name));
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.name > x.name) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}

function normaliseMethods(list: MethodEntry[], groups: number): MethodEntry[] {
  // the record owns its list: sort it in place, and keep it when nothing repeats and nothing is covered
  sortByName(list);
  let plain = true;
  for (let i = 0; i < list.length && plain; i++) {
    if (isCovered(list[i]!, groups) || (i > 0 && list[i]!.name === list[i - 1]!.name)) plain = false;
  }
  if (plain) return list;
  const out: MethodEntry[] = [];
  for (let i = 0; i < list.length;) {
    let j = i + 1;
    while (j < list.length && list[j]!.name === list[i]!.name) j++;
    if (j === i + 1) {
      const m = list[i]!;
      if (!isCovered(m, groups)) out.push(m);
    } else {
      const run = list.slice(i, j).map((m) => ({ m, key: methodKey(m.name, m.params) }));
      run.sort((a, b) => compareStrings(a.key, b.key));
      for (let k = 0; k < run.length;) {
        let best = run[k]!.m;
        let l = k + 1;
        for (; l < run.length && run[l]!.key === run[k]!.key; l++) if (run[l]!.m.access > best.access) best = run[l]!.m;
        if (!isCovered(best, groups)) out.push(best);
        k = l;
      }
    }
    i = j;
  }
  return out.slice();
}

/** One field per name (its flags OR-ed), minus the covered ones, sorted by name. */
function normaliseFields(list: FieldEntry[], fieldsCovered: boolean): FieldEntry[] {
  sortByName(list);
  let plain = true;
  for (let i = 0; i < list.length && plain; i++) {
    if (!keepField(list[i]!, fieldsCovered) || (i > 0 && list[i]!.name === list[i - 1]!.name)) plain = false;
  }
  if (plain) return list;
  const sorted = list;
  const out: FieldEntry[] = [];
  for (let i = 0; i < sorted.length;) {
    let f = sorted[i]!;
    let j = i + 1;
    if (j < sorted.length && sorted[j]!.name === f.name) {
      let allowWrite = f.allowWrite;
      let allowUnsafeAccess = f.allowUnsafeAccess;
      for (; j < sorted.length && sorted[j]!.name === f.name; j++) {
        allowWrite ||= sorted[j]!.allowWrite;
        allowUnsafeAccess ||= sorted[j]!.allowUnsafeAccess;
      }
      f = { name: f.name, allowWrite, allowUnsafeAccess };
    }
    if (keepField(f, fieldsCovered)) out.push(f);
    i = j;
  }
  return out.slice();
}

/** Stable JSON text with sorted object keys: a canonical identity for arbitrary carried JSON. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `foreign` is carried untouched. Equal inputs stay as they are; differing inputs merge as the
 * union of each list, deduplicated and sorted by canonical text so that merge stays commutative.
 */
function mergeForeign(values: readonly unknown[]): unknown {
  if (values.length === 0) return undefined;
  const first = values[0];
  const firstText = canonicalJson(first);
  if (values.every((v) => canonicalJson(v) === firstText)) return first;
  const lists = new Map<string, Map<string, unknown>>();
  for (const v of values) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    for (const [k, list] of Object.entries(v)) {
      if (!Array.isArray(list)) continue;
      let m = lists.get(k);
      if (m === undefined) lists.set(k, (m = new Map()));
      for (const item of list) m.set(canonicalJson(item), item);
    }
  }
  const out: Record<string, unknown[]> = {};
  for (const k of [...lists.keys()].sort(compareStrings)) {
    const m = lists.get(k)!;
    Object.defineProperty(out, k, {
      value: [...m.keys()].sort(compareStrings).map((text) => m.get(text)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function mergeComments(lists: readonly (readonly string[])[]): readonly string[] {
  const first = lists[0];
  if (first === undefined) return [];
  const firstText = first.join('\n');
  if (lists.every((l) => l.join('\n') === firstText)) return first;
  return [...new Set(lists.flat())].sort(compareStrings);
}

/** True when a type entry registers nothing beyond the type itself. */
export function isNameOnly(t: TypeEntry): boolean {
  return (
    t.flags.size === 0 &&
    t.methods.length === 0 &&
    t.fields.length === 0 &&
    MEMBER_GROUP_NAMES.every((g) => t.groups[g] === Access.None)
  );
}

/** Total number of entries in a set, per section, for summaries. */
export function countEntries(set: ConfigSet): Record<string, number> {
  return {
    reflection: set.reflection.length,
    jni: set.jni.length,
    serialization: set.serialization.length + set.lambdaCapturing.length,
    resources: set.resources.length + set.resourceExcludes.length,
    bundles: set.bundles.length,
    predefined: set.predefined.reduce((n, p) => n + p.classes.length, 0),
  };
}
