/**
 * The runs of one trace: one, or two with --attribute where the prune plan also wants call
 * trees. The agent writes either call trees (at exit only) or config files every second, never
 * both, so attribution that must keep the evidence runs the events a second time.
 */
import { readdir } from 'node:fs/promises';
import type { Attribution } from '../ops/evidence/file.js';
import { Attributor } from '../trace/attribution.js';
import type { RunResult } from '../trace/drive.js';
import { runFunction, type FunctionSpec, type RunHooks } from '../trace/run.js';
import type { Session } from '../trace/session.js';

export interface TraceRuns {
  /** The run whose events the report gives: the evidence run when there are two. */
  readonly run: RunResult;
  /** trace --attribute: per entry key, the first event whose look showed it. */
  readonly attributions?: ReadonlyMap<string, Attribution>;
  /** Sentences about the attribution run: events that failed there, looks that came too late. */
  readonly warnings: readonly string[];
}

/** Runs the function once, or (--attribute with call trees) once for the trees and once for attribution. */
export async function traceRuns(
  spec: FunctionSpec,
  session: Session,
  attribute: boolean,
  hooks: Omit<RunHooks, 'attributor'>,
  say: (message: string) => void,
): Promise<TraceRuns> {
  if (!attribute || !spec.agent) return { run: await runFunction(spec, session, hooks), warnings: [] };
  const warnings: string[] = [];
  let trees: RunResult | undefined;
  if (spec.agent.evidence) {
    trees = await runFunction(spec, session, hooks);
    say('the events once more, for --attribute: the agent writes every second now, and records no call trees');
  }
  // what the call-tree run left in the same directory is no event's of the attribution run
  const earlier = trees
    ? (await readdir(session.agentDir).catch(() => [] as string[])).filter((d) => d.startsWith('run-'))
    : [];
  const attributor = new Attributor(session.agentDir, undefined, new Set(earlier));
  try {
    const attributed = await runFunction(spec, session, { ...hooks, attributor });
    if (trees) {
      const failed = attributed.results.filter((r) => r.result.status !== 'success');
      if (failed.length > 0)
        warnings.push(
          `in the attribution run (the events a second time, without call trees) ${failed.map((f) => `${f.event}: ${f.result.status}`).join(', ')}`,
        );
      warnings.push(...attributed.warnings);
    }
    if (attributor.late.length > 0)
      warnings.push(
        `no agent write came in time after ${attributor.late.join(', ')}: what they and the event after each needed has no event on record`,
      );
    return { run: trees ?? attributed, attributions: attributor.firstNeededBy, warnings };
  } finally {
    await attributor.close();
  }
}
