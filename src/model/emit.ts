/**
 * Emits a {@link ConfigSet} as legacy per-kind files or as one reachability-metadata.json.
 * Output is deterministic: the set is already sorted and every object is built with a fixed
 * key order. What the target format cannot express is never dropped silently: it goes into a
 * legacy side file (native-image reads those next to reachability-metadata.json) or into a
 * note that names it.
 */
import { globAsPattern, literalGlob } from './regex.js';
import { FILE_KINDS } from './kinds.js';
import {
  Access,
  ConfigBuilder,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  compareStrings,
  compareTypeEntries,
  isNameOnly,
  methodKey,
  typeKey,
  typeLabel,
  type BundleEntry,
  type ConfigSet,
  type FieldEntry,
  type MethodEntry,
  type ResourceEntry,
  type SerializationEntry,
  type TypeEntry,
  type TypeRef,
} from './model.js';

type JsonObject = Record<string, unknown>;

export interface EmitNote {
  readonly code: EmitNoteCode;
  readonly severity: 'warning' | 'info';
  readonly message: string;
  /** The entries concerned, as readable labels. */
  readonly entries: readonly string[];
}

export const EMIT_NOTE_CODES = {
  'implied-queries': {
    severity: 'info',
    text: 'queried members and queryAll* flags are implied by registration in reachability-metadata.json and were not written',
  },
  'implied-class-flags': {
    severity: 'info',
    text: 'allDeclaredClasses/allPublicClasses/allRecordComponents/allPermittedSubclasses/allNestMembers/allSigners are implied by registration in reachability-metadata.json and were not written',
  },
  'implied-field-flags': {
    severity: 'info',
    text: 'allowWrite/allowUnsafeAccess on fields are not part of reachability-metadata.json; registered fields are writable there',
  },
  'jni-widened': {
    severity: 'info',
    text: 'reachability-metadata.json has one entry per type for reflection and JNI: these JNI entries now also register their members for reflection (or the reverse)',
  },
  'dropped-comments': {
    severity: 'warning',
    text: 'legacy files have no place for the file-level comment; it was not written',
  },
  'dropped-reasons': {
    severity: 'warning',
    text: 'legacy resource-config.json has no place for reasons on resources and bundles; they were not written',
  },
  'unified-side-file': {
    severity: 'warning',
    text: 'legacy files cannot express these entries (lambda type descriptors, bundles in a named module); they were written to reachability-metadata.json beside them, which native-image for JDK 23 and later reads',
  },
  'side-file': {
    severity: 'warning',
    text: 'reachability-metadata.json cannot express these entries; they were written to a legacy side file that native-image reads beside it',
  },
} as const satisfies Record<string, { severity: 'warning' | 'info'; text: string }>;
export type EmitNoteCode = keyof typeof EMIT_NOTE_CODES;

export interface Emitted {
  /** File name → JSON value, in a fixed order. */
  readonly files: ReadonlyMap<string, unknown>;
  readonly notes: readonly EmitNote[];
}

/** The one serializer for every generated file: two-space indent, trailing newline. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// shared pieces

function conditionObject(condition: string, key: 'typeReachable' | 'typeReached'): JsonObject | undefined {
  return condition === '' ? undefined : { [key]: condition };
}

function typeJson(t: TypeRef): unknown {
  switch (t.kind) {
    case 'class':
      return t.name;
    case 'proxy':
      return { proxy: [...t.interfaces] };
    case 'lambda': {
      const lambda: JsonObject = { declaringClass: t.declaringClass };
      if (t.declaringMethod) lambda.declaringMethod = methodJson(t.declaringMethod);
      lambda.interfaces = [...t.interfaces];
      return { lambda };
    }
  }
}

function methodJson(m: { name: string; params: readonly string[] | null }): JsonObject {
  return m.params === null ? { name: m.name } : { name: m.name, parameterTypes: [...m.params] };
}

/** Builds an object, leaving out keys whose value is undefined. */
function obj(entries: readonly (readonly [string, unknown])[]): JsonObject {
  const o: JsonObject = {};
  for (const [k, v] of entries) if (v !== undefined) o[k] = v;
  return o;
}

function orUndefined<T>(list: readonly T[]): T[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

class Notes {
  private readonly byCode = new Map<EmitNoteCode, Set<string>>();
  add(code: EmitNoteCode, label: string): void {
    let s = this.byCode.get(code);
    if (s === undefined) this.byCode.set(code, (s = new Set()));
    s.add(label);
  }
  list(sideFiles: readonly string[]): EmitNote[] {
    return (Object.keys(EMIT_NOTE_CODES) as EmitNoteCode[])
      .filter((c) => this.byCode.has(c))
      .map((code) => {
        const entries = [...this.byCode.get(code)!].sort();
        const { severity, text } = EMIT_NOTE_CODES[code];
        const where = code === 'side-file' ? ` (${sideFiles.join(', ')})` : '';
        return {
          code,
          severity,
          message: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}: ${text}${where}`,
          entries,
        };
      });
  }
}

// ---------------------------------------------------------------------------------------------
// legacy

function legacyType(t: TypeEntry): JsonObject {
  const o: JsonObject = {};
  if (t.condition !== '') o.condition = { typeReachable: t.condition };
  if (t.type.kind === 'class') o.name = t.type.name;
  else o.type = typeJson(t.type);
  if (t.reasons.length > 0) o.reasons = [...t.reasons];
  const g = t.groups;
  if (g.declaredMethods + g.publicMethods + g.declaredConstructors + g.publicConstructors > 0) {
    for (const name of MEMBER_GROUP_NAMES) {
      if (g[name] === Access.Accessed) o[MEMBER_GROUPS[name].accessed] = true;
      else if (g[name] === Access.Queried) o[MEMBER_GROUPS[name].queried] = true;
    }
  }
  if (t.flags.size > 0) for (const f of TYPE_FLAGS) if (t.flags.has(f)) o[f] = true;
  if (t.fields.length > 0) o.fields = t.fields.map(legacyField);
  if (t.methods.length > 0) {
    const accessed: JsonObject[] = [];
    const queried: JsonObject[] = [];
    for (const m of t.methods) (m.access === Access.Accessed ? accessed : queried).push(methodJson(m));
    if (accessed.length > 0) o.methods = accessed;
    if (queried.length > 0) o.queriedMethods = queried;
  }
  return o;
}

function legacyField(f: FieldEntry): JsonObject {
  return obj([
    ['name', f.name],
    ['allowWrite', f.allowWrite || undefined],
    ['allowUnsafeAccess', f.allowUnsafeAccess || undefined],
  ]);
}

function legacyResource(r: ResourceEntry): JsonObject {
  return obj([
    ['condition', conditionObject(r.condition, 'typeReachable')],
    ['pattern', r.value],
  ]);
}

function legacyBundle(b: BundleEntry): JsonObject {
  return obj([
    ['condition', conditionObject(b.condition, 'typeReachable')],
    ['name', b.name],
    ['module', b.module || undefined],
    ['locales', orUndefined(b.locales)],
    ['classNames', orUndefined(b.classNames)],
  ]);
}

function legacySerialization(s: SerializationEntry): JsonObject {
  return obj([
    ['condition', conditionObject(s.condition, 'typeReachable')],
    [s.type.kind === 'class' ? 'name' : 'type', s.type.kind === 'class' ? s.type.name : typeJson(s.type)],
    ['customTargetConstructorClass', s.customTargetConstructorClass || undefined],
    ['reasons', orUndefined(s.reasons)],
  ]);
}

/** Splits off what only reachability-metadata.json can hold: lambda type descriptors and bundles in a named module. */
function splitForLegacy(set: ConfigSet): { set: ConfigSet; side: ConfigSet | undefined } {
  const isLambda = (t: { type: TypeRef }): boolean => t.type.kind === 'lambda';
  const sideCount =
    set.reflection.filter(isLambda).length +
    set.jni.filter(isLambda).length +
    set.serialization.filter(isLambda).length +
    set.bundles.filter((b) => b.module !== '').length;
  if (sideCount === 0) return { set, side: undefined };
  const side: ConfigSet = {
    reflection: set.reflection.filter(isLambda),
    jni: set.jni.filter(isLambda),
    serialization: set.serialization.filter(isLambda),
    lambdaCapturing: [],
    resources: [],
    resourceExcludes: [],
    bundles: set.bundles.filter((b) => b.module !== ''),
    predefined: [],
    foreign: undefined,
    comments: [],
  };
  return {
    set: {
      ...set,
      reflection: set.reflection.filter((t) => !isLambda(t)),
      jni: set.jni.filter((t) => !isLambda(t)),
      serialization: set.serialization.filter((t) => !isLambda(t)),
      bundles: set.bundles.filter((b) => b.module === ''),
    },
    side,
  };
}

/** A proxy registration with nothing else is what proxy-config.json holds. */
function isPlainProxy(t: TypeEntry): boolean {
  return t.type.kind === 'proxy' && isNameOnly(t);
}

export interface LegacyEmitOptions {
  /** Write all six files, empty ones included, as the agent does (default), or only non-empty ones. */
  readonly allFiles?: boolean;
}

/** Emits the six legacy per-kind files. */
export function emitLegacy(whole: ConfigSet, options: LegacyEmitOptions = {}): Emitted {
  const allFiles = options.allFiles ?? true;
  const { set, side } = splitForLegacy(whole);
  const files = new Map<string, unknown>();
  const put = (name: string, value: unknown, empty: boolean): void => {
    if (allFiles || !empty) files.set(name, value);
  };
  const reflect = set.reflection.filter((t) => !isPlainProxy(t));
  const proxies = set.reflection.filter(isPlainProxy);
  put(FILE_KINDS.reflect.fileName, reflect.map(legacyType), reflect.length === 0);
  put(FILE_KINDS.jni.fileName, set.jni.map(legacyType), set.jni.length === 0);
  put(
    FILE_KINDS.proxy.fileName,
    proxies.map((t) =>
      obj([
        ['condition', conditionObject(t.condition, 'typeReachable')],
        ['interfaces', t.type.kind === 'proxy' ? [...t.type.interfaces] : []],
        ['reasons', orUndefined(t.reasons)],
      ]),
    ),
    proxies.length === 0,
  );

  // Literal paths are written as `\Q…\E` patterns, which every native-image version reads;
  // only real globs (wildcards, or a module) need the `globs` key of GraalVM for JDK 23+.
  const asPattern = (r: ResourceEntry): string | undefined =>
    r.kind === 'regex' ? r.value : r.module === '' ? globAsPattern(r.value) : undefined;
  const patternIncludes = set.resources.filter((r) => asPattern(r) !== undefined);
  const globs = set.resources.filter((r) => asPattern(r) === undefined);
  const resourceConfig: JsonObject = {
    resources: obj([
      ['includes', patternIncludes.map((r) => legacyResource({ ...r, value: asPattern(r)! }))],
      ['excludes', orUndefined(set.resourceExcludes.map(legacyResource))],
    ]),
    bundles: set.bundles.map(legacyBundle),
  };
  // `globs` came with GraalVM for JDK 23; older native-image versions do not know the key.
  if (globs.length > 0) {
    resourceConfig.globs = globs.map((g) =>
      obj([
        ['condition', conditionObject(g.condition, 'typeReachable')],
        ['module', g.module || undefined],
        ['glob', g.value],
      ]),
    );
  }
  put(
    FILE_KINDS.resource.fileName,
    resourceConfig,
    set.resources.length + set.resourceExcludes.length + set.bundles.length === 0,
  );

  // `proxies` entries have no customTargetConstructorClass; a proxy with one is a `types` entry.
  const isPlainSerialProxy = (s: SerializationEntry): boolean =>
    s.type.kind === 'proxy' && s.customTargetConstructorClass === '';
  const serialTypes = set.serialization.filter((s) => !isPlainSerialProxy(s));
  const serialProxies = set.serialization.filter(isPlainSerialProxy);
  put(
    FILE_KINDS.serialization.fileName,
    {
      types: serialTypes.map(legacySerialization),
      lambdaCapturingTypes: set.lambdaCapturing.map((l) =>
        obj([
          ['condition', conditionObject(l.condition, 'typeReachable')],
          ['name', l.name],
        ]),
      ),
      proxies: serialProxies.map((s) =>
        obj([
          ['condition', conditionObject(s.condition, 'typeReachable')],
          ['interfaces', s.type.kind === 'proxy' ? [...s.type.interfaces] : []],
          ['reasons', orUndefined(s.reasons)],
        ]),
      ),
    },
    set.serialization.length + set.lambdaCapturing.length === 0,
  );
  if (set.foreign !== undefined) files.set(FILE_KINDS.foreign.fileName, set.foreign);
  put(
    FILE_KINDS.predefined.fileName,
    set.predefined.map((p) => ({
      type: p.type,
      classes: p.classes.map((c) =>
        obj([
          ['nameInfo', c.nameInfo || undefined],
          ['hash', c.hash],
        ]),
      ),
    })),
    set.predefined.length === 0,
  );
  const notes = new Notes();
  if (side !== undefined) {
    files.set(FILE_KINDS.unified.fileName, emitUnified(side).files.get(FILE_KINDS.unified.fileName));
    for (const t of [...side.reflection, ...side.jni]) notes.add('unified-side-file', label(t));
    for (const t of side.serialization) notes.add('unified-side-file', `serialization ${label(t)}`);
    for (const b of side.bundles) notes.add('unified-side-file', `bundle ${b.name} in module ${b.module}`);
  }
  for (const c of set.comments) notes.add('dropped-comments', c);
  for (const r of [...set.resources, ...set.resourceExcludes])
    if (r.reasons.length > 0) notes.add('dropped-reasons', r.value);
  for (const b of set.bundles) if (b.reasons.length > 0) notes.add('dropped-reasons', b.name);
  return { files, notes: notes.list([]) };
}

// ---------------------------------------------------------------------------------------------
// unified

function unifiedReason(reasons: readonly string[]): unknown {
  if (reasons.length === 0) return undefined;
  return reasons.length === 1 ? reasons[0] : [...reasons];
}

function label(t: { condition: string; type: TypeRef }): string {
  return t.condition === '' ? typeLabel(t.type) : `${typeLabel(t.type)} (if ${t.condition})`;
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
      toSide(`serialization ${label(s)} with customTargetConstructorClass ${s.customTargetConstructorClass}`);
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
    const l = label(c);
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
