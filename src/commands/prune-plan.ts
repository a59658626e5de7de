/**
 * The one place prune settings become a {@link PrunePlan}: presets checked and expanded, rule
 * files, the trace, pinned metadata and library configs read. `prune` and `trace` both call it,
 * so the same settings prune the same way whichever command runs them.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, JarError, UsageError } from '../errors.js';
import { collectSources, describeIoError } from '../io/inputs.js';
import { readJarMetadata } from '../io/jar.js';
import { finding, isBlocking } from '../model/findings.js';
import { parseJsonText } from '../model/json-text.js';
import type { ConfigSet } from '../model/model.js';
import { loadSources, type SourceText } from '../ops/load.js';
import { mergeSets } from '../ops/merge.js';
import type { LibraryConfig, PrunePlan, TraceEvidence } from '../ops/prune/engine.js';
import { LAMBDA_RUNTIME_SOURCE, lambdaRuntimeSet, presetPart, type PruneSettings } from '../ops/prune/plan.js';
import { PRESET_NAMES } from '../ops/prune/presets.js';
import { parseRuleFile } from '../ops/prune/rule-file.js';
import type { Rule } from '../ops/prune/rules.js';
import type { ProjectConfig } from '../ops/settings.js';
import { traceEvidence } from '../ops/trace-evidence.js';
import type { CommandDeps } from './deps.js';
import { readableInputs } from './inputs.js';

/** Checks the preset names before anything is read: an unknown one is a usage error. */
export function checkPresets(settings: Pick<PruneSettings, 'presets'>): void {
  const unknown = presetPart({ presets: settings.presets, aggressive: false }).unknown;
  if (unknown.length > 0)
    throw new UsageError(
      `unknown preset ${unknown.map((u) => `'${u}'`).join(', ')}; the presets are ${PRESET_NAMES.join(', ')}`,
    );
}

export interface PlanExtras {
  /** More pinned metadata (trace --merge-into: the existing config is never lost). */
  readonly keep?: LibraryConfig;
}

/** Reads everything the settings name and returns the plan. */
export async function resolvePrunePlan(
  settings: PruneSettings,
  project: ProjectConfig,
  deps: Pick<CommandDeps, 'cwd' | 'readStdin' | 'notify'>,
  extras: PlanExtras = {},
): Promise<PrunePlan> {
  checkPresets(settings);
  const part = presetPart(settings);
  const rules: Rule[] = [...part.rules];
  for (const file of settings.rules) rules.push(...(await ruleFile(file, deps.cwd)));
  const trace = settings.trace === undefined ? undefined : await readTrace(settings.trace, deps.cwd);
  const keeps: LibraryConfig[] = [];
  if (settings.keep.length > 0)
    keeps.push({ source: settings.keep.join(', '), set: (await readableInputs(settings.keep, project, deps)).set });
  if (extras.keep) keeps.push(extras.keep);
  const subtract: LibraryConfig[] = [];
  if (part.subtractLambdaRuntime) subtract.push({ source: LAMBDA_RUNTIME_SOURCE, set: lambdaRuntimeSet() });
  for (const lib of settings.libraryConfig) subtract.push({ source: lib, set: await libraryConfig(lib, deps.cwd) });
  return {
    presets: part.presets,
    rules,
    subtract,
    ...(keeps.length > 0 ? { keep: mergeKeeps(keeps) } : {}),
    ...(trace ? { trace } : {}),
  };
}

function mergeKeeps(keeps: readonly LibraryConfig[]): LibraryConfig {
  if (keeps.length === 1) return keeps[0]!;
  return { source: keeps.map((k) => k.source).join(', '), set: mergeSets(keeps.map((k) => k.set)) };
}

async function ruleFile(file: string, cwd: string): Promise<Rule[]> {
  const text = await readFile(resolve(cwd, file), 'utf8').catch((e: unknown) => {
    throw new InputError(`cannot read the rule file`, [
      finding('unreadable', file, '', describeIoError(e, 'cannot read it')),
    ]);
  });
  const parsed = parseJsonText(text, file, true);
  const texts = new Map([[file, text]]);
  if (!parsed.ok) throw new InputError('the rule file is not valid', [parsed.finding], texts);
  const { rules, findings } = parseRuleFile(parsed.value, file);
  if (findings.length > 0) throw new InputError('the rule file is not valid', findings, texts);
  return rules;
}

async function readTrace(file: string, cwd: string): Promise<TraceEvidence> {
  const text = await readFile(resolve(cwd, file), 'utf8').catch((e: unknown) => {
    throw new InputError('cannot read the trace', [
      finding('unreadable', file, '', describeIoError(e, 'cannot read it')),
    ]);
  });
  const parsed = parseJsonText(text, file);
  if (!parsed.ok) throw new InputError('the trace is not valid JSON', [parsed.finding], new Map([[file, text]]));
  const { evidence, findings } = traceEvidence(parsed.value, file);
  if (findings.length > 0)
    throw new InputError("the trace is not the agent's trace-output format", findings, new Map([[file, text]]));
  return evidence;
}

/** A library's shipped metadata: a jar's META-INF/native-image, or a directory or file. */
async function libraryConfig(path: string, cwd: string): Promise<ConfigSet> {
  const absolute = resolve(cwd, path);
  let sources: SourceText[];
  const findings = [];
  if (path.endsWith('.jar')) {
    try {
      sources = (await readJarMetadata(absolute)).map((e) => ({
        file: `${path}!/${e.name}`,
        text: e.text,
        kind: e.kind,
      }));
    } catch (e) {
      if (!(e instanceof JarError)) throw e;
      throw new InputError('cannot read the library config', [
        finding('unreadable', path, '', e.message.replace(`${absolute}: `, '')),
      ]);
    }
  } else {
    const collected = await collectSources([absolute]);
    sources = collected.sources.map((s) => ({ ...s, file: path + s.file.slice(absolute.length) }));
    findings.push(...collected.findings.map((f) => ({ ...f, file: path + f.file.slice(absolute.length) })));
  }
  const loaded = loadSources(sources);
  const blocking = [...findings, ...loaded.findings].filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError(
      'the library config could not be read',
      blocking,
      new Map(sources.map((s) => [s.file, s.text])),
    );
  return loaded.set;
}
