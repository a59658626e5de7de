/** The legacy per-kind files: reflect, jni, proxy, resource, serialization, predefined-classes (and foreign). */
import { FILE_KINDS } from '../kinds.js';
import {
  Access,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  isNameOnly,
  type BundleEntry,
  type ConfigSet,
  type FieldEntry,
  type ResourceEntry,
  type SerializationEntry,
  type TypeEntry,
  type TypeRef,
} from '../model.js';
import { globAsPattern } from '../regex.js';
import { emitUnified } from './unified.js';
import {
  Notes,
  conditionObject,
  entryLabel,
  methodJson,
  obj,
  orUndefined,
  typeJson,
  type Emitted,
  type JsonObject,
} from './shared.js';
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
    for (const t of [...side.reflection, ...side.jni]) notes.add('unified-side-file', entryLabel(t));
    for (const t of side.serialization) notes.add('unified-side-file', `serialization ${entryLabel(t)}`);
    for (const b of side.bundles) notes.add('unified-side-file', `bundle ${b.name} in module ${b.module}`);
  }
  for (const c of set.comments) notes.add('dropped-comments', c);
  for (const r of [...set.resources, ...set.resourceExcludes])
    if (r.reasons.length > 0) notes.add('dropped-reasons', r.value);
  for (const b of set.bundles) if (b.reasons.length > 0) notes.add('dropped-reasons', b.name);
  return { files, notes: notes.list([]) };
}
