/** `ni-config prune IN... --preset clojure -o OUT`: remove noise by rules, say which rule removed what. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { collectSources, describeIoError } from '../../io/inputs.js';
import { JarError, readJarMetadata } from '../../io/jar.js';
import { finding, isBlocking, type Finding } from '../../model/findings.js';
import { parseJsonText } from '../../model/json-text.js';
import { kindOfFileName, type Format } from '../../model/kinds.js';
import { countEntries, type ConfigSet } from '../../model/model.js';
import { loadSources, type SourceText } from '../../ops/load.js';
import {
  AGGRESSIVE_RULES,
  PRESETS,
  PRESET_NAMES,
  expandPresets,
  isPresetName,
  type PresetName,
} from '../../ops/presets.js';
import { LAMBDA_RUNTIME_CONFIG } from '../../ops/presets/lambda-runtime-config.js';
import { prune, type KeepOverride, type Removal, type TraceEvidence } from '../../ops/prune.js';
import { parseRuleFile } from '../../ops/rule-file.js';
import type { Rule } from '../../ops/rules.js';
import { traceEvidence } from '../../ops/trace-evidence.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { printable, writeOut, type FindingJson } from '../render.js';
import { summaryLine } from './combine.js';
import { allFindingJson, chooseFormat, emitAndWrite, readableInputs, reportLines } from './output.js';
import type { EmitNote } from '../../model/emit/index.js';

export interface PruneOptions extends GlobalOptions {
  readonly paths: readonly string[];
  readonly out?: string;
  readonly format?: Format;
  readonly presets?: readonly string[];
  readonly rules?: readonly string[];
  readonly trace?: string;
  readonly keep?: readonly string[];
  readonly libraryConfig?: readonly string[];
  readonly aggressive?: boolean;
  readonly explain?: boolean;
  readonly dryRun?: boolean;
}

/** The `--json` output of prune. */
export interface PruneJson {
  readonly ok: boolean;
  readonly format: Format;
  readonly dryRun: boolean;
  readonly presets: readonly string[];
  readonly before: Record<string, number>;
  readonly after: Record<string, number>;
  readonly removed: readonly Removal[];
  readonly counts: Record<string, number>;
  readonly kept: readonly KeepOverride[];
  readonly rewritten: readonly string[];
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly notes: readonly EmitNote[];
  readonly warnings: readonly string[];
  readonly findings: readonly FindingJson[];
}

export async function runPrune(options: PruneOptions, ctx: CommandContext): Promise<number> {
  const { config } = await projectConfig(options, ctx);
  const settings = config.prune ?? {};
  const presetNames = options.presets ?? settings.presets ?? [];
  const unknown = presetNames.filter((p) => !isPresetName(p));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown preset ${unknown.map((u) => `'${u}'`).join(', ')}; the presets are ${PRESET_NAMES.join(', ')}`,
    );
  if (options.out === undefined && !options.dryRun)
    throw new UsageError('give -o OUT for the pruned metadata, or --dry-run to only see what would go');

  const presets = expandPresets(presetNames as PresetName[]);
  const rules: Rule[] = presets.flatMap((p) => PRESETS[p].rules);
  if (options.aggressive ?? settings.aggressive) rules.push(...AGGRESSIVE_RULES);
  for (const file of options.rules ?? settings.rules ?? []) rules.push(...(await ruleFile(file, ctx)));

  const inputs = await readableInputs(options.paths, config, ctx);
  const tracePath = options.trace ?? settings.trace;
  const trace = tracePath === undefined ? undefined : await readTrace(tracePath, ctx);
  const keepPaths = options.keep ?? settings.keep ?? [];
  const keep =
    keepPaths.length > 0
      ? { source: keepPaths.join(', '), set: (await readableInputs(keepPaths, config, ctx)).set }
      : undefined;
  const subtract: { source: string; set: ConfigSet }[] = [];
  if (presets.some((p) => 'subtractLambdaRuntime' in PRESETS[p]))
    subtract.push({ source: 'the Lambda runtime interface client', set: lambdaRuntimeSet() });
  for (const lib of options.libraryConfig ?? settings.libraryConfig ?? [])
    subtract.push({ source: lib, set: await libraryConfig(lib, ctx) });

  const result = prune(inputs.set, { rules, subtract, ...(keep ? { keep } : {}), ...(trace ? { trace } : {}) });
  const format = chooseFormat(options.format, config, inputs);
  const written =
    options.out === undefined
      ? { written: [], unchanged: [], notes: [], warnings: [] as string[] }
      : await emitAndWrite(result.set, format, options.out, Boolean(options.dryRun), ctx);
  for (const k of result.kept)
    written.warnings.push(`${k.entry}: kept by ${k.keep}, although rule ${k.rule} removes it`);
  const counts = Object.fromEntries([...result.counts].sort(([a], [b]) => (a < b ? -1 : 1)));

  if (options.json) {
    const out: PruneJson = {
      ok: true,
      format,
      dryRun: Boolean(options.dryRun),
      presets,
      before: countEntries(inputs.set),
      after: countEntries(result.set),
      removed: result.removed,
      counts,
      kept: result.kept,
      rewritten: result.rewritten,
      written: written.written,
      unchanged: written.unchanged,
      notes: written.notes,
      warnings: written.warnings,
      findings: allFindingJson(inputs),
    };
    await writeOut(options.out === '-' ? ctx.stderr : ctx.stdout, JSON.stringify(out, null, 2) + '\n');
    return EXIT.ok;
  }
  if (options.explain) {
    const lines = result.removed.map(
      (r) =>
        `${r.whole ? 'removed' : 'trimmed'} ${r.section} ${printable(r.entry)}  [${r.rule}] ${printable(r.reason)}`,
    );
    for (const r of result.rewritten)
      lines.push(
        `rewrote ${printable(r)}  [rewrite/K2] the agent records Method.canAccess; AccessibleObject declares it`,
      );
    if (lines.length > 0) await writeOut(options.out === '-' ? ctx.stderr : ctx.stdout, lines.join('\n') + '\n');
  }
  const lines = reportLines(inputs, written, ctx);
  for (const [rule, n] of Object.entries(counts)) lines.push(`${String(n).padStart(6)}  ${rule}`);
  const total = result.removed.filter((r) => r.whole).length;
  lines.push(
    `pruned ${total} entr${total === 1 ? 'y' : 'ies'} by ${Object.keys(counts).length} rule(s)${presets.length > 0 ? ` (presets: ${presets.join(', ')})` : ''}`,
  );
  if (options.out !== undefined && options.out !== '-')
    lines.push(summaryLine(format, countEntries(result.set), written, Boolean(options.dryRun)));
  await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.ok;
}

async function ruleFile(file: string, ctx: CommandContext): Promise<Rule[]> {
  const text = await readFile(resolve(ctx.cwd, file), 'utf8').catch((e: unknown) => {
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

async function readTrace(file: string, ctx: CommandContext): Promise<TraceEvidence> {
  const text = await readFile(resolve(ctx.cwd, file), 'utf8').catch((e: unknown) => {
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

function lambdaRuntimeSet(): ConfigSet {
  const sources = Object.entries(LAMBDA_RUNTIME_CONFIG).map(([name, value]) => ({
    file: name,
    text: JSON.stringify(value),
    kind: kindOfFileName(name),
  }));
  return loadSources(sources).set;
}

/** A library's shipped metadata: a jar's META-INF/native-image, or a directory or file. */
async function libraryConfig(path: string, ctx: CommandContext): Promise<ConfigSet> {
  const absolute = resolve(ctx.cwd, path);
  let sources: SourceText[];
  const findings: Finding[] = [];
  if (path.endsWith('.jar')) {
    try {
      sources = (await readJarMetadata(absolute)).map((e) => ({
        file: `${path}!/${e.name}`,
        text: e.text,
        kind: e.kind,
      }));
    } catch (e) {
      const message =
        e instanceof JarError ? e.message.replace(`${absolute}: `, '') : describeIoError(e, 'cannot read the jar');
      throw new InputError('cannot read the library config', [finding('unreadable', path, '', message)]);
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
