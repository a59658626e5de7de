/**
 * The prune engine: a {@link PrunePlan} applied to a set. Rules (later ones win), subtraction of
 * metadata that libraries already ship, the K2 rewrite, and pins that no rule removes. Every
 * removal records the rule that made it. Entries are walked through the sections registry, so
 * every part of a set is judged the same way.
 */
import {
  Access,
  ConfigBuilder,
  isNameOnly,
  methodKey,
  typeLabel,
  type ConfigSet,
  type TypeEntry,
} from '../../model/model.js';
import {
  PART_NAMES,
  PARTS,
  addEntry,
  itemOf,
  partEntries,
  withCondition,
  type Item,
  type Part,
  type Section,
} from '../../model/sections.js';
import {
  entryVerdict,
  namespaceLoading,
  pathSummary,
  type EntryShape,
  type EvidenceVerdict,
} from '../evidence/clojure.js';
import { evidenceKeyOf, type CallPath, type LookupEvidence } from '../evidence/types.js';
import { compiledNamespace, isStale, namespacePathOf, type ClasspathIndex } from './classpath.js';
import type { PresetName } from './presets.js';
import { compileRule, type CompiledRule, type EvidenceCondition, type Rule } from './rules.js';

/** Metadata that a library ships itself, named for --explain. */
export interface LibraryConfig {
  readonly source: string;
  readonly set: ConfigSet;
}

/**
 * Everything a prune does, resolved once (ops/prune/plan.ts from settings, commands from files)
 * and applied the same way by `prune`, `trace` and anything else that prunes.
 */
export interface PrunePlan {
  /** The presets the rules came from, expanded (`default` → its members), in order. */
  readonly presets?: readonly PresetName[];
  readonly rules: readonly Rule[];
  /** Metadata that libraries ship themselves (N16). */
  readonly subtract?: readonly LibraryConfig[];
  /** Pinned entries (K11): never removed, and added back when the input lacks them. */
  readonly keep?: LibraryConfig;
  /** Where each entry's lookups came from (docs/evidence.md); evidence beats the rules that guess. */
  readonly evidence?: LookupEvidence;
  /** What the class path holds: AOT-compiled namespaces, stale entries (N15). */
  readonly classpath?: ClasspathIndex;
  /** Remove stale entries (N15) instead of only naming them. */
  readonly dropStale?: boolean;
}

export interface Removal {
  readonly section: Section;
  readonly entry: string;
  readonly rule: string;
  readonly reason: string;
  /** Removed whole, or only some members (subtraction). */
  readonly whole: boolean;
  /** What the evidence says of the entry, when it says something: the verdict, how many lookups, one of them. */
  readonly evidence?: RemovalEvidence;
}

export interface RemovalEvidence {
  readonly verdict: Exclude<EvidenceVerdict, 'none'>;
  readonly lookups: number;
  /** One lookup, as explain shows it (the deciding frame, then the caller and what it asked). */
  readonly example: readonly string[];
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
  /** Entries naming a class that neither the class path nor the JDK has (N15), removed or not. */
  readonly stale: readonly { readonly section: Section; readonly entry: string }[];
}

const MAIN = methodKey('main', ['java.lang.String[]']);
const TYPE_PARTS: ReadonlySet<Part> = new Set(['reflection', 'proxies', 'jni']);

/** An item and what only type entries have: whether it registers `main(String[])` and nothing else. */
export interface Candidate extends Item {
  readonly launcherMain: boolean;
  /** What the entry registers beyond its type: which lookups in the evidence can explain it. */
  readonly shape: EntryShape;
}

const NO_MEMBERS: EntryShape = { fields: false, methods: false, constructors: false };

/** The candidate view of an entry of a part. */
export function candidate(p: Part, e: unknown): Candidate {
  const item = itemOf(p, e as never);
  if (!TYPE_PARTS.has(p)) return { ...item, launcherMain: false, shape: NO_MEMBERS };
  const t = e as TypeEntry;
  const only = t.methods.length === 1 ? t.methods[0]! : undefined;
  const launcherMain =
    only !== undefined && methodKey(only.name, only.params) === MAIN && t.fields.length === 0 && t.flags.size === 0;
  const g = t.groups;
  const shape: EntryShape = {
    fields: t.fields.length > 0 || t.flags.has('allDeclaredFields') || t.flags.has('allPublicFields'),
    methods: t.methods.some((m) => m.name !== '<init>') || g.declaredMethods > 0 || g.publicMethods > 0,
    constructors: t.methods.some((m) => m.name === '<init>') || g.declaredConstructors > 0 || g.publicConstructors > 0,
  };
  return { ...item, launcherMain, shape };
}

/** The evidence of an entry: every call path of its lookups, or undefined when the trace has none. */
function evidenceOf(c: Candidate, evidence: LookupEvidence | undefined): readonly CallPath[] | undefined {
  const key = evidence && evidenceKeyOf(c);
  if (key === undefined) return undefined;
  const paths = evidence!.paths.get(key);
  return paths !== undefined && paths.length > 0 ? paths : undefined;
}

/** The evidence of a removal, for --explain: undefined where the evidence says nothing of the entry. */
function removalEvidence(c: Candidate, evidence: LookupEvidence | undefined): RemovalEvidence | undefined {
  const verdict = evidenceVerdict(c, evidence);
  const paths = evidenceOf(c, evidence);
  if (verdict === 'none' || paths === undefined) return undefined;
  const example = paths.find((p) => namespaceLoading(p, evidence!.precision) === (verdict === 'loading')) ?? paths[0]!;
  return { verdict, lookups: paths.length, example: pathSummary(example) };
}

/** The verdict of an entry's evidence. */
export function evidenceVerdict(c: Candidate, evidence: LookupEvidence | undefined): EvidenceVerdict {
  return entryVerdict(evidenceOf(c, evidence), evidence?.precision ?? 'tree', c.shape, c.classNames.join(','));
}

function meets(condition: EvidenceCondition, verdict: EvidenceVerdict): boolean {
  return condition === 'not-runtime' ? verdict !== 'runtime' : condition === verdict;
}

/** Matches rules against entries: the last matching rule decides. */
export class Matcher {
  private readonly rules: readonly CompiledRule[];
  private readonly namespacePackages: ReadonlySet<string>;

  constructor(
    rules: readonly Rule[],
    set: ConfigSet,
    private readonly evidence: LookupEvidence | undefined,
    private readonly classpath: ClasspathIndex | undefined,
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
    const verdict = evidenceVerdict(c, this.evidence);
    let decision: CompiledRule | undefined;
    for (const r of this.rules) if (this.matches(r, c, verdict)) decision = r;
    return decision;
  }

  /** Every rule that matches, in order (the last decides): what explain shows. */
  matching(c: Candidate): CompiledRule[] {
    const verdict = evidenceVerdict(c, this.evidence);
    return this.rules.filter((r) => this.matches(r, c, verdict));
  }

  /**
   * Rules that select the entry by name or shape but do not match it because of what the evidence
   * says of it: what explain says the evidence overruled. Rules about evidence alone are not.
   */
  overruledByEvidence(c: Candidate): CompiledRule[] {
    const verdict = evidenceVerdict(c, this.evidence);
    const selects = (r: CompiledRule): boolean =>
      r.matchClass !== undefined || r.matchText !== undefined || r.shape !== undefined || r.namespaceMember === true;
    return this.rules.filter((r) => selects(r) && !this.matches(r, c, verdict) && this.matches(r, c, verdict, true));
  }

  private matches(r: CompiledRule, c: Candidate, verdict: EvidenceVerdict, ignoreEvidence = false): boolean {
    const textual = c.section === 'resources' || c.section === 'bundles';
    if (r.sections !== undefined ? !r.sections.includes(c.section) : textual) return false;
    if (r.shape === 'name-only' && !c.nameOnly) return false;
    if (r.shape === 'with-members' && c.nameOnly) return false;
    if (r.launcherMain && !c.launcherMain) return false;
    if (r.evidence !== undefined && !ignoreEvidence && !meets(r.evidence, verdict)) return false;
    if (r.compiledNamespace && this.classpath !== undefined) {
      const ns = namespacePathOf(c.text ?? c.classNames[0] ?? '');
      if (ns === undefined || !compiledNamespace(ns, this.classpath)) return false;
    }
    if (r.onCondition) {
      if (c.condition === '' || (r.matchClass !== undefined && !r.matchClass(c.condition))) return false;
      return true;
    }
    if (textual) {
      // resource and bundle rules match the path or bundle name
      if (r.matchText !== undefined && !r.matchText(c.text ?? '')) return false;
      if (r.classes !== undefined || r.namespaceMember) return false;
      return r.matchText !== undefined || r.shape !== undefined || r.evidence !== undefined;
    }
    if (r.resources !== undefined) return false;
    if (r.matchClass !== undefined && !c.classNames.every((n) => r.matchClass!(n))) return false;
    if (
      r.namespaceMember &&
      !c.classNames.every((n) => this.namespacePackages.has(n.slice(0, Math.max(0, n.lastIndexOf('.')))))
    )
      return false;
    return true;
  }
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
    rewritten.push(
      `${withCondition(typeLabel(t.type), t.condition)} canAccess(java.lang.Object) → java.lang.reflect.AccessibleObject`,
    );
  }
  b.addSet({ ...set, reflection: [] });
  return { set: b.build(), rewritten };
}

/** The identities of pinned entries, per part. */
class KeepIndex {
  private readonly keys = new Set<string>();

  constructor(set: ConfigSet) {
    for (const p of PART_NAMES) for (const e of partEntries(set, p)) this.keys.add(`${p}\u0000${itemOf(p, e).key}`);
  }

  has(item: Item): boolean {
    return this.keys.has(`${item.part}\u0000${item.key}`);
  }
}

/** Applies a plan: what it removes, what pins saved, what was rewritten. */
export function prune(input: ConfigSet, plan: PrunePlan): PruneResult {
  const { set, rewritten } = rewriteCanAccess(input);
  const matcher = new Matcher(plan.rules, set, plan.evidence, plan.classpath);
  const keep = plan.keep && new KeepIndex(plan.keep.set);
  const removed: Removal[] = [];
  const kept: KeepOverride[] = [];
  const stale: { section: Section; entry: string }[] = [];
  const out = new ConfigBuilder();

  for (const p of PART_NAMES) {
    for (const e of partEntries(set, p)) {
      if (PARTS[p].prunable) {
        const c = candidate(p, e);
        const isStaleEntry =
          plan.classpath !== undefined && c.text === undefined && c.classNames.some((n) => isStale(n, plan.classpath!));
        if (isStaleEntry) stale.push({ section: c.section, entry: c.label });
        const rule = isStaleEntry && plan.dropStale ? STALE_RULE : matcher.decide(c);
        if (rule !== undefined && rule.action === 'exclude') {
          if (keep?.has(c)) kept.push({ section: c.section, entry: c.label, rule: rule.id, keep: plan.keep!.source });
          else {
            const evidence = removalEvidence(c, plan.evidence);
            removed.push({
              section: c.section,
              entry: c.label,
              rule: rule.id,
              reason: rule.reason,
              whole: true,
              ...(evidence ? { evidence } : {}),
            });
            continue;
          }
        }
      }
      addEntry(out, p, e as never);
    }
  }
  if (set.foreign !== undefined) out.addForeign(set.foreign);
  out.addComments(set.comments);

  let result = out.build();
  for (const lib of plan.subtract ?? []) result = subtract(result, lib, removed, keep);
  // Pinned entries the input lacks come back: a re-trace never loses them (K11).
  if (plan.keep) result = new ConfigBuilder().addSet(result).addSet(plan.keep.set).build();

  const counts = new Map<string, number>();
  for (const r of removed) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  return { set: result, removed, kept, rewritten, counts, stale };
}

/** `--drop-stale`: what removes an entry whose class is nowhere (N15). */
const STALE_RULE = {
  id: 'classpath/N15',
  action: 'exclude',
  reason: 'names a class that neither the class path nor the JDK has (N15)',
} as const satisfies Pick<Rule, 'id' | 'action' | 'reason'>;

/**
 * Drops what a library's own metadata already provides (N16): whole entries when the library
 * registers the type with at least the same access, otherwise the members it covers. A library
 * entry without a condition covers every condition; a conditional one only its own.
 */
function subtract(set: ConfigSet, lib: LibraryConfig, removed: Removal[], keep: KeepIndex | undefined): ConfigSet {
  const rule = `library:${lib.source}`;
  const reason = `${lib.source} ships this itself (N16)`;
  const b = new ConfigBuilder();
  for (const section of ['reflection', 'jni'] as const) {
    const byType = new Map<string, TypeEntry[]>();
    for (const t of lib.set[section]) {
      const k = typeLabel(t.type);
      byType.set(k, [...(byType.get(k) ?? []), t]);
    }
    for (const t of set[section]) {
      const covering = (byType.get(typeLabel(t.type)) ?? []).filter(
        (l) => l.condition === '' || l.condition === t.condition,
      );
      const p: Part = section === 'jni' ? 'jni' : t.type.kind === 'proxy' ? 'proxies' : 'reflection';
      const item = itemOf(p, t);
      if (covering.length === 0 || keep?.has(item)) {
        b.addType(section, t);
        continue;
      }
      const provided = new ConfigBuilder();
      for (const l of covering) provided.addType(section, { ...l, condition: t.condition });
      const rest = minus(t, provided.build()[section][0]!);
      if (rest === undefined) {
        removed.push({ section: item.section, entry: item.label, rule, reason, whole: true });
      } else {
        if (rest !== t) {
          const entry = `${item.label} (members the library registers)`;
          removed.push({ section: item.section, entry, rule, reason, whole: false });
        }
        b.addType(section, rest);
      }
    }
  }
  const libResources = lib.set.resources.map((l) => ({ l, item: itemOf('resources', l) }));
  for (const r of set.resources) {
    const item = itemOf('resources', r);
    const shipped = libResources.some(
      (x) =>
        x.l.kind === r.kind &&
        x.l.module === r.module &&
        x.l.value === r.value &&
        (x.l.condition === '' || x.l.condition === r.condition),
    );
    if (shipped && !keep?.has(item))
      removed.push({ section: 'resources', entry: item.label, rule, reason, whole: true });
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
