/**
 * From prune settings (flags over the project file) to the parts of a {@link PrunePlan} that need
 * no files: preset names checked and expanded, their rules in order, `--aggressive`, and whether
 * the Lambda runtime client's own metadata is subtracted. The files the settings name (rule
 * files, keep, library configs, a trace) are read by commands/prune-plan.ts, which completes
 * the plan; `prune`, `trace` and anything else that prunes go through it.
 */
import type { PruneSection } from '../settings.js';
import { AGGRESSIVE_RULES, PRESETS, expandPresets, isPresetName, type Preset, type PresetName } from './presets.js';
import type { Rule } from './rules.js';

/** Prune settings, whole: what the flags say, else what the project file's `prune` section says. */
export interface PruneSettings {
  readonly presets: readonly string[];
  /** Rule files, applied after the presets. */
  readonly rules: readonly string[];
  /** A lookup evidence file (ni-config-evidence.json, traces.json, partial-config-with-origins.json). */
  readonly evidence: string | undefined;
  readonly keep: readonly string[];
  readonly libraryConfig: readonly string[];
  /** The function's class path: jars, directories, globs, @argfiles. */
  readonly classpath: readonly string[];
  /** Remove entries whose class is nowhere on the class path or in the JDK (N15). */
  readonly dropStale: boolean;
  readonly aggressive: boolean;
}

/** Flags override the project file field by field. */
export function pruneSettings(flags: Partial<PruneSettings>, project: PruneSection = {}): PruneSettings {
  return {
    presets: flags.presets ?? project.presets ?? [],
    rules: flags.rules ?? project.rules ?? [],
    evidence: flags.evidence ?? project.evidence ?? project.trace,
    keep: flags.keep ?? project.keep ?? [],
    libraryConfig: flags.libraryConfig ?? project.libraryConfig ?? [],
    classpath: flags.classpath ?? project.classpath ?? [],
    dropStale: flags.dropStale ?? project.dropStale ?? false,
    aggressive: flags.aggressive ?? project.aggressive ?? false,
  };
}

/** What the presets of some settings stand for; `unknown` lists names that are no preset. */
export interface PresetPart {
  readonly presets: readonly PresetName[];
  readonly rules: readonly Rule[];
  /** What the presets subtract from the class path's jars (N16): none, the runtime client's, or every jar's. */
  readonly subtract: 'none' | 'lambda-runtime' | 'classpath';
  readonly unknown: readonly string[];
}

/** The presets expanded, in order, with their rules and then `--aggressive`'s. */
export function presetPart(settings: Pick<PruneSettings, 'presets' | 'aggressive'>): PresetPart {
  const unknown = settings.presets.filter((p) => !isPresetName(p));
  const presets = expandPresets(settings.presets.filter(isPresetName));
  const rules: Rule[] = presets.flatMap((p): readonly Rule[] => PRESETS[p].rules);
  if (settings.aggressive) rules.push(...AGGRESSIVE_RULES);
  const wants = new Set(presets.map((p) => (PRESETS[p] as Preset).subtract));
  const subtract = wants.has('classpath') ? 'classpath' : wants.has('lambda-runtime') ? 'lambda-runtime' : 'none';
  return { presets, rules, subtract, unknown };
}
