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

const KIND_RANK = { class: 0, proxy: 1, lambda: 2 } as const;

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

// ---------------------------------------------------------------------------------------------
// builder

/** A type entry while it is being built; parts stay null until something is added to them. */
interface MutableType {
  condition: string;
  type: TypeRef;
  flags: Set<TypeFlag> | null;
  groups: Record<MemberGroup, Access> | null;
  /** Appended as added; deduplicated (access max, flags OR) once, when the set is built. */
  methods: MethodEntry[] | null;
  fields: FieldEntry[] | null;
  reasons: string[] | null;
  /** Who added it last and where: lets a parser tell a repeat within one file from a merge. */
  origin: number;
  originPointer: string;
}

const NO_FLAGS: ReadonlySet<TypeFlag> = new Set();
const NO_GROUPS: Readonly<Record<MemberGroup, Access>> = Object.freeze({
  declaredMethods: 0,
  publicMethods: 0,
  declaredConstructors: 0,
  publicConstructors: 0,
});
const NO_STRINGS: readonly string[] = Object.freeze([]);

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
  private readonly types: Record<TypeSection, Map<string, MutableType[]>> = { reflection: new Map(), jni: new Map() };
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

  /**
   * Adds (merges) a type entry. With an origin (a number per parsed file, and the entry's JSON
   * pointer in it), returns the pointer of an entry with the same key that the same origin added
   * before (a repeat within one file), else undefined.
   */
  addType(section: TypeSection, input: TypeEntryInput, originId = -1, originPointer = ''): string | undefined {
    const condition = input.condition ?? '';
    const key = input.type.kind === 'class' ? input.type.name : typeKey(input.type);
    const map = this.types[section];
    let list = map.get(key);
    if (list === undefined) map.set(key, (list = []));
    let t: MutableType | undefined;
    for (const candidate of list) {
      if (candidate.condition === condition) {
        t = candidate;
        break;
      }
    }
    let repeatOf: string | undefined;
    if (t === undefined) {
      t = {
        condition,
        type: input.type,
        flags: null,
        groups: null,
        methods: null,
        fields: null,
        reasons: null,
        origin: -1,
        originPointer: '',
      };
      list.push(t);
    } else if (originId >= 0 && t.origin === originId) {
      repeatOf = t.originPointer;
    }
    if (originId >= 0 && repeatOf === undefined) {
      t.origin = originId;
      t.originPointer = originPointer;
    }
    if (input.flags) for (const f of input.flags) (t.flags ??= new Set()).add(f);
    if (input.groups) {
      for (const g of MEMBER_GROUP_NAMES) {
        const level = input.groups[g];
        if (level === undefined || level === Access.None) continue;
        const groups = (t.groups ??= { ...NO_GROUPS });
        if (level > groups[g]) groups[g] = level;
      }
    }
    const { methods, fields, reasons } = input;
    if (methods !== undefined && methods.length > 0) {
      if (t.methods === null) t.methods = methods.slice();
      else for (let i = 0; i < methods.length; i++) t.methods.push(methods[i]!);
    }
    if (fields !== undefined && fields.length > 0) {
      if (t.fields === null) t.fields = fields.slice();
      else for (let i = 0; i < fields.length; i++) t.fields.push(fields[i]!);
    }
    if (reasons !== undefined && reasons.length > 0) {
      if (t.reasons === null) t.reasons = reasons.slice();
      else for (let i = 0; i < reasons.length; i++) t.reasons.push(reasons[i]!);
    }
    return repeatOf;
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
    const reflection = this.types.reflection;
    for (const s of this.serialization.values()) {
      if (s.customTargetConstructorClass !== '') continue;
      const list = reflection.get(s.type.kind === 'class' ? s.type.name : typeKey(s.type));
      const i = list?.findIndex((t) => t.condition === s.condition) ?? -1;
      const t = i >= 0 ? list![i]! : undefined;
      if (t === undefined) continue;
      if (t.flags !== null || t.methods !== null || t.fields !== null || t.groups !== null) {
        // both stay; they are one entry in the unified format, so they share their reasons
        // (whichever of them a reason arrived with, in whatever merge order)
        for (const r of t.reasons ?? []) s.reasons.add(r);
        if (s.reasons.size > 0) t.reasons = [...s.reasons];
        continue;
      }
      if (t.reasons) for (const r of t.reasons) s.reasons.add(r);
      list!.splice(i, 1);
    }
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
    this.dropReflectionImpliedBySerialization();
    const sortedSet = (s: Set<string>): string[] => [...s].sort(compareStrings);
    const types = (section: TypeSection): TypeEntry[] =>
      [...this.types[section].values()].flat().map(freezeType).sort(compareTypeEntries);
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
    return {
      reflection: types('reflection'),
      jni: types('jni'),
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
 * Removes listed members that an `all*` flag of equal or higher access certainly covers.
 * A listed method or field is either declared by the type or a public one it inherits; the
 * file does not say which. So a method is covered only when both the declared and the public
 * group cover it, while constructors, which are never inherited, are covered by the declared
 * group alone. Fields that carry write or unsafe-access flags are never dropped.
 */
function freezeType(t: MutableType): TypeEntry {
  const g = t.groups ?? NO_GROUPS;
  let methods = NO_STRINGS as unknown as MethodEntry[];
  const isCovered = (m: MethodEntry): boolean =>
    m.name === '<init>'
      ? g.declaredConstructors >= m.access
      : g.declaredMethods >= m.access && g.publicMethods >= m.access;
  if (t.methods !== null && t.methods.length === 1) {
    const m = t.methods[0]!;
    if (!isCovered(m)) methods = [m];
  } else if (t.methods !== null) {
    // One entry per (name, signature) with the highest access, minus what a group flag covers.
    const byKey = new Map<string, MethodEntry>();
    for (const m of t.methods) {
      const key = methodKey(m.name, m.params);
      const prev = byKey.get(key);
      if (prev === undefined || m.access > prev.access) byKey.set(key, m);
    }
    const kept: [string, MethodEntry][] = [];
    for (const entry of byKey) if (!isCovered(entry[1])) kept.push(entry);
    if (kept.length > 1) kept.sort(([ka, a], [kb, b]) => compareStrings(a.name, b.name) || compareStrings(ka, kb));
    methods = kept.map(([, m]) => m);
  }
  let fields = NO_STRINGS as unknown as FieldEntry[];
  const fieldsCovered = t.flags !== null && t.flags.has('allDeclaredFields') && t.flags.has('allPublicFields');
  if (t.fields !== null && t.fields.length === 1) {
    const f = t.fields[0]!;
    if (!(fieldsCovered && !f.allowWrite && !f.allowUnsafeAccess)) fields = [f];
  } else if (t.fields !== null) {
    const byName = new Map<string, FieldEntry>();
    for (const f of t.fields) {
      const prev = byName.get(f.name);
      byName.set(
        f.name,
        prev === undefined
          ? f
          : {
              name: f.name,
              allowWrite: prev.allowWrite || f.allowWrite,
              allowUnsafeAccess: prev.allowUnsafeAccess || f.allowUnsafeAccess,
            },
      );
    }
    fields = [...byName.values()].filter((f) => !(fieldsCovered && !f.allowWrite && !f.allowUnsafeAccess));
    if (fields.length > 1) fields.sort((a, b) => compareStrings(a.name, b.name));
  }
  const flags = t.flags === null ? NO_FLAGS : new Set(TYPE_FLAGS.filter((f) => t.flags!.has(f)));
  const reasons = t.reasons === null ? NO_STRINGS : [...new Set(t.reasons)].sort(compareStrings);
  return {
    condition: t.condition,
    type: t.type,
    flags,
    groups: t.groups === null ? NO_GROUPS : { ...g },
    methods,
    fields,
    reasons,
  };
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
