/** Reflection and JNI type entries, in both formats (a legacy `reflect-config.json`/`jni-config.json` list, or `reflection` in reachability-metadata.json). */
import { pointerAppend } from '../findings.js';
import {
  Access,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  canonicalJson,
  typeKey,
  type MemberGroup,
  type MethodEntry,
  type TypeFlag,
  type TypeRef,
  type TypeSection,
} from '../model.js';
import { serializationItemKey, typeItemKey } from '../sections.js';
import { hasOwn, type Json, type JsonObject, type Reader } from './reader.js';

const UNIFIED_FLAGS = [
  'allDeclaredMethods',
  'allDeclaredFields',
  'allDeclaredConstructors',
  'allPublicMethods',
  'allPublicFields',
  'allPublicConstructors',
  'unsafeAllocated',
] as const;

const GROUP_BY_KEY = new Map<string, { group: MemberGroup; level: Access }>();
for (const g of MEMBER_GROUP_NAMES) {
  GROUP_BY_KEY.set(MEMBER_GROUPS[g].accessed, { group: g, level: Access.Accessed });
  GROUP_BY_KEY.set(MEMBER_GROUPS[g].queried, { group: g, level: Access.Queried });
}

type FlagAction = TypeFlag | 'serializable' | 'jniAccessible' | { group: MemberGroup; level: Access };
/** What each boolean key of a type entry means, per format. */
const LEGACY_FLAG_ACTIONS = new Map<string, FlagAction>([...TYPE_FLAGS.map((f) => [f, f] as const), ...GROUP_BY_KEY]);
const UNIFIED_FLAG_ACTIONS = new Map<string, FlagAction>([
  ...UNIFIED_FLAGS.map((f) => [f, GROUP_BY_KEY.get(f) ?? (f as TypeFlag)] as const),
  ['serializable', 'serializable'],
  ['jniAccessible', 'jniAccessible'],
]);

const LEGACY_TYPE_KEYS: ReadonlySet<string> = new Set([
  'name',
  'type',
  'condition',
  'reasons',
  'methods',
  'queriedMethods',
  'fields',
  ...TYPE_FLAGS,
  ...GROUP_BY_KEY.keys(),
]);
const UNIFIED_TYPE_KEYS: ReadonlySet<string> = new Set([
  'type',
  'condition',
  'reason',
  'methods',
  'fields',
  'serializable',
  'jniAccessible',
  ...UNIFIED_FLAGS,
]);

// -- primitives -----------------------------------------------------------------------------

/**
 * The same registration under several conditions is how conditional metadata looks; in a file
 * that also registers types unconditionally it is most often an accident of hand merging.
 */
export function reportRepeats(r: Reader): void {
  if (r.unconditionalTypes === 0) return;
  const repeats = new Map<string, { condition: string; ptr: string; entry: JsonObject }[]>();
  for (const { section, list, ptr } of r.typeLists) {
    list.forEach((e, i) => {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) return;
      const o = e as JsonObject;
      const c = o.condition as { typeReachable?: unknown; typeReached?: unknown } | undefined;
      const condition = String(c?.typeReachable ?? c?.typeReached ?? '');
      const t = o.type ?? o.name;
      const key = typeof t === 'string' ? section + '\u0000' + t : `${section}\u0000${JSON.stringify(t)}`;
      let group = repeats.get(key);
      if (group === undefined) repeats.set(key, (group = []));
      group.push({ condition, ptr: pointerAppend(ptr, i), entry: o });
    });
  }
  for (const group of repeats.values()) {
    if (group.length < 2) continue;
    const bodies = new Map<string, { condition: string; ptr: string }[]>();
    for (const g of group) {
      const { condition: _ignored, ...rest } = g.entry;
      const body = canonicalJson(rest);
      let list = bodies.get(body);
      if (list === undefined) bodies.set(body, (list = []));
      list.push(g);
    }
    for (const same of bodies.values()) {
      const conditions = [...new Set(same.map((s) => s.condition))];
      if (conditions.length < 2) continue;
      const [first, ...rest] = same;
      for (const repeat of rest) {
        r.report(
          'duplicate-type',
          repeat.ptr,
          `the same registration as ${first!.ptr} under another condition (${conditions.map((c) => c || 'none').join(', ')}); one entry would do`,
        );
      }
    }
  }
}

// -- type entries (reflection and JNI) ------------------------------------------------------

/** Reads one reflection or JNI entry, in the file's format. */
export function typeEntry(r: Reader, v: Json, ptr: string, section: TypeSection, fileLabel: string): void {
  const o = r.obj(v, ptr, `a ${fileLabel} entry`);
  if (o === undefined) return;
  const unified = r.format === 'unified';
  r.checkKeys(o, ptr, unified ? UNIFIED_TYPE_KEYS : LEGACY_TYPE_KEYS, `a ${fileLabel} entry`);

  let type: TypeRef | undefined;
  if (!unified && hasOwn(o, 'name') && hasOwn(o, 'type')) {
    r.report('schema', ptr, "an entry takes 'name' or 'type', not both");
    return;
  }
  const typeKeyName = !unified && hasOwn(o, 'name') ? 'name' : 'type';
  if (!hasOwn(o, typeKeyName)) {
    r.report('missing-key', ptr, unified ? "an entry has no 'type'" : "an entry has no 'name' or 'type'");
    return;
  }
  const tptr = pointerAppend(ptr, typeKeyName);
  if (typeKeyName === 'name') {
    const n = r.str(o.name, tptr, 'a class name');
    if (n !== undefined) type = { kind: 'class', name: r.className(n, tptr, 'type') };
  } else {
    type = r.typeRef(o.type, tptr);
  }
  if (type === undefined) return;

  const condition = r.condition(o, ptr);
  const flagKeys = unified ? UNIFIED_FLAG_ACTIONS : LEGACY_FLAG_ACTIONS;
  let flags: TypeFlag[] | undefined;
  let groups: Partial<Record<MemberGroup, Access>> | undefined;
  let serializable = false;
  let jniAccessible = false;
  for (const k in o) {
    const action = flagKeys.get(k);
    if (action === undefined || !Object.prototype.hasOwnProperty.call(o, k) || !r.bool(o, k, ptr)) continue;
    if (action === 'serializable') serializable = true;
    else if (action === 'jniAccessible') jniAccessible = true;
    else if (typeof action === 'string') (flags ??= []).push(action);
    else {
      groups ??= {};
      groups[action.group] = Math.max(groups[action.group] ?? Access.None, action.level) as Access;
    }
  }
  let methods: MethodEntry[] | undefined;
  if (hasOwn(o, 'methods')) r.methods(o, 'methods', ptr, Access.Accessed, (methods ??= []));
  if (!unified && hasOwn(o, 'queriedMethods')) r.methods(o, 'queriedMethods', ptr, Access.Queried, (methods ??= []));
  const fields = hasOwn(o, 'fields') ? r.fields(o, ptr) : undefined;
  const reasons = r.reasons(o, ptr);

  if (condition === '') r.unconditionalTypes++;
  const entry = { condition, type, flags, groups, methods, fields, reasons };
  // In reachability-metadata.json an entry is a reflection registration; `jniAccessible`
  // and `serializable` add JNI access and serialization to it (GraalVM 25, GR-60238).
  // A bare {"type": X, "serializable": true} is a serialization registration only: the
  // reflective lookup of X that a reflection entry would add comes with serialization anyway.
  const bare =
    flags === undefined &&
    groups === undefined &&
    (methods === undefined || methods.length === 0) &&
    (fields === undefined || fields.length === 0);
  if (serializable && bare && !jniAccessible) {
    r.duplicate(`serializable\u0000${condition}\u0000${typeKey(type)}`, ptr, `this ${fileLabel} entry`);
  } else {
    const repeatOf = r.builder.addType(section, entry, r.originId, ptr);
    r.at(
      section === 'jni' ? 'jni' : type.kind === 'proxy' ? 'proxies' : 'reflection',
      typeItemKey(condition, type),
      ptr,
    );
    if (repeatOf !== undefined)
      r.report(
        'duplicate-entry',
        ptr,
        `this ${fileLabel} entry repeats the entry at ${repeatOf || '/'}; the two are merged`,
      );
  }
  if (jniAccessible) {
    r.builder.addType('jni', entry);
    r.at('jni', typeItemKey(condition, type), ptr);
  }
  if (serializable) {
    r.builder.addSerialization({ condition, type, reasons });
    r.at('serialization', serializationItemKey(condition, type, ''), ptr);
  }
}

/** Reads a list of reflection or JNI entries. */
export function typeList(r: Reader, v: Json, ptr: string, section: TypeSection, fileLabel: string): void {
  const list = r.arr(v, ptr, `a ${fileLabel} list`);
  if (list !== undefined) r.typeLists.push({ section, list, ptr });
  list?.forEach((e, i) => typeEntry(r, e, pointerAppend(ptr, i), section, fileLabel));
}
