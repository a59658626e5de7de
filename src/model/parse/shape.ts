/**
 * A quick, one-sided schema check for the documents the lean reader reads: true only when the
 * document certainly satisfies its JSON Schema (reachability-metadata v1.2, reflect-config,
 * jni-config); false when it does not or when it uses a form this check leaves to the compiled
 * validator (`foreign`, the older top-level sections). Callers ask the compiled validator when
 * this says false, so the answer is always the schema's (test/model/shape.property.test.ts).
 *
 * Why it exists: the compiled validators are correct but verbose (an options object and a path
 * string per nested call, error bookkeeping on every branch), and a short process runs them
 * before the JIT has made anything of them: on the corpus's unified tree they cost a few times
 * what this plain walk of the same values does.
 */
import type { FileKind } from '../kinds.js';

type Value = unknown;
type Obj = Record<string, Value>;

/** `$defs/typeName` of reachability-metadata v1.2 (without the `u` flag: the same language for these classes). */
const TYPE_NAME = /^[^.;[/]+(\.[^.;[/]+)*(\[\])*$/;
/** `$defs/className`. */
const CLASS_NAME = /^[^.;[/]+(\.[^.;[/]+)*$/;

function isObject(v: Value): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isStringList(v: Value): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

function isNameList(v: Value, pattern: RegExp, minItems: number): boolean {
  if (!Array.isArray(v) || v.length < minItems) return false;
  for (let i = 0; i < v.length; i++) {
    const s: Value = v[i];
    if (typeof s !== 'string' || !pattern.test(s)) return false;
  }
  return true;
}

// -- reachability-metadata.json, v1.2 ------------------------------------------------------------

/** `$defs/reason`: a string or a list of strings. */
function isReason(v: Value): boolean {
  return typeof v === 'string' || isStringList(v);
}

/** `$defs/method`. */
function isMethod(m: Value): boolean {
  if (!isObject(m)) return false;
  let n = 0;
  for (const k in m) {
    if (k !== 'name' && k !== 'parameterTypes') return false;
    n++;
  }
  return n === 2 && typeof m.name === 'string' && isNameList(m.parameterTypes, TYPE_NAME, 0);
}

/** `$defs/type`: a type name, or an object with exactly one of `proxy` and `lambda`. */
function isType(v: Value): boolean {
  if (typeof v === 'string') return TYPE_NAME.test(v);
  if (!isObject(v)) return false;
  let n = 0;
  for (const k in v) {
    if (k === 'proxy') {
      if (!isNameList(v.proxy, CLASS_NAME, 1)) return false;
    } else if (k === 'lambda') {
      if (!isLambda(v.lambda)) return false;
    } else return false;
    n++;
  }
  return n === 1;
}

function isLambda(l: Value): boolean {
  if (!isObject(l)) return false;
  for (const k in l) {
    const v = l[k];
    if (k === 'declaringClass') {
      if (typeof v !== 'string' || !CLASS_NAME.test(v)) return false;
    } else if (k === 'interfaces') {
      if (!isNameList(v, CLASS_NAME, 1)) return false;
    } else if (k === 'declaringMethod') {
      if (!isMethod(v)) return false;
    } else return false;
  }
  return l.declaringClass !== undefined && l.interfaces !== undefined;
}

/** `$defs/condition`: exactly `typeReached`. */
function isCondition(v: Value): boolean {
  if (!isObject(v)) return false;
  for (const k in v) if (k !== 'typeReached') return false;
  return v.typeReached !== undefined && isType(v.typeReached);
}

function isFieldList(v: Value): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const f: Value = v[i];
    if (!isObject(f)) return false;
    for (const k in f) if (k !== 'name') return false;
    if (typeof f.name !== 'string') return false;
  }
  return true;
}

/** One item of `reflection`. */
function isReflectionEntry(o: Value): boolean {
  if (!isObject(o) || o.type === undefined) return false;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'type':
        if (!isType(v)) return false;
        break;
      case 'condition':
        if (!isCondition(v)) return false;
        break;
      case 'methods':
        if (!isListOf(v, isMethod)) return false;
        break;
      case 'fields':
        if (!isFieldList(v)) return false;
        break;
      case 'reason':
        if (!isReason(v)) return false;
        break;
      case 'allDeclaredMethods':
      case 'allDeclaredFields':
      case 'allDeclaredConstructors':
      case 'allPublicMethods':
      case 'allPublicFields':
      case 'allPublicConstructors':
      case 'unsafeAllocated':
      case 'serializable':
      case 'jniAccessible':
        if (typeof v !== 'boolean') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** One item of `resources`: exactly one of the two forms (`glob` or `bundle`). */
function isResource(o: Value): boolean {
  if (!isObject(o)) return false;
  let named = 0;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'glob':
      case 'bundle':
        named++;
        if (typeof v !== 'string') return false;
        break;
      case 'module':
        if (typeof v !== 'string') return false;
        break;
      case 'condition':
        if (!isCondition(v)) return false;
        break;
      case 'reason':
        if (!isReason(v)) return false;
        break;
      default:
        return false;
    }
  }
  return named === 1;
}

/** A list every item of which `item` accepts. */
function isListOf(v: Value, item: (o: Value) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
}

/** Whether a document certainly satisfies reachability-metadata v1.2 (`foreign` is left to the validator). */
export function isPlainUnified12(d: Value): boolean {
  if (!isObject(d)) return false;
  for (const k in d) {
    const v = d[k];
    switch (k) {
      case 'reflection':
        if (!isListOf(v, isReflectionEntry)) return false;
        break;
      case 'resources':
        if (!isListOf(v, isResource)) return false;
        break;
      case 'comment':
        if (!isReason(v)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// -- reflect-config.json and jni-config.json (the same schema but for annotations) ------------

/** config-type-schema: a string, or exactly `{ "proxy": [strings] }`. */
function isLegacyType(v: Value): boolean {
  if (typeof v === 'string') return true;
  if (!isObject(v)) return false;
  for (const k in v) if (k !== 'proxy') return false;
  return v.proxy !== undefined && isStringList(v.proxy);
}

/** config-condition-schema: exactly one of `typeReachable` and `typeReached`. */
function isLegacyCondition(v: Value): boolean {
  if (!isObject(v)) return false;
  let n = 0;
  for (const k in v) {
    if ((k !== 'typeReachable' && k !== 'typeReached') || !isLegacyType(v[k])) return false;
    n++;
  }
  return n === 1;
}

function isLegacyMethodList(v: Value): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const m: Value = v[i];
    if (!isObject(m)) return false;
    for (const k in m) {
      if (k === 'name') {
        if (typeof m.name !== 'string') return false;
      } else if (k === 'parameterTypes') {
        if (!isStringList(m.parameterTypes)) return false;
      } else return false;
    }
    if (m.name === undefined) return false;
  }
  return true;
}

function isLegacyFieldList(v: Value): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const f: Value = v[i];
    if (!isObject(f)) return false;
    for (const k in f) {
      if (k === 'name') {
        if (typeof f.name !== 'string') return false;
      } else if (k === 'allowWrite' || k === 'allowUnsafeAccess') {
        if (typeof f[k] !== 'boolean') return false;
      } else return false;
    }
    if (f.name === undefined) return false;
  }
  return true;
}

function isLegacyEntry(o: Value): boolean {
  if (!isObject(o)) return false;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'type':
        if (!isLegacyType(v)) return false;
        break;
      case 'name':
        if (typeof v !== 'string') return false;
        break;
      case 'condition':
        if (!isLegacyCondition(v)) return false;
        break;
      case 'methods':
      case 'queriedMethods':
        if (!isLegacyMethodList(v)) return false;
        break;
      case 'fields':
        if (!isLegacyFieldList(v)) return false;
        break;
      case 'reasons':
        if (!isStringList(v)) return false;
        break;
      case 'allDeclaredClasses':
      case 'allDeclaredMethods':
      case 'allDeclaredFields':
      case 'allDeclaredConstructors':
      case 'allPublicClasses':
      case 'allPublicMethods':
      case 'allPublicFields':
      case 'allPublicConstructors':
      case 'allRecordComponents':
      case 'allPermittedSubclasses':
      case 'allNestMembers':
      case 'allSigners':
      case 'queryAllDeclaredMethods':
      case 'queryAllDeclaredConstructors':
      case 'queryAllPublicMethods':
      case 'queryAllPublicConstructors':
      case 'unsafeAllocated':
        if (typeof v !== 'boolean') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a document certainly satisfies reflect-config (or jni-config) schema. */
export function isPlainLegacyTypes(d: Value): boolean {
  return isListOf(d, isLegacyEntry);
}

/**
 * True when a document of this kind certainly satisfies its schema; false when it does not, or
 * when only the compiled validator can tell.
 */
export function certainlySatisfiesSchema(kind: FileKind, value: Value): boolean {
  switch (kind) {
    case 'unified':
      return isPlainUnified12(value);
    case 'reflect':
    case 'jni':
      return isPlainLegacyTypes(value);
    default:
      return false;
  }
}
