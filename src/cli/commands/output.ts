/**
 * The steps merge, convert and prune share: read inputs that must be readable whole, choose the
 * output format, emit, and write (or print, or only say what would be written).
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { WriteError, writeFilesAtomically } from '../../io/write.js';
import type { ProjectConfig } from '../../io/project.js';
import { countBySeverity, isBlocking } from '../../model/findings.js';
import { FILE_KINDS, kindOfFileName, type Format } from '../../model/kinds.js';
import { emitLegacy, emitUnified, toJsonText, type EmitNote } from '../../model/emit/index.js';
import type { ConfigSet } from '../../model/model.js';
import type { CommandContext } from '../context.js';
import { InputError, UsageError } from '../errors.js';
import {
  Positions,
  findingLine,
  printable,
  sortedFindingJson,
  styleFor,
  writeOut,
  type FindingJson,
} from '../render.js';
import { inputPaths, loadInputs, type LoadedInputs } from './inputs.js';

/** Loads inputs and refuses (exit 2, nothing written) when part of them could not be read. */
export async function readableInputs(
  paths: readonly string[],
  config: ProjectConfig,
  ctx: CommandContext,
): Promise<LoadedInputs> {
  const inputs = await loadInputs(inputPaths(paths, config), config, ctx);
  const blocking = [...inputs.ioFindings, ...inputs.findings].filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError('part of the input could not be read; nothing was written', blocking, inputs.texts);
  return inputs;
}

/** The flag's format, else the project's, else the inputs' own when they agree, else unified. */
export function chooseFormat(flag: Format | undefined, config: ProjectConfig, inputs: LoadedInputs): Format {
  const formats = new Set(inputs.files.map((f) => (f.kind === undefined ? undefined : FILE_KINDS[f.kind].format)));
  return flag ?? config.format ?? (formats.size === 1 && formats.has('legacy') ? 'legacy' : 'unified');
}

export interface Written {
  readonly written: string[];
  readonly unchanged: string[];
  readonly notes: readonly EmitNote[];
  readonly warnings: string[];
}

/** Emits `set` and writes it to `out` (a directory, a `.json` file for unified, or `-`). */
export async function emitAndWrite(
  set: ConfigSet,
  format: Format,
  out: string,
  dryRun: boolean,
  ctx: CommandContext,
): Promise<Written> {
  const emitted = format === 'unified' ? emitUnified(set) : emitLegacy(set);
  const texts = new Map([...emitted.files].map(([name, value]) => [name, toJsonText(value)]));
  const warnings: string[] = [];
  if (out === '-') {
    if (texts.size !== 1)
      throw new UsageError(
        `the ${format} output is ${texts.size} files (${[...texts.keys()].join(', ')}); give a directory with -o`,
      );
    if (!dryRun) await writeOut(ctx.stdout, [...texts.values()][0]!);
    return { written: [], unchanged: [], notes: emitted.notes, warnings };
  }
  const { dir, files } = placeOutput(resolve(ctx.cwd, out), format, texts);
  warnings.push(...(await strayFiles(dir, files)));
  if (dryRun)
    return { written: [...files.keys()].map((n) => join(dir, n)), unchanged: [], notes: emitted.notes, warnings };
  try {
    return { ...(await writeFilesAtomically(dir, files)), notes: emitted.notes, warnings };
  } catch (e) {
    if (e instanceof WriteError) throw new InputError(e.message, [], new Map(), { cause: e });
    throw e;
  }
}

/** Human lines about the inputs' findings and the output: errors shown, the rest counted. */
export function reportLines(inputs: LoadedInputs, result: Written, ctx: CommandContext): string[] {
  const problems = [...inputs.ioFindings, ...inputs.findings];
  const style = styleFor(ctx.stderr);
  // Placing a finding scans its file: only do it for the ones shown.
  const lines = sortedFindingJson(
    problems.filter((f) => f.severity === 'error'),
    new Positions(inputs.texts),
  ).map((f) => findingLine(f, style));
  const counts = countBySeverity(problems);
  if (counts.error + counts.warning > 0) {
    lines.push(
      `note: the inputs have ${counts.error} error(s) and ${counts.warning} warning(s), carried as they are; \`ni-config validate\` lists them`,
    );
  }
  for (const n of result.notes)
    lines.push(
      printable(
        `${n.severity}: ${n.message}${n.entries.length <= 5 ? `: ${n.entries.join('; ')}` : `: ${n.entries.slice(0, 5).join('; ')}; …`}`,
      ),
    );
  for (const w of result.warnings) lines.push(`warning: ${printable(w)}`);
  return lines;
}

export function allFindingJson(inputs: LoadedInputs): FindingJson[] {
  return sortedFindingJson([...inputs.ioFindings, ...inputs.findings], new Positions(inputs.texts));
}

/** Where the emitted files go: a directory, or for unified output also a named `.json` file. */
function placeOutput(
  out: string,
  format: Format,
  texts: ReadonlyMap<string, string>,
): { dir: string; files: Map<string, string> } {
  if (extname(out) !== '.json') return { dir: out, files: new Map(texts) };
  if (format === 'legacy')
    throw new UsageError(`legacy output is several files; -o must name a directory, not ${basename(out)}`);
  const files = new Map<string, string>();
  for (const [name, text] of texts) files.set(name === FILE_KINDS.unified.fileName ? basename(out) : name, text);
  return { dir: dirname(out), files };
}

/** Metadata files already in the output directory that this output does not replace: native-image would read them too. */
async function strayFiles(dir: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  const present = await readdir(dir).catch(() => [] as string[]);
  return present
    .filter((name) => kindOfFileName(name) !== undefined && !files.has(name))
    .sort()
    .map(
      (name) =>
        `${join(dir, name)} is not part of this output but native-image will read it too; remove it if it is stale`,
    );
}
