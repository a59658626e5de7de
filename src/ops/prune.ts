/**
 * The prune engine: rules (later ones win), subtraction of metadata that libraries already ship,
 * the K2 rewrite, and pins that no rule removes. Every removal records the rule that made it.
 */
import {
  Access,
  ConfigBuilder,
  isNameOnly,
  methodKey,
  typeLabel,
  type ConfigSet,
  type ResourceEntry,
  type TypeEntry,
  type TypeRef,
} from '../model/model.js';
import { compileRule, type CompiledRule, type Rule, type Section } from './rules.js';

/** Which classes a trace shows being looked up, and by whom. */
export interface TraceEvidence {
  /** Class name (Java form) → the calling classes of its reflective lookups. */
  readonly callers: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface PruneOptions {
  readonly rules: readonly Rule[];
  /** Metadata that libraries ship themselves (N16), with a name for --explain. */
  readonly subtract?: readonly { readonly source: string; readonly set: ConfigSet }[];
  /** Pinned entries (K11): never removed, and added back when the input lacks them. */
  readonly keep?: { readonly source: string; readonly set: ConfigSet };
  readonly trace?: TraceEvidence;
}

export interface Removal {
  readonly section: Section;
  readonly entry: string;
  readonly rule: string;
  readonly reason: string;
  /** Removed whole, or only some members (subtraction). */
  readonly whole: boolean;
}

export interface KeepOverride {
  readonly section: Section;
  readonly entry: string;
  readonly rule: string;
  readonly keep: string;
}

export interface PruneResult {
  readonly set: ConfigSet;
  readonly removed: readonly Removal[];
  /** Entries a rule would have removed that the keep list saved. */
  readonly kept: readonly KeepOverride[];
  readonly rewritten: readonly string[];
  /** Removals per rule id, for the summary. */
  readonly counts: ReadonlyMap<string, number>;
}

const CLOJURE_RUNTIME_CALLER = /^clojure\.lang\.(?:RT|Compiler)(?:\$.*)?$/;

function entryLabel(t: { condition: string; type: TypeRef }): string {
  return t.condition === '' ? typeLabel(t.type) : `${typeLabel(t.type)} (if ${t.condition})`;
}

/** The class names a type entry stands for when rules match it. */
function classNamesOf(type: TypeRef): readonly string[] {
  switch (type.kind) {
    case 'class':
      return [type.name];
    case 'proxy':
      return type.interfaces;
    case 'lambda':
      return [type.declaringClass];
  }
}

interface Candidate {
  readonly section: Section;
  readonly names: readonly string[];
  readonly condition: string;
  /** Resource path or bundle name, for text rules. */
  readonly text?: string;
  readonly nameOnly: boolean;
  readonly launcherMain: boolean;
}

const MAIN = methodKey('main', ['java.lang.String[]']);

class Matcher {
  private readonly rules: readonly CompiledRule[];
  private readonly namespacePackages: ReadonlySet<string>;

  constructor(
    rules: readonly Rule[],
    set: ConfigSet,
    private readonly trace: TraceEvidence | undefined,
  ) {
    this.rules = rules.map(compileRule);
    const packages = new Set<string>();
    for (const t of set.reflection) {
      if (t.type.kind === 'class' && t.type.name.endsWith('__init'))
        packages.add(t.type.name.slice(0, -'__init'.length));
    }
    this.namespacePackages = packages;
  }

  /** The last rule that matches decides; undefined when none does. */
  decide(c: Candidate): CompiledRule | undefined {
    let decision: CompiledRule | undefined;
    for (const r of this.rules) if (this.matches(r, c)) decision = r;
    return decision;
  }

  private matches(r: CompiledRule, c: Candidate): boolean {
    if (
      r.sections !== undefined ? !r.sections.includes(c.section) : c.section === 'resources' || c.section === 'bundles'
    )
      return false;
    if (r.shape === 'name-only' && !c.nameOnly) return false;
    if (r.shape === 'with-members' && c.nameOnly) return false;
    if (r.launcherMain && !c.launcherMain) return false;
    if (r.onCondition) {
      if (c.condition === '' || (r.matchClass !== undefined && !r.matchClass(c.condition))) return false;
      return true;
    }
    if (c.text !== undefined) {
      // resource and bundle rules match the path or bundle name
      if (r.matchText !== undefined && !r.matchText(c.text)) return false;
      if (r.classes !== undefined || r.namespaceMember || r.clojureRuntimeOnly) return false;
      return r.matchText !== undefined || r.shape !== undefined;
    }
    if (r.resources !== undefined) return false;
    if (r.matchClass !== undefined && !c.names.every((n) => r.matchClass!(n))) return false;
    if (
      r.namespaceMember &&
      !c.names.every((n) => this.namespacePackages.has(n.slice(0, Math.max(0, n.lastIndexOf('.')))))
    )
      return false;
    if (r.clojureRuntimeOnly && !c.names.every((n) => this.lookedUpOnlyByClojure(n))) return false;
    return true;
  }

  private lookedUpOnlyByClojure(name: string): boolean {
    const callers = this.trace?.callers.get(name);
    if (callers === undefined || callers.size === 0) return false;
    for (const c of callers) if (!CLOJURE_RUNTIME_CALLER.test(c)) return false;
    return true;
  }
}

function typeCandidate(section: Section, t: TypeEntry): Candidate {
  const launcherMain =
    t.methods.length === 1 &&
    methodKey(t.methods[0]!.name, t.methods[0]!.params) === MAIN &&
    t.fields.length === 0 &&
    t.flags.size === 0;
  return { section, names: classNamesOf(t.type), condition: t.condition, nameOnly: isNameOnly(t), launcherMain };
}

/**
 * K2: the agent records `Method.canAccess` where `clojure.lang.Reflector` calls it; the method is
 * declared by `AccessibleObject`, and only that registration works in a native image.
 */
function rewriteCanAccess(set: ConfigSet): { set: ConfigSet; rewritten: string[] } {
  const rewritten: string[] = [];
  const key = methodKey('canAccess', ['java.lang.Object']);
  const b = new ConfigBuilder();
  for (const t of set.reflection) {
    const has =
      t.type.kind === 'class' &&
      t.type.name === 'java.lang.reflect.Method' &&
      t.methods.some((m) => methodKey(m.name, m.params) === key);
    if (!has) {
      b.addType('reflection', t);
      continue;
    }
    const moved = t.methods.filter((m) => methodKey(m.name, m.params) === key);
    const rest = { ...t, methods: t.methods.filter((m) => methodKey(m.name, m.params) !== key) };
    if (!isNameOnly(rest) || rest.reasons.length > 0) b.addType('reflection', rest);
    b.addType('reflection', {
      condition: t.condition,
      type: { kind: 'class', name: 'java.lang.reflect.AccessibleObject' },
      methods: moved,
    });
    rewritten.push(`${entryLabel(t)} canAccess(java.lang.Object) → java.lang.reflect.AccessibleObject`);
  }
  b.addSet({ ...set, reflection: [] });
  return { set: b.build(), rewritten };
}

export function prune(input: ConfigSet, options: PruneOptions): PruneResult {
  const { set, rewritten } = rewriteCanAccess(input);
  const matcher = new Matcher(options.rules, set, options.trace);
  const keepMatcher = options.keep && new KeepIndex(options.keep.set);
  const removed: Removal[] = [];
  const kept: KeepOverride[] = [];
  const out = new ConfigBuilder();

  const judge = (c: Candidate, label: string, pinned: boolean): boolean => {
    const rule = matcher.decide(c);
    if (rule === undefined || rule.action === 'include') return true;
    if (pinned) {
      kept.push({ section: c.section, entry: label, rule: rule.id, keep: options.keep!.source });
      return true;
    }
    removed.push({ section: c.section, entry: label, rule: rule.id, reason: rule.reason, whole: true });
    return false;
  };

  for (const section of ['reflection', 'jni'] as const) {
    for (const t of set[section]) {
      const s: Section = section === 'reflection' && t.type.kind === 'proxy' ? 'proxies' : section;
      if (judge(typeCandidate(s, t), entryLabel(t), keepMatcher?.hasType(section, t) ?? false)) out.addType(section, t);
    }
  }
  for (const e of set.serialization) {
    const c: Candidate = {
      section: 'serialization',
      names: classNamesOf(e.type),
      condition: e.condition,
      nameOnly: true,
      launcherMain: false,
    };
    if (judge(c, `serialization ${entryLabel(e)}`, keepMatcher?.hasSerialization(e.condition, e.type) ?? false))
      out.addSerialization(e);
  }
  for (const l of set.lambdaCapturing) {
    const c: Candidate = {
      section: 'serialization',
      names: [l.name],
      condition: l.condition,
      nameOnly: true,
      launcherMain: false,
    };
    if (judge(c, `lambda-capturing ${l.name}`, false)) out.addLambdaCapturing(l.condition, l.name);
  }
  for (const r of set.resources) {
    const c: Candidate = {
      section: 'resources',
      names: [],
      condition: r.condition,
      text: r.value,
      nameOnly: true,
      launcherMain: false,
    };
    if (judge(c, `resource ${r.value}`, keepMatcher?.hasResource(r) ?? false)) out.addResource(r);
  }
  for (const r of set.resourceExcludes) out.addResource(r, true);
  for (const b of set.bundles) {
    const c: Candidate = {
      section: 'bundles',
      names: [],
      condition: b.condition,
      text: b.name,
      nameOnly: true,
      launcherMain: false,
    };
    if (judge(c, `bundle ${b.name}`, false)) out.addBundle(b);
  }
  for (const p of set.predefined) out.addPredefined(p.type, p.classes);
  if (set.foreign !== undefined) out.addForeign(set.foreign);
  out.addComments(set.comments);

  let result = out.build();
  for (const lib of options.subtract ?? []) result = subtract(result, lib.source, lib.set, removed, keepMatcher);
  // Pinned entries the input lacks come back: a re-trace never loses them (K11).
  if (options.keep) result = new ConfigBuilder().addSet(result).addSet(options.keep.set).build();

  const counts = new Map<string, number>();
  for (const r of removed) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  return { set: result, removed, kept, rewritten, counts };
}

class KeepIndex {
  private readonly types = new Set<string>();
  private readonly resources = new Set<string>();
  private readonly serialization = new Set<string>();

  constructor(set: ConfigSet) {
    for (const section of ['reflection', 'jni'] as const)
      for (const t of set[section]) this.types.add(`${section}\u0000${t.condition}\u0000${typeLabel(t.type)}`);
    for (const r of set.resources) this.resources.add(`${r.condition}\u0000${r.value}`);
    for (const s of set.serialization) this.serialization.add(`${s.condition}\u0000${typeLabel(s.type)}`);
  }

  hasType(section: 'reflection' | 'jni', t: TypeEntry): boolean {
    return this.types.has(`${section}\u0000${t.condition}\u0000${typeLabel(t.type)}`);
  }
  hasResource(r: ResourceEntry): boolean {
    return this.resources.has(`${r.condition}\u0000${r.value}`);
  }
  hasSerialization(condition: string, type: TypeRef): boolean {
    return this.serialization.has(`${condition}\u0000${typeLabel(type)}`);
  }
}

/**
 * Drops what a library's own metadata already provides (N16): whole entries when the library
 * registers the type with at least the same access, otherwise the members it covers. A library
 * entry without a condition covers every condition; a conditional one only its own.
 */
function subtract(
  set: ConfigSet,
  source: string,
  lib: ConfigSet,
  removed: Removal[],
  keep: KeepIndex | undefined,
): ConfigSet {
  const index = (entries: readonly TypeEntry[]): Map<string, TypeEntry[]> => {
    const m = new Map<string, TypeEntry[]>();
    for (const t of entries) {
      const k = typeLabel(t.type);
      const list = m.get(k) ?? [];
      list.push(t);
      m.set(k, list);
    }
    return m;
  };
  const rule = `library:${source}`;
  const reason = `${source} ships this itself (N16)`;
  const b = new ConfigBuilder();
  for (const section of ['reflection', 'jni'] as const) {
    const libTypes = index(lib[section]);
    for (const t of set[section]) {
      const covering = (libTypes.get(typeLabel(t.type)) ?? []).filter(
        (l) => l.condition === '' || l.condition === t.condition,
      );
      if (covering.length === 0 || keep?.hasType(section, t)) {
        b.addType(section, t);
        continue;
      }
      const provided = new ConfigBuilder();
      for (const l of covering) provided.addType(section, { ...l, condition: t.condition });
      const p = provided.build()[section][0]!;
      const rest = minus(t, p);
      const s: Section = section === 'reflection' && t.type.kind === 'proxy' ? 'proxies' : section;
      if (rest === undefined) {
        removed.push({ section: s, entry: entryLabel(t), rule, reason, whole: true });
      } else {
        if (rest !== t)
          removed.push({
            section: s,
            entry: `${entryLabel(t)} (members the library registers)`,
            rule,
            reason,
            whole: false,
          });
        b.addType(section, rest);
      }
    }
  }
  const libResources = new Set(lib.resources.map((r) => `${r.kind}\u0000${r.module}\u0000${r.value}`));
  for (const r of set.resources) {
    const k = `${r.kind}\u0000${r.module}\u0000${r.value}`;
    const libHas =
      libResources.has(k) &&
      lib.resources.some(
        (l) =>
          `${l.kind}\u0000${l.module}\u0000${l.value}` === k && (l.condition === '' || l.condition === r.condition),
      );
    if (libHas && !keep?.hasResource(r))
      removed.push({ section: 'resources', entry: `resource ${r.value}`, rule, reason, whole: true });
    else b.addResource(r);
  }
  b.addSet({ ...set, reflection: [], jni: [], resources: [] });
  return b.build();
}

/** `t` without what `p` provides; undefined when nothing is left; `t` itself when nothing is provided. */
function minus(t: TypeEntry, p: TypeEntry): TypeEntry | undefined {
  const groups = { ...t.groups };
  let changed = false;
  for (const g of Object.keys(groups) as (keyof typeof groups)[]) {
    if (groups[g] !== Access.None && p.groups[g] >= groups[g]) {
      groups[g] = Access.None;
      changed = true;
    }
  }
  const flags = new Set([...t.flags].filter((f) => !p.flags.has(f)));
  const pMethods = new Map(p.methods.map((m) => [methodKey(m.name, m.params), m.access]));
  const methods = t.methods.filter((m) => (pMethods.get(methodKey(m.name, m.params)) ?? 0) < m.access);
  const pFields = new Set(p.fields.map((f) => f.name));
  const fields = t.fields.filter((f) => !pFields.has(f.name) || f.allowWrite || f.allowUnsafeAccess);
  changed ||= flags.size !== t.flags.size || methods.length !== t.methods.length || fields.length !== t.fields.length;
  if (!changed) return isNameOnly(t) ? undefined : t;
  const rest: TypeEntry = { ...t, groups, flags, methods, fields };
  return isNameOnly(rest) ? undefined : rest;
}
