/**
 * The one place prune settings become a {@link PrunePlan}: presets checked and expanded, rule
 * files, the trace, pinned metadata and library configs read. `prune` and `trace` both call it,
 * so the same settings prune the same way whichever command runs them.
 */
import fg from 'fast-glob';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, JarError, UsageError } from '../errors.js';
import { collectSources, describeIoError } from '../io/inputs.js';
import { readJarMetadata } from '../io/jar.js';
import { finding, isBlocking } from '../model/findings.js';
import { parseJsonText } from '../model/json-text.js';
import { didYouMean } from '../model/suggest.js';
import type { ConfigSet } from '../model/model.js';
import { loadSources, sourceTexts, type SourceText } from '../ops/load.js';
import { mergeSets } from '../ops/merge.js';
import { EVIDENCE_FILE, mergeEvidence, readAnyEvidence, type Attribution } from '../ops/evidence/file.js';
import { PARTIAL_CONFIG_WITH_ORIGINS as CALL_TREE_FILE } from '../ops/evidence/origins.js';
import type { LookupEvidence } from '../ops/evidence/types.js';
import { classpathIndex, type ClasspathElement, type ClasspathIndex } from '../ops/prune/classpath.js';
import type { LibraryConfig, PrunePlan } from '../ops/prune/engine.js';
import { presetPart, type PruneSettings } from '../ops/prune/plan.js';
import { PRESET_NAMES } from '../ops/prune/presets.js';
import { parseRuleFile } from '../ops/prune/rule-file.js';
import type { Rule } from '../ops/prune/rules.js';
import type { ProjectConfig } from '../ops/settings.js';
import { expandClasspath, jdkClasses, jdkLister, readClasspath, type JarMetadata } from '../io/classpath.js';
import { shownPath } from '../model/paths.js';
import type { CommandDeps } from './deps.js';
import { readableInputs } from './inputs.js';

/** Checks the preset names before anything is read: an unknown one is a usage error. */
export function checkPresets(settings: Pick<PruneSettings, 'presets'>): void {
  const unknown = presetPart({ presets: settings.presets, aggressive: false }).unknown;
  if (unknown.length > 0)
    throw new UsageError(
      `unknown preset ${unknown.map((u) => `'${u}'${didYouMean(u, PRESET_NAMES).replace(/^; (.*)\?$/, ' ($1?)')}`).join(', ')}; the presets are ${PRESET_NAMES.join(', ')}`,
    );
}

export interface PlanExtras {
  /** More pinned metadata (trace --merge-into: the existing config is never lost). */
  readonly keep?: LibraryConfig;
  /** Evidence the trace itself collected (agent call trees), used when the settings name no file. */
  readonly evidence?: LookupEvidence;
  /** A class path the trace found (the JVM's own), used when the settings name none. */
  /**
   * The traced JVM's class path: `java` its program on this machine (a local run), or `modules`
   * its JDK's modules file copied out of a container (`null`: it could not be), whose JDK is
   * never this machine's.
   */
  readonly classpath?: { readonly paths: readonly string[]; readonly java?: string; readonly modules?: string | null };
}

/** A plan, and what resolving it had to say (a preset that needs a class path it did not get, elements it could not read). */
export interface ResolvedPlan {
  readonly plan: PrunePlan;
  readonly notes: readonly string[];
}

/** Reads everything the settings name and returns the plan. */
export async function resolvePrunePlan(
  settings: PruneSettings,
  project: ProjectConfig,
  deps: Pick<CommandDeps, 'cwd' | 'readStdin' | 'notify'>,
  extras: PlanExtras = {},
): Promise<ResolvedPlan> {
  checkPresets(settings);
  const notes: string[] = [];
  const part = presetPart(settings);
  const rules: Rule[] = [...part.rules];
  for (const file of settings.rules) rules.push(...(await ruleFile(file, deps.cwd)));
  const evidence = settings.evidence === undefined ? extras.evidence : await readEvidence(settings.evidence, deps.cwd);
  const keeps: LibraryConfig[] = [];
  if (settings.keep.length > 0)
    keeps.push({ source: settings.keep.join(', '), set: (await readableInputs(settings.keep, project, deps)).set });
  if (extras.keep) keeps.push(extras.keep);
  const subtract: LibraryConfig[] = [];
  for (const lib of settings.libraryConfig) subtract.push({ source: lib, set: await libraryConfig(lib, deps.cwd) });
  const cp = await classpath(settings, extras, deps.cwd, notes);
  if (cp !== undefined) {
    const client = new Set(cp.elements.filter(isRuntimeClient).map((e) => e.source));
    const shipped = part.subtract === 'classpath' ? cp.metadata : cp.metadata.filter((m) => client.has(m.jar));
    if (part.subtract !== 'none')
      for (const jar of shipped) subtract.push({ source: jar.jar, set: loadSources(jar.sources).set });
  } else if (part.subtract !== 'none') {
    notes.push(
      `${part.subtract === 'classpath' ? 'libraries' : 'lambda-runtime'} removed nothing: it subtracts what the jars on the function's class path ship, and no class path was given (--classpath; trace finds the JVM's own)`,
    );
  }
  return {
    plan: {
      presets: part.presets,
      rules,
      subtract,
      ...(keeps.length > 0 ? { keep: mergeKeeps(keeps) } : {}),
      ...(evidence ? { evidence } : {}),
      ...(cp ? { classpath: cp.index, dropStale: settings.dropStale } : {}),
    },
    notes,
  };
}

/** The AWS Lambda Java runtime interface client: the jar with its classes, whatever its version or layout. */
const isRuntimeClient = (e: ClasspathElement): boolean =>
  e.entries.some((n) => n.startsWith('com/amazonaws/services/lambda/runtime/api/client/'));

/** The class path of the settings (else the one the trace found), read and indexed, with the JDK's classes. */
async function classpath(
  settings: PruneSettings,
  extras: PlanExtras,
  cwd: string,
  notes: string[],
): Promise<{ index: ClasspathIndex; metadata: JarMetadata[]; elements: ClasspathElement[] } | undefined> {
  let paths: readonly string[];
  if (settings.classpath.length > 0) {
    const expanded = expandClasspath(settings.classpath, cwd);
    if (expanded.findings.length > 0) throw new InputError('the class path cannot be read', expanded.findings);
    paths = expanded.paths;
  } else if (extras.classpath) paths = extras.classpath.paths;
  else return undefined;
  const read = await readClasspath(paths, (abs) => shownPath(abs, cwd));
  for (const f of read.findings) notes.push(`${f.file}: ${f.message}; skipped, as the JVM skips it`);
  const jdk = await jdkOf(extras.classpath, notes);
  return { index: classpathIndex(read.elements, jdk), metadata: read.metadata, elements: read.elements };
}

/**
 * The JDK's classes, for stale entries: of the JDK the traced JVM ran on (in a container, its
 * modules file copied out, read with this machine's jimage), else of this machine's `java`.
 */
async function jdkOf(traced: PlanExtras['classpath'], notes: string[]): Promise<readonly string[] | undefined> {
  const unlisted = (why: string): undefined => {
    notes.push(`the JDK's classes could not be listed (${why}): stale entries (N15) are not told`);
    return undefined;
  };
  if (traced?.modules === null) return unlisted("the container's JDK has no lib/modules that could be copied out");
  const { home, modules } = jdkLister(traced);
  if (home === undefined) return unlisted('no java on this machine, whose jimage would list them');
  const jdk = await jdkClasses(home, modules);
  if (jdk !== undefined) return jdk;
  return unlisted(
    traced?.modules !== undefined
      ? `the jimage of ${home} cannot read the container's JDK's modules file`
      : `${home} has no bin/jimage and lib/modules: a JRE`,
  );
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

async function readEvidence(file: string, cwd: string): Promise<LookupEvidence> {
  return (await readEvidenceWithAttributions(file, cwd)).evidence;
}

/** An evidence file read whole: its lookups and, from trace --attribute, the event that first needed each entry. */
export async function readEvidenceWithAttributions(
  file: string,
  cwd: string,
): Promise<{ evidence: LookupEvidence; attributions: ReadonlyMap<string, Attribution> }> {
  const text = await readFile(resolve(cwd, file), 'utf8').catch((e: unknown) => {
    throw new InputError('cannot read the evidence', [
      finding('unreadable', file, '', describeIoError(e, 'cannot read it')),
    ]);
  });
  const parsed = parseJsonText(text, file);
  if (!parsed.ok) throw new InputError('the evidence is not valid JSON', [parsed.finding], new Map([[file, text]]));
  const { evidence, attributions, findings } = readAnyEvidence(parsed.value, file);
  if (findings.length > 0) throw new InputError('the evidence file is not valid', findings, new Map([[file, text]]));
  return { evidence, attributions };
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
    throw new InputError('the library config could not be read', blocking, sourceTexts(sources, blocking));
  return loaded.set;
}

/**
 * The evidence beside an input: the ni-config-evidence.json a trace wrote in its directory, else
 * the partial-config-with-origins.json files the agent wrote there (run directories one level
 * down included, as an agent's config-output-dir with {pid} leaves them), merged.
 */
export async function evidenceBeside(
  inputs: readonly string[],
  cwd: string,
): Promise<{ file: string; evidence: LookupEvidence; attributions: ReadonlyMap<string, Attribution> } | undefined> {
  for (const input of inputs) {
    if (input === '-') continue;
    const abs = resolve(cwd, input);
    const dir = (await stat(abs).catch(() => undefined))?.isDirectory() ? abs : dirname(abs);
    const shown = (f: string): string => shownPath(f, cwd);
    const own = join(dir, EVIDENCE_FILE);
    if (await isFile(own)) return { file: shown(own), ...(await readEvidenceWithAttributions(own, cwd)) };
    const trees = (
      await fg([CALL_TREE_FILE, `*/${CALL_TREE_FILE}`], { cwd: dir, absolute: true, onlyFiles: true })
    ).sort();
    if (trees.length === 0) continue;
    const all = await Promise.all(trees.map((f) => readEvidence(f, cwd)));
    const evidence = mergeEvidence(all);
    if (evidence !== undefined) return { file: trees.map(shown).join(', '), evidence, attributions: new Map() };
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}
