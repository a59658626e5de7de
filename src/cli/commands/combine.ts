/**
 * `merge` and `convert` are one job: read any mix of inputs into one model, emit it in the
 * chosen format, write it atomically (or print it, or only say what would be written).
 * read → compute → apply; `--dry-run` skips only the last step.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { WriteError, writeFilesAtomically } from '../../io/write.js';
import { countBySeverity, isBlocking } from '../../model/findings.js';
import { FILE_KINDS, kindOfFileName, type Format } from '../../model/kinds.js';
import { emitLegacy, emitUnified, toJsonText, type EmitNote } from '../../model/emit.js';
import { countEntries } from '../../model/model.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { Positions, findingLine, sortedFindingJson, styleFor, writeOut, type FindingJson } from '../render.js';
import { inputPaths, loadInputs } from './inputs.js';

export interface CombineOptions extends GlobalOptions {
  readonly paths: readonly string[];
  /** Output format; undefined: the project's, else the inputs' own when they agree, else unified. */
  readonly format?: Format;
  /** Output directory, a `.json` file (unified), or `-` for stdout. */
  readonly out: string;
  readonly dryRun?: boolean;
}

/** The `--json` output of merge and convert. */
export interface CombineJson {
  readonly ok: boolean;
  readonly format: Format;
  readonly dryRun: boolean;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly entries: Record<string, number>;
  readonly notes: readonly EmitNote[];
  readonly warnings: readonly string[];
  readonly findings: readonly FindingJson[];
}

export async function runCombine(options: CombineOptions, ctx: CommandContext): Promise<number> {
  const { config } = await projectConfig(options, ctx);
  const inputs = await loadInputs(inputPaths(options.paths, config), config, ctx, false);
  const problems = [...inputs.ioFindings, ...inputs.findings];
  const positions = new Positions(inputs.texts);
  const blocking = problems.filter(isBlocking);
  if (blocking.length > 0) {
    throw new InputError('part of the input could not be read; nothing was written', blocking, inputs.texts);
  }

  const inputFormats = new Set(inputs.files.map((f) => (f.kind === undefined ? undefined : FILE_KINDS[f.kind].format)));
  const format: Format = options.format ?? config.format ?? (inputFormats.size === 1 && inputFormats.has('legacy') ? 'legacy' : 'unified');
  const emitted = format === 'unified' ? emitUnified(inputs.set) : emitLegacy(inputs.set);
  const texts = new Map([...emitted.files].map(([name, value]) => [name, toJsonText(value)]));

  const warnings: string[] = [];
  let written: string[] = [];
  let unchanged: string[] = [];
  if (options.out === '-') {
    if (texts.size !== 1) {
      throw new UsageError(`the ${format} output is ${texts.size} files (${[...texts.keys()].join(', ')}); give a directory with -o`);
    }
    if (!options.dryRun) await writeOut(ctx.stdout, [...texts.values()][0]!);
  } else {
    const { dir, files } = placeOutput(resolve(ctx.cwd, options.out), format, texts);
    warnings.push(...(await strayFiles(dir, files)));
    if (options.dryRun) {
      written = [...files.keys()].map((n) => join(dir, n));
    } else {
      try {
        ({ written, unchanged } = await writeFilesAtomically(dir, files));
      } catch (e) {
        if (e instanceof WriteError) throw new InputError(e.message, [], new Map(), { cause: e });
        throw e;
      }
    }
  }

  const entries = countEntries(inputs.set);
  if (options.json) {
    const findings = sortedFindingJson(problems, positions);
    const out: CombineJson = { ok: true, format, dryRun: Boolean(options.dryRun), written, unchanged, entries, notes: emitted.notes, warnings, findings };
    await writeOut(options.out === '-' ? ctx.stderr : ctx.stdout, JSON.stringify(out, null, 2) + '\n');
    return EXIT.ok;
  }
  // Findings about what the inputs say are validate's business; errors are shown, the rest counted.
  const style = styleFor(ctx.stderr);
  // Placing a finding may parse its file into a tree: only do it for the ones shown.
  const lines: string[] = sortedFindingJson(problems.filter((f) => f.severity === 'error'), positions).map((f) => findingLine(f, style));
  const counts = countBySeverity(problems);
  if (counts.error + counts.warning > 0) {
    lines.push(`note: the inputs have ${counts.error} error(s) and ${counts.warning} warning(s), merged as they are; \`ni-config validate\` lists them`);
  }
  for (const n of emitted.notes) lines.push(`${n.severity}: ${n.message}${n.entries.length <= 5 ? `: ${n.entries.join('; ')}` : `: ${n.entries.slice(0, 5).join('; ')}; …`}`);
  for (const w of warnings) lines.push(`warning: ${w}`);
  const summary = Object.entries(entries)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const verb = options.dryRun ? 'would write' : 'wrote';
  if (options.out !== '-') {
    lines.push(`${verb} ${format} metadata (${summary || 'empty'}) to ${written.length + unchanged.length} file${written.length + unchanged.length === 1 ? '' : 's'}${unchanged.length > 0 ? ` (${unchanged.length} unchanged)` : ''}`);
  }
  if (lines.length > 0) await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.ok;
}

/** Where the emitted files go: a directory, or for unified output also a named `.json` file. */
function placeOutput(out: string, format: Format, texts: ReadonlyMap<string, string>): { dir: string; files: Map<string, string> } {
  if (extname(out) !== '.json') return { dir: out, files: new Map(texts) };
  if (format === 'legacy') throw new UsageError(`legacy output is several files; -o must name a directory, not ${basename(out)}`);
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
    .map((name) => `${join(dir, name)} is not part of this output but native-image will read it too; remove it if it is stale`);
}
