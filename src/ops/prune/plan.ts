/**
 * From prune settings (flags over the project file) to the parts of a {@link PrunePlan} that need
 * no files: preset names checked and expanded, their rules in order, `--aggressive`, and whether
 * the Lambda runtime client's own metadata is subtracted. The files the settings name (rule
 * files, keep, library configs, a trace) are read by commands/prune-plan.ts, which completes
 * the plan; `prune`, `trace` and anything else that prunes go through it.
 */
import { loadSources } from '../load.js';
import type { PruneSection } from '../settings.js';
import { kindOfFileName } from '../../model/kinds.js';
import type { ConfigSet } from '../../model/model.js';
import { LAMBDA_RUNTIME_CONFIG } from './lambda-runtime-config.js';
import { AGGRESSIVE_RULES, PRESETS, expandPresets, isPresetName, type PresetName } from './presets.js';
import type { Rule } from './rules.js';

/** Prune settings, whole: what the flags say, else what the project file's `prune` section says. */
export interface PruneSettings {
  readonly presets: readonly string[];
  /** Rule files, applied after the presets. */
  readonly rules: readonly string[];
  /** The agent's trace-output file. */
  readonly trace: string | undefined;
  readonly keep: readonly string[];
  readonly libraryConfig: readonly string[];
  readonly aggressive: boolean;
}

/** Flags override the project file field by field. */
export function pruneSettings(flags: Partial<PruneSettings>, project: PruneSection = {}): PruneSettings {
  return {
    presets: flags.presets ?? project.presets ?? [],
    rules: flags.rules ?? project.rules ?? [],
    trace: flags.trace ?? project.trace,
    keep: flags.keep ?? project.keep ?? [],
    libraryConfig: flags.libraryConfig ?? project.libraryConfig ?? [],
    aggressive: flags.aggressive ?? project.aggressive ?? false,
  };
}

/** What the presets of some settings stand for; `unknown` lists names that are no preset. */
export interface PresetPart {
  readonly presets: readonly PresetName[];
  readonly rules: readonly Rule[];
  readonly subtractLambdaRuntime: boolean;
  readonly unknown: readonly string[];
}

/** The presets expanded, in order, with their rules and then `--aggressive`'s. */
export function presetPart(settings: Pick<PruneSettings, 'presets' | 'aggressive'>): PresetPart {
  const unknown = settings.presets.filter((p) => !isPresetName(p));
  const presets = expandPresets(settings.presets.filter(isPresetName));
  const rules: Rule[] = presets.flatMap((p) => PRESETS[p].rules);
  if (settings.aggressive) rules.push(...AGGRESSIVE_RULES);
  const subtractLambdaRuntime = presets.some((p) => 'subtractLambdaRuntime' in PRESETS[p]);
  return { presets, rules, subtractLambdaRuntime, unknown };
}

let lambdaRuntime: ConfigSet | undefined;

/** What the AWS Lambda Java runtime interface client ships in its own jar (all known versions, merged). */
export function lambdaRuntimeSet(): ConfigSet {
  lambdaRuntime ??= loadSources(
    Object.entries(LAMBDA_RUNTIME_CONFIG).map(([name, value]) => ({
      file: name,
      text: JSON.stringify(value),
      kind: kindOfFileName(name),
    })),
  ).set;
  return lambdaRuntime;
}

/** The source name `--explain` gives the runtime client's metadata. */
export const LAMBDA_RUNTIME_SOURCE = 'the Lambda runtime interface client';
