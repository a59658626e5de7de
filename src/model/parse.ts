/**
 * Parses every on-disk metadata form into a {@link ConfigBuilder}, reporting findings instead
 * of throwing: wrong types at any depth, unknown keys, malformed names, hidden classes,
 * conditions that do not fit the format, duplicates, empty proxies, regexes that do not compile.
 * What can still be read is read, so one bad entry does not hide the rest of a file.
 */
import { finding, pointerAppend, type Finding, type FindingCode } from './findings.js';
import { FILE_KINDS, type FileKind, type Format } from './kinds.js';
import {
  Access,
  canonicalJson,
  MEMBER_GROUPS,
  MEMBER_GROUP_NAMES,
  TYPE_FLAGS,
  methodKey,
  typeKey,
  type ConfigBuilder,
  type FieldEntry,
  type MemberGroup,
  type MethodEntry,
  type TypeFlag,
  type TypeRef,
  type TypeSection,
} from './model.js';
import { classNameProblem, isHiddenClassName, memberNameProblem, normaliseTypeName } from './names.js';
import { javaRegexProblem, literalGlob } from './regex.js';

type Json = unknown;

let nextOriginId = 0;
type JsonObject = Record<string, Json>;

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
const KEYS_PATTERN_CONDITION_REASONS: ReadonlySet<string> = new Set(['pattern', 'condition', 'reasons']);
const KEYS_RESOURCES_BUNDLES_GLOBS: ReadonlySet<string> = new Set(['resources', 'bundles', 'globs']);
const KEYS_INCLUDES_EXCLUDES: ReadonlySet<string> = new Set(['includes', 'excludes']);
const KEYS_INTERFACES_CONDITION_REASONS: ReadonlySet<string> = new Set(['interfaces', 'condition', 'reasons']);
const KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES: ReadonlySet<string> = new Set([
  'types',
  'lambdaCapturingTypes',
  'proxies',
]);
const KEYS_NAME_CONDITION_REASONS: ReadonlySet<string> = new Set(['name', 'condition', 'reasons']);
const KEYS_TYPE_CLASSES: ReadonlySet<string> = new Set(['type', 'classes']);
const KEYS_HASH_NAMEINFO: ReadonlySet<string> = new Set(['hash', 'nameInfo']);

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
const UNIFIED_TOP_KEYS: ReadonlySet<string> = new Set([
  'reflection',
  'jni',
  'serialization',
  'resources',
  'bundles',
  'foreign',
  'reason',
  'comment',
]);

const MAX_CARRIED_DEPTH = 64;

/** Whether a JSON value nests deeper than `max` levels; iterative, so any depth is safe to ask about. */
function depthExceeds(root: Json, max: number): boolean {
  const stack: [Json, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as JsonObject)) stack.push([child, depth + 1]);
  }
  return false;
}

function typeOfJson(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Parses one document of a known kind into `builder`; returns its findings. */
export function parseDocument(kind: FileKind, value: Json, file: string, builder: ConfigBuilder): Finding[] {
  const p = new Parser(file, FILE_KINDS[kind].format, builder);
  p.parse(kind, value);
  return p.findings;
}

class Parser {
  readonly findings: Finding[] = [];
  private readonly seen = new Map<string, string>();
  /** The type lists read, to look for the same registration under several conditions at the end. */
  private readonly typeLists: { section: TypeSection; list: readonly Json[]; ptr: string }[] = [];
  /** Tells this file's entries from other files' in the shared builder. */
  private readonly originId = nextOriginId++;
  private unconditionalTypes = 0;

  constructor(
    private readonly file: string,
    private readonly format: Format,
    private readonly builder: ConfigBuilder,
  ) {}

  parse(kind: FileKind, value: Json): void {
    switch (kind) {
      case 'reflect':
        this.typeList(value, '', 'reflection', 'reflect-config.json');
        break;
      case 'jni':
        this.typeList(value, '', 'jni', 'jni-config.json');
        break;
      case 'resource':
        this.resourceConfig(value);
        break;
      case 'proxy':
        this.proxyConfig(value);
        break;
      case 'serialization':
        this.serializationConfig(value);
        break;
      case 'predefined':
        this.predefinedConfig(value);
        break;
      case 'foreign':
        this.foreign(value, '');
        break;
      case 'unified':
        this.unified(value);
        break;
    }
    this.reportRepeats();
  }

  // -- primitives -----------------------------------------------------------------------------

  /**
   * The same registration under several conditions is how conditional metadata looks; in a file
   * that also registers types unconditionally it is most often an accident of hand merging.
   */
  private reportRepeats(): void {
    if (this.unconditionalTypes === 0) return;
    const repeats = new Map<string, { condition: string; ptr: string; entry: JsonObject }[]>();
    for (const { section, list, ptr } of this.typeLists) {
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
        for (const r of rest) {
          this.report(
            'duplicate-type',
            r.ptr,
            `the same registration as ${first!.ptr} under another condition (${conditions.map((c) => c || 'none').join(', ')}); one entry would do`,
          );
        }
      }
    }
  }

  private report(code: FindingCode, pointer: string, message: string): void {
    this.findings.push(finding(code, this.file, pointer, message));
  }

  private wrongType(pointer: string, expected: string, v: Json): void {
    this.report('wrong-type', pointer, `expected ${expected}, found ${article(typeOfJson(v))}`);
  }

  private obj(v: Json, ptr: string, what: string): JsonObject | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonObject;
    this.wrongType(ptr, `${what} (an object)`, v);
    return undefined;
  }

  private arr(v: Json, ptr: string, what: string): readonly Json[] | undefined {
    if (Array.isArray(v)) return v;
    this.wrongType(ptr, `${what} (an array)`, v);
    return undefined;
  }

  private str(v: Json, ptr: string, what: string): string | undefined {
    if (typeof v === 'string') return v;
    this.wrongType(ptr, `${what} (a string)`, v);
    return undefined;
  }

  private bool(o: JsonObject, key: string, ptr: string): boolean {
    const v = o[key];
    if (typeof v === 'boolean') return v;
    this.wrongType(pointerAppend(ptr, key), `'${key}' to be true or false`, v);
    return false;
  }

  private strings(v: Json, ptr: string, what: string): string[] | undefined {
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

  private checkKeys(o: JsonObject, ptr: string, allowed: ReadonlySet<string> | readonly string[], what: string): void {
    const set = allowed instanceof Set ? (allowed as ReadonlySet<string>) : undefined;
    for (const k in o) {
      if (set !== undefined ? !set.has(k) : !(allowed as readonly string[]).includes(k)) {
        this.report('ignored-key', pointerAppend(ptr, k), `unknown key '${k}' in ${what}; native-image ignores it`);
      }
    }
  }

  private required(o: JsonObject, key: string, ptr: string, what: string): boolean {
    if (hasOwn(o, key)) return true;
    this.report('missing-key', ptr, `${what} has no '${key}'`);
    return false;
  }

  private duplicate(key: string, ptr: string, what: string): void {
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, ptr);
    else this.report('duplicate-entry', ptr, `${what} repeats the entry at ${first || '/'}; the two are merged`);
  }

  // -- names, conditions, type descriptors ----------------------------------------------------

  /** `index`, when given, is the position of the name in the list at `ptr` (the pointer is built only to report). */
  private className(
    raw: string,
    ptr: string,
    role: 'type' | 'condition' | 'interface' | 'parameter',
    index?: number,
  ): string {
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

  private condition(o: JsonObject, ptr: string): string {
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

  private interfaces(v: Json, ptr: string): readonly string[] | undefined {
    const names = this.classNames(v, ptr, 'interface names', 'interface');
    if (names === undefined) return undefined;
    if (names.length === 0) {
      this.report('empty-proxy', ptr, 'a proxy needs at least one interface');
      return undefined;
    }
    return names;
  }

  /** A list of class names; the parsed array itself is returned when it needs no change (the common case). */
  private classNames(
    v: Json,
    ptr: string,
    what: string,
    role: 'interface' | 'parameter',
  ): readonly string[] | undefined {
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

  private params(v: Json, ptr: string): readonly string[] | undefined {
    return this.classNames(v, ptr, 'parameter types', 'parameter');
  }

  private typeRef(v: Json, ptr: string): TypeRef | undefined {
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

  private method(
    v: Json,
    ptr: string,
    access: typeof Access.Queried | typeof Access.Accessed,
  ): MethodEntry | undefined {
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

  private methods(
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

  private fields(o: JsonObject, ptr: string): FieldEntry[] {
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

  private reasons(o: JsonObject, ptr: string): string[] {
    const key = this.format === 'legacy' ? 'reasons' : 'reason';
    if (!hasOwn(o, key)) return [];
    const v = o[key];
    const rptr = pointerAppend(ptr, key);
    if (typeof v === 'string') return [v];
    return this.strings(v, rptr, `'${key}'`) ?? [];
  }

  // -- type entries (reflection and JNI) ------------------------------------------------------

  private typeEntry(v: Json, ptr: string, section: TypeSection, fileLabel: string): void {
    const o = this.obj(v, ptr, `a ${fileLabel} entry`);
    if (o === undefined) return;
    const unified = this.format === 'unified';
    this.checkKeys(o, ptr, unified ? UNIFIED_TYPE_KEYS : LEGACY_TYPE_KEYS, `a ${fileLabel} entry`);

    let type: TypeRef | undefined;
    if (!unified && hasOwn(o, 'name') && hasOwn(o, 'type')) {
      this.report('schema', ptr, "an entry takes 'name' or 'type', not both");
      return;
    }
    const typeKeyName = !unified && hasOwn(o, 'name') ? 'name' : 'type';
    if (!hasOwn(o, typeKeyName)) {
      this.report('missing-key', ptr, unified ? "an entry has no 'type'" : "an entry has no 'name' or 'type'");
      return;
    }
    const tptr = pointerAppend(ptr, typeKeyName);
    if (typeKeyName === 'name') {
      const n = this.str(o.name, tptr, 'a class name');
      if (n !== undefined) type = { kind: 'class', name: this.className(n, tptr, 'type') };
    } else {
      type = this.typeRef(o.type, tptr);
    }
    if (type === undefined) return;

    const condition = this.condition(o, ptr);
    const flagKeys = unified ? UNIFIED_FLAG_ACTIONS : LEGACY_FLAG_ACTIONS;
    let flags: TypeFlag[] | undefined;
    let groups: Partial<Record<MemberGroup, Access>> | undefined;
    let serializable = false;
    let jniAccessible = false;
    for (const k in o) {
      const action = flagKeys.get(k);
      if (action === undefined || !Object.prototype.hasOwnProperty.call(o, k) || !this.bool(o, k, ptr)) continue;
      if (action === 'serializable') serializable = true;
      else if (action === 'jniAccessible') jniAccessible = true;
      else if (typeof action === 'string') (flags ??= []).push(action);
      else {
        groups ??= {};
        groups[action.group] = Math.max(groups[action.group] ?? Access.None, action.level) as Access;
      }
    }
    let methods: MethodEntry[] | undefined;
    if (hasOwn(o, 'methods')) this.methods(o, 'methods', ptr, Access.Accessed, (methods ??= []));
    if (!unified && hasOwn(o, 'queriedMethods'))
      this.methods(o, 'queriedMethods', ptr, Access.Queried, (methods ??= []));
    const fields = hasOwn(o, 'fields') ? this.fields(o, ptr) : undefined;
    const reasons = this.reasons(o, ptr);

    if (condition === '') this.unconditionalTypes++;
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
      this.duplicate(`serializable\u0000${condition}\u0000${typeKey(type)}`, ptr, `this ${fileLabel} entry`);
    } else {
      const repeatOf = this.builder.addType(section, entry, this.originId, ptr);
      if (repeatOf !== undefined)
        this.report(
          'duplicate-entry',
          ptr,
          `this ${fileLabel} entry repeats the entry at ${repeatOf || '/'}; the two are merged`,
        );
    }
    if (jniAccessible) this.builder.addType('jni', entry);
    if (serializable) this.builder.addSerialization({ condition, type, reasons });
  }

  typeList(v: Json, ptr: string, section: TypeSection, fileLabel: string): void {
    const list = this.arr(v, ptr, `a ${fileLabel} list`);
    if (list !== undefined) this.typeLists.push({ section, list, ptr });
    list?.forEach((e, i) => this.typeEntry(e, pointerAppend(ptr, i), section, fileLabel));
  }

  // -- resources ------------------------------------------------------------------------------

  private pattern(o: JsonObject, ptr: string, exclude: boolean): void {
    this.checkKeys(o, ptr, KEYS_PATTERN_CONDITION_REASONS, 'a resource pattern');
    if (!this.required(o, 'pattern', ptr, 'a resource pattern')) return;
    const pptr = pointerAppend(ptr, 'pattern');
    const value = this.str(o.pattern, pptr, 'a regular expression');
    if (value === undefined) return;
    const problem = javaRegexProblem(value);
    if (problem !== undefined) this.report('bad-regex', pptr, `pattern '${value}' does not compile: ${problem}`);
    const condition = this.condition(o, ptr);
    // A pattern that quotes one literal path (what the agent writes) is that path as a glob;
    // GraalVM's parser makes the same conversion. Emitters write it back in either form.
    const glob = exclude ? undefined : literalGlob(value);
    const kind = glob === undefined ? 'regex' : 'glob';
    const key = `${exclude ? 'exclude' : 'include'}\u0000${condition}\u0000${kind}\u0000${glob ?? value}`;
    this.duplicate(key, ptr, 'this resource pattern');
    this.builder.addResource({ condition, kind, value: glob ?? value, reasons: this.reasons(o, ptr) }, exclude);
  }

  private glob(o: JsonObject, ptr: string): void {
    const allowed =
      this.format === 'legacy' ? ['glob', 'module', 'condition', 'reasons'] : ['glob', 'module', 'condition', 'reason'];
    this.checkKeys(o, ptr, allowed, 'a resource glob');
    const value = this.str(o.glob, pointerAppend(ptr, 'glob'), 'a glob');
    if (value === undefined) return;
    const module = hasOwn(o, 'module') ? (this.str(o.module, pointerAppend(ptr, 'module'), 'a module name') ?? '') : '';
    const condition = this.condition(o, ptr);
    this.duplicate(
      `include\u0000${condition}\u0000glob\u0000${value}${module === '' ? '' : `\u0000${module}`}`,
      ptr,
      'this resource glob',
    );
    this.builder.addResource({ condition, module, kind: 'glob', value, reasons: this.reasons(o, ptr) });
  }

  private bundle(o: JsonObject, ptr: string, nameKey: 'name' | 'bundle'): void {
    const legacy = this.format === 'legacy';
    const allowed =
      nameKey === 'bundle'
        ? ['bundle', 'module', 'condition', 'reason']
        : ['name', 'locales', 'classNames', 'condition', legacy ? 'reasons' : 'reason', 'module'];
    this.checkKeys(o, ptr, allowed, 'a resource bundle');
    if (!this.required(o, nameKey, ptr, 'a resource bundle')) return;
    const name = this.str(o[nameKey], pointerAppend(ptr, nameKey), 'a bundle name');
    if (name === undefined) return;
    const module = hasOwn(o, 'module') ? (this.str(o.module, pointerAppend(ptr, 'module'), 'a module name') ?? '') : '';
    const locales = hasOwn(o, 'locales')
      ? (this.strings(o.locales, pointerAppend(ptr, 'locales'), 'locales') ?? [])
      : [];
    const classNames = hasOwn(o, 'classNames')
      ? (this.strings(o.classNames, pointerAppend(ptr, 'classNames'), 'class names') ?? []).map((c, i) =>
          this.className(c, pointerAppend(pointerAppend(ptr, 'classNames'), i), 'type'),
        )
      : [];
    const condition = this.condition(o, ptr);
    this.duplicate(`bundle\u0000${condition}\u0000${module}\u0000${name}`, ptr, 'this bundle');
    this.builder.addBundle({ condition, module, name, locales, classNames, reasons: this.reasons(o, ptr) });
  }

  private objectList(
    o: JsonObject,
    key: string,
    ptr: string,
    what: string,
    each: (e: JsonObject, p: string) => void,
  ): void {
    if (!hasOwn(o, key)) return;
    const lptr = pointerAppend(ptr, key);
    const list = this.arr(o[key], lptr, `'${key}'`);
    list?.forEach((e, i) => {
      const eptr = pointerAppend(lptr, i);
      const eo = this.obj(e, eptr, what);
      if (eo) each(eo, eptr);
    });
  }

  resourceConfig(v: Json): void {
    const o = this.obj(v, '', 'a resource-config.json document');
    if (o === undefined) return;
    this.checkKeys(o, '', KEYS_RESOURCES_BUNDLES_GLOBS, 'resource-config.json');
    if (hasOwn(o, 'resources')) {
      const r = o.resources;
      if (Array.isArray(r)) {
        this.report(
          'deprecated',
          '/resources',
          'the pre-1.0 form {"resources": [...]}; current GraalVM writes {"resources": {"includes": [...]}}',
        );
        this.objectList(o, 'resources', '', 'a resource pattern', (e, p) => this.pattern(e, p, false));
      } else {
        const ro = this.obj(r, '/resources', "'resources'");
        if (ro) {
          this.checkKeys(ro, '/resources', KEYS_INCLUDES_EXCLUDES, "'resources'");
          this.objectList(ro, 'includes', '/resources', 'a resource pattern', (e, p) => this.pattern(e, p, false));
          this.objectList(ro, 'excludes', '/resources', 'a resource pattern', (e, p) => this.pattern(e, p, true));
        }
      }
    }
    this.objectList(o, 'globs', '', 'a resource glob', (e, p) => {
      if (this.required(e, 'glob', p, 'a resource glob')) this.glob(e, p);
    });
    this.objectList(o, 'bundles', '', 'a resource bundle', (e, p) => this.bundle(e, p, 'name'));
  }

  // -- proxies, serialization, predefined classes ---------------------------------------------

  private proxy(interfacesValue: Json, ptr: string, condition: string, reasons: string[]): void {
    const interfaces = this.interfaces(interfacesValue, ptr);
    if (interfaces === undefined) return;
    const type: TypeRef = { kind: 'proxy', interfaces };
    this.duplicate(`reflection\u0000${condition}\u0000${typeKey(type)}`, ptr, 'this proxy');
    this.builder.addType('reflection', { condition, type, reasons });
  }

  proxyConfig(v: Json): void {
    const list = this.arr(v, '', 'a proxy-config.json list');
    list?.forEach((e, i) => {
      const ptr = pointerAppend('', i);
      if (Array.isArray(e)) {
        this.report('deprecated', ptr, 'the pre-1.0 form [["I1", "I2"]]; current GraalVM writes {"interfaces": [...]}');
        this.proxy(e, ptr, '', []);
        return;
      }
      const o = this.obj(e, ptr, 'a proxy entry');
      if (o === undefined) return;
      this.checkKeys(o, ptr, KEYS_INTERFACES_CONDITION_REASONS, 'a proxy entry');
      if (!this.required(o, 'interfaces', ptr, 'a proxy entry')) return;
      this.proxy(o.interfaces, pointerAppend(ptr, 'interfaces'), this.condition(o, ptr), this.reasons(o, ptr));
    });
  }

  private serializationType(o: JsonObject, ptr: string): void {
    const legacy = this.format === 'legacy';
    const allowed = legacy
      ? ['name', 'type', 'condition', 'customTargetConstructorClass', 'reasons']
      : ['type', 'condition', 'customTargetConstructorClass', 'reason'];
    this.checkKeys(o, ptr, allowed, 'a serialization entry');
    const key = legacy && hasOwn(o, 'name') ? 'name' : 'type';
    if (!this.required(o, key, ptr, 'a serialization entry')) return;
    const type = this.typeRef(o[key], pointerAppend(ptr, key));
    if (type === undefined) return;
    const condition = this.condition(o, ptr);
    let ctcc = '';
    if (hasOwn(o, 'customTargetConstructorClass')) {
      const cptr = pointerAppend(ptr, 'customTargetConstructorClass');
      const c = this.str(o.customTargetConstructorClass, cptr, 'a class name');
      if (c !== undefined) {
        ctcc = this.className(c, cptr, 'type');
        this.report('deprecated', cptr, "'customTargetConstructorClass' is deprecated; native-image warns about it");
      }
    }
    this.duplicate(
      `serialization\u0000${condition}\u0000${typeKey(type)}\u0000${ctcc}`,
      ptr,
      'this serialization entry',
    );
    this.builder.addSerialization({
      condition,
      type,
      customTargetConstructorClass: ctcc,
      reasons: this.reasons(o, ptr),
    });
  }

  serializationConfig(v: Json): void {
    if (Array.isArray(v)) {
      this.report(
        'deprecated',
        '',
        'the pre-1.0 form [{"name": ...}]; current GraalVM writes {"types": [...], "lambdaCapturingTypes": [...]}',
      );
      v.forEach((e, i) => {
        const ptr = pointerAppend('', i);
        const o = this.obj(e, ptr, 'a serialization entry');
        if (o) this.serializationType(o, ptr);
      });
      return;
    }
    const o = this.obj(v, '', 'a serialization-config.json document');
    if (o === undefined) return;
    this.checkKeys(o, '', KEYS_TYPES_LAMBDACAPTURINGTYPES_PROXIES, 'serialization-config.json');
    this.required(o, 'types', '', 'serialization-config.json');
    this.required(o, 'lambdaCapturingTypes', '', 'serialization-config.json');
    this.objectList(o, 'types', '', 'a serialization entry', (e, p) => this.serializationType(e, p));
    this.objectList(o, 'lambdaCapturingTypes', '', 'a lambda-capturing type', (e, p) => {
      this.checkKeys(e, p, KEYS_NAME_CONDITION_REASONS, 'a lambda-capturing type');
      if (!this.required(e, 'name', p, 'a lambda-capturing type')) return;
      const nptr = pointerAppend(p, 'name');
      const n = this.str(e.name, nptr, 'a class name');
      if (n === undefined) return;
      const name = this.className(n, nptr, 'type');
      const condition = this.condition(e, p);
      this.duplicate(`lambda\u0000${condition}\u0000${name}`, p, 'this lambda-capturing type');
      this.builder.addLambdaCapturing(condition, name);
    });
    this.objectList(o, 'proxies', '', 'a serialization proxy', (e, p) => {
      this.checkKeys(e, p, KEYS_INTERFACES_CONDITION_REASONS, 'a serialization proxy');
      if (!this.required(e, 'interfaces', p, 'a serialization proxy')) return;
      const interfaces = this.interfaces(e.interfaces, pointerAppend(p, 'interfaces'));
      if (interfaces === undefined) return;
      const condition = this.condition(e, p);
      const type: TypeRef = { kind: 'proxy', interfaces };
      this.duplicate(`serialization\u0000${condition}\u0000${typeKey(type)}\u0000`, p, 'this serialization proxy');
      this.builder.addSerialization({ condition, type, reasons: this.reasons(e, p) });
    });
  }

  predefinedConfig(v: Json): void {
    const list = this.arr(v, '', 'a predefined-classes-config.json list');
    list?.forEach((e, i) => {
      const ptr = pointerAppend('', i);
      const o = this.obj(e, ptr, 'a predefined-classes entry');
      if (o === undefined) return;
      this.checkKeys(o, ptr, KEYS_TYPE_CLASSES, 'a predefined-classes entry');
      if (!this.required(o, 'type', ptr, 'a predefined-classes entry')) return;
      const type = this.str(o.type, pointerAppend(ptr, 'type'), 'the loader type');
      if (type === undefined) return;
      const classes: { hash: string; nameInfo: string }[] = [];
      this.objectList(o, 'classes', ptr, 'a predefined class', (c, cptr) => {
        this.checkKeys(c, cptr, KEYS_HASH_NAMEINFO, 'a predefined class');
        if (!this.required(c, 'hash', cptr, 'a predefined class')) return;
        const hash = this.str(c.hash, pointerAppend(cptr, 'hash'), 'a hash');
        const nameInfo = hasOwn(c, 'nameInfo')
          ? this.str(c.nameInfo, pointerAppend(cptr, 'nameInfo'), 'a class name')
          : '';
        if (hash !== undefined && nameInfo !== undefined) classes.push({ hash, nameInfo });
      });
      this.builder.addPredefined(type, classes);
    });
  }

  /** `foreign` is carried as it is; it only has to be an object of sane depth (its schema nests five levels). */
  private foreign(v: Json, ptr: string): void {
    if (this.obj(v, ptr, "'foreign'") === undefined) return;
    if (depthExceeds(v, MAX_CARRIED_DEPTH)) {
      this.report(
        'schema',
        ptr,
        `expected the foreign-function metadata to nest at most ${MAX_CARRIED_DEPTH} levels, found deeper nesting`,
      );
      return;
    }
    this.builder.addForeign(v);
  }

  // -- reachability-metadata.json -------------------------------------------------------------

  unified(v: Json): void {
    const o = this.obj(v, '', 'a reachability-metadata.json document');
    if (o === undefined) return;
    this.checkKeys(o, '', UNIFIED_TOP_KEYS, 'reachability-metadata.json');
    if (hasOwn(o, 'reflection')) this.typeList(o.reflection, '/reflection', 'reflection', 'reflection');
    if (hasOwn(o, 'jni')) {
      this.report(
        'deprecated',
        '/jni',
        "the top-level 'jni' section (schema 1.0/1.1); GraalVM 25 writes 'jniAccessible' entries in 'reflection'",
      );
      this.typeList(o.jni, '/jni', 'jni', 'jni');
    }
    if (hasOwn(o, 'serialization')) {
      this.report(
        'deprecated',
        '/serialization',
        "the top-level 'serialization' section (schema 1.0/1.1); GraalVM 25 writes 'serializable' entries in 'reflection'",
      );
      this.objectList(o, 'serialization', '', 'a serialization entry', (e, p) => this.serializationType(e, p));
    }
    this.objectList(o, 'resources', '', 'a resource entry', (e, p) => {
      if (hasOwn(e, 'bundle')) this.bundle(e, p, 'bundle');
      else if (hasOwn(e, 'glob')) this.glob(e, p);
      else this.report('missing-key', p, "a resource entry needs 'glob' or 'bundle'");
    });
    if (hasOwn(o, 'bundles')) {
      this.report(
        'deprecated',
        '/bundles',
        "the top-level 'bundles' section (schema 1.0); newer files list {\"bundle\": ...} in 'resources'",
      );
      this.objectList(o, 'bundles', '', 'a resource bundle', (e, p) => this.bundle(e, p, 'name'));
    }
    if (hasOwn(o, 'foreign')) this.foreign(o.foreign, '/foreign');
    if (hasOwn(o, 'comment')) {
      const c = o.comment;
      if (typeof c === 'string') this.builder.addComments([c]);
      else this.builder.addComments(this.strings(c, '/comment', "'comment'") ?? []);
    }
    if (hasOwn(o, 'reason')) {
      // A file-level reason has no place of its own in the model: it is kept with the comments.
      const r = o.reason;
      if (typeof r === 'string') this.builder.addComments([r]);
      else this.builder.addComments(this.strings(r, '/reason', "'reason'") ?? []);
    }
  }
}
