/**
 * `merge` and `convert` are one job: read any mix of inputs into one model, emit it in the
 * chosen format, write it atomically (or print it, or only say what would be written).
 * read → compute → apply; `--dry-run` skips only the last step.
 */
import type { EmitNote } from '../model/emit/index.js';
import type { Format } from '../model/kinds.js';
import { placeFindings, type FindingJson } from '../model/placed.js';
import { countEntries, type Section } from '../model/sections.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { readableInputs } from './inputs.js';
import { chooseFormat, emitAndWrite } from './output.js';
import { readProject } from './project.js';

export interface CombineOptions extends GlobalOptions {
  readonly paths: readonly string[];
  /** Output format; undefined: the project's, else the inputs' own when they agree, else unified. */
  readonly format?: Format | undefined;
  /** Output directory, a `.json` file (unified), or `-` for stdout. */
  readonly out: string;
  readonly dryRun?: boolean | undefined;
}

/** The result of merge and convert: their `--json` output. */
export interface CombineResult {
  readonly ok: boolean;
  readonly format: Format;
  readonly dryRun: boolean;
  /** Where the output went, as given (`-` for stdout). */
  readonly output: string;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly entries: Record<Section, number>;
  readonly notes: readonly EmitNote[];
  readonly warnings: readonly string[];
  readonly findings: readonly FindingJson[];
}

/** Reads every input into one set and writes it in the chosen format. */
export async function runCombine(options: CombineOptions, deps: CommandDeps): Promise<CombineResult> {
  const { config } = await readProject(options, deps);
  const inputs = await readableInputs(options.paths, config, deps);
  const format = chooseFormat(options.format, config, inputs.files);
  const dryRun = Boolean(options.dryRun);
  const result = await emitAndWrite(inputs.set, format, options.out, dryRun, deps);
  return {
    ok: true,
    format,
    dryRun,
    output: options.out,
    written: result.written,
    unchanged: result.unchanged,
    entries: countEntries(inputs.set),
    notes: result.notes,
    warnings: result.warnings,
    findings: placeFindings([...inputs.ioFindings, ...inputs.findings], inputs.texts),
  };
}
