/**
 * Sources (text + kind) → one merged {@link ConfigSet}, with every finding of every file.
 * Pure: the text was read by `io/`; this only parses, checks and merges.
 *
 * Each document is checked against its compiled JSON Schema first (about 20 ms for the whole
 * corpus). One the schema accepts is read by the lean reader (model/parse/lean.ts), which trusts
 * the structure the schema checked; the careful reader, with its findings and their places, reads
 * the documents that fail the schema and those the lean reader gives up. Either way the set and
 * the findings are the careful reader's (test/model/lean.property.test.ts).
 */
import * as validators from '../generated/validators.js';
import { finding, type Finding } from '../model/findings.js';
import { documentRuns, parseJsonText } from '../model/json-text.js';
import { FILE_KINDS, LEAN_KINDS, readInPieces, sniffKind, type FileKind } from '../model/kinds.js';
import { ConfigBuilder, type ConfigSet } from '../model/model.js';
import { parseDocument, type EntryPointers } from '../model/parse/index.js';
import { LeanReader, finishLean, leanDocument } from '../model/parse/lean.js';
import { certainlySatisfiesSchema, isPlainUnified12 } from '../model/parse/shape.js';

export interface SchemaChoice {
  /** Export name in the generated validator modules. */
  readonly name: keyof typeof validators;
  /** Schema file in `schemas/`, named in messages. */
  readonly schemaFile: string;
}

/**
 * The JSON Schema a document of a kind is checked against: for a legacy kind the validator of its
 * name and the schema named after its file (`reflect-config.json` → `reflect-config.schema.json`).
 */
export function schemaFor(kind: FileKind, value: unknown): SchemaChoice {
  if (kind !== 'unified')
    return { name: kind, schemaFile: FILE_KINDS[kind].fileName.replace(/\.json$/, '.schema.json') };
  // Files with the older top-level sections are checked against the schema that has them
  // (1.1); the parser reports those sections as deprecated.
  const o = value !== null && typeof value === 'object' ? value : {};
  const old = 'jni' in o || 'serialization' in o || 'bundles' in o;
  return old
    ? { name: 'unified11', schemaFile: 'reachability-metadata-v1.1.schema.json' }
    : { name: 'unified12', schemaFile: 'reachability-metadata-v1.2.schema.json' };
}

/**
 * Whether a document satisfies its schema: the quick check of model/parse/shape.ts first, then,
 * when it cannot say yes, the fast build of the compiled validators (which stops at the first error).
 */
export function satisfiesSchema(kind: FileKind, value: unknown): boolean {
  return certainlySatisfiesSchema(kind, value) || validators[schemaFor(kind, value).name](value);
}

/** The same for reachability-metadata v1.2 (a piece of a document read in pieces). */
function satisfiesUnified12(value: unknown): boolean {
  return isPlainUnified12(value) || validators.unified12(value);
}

/**
 * Whether the lean reader may read a document that satisfies its schema. One with the older
 * top-level `serialization` section satisfied the 1.1 schema, whose other sections are looser
 * than 1.2's (a reflection entry without `type`, say): the rest of it must satisfy 1.2 too.
 */
export function leanReadable(kind: FileKind, value: unknown): boolean {
  if (kind !== 'unified') return true;
  const o = value as Record<string, unknown>;
  if (!Object.hasOwn(o, 'serialization')) return true;
  if (Object.hasOwn(o, 'jni') || Object.hasOwn(o, 'bundles')) return false;
  const { serialization: _older, ...rest } = o;
  return satisfiesUnified12(rest);
}

export interface SourceText {
  readonly file: string;
  readonly text: string | ChunkedText;
  readonly kind: FileKind | undefined;
}

/**
 * The text of a document too large to hold whole (io/inputs.ts reads such files): a chunk at a
 * time for the piecewise reader, and whole only when it must be parsed the usual way or a finding
 * placed in it.
 */
export interface ChunkedText {
  /** Its size in bytes (never fewer than its characters). */
  readonly bytes: number;
  /** The text in order, a chunk at a time; throws when the file can no longer be read as it was. */
  chunks(): Iterable<string>;
  /** The whole text, or why it cannot be read now (a finding on `file`). */
  whole(file: string): string | Finding;
}

/** A source's size: its characters, or its bytes when it is read in chunks (what memory goes by). */
export function sourceSize(source: { readonly text: string | ChunkedText }): number {
  return typeof source.text === 'string' ? source.text.length : source.text.bytes;
}

/**
 * The texts of the sources that findings name, by file, to place the findings in. A text read in
 * chunks is read whole only when the texts are first looked at: placing findings is the last
 * thing a command does, after its set is written, and a command that fails before has nothing
 * to place them for but its error.
 */
export function sourceTexts(sources: readonly SourceText[], findings: readonly Finding[]): ReadonlyMap<string, string> {
  const named = new Set(findings.map((f) => f.file));
  const kept = sources.filter((s) => named.has(s.file));
  return kept.every((s) => typeof s.text === 'string')
    ? new Map(kept.map((s) => [s.file, s.text as string]))
    : new TextsOnDemand(kept);
}

/** {@link sourceTexts} with a text read in chunks among them: all read whole when first asked for. */
class TextsOnDemand implements ReadonlyMap<string, string> {
  private read: Map<string, string> | undefined;

  constructor(private sources: readonly SourceText[] | undefined) {}

  private texts(): Map<string, string> {
    if (this.read === undefined) {
      this.read = new Map();
      for (const s of this.sources!) {
        const text = wholeText(s);
        // none for a file that cannot be read now: its findings are placed at its start
        if (text !== undefined) this.read.set(s.file, text);
      }
      this.sources = undefined;
    }
    return this.read;
  }

  get size(): number {
    return this.texts().size;
  }
  get(file: string): string | undefined {
    return this.texts().get(file);
  }
  has(file: string): boolean {
    return this.texts().has(file);
  }
  forEach(each: (text: string, file: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [file, text] of this.texts()) each.call(thisArg, text, file, this);
  }
  entries(): MapIterator<[string, string]> {
    return this.texts().entries();
  }
  keys(): MapIterator<string> {
    return this.texts().keys();
  }
  values(): MapIterator<string> {
    return this.texts().values();
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.texts()[Symbol.iterator]();
  }
}

/** A source's whole text; undefined when it cannot be read now. */
export function wholeText(source: SourceText): string | undefined {
  if (typeof source.text === 'string') return source.text;
  const text = source.text.whole(source.file);
  return typeof text === 'string' ? text : undefined;
}

export interface LoadedFile {
  readonly file: string;
  /** Undefined when the file could not be parsed or its kind not told. */
  readonly kind: FileKind | undefined;
  readonly findings: readonly Finding[];
}

export interface LoadResult {
  readonly set: ConfigSet;
  readonly files: readonly LoadedFile[];
  readonly findings: readonly Finding[];
}

/**
 * A JSON Schema check of one parsed document (ops/schema.ts), passed in so that only the commands
 * that report schema errors load what reports them. Run after the reader; its findings are added
 * after the reader's. `parserFindings` is the very list the document's LoadedFile will hold.
 */
export type SchemaCheck = (
  kind: FileKind,
  value: unknown,
  file: string,
  parserFindings: readonly Finding[],
) => Finding[];

export interface LoadOptions {
  /** Also check every file against its JSON Schema (validate does; merge and convert need not). */
  readonly schema?: SchemaCheck;
  /** Filled with where each entry is (diff annotations). */
  readonly pointers?: EntryPointers;
  /** Read every document with the careful reader (tests compare the two readers). */
  readonly careful?: boolean;
  /**
   * Only the findings are wanted, never the merged set (validate): nothing is merged, and no
   * finding depends on another document. The lean reader's entries are left where it staged
   * them; the careful reader reads into a builder of its own, garbage once the document is read.
   */
  readonly findingsOnly?: boolean;
  /** Parse documents of at least this many characters in pieces of `pieceSize` (defaults: 16 Mi, 256 Ki; tests set them small). */
  readonly piecewise?: { readonly from: number; readonly pieceSize: number };
}

/**
 * The size of one piece: its parsed tree (a few times this) is all of the document's tree in
 * memory at once. A piece's tree is still live when the young generation fills, so it is copied
 * by the collector, often twice, and promoted: the smaller the piece, the less of it. Measured
 * against 2 Mi (paired runs on the bench's synthetic configs): the 200 MB diff 39.6 -> 34.9 s and
 * 1,068 -> 1,009 MB, the 200 MB merge 876 -> 724 MB at the same time, the 50 MB merge 5.4 -> 4.8 s;
 * 128 Ki and 64 Ki were slower again (more pieces, each parsed and checked on its own).
 */
const PIECE = 256 * 1024;
/** Top-level sections of reachability-metadata 1.1 (read by the careful reader, which says they are deprecated). */
const OLDER_SECTIONS: ReadonlySet<string> = new Set(['jni', 'serialization', 'bundles']);

/**
 * A large document of a lean kind, parsed, checked and read in pieces of its main list
 * (`reflection`, or the top-level list of a reflect- or jni-config.json): the parsed tree of the
 * whole document is never in memory, only the model and one piece's tree, and a text read in
 * chunks is never whole either. The schema is checked piece by piece, which is the same check:
 * the list's items are checked one by one and nothing else depends on them. Undefined, with
 * nothing added, when anything is not as it should be (a piece that does not parse or fails the
 * schema, a finding the lean reader would give up for, a chunk that cannot be read): the whole
 * document is then read the usual way, which explains it.
 */
function loadPiecewise(
  source: SourceText,
  kind: FileKind,
  builder: ConfigBuilder | undefined,
  options: LoadOptions,
): Finding[] | undefined {
  const unified = kind === 'unified';
  const r = new LeanReader(unified, options.pointers !== undefined, true);
  const ptr = unified ? '/reflection' : '';
  const section = kind === 'jni' ? 'jni' : 'reflection';
  let offset = 0;
  const onRun = (list: unknown[]): boolean => {
    const valid = unified ? satisfiesUnified12({ reflection: list }) : satisfiesSchema(kind, list);
    if (!valid || !r.typeList(list, ptr, section, offset)) return false;
    offset += list.length;
    return true;
  };
  const chunks = typeof source.text === 'string' ? [source.text] : source.text.chunks();
  // a section of the older layout gives the document up as soon as it is seen, pieces or not
  const doc = documentRuns(
    chunks,
    unified ? 'reflection' : undefined,
    options.piecewise?.pieceSize ?? PIECE,
    onRun,
    (name) => !OLDER_SECTIONS.has(name),
  );
  if (doc === undefined) return undefined;
  if (unified) {
    if (!doc.split) return undefined;
    let rest: Record<string, unknown>;
    try {
      rest = JSON.parse(`{${doc.members.join(',')}}`) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (!satisfiesUnified12(rest) || !r.unifiedRest(rest)) return undefined;
  }
  return finishLean(r, kind, source.file, builder, options.pointers);
}

/** Parses one source into `builder` (for its findings only, without one); returns what was learnt about it. */
export function loadSource(
  source: SourceText,
  builder: ConfigBuilder | undefined,
  options: LoadOptions = {},
): LoadedFile {
  // a text read in chunks is read in pieces whatever its size: it cannot be whole here otherwise
  const from = typeof source.text === 'string' ? options.piecewise?.from : 0;
  if (!options.careful && readInPieces(source.kind, sourceSize(source), from)) {
    try {
      const findings = loadPiecewise(source, source.kind, builder, options);
      if (findings !== undefined) return { file: source.file, kind: source.kind, findings };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // too deep for a piece: the usual way reports it
    }
  }
  const text = typeof source.text === 'string' ? source.text : source.text.whole(source.file);
  if (typeof text !== 'string') return { file: source.file, kind: source.kind, findings: [text] };
  const parsed = parseJsonText(text, source.file);
  if (!parsed.ok) return { file: source.file, kind: source.kind, findings: [parsed.finding] };
  const kind = source.kind ?? sniffKind(parsed.value);
  if (kind === undefined) {
    return {
      file: source.file,
      kind,
      findings: [
        finding(
          'unknown-file',
          source.file,
          '',
          'cannot tell which metadata this is: expected a known file name (e.g. reflect-config.json, reachability-metadata.json) or a recognisable shape',
        ),
      ],
    };
  }
  try {
    if (
      !options.careful &&
      LEAN_KINDS.has(kind) &&
      satisfiesSchema(kind, parsed.value) &&
      leanReadable(kind, parsed.value)
    ) {
      // valid: no schema finding to add, and the lean reader's findings are the careful one's
      const lean = leanDocument(kind, parsed.value, source.file, builder, options.pointers);
      if (lean !== undefined) return { file: source.file, kind, findings: lean };
    }
    const findings = parseDocument(kind, parsed.value, source.file, builder ?? new ConfigBuilder(), options.pointers);
    if (options.schema) findings.push(...options.schema(kind, parsed.value, source.file, findings));
    return { file: source.file, kind, findings };
  } catch (e) {
    // Only nesting deep enough to exhaust the stack gets here; anything else is a bug.
    if (e instanceof RangeError)
      return {
        file: source.file,
        kind,
        findings: [finding('json-syntax', source.file, '', 'the JSON is nested too deeply to read', 0)],
      };
    throw e;
  }
}

/**
 * Loads and merges all sources. The merged set is built when it is first asked for. With
 * `findingsOnly` (validate) nothing is merged and there is no set.
 */
export function loadSources(sources: readonly SourceText[], options: LoadOptions = {}): LoadResult {
  let builder: ConfigBuilder | undefined = options.findingsOnly ? undefined : new ConfigBuilder();
  const files = sources.map((s) => loadSource(s, builder, options));
  let set: ConfigSet | undefined;
  return {
    get set(): ConfigSet {
      if (options.findingsOnly) throw new Error('the sources were read for their findings only: there is no set');
      if (set === undefined) {
        set = builder!.build();
        builder = undefined;
      }
      return set;
    },
    files,
    findings: files.flatMap((f) => f.findings),
  };
}
