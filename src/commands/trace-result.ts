/** What trace and invoke report, and the reading of what the agent wrote. */
import { InputError } from '../errors.js';
import { isBlocking } from '../model/findings.js';
import type { Format } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import type { Section } from '../model/sections.js';
import { loadSources } from '../ops/load.js';
import { collectAgentOutput } from '../trace/agent.js';
import type { RunResult } from '../trace/drive.js';
import type { InvocationStatus } from '../trace/runtime-api.js';
import type { WriteResult } from './write.js';

/** The result of trace and invoke: their `--json` output. */
export interface TraceResult {
  readonly ok: boolean;
  readonly events: readonly { event: string; status: InvocationStatus; durationMs: number; errorType?: string }[];
  readonly counts: Record<InvocationStatus, number>;
  readonly initError?: { readonly errorType: string; readonly body: string };
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
  /** With --write: what the layout write did. */
  readonly layout?: WriteResult;
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
    })),
    counts,
    ...(run.initError ? { initError: run.initError } : {}),
    flushMs: run.flushMs,
    staleLocks: [],
    warnings: run.warnings,
    runs: 0,
    written: [],
  };
}

function nothingWritten(run: RunResult, agentPath: string | undefined): InputError {
  const said = run.stderrTail.trim().split('\n').slice(-3).join(' | ') || '(nothing)';
  return new InputError(
    run.warnings.length > 0
      ? `the agent wrote no configuration: ${run.warnings.join('; ')}`
      : `the agent wrote no configuration. Is ${agentPath ?? 'native-image-agent (-agentlib)'} loadable by this JVM? The process said: ${said}`,
  );
}

/** What the agent wrote, read and merged; an input error when it wrote nothing or left a broken file. */
export async function readAgentOutput(
  agentDir: string,
  run: RunResult,
  agentPath: string | undefined,
): Promise<{ set: ConfigSet; runs: number }> {
  const collected = await collectAgentOutput(agentDir);
  if (collected.sources.length === 0) throw nothingWritten(run, agentPath);
  // named by run directory: the temp directory they were in is removed on exit
  const rel = (file: string): string => `agent-output/${file.slice(agentDir.length + 1)}`;
  const loaded = loadSources(collected.sources.map((s) => ({ ...s, file: rel(s.file) })));
  const blocking = loaded.findings.filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError(
      'the agent left files that cannot be read (a JVM that died mid-write, or an agent of another version); nothing was written',
      blocking,
      new Map(collected.sources.map((s) => [rel(s.file), s.text])),
    );
  return { set: loaded.set, runs: collected.runs };
}
