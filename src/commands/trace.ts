/**
 * `ni-config trace` and `ni-config invoke`: run the function (a local process or a container),
 * drive the events, and (trace) collect what the native-image agent recorded, prune it with
 * the prune plan `prune` uses, and write it.
 */
import { InputError, UsageError } from '../errors.js';
import type { Format } from '../model/kinds.js';
import { countEntries } from '../model/sections.js';
import { prune } from '../ops/prune/engine.js';
import { presetPart, pruneSettings, type PruneSettings } from '../ops/prune/plan.js';
import { emittedErrors } from '../ops/schema.js';
import { runFunction } from '../trace/run.js';
import { openSession } from '../trace/session.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { readableInputs } from './inputs.js';
import { emitAndWrite, existingOutput } from './output.js';
import { checkPresets, resolvePrunePlan } from './prune-plan.js';
import { readProject } from './project.js';
import { eventSummary, evidencePath, readAgentOutput, writeEvidence, type TraceResult } from './trace-result.js';
import { functionSpec, withProjectTrace, type TargetOptions } from './trace-target.js';
import { writeLayout } from './write.js';

export interface TraceOptions extends GlobalOptions, TargetOptions, Partial<PruneSettings> {
  /** Drive the events only: no agent, nothing collected (`invoke`). */
  readonly invokeOnly?: boolean | undefined;
  readonly out?: string | undefined;
  readonly format?: Format | undefined;
  readonly allowErrors?: boolean | undefined;
  /** Replace an earlier output even when events failed and the trace collected fewer entries than it holds. */
  readonly force?: boolean | undefined;
  /** Merge the collected metadata into this existing config (its entries are never lost). */
  readonly mergeInto?: string | undefined;
  /** Prune, validate and write the META-INF layout per ni-config.jsonc instead of -o. */
  readonly write?: boolean | undefined;
}

export type { TraceResult } from './trace-result.js';

/**
 * Whether an earlier output at -o must stay as it is: a trace that collected nothing never
 * replaces anything, and one with failed events never replaces more entries with fewer, unless
 * --allow-errors or --force says so.
 */
async function keepEarlier(
  set: Parameters<typeof countEntries>[0],
  format: Format,
  options: TraceOptions,
  traced: Pick<TraceResult, 'counts' | 'events' | 'initError'>,
  deps: Pick<CommandDeps, 'cwd'>,
): Promise<{ files: string[]; why: string } | undefined> {
  const existing = await existingOutput(format, options.out!, deps);
  if (existing === undefined) return undefined;
  const entries = Object.values(countEntries(set)).reduce((a, b) => a + b, 0);
  const failed = traced.events.length - traced.counts.success + (traced.initError ? 1 : 0);
  const files = existing.files.join(', ');
  if (entries === 0)
    return {
      files: existing.files,
      why: `the trace collected nothing${failed > 0 ? ` (${failed} of ${traced.events.length} events failed)` : ''}, so ${files} was kept as it was (an empty collection never replaces an earlier output)`,
    };
  if (failed > 0 && entries < existing.entries && !options.allowErrors && !options.force)
    return {
      files: existing.files,
      why: `${failed} of ${traced.events.length} events failed and the trace collected ${entries} entries, fewer than the ${existing.entries} in ${files}, so it was kept as it was; give --force (or --allow-errors) to replace it`,
    };
  return undefined;
}

/** Runs the function, then (trace) collects, prunes, validates and writes. */
export async function runTrace(given: TraceOptions, deps: CommandDeps): Promise<TraceResult> {
  const { config } = await readProject(given, deps);
  const options = withProjectTrace(given, config.trace);
  const settings = pruneSettings(options, config.prune);
  checkPresets(settings);
  if (!options.invokeOnly && (options.out === undefined) === !options.write)
    throw new UsageError(
      'give -o OUT for the collected metadata, or --write to write the META-INF layout per ni-config.jsonc',
    );
  // the call trees are worth their cost where the plan prunes by evidence
  const part = presetPart(settings);
  const wantsEvidence = part.presets.includes('clojure') || settings.aggressive;
  const spec = await functionSpec({ ...options, wantsEvidence }, !options.invokeOnly, deps);
  const session = await openSession();
  try {
    const run = await runFunction(spec, session, {
      countWrites: deps.terminal,
      onEvent: (done, total, name, result, agentWrites) =>
        deps.notify({ kind: 'event', done, total, name, result, agentWrites }),
    });
    const base = eventSummary(run, Boolean(options.allowErrors));
    if (options.invokeOnly) return base;
    const output = await readAgentOutput(session.agentDir, run, options.agentPath);
    // the existing config is kept whole: the new trace adds to it, and its entries are pinned
    const keep = options.mergeInto
      ? { source: options.mergeInto, set: (await readableInputs([options.mergeInto], {}, deps)).set }
      : undefined;
    const { plan, notes } = await resolvePrunePlan(settings, config, deps, {
      ...(keep ? { keep } : {}),
      ...(output.evidence ? { evidence: output.evidence } : {}),
      ...(run.classpath ? { classpath: run.classpath } : {}),
    });
    const pruned = prune(output.set, plan);
    const staleLocks = run.staleLocks.map((l) => l.slice(session.agentDir.length + 1));
    const traced = {
      ...base,
      runs: output.runs,
      staleLocks,
      entries: countEntries(pruned.set),
      pruned: pruned.removed.length,
      warnings: [...notes, ...output.warnings, ...base.warnings],
      ...(output.evidence ? { evidence: await writeEvidence(output.evidence, evidencePath(options, deps.cwd)) } : {}),
    };
    if (options.write) {
      const problems = emittedErrors(pruned.set);
      if (problems.length > 0)
        throw new InputError('the traced metadata does not validate; nothing was written', problems);
      const layout = await writeLayout(pruned.set, { format: options.format }, config, deps);
      return { ...traced, format: layout.format, written: layout.written, layout };
    }
    const format = options.format ?? config.format ?? 'unified';
    const kept = await keepEarlier(pruned.set, format, options, traced, deps);
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
    const written = await emitAndWrite(pruned.set, format, options.out!, false, deps);
    return {
      ...traced,
      format,
      output: options.out!,
      written: written.written,
      unchanged: written.unchanged,
      warnings: [...written.warnings, ...traced.warnings],
    };
  } finally {
    await session.close();
  }
}
