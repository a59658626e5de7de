/** `ni-config prune IN... --preset clojure -o OUT`: remove noise by a prune plan, and say which rule removed what. */
import { UsageError } from '../errors.js';
import type { EmitNote } from '../model/emit/index.js';
import type { Format } from '../model/kinds.js';
import { placeFindings, type FindingJson } from '../model/placed.js';
import { countEntries, type Section } from '../model/sections.js';
import { prune, type KeepOverride, type Removal } from '../ops/prune/engine.js';
import { pruneSettings, type PruneSettings } from '../ops/prune/plan.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { inputPaths, readableInputs } from './inputs.js';
import { NOTHING_WRITTEN, chooseFormat, emitAndWrite } from './output.js';
import { checkPresets, evidenceBeside, resolvePrunePlan } from './prune-plan.js';
import { readProject } from './project.js';

export interface PruneOptions extends GlobalOptions, Partial<PruneSettings> {
  readonly paths: readonly string[];
  readonly out?: string | undefined;
  readonly format?: Format | undefined;
  readonly dryRun?: boolean | undefined;
}

/** The result of prune: its `--json` output. */
export interface PruneResultJson {
  readonly ok: boolean;
  readonly format: Format;
  readonly dryRun: boolean;
  /** Where the output went, as given; undefined with --dry-run and no -o. */
  readonly output: string | undefined;
  readonly presets: readonly string[];
  /** The evidence file the plan used (named, or found beside the input), if any. */
  readonly evidence: string | undefined;
  readonly before: Record<Section, number>;
  readonly after: Record<Section, number>;
  readonly removed: readonly Removal[];
  /** Removals per rule id. */
  readonly counts: Record<string, number>;
  readonly kept: readonly KeepOverride[];
  readonly rewritten: readonly string[];
  /** Entries naming a class neither the class path nor the JDK has (N15); removed only with --drop-stale. */
  readonly stale: readonly { readonly section: Section; readonly entry: string }[];
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly notes: readonly EmitNote[];
  readonly warnings: readonly string[];
  readonly findings: readonly FindingJson[];
}

/** Reads the inputs, resolves the prune plan, prunes and writes (or only says what would go). */
export async function runPrune(options: PruneOptions, deps: CommandDeps): Promise<PruneResultJson> {
  const { config } = await readProject(options, deps);
  const settings = pruneSettings(options, config.prune);
  checkPresets(settings);
  if (options.out === undefined && !options.dryRun)
    throw new UsageError('give -o OUT for the pruned metadata, or --dry-run to only see what would go');
  // a trace's evidence file beside the input is used unless other evidence is named
  const beside =
    settings.evidence === undefined ? await evidenceBeside(inputPaths(options.paths, config), deps.cwd) : undefined;
  const { plan, notes } = await resolvePrunePlan(settings, config, deps, beside ? { evidence: beside.evidence } : {});
  const inputs = await readableInputs(options.paths, config, deps);
  const result = prune(inputs.set, plan);
  const format = chooseFormat(options.format, config, inputs.files);
  const dryRun = Boolean(options.dryRun);
  const written =
    options.out === undefined ? NOTHING_WRITTEN : await emitAndWrite(result.set, format, options.out, dryRun, deps);
  const warnings = [
    ...(beside
      ? [`the evidence in ${beside.file} decides where it has some (a trace wrote it beside its output)`]
      : []),
    ...notes,
    ...written.warnings,
    ...result.kept.map((k) => `${k.entry}: kept by ${k.keep}, although rule ${k.rule} removes it`),
  ];
  return {
    ok: true,
    format,
    dryRun,
    output: options.out,
    presets: plan.presets ?? [],
    evidence: settings.evidence ?? beside?.file,
    before: countEntries(inputs.set),
    after: countEntries(result.set),
    removed: result.removed,
    counts: Object.fromEntries([...result.counts].sort(([a], [b]) => (a < b ? -1 : 1))),
    kept: result.kept,
    rewritten: result.rewritten,
    stale: result.stale,
    written: written.written,
    unchanged: written.unchanged,
    notes: written.notes,
    warnings,
    findings: placeFindings([...inputs.ioFindings, ...inputs.findings], inputs.texts),
  };
}
