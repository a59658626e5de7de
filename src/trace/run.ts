/**
 * Runs a function for a trace or an invoke, locally or in a container, in a session's work
 * directory: the agent option for where it runs, the events driven, and (on a terminal) the
 * agent's writes counted as they land.
 */
import { expandClasspath, javaClasspath, listTracedJdkEarly } from '../io/classpath.js';
import { agentOption, countWrites } from './agent.js';
import { runContainer } from './container.js';
import { ATTRIBUTE_PERIOD_SECONDS, INIT_EVENT, type Attributor } from './attribution.js';
import type { EventWatch, OnEvent, RunResult } from './drive.js';
import type { ContainerEngine } from './engines/engine.js';
import type { TraceEvent } from './events.js';
import { runLocal } from './local.js';
import type { Session } from './session.js';

/** The function to run and how. */
export interface FunctionSpec {
  readonly target:
    | {
        readonly kind: 'local';
        readonly argv: readonly string[];
        readonly cwd: string;
        /** The whole environment of the process. */
        readonly env: Readonly<Record<string, string | undefined>>;
      }
    | {
        readonly kind: 'container';
        readonly image: string;
        readonly engine: ContainerEngine;
        readonly mode: 'rie' | 'runtime-api';
        readonly rie?: string;
        /** Environment added to the image's. */
        readonly env: Readonly<Record<string, string>>;
        readonly labels: Readonly<Record<string, string>>;
      };
  readonly events: readonly TraceEvent[];
  readonly timeoutMs: number;
  /** The agent (trace); none for invoke. `evidence`: record each lookup's call tree instead of writing periodically. */
  readonly agent?: { readonly periodSeconds: number; readonly library?: string; readonly evidence?: boolean };
}

export interface RunHooks {
  /** After each event, with the agent writes seen so far when they are counted. */
  readonly onEvent?: (
    done: number,
    total: number,
    name: string,
    result: Parameters<OnEvent>[3],
    writes: number | undefined,
  ) => void;
  /** Count the agent's writes as they land (local runs only: the output is on this machine). */
  readonly countWrites?: boolean;
  /** trace --attribute: after each event, what the agent wrote since the look before is that event's. */
  readonly attributor?: Attributor;
}

/** The agent as the run needs it: under --attribute it writes every second, and records no call trees. */
function agentFor(spec: FunctionSpec, hooks: RunHooks): FunctionSpec['agent'] {
  if (!spec.agent || !hooks.attributor) return spec.agent;
  return { ...spec.agent, periodSeconds: ATTRIBUTE_PERIOD_SECONDS, evidence: false };
}

/** Runs the function in the session; the agent's output ends up in `session.agentDir`. */
export async function runFunction(spec: FunctionSpec, session: Session, hooks: RunHooks = {}): Promise<RunResult> {
  const t = spec.target;
  const writes = new Set<string>();
  const watch =
    hooks.countWrites && t.kind === 'local' && spec.agent
      ? setInterval(() => void countWrites(session.agentDir, writes), 500)
      : undefined;
  const onEvent: OnEvent = (done, total, name, result) =>
    hooks.onEvent?.(done, total, name, result, watch ? writes.size : undefined);
  const a = hooks.attributor;
  const eventWatch: EventWatch | undefined = a && {
    afterEvent: (event, answeredAt, runtime) => a.look(event, answeredAt, runtime),
    afterInit: (readyAt, runtime) => a.look(INIT_EVENT, readyAt, runtime),
  };
  const agentSpec = agentFor(spec, hooks);
  try {
    if (t.kind === 'local') {
      const classpath = agentSpec ? localClasspath(t.argv, t.env, t.cwd) : undefined;
      // its JDK's classes (for stale entries) are listed while it runs
      listTracedJdkEarly(classpath);
      const agent = agentSpec && {
        option: agentOption(
          { dir: session.agentDir, periodSeconds: agentSpec.periodSeconds, evidence: Boolean(agentSpec.evidence) },
          agentSpec.library,
        ),
        dir: session.agentDir,
      };
      const run = await runLocal({
        argv: t.argv,
        cwd: t.cwd,
        env: t.env,
        events: spec.events,
        timeoutMs: spec.timeoutMs,
        onEvent,
        ...(eventWatch ? { watch: eventWatch } : {}),
        ...(agent ? { agent } : {}),
      });
      return classpath ? { ...run, classpath } : run;
    }
    return await runContainer({
      engine: t.engine,
      mode: t.mode,
      ...(t.rie ? { rie: t.rie } : {}),
      image: t.image,
      events: spec.events,
      timeoutMs: spec.timeoutMs,
      env: t.env,
      labels: t.labels,
      ...(agentSpec ? { agent: { ...agentSpec, collectTo: session.agentDir } } : {}),
      onEvent,
      ...(eventWatch ? { watch: eventWatch } : {}),
    });
  } finally {
    if (watch) clearInterval(watch);
  }
}

/** The class path a local `java` command runs with, as files (undefined when the command is not java). */
function localClasspath(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { paths: string[]; java: string } | undefined {
  const cp = javaClasspath(argv, env);
  if (cp === undefined) return undefined;
  return { paths: expandClasspath(cp.items, cwd).paths, java: argv[0]! };
}
