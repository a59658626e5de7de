/**
 * `ni-config trace` and `ni-config invoke`: run the function (a local process or a container),
 * drive the events, and (trace) collect what the native-image agent recorded, prune it with
 * the prune plan `prune` uses, and write it.
 */
import { UsageError } from '../errors.js';
import type { Format } from '../model/kinds.js';
import { countEntries } from '../model/sections.js';
import { staleWarning } from '../ops/prune/classpath.js';
import { prune } from '../ops/prune/engine.js';
import { presetPart, pruneSettings, type PruneSettings } from '../ops/prune/plan.js';
import { openSession } from '../trace/session.js';
import type { RunHooks } from '../trace/run.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { readableInputs } from './inputs.js';
import { checkPresets, resolvePrunePlan } from './prune-plan.js';
import { readProject } from './project.js';
import { eventSummary, readAgentOutput, type TraceResult } from './trace-result.js';
import { writeTraceOutput } from './trace-output.js';
import { traceRuns } from './trace-runs.js';
import { functionSpec, withProjectTrace, type TargetOptions } from './trace-target.js';

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
  /** Record which event first needed each entry (the agent writing every second, a look after each event). */
  readonly attribute?: boolean | undefined;
}

export type { TraceResult } from './trace-result.js';

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
    const hooks = {
      countWrites: deps.terminal,
      onEvent: (...[done, total, name, result, agentWrites]: Parameters<NonNullable<RunHooks['onEvent']>>) =>
        deps.notify({ kind: 'event', done, total, name, result, agentWrites }),
    };
    const say = (message: string): void => deps.notify({ kind: 'warning', message });
    const runs = await traceRuns(spec, session, Boolean(options.attribute) && !options.invokeOnly, hooks, say);
    const run = runs.run;
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
      ...(pruned.stale.length > 0 ? { stale: pruned.stale } : {}),
      warnings: [
        ...notes,
        ...staleWarning(pruned.stale, settings.dropStale),
        ...output.warnings,
        ...base.warnings,
        ...runs.warnings,
      ],
    };
    const found = { evidence: output.evidence, attributions: runs.attributions };
    return await writeTraceOutput(pruned.set, traced, found, options, config, deps);
  } finally {
    await session.close();
  }
}
