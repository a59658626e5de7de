/**
 * Sources (text + kind) → one merged {@link ConfigSet}, with every finding of every file.
 * Pure: the text was read by `io/`; this only parses, checks and merges.
 */
import { finding, type Finding } from '../model/findings.js';
import { parseJsonText } from '../model/json-text.js';
import { sniffKind, type FileKind } from '../model/kinds.js';
import { ConfigBuilder, type ConfigSet } from '../model/model.js';
import { parseDocument, type EntryPointers } from '../model/parse/index.js';

export interface SourceText {
  readonly file: string;
  readonly text: string;
  readonly kind: FileKind | undefined;
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

/** A JSON Schema check of one parsed document (ops/schema.ts); passed in so that only validate loads the schemas. */
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
}

/** Parses one source into `builder`; returns what was learnt about it. */
export function loadSource(source: SourceText, builder: ConfigBuilder, options: LoadOptions = {}): LoadedFile {
  const parsed = parseJsonText(source.text, source.file);
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
    const findings = parseDocument(kind, parsed.value, source.file, builder, options.pointers);
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

/** Loads and merges all sources. */
export function loadSources(sources: readonly SourceText[], options: LoadOptions = {}): LoadResult {
  const builder = new ConfigBuilder();
  const files = sources.map((s) => loadSource(s, builder, options));
  return { set: builder.build(), files, findings: files.flatMap((f) => f.findings) };
}
