/**
 * The apply step merge, convert, prune and trace share: choose the output format, emit, and
 * write atomically (or print, or only say what would be written).
 */
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFilesAtomically, type FileContent } from '../io/write.js';
import { emitLegacy, emitUnified, jsonTextPieces, toJsonText, type EmitNote } from '../model/emit/index.js';
import { FILE_KINDS, kindOfFileName, type FileKind, type Format } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import { isBlocking } from '../model/findings.js';
import { countEntries } from '../model/sections.js';
import { loadSources } from '../ops/load.js';
import type { ProjectConfig } from '../ops/settings.js';
import type { CommandDeps } from './deps.js';

/** The flag's format, else the project's, else the inputs' own when they agree, else unified. */
export function chooseFormat(
  flag: Format | undefined,
  config: ProjectConfig,
  files: readonly { readonly kind: FileKind | undefined }[],
): Format {
  const formats = new Set(files.map((f) => (f.kind === undefined ? undefined : FILE_KINDS[f.kind].format)));
  return flag ?? config.format ?? (formats.size === 1 && formats.has('legacy') ? 'legacy' : 'unified');
}

export interface Written {
  /** Files written (or, with --dry-run, that would be). */
  readonly written: string[];
  /** Files that already had exactly this content. */
  readonly unchanged: string[];
  readonly notes: readonly EmitNote[];
  readonly warnings: string[];
}

/** Nothing written: what a command reports when it had no output to write. */
export const NOTHING_WRITTEN: Written = { written: [], unchanged: [], notes: [], warnings: [] };

/** Emits `set` and writes it to `out` (a directory, a `.json` file for unified, or `-` for stdout). */
export async function emitAndWrite(
  set: ConfigSet,
  format: Format,
  out: string,
  dryRun: boolean,
  deps: Pick<CommandDeps, 'cwd' | 'writeStdout'>,
): Promise<Written> {
  // the reflection list's items are made as the file's text is written, a group at a time (for
  // stdout, toJsonText takes the whole list at once)
  const emitted = format === 'unified' ? emitUnified(set, { lazy: true }) : emitLegacy(set);
  const warnings: string[] = [];
  if (out === '-') {
    if (emitted.files.size !== 1)
      throw new UsageError(
        `the ${format} output is ${emitted.files.size} files (${[...emitted.files.keys()].join(', ')}); give a directory with -o`,
      );
    if (!dryRun) await deps.writeStdout(toJsonText([...emitted.files.values()][0]));
    return { written: [], unchanged: [], notes: emitted.notes, warnings };
  }
  // Each file's text is made as it is written (and compared with the file already there), in
  // pieces: a large output is never whole in memory as one string, nor again as its bytes.
  const texts = new Map<string, FileContent>(
    [...emitted.files].map(([name, value]) => [name, () => jsonTextPieces(value)]),
  );
  const { dir, files } = placeOutput(resolve(deps.cwd, out), format, texts);
  warnings.push(...(await strayFiles(dir, files)));
  if (dryRun)
    return { written: [...files.keys()].map((n) => join(dir, n)), unchanged: [], notes: emitted.notes, warnings };
  return { ...(await writeFilesAtomically(dir, files)), notes: emitted.notes, warnings };
}

/** Where the emitted files go: a directory, or for unified output also a named `.json` file. */
function placeOutput(
  out: string,
  format: Format,
  texts: ReadonlyMap<string, FileContent>,
): { dir: string; files: Map<string, FileContent> } {
  if (extname(out) !== '.json') return { dir: out, files: new Map(texts) };
  if (format === 'legacy')
    throw new UsageError(`legacy output is several files; -o must name a directory, not ${basename(out)}`);
  const files = new Map<string, FileContent>();
  for (const [name, text] of texts) files.set(name === FILE_KINDS.unified.fileName ? basename(out) : name, text);
  return { dir: dirname(out), files };
}

/** Metadata files already in the output directory that this output does not replace: native-image would read them too. */
async function strayFiles(dir: string, files: ReadonlyMap<string, unknown>): Promise<string[]> {
  const present = await readdir(dir).catch(() => [] as string[]);
  return present
    .filter((name) => kindOfFileName(name) !== undefined && !files.has(name))
    .sort()
    .map(
      (name) =>
        `${join(dir, name)} is not part of this output but native-image will read it too; remove it if it is stale`,
    );
}

/**
 * The metadata files already at `out` that an output in `format` would replace, and how many
 * entries they hold together; undefined when there are none (or they cannot be read: then
 * nothing worth keeping is lost by replacing them).
 */
export async function existingOutput(
  format: Format,
  out: string,
  deps: Pick<CommandDeps, 'cwd'>,
): Promise<{ files: string[]; entries: number } | undefined> {
  if (out === '-') return undefined;
  const path = resolve(deps.cwd, out);
  const names = (Object.keys(FILE_KINDS) as FileKind[])
    .filter((k) => FILE_KINDS[k].format === format)
    .map((k) => FILE_KINDS[k].fileName);
  const candidates = extname(path) === '.json' && format === 'unified' ? [path] : names.map((name) => join(path, name));
  const sources: { file: string; text: string; kind: FileKind | undefined }[] = [];
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined)
      sources.push({ file, text, kind: format === 'unified' ? 'unified' : kindOfFileName(basename(file)) });
  }
  if (sources.length === 0) return undefined;
  const loaded = loadSources(sources);
  if (loaded.findings.some(isBlocking)) return undefined;
  const entries = Object.values(countEntries(loaded.set)).reduce((a, b) => a + b, 0);
  return { files: sources.map((s) => s.file), entries };
}
