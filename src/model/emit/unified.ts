/** reachability-metadata.json (schema 1.2 layout), with legacy side files for what it cannot hold. */
import { FILE_KINDS } from '../kinds.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  compareStrings,
  isBuiltList,
  compareTypeEntries,
  firstNotBefore,
  inTypeOrder,
  methodKey,
  typeKey,
  typeListFacts,
  type ConfigSet,
  type MethodEntry,
  type SerializationEntry,
  type TypeEntry,
  type TypeListFacts,
  type TypeRef,
} from '../model.js';
import { literalGlob } from '../regex.js';
import { emitLegacy } from './legacy.js';
import {
  LazyList,
  Notes,
  conditionObject,
  entryLabel,
  methodJson,
  obj,
  typeJson,
  type Emitted,
  type JsonObject,
} from './shared.js';
function unifiedReason(reasons: readonly string[]): unknown {
  if (reasons.length === 0) return undefined;
  return reasons.length === 1 ? reasons[0] : [...reasons];
}

/** How {@link emitUnified} gives the reflection list. */
export interface UnifiedEmitOptions {
  /**
   * As a {@link LazyList}, its items made as its text is written, a group at a time, so that the
   * whole list is never in memory as values (a writer's choice: a lazy list is not an array to
   * read). The notes and side files are found first, in a pass over the entries of their own,
   * which a built list whose facts say that none of its entries makes any does without. On the
   * 200 MB merge: 21.8 → 19.3 s, 967 → 782 MB peak.
   */
  readonly lazy?: boolean;
}

/**
 * Emits reachability-metadata.json (schema 1.2 layout: JNI as `jniAccessible`, serialization as
 * `serializable`, bundles and globs in `resources`) plus legacy side files for what it cannot hold.
 */
export function emitUnified(set: ConfigSet, options: UnifiedEmitOptions = {}): Emitted {
  const notes = new Notes();
  const side = new ConfigBuilder();
  let sideUsed = false;
  const toSide = (labelText: string): void => {
    sideUsed = true;
    notes.add('side-file', labelText);
  };

  // One reflection entry per (condition, type), carrying JNI and serialization as flags.
  const serial: SerializationEntry[] = [];
  for (const s of set.serialization) {
    if (s.customTargetConstructorClass !== '') {
      side.addSerialization(s);
      toSide(`serialization ${entryLabel(s)} with customTargetConstructorClass ${s.customTargetConstructorClass}`);
    } else serial.push(s);
  }
  for (const l of set.lambdaCapturing) {
    side.addLambdaCapturing(l.condition, l.name);
    toSide(`lambda-capturing type ${l.name}`);
  }

  // a builder's lists are sorted and in normal form: nothing to check
  const built = isBuiltList(set.reflection) && isBuiltList(set.jni);
  const effects: Effects = { notes, side, toSide };
  const entries = (): Generator<Combined, void, undefined> => combine(set.reflection, set.jni, serial, built);
  const merge = mergeOnce();
  let reflection: JsonObject[] | LazyList | undefined;
  if (options.lazy) {
    let any = false;
    if (built && quiet(typeListFacts(set.reflection)!)) {
      // no reflection entry makes a note or a side file, and serialization makes none: the first
      // pass need only see the entries with a JNI part (none, most often)
      for (const c of withJni(set.reflection, set.jni)) reflectionEntry(c, built, effects, undefined, merge);
      any = set.reflection.length + set.jni.length + serial.length > 0;
    } else {
      for (const c of entries()) {
        reflectionEntry(c, built, effects, undefined, merge);
        any = true;
      }
    }
    if (any)
      reflection = new LazyList(function* () {
        const shared = sharedObjects();
        for (const c of entries()) yield reflectionEntry(c, built, undefined, shared, merge)!;
      });
  } else {
    const shared = sharedObjects();
    const list: JsonObject[] = [];
    for (const c of entries()) list.push(reflectionEntry(c, built, effects, shared, merge)!);
    if (list.length > 0) reflection = list;
  }

  const resources: JsonObject[] = [];
  for (const r of set.resources) {
    const glob = r.kind === 'glob' ? r.value : literalGlob(r.value);
    if (glob === undefined) {
      side.addResource(r);
      toSide(`resource pattern ${r.value}`);
      continue;
    }
    resources.push(
      obj([
        ['condition', conditionObject(r.condition, 'typeReached')],
        ['module', r.module || undefined],
        ['glob', glob],
        ['reason', unifiedReason(r.reasons)],
      ]),
    );
  }
  for (const r of set.resourceExcludes) {
    side.addResource(r, true);
    toSide(`resource exclude ${r.value}`);
  }
  for (const b of set.bundles) {
    if (b.locales.length > 0 || b.classNames.length > 0) {
      side.addBundle(b);
      toSide(`bundle ${b.name} with ${b.locales.length > 0 ? 'locales' : 'classNames'}`);
      continue;
    }
    resources.push(
      obj([
        ['condition', conditionObject(b.condition, 'typeReached')],
        ['module', b.module || undefined],
        ['bundle', b.name],
        ['reason', unifiedReason(b.reasons)],
      ]),
    );
  }
  for (const p of set.predefined) {
    side.addPredefined(p.type, p.classes);
    for (const c of p.classes) toSide(`predefined class ${c.nameInfo || c.hash}`);
  }

  const doc: JsonObject = {};
  if (set.comments.length > 0) doc.comment = set.comments.length === 1 ? set.comments[0] : [...set.comments];
  if (reflection !== undefined) doc.reflection = reflection;
  if (resources.length > 0) doc.resources = resources;
  if (set.foreign !== undefined) doc.foreign = set.foreign;

  const files = new Map<string, unknown>([[FILE_KINDS.unified.fileName, doc]]);
  const sideNames: string[] = [];
  if (sideUsed) {
    for (const [name, value] of emitLegacy(side.build(), { allFiles: false }).files) {
      files.set(name, value);
      sideNames.push(name);
    }
  }
  return { files, notes: notes.list(sideNames) };
}

const NONE: readonly never[] = Object.freeze([]);

/** Merges the reflection and the JNI entry of one (condition, type). */
type Merge = (reflection: TypeEntry, jni: TypeEntry) => TypeEntry;

/** {@link mergedEntry} of each pair made once, for both passes of a lazy list (by JNI entry: each has one pair). */
function mergeOnce(): Merge {
  const byJni = new Map<TypeEntry, readonly [TypeEntry, TypeEntry]>();
  return (reflection, jni) => {
    const known = byJni.get(jni);
    if (known !== undefined && known[0] === reflection) return known[1];
    const merged = mergedEntry(reflection, jni);
    byJni.set(jni, [reflection, merged]);
    return merged;
  };
}

/** What the first look at an entry gathers: notes, and what goes to the side files. */
interface Effects {
  readonly notes: Notes;
  readonly side: ConfigBuilder;
  toSide(label: string): void;
}

/**
 * Pieces of the output tree that entries share: JSON.stringify writes a shared object as often
 * as it is used. Conditions and field names repeat across a set; a method's object is made where
 * it is used (a table of every method entry cost more time than the objects it saved: 841,549 of
 * them, each written once, in the 200 MB merge).
 */
interface Shared {
  readonly conditions: Map<string, JsonObject>;
  readonly fields: Map<string, JsonObject>;
}

function sharedObjects(): Shared {
  return { conditions: new Map(), fields: new Map() };
}

/** The flags a reflection entry of the unified format has a key for. */
const UNIFIED_TYPE_FLAGS: ReadonlySet<string> = new Set(['allDeclaredFields', 'allPublicFields', 'unsafeAllocated']);

/** Whether no entry of a list with these facts can make a note or a side file of {@link reflectionEntry}'s (JNI aside). */
function quiet(facts: TypeListFacts): boolean {
  if (facts.queried || facts.anyOverload || facts.fieldFlags) return false;
  for (const f of facts.flags) if (!UNIFIED_TYPE_FLAGS.has(f)) return false;
  return true;
}

/**
 * One (condition, type) of the output: with `effects`, its notes and side-file parts are added
 * there; with `shared`, its JSON object is made (else undefined). The emitter asks for both at
 * once, or, for a lazy list, for the effects of every entry first and the objects as they are
 * written.
 */
function reflectionEntry(
  c: Combined,
  built: boolean,
  effects: Effects | undefined,
  shared: Shared | undefined,
  merge: Merge,
): JsonObject | undefined {
  const one = c.reflection ?? c.jni;
  const entry =
    c.reflection !== undefined && c.jni !== undefined
      ? merge(c.reflection, c.jni)
      : one !== undefined && !built
        ? normalised(one)
        : one;
  // notes name the entry (few entries have any)
  const l = (): string => entryLabel(c);
  if (effects !== undefined && c.jni && (!c.reflection || !sameMembers(c.reflection, c.jni)))
    effects.notes.add('jni-widened', l());

  let methods = entry?.methods ?? NONE;
  if (hasQueriedOrAnyOverload(methods)) {
    const kept: MethodEntry[] = [];
    const sideMethods: MethodEntry[] = [];
    for (const m of methods) {
      if (m.access === Access.Queried) effects?.notes.add('implied-queries', `${l()} ${methodKey(m.name, m.params)}`);
      else if (m.params === null) sideMethods.push(m);
      else kept.push(m);
    }
    if (effects !== undefined && sideMethods.length > 0) {
      effects.side.addType('reflection', { condition: c.condition, type: c.type, methods: sideMethods });
      for (const m of sideMethods) effects.toSide(`${l()} method ${m.name} without parameterTypes (all overloads)`);
    }
    methods = kept;
  }
  const g = entry?.groups;
  const anyGroup =
    g !== undefined && g.declaredMethods + g.publicMethods + g.declaredConstructors + g.publicConstructors > 0;
  if (effects !== undefined && entry !== undefined) {
    if (anyGroup) {
      for (const name of MEMBER_GROUP_NAMES)
        if (g![name] === Access.Queried) effects.notes.add('implied-queries', `${l()} ${MEMBER_GROUPS[name].queried}`);
    }
    if (entry.flags.size > 0)
      for (const f of entry.flags)
        if (!UNIFIED_TYPE_FLAGS.has(f)) effects.notes.add('implied-class-flags', `${l()} ${f}`);
    if (hasFieldFlags(entry.fields)) effects.notes.add('implied-field-flags', l());
  }
  if (shared === undefined) return undefined;

  const o: JsonObject = {};
  if (c.condition !== '') {
    let cond = shared.conditions.get(c.condition);
    if (cond === undefined) shared.conditions.set(c.condition, (cond = { typeReached: c.condition }));
    o.condition = cond;
  }
  o.type = typeJson(c.type);
  // one `reason` for the whole entry: what reflection, JNI and serialization each said
  const reason = unifiedReason(joinReasons(entry?.reasons ?? NONE, c.serialReasons));
  if (reason !== undefined) o.reason = reason;
  if (entry) {
    if (anyGroup) {
      for (const name of MEMBER_GROUP_NAMES) if (g![name] === Access.Accessed) o[MEMBER_GROUPS[name].accessed] = true;
    }
    if (entry.flags.size > 0) {
      if (entry.flags.has('allDeclaredFields')) o.allDeclaredFields = true;
      if (entry.flags.has('allPublicFields')) o.allPublicFields = true;
      if (entry.flags.has('unsafeAllocated')) o.unsafeAllocated = true;
    }
  }
  if (c.serializable) o.serializable = true;
  if (c.jni) o.jniAccessible = true;
  if (entry && entry.fields.length > 0) {
    o.fields = entry.fields.map((f) => {
      let fo = shared.fields.get(f.name);
      if (fo === undefined) shared.fields.set(f.name, (fo = { name: f.name }));
      return fo;
    });
  }
  if (methods.length > 0) o.methods = methods.map(methodJson);
  return o;
}

/** Whether a method of the list is only queried or names every overload (neither has a place of its own in the file). */
function hasQueriedOrAnyOverload(methods: readonly MethodEntry[]): boolean {
  for (let i = 0; i < methods.length; i++) {
    const m = methods[i]!;
    if (m.access === Access.Queried || m.params === null) return true;
  }
  return false;
}

/** Whether a field carries `allowWrite` or `allowUnsafeAccess`. */
function hasFieldFlags(fields: TypeEntry['fields']): boolean {
  for (let i = 0; i < fields.length; i++) if (fields[i]!.allowWrite || fields[i]!.allowUnsafeAccess) return true;
  return false;
}

/** One (condition, type) of the unified output: its reflection and JNI entries and whether it is serializable. */
interface Combined {
  readonly condition: string;
  readonly type: TypeRef;
  reflection: TypeEntry | undefined;
  jni: TypeEntry | undefined;
  serializable: boolean;
  serialReasons: readonly string[];
}

/**
 * The reflection, JNI and serialization entries of one (condition, type) together, in the
 * canonical order, one at a time. A built set's lists are sorted in that order already, so they
 * are merged as they come; lists that are not (a set made by hand) are keyed and sorted instead.
 */
function* combine(
  reflection: readonly TypeEntry[],
  jni: readonly TypeEntry[],
  serial: readonly SerializationEntry[],
  built: boolean,
): Generator<Combined, void, undefined> {
  if ((built || (inTypeOrder(reflection) && inTypeOrder(jni))) && inTypeOrder(serial)) {
    // given one at a time, so that each entry is visited once while its JSON is made
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < reflection.length || j < jni.length || k < serial.length) {
      const r = reflection[i];
      const n = jni[j];
      const s = serial[k];
      if (n === undefined && s === undefined) {
        // the rest is reflection only
        yield {
          condition: r!.condition,
          type: r!.type,
          reflection: r,
          jni: undefined,
          serializable: false,
          serialReasons: NONE,
        };
        i++;
        continue;
      }
      let first: { condition: string; type: TypeRef } = (r ?? n ?? s)!;
      if (n !== undefined && compareTypeEntries(n, first) < 0) first = n;
      if (s !== undefined && compareTypeEntries(s, first) < 0) first = s;
      const c: Combined = {
        condition: first.condition,
        type: first.type,
        reflection: undefined,
        jni: undefined,
        serializable: false,
        serialReasons: NONE,
      };
      if (r !== undefined && compareTypeEntries(r, first) === 0) {
        c.reflection = r;
        i++;
      }
      if (n !== undefined && compareTypeEntries(n, first) === 0) {
        c.jni = n;
        j++;
      }
      if (s !== undefined && compareTypeEntries(s, first) === 0) {
        c.serializable = true;
        c.serialReasons = s.reasons;
        k++;
      }
      yield c;
    }
    return;
  }
  const byKey = new Map<string, Combined>();
  const slot = (condition: string, type: TypeRef): Combined => {
    const key = `${condition}\u0000${typeKey(type)}`;
    let c = byKey.get(key);
    if (c === undefined)
      byKey.set(
        key,
        (c = { condition, type, reflection: undefined, jni: undefined, serializable: false, serialReasons: NONE }),
      );
    return c;
  };
  for (const t of reflection) slot(t.condition, t.type).reflection = t;
  for (const t of jni) slot(t.condition, t.type).jni = t;
  for (const s of serial) {
    const c = slot(s.condition, s.type);
    c.serializable = true;
    c.serialReasons = s.reasons;
  }
  yield* [...byKey.values()].sort(compareTypeEntries);
}

/**
 * The (condition, type)s of sorted lists that have a JNI entry, each with its reflection entry
 * when there is one (serialization left out), in the canonical order: {@link combine}'s for them.
 */
function* withJni(reflection: readonly TypeEntry[], jni: readonly TypeEntry[]): Generator<Combined, void, undefined> {
  let from = 0;
  for (const n of jni) {
    // the first reflection entry not before this one
    from = firstNotBefore(reflection, (t) => compareTypeEntries(t, n) < 0, from);
    const r = reflection[from];
    yield {
      condition: n.condition,
      type: n.type,
      reflection: r !== undefined && compareTypeEntries(r, n) === 0 ? r : undefined,
      jni: n,
      serializable: false,
      serialReasons: NONE,
    };
  }
}

/** An entry as a builder would give it back: itself when it is in normal form already (any built set's entries are). */
function normalised(t: TypeEntry): TypeEntry {
  return isNormalForm(t) ? t : mergedEntry(t);
}

/** Entries of one (condition, type) as one, with the builder's merge. */
function mergedEntry(...parts: TypeEntry[]): TypeEntry {
  const merged = new ConfigBuilder();
  for (const p of parts) merged.addType('reflection', p);
  return merged.build().reflection[0]!;
}

/** Whether an entry is what the builder makes of it: members unique, sorted and not covered by a group; reasons unique and sorted. */
function isNormalForm(t: TypeEntry): boolean {
  const g = t.groups;
  for (let i = 0; i < t.methods.length; i++) {
    const m = t.methods[i]!;
    const covered =
      m.name === '<init>'
        ? g.declaredConstructors >= m.access
        : g.declaredMethods >= m.access && g.publicMethods >= m.access;
    if (covered) return false;
    if (i > 0) {
      const p = t.methods[i - 1]!;
      const byName = compareStrings(p.name, m.name);
      if (byName > 0 || (byName === 0 && compareStrings(methodKey(p.name, p.params), methodKey(m.name, m.params)) >= 0))
        return false;
    }
  }
  const fieldsCovered = t.flags.has('allDeclaredFields') && t.flags.has('allPublicFields');
  for (let i = 0; i < t.fields.length; i++) {
    const f = t.fields[i]!;
    if (fieldsCovered && !f.allowWrite && !f.allowUnsafeAccess) return false;
    if (i > 0 && compareStrings(t.fields[i - 1]!.name, f.name) >= 0) return false;
  }
  for (let i = 1; i < t.reasons.length; i++) if (compareStrings(t.reasons[i - 1]!, t.reasons[i]!) >= 0) return false;
  let last = -1;
  for (const f of t.flags) {
    const at = TYPE_FLAGS.indexOf(f);
    if (at <= last) return false;
    last = at;
  }
  return true;
}

/** The sorted union of two sorted, duplicate-free reason lists. */
function joinReasons(a: readonly string[], b: readonly string[]): readonly string[] {
  if (b.length === 0 && strictlySortedStrings(a)) return a;
  if (a.length === 0 && strictlySortedStrings(b)) return b;
  return [...new Set([...a, ...b])].sort(compareStrings);
}

function strictlySortedStrings(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareStrings(list[i - 1]!, list[i]!) >= 0) return false;
  return true;
}

/** Whether JNI registers exactly what reflection does (flags, groups, methods, field names). */
function sameMembers(a: TypeEntry, b: TypeEntry): boolean {
  if (a.flags.size !== b.flags.size) return false;
  const fa = [...a.flags];
  const fb = [...b.flags];
  if (fa.some((f, i) => f !== fb[i])) return false;
  for (const g of MEMBER_GROUP_NAMES) if (a.groups[g] !== b.groups[g]) return false;
  if (a.methods.length !== b.methods.length || a.fields.length !== b.fields.length) return false;
  for (let i = 0; i < a.methods.length; i++) {
    const x = a.methods[i]!;
    const y = b.methods[i]!;
    if (x.name !== y.name || x.access !== y.access || !sameList(x.params, y.params)) return false;
  }
  for (let i = 0; i < a.fields.length; i++) if (a.fields[i]!.name !== b.fields[i]!.name) return false;
  return true;
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
