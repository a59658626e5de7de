/**
 * `merge` and `convert` are one job: read any mix of inputs into one model, emit it in the
 * chosen format, write it atomically (or print it, or only say what would be written).
 * read → compute → apply; `--dry-run` skips only the last step.
 */
import type { Format } from '../../model/kinds.js';
import type { EmitNote } from '../../model/emit/index.js';
import { countEntries } from '../../model/model.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT } from '../errors.js';
import { writeOut, type FindingJson } from '../render.js';
import { allFindingJson, chooseFormat, emitAndWrite, readableInputs, reportLines } from './output.js';

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
  const inputs = await readableInputs(options.paths, config, ctx);
  const format = chooseFormat(options.format, config, inputs);
  const result = await emitAndWrite(inputs.set, format, options.out, Boolean(options.dryRun), ctx);
  const entries = countEntries(inputs.set);
  if (options.json) {
    const out: CombineJson = {
      ok: true,
      format,
      dryRun: Boolean(options.dryRun),
      written: result.written,
      unchanged: result.unchanged,
      entries,
      notes: result.notes,
      warnings: result.warnings,
      findings: allFindingJson(inputs),
    };
    await writeOut(options.out === '-' ? ctx.stderr : ctx.stdout, JSON.stringify(out, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines = reportLines(inputs, result, ctx);
  if (options.out !== '-') lines.push(summaryLine(format, entries, result, Boolean(options.dryRun)));
  if (lines.length > 0) await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.ok;
}

export function summaryLine(
  format: Format,
  entries: Record<string, number>,
  result: { written: readonly string[]; unchanged: readonly string[] },
  dryRun: boolean,
): string {
  const summary = Object.entries(entries)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const n = result.written.length + result.unchanged.length;
  return `${dryRun ? 'would write' : 'wrote'} ${format} metadata (${summary || 'empty'}) to ${n} file${n === 1 ? '' : 's'}${result.unchanged.length > 0 ? ` (${result.unchanged.length} unchanged)` : ''}`;
}
