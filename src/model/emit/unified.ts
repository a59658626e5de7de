/** reachability-metadata.json (schema 1.2 layout), with legacy side files for what it cannot hold. */
import { FILE_KINDS } from '../kinds.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  compareStrings,
  compareTypeEntries,
  methodKey,
  typeKey,
  type ConfigSet,
  type MethodEntry,
  type TypeEntry,
  type TypeRef,
} from '../model.js';
import { literalGlob } from '../regex.js';
import { emitLegacy } from './legacy.js';
import {
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

/**
 * Emits reachability-metadata.json (schema 1.2 layout: JNI as `jniAccessible`, serialization as
 * `serializable`, bundles and globs in `resources`) plus legacy side files for what it cannot hold.
 */
export function emitUnified(set: ConfigSet): Emitted {
  const notes = new Notes();
  const side = new ConfigBuilder();
  let sideUsed = false;
  const toSide = (labelText: string): void => {
    sideUsed = true;
    notes.add('side-file', labelText);
  };

  // One reflection entry per (condition, type), carrying JNI and serialization as flags.
  interface Combined {
    condition: string;
    type: TypeRef;
    reflection?: TypeEntry;
    jni?: TypeEntry;
    serializable: boolean;
    serialReasons: readonly string[];
  }
  const combined = new Map<string, Combined>();
  const slot = (condition: string, type: TypeRef): Combined => {
    const key = `${condition}\u0000${typeKey(type)}`;
    let c = combined.get(key);
    if (c === undefined) combined.set(key, (c = { condition, type, serializable: false, serialReasons: [] }));
    return c;
  };
  for (const t of set.reflection) slot(t.condition, t.type).reflection = t;
  for (const t of set.jni) slot(t.condition, t.type).jni = t;
  for (const s of set.serialization) {
    if (s.customTargetConstructorClass !== '') {
      side.addSerialization(s);
      toSide(`serialization ${entryLabel(s)} with customTargetConstructorClass ${s.customTargetConstructorClass}`);
      continue;
    }
    const c = slot(s.condition, s.type);
    c.serializable = true;
    c.serialReasons = s.reasons;
  }
  for (const l of set.lambdaCapturing) {
    side.addLambdaCapturing(l.condition, l.name);
    toSide(`lambda-capturing type ${l.name}`);
  }

  const reflection: JsonObject[] = [];
  for (const c of [...combined.values()].sort(compareTypeEntries)) {
    const parts = [c.reflection, c.jni].filter((t): t is TypeEntry => t !== undefined);
    const merged = new ConfigBuilder();
    for (const p of parts) merged.addType('reflection', p);
    const entry = merged.build().reflection[0];
    const l = entryLabel(c);
    if (c.jni && (!c.reflection || !sameMembers(c.reflection, c.jni))) notes.add('jni-widened', l);

    const methods: MethodEntry[] = [];
    const sideMethods: MethodEntry[] = [];
    for (const m of entry?.methods ?? []) {
      if (m.access === Access.Queried) notes.add('implied-queries', `${l} ${methodKey(m.name, m.params)}`);
      else if (m.params === null) sideMethods.push(m);
      else methods.push(m);
    }
    if (sideMethods.length > 0) {
      side.addType('reflection', { condition: c.condition, type: c.type, methods: sideMethods });
      for (const m of sideMethods) toSide(`${l} method ${m.name} without parameterTypes (all overloads)`);
    }
    const o: JsonObject = {};
    const cond = conditionObject(c.condition, 'typeReached');
    if (cond) o.condition = cond;
    o.type = typeJson(c.type);
    // one `reason` for the whole entry: what reflection, JNI and serialization each said
    const reason = unifiedReason([...new Set([...(entry?.reasons ?? []), ...c.serialReasons])].sort(compareStrings));
    if (reason !== undefined) o.reason = reason;
    if (entry) {
      for (const g of MEMBER_GROUP_NAMES) {
        if (entry.groups[g] === Access.Accessed) o[MEMBER_GROUPS[g].accessed] = true;
        else if (entry.groups[g] === Access.Queried) notes.add('implied-queries', `${l} ${MEMBER_GROUPS[g].queried}`);
      }
      if (entry.flags.has('allDeclaredFields')) o.allDeclaredFields = true;
      if (entry.flags.has('allPublicFields')) o.allPublicFields = true;
      if (entry.flags.has('unsafeAllocated')) o.unsafeAllocated = true;
      for (const f of entry.flags) {
        if (f !== 'allDeclaredFields' && f !== 'allPublicFields' && f !== 'unsafeAllocated')
          notes.add('implied-class-flags', `${l} ${f}`);
      }
      if (entry.fields.some((f) => f.allowWrite || f.allowUnsafeAccess)) notes.add('implied-field-flags', l);
    }
    if (c.serializable) o.serializable = true;
    if (c.jni) o.jniAccessible = true;
    if (entry && entry.fields.length > 0) o.fields = entry.fields.map((f) => ({ name: f.name }));
    if (methods.length > 0) o.methods = methods.map(methodJson);
    reflection.push(o);
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
  if (reflection.length > 0) doc.reflection = reflection;
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

function sameMembers(a: TypeEntry, b: TypeEntry): boolean {
  const strip = (t: TypeEntry): string =>
    JSON.stringify([[...t.flags], t.groups, t.methods, t.fields.map((f) => f.name)]);
  return strip(a) === strip(b);
}
