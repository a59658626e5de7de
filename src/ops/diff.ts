/**
 * Semantic diff of two config sets: independent of file format and order. Reports per section
 * what was added, removed or changed (flags, member access, members), entries that moved from
 * one condition to another, and marks the changes that broaden what the image allows.
 */
import { emitUnified } from '../model/emit/index.js';
import { kindOfFileName } from '../model/kinds.js';
import { parseDocument } from '../model/parse/index.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  compareStrings,
  methodKey,
  typeKey,
  typeLabel,
  type ConfigSet,
  type TypeEntry,
  type TypeRef,
} from '../model/model.js';

export const DIFF_SECTIONS = ['reflection', 'jni', 'serialization', 'resources', 'bundles', 'predefined'] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved';

/** Why a change needs a reviewer's attention. */
export const RISKS = {
  'all-flag': 'grants access to all members of a kind',
  'unsafe-allocated': 'allows instances without a constructor (Unsafe.allocateInstance)',
  serializable: 'makes a type deserializable',
  'broad-resource': 'a resource pattern that matches broadly',
  jni: 'new JNI access',
  proxy: 'a new dynamic proxy',
  'sensitive-package': 'touches a security-sensitive package',
} as const satisfies Record<string, string>;
export type Risk = keyof typeof RISKS;

export interface Change {
  readonly section: DiffSection;
  readonly kind: ChangeKind;
  /** The entry, readable: `a.B`, `a.B (if c.D)`, `resource **\/*.xml`. */
  readonly entry: string;
  /** For locating the entry in the new files: section, condition and type key. */
  readonly key: { readonly condition: string; readonly type: string } | undefined;
  /** What changed, one line each (`+ allDeclaredMethods`, `- method run()`). */
  readonly details: readonly string[];
  readonly risks: readonly Risk[];
}

export interface DiffResult {
  readonly changes: readonly Change[];
  readonly stat: Record<
    DiffSection,
    { readonly added: number; readonly removed: number; readonly changed: number; readonly moved: number }
  >;
}

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

function sensitive(t: TypeRef): boolean {
  const names = t.kind === 'class' ? [t.name] : t.kind === 'proxy' ? t.interfaces : [t.declaringClass];
  return names.some((n) =>
    SENSITIVE.some((p) => (p.endsWith('.') ? n.startsWith(p) : n === p || n.startsWith(p + '$'))),
  );
}

function label(condition: string, type: TypeRef): string {
  return condition === '' ? typeLabel(type) : `${typeLabel(type)} (if ${condition})`;
}

const FLAG_RISK = new Set(['allDeclaredFields', 'allPublicFields']);

/** Flags, access levels and members of a type entry as comparable lines. */
function facets(t: TypeEntry | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!t) return out;
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

function typeRisks(section: 'reflection' | 'jni', t: TypeEntry, gained: ReadonlySet<string>, whole: boolean): Risk[] {
  const risks = new Set<Risk>();
  for (const g of gained) {
    const [kind, name] = g.split(':') as [string, string];
    // all* at the accessed level grants every member of a kind; queryAll* only lets them be listed
    if (kind === 'group' && t.groups[name as keyof typeof t.groups] === Access.Accessed) risks.add('all-flag');
    if (kind === 'flag' && FLAG_RISK.has(name)) risks.add('all-flag');
    if (g === 'flag:unsafeAllocated') risks.add('unsafe-allocated');
  }
  if (section === 'jni' && (whole || gained.size > 0)) risks.add('jni');
  if (whole && t.type.kind === 'proxy') risks.add('proxy');
  if (sensitive(t.type) && (whole || gained.size > 0)) risks.add('sensitive-package');
  return [...risks];
}

function diffTypes(
  section: 'reflection' | 'jni',
  before: readonly TypeEntry[],
  after: readonly TypeEntry[],
  out: Change[],
): void {
  const key = (t: TypeEntry): string => `${t.condition}\u0000${typeKey(t.type)}`;
  const old = new Map(before.map((t) => [key(t), t]));
  const now = new Map(after.map((t) => [key(t), t]));
  const added: TypeEntry[] = [];
  const removed: TypeEntry[] = [];
  for (const [k, t] of now) {
    const o = old.get(k);
    if (o === undefined) {
      added.push(t);
      continue;
    }
    const a = facets(o);
    const b = facets(t);
    const gained = new Set([...b.keys()].filter((x) => a.get(x) !== b.get(x)));
    const lost = [...a.keys()].filter((x) => b.get(x) !== a.get(x));
    if (gained.size === 0 && lost.length === 0) continue;
    const details = [...[...gained].map((x) => `+ ${b.get(x)}`), ...lost.map((x) => `- ${a.get(x)}`)];
    out.push({
      section,
      kind: 'changed',
      entry: label(t.condition, t.type),
      key: { condition: t.condition, type: typeKey(t.type) },
      details,
      risks: typeRisks(section, t, gained, false),
    });
  }
  for (const [k, t] of old) if (!now.has(k)) removed.push(t);

  // The same type leaving one condition and arriving under another is a move.
  const removedByType = new Map<string, TypeEntry[]>();
  for (const t of removed) {
    const list = removedByType.get(typeKey(t.type)) ?? [];
    list.push(t);
    removedByType.set(typeKey(t.type), list);
  }
  const moved = new Set<TypeEntry>();
  for (const t of added) {
    const from = removedByType.get(typeKey(t.type))?.find((r) => !moved.has(r));
    const gained = new Set([...facets(t).keys()]);
    if (from !== undefined) {
      moved.add(from);
      const a = facets(from);
      const b = facets(t);
      const more = new Set([...b.keys()].filter((x) => a.get(x) !== b.get(x)));
      const details = [
        `condition: ${from.condition || 'none'} → ${t.condition || 'none'}`,
        ...[...more].map((x) => `+ ${b.get(x)}`),
        ...[...a.keys()].filter((x) => b.get(x) !== a.get(x)).map((x) => `- ${a.get(x)}`),
      ];
      const risks = typeRisks(section, t, more, false);
      if (t.condition === '' && from.condition !== '' && !risks.includes('sensitive-package') && sensitive(t.type))
        risks.push('sensitive-package');
      out.push({
        section,
        kind: 'moved',
        entry: label(t.condition, t.type),
        key: { condition: t.condition, type: typeKey(t.type) },
        details,
        risks,
      });
      continue;
    }
    out.push({
      section,
      kind: 'added',
      entry: label(t.condition, t.type),
      key: { condition: t.condition, type: typeKey(t.type) },
      details: [...facets(t).values()].map((v) => `+ ${v}`),
      risks: typeRisks(section, t, gained, true),
    });
  }
  for (const t of removed) {
    if (moved.has(t)) continue;
    out.push({ section, kind: 'removed', entry: label(t.condition, t.type), key: undefined, details: [], risks: [] });
  }
}

/** Resource globs and regexes that match much more than one path. */
export function broadResource(kind: 'glob' | 'regex', value: string): boolean {
  if (kind === 'glob') return value.includes('**') || /(^|\/)\*(\/|$|\.)/.test(value) || value === '*';
  return value.includes('.*') || value.includes('.+') || value === '.';
}

function simple<T>(
  section: DiffSection,
  before: readonly T[],
  after: readonly T[],
  keyOf: (x: T) => string,
  labelOf: (x: T) => string,
  risksOf: (x: T) => Risk[],
  out: Change[],
): void {
  const old = new Set(before.map(keyOf));
  const now = new Set(after.map(keyOf));
  for (const x of after)
    if (!old.has(keyOf(x)))
      out.push({ section, kind: 'added', entry: labelOf(x), key: undefined, details: [], risks: risksOf(x) });
  for (const x of before)
    if (!now.has(keyOf(x)))
      out.push({ section, kind: 'removed', entry: labelOf(x), key: undefined, details: [], risks: [] });
}

/** A resource removed under one condition and added under another is one move. */
function pairMoves(changes: Change[], section: DiffSection): void {
  const base = (entry: string): string => entry.replace(/ \(if [^)]*\)$/, '');
  const cond = (entry: string): string => / \(if ([^)]*)\)$/.exec(entry)?.[1] ?? 'none';
  for (const added of changes.filter((c) => c.section === section && c.kind === 'added')) {
    const i = changes.findIndex(
      (c) => c.section === section && c.kind === 'removed' && base(c.entry) === base(added.entry),
    );
    if (i < 0) continue;
    const removed = changes[i]!;
    changes.splice(i, 1);
    const j = changes.indexOf(added);
    changes[j] = { ...added, kind: 'moved', details: [`condition: ${cond(removed.entry)} → ${cond(added.entry)}`] };
  }
}

export function diffSets(before: ConfigSet, after: ConfigSet): DiffResult {
  const changes: Change[] = [];
  diffTypes('reflection', before.reflection, after.reflection, changes);
  diffTypes('jni', before.jni, after.jni, changes);
  simple(
    'serialization',
    before.serialization,
    after.serialization,
    (s) => `${s.condition}\u0000${typeKey(s.type)}\u0000${s.customTargetConstructorClass}`,
    (s) =>
      label(s.condition, s.type) + (s.customTargetConstructorClass ? ` via ${s.customTargetConstructorClass}` : ''),
    (s) => ['serializable' as Risk, ...(sensitive(s.type) ? ['sensitive-package' as Risk] : [])],
    changes,
  );
  simple(
    'serialization',
    before.lambdaCapturing,
    after.lambdaCapturing,
    (l) => `lambda\u0000${l.condition}\u0000${l.name}`,
    (l) => `lambda-capturing ${label(l.condition, { kind: 'class', name: l.name })}`,
    () => ['serializable'],
    changes,
  );
  const resKey = (exclude: boolean) => (r: ConfigSet['resources'][number]) =>
    `${exclude}\u0000${r.condition}\u0000${r.module}\u0000${r.kind}\u0000${r.value}`;
  const resLabel = (exclude: boolean) => (r: ConfigSet['resources'][number]) =>
    `${exclude ? 'exclude ' : ''}${r.kind === 'glob' ? '' : 'regex '}${r.module ? `${r.module}:` : ''}${r.value}${r.condition ? ` (if ${r.condition})` : ''}`;
  simple(
    'resources',
    before.resources,
    after.resources,
    resKey(false),
    resLabel(false),
    (r) => (broadResource(r.kind, r.value) ? ['broad-resource'] : []),
    changes,
  );
  pairMoves(changes, 'resources');
  simple('resources', before.resourceExcludes, after.resourceExcludes, resKey(true), resLabel(true), () => [], changes);
  simple(
    'bundles',
    before.bundles,
    after.bundles,
    (b) => `${b.condition}\u0000${b.module}\u0000${b.name}\u0000${b.locales.join(',')}\u0000${b.classNames.join(',')}`,
    (b) =>
      `${b.name}${b.locales.length > 0 ? ` [${b.locales.join(', ')}]` : ''}${b.condition ? ` (if ${b.condition})` : ''}`,
    () => [],
    changes,
  );
  const predefined = (s: ConfigSet) => s.predefined.flatMap((p) => p.classes.map((c) => ({ type: p.type, ...c })));
  simple(
    'predefined',
    predefined(before),
    predefined(after),
    (c) => `${c.type}\u0000${c.hash}`,
    (c) => c.nameInfo || c.hash,
    () => [],
    changes,
  );

  changes.sort(
    (a, b) =>
      Number(b.risks.length > 0) - Number(a.risks.length > 0) ||
      DIFF_SECTIONS.indexOf(a.section) - DIFF_SECTIONS.indexOf(b.section) ||
      compareStrings(a.entry, b.entry) ||
      compareStrings(a.kind, b.kind),
  );
  const stat = Object.fromEntries(
    DIFF_SECTIONS.map((s) => [s, { added: 0, removed: 0, changed: 0, moved: 0 }]),
  ) as Record<DiffSection, { added: number; removed: number; changed: number; moved: number }>;
  for (const c of changes) stat[c.section][c.kind]++;
  return { changes, stat };
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
