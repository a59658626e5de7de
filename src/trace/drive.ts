/**
 * Driving a function, however it runs: events one at a time, each answer classified, the
 * runtime started again after a crash or timeout as Lambda does, progress per event, and at
 * the end the JVM asked to stop so that the agent writes at exit.
 */
import type { TraceEvent } from './events.js';
import type { InvocationResult } from './runtime-api.js';

/** How a run of the function went. */
export interface RunResult {
  readonly results: readonly { readonly event: string; readonly result: InvocationResult }[];
  readonly initError: { errorType: string; body: string } | undefined;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Milliseconds from the last answer until the agent's config was complete on disk. */
  readonly flushMs: number;
  /** Locks still present when the wait ended: the last periodic write is all there is. */
  readonly staleLocks: readonly string[];
  /** The process's stderr, last 4 KB, for error messages. */
  readonly stderrTail: string;
  /** What went wrong around the function without failing the run (cleanup, a fallback taken). */
  readonly warnings: readonly string[];
  /** The traced JVM's class path as files on this machine, and its java command, when it could be told. */
  readonly classpath?: { readonly paths: readonly string[]; readonly java?: string };
}

/** The function, however it runs: a local process or a container. */
export interface FunctionRuntime {
  /** Starts the function (again, after it ended). */
  start(): Promise<void>;
  /** Resolves when the current run has ended. */
  readonly exited: Promise<void>;
  /** How the current run ended; undefined while it runs. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The function could not be started at all: no retry helps. */
  readonly startFailed: boolean;
  /** Asks the JVM to end (SIGTERM), so that the agent writes at exit. */
  terminate(): Promise<void>;
  /** Ends it at once. */
  kill(): Promise<void>;
  readonly stderrTail: string;
  /**
   * Resolves when the agent's output is complete after `terminate()`; by default when the run
   * has ended. (Under the emulator the container outlives the JVM: there it is when no lock is left.)
   */
  flushed?(): Promise<void>;
  /** The runtime is restarted by something in front of it (the emulator does after a crash or timeout). */
  readonly restartsItself?: boolean;
  /** Called after each answered event, while the JVM that answered it still runs. */
  afterAnswer?(): Promise<void>;
}

/** Where events go: ni-config's Runtime API server, or the emulator's invoke endpoint. */
export interface Invoker {
  invoke(event: string, timeoutMs: number): Promise<InvocationResult>;
  readonly initFailure: { errorType: string; body: string } | undefined;
}

/** Called after each event with its result. */
export type OnEvent = (done: number, total: number, name: string, result: InvocationResult) => void;

export interface DriveOptions {
  readonly events: readonly TraceEvent[];
  readonly timeoutMs: number;
  /** How long to wait for the JVM to end and the agent to finish writing. */
  readonly flushTimeoutMs?: number;
  readonly onEvent?: OnEvent;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Sends the events one at a time, starting the runtime again after a crash or a timeout as
 * Lambda does, then ends it so that the agent writes at exit.
 */
export async function drive(
  server: Invoker,
  runtime: FunctionRuntime,
  options: DriveOptions,
): Promise<Omit<RunResult, 'staleLocks' | 'warnings' | 'classpath'> & { answered: number }> {
  let starts = 1;
  await runtime.start();
  const results: { event: string; result: InvocationResult }[] = [];
  for (const e of options.events) {
    if (
      runtime.exit !== undefined &&
      !runtime.startFailed &&
      server.initFailure === undefined &&
      starts <= options.events.length
    ) {
      await runtime.exited;
      starts++;
      await runtime.start();
    }
    if (runtime.exit !== undefined) {
      results.push({
        event: e.name,
        result: {
          requestId: '',
          status: 'crash',
          durationMs: 0,
          body: server.initFailure ? 'the function failed to initialise' : 'the function is not running',
        },
      });
      continue;
    }
    const result = await server.invoke(e.body, options.timeoutMs);
    results.push({ event: e.name, result });
    if (result.status === 'success' || result.status === 'function-error') await runtime.afterAnswer?.();
    options.onEvent?.(results.length, options.events.length, e.name, result);
    if (!runtime.restartsItself) {
      if (result.status === 'timeout') await runtime.kill();
      if (result.status === 'timeout' || result.status === 'crash') await runtime.exited;
    }
  }
  const answered = Date.now();
  if (runtime.exit === undefined) await runtime.terminate();
  const flushed = runtime.flushed ? runtime.flushed() : runtime.exited;
  await Promise.race([flushed, delay(options.flushTimeoutMs ?? 30_000)]);
  if (runtime.exit === undefined && !runtime.flushed) {
    await runtime.kill();
    await runtime.exited;
  }
  return {
    results,
    initError: server.initFailure,
    exit: runtime.exit,
    flushMs: Date.now() - answered,
    stderrTail: runtime.stderrTail,
    answered,
  };
}
