/** Reading the config inputs a command names (or the project file's `inputs`) into one model. */
import { resolve } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { InputError, UsageError } from '../errors.js';
import { collectSources } from '../io/inputs.js';
import type { TreeListings } from '../io/walk.js';
import { isBlocking, type Finding } from '../model/findings.js';
import type { EntryPointers } from '../model/parse/index.js';
import { loadSources, sourceSize, sourceTexts, type LoadResult, type SourceText } from '../ops/load.js';
import { deferredSchemaCheck } from '../ops/schema.js';
import type { ProjectConfig } from '../ops/settings.js';
import type { CommandDeps } from './deps.js';

export interface LoadedInputs extends LoadResult {
  /** Problems reading the files at all (exit 2 whatever the command). */
  readonly ioFindings: readonly Finding[];
  /** The text of every file a finding names, to place it at line and column. */
  readonly texts: ReadonlyMap<string, string>;
  /** Each file's absolute path, by the name it is shown as (standard input has none). */
  readonly paths: ReadonlyMap<string, string>;
}

/** The paths given, else the project file's `inputs`. */
export function inputPaths(given: readonly string[], project: ProjectConfig): readonly string[] {
  if (given.length > 0) return given;
  if (project.inputs && project.inputs.length > 0) return project.inputs;
  throw new UsageError('no input paths: name files or directories, or list them under "inputs" in ni-config.jsonc');
}

export interface LoadInputsOptions {
  /** Check every file against its JSON Schema too, and report every error of those that fail (validate). */
  readonly schema?: boolean;
  /** The command's tree listings (io/walk.ts), when it walks the same paths for other files too. */
  readonly listings?: TreeListings;
  /** Only the findings are wanted (validate): nothing is merged, and `set` throws. */
  readonly findingsOnly?: boolean;
}

/** Reads and merges the inputs; every finding, I/O or content, is returned, none thrown. */
export async function loadInputs(
  paths: readonly string[],
  project: ProjectConfig,
  deps: Pick<CommandDeps, 'cwd' | 'readStdin' | 'notify'>,
  options: LoadInputsOptions = {},
): Promise<LoadedInputs> {
  const absolute = paths.map((p) => (p === '-' ? p : resolve(deps.cwd, p)));
  const collected = await collectSources(absolute, {
    readStdin: deps.readStdin,
    ...(project.maxFileSize !== undefined ? { maxFileSize: project.maxFileSize } : {}),
    ...(options.listings ? { listings: options.listings } : {}),
  });
  // Show paths as the user wrote them, not as resolved.
  const shown = (file: string): string => {
    for (let i = 0; i < paths.length; i++) {
      const abs = absolute[i]!;
      if (file === abs) return paths[i]!;
      // 'dir/' and 'dir' show a file below as 'dir/a.json'
      if (file.startsWith(abs + '/')) return paths[i]!.replace(/\/+$/, '') + file.slice(abs.length);
    }
    return file;
  };
  warnIfTooLarge(inputSize(collected.sources), deps);
  const absoluteOf = new Map<string, string>();
  const sources = collected.sources.map((s) => {
    const file = shown(s.file);
    // standard input has no path, and a file shown as `<stdin>` would be taken for it
    if (s.file !== '<stdin>' && file !== '<stdin>') absoluteOf.set(file, s.file);
    return { ...s, file };
  });
  const ioFindings = collected.findings.map((f) => ({ ...f, file: shown(f.file) }));
  const schema = options.schema ? deferredSchemaCheck() : undefined;
  const loaded = loadSources(sources, {
    ...(schema ? { schema: schema.check } : {}),
    ...(options.findingsOnly ? { findingsOnly: true } : {}),
  });
  const files = schema ? await schema.report(loaded.files, sources) : loaded.files;
  const findings = schema ? files.flatMap((f) => f.findings) : loaded.findings;
  return {
    // built when asked for (validate never asks, and reads for the findings only)
    get set() {
      return loaded.set;
    },
    files,
    findings,
    ioFindings,
    // texts place findings at line and column; the others need not stay in memory
    texts: sourceTexts(sources, [...ioFindings, ...findings]),
    paths: absoluteOf,
  };
}

/** Loads inputs and refuses (exit 2, nothing written) when part of them could not be read. */
export async function readableInputs(
  paths: readonly string[],
  project: ProjectConfig,
  deps: Pick<CommandDeps, 'cwd' | 'readStdin' | 'notify'>,
): Promise<LoadedInputs> {
  const inputs = await loadInputs(inputPaths(paths, project), project, deps);
  const blocking = [...inputs.ioFindings, ...inputs.findings].filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError('part of the input could not be read; nothing was written', blocking, inputs.texts);
  return inputs;
}

/** Loads sources that must all be readable (one side of a diff, a library's config); `what` names them. */
export function readableSources(sources: readonly SourceText[], what: string, pointers?: EntryPointers): LoadResult {
  const loaded = loadSources(sources, pointers ? { pointers } : {});
  const blocking = loaded.findings.filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError(`${what}: part of the input could not be read`, blocking, sourceTexts(sources, blocking));
  return loaded;
}

/**
 * Peak memory is at most about this many times the JSON read. npm run bench, a 200 MB synthetic
 * config (read in chunks), measures less: validate 3.1×, merge 4.6×, a diff of two of them 2.4×
 * of both (peak RSS). The rest is room for inputs less regular than that one, and for a large
 * file that is read whole after all (one that cannot be read in pieces). Node.js ends a process
 * that outgrows its heap with a fatal error nothing can catch, so say beforehand what to do.
 */
const MEMORY_PER_INPUT_BYTE = 10;

/** Warns when `chars` of JSON (everything one command reads) may not fit in this heap. */
export function warnIfTooLarge(chars: number, deps: Pick<CommandDeps, 'notify'>): void {
  const limit = getHeapStatistics().heap_size_limit;
  const need = chars * MEMORY_PER_INPUT_BYTE;
  if (need <= limit) return;
  const mb = (n: number): number => Math.round(n / 1024 / 1024);
  const suggest = Math.ceil((need * 1.25) / 1024 / 1024 / 1024) * 1024;
  deps.notify({
    kind: 'warning',
    message: `the inputs hold ${mb(chars)} MB of JSON; that needs about ${mb(need)} MB of memory and this Node.js allows ${mb(limit)} MB. If it runs out, give it more: NODE_OPTIONS=--max-old-space-size=${suggest}`,
  });
}

/** The size of the sources together, in characters (bytes for a text read in chunks): what the memory warning goes by. */
export function inputSize(sources: readonly SourceText[]): number {
  return sources.reduce((n, s) => n + sourceSize(s), 0);
}

/** Inputs of at least this size (characters, or bytes of a file read in chunks) are large: see below. */
const LARGE_INPUT = 64 * 1024 * 1024;

/**
 * For a diff of large inputs, which holds the first side's set while it reads the second: the
 * old generation may grow to twice what was live after the last full collection before the next
 * one, rather than the up to fourfold V8 allows itself when the collector looks fast. Reading a
 * large input leaves a steady stream of garbage in the old generation (each piece's parsed tree),
 * and on top of the first set the fourfold bound let it all pile up to the peak: a diff of two
 * 200 MB inputs went from 1.32 to 1.02–1.13 GB of peak RSS, for about 8% more time. A merge holds
 * one set, and there the same bound saved 130 MB of 990 (1.35× the floor already) for 13% more
 * time, so it is left to V8. The flag holds until the function returned is called.
 */
export function boundHeapGrowth(size: number): () => void {
  if (size < LARGE_INPUT) return () => {};
  setFlagsFromString(HEAP_GROWTH_FLAG);
  return () => setFlagsFromString(HEAP_GROWTH_DEFAULT_FLAG);
}

/** V8's flag for the factor the old generation may grow by (1 + percent / 100). */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent=100';
/**
 * The same flag at V8's default (0: V8 chooses), set back when the diff is done: the bin makes its
 * code cache under the flags the process started with (io/code-cache.ts), and V8 turns down one
 * made under others.
 */
export const HEAP_GROWTH_DEFAULT_FLAG = '--heap-growing-percent=0';
