/**
 * The lean reader: for documents the compiled JSON Schema has already accepted, so every type,
 * key and required member is known to be in place. It checks none of that again and builds no
 * JSON pointer; it only does what the schema cannot — names, duplicates, repeats — and for
 * those it does not explain anything either: at the first thing the careful reader
 * (`parseDocument`) would report, or read differently, it gives the document up and the careful
 * reader reads it instead. So the set and the findings are the careful reader's, always; the lean
 * reader only gets there with less work on the common case.
 *
 * It reads into a builder of its own, handed over to the caller's only when the whole document
 * read clean, so a document given up leaves nothing behind. Strings it keeps are interned: a
 * name that many entries share (a condition, a parameter type, a field) is one string in the
 * model however many files and entries carry it.
 */
import { finding, type Finding } from '../findings.js';
import type { FileKind } from '../kinds.js';
import {
  Access,
  ConfigBuilder,
  FLAG_BIT,
  GROUP_SHIFT,
  methodKey,
  typeKey,
  type FieldEntry,
  type MethodEntry,
  type TypeRef,
  type TypeSection,
} from '../model.js';
import { isPlainClassName, isPlainMemberName, normaliseTypeName } from '../names.js';
import { serializationItemKey, typeItemKey, type Part } from '../sections.js';
import { Reader, hasOwn, type EntryPointers, type Json, type JsonObject } from './reader.js';
import { reportRepeats } from './types.js';
import { OLDER_SERIALIZATION } from './unified.js';

// -- interning ---------------------------------------------------------------------------------

/** Each table stops taking new strings at this size (it keeps what it has): memory stays bounded. */
const INTERN_LIMIT = 200_000;

/** Class names (conditions, parameters, interfaces) as written → as the model holds them; only clean ones. */
const classNames = new Map<string, string>();
/** Member name → its one entry (per access, for methods without the signature: see `methodEntry`). */
const fieldEntries = new Map<string, FieldEntry>();
/** Method name → its entry, or its entries when several signatures or accesses share the name. */
const methodEntries = new Map<string, MethodEntry | MethodEntry[]>();

interface ParamNode {
  list: readonly string[] | undefined;
  next: Map<string, ParamNode> | undefined;
}
const paramRoot: ParamNode = { list: undefined, next: undefined };
let paramNodes = 0;
const NO_PARAMS: readonly string[] = Object.freeze([]);

/** A class name the careful reader takes without a finding, as the model holds it; undefined otherwise. */
function cleanName(raw: string): string | undefined {
  const hit = classNames.get(raw);
  if (hit !== undefined) return hit;
  const name = normaliseTypeName(raw);
  if (!isPlainClassName(name)) return undefined;
  if (classNames.size < INTERN_LIMIT) classNames.set(raw, name);
  return name;
}

/** The type name of an entry: most are written once, so they are checked but not interned. */
function cleanTypeName(raw: string): string | undefined {
  if (raw.charCodeAt(0) !== 0x5b /* [ */) return isPlainClassName(raw) ? raw : undefined;
  const name = normaliseTypeName(raw);
  return isPlainClassName(name) ? name : undefined;
}

/** A parameter list, all clean, as one shared array per distinct list; undefined when one is not. */
function cleanParams(raw: readonly Json[]): readonly string[] | undefined {
  if (raw.length === 0) return NO_PARAMS;
  let node: ParamNode | undefined = paramRoot;
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i];
    if (typeof p !== 'string') return undefined;
    const name = cleanName(p);
    if (name === undefined) return undefined;
    if (node !== undefined) {
      let child: ParamNode | undefined = node.next?.get(name);
      if (child === undefined && paramNodes < INTERN_LIMIT) {
        child = { list: undefined, next: undefined };
        (node.next ??= new Map()).set(name, child);
        paramNodes++;
      }
      node = child;
    }
  }
  if (node?.list !== undefined) return node.list;
  const list: string[] = [];
  for (let i = 0; i < raw.length; i++) list.push(cleanName(raw[i] as string)!);
  if (node !== undefined) node.list = list;
  return list;
}

function methodEntry(name: string, params: readonly string[] | null, access: MethodEntry['access']): MethodEntry {
  const known = methodEntries.get(name);
  if (known !== undefined) {
    if (!Array.isArray(known)) {
      if (known.params === params && known.access === access) return known;
    } else {
      for (const m of known) if (m.params === params && m.access === access) return m;
    }
  }
  const m: MethodEntry = { name, params, access };
  if (known === undefined) {
    if (methodEntries.size < INTERN_LIMIT) methodEntries.set(name, m);
  } else if (!Array.isArray(known)) methodEntries.set(name, [known, m]);
  else if (known.length < 16) known.push(m);
  return m;
}

function cleanMethodName(raw: string): string | undefined {
  return isPlainMemberName(raw, 'method') ? raw : undefined;
}

function fieldEntry(name: string, allowWrite: boolean, allowUnsafeAccess: boolean): FieldEntry | undefined {
  if (!allowWrite && !allowUnsafeAccess) {
    const hit = fieldEntries.get(name);
    if (hit !== undefined) return hit;
  }
  if (!isPlainMemberName(name, 'field')) return undefined;
  const f: FieldEntry = { name, allowWrite, allowUnsafeAccess };
  if (!allowWrite && !allowUnsafeAccess && fieldEntries.size < INTERN_LIMIT) fieldEntries.set(name, f);
  return f;
}

// -- the reader --------------------------------------------------------------------------------

/** What `reflection` keys of reachability-metadata.json mean: a flag bit, a group level, or a registration. */
const UNIFIED_KEYS: Readonly<Record<string, number>> = {
  allDeclaredMethods: -(Access.Accessed << GROUP_SHIFT.declaredMethods) - 1,
  allPublicMethods: -(Access.Accessed << GROUP_SHIFT.publicMethods) - 1,
  allDeclaredConstructors: -(Access.Accessed << GROUP_SHIFT.declaredConstructors) - 1,
  allPublicConstructors: -(Access.Accessed << GROUP_SHIFT.publicConstructors) - 1,
  allDeclaredFields: FLAG_BIT.allDeclaredFields,
  allPublicFields: FLAG_BIT.allPublicFields,
  unsafeAllocated: FLAG_BIT.unsafeAllocated,
};

/** The same for legacy reflect-config.json and jni-config.json entries. */
const LEGACY_KEYS: Readonly<Record<string, number>> = {
  allDeclaredClasses: FLAG_BIT.allDeclaredClasses,
  allPublicClasses: FLAG_BIT.allPublicClasses,
  allDeclaredFields: FLAG_BIT.allDeclaredFields,
  allPublicFields: FLAG_BIT.allPublicFields,
  allRecordComponents: FLAG_BIT.allRecordComponents,
  allPermittedSubclasses: FLAG_BIT.allPermittedSubclasses,
  allNestMembers: FLAG_BIT.allNestMembers,
  allSigners: FLAG_BIT.allSigners,
  unsafeAllocated: FLAG_BIT.unsafeAllocated,
  allDeclaredMethods: -(Access.Accessed << GROUP_SHIFT.declaredMethods) - 1,
  allPublicMethods: -(Access.Accessed << GROUP_SHIFT.publicMethods) - 1,
  allDeclaredConstructors: -(Access.Accessed << GROUP_SHIFT.declaredConstructors) - 1,
  allPublicConstructors: -(Access.Accessed << GROUP_SHIFT.publicConstructors) - 1,
  queryAllDeclaredMethods: -(Access.Queried << GROUP_SHIFT.declaredMethods) - 1,
  queryAllPublicMethods: -(Access.Queried << GROUP_SHIFT.publicMethods) - 1,
  queryAllDeclaredConstructors: -(Access.Queried << GROUP_SHIFT.declaredConstructors) - 1,
  queryAllPublicConstructors: -(Access.Queried << GROUP_SHIFT.publicConstructors) - 1,
};

/** Gives the document up: the careful reader reads it. */
const GIVE_UP = false;

/**
 * One document being read lean. `leanDocument` reads a whole parsed document; a caller that
 * parses a large document in pieces (ops/load.ts) hands the pieces over one by one and calls
 * `finish` at the end.
 */
export class LeanReader {
  readonly stage = new ConfigBuilder();
  /** Where entries are, for the caller's pointers (diff annotations): kept only when asked for. */
  readonly at: [string, string][] | undefined;
  readonly typeLists: { section: TypeSection; list: readonly Json[]; ptr: string }[] = [];
  unconditional = 0;
  conditional = 0;
  /** Bare `serializable` registrations: entries the stage's type lists do not show. */
  bareSerializable = 0;
  /** Keys of bare `serializable` registrations, to tell a repeat (rare: made only for those). */
  private serializableSeen: Set<string> | undefined;
  /** Entries that repeat an earlier one of the same file: the careful reader's `duplicate-entry`, as (pointer, pointer of the first). */
  readonly repeats: [string, string][] = [];
  /** The first entry of each registration, for placing repeats (`indexTo`), and how far it reaches. */
  private firsts: Map<string, string> | undefined;
  private indexedList = 0;
  private indexedAt = 0;
  /** The document's older top-level `serialization` section was read: the careful reader's one finding about it is due. */
  olderSerialization = false;

  /**
   * `chunked`: read in pieces. The lists are not kept, so a document that needs the repeats
   * check is given up; its records are staged in order and settled at the end, which finds any
   * repeat (`ConfigBuilder.stageInOrder`).
   */
  constructor(
    readonly unified: boolean,
    pointers: boolean,
    readonly chunked = false,
  ) {
    this.at = pointers ? [] : undefined;
    if (chunked) this.stage.stageInOrder();
  }

  record(part: Part, key: string, ptr: string): void {
    this.at!.push([`${part}\u0000${key}`, ptr]);
  }

  condition(o: JsonObject): string | undefined {
    if (!hasOwn(o, 'condition')) return '';
    const c = o.condition as JsonObject;
    // the schema allows either key (or a type object); the careful reader says something about all but one
    const v = this.unified ? c.typeReached : c.typeReachable;
    if (typeof v !== 'string' || (this.unified ? hasOwn(c, 'typeReachable') : hasOwn(c, 'typeReached')))
      return undefined;
    return cleanName(v);
  }

  typeRef(v: Json): TypeRef | undefined {
    if (typeof v === 'string') {
      const name = cleanTypeName(v);
      return name === undefined ? undefined : { kind: 'class', name };
    }
    const o = v as JsonObject;
    if (hasOwn(o, 'proxy') === hasOwn(o, 'lambda')) return undefined;
    if (hasOwn(o, 'lambda')) return this.lambda(o.lambda as JsonObject);
    const interfaces = this.interfaces(o.proxy);
    return interfaces && { kind: 'proxy', interfaces };
  }

  /** An interface list, non-empty and clean; the parsed list itself when no name changes (as the careful reader keeps it). */
  interfaces(raw: Json): readonly string[] | undefined {
    if (!Array.isArray(raw) || raw.length === 0) return undefined;
    let changed = false;
    for (let i = 0; i < raw.length; i++) {
      const p: Json = raw[i];
      const name = typeof p === 'string' ? cleanName(p) : undefined;
      if (name === undefined) return undefined;
      if (name !== p) changed = true;
    }
    return changed ? raw.map((p) => cleanName(p as string)!) : (raw as string[]);
  }

  lambda(l: JsonObject): TypeRef | undefined {
    if (typeof l.declaringClass !== 'string') return undefined;
    const declaringClass = cleanName(l.declaringClass);
    const interfaces = this.interfaces(l.interfaces);
    if (declaringClass === undefined || interfaces === undefined) return undefined;
    if (!hasOwn(l, 'declaringMethod')) return { kind: 'lambda', declaringClass, interfaces };
    const m = l.declaringMethod as JsonObject;
    const name = typeof m.name === 'string' ? cleanMethodName(m.name) : undefined;
    if (name === undefined) return undefined;
    let params: string[] | null = null;
    if (hasOwn(m, 'parameterTypes')) {
      const p = cleanParams(m.parameterTypes as readonly Json[]);
      if (p === undefined) return undefined;
      params = [...p];
    }
    return { kind: 'lambda', declaringClass, interfaces, declaringMethod: { name, params } };
  }

  /** A method list's entries (an array of its exact length); undefined when one needs the careful reader (a bad name, a repeat). */
  methods(list: readonly Json[], access: MethodEntry['access']): MethodEntry[] | undefined {
    const out = new Array<MethodEntry>(list.length);
    for (let i = 0; i < list.length; i++) {
      const m = list[i] as JsonObject;
      const name = cleanMethodName(m.name as string);
      if (name === undefined) return undefined;
      let params: readonly string[] | null = null;
      if (hasOwn(m, 'parameterTypes')) {
        const p = cleanParams(m.parameterTypes as readonly Json[]);
        if (p === undefined) return undefined;
        params = p;
      }
      out[i] = methodEntry(name, params, access);
    }
    return hasRepeatedMethod(out) ? undefined : out;
  }

  fields(list: readonly Json[]): FieldEntry[] | undefined {
    const out = new Array<FieldEntry>(list.length);
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as JsonObject;
      let allowWrite = false;
      let allowUnsafeAccess = false;
      if (!this.unified) {
        allowWrite = f.allowWrite === true;
        allowUnsafeAccess = f.allowUnsafeAccess === true;
      }
      const entry = fieldEntry(f.name as string, allowWrite, allowUnsafeAccess);
      if (entry === undefined) return undefined;
      out[i] = entry;
    }
    if (out.length > 16) return new Set(out.map((f) => f.name)).size === out.length ? out : undefined;
    for (let i = 1; i < out.length; i++)
      for (let j = 0; j < i; j++) if (out[i]!.name === out[j]!.name) return undefined;
    return out;
  }

  reasons(o: JsonObject): string[] | null {
    const v = o[this.unified ? 'reason' : 'reasons'];
    if (v === undefined) return null;
    if (typeof v === 'string') return [v];
    const list = v as string[];
    return list.length === 0 ? null : list.slice();
  }

  /** A type list, or (`offset` > 0 or `chunked`) the piece of one that starts at element `offset`. */
  typeList(v: Json, ptr: string, section: TypeSection, offset = 0): boolean {
    const list = v as readonly Json[];
    if (!this.chunked) this.typeLists.push({ section, list, ptr });
    for (let i = 0; i < list.length; i++)
      if (!this.typeEntry(list[i] as JsonObject, ptr, offset + i, section)) return GIVE_UP;
    return true;
  }

  typeEntry(o: JsonObject, listPtr: string, index: number, section: TypeSection): boolean {
    const unified = this.unified;
    let typeValue: Json;
    if (unified) typeValue = o.type;
    else {
      const hasName = hasOwn(o, 'name');
      if (hasName === hasOwn(o, 'type')) return GIVE_UP; // both, or neither: the careful reader says so
      typeValue = hasName ? o.name : o.type;
      if (hasName && typeof typeValue !== 'string') return GIVE_UP;
    }
    const type = this.typeRef(typeValue);
    if (type === undefined) return GIVE_UP;
    const condition = this.condition(o);
    if (condition === undefined) return GIVE_UP;

    const keys = unified ? UNIFIED_KEYS : LEGACY_KEYS;
    let flags = 0;
    let groups = 0;
    let serializable = false;
    let jniAccessible = false;
    let methods: MethodEntry[] | null = null;
    let queried: MethodEntry[] | null = null;
    let fields: FieldEntry[] | null = null;
    for (const k in o) {
      const action = keys[k];
      if (action === undefined) {
        if (k === 'methods') {
          methods = this.methods(o.methods as readonly Json[], Access.Accessed) ?? null;
          if (methods === null) return GIVE_UP;
        } else if (k === 'queriedMethods' && !unified) {
          queried = this.methods(o.queriedMethods as readonly Json[], Access.Queried) ?? null;
          if (queried === null) return GIVE_UP;
        } else if (k === 'fields') {
          fields = this.fields(o.fields as readonly Json[]) ?? null;
          if (fields === null) return GIVE_UP;
        } else if (unified && o[k] === true) {
          if (k === 'serializable') serializable = true;
          else if (k === 'jniAccessible') jniAccessible = true;
        }
        continue;
      }
      if (o[k] !== true) continue;
      if (action > 0) flags |= action;
      else {
        const packed = -action - 1;
        const shift = packed & (3 << 6) ? 6 : packed & (3 << 4) ? 4 : packed & (3 << 2) ? 2 : 0;
        if (((packed >> shift) & 3) > ((groups >> shift) & 3)) groups = (groups & ~(3 << shift)) | packed;
      }
    }
    // the careful reader lists methods before queriedMethods
    if (queried !== null && queried.length > 0) methods = methods === null ? queried : methods.concat(queried);
    if (methods !== null && methods.length === 0) methods = null;
    if (fields !== null && fields.length === 0) fields = null;
    const reasons = this.reasons(o);

    if (condition === '') this.unconditional++;
    else this.conditional++;
    const key = type.kind === 'class' ? type.name : typeKey(type);
    const ptr = this.at !== undefined ? `${listPtr}/${index}` : '';
    const bare = flags === 0 && groups === 0 && methods === null && fields === null;
    if (serializable && bare && !jniAccessible) {
      this.bareSerializable++;
      const seen = (this.serializableSeen ??= new Set());
      const k = `${condition}\u0000${key}`;
      if (seen.has(k)) return GIVE_UP;
      seen.add(k);
    } else {
      // a repeat within the file is a finding of the careful reader's: it names the first entry
      if (!this.stage.addPackedType(section, key, condition, type, flags, groups, methods, fields, reasons)) {
        const first = this.chunked ? undefined : this.firstOf(section, key, condition, listPtr, index);
        if (first === undefined) return GIVE_UP;
        this.repeats.push([`${listPtr}/${index}`, first]);
      }
      if (this.at !== undefined)
        this.record(
          section === 'jni' ? 'jni' : type.kind === 'proxy' ? 'proxies' : 'reflection',
          typeItemKey(condition, type),
          ptr,
        );
    }
    if (jniAccessible) {
      this.stage.addPackedType(
        'jni',
        key,
        condition,
        type,
        flags,
        groups,
        methods && methods.slice(),
        fields && fields.slice(),
        reasons && reasons.slice(),
      );
      if (this.at !== undefined) this.record('jni', typeItemKey(condition, type), ptr);
    }
    if (serializable) {
      this.stage.addSerialization({ condition, type, reasons: reasons ?? [] });
      if (this.at !== undefined) this.record('serialization', serializationItemKey(condition, type, ''), ptr);
    }
    return true;
  }

  /**
   * The pointer of the first entry of this file registered under (section, key, condition),
   * read before the entry at `index` of the list at `listPtr`; undefined when that is not certain
   * (an earlier bare `serializable` entry of the type).
   */
  firstOf(section: TypeSection, key: string, condition: string, listPtr: string, index: number): string | undefined {
    const seen = this.indexTo(listPtr, index);
    const first = seen.get(`${section}\u0000${condition}\u0000${key}`);
    return first === '' ? undefined : first;
  }

  /**
   * The first entry of each (section, condition, key) in the lists read before the entry at
   * `index` of the list at `listPtr`: its pointer, or '' for one marked `serializable` (perhaps a
   * bare one, with no entry of its own). Made at the first repeat and carried forward from where
   * it stopped at each later one, so that each entry is looked at again once at most.
   */
  private indexTo(listPtr: string, index: number): Map<string, string> {
    const seen = (this.firsts ??= new Map());
    for (; this.indexedList < this.typeLists.length; this.indexedList++, this.indexedAt = 0) {
      const l = this.typeLists[this.indexedList]!;
      const here = l.ptr === listPtr;
      const end = here ? index : l.list.length;
      for (let i = this.indexedAt; i < end; i++) {
        const o = l.list[i] as JsonObject;
        const type = this.typeRef(this.unified ? o.type : hasOwn(o, 'name') ? o.name : o.type);
        const condition = this.condition(o);
        if (type === undefined || condition === undefined) continue;
        const k = `${l.section}\u0000${condition}\u0000${type.kind === 'class' ? type.name : typeKey(type)}`;
        if (!seen.has(k)) seen.set(k, this.unified && o.serializable === true ? '' : `${l.ptr}/${i}`);
      }
      if (here) {
        this.indexedAt = end;
        break;
      }
    }
    return seen;
  }

  unifiedDocument(o: JsonObject): boolean {
    if (hasOwn(o, 'reason')) return GIVE_UP;
    if (hasOwn(o, 'reflection') && !this.typeList(o.reflection, '/reflection', 'reflection')) return GIVE_UP;
    // read in the careful reader's order: reflection, serialization, then the rest
    if (hasOwn(o, 'serialization') && !this.serialization(o.serialization as readonly JsonObject[])) return GIVE_UP;
    return this.unifiedRest(o);
  }

  /**
   * The older top-level `serialization` section (schema 1.1, which has made sure of its shape):
   * given up at an entry the careful reader says something about (a repeat, a name, a condition,
   * the deprecated `customTargetConstructorClass`), so the section's own finding is the only one.
   */
  serialization(list: readonly JsonObject[]): boolean {
    const seen = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (hasOwn(e, 'customTargetConstructorClass')) return GIVE_UP;
      const type = this.typeRef(e.type);
      if (type === undefined) return GIVE_UP;
      const condition = this.condition(e);
      if (condition === undefined) return GIVE_UP;
      const key = `${condition}\u0000${type.kind === 'class' ? type.name : typeKey(type)}`;
      if (seen.has(key)) return GIVE_UP;
      seen.add(key);
      this.stage.addSerialization({ condition, type, reasons: this.reasons(e) ?? [] });
      if (this.at !== undefined)
        this.record('serialization', serializationItemKey(condition, type, ''), `/serialization/${i}`);
    }
    this.olderSerialization = true;
    return true;
  }

  /** All of a reachability-metadata.json document but its `reflection` list (and its older `serialization` section, read before). */
  unifiedRest(o: JsonObject): boolean {
    // old top-level sections and a file-level reason: the careful reader has words for them
    if (
      hasOwn(o, 'jni') ||
      (hasOwn(o, 'serialization') && !this.olderSerialization) ||
      hasOwn(o, 'bundles') ||
      hasOwn(o, 'reason')
    )
      return GIVE_UP;
    if (hasOwn(o, 'resources')) {
      const list = o.resources as readonly JsonObject[];
      for (let i = 0; i < list.length; i++) if (!this.resource(list[i]!, i)) return GIVE_UP;
    }
    if (hasOwn(o, 'foreign')) this.stage.addForeign(o.foreign);
    if (hasOwn(o, 'comment')) {
      const c = o.comment;
      this.stage.addComments(typeof c === 'string' ? [c] : (c as string[]).slice());
    }
    return true;
  }

  resource(e: JsonObject, index: number): boolean {
    const condition = this.condition(e);
    if (condition === undefined) return GIVE_UP;
    const module = hasOwn(e, 'module') ? (e.module as string) : '';
    const reasons = this.reasons(e) ?? undefined;
    const ptr = this.at !== undefined ? `/resources/${index}` : '';
    if (hasOwn(e, 'bundle')) {
      const name = e.bundle as string;
      if (this.stage.addBundle({ condition, module, name, ...(reasons ? { reasons } : {}) })) return GIVE_UP;
      if (this.at !== undefined) this.record('bundles', `${condition}\u0000${module}\u0000${name}`, ptr);
      return true;
    }
    if (!hasOwn(e, 'glob')) return GIVE_UP;
    const value = e.glob as string;
    if (this.stage.addResource({ condition, module, kind: 'glob', value, ...(reasons ? { reasons } : {}) }))
      return GIVE_UP;
    if (this.at !== undefined) this.record('resources', `${condition}\u0000${module}\u0000glob\u0000${value}`, ptr);
    return true;
  }
}

/** Whether a method list names one signature twice, as `methodKey` tells them apart. */
function hasRepeatedMethod(list: readonly MethodEntry[]): boolean {
  if (list.length > 16) return new Set(list.map((m) => methodKey(m.name, m.params))).size !== list.length;
  for (let i = 1; i < list.length; i++) {
    const m = list[i]!;
    for (let j = 0; j < i; j++) {
      const o = list[j]!;
      if (o.name === m.name && sameParams(o.params, m.params)) return true;
    }
  }
  return false;
}

function sameParams(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads a schema-valid document of a lean kind into `builder`, with exactly the careful reader's
 * result; undefined (and nothing added, nothing recorded) when the careful reader must read it.
 * A reachability-metadata.json with the older top-level `serialization` section must satisfy the
 * 1.1 schema, and without that section the 1.2 schema, whose shapes the reader trusts
 * (ops/load.ts's `leanReadable`).
 */
export function leanDocument(
  kind: FileKind,
  value: Json,
  file: string,
  builder: ConfigBuilder | undefined,
  pointers?: EntryPointers,
): Finding[] | undefined {
  const r = new LeanReader(kind === 'unified', pointers !== undefined);
  let ok: boolean;
  if (kind === 'unified') {
    // the old `jni` and `bundles` sections are read (and reported) by the careful reader: give up before reading the rest
    const o = value as JsonObject;
    ok = !(hasOwn(o, 'jni') || hasOwn(o, 'bundles')) && r.unifiedDocument(o);
  } else if (kind === 'reflect') ok = r.typeList(value, '', 'reflection');
  else if (kind === 'jni') ok = r.typeList(value, '', 'jni');
  else ok = GIVE_UP;
  return ok ? finishLean(r, kind, file, builder, pointers) : undefined;
}

/**
 * Hands a document read clean over to `builder` (and its places to `pointers`); its findings, or
 * undefined to give it up after all. Without a builder, only the findings are wanted.
 */
export function finishLean(
  r: LeanReader,
  kind: FileKind,
  file: string,
  builder: ConfigBuilder | undefined,
  pointers?: EntryPointers,
): Finding[] | undefined {
  // a repeat among records staged in order gives the document up, as one seen when read would
  if (!r.stage.settle()) return undefined;
  const label = r.unified ? 'reflection' : kind === 'jni' ? 'jni-config.json' : 'reflect-config.json';
  let findings: Finding[] = r.repeats.map(([ptr, first]) =>
    finding(
      'duplicate-entry',
      file,
      ptr,
      `this ${label} entry repeats the entry at ${first || '/'}; the two are merged`,
    ),
  );
  // the careful reader's order: the reflection list's repeats, then the section read after it
  if (r.olderSerialization) findings.push(finding('deprecated', file, '/serialization', OLDER_SERIALIZATION));
  // Repeats under several conditions need one type under two conditions: a type key with several
  // records in the stage (or a bare serializable entry, which has no record).
  if (
    r.unconditional > 0 &&
    r.conditional > 0 &&
    (r.bareSerializable > 0 || r.stage.hasConditionVariants('reflection') || r.stage.hasConditionVariants('jni'))
  ) {
    if (r.chunked) return undefined;
    // the same registration under several conditions, in a file that also has unconditional ones
    const careful = new Reader(file, kind === 'unified' ? 'unified' : 'legacy', r.stage);
    careful.typeLists.push(...r.typeLists);
    careful.unconditionalTypes = r.unconditional;
    reportRepeats(careful);
    findings = [...findings, ...careful.findings];
  }
  builder?.absorb(r.stage);
  if (pointers !== undefined) {
    for (const [key, pointer] of r.at!) if (!pointers.has(key)) pointers.set(key, { file, pointer });
  }
  return findings;
}
