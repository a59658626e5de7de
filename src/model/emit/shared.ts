/** What both emitters share: notes about what a format cannot hold, the one serializer, JSON pieces. */
import { typeLabel, type TypeRef } from '../model.js';
import { withCondition } from '../sections.js';

export type JsonObject = Record<string, unknown>;

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

/**
 * The same text as {@link toJsonText}, in pieces: a document's keys are written here and long
 * lists a group of items at a time, each group (and every other value) by `JSON.stringify` with
 * its lines indented to where it sits. No raw line break occurs inside a string's JSON, so
 * indenting after each line break is exact. A large document is then written without its whole
 * text in memory, at about the speed of one `JSON.stringify`.
 */
export function* jsonTextPieces(value: unknown): Generator<string, void, undefined> {
  yield* pieces(value, '', true);
  yield '\n';
}

/** Items of a long list stringified at once: enough to make the calls few, few enough to keep each piece small. */
const GROUP = 2048;

/** Values `JSON.stringify` leaves out of an object. */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * `JSON.stringify(v, null, 2)` for a value whose first line is at `indent` (an even number of
 * spaces): the value is stringified inside as many one-item lists as its indent has levels, so
 * that `JSON.stringify` itself indents every line, and the value's text is cut out of that. No
 * second pass over the text to indent it. `from` and `to` cut the value's own text further
 * (from its start and from its end).
 */
function indented(v: unknown, indent: string, from = 0, to = 0): string {
  const levels = indent.length / 2;
  if (levels === 0) {
    // as JSON.stringify gives it, also what it leaves out (undefined) at the top
    const text = JSON.stringify(v, null, 2);
    return from === 0 && to === 0 ? text : text.slice(from, text.length - to);
  }
  let wrapped: unknown = v;
  for (let i = 0; i < levels; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // each level opens with `[`, a line break and the next level's indent, and closes with a line
  // break, its own indent and `]`: levels·(levels+1) + 2·levels characters before the value and
  // levels² + levels after it
  const before = levels * (levels + 1) + 2 * levels;
  const after = levels * levels + levels;
  return text.slice(before + from, text.length - after - to);
}

function* pieces(v: unknown, indent: string, top: boolean): Generator<string, void, undefined> {
  if (v instanceof LazyList) {
    yield* listPieces(groupsOf(v.items()), indent);
    return;
  }
  if (Array.isArray(v) && v.length > GROUP) {
    yield* listPieces(slices(v), indent);
    return;
  }
  if (
    !top ||
    v === null ||
    typeof v !== 'object' ||
    Array.isArray(v) ||
    typeof (v as { toJSON?: unknown }).toJSON === 'function'
  ) {
    yield indented(v, indent);
    return;
  }
  const inner = `${indent}  `;
  let first = true;
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    if (omitted(item)) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* pieces(item, inner, false);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** A list's text a group of items at a time: `[\n  a,\n  b\n]` for each group, its items' lines indented and joined into the one list. */
function* listPieces(groups: Iterable<readonly unknown[]>, indent: string): Generator<string, void, undefined> {
  let first = true;
  for (const group of groups) {
    if (!first) yield ',';
    yield indented(group, indent, first ? 0 : 1, indent.length + 2);
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
}

function* slices(list: readonly unknown[]): Generator<readonly unknown[], void, undefined> {
  for (let at = 0; at < list.length; at += GROUP) yield list.slice(at, at + GROUP);
}

function* groupsOf(items: Iterable<unknown>): Generator<readonly unknown[], void, undefined> {
  let group: unknown[] = [];
  for (const item of items) {
    group.push(item);
    if (group.length === GROUP) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/**
 * A list of a document whose items are made as its text is written ({@link jsonTextPieces}), a
 * group at a time, so that they are never all in memory as values. `JSON.stringify` (and so
 * {@link toJsonText}) takes it whole, as the array it stands for.
 */
export class LazyList {
  constructor(private readonly make: () => Iterable<unknown>) {}

  /** The items, made afresh. */
  items(): Iterable<unknown> {
    return this.make();
  }

  toJSON(): unknown[] {
    return [...this.make()];
  }
}

/** The condition object of an entry in either format's key; undefined when unconditional. */
export function conditionObject(condition: string, key: 'typeReachable' | 'typeReached'): JsonObject | undefined {
  return condition === '' ? undefined : { [key]: condition };
}

/** A type descriptor as JSON: a class name, `{proxy}` or `{lambda}`. */
export function typeJson(t: TypeRef): unknown {
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

/**
 * A method as JSON: its name and, unless it means every overload, its parameter types (the
 * model's own list, not a copy: the output tree is only ever read, and a parameter list is
 * shared by every method with that signature).
 */
export function methodJson(m: { name: string; params: readonly string[] | null }): JsonObject {
  return m.params === null ? { name: m.name } : { name: m.name, parameterTypes: m.params };
}

/** Builds an object, leaving out keys whose value is undefined. */
export function obj(entries: readonly (readonly [string, unknown])[]): JsonObject {
  const o: JsonObject = {};
  for (const [k, v] of entries) if (v !== undefined) o[k] = v;
  return o;
}

/** A copy of a non-empty list, or undefined (a key left out). */
export function orUndefined<T>(list: readonly T[]): T[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

/** Notes an emit collects: per code, the entries concerned. */
export class Notes {
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

/** An entry's readable label, with its condition. */
export function entryLabel(t: { condition: string; type: TypeRef }): string {
  return withCondition(typeLabel(t.type), t.condition);
}
