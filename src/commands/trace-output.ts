/**
 * Where a trace's result goes: the META-INF layout (--write) or -o, and the evidence file beside
 * it. An earlier output that must stay (the trace collected nothing, or less after failed events)
 * stays whole: its evidence file too.
 */
import { InputError } from '../errors.js';
import type { ConfigSet } from '../model/model.js';
import type { Attribution } from '../ops/evidence/file.js';
import type { LookupEvidence } from '../ops/evidence/types.js';
import { emittedErrors } from '../ops/schema.js';
import type { ProjectConfig } from '../ops/settings.js';
import type { CommandDeps } from './deps.js';
import { emitAndWrite } from './output.js';
import { attributedCount, evidencePath, keepEarlier, writeEvidence, type TraceResult } from './trace-result.js';
import type { TraceOptions } from './trace.js';
import { writeLayout } from './write.js';

/** What of trace's options decides where its output goes. */
export type TraceOutputOptions = Pick<TraceOptions, 'out' | 'write' | 'format' | 'allowErrors' | 'force'>;

/** What was found beside the metadata: the call trees' lookups and, with --attribute, the events. */
export interface TraceEvidence {
  readonly evidence: LookupEvidence | undefined;
  readonly attributions: ReadonlyMap<string, Attribution> | undefined;
}

/** Writes the pruned set (and its evidence) as the options say; the report with what was written. */
export async function writeTraceOutput(
  set: ConfigSet,
  traced: TraceResult,
  found: TraceEvidence,
  options: TraceOutputOptions,
  config: ProjectConfig,
  deps: CommandDeps,
): Promise<TraceResult> {
  const evidence = async (): Promise<Partial<TraceResult>> =>
    found.evidence || found.attributions
      ? {
          evidence: await writeEvidence(found.evidence, found.attributions, evidencePath(options, deps.cwd)),
          ...(found.attributions ? { attributed: attributedCount(set, found.attributions) } : {}),
        }
      : {};
  if (options.write) {
    const problems = await emittedErrors(set);
    if (problems.length > 0)
      throw new InputError('the traced metadata does not validate; nothing was written', problems);
    const layout = await writeLayout(set, { format: options.format }, config, deps);
    return { ...traced, ...(await evidence()), format: layout.format, written: layout.written, layout };
  }
  const format = options.format ?? config.format ?? 'unified';
  const kept = await keepEarlier(set, format, options, traced, deps);
  if (kept)
    return {
      ...traced,
      format,
      output: options.out!,
      written: [],
      unchanged: [],
      kept: kept.files,
      warnings: [kept.why, ...traced.warnings],
    };
  const written = await emitAndWrite(set, format, options.out!, false, deps);
  return {
    ...traced,
    ...(await evidence()),
    format,
    output: options.out!,
    written: written.written,
    unchanged: written.unchanged,
    warnings: [...written.warnings, ...traced.warnings],
  };
}
