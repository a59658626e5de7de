/**
 * JSON Schema validation with the validators compiled at build time from `schemas/`.
 * Schema errors that the parser already explains (same place, or inside a place the parser
 * reported) are dropped, so each problem is reported once, with the clearer message.
 */
import type { SchemaError } from '../generated/validators.js';
import { finding, pointerTokens, type Finding, type FindingCode } from '../model/findings.js';
import { emitUnified, toJsonText } from '../model/emit/index.js';
import { kindOfFileName, type FileKind } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import { parseJsonText } from '../model/json-text.js';
import { loadSources, satisfiesSchema, schemaFor, type LoadedFile, type SchemaCheck, type SourceText } from './load.js';
import { errorTarget } from './settings-findings.js';

export { schemaFor, type SchemaChoice } from './load.js';

type Reporting = typeof import('../generated/validators-all.js');

/**
 * The build of the schemas that collects every error, to report a document that failed: about
 * 240 KB of code, loaded the first time one did (most inputs are valid, and the fast build of
 * the same schemas, which stops at the first error, tells them).
 */
let reporting: Promise<Reporting> | undefined;

/** The schema check for loadSources that reports every schema error of a document, once its validators are loaded. */
export async function schemaCheck(): Promise<SchemaCheck> {
  const validators = await (reporting ??= import('../generated/validators-all.js'));
  return (kind, value, file, parserFindings) => schemaFindings(validators, kind, value, file, parserFindings);
}

/** The two steps of a schema check whose validators are loaded only when a document fails it. */
export interface DeferredSchemaCheck {
  /** For loadSources: notes each document that fails its schema (its findings come from `report`). */
  readonly check: SchemaCheck;
  /**
   * The files loadSources read with `check` (one per source, in order) with the schema findings
   * of those that failed added after their own. A failed document is parsed again from its
   * source's text, rather than kept parsed through the whole load.
   */
  report(files: readonly LoadedFile[], sources: readonly SourceText[]): Promise<readonly LoadedFile[]>;
}

/** {@link schemaCheck} in two steps (see DeferredSchemaCheck); the findings are the same. */
export function deferredSchemaCheck(): DeferredSchemaCheck {
  // each failed document by the list of its findings (the one its LoadedFile holds: two files may
  // have one name, as two `-` do) → its kind
  const failed = new Map<readonly Finding[], FileKind>();
  return {
    check: (kind, value, _file, parserFindings) => {
      if (!satisfiesSchema(kind, value)) failed.set(parserFindings, kind);
      return [];
    },
    async report(files, sources) {
      if (failed.size === 0) return files;
      if (files.length !== sources.length) throw new Error('report takes the files of the sources it is given');
      const full = await schemaCheck();
      return files.map((f, i) => {
        const kind = failed.get(f.findings);
        if (kind === undefined) return f;
        const source = sources[i]!;
        const text = typeof source.text === 'string' ? source.text : source.text.whole(f.file);
        // a text read in chunks may have changed on disk since: that is said instead
        if (typeof text !== 'string') return { ...f, findings: [...f.findings, text] };
        const parsed = parseJsonText(text, f.file);
        const more = parsed.ok ? full(kind, parsed.value, f.file, f.findings) : [parsed.finding];
        return { ...f, findings: [...f.findings, ...more] };
      });
    },
  };
}

/** Findings from the parser that make schema errors at or below (or above) their place redundant. */
const EXPLAINING_CODES: ReadonlySet<FindingCode> = new Set([
  'wrong-type',
  'missing-key',
  'ignored-key',
  'schema',
  'deprecated',
  'empty-proxy',
  'bad-class-name',
  'bad-member-name',
  'hidden-class',
  'hidden-class-condition',
  'wrong-condition-key',
  'empty-condition',
]);

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const t of pointerTokens(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.prototype.hasOwnProperty.call(v, t) ? (v as Record<string, unknown>)[t] : undefined;
  }
  return v;
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The pointers above a JSON pointer, the root ('') first; not the pointer itself. */
function ancestors(pointer: string): string[] {
  const out: string[] = [];
  if (pointer === '') return out;
  out.push('');
  for (let i = pointer.indexOf('/', 1); i > 0; i = pointer.indexOf('/', i + 1)) out.push(pointer.slice(0, i));
  return out;
}

/** Validates one parsed document against its schema; `parserFindings` are those already reported for it. */
function schemaFindings(
  reporting: Reporting,
  kind: FileKind,
  value: unknown,
  file: string,
  parserFindings: readonly Finding[],
): Finding[] {
  if (satisfiesSchema(kind, value)) return [];
  const { name, schemaFile } = schemaFor(kind, value);
  // Invalid: run the build of the same schema that collects every error, to report them all.
  const validator = reporting[name];
  validator(value);
  // A schema error at, above or below a place the parser already explained says nothing new.
  // Sets of pointers and their ancestors keep this linear in the errors and findings.
  const explained = new Set<string>();
  const aboveExplained = new Set<string>();
  for (const f of parserFindings) {
    if (!EXPLAINING_CODES.has(f.code)) continue;
    explained.add(f.jsonPointer);
    for (const a of ancestors(f.jsonPointer)) aboveExplained.add(a);
  }
  const byPlace = new Map<string, SchemaError[]>();
  for (const e of validator.errors ?? []) {
    const target = errorTarget(e);
    if (explained.has(target) || aboveExplained.has(target) || ancestors(target).some((a) => explained.has(a)))
      continue;
    let list = byPlace.get(target);
    if (list === undefined) byPlace.set(target, (list = []));
    list.push(e);
  }
  const failedAsWhole = new Set(
    [...byPlace].filter(([, errors]) => errors.some(isAlternative)).map(([place]) => place),
  );
  const out: Finding[] = [];
  for (const [place, errors] of byPlace) {
    // Errors below a place that failed as a whole (oneOf) are the branches' noise.
    if (ancestors(place).some((a) => failedAsWhole.has(a))) continue;
    out.push(describe(place, errors, value, file, schemaFile));
  }
  return out;
}

function isAlternative(e: SchemaError): boolean {
  return e.keyword === 'oneOf' || e.keyword === 'anyOf';
}

function describe(
  place: string,
  errors: readonly SchemaError[],
  root: unknown,
  file: string,
  schemaFile: string,
): Finding {
  const actual = valueAt(root, place);
  const first = errors[0]!;
  const types = errors.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
  const under = `(${schemaFile})`;
  if (errors.some(isAlternative) || (types.length > 0 && types.length === errors.length)) {
    const expected = types.length > 0 ? [...new Set(types)].join(' or ') : 'one of the allowed forms';
    return finding('schema', file, place, `expected ${expected}, found ${describeValue(actual)} ${under}`);
  }
  switch (first.keyword) {
    case 'additionalProperties':
      return finding(
        'ignored-key',
        file,
        place,
        `unknown key '${String(first.params.additionalProperty)}'; the schema does not allow it and native-image ignores it ${under}`,
      );
    case 'required':
      return finding(
        'missing-key',
        file,
        place,
        `missing required key '${String(first.params.missingProperty)}' ${under}`,
      );
    case 'pattern':
      return finding(
        'schema',
        file,
        place,
        `${describeValue(actual)} does not match ${String(first.params.pattern)} ${under}`,
      );
    case 'enum':
      return finding(
        'schema',
        file,
        place,
        `expected one of ${(first.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(actual)} ${under}`,
      );
    default:
      return finding(
        'schema',
        file,
        place,
        `${first.message ?? 'does not satisfy the schema'}; found ${describeValue(actual)} ${under}`,
      );
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  const t = jsonTypeOf(v);
  return t === 'object' || t === 'array' ? `an ${t === 'array' ? 'array' : 'object'}` : `${t} ${JSON.stringify(v)}`;
}

/** Errors the written files would have: the set emitted as it will be written, then validated. */
export async function emittedErrors(set: ConfigSet): Promise<Finding[]> {
  const sources = [...emitUnified(set).files].map(([name, value]) => ({
    file: name,
    text: toJsonText(value),
    kind: kindOfFileName(name),
  }));
  const schema = deferredSchemaCheck();
  const files = await schema.report(loadSources(sources, { schema: schema.check }).files, sources);
  return files.flatMap((f) => f.findings).filter((f) => f.severity === 'error');
}
