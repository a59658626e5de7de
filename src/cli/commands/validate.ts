/** `ni-config validate PATH...`: JSON Schema and semantic checks, findings as file:line:col. */
import { countBySeverity } from '../../model/findings.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT } from '../errors.js';
import {
  Positions,
  annotationData,
  annotationProperty,
  findingLine,
  sortedFindingJson,
  styleFor,
  writeOut,
  type FindingJson,
} from '../render.js';
import { schemaFindings } from '../../ops/schema.js';
import { inputPaths, loadInputs } from './inputs.js';

export interface ValidateOptions extends GlobalOptions {
  readonly paths: readonly string[];
  readonly strict?: boolean;
  /** `github`: workflow-command annotations instead of text lines. */
  readonly format?: 'text' | 'github';
}

/** The `--json` output of validate. */
export interface ValidateJson {
  readonly ok: boolean;
  readonly strict: boolean;
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  readonly files: readonly { readonly file: string; readonly kind: string | null }[];
  readonly findings: readonly FindingJson[];
}

export async function runValidate(options: ValidateOptions, ctx: CommandContext): Promise<number> {
  const { config } = await projectConfig(options, ctx);
  const strict = options.strict ?? config.strict ?? false;
  const inputs = await loadInputs(inputPaths(options.paths, config), config, ctx, schemaFindings);
  const all = [...inputs.ioFindings, ...inputs.findings];
  const counts = countBySeverity(all);
  const ok = counts.error === 0 && (!strict || counts.warning === 0);
  const exit = inputs.ioFindings.some((f) => f.severity === 'error') ? EXIT.error : ok ? EXIT.ok : EXIT.findings;
  const findings = sortedFindingJson(all, new Positions(inputs.texts));

  if (options.json) {
    const out: ValidateJson = {
      ok: exit === EXIT.ok,
      strict,
      counts,
      files: inputs.files.map((f) => ({ file: f.file, kind: f.kind ?? null })),
      findings,
    };
    await writeOut(ctx.stdout, JSON.stringify(out, null, 2) + '\n');
  } else if (options.format === 'github') {
    const level = { error: 'error', warning: 'warning', info: 'notice' } as const;
    const lines = findings.map(
      (f) =>
        `::${level[f.severity]} file=${annotationProperty(f.file)},line=${f.line},col=${f.col},title=${annotationProperty(f.code)}::${annotationData(f.message)}`,
    );
    if (lines.length > 0) await writeOut(ctx.stdout, lines.join('\n') + '\n');
  } else {
    const style = styleFor(ctx.stdout);
    if (findings.length > 0) await writeOut(ctx.stdout, findings.map((f) => findingLine(f, style)).join('\n') + '\n');
    const n = inputs.files.length;
    await writeOut(
      ctx.stderr,
      `checked ${n} file${n === 1 ? '' : 's'}: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} note${counts.info === 1 ? '' : 's'}${strict ? ' (strict: warnings fail)' : ''}\n`,
    );
  }
  return exit;
}
