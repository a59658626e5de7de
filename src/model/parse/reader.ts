/**
 * The reading context every part of the parser shares: the findings of one file, the builder
 * its entries go into, and the primitives (typed reads, keys, names, conditions, type
 * descriptors, members) that report instead of throwing.
 */
import { didYouMean } from '../suggest.js';
import { finding, pointerAppend, type Finding, type FindingCode } from '../findings.js';
import type { Format } from '../kinds.js';
import {
  Access,
  methodKey,
  type ConfigBuilder,
  type FieldEntry,
  type MethodEntry,
  type TypeRef,
  type TypeSection,
} from '../model.js';
import { classNameProblem, isHiddenClassName, memberNameProblem, normaliseTypeName } from '../names.js';
import type { Part } from '../sections.js';

export type Json = unknown;
export type JsonObject = Record<string, Json>;

let nextOriginId = 0;

/** Keys each kind of object may have (allocated once: the parser runs per entry). */
const KEYS_TYPEREACHABLE_TYPEREACHED: ReadonlySet<string> = new Set(['typeReachable', 'typeReached']);
const KEYS_PROXY: ReadonlySet<string> = new Set(['proxy']);
const KEYS_LAMBDA: ReadonlySet<string> = new Set(['lambda']);
const KEYS_DECLARINGCLASS_DECLARINGMETHOD_INTERFACES: ReadonlySet<string> = new Set([
  'declaringClass',
  'declaringMethod',
  'interfaces',
]);
const KEYS_NAME_PARAMETERTYPES: ReadonlySet<string> = new Set(['name', 'parameterTypes']);
const KEYS_NAME_ALLOWWRITE_ALLOWUNSAFEACCESS: ReadonlySet<string> = new Set([
  'name',
  'allowWrite',
  'allowUnsafeAccess',
]);
const KEYS_NAME: ReadonlySet<string> = new Set(['name']);

function typeOfJson(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Whether the object has its own key `k` (never one inherited from Object.prototype). */
export function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Where each entry came from: `${part}\u0000${item key}` → the file and JSON pointer that first added it. */
export type EntryPointers = Map<string, { readonly file: string; readonly pointer: string }>;

/** One file being read. */
export class Reader {
  readonly findings: Finding[] = [];

  readonly seen = new Map<string, string>();

  /** The type lists read, to look for the same registration under several conditions at the end. */
  readonly typeLists: { section: TypeSection; list: readonly Json[]; ptr: string }[] = [];

  /** Tells this file's entries from other files' in the shared builder. */
  readonly originId = nextOriginId++;

  unconditionalTypes = 0;

  constructor(
    readonly file: string,
    readonly format: Format,
    readonly builder: ConfigBuilder,
    /** Filled with where each entry is, when the caller asks (diff annotations). */
    readonly pointers: EntryPointers | undefined = undefined,
  ) {}

  /** Records where an entry of `part` with item key `key` is, when pointers are asked for. */
  at(part: Part, key: string, ptr: string): void {
    if (this.pointers !== undefined && !this.pointers.has(`${part}\u0000${key}`))
      this.pointers.set(`${part}\u0000${key}`, { file: this.file, pointer: ptr });
  }

  report(code: FindingCode, pointer: string, message: string): void {
    this.findings.push(finding(code, this.file, pointer, message));
  }

  wrongType(pointer: string, expected: string, v: Json): void {
    this.report('wrong-type', pointer, `expected ${expected}, found ${article(typeOfJson(v))}`);
  }

  obj(v: Json, ptr: string, what: string): JsonObject | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonObject;
    this.wrongType(ptr, `${what} (an object)`, v);
    return undefined;
  }

  arr(v: Json, ptr: string, what: string): readonly Json[] | undefined {
    if (Array.isArray(v)) return v;
    this.wrongType(ptr, `${what} (an array)`, v);
    return undefined;
  }

  str(v: Json, ptr: string, what: string): string | undefined {
    if (typeof v === 'string') return v;
    this.wrongType(ptr, `${what} (a string)`, v);
    return undefined;
  }

  bool(o: JsonObject, key: string, ptr: string): boolean {
    const v = o[key];
    if (typeof v === 'boolean') return v;
    this.wrongType(pointerAppend(ptr, key), `'${key}' to be true or false`, v);
    return false;
  }

  strings(v: Json, ptr: string, what: string): string[] | undefined {
    const a = this.arr(v, ptr, what);
    if (a === undefined) return undefined;
    // One bad item makes the whole list unusable: dropping it would change a signature.
    const out: string[] = [];
    let ok = true;
    for (let i = 0; i < a.length; i++) {
      const s = a[i];
      if (typeof s === 'string') out.push(s);
      else {
        this.wrongType(pointerAppend(ptr, i), `${what} item (a string)`, s);
        ok = false;
      }
    }
    return ok ? out : undefined;
  }

  checkKeys(o: JsonObject, ptr: string, allowed: ReadonlySet<string> | readonly string[], what: string): void {
    const set = allowed instanceof Set ? (allowed as ReadonlySet<string>) : undefined;
    for (const k in o) {
      if (set !== undefined ? !set.has(k) : !(allowed as readonly string[]).includes(k)) {
        this.report(
          'ignored-key',
          pointerAppend(ptr, k),
          `unknown key '${k}' in ${what}; native-image ignores it${didYouMean(k, allowed)}`,
        );
      }
    }
  }

  required(o: JsonObject, key: string, ptr: string, what: string): boolean {
    if (hasOwn(o, key)) return true;
    this.report('missing-key', ptr, `${what} has no '${key}'`);
    return false;
  }

  duplicate(key: string, ptr: string, what: string): void {
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, ptr);
    else this.report('duplicate-entry', ptr, `${what} repeats the entry at ${first || '/'}; the two are merged`);
  }

  // -- names, conditions, type descriptors ----------------------------------------------------

  /** `index`, when given, is the position of the name in the list at `ptr` (the pointer is built only to report). */
  className(raw: string, ptr: string, role: 'type' | 'condition' | 'interface' | 'parameter', index?: number): string {
    const name = normaliseTypeName(raw);
    if (!isHiddenClassName(name) && classNameProblem(name) === undefined) return name;
    if (index !== undefined) ptr = pointerAppend(ptr, index);
    if (isHiddenClassName(name)) {
      if (role === 'condition') {
        this.report(
          'hidden-class-condition',
          ptr,
          `condition on hidden class '${raw}' can never be reached; the entry never applies`,
        );
      } else {
        this.report('hidden-class', ptr, `hidden class '${raw}' has an unstable name and cannot be registered`);
      }
      return name;
    }
    const problem = classNameProblem(name);
    if (problem !== undefined) this.report('bad-class-name', ptr, `'${raw}': ${problem}`);
    return name;
  }

  condition(o: JsonObject, ptr: string): string {
    if (!hasOwn(o, 'condition')) return '';
    const cptr = pointerAppend(ptr, 'condition');
    const c = this.obj(o.condition, cptr, 'a condition');
    if (c === undefined) return '';
    const expectedKey = this.format === 'legacy' ? 'typeReachable' : 'typeReached';
    const otherKey = this.format === 'legacy' ? 'typeReached' : 'typeReachable';
    this.checkKeys(c, cptr, KEYS_TYPEREACHABLE_TYPEREACHED, 'a condition');
    if (hasOwn(c, 'typeReachable') && hasOwn(c, 'typeReached')) {
      this.report('wrong-condition-key', cptr, `a condition takes one of 'typeReachable' and 'typeReached', not both`);
    } else if (hasOwn(c, otherKey)) {
      const where = this.format === 'legacy' ? 'legacy *-config.json files' : 'reachability-metadata.json';
      this.report(
        'wrong-condition-key',
        pointerAppend(cptr, otherKey),
        `${where} take '${expectedKey}'; native-image rejects '${otherKey}' here`,
      );
    }
    const key = hasOwn(c, expectedKey) ? expectedKey : hasOwn(c, otherKey) ? otherKey : undefined;
    if (key === undefined) {
      this.report('empty-condition', cptr, `condition has no '${expectedKey}'; it is read as no condition`);
      return '';
    }
    const kptr = pointerAppend(cptr, key);
    const name = this.str(c[key], kptr, `'${key}'`);
    if (name === undefined) return '';
    return this.className(name, kptr, 'condition');
  }

  interfaces(v: Json, ptr: string): readonly string[] | undefined {
    const names = this.classNames(v, ptr, 'interface names', 'interface');
    if (names === undefined) return undefined;
    if (names.length === 0) {
      this.report('empty-proxy', ptr, 'a proxy needs at least one interface');
      return undefined;
    }
    return names;
  }

  /** A list of class names; the parsed array itself is returned when it needs no change (the common case). */
  classNames(v: Json, ptr: string, what: string, role: 'interface' | 'parameter'): readonly string[] | undefined {
    if (!Array.isArray(v)) return this.strings(v, ptr, what);
    let out: string[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const raw: unknown = v[i];
      if (typeof raw !== 'string') return this.strings(v, ptr, what); // reports the bad items
      const name = this.className(raw, ptr, role, i);
      if (name !== raw) (out ??= (v as string[]).slice(0, i)).push(name);
      else out?.push(name);
    }
    return out ?? (v as readonly string[]);
  }

  params(v: Json, ptr: string): readonly string[] | undefined {
    return this.classNames(v, ptr, 'parameter types', 'parameter');
  }

  typeRef(v: Json, ptr: string): TypeRef | undefined {
    if (typeof v === 'string') return { kind: 'class', name: this.className(v, ptr, 'type') };
    const o = this.obj(v, ptr, 'a type: a class name, {"proxy": [...]} or {"lambda": {...}}');
    if (o === undefined) return undefined;
    if (hasOwn(o, 'proxy')) {
      this.checkKeys(o, ptr, KEYS_PROXY, 'a proxy type');
      const interfaces = this.interfaces(o.proxy, pointerAppend(ptr, 'proxy'));
      return interfaces && { kind: 'proxy', interfaces };
    }
    if (hasOwn(o, 'lambda')) {
      this.checkKeys(o, ptr, KEYS_LAMBDA, 'a lambda type');
      const lptr = pointerAppend(ptr, 'lambda');
      const l = this.obj(o.lambda, lptr, 'a lambda descriptor');
      if (l === undefined) return undefined;
      this.checkKeys(l, lptr, KEYS_DECLARINGCLASS_DECLARINGMETHOD_INTERFACES, 'a lambda descriptor');
      if (
        !this.required(l, 'declaringClass', lptr, 'a lambda descriptor') ||
        !this.required(l, 'interfaces', lptr, 'a lambda descriptor')
      ) {
        return undefined;
      }
      const dptr = pointerAppend(lptr, 'declaringClass');
      const declaring = this.str(l.declaringClass, dptr, "'declaringClass'");
      const interfaces = this.interfaces(l.interfaces, pointerAppend(lptr, 'interfaces'));
      if (declaring === undefined || interfaces === undefined) return undefined;
      let declaringMethod: { name: string; params: string[] | null } | undefined;
      if (hasOwn(l, 'declaringMethod')) {
        const m = this.method(l.declaringMethod, pointerAppend(lptr, 'declaringMethod'), Access.Accessed);
        if (m) declaringMethod = { name: m.name, params: m.params === null ? null : [...m.params] };
      }
      const base = { kind: 'lambda' as const, declaringClass: this.className(declaring, dptr, 'type'), interfaces };
      return declaringMethod ? { ...base, declaringMethod } : base;
    }
    this.report('missing-key', ptr, "a type object needs 'proxy' or 'lambda'");
    return undefined;
  }

  // -- members --------------------------------------------------------------------------------

  method(v: Json, ptr: string, access: typeof Access.Queried | typeof Access.Accessed): MethodEntry | undefined {
    const o = this.obj(v, ptr, 'a method');
    if (o === undefined) return undefined;
    this.checkKeys(o, ptr, KEYS_NAME_PARAMETERTYPES, 'a method');
    if (!this.required(o, 'name', ptr, 'a method')) return undefined;
    const name = typeof o.name === 'string' ? o.name : this.str(o.name, pointerAppend(ptr, 'name'), 'a method name');
    if (name === undefined) return undefined;
    const problem = memberNameProblem(name, 'method');
    if (problem !== undefined) this.report('bad-member-name', pointerAppend(ptr, 'name'), problem);
    let params: readonly string[] | null = null;
    if (hasOwn(o, 'parameterTypes')) {
      const ps = this.params(o.parameterTypes, pointerAppend(ptr, 'parameterTypes'));
      if (ps === undefined) return undefined;
      params = ps;
    }
    return { name, params, access };
  }

  methods(
    o: JsonObject,
    key: 'methods' | 'queriedMethods',
    ptr: string,
    access: typeof Access.Queried | typeof Access.Accessed,
    out: MethodEntry[],
  ): void {
    if (!hasOwn(o, key)) return;
    const lptr = pointerAppend(ptr, key);
    const list = this.arr(o[key], lptr, `'${key}'`);
    if (list === undefined) return;
    const seen = new Set<string>();
    list.forEach((m, i) => {
      const iptr = pointerAppend(lptr, i);
      const method = this.method(m, iptr, access);
      if (method === undefined) return;
      const k = methodKey(method.name, method.params);
      if (seen.has(k)) this.report('duplicate-member', iptr, `method ${k} is listed twice`);
      seen.add(k);
      out.push(method);
    });
  }

  fields(o: JsonObject, ptr: string): FieldEntry[] {
    if (!hasOwn(o, 'fields')) return [];
    const lptr = pointerAppend(ptr, 'fields');
    const list = this.arr(o.fields, lptr, "'fields'");
    if (list === undefined) return [];
    const out: FieldEntry[] = [];
    const seen = new Set<string>();
    const allowed = this.format === 'legacy' ? KEYS_NAME_ALLOWWRITE_ALLOWUNSAFEACCESS : KEYS_NAME;
    list.forEach((f, i) => {
      const iptr = pointerAppend(lptr, i);
      const fo = this.obj(f, iptr, 'a field');
      if (fo === undefined || !this.required(fo, 'name', iptr, 'a field')) return;
      this.checkKeys(fo, iptr, allowed, 'a field');
      const nptr = pointerAppend(iptr, 'name');
      const name = this.str(fo.name, nptr, 'a field name');
      if (name === undefined) return;
      const problem = memberNameProblem(name, 'field');
      if (problem !== undefined) this.report('bad-member-name', nptr, problem);
      if (seen.has(name)) this.report('duplicate-member', iptr, `field '${name}' is listed twice`);
      seen.add(name);
      const flag = (k: string): boolean => allowed.has(k) && hasOwn(fo, k) && this.bool(fo, k, iptr);
      out.push({ name, allowWrite: flag('allowWrite'), allowUnsafeAccess: flag('allowUnsafeAccess') });
    });
    return out;
  }

  reasons(o: JsonObject, ptr: string): string[] {
    const key = this.format === 'legacy' ? 'reasons' : 'reason';
    if (!hasOwn(o, key)) return [];
    const v = o[key];
    const rptr = pointerAppend(ptr, key);
    if (typeof v === 'string') return [v];
    return this.strings(v, rptr, `'${key}'`) ?? [];
  }

  objectList(o: JsonObject, key: string, ptr: string, what: string, each: (e: JsonObject, p: string) => void): void {
    if (!hasOwn(o, key)) return;
    const lptr = pointerAppend(ptr, key);
    const list = this.arr(o[key], lptr, `'${key}'`);
    list?.forEach((e, i) => {
      const eptr = pointerAppend(lptr, i);
      const eo = this.obj(e, eptr, what);
      if (eo) each(eo, eptr);
    });
  }
}
