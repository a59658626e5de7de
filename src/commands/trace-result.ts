/** What trace and invoke report, and the reading of what the agent wrote. */
import { InputError } from '../errors.js';
import { isBlocking, type Finding } from '../model/findings.js';
import type { Format } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import type { Section } from '../model/sections.js';
import { loadSources, sourceTexts } from '../ops/load.js';
import { parseJsonText } from '../model/json-text.js';
import { EVIDENCE_FILE, evidenceFileJson, mergeEvidence, type Attribution } from '../ops/evidence/file.js';
import { fragmentSources } from '../ops/evidence/fragments.js';
import { partialConfigEvidence } from '../ops/evidence/origins.js';
import { EvidenceBuilder, evidenceKeysOf, type LookupEvidence } from '../ops/evidence/types.js';
import { CALL_TREE_FILE, collectAgentOutput } from '../trace/agent.js';
import { writeFilesAtomically } from '../io/write.js';
import { toJsonText } from '../model/emit/index.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { RunResult } from '../trace/drive.js';
import type { InvocationStatus } from '../trace/runtime-api.js';
import type { WriteResult } from './write.js';
import type { CommandDeps } from './deps.js';
import { existingOutput } from './output.js';
import { countEntries } from '../model/sections.js';

/** One event as the report gives it. */
export interface EventReport {
  readonly event: string;
  readonly status: InvocationStatus;
  readonly durationMs: number;
  readonly errorType?: string;
  /** For a crash or a timeout (and an answer the emulator turned into an error): what happened. */
  readonly reason?: string;
  /** For a crash: the function's own last lines of output (stderr and stdout as they came). */
  readonly output?: readonly string[];
  /**
   * The function's answer, whole, when it answered: its response, its error body (a function
   * error), or what it posted before exiting (under the emulator, a crash that carries it).
   */
  readonly answer?: string;
}

/** The result of trace and invoke: their `--json` output. */
export interface TraceResult {
  readonly ok: boolean;
  readonly events: readonly EventReport[];
  readonly counts: Record<InvocationStatus, number>;
  /** The runtime's init error, and the function's last lines of output before it. */
  readonly initError?: { readonly errorType: string; readonly body: string; readonly output?: readonly string[] };
  /** The processes asked to end at the end (SIGTERM): exactly those that held an agent lock. */
  readonly stopped?: readonly { readonly pid: number; readonly command: string }[];
  readonly flushMs: number;
  /** Run directories whose agent did not finish its last write. */
  readonly staleLocks: readonly string[];
  /** Cleanup that failed or a fallback taken, each a sentence. */
  readonly warnings: readonly string[];
  readonly runs: number;
  readonly entries?: Record<Section, number>;
  /** Entries the prune plan removed. */
  readonly pruned?: number;
  readonly format?: Format;
  readonly output?: string;
  readonly written: readonly string[];
  /** Files that already held exactly this output. */
  readonly unchanged?: readonly string[];
  /**
   * Files of an earlier output left as they were instead of being replaced: the trace collected
   * nothing, or had failed events and fewer entries than they hold (without --allow-errors or --force).
   */
  readonly kept?: readonly string[];
  /** With --write: what the layout write did. */
  readonly layout?: WriteResult;
  /** The evidence file written beside the output (call trees, and with --attribute the events). */
  readonly evidence?: string;
  /** Entries naming a class neither the traced JVM's class path nor its JDK has (N15); removed with --drop-stale. */
  readonly stale?: readonly { readonly section: Section; readonly entry: string }[];
  /** trace --attribute: how many entries of the output have the event that first needed them. */
  readonly attributed?: number;
}

/** What any run reports: the events and how they went. */
export function eventSummary(run: RunResult, allowErrors: boolean): TraceResult {
  const counts: Record<InvocationStatus, number> = { success: 0, 'function-error': 0, timeout: 0, crash: 0 };
  for (const r of run.results) counts[r.result.status]++;
  const failed = run.results.length - counts.success;
  return {
    ok: run.initError === undefined && (failed === 0 || allowErrors),
    events: run.results.map((r) => ({
      event: r.event,
      status: r.result.status,
      durationMs: r.result.durationMs,
      ...(r.result.errorType ? { errorType: r.result.errorType } : {}),
      ...(r.result.status !== 'success' && r.result.reason ? { reason: r.result.reason } : {}),
      ...(r.result.output && r.result.output.length > 0 ? { output: r.result.output } : {}),
      ...(r.result.answer !== undefined ? { answer: r.result.answer } : {}),
    })),
    counts,
    ...(run.initError ? { initError: run.initError } : {}),
    ...(run.stopped && run.stopped.length > 0 ? { stopped: run.stopped } : {}),
    flushMs: run.flushMs,
    staleLocks: [],
    warnings: run.warnings,
    runs: 0,
    written: [],
  };
}

/** What the JVM says when it cannot load an agent library (printed on stdout, before anything else). */
const AGENT_REFUSED =
  /Could not find agent library|Could not load agent|native-image-agent: Error|agent library failed|Error occurred during initialization of VM/i;

/**
 * Why the agent wrote nothing, in the function's own words: a function that could not start is
 * named as such, a failed VM start or agent load as that, and a JVM that crashed on every event
 * with what it said last; the agent library is suspected only when the JVM's output points at it.
 */
function nothingWritten(run: RunResult, agentPath: string | undefined): InputError {
  const lines = run.stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // the lines that explain, not the `Picked up JAVA_TOOL_OPTIONS` each JVM start prints first,
  // and each once (every JVM started for an event says the same)
  const telling = lines.filter((l) => !/^Picked up (JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS):/.test(l));
  const distinct = [...new Set((telling.length > 0 ? telling : lines).reverse())].reverse();
  const said = distinct.slice(-4).join(' | ') || '(nothing)';
  if (run.startFailure !== undefined)
    return new InputError(`the function could not start, so the agent wrote nothing: ${run.startFailure}`);
  if (run.warnings.length > 0) return new InputError(`the agent wrote no configuration: ${run.warnings.join('; ')}`);
  if (AGENT_REFUSED.test(run.stderrTail))
    return new InputError(
      `the agent wrote no configuration: the JVM did not start with ${agentPath ?? 'native-image-agent (-agentlib: a GraalVM JDK has it; else give --agent-path)'}. It said: ${said}`,
    );
  const answered = run.results.some((r) => r.result.status === 'success' || r.result.status === 'function-error');
  return new InputError(
    answered
      ? `the agent wrote no configuration although the function answered. Is ${agentPath ?? 'native-image-agent (-agentlib)'} loadable by this JVM? The process said: ${said}`
      : `the agent wrote no configuration: the function never answered an event. It said: ${said}`,
  );
}

/** What the agent left, read: the merged config, the lookup evidence of its call trees, and what is missing. */
export interface AgentOutputRead {
  readonly set: ConfigSet;
  readonly runs: number;
  /** From the call trees (trace --evidence); undefined when the agent wrote none. */
  readonly evidence: LookupEvidence | undefined;
  /** Sentences about runs that left nothing (a JVM killed before it could write). */
  readonly warnings: readonly string[];
}

/** What the agent wrote, read and merged; an input error when it wrote nothing or left a broken file. */
export async function readAgentOutput(
  agentDir: string,
  run: RunResult,
  agentPath: string | undefined,
): Promise<AgentOutputRead> {
  const collected = await collectAgentOutput(agentDir);
  if (collected.sources.length === 0 && collected.trees.length === 0) throw nothingWritten(run, agentPath);
  // named by run directory: the temp directory they were in is removed on exit
  const rel = (file: string): string => `agent-output/${file.slice(agentDir.length + 1)}`;
  const sources = collected.sources.map((s) => ({ ...s, file: rel(s.file) }));
  const texts = new Map<string, string>();
  const evidence: LookupEvidence[] = [];
  const treeFindings: Finding[] = [];
  for (const tree of collected.trees) {
    const file = rel(tree.file);
    texts.set(file, tree.text);
    const parsed = parseJsonText(tree.text, file);
    if (!parsed.ok) {
      treeFindings.push(parsed.finding);
      continue;
    }
    const read = partialConfigEvidence(parsed.value, file);
    treeFindings.push(...read.findings.filter(isBlocking));
    evidence.push(read.evidence);
    sources.push(...fragmentSources(read.fragments, file));
  }
  const loaded = loadSources(sources);
  const blocking = [...treeFindings, ...loaded.findings.filter(isBlocking)];
  if (blocking.length > 0)
    throw new InputError(
      'the agent left files that cannot be read (a JVM that died mid-write, or an agent of another version); nothing was written',
      blocking,
      new Map([...sourceTexts(sources, blocking), ...texts]),
    );
  const warnings = collected.empty.map(
    (r) =>
      `${r} has neither config nor a call tree: its JVM ended before the agent wrote (a crash or a kill${collected.trees.length > 0 ? "; with --evidence the agent writes only at a normal exit, so that JVM's lookups are missing" : ''})`,
  );
  return { set: loaded.set, runs: collected.runs, evidence: mergeEvidence(evidence), warnings };
}

/** Where the evidence file goes: beside the metadata (-o DIR or -o file.json), or in the project directory (--write). */
export function evidencePath(options: { readonly out?: string | undefined }, cwd: string): string {
  if (options.out === undefined || options.out === '-') return join(cwd, EVIDENCE_FILE);
  const out = resolve(cwd, options.out);
  return join(extname(out) === '.json' ? dirname(out) : out, EVIDENCE_FILE);
}

/**
 * Writes the evidence file (atomically, as every output): the call trees' lookups, and with
 * --attribute the event that first needed each entry; returns its path.
 */
export async function writeEvidence(
  evidence: LookupEvidence | undefined,
  attributions: ReadonlyMap<string, Attribution> | undefined,
  path: string,
): Promise<string> {
  const source = [
    ...(evidence ? [`${CALL_TREE_FILE} (the agent's experimental-conditional-config-part)`] : []),
    ...(attributions ? ["trace --attribute (the agent's writes after each event)"] : []),
  ].join('; ');
  const json = evidenceFileJson(evidence ?? new EvidenceBuilder('tree').build(), source, attributions);
  await writeFilesAtomically(dirname(path), new Map([[basename(path), toJsonText(json)]]));
  return path;
}

/**
 * Whether an earlier output at -o must stay as it is: a trace that collected nothing never
 * replaces anything, and one with failed events never replaces more entries with fewer, unless
 * --allow-errors or --force says so.
 */
export async function keepEarlier(
  set: Parameters<typeof countEntries>[0],
  format: Format,
  options: {
    readonly out?: string | undefined;
    readonly allowErrors?: boolean | undefined;
    readonly force?: boolean | undefined;
  },
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

/** How many entries of `set` have an event on record (trace --attribute). */
export function attributedCount(set: ConfigSet, attributions: ReadonlyMap<string, Attribution>): number {
  return evidenceKeysOf(set).filter((key) => attributions.has(key)).length;
}
