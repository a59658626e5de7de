/** `ni-config validate PATH...`: JSON Schema and semantic checks, findings placed at file:line:col. */
import { countBySeverity } from '../model/findings.js';
import type { FileKind } from '../model/kinds.js';
import { placeFindings, type FindingJson } from '../model/placed.js';
import { schemaFindings } from '../ops/schema.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { inputPaths, loadInputs } from './inputs.js';
import { readProject } from './project.js';

export interface ValidateOptions extends GlobalOptions {
  readonly paths: readonly string[];
  /** Warnings fail too; default: the project file's `strict`. */
  readonly strict?: boolean | undefined;
}

/** The result of validate: its `--json` output. */
export interface ValidateResult {
  readonly ok: boolean;
  readonly strict: boolean;
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** Findings about reading the inputs at all (unreadable, missing, too large): exit 2. */
  readonly inputErrors: number;
  readonly files: readonly { readonly file: string; readonly kind: FileKind | null }[];
  readonly findings: readonly FindingJson[];
}

/** Reads the inputs with the schema check on and reports every finding. */
export async function runValidate(options: ValidateOptions, deps: CommandDeps): Promise<ValidateResult> {
  const { config } = await readProject(options, deps);
  const strict = options.strict ?? config.strict ?? false;
  const inputs = await loadInputs(inputPaths(options.paths, config), config, deps, { schema: schemaFindings });
  const all = [...inputs.ioFindings, ...inputs.findings];
  const counts = countBySeverity(all);
  const inputErrors = inputs.ioFindings.filter((f) => f.severity === 'error').length;
  return {
    ok: inputErrors === 0 && counts.error === 0 && (!strict || counts.warning === 0),
    strict,
    counts,
    inputErrors,
    files: inputs.files.map((f) => ({ file: f.file, kind: f.kind ?? null })),
    findings: placeFindings(all, inputs.texts),
  };
}
