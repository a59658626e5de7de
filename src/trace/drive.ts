/**
 * Driving a function, however it runs: events one at a time, each answer classified, the
 * runtime started again after a crash or timeout as Lambda does, progress per event, and at
 * the end the JVM asked to stop so that the agent writes at exit.
 */
import type { TraceEvent } from './events.js';
import type { InvocationResult } from './runtime-api.js';

/** A process ni-config asked to end so that the agent writes at exit: it held an agent lock. */
export interface StoppedProcess {
  readonly pid: number;
  /** Its command line, as far as it could be read. */
  readonly command: string;
}

/** The runtime's init error, and what the function printed last before it. */
export interface InitError {
  readonly errorType: string;
  readonly body: string;
  readonly output?: readonly string[];
}

/** How a run of the function went. */
export interface RunResult {
  readonly results: readonly { readonly event: string; readonly result: InvocationResult }[];
  readonly initError: InitError | undefined;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Milliseconds from the last answer until the agent's config was complete on disk. */
  readonly flushMs: number;
  /** Locks still present when the wait ended: the last periodic write is all there is. */
  readonly staleLocks: readonly string[];
  /** The function's output (stderr and stdout as they came, never an emulator's lines), last 4 KB, for error messages. */
  readonly stderrTail: string;
  /** What went wrong around the function without failing the run (cleanup, a fallback taken). */
  readonly warnings: readonly string[];
  /** The traced JVM's class path as files on this machine, and its java command, when it could be told. */
  readonly classpath?: { readonly paths: readonly string[]; readonly java?: string };
  /** The processes that got SIGTERM at the end: exactly those that held an agent lock. */
  readonly stopped?: readonly StoppedProcess[];
  /** Why the function could not run at all (a program that is not there, a container that did not start). */
  readonly startFailure?: string;
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
  /** Why it cannot run (again), when it cannot: said instead of "not running" for the events left. */
  readonly why?: string | undefined;
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
  /** The function's own last lines of output (stderr and stdout) since `since` (epoch ms), for a failed event. */
  output?(since: number): Promise<readonly string[]>;
  /**
   * Copies what the agent has written so far to `dest` (a path that does not exist yet), for a
   * runtime whose agent output is not on this machine (a container); false when it could not.
   */
  agentSnapshot?(dest: string): Promise<boolean>;
}

/** Where events go: ni-config's Runtime API server, or the emulator's invoke endpoint. */
export interface Invoker {
  invoke(event: string, timeoutMs: number): Promise<InvocationResult>;
  readonly initFailure: { errorType: string; body: string } | undefined;
  /**
   * Resolves once the runtime has finished its init and asks for its first event (ni-config's own
   * Runtime API can tell; an emulator, which starts the runtime at the first invoke, cannot).
   */
  runtimeReady?(): Promise<void>;
}

/** Looks at the agent's output after each event (trace --attribute). */
export interface EventWatch {
  /** After the event's answer (or its crash or timeout), before the next event goes. */
  afterEvent(event: string, answeredAt: number, runtime: FunctionRuntime): Promise<void>;
  /** Once the runtime waits for its first event, when the invoker can tell: what its init recorded. */
  afterInit?(readyAt: number, runtime: FunctionRuntime): Promise<void>;
}

/** Called after each event with its result. */
export type OnEvent = (done: number, total: number, name: string, result: InvocationResult) => void;

export interface DriveOptions {
  readonly events: readonly TraceEvent[];
  readonly timeoutMs: number;
  /** How long to wait for the JVM to end and the agent to finish writing. */
  readonly flushTimeoutMs?: number;
  readonly onEvent?: OnEvent;
  readonly watch?: EventWatch;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Sends the events one at a time, starting the runtime again after a crash or a timeout as
 * Lambda does, then ends it so that the agent writes at exit. A crash keeps what the function
 * printed last (since the event before it ended), and so does an init failure.
 */
export async function drive(
  server: Invoker,
  runtime: FunctionRuntime,
  options: DriveOptions,
): Promise<Omit<RunResult, 'staleLocks' | 'warnings' | 'classpath'> & { answered: number }> {
  let starts = 1;
  await runtime.start();
  const results: { event: string; result: InvocationResult }[] = [];
  let initOutput: readonly string[] | undefined;
  let since = Date.now();
  for (const e of options.events) {
    if (
      runtime.exit !== undefined &&
      !runtime.startFailed &&
      server.initFailure === undefined &&
      starts <= options.events.length
    ) {
      await runtime.exited;
      starts++;
      since = Date.now();
      await runtime.start();
    }
    if (runtime.exit !== undefined) {
      const body = server.initFailure
        ? 'the function failed to initialise'
        : (runtime.why ?? 'the function is not running');
      const result: InvocationResult = { requestId: '', status: 'crash', durationMs: 0, body, reason: body };
      results.push({ event: e.name, result });
      options.onEvent?.(results.length, options.events.length, e.name, result);
      continue;
    }
    const initBefore = server.initFailure;
    if (results.length === 0 && options.watch?.afterInit && server.runtimeReady) {
      // what the function's init recorded, apart from what its first event needs
      const ready = await Promise.race([server.runtimeReady().then(() => true), runtime.exited.then(() => false)]);
      if (ready) await options.watch.afterInit(Date.now(), runtime);
    }
    let result = await server.invoke(e.body, options.timeoutMs);
    const answeredAt = Date.now();
    if (result.status === 'success' || result.status === 'function-error') await runtime.afterAnswer?.();
    if (!runtime.restartsItself) {
      if (result.status === 'timeout') await runtime.kill();
      if (result.status === 'timeout' || result.status === 'crash') await runtime.exited;
    }
    if (result.status === 'crash' && runtime.output) {
      const output = await runtime.output(since);
      if (output.length > 0) result = { ...result, output };
      if (initBefore === undefined && server.initFailure !== undefined) initOutput = output;
    }
    results.push({ event: e.name, result });
    options.onEvent?.(results.length, options.events.length, e.name, result);
    await options.watch?.afterEvent(e.name, answeredAt, runtime);
    since = Date.now();
  }
  const answered = Date.now();
  if (runtime.exit === undefined) await runtime.terminate();
  const flushed = runtime.flushed ? runtime.flushed() : runtime.exited;
  await Promise.race([flushed, delay(options.flushTimeoutMs ?? 30_000)]);
  if (runtime.exit === undefined && !runtime.flushed) {
    await runtime.kill();
    await runtime.exited;
  }
  const init = server.initFailure;
  return {
    results,
    initError: init && (initOutput && initOutput.length > 0 ? { ...init, output: initOutput } : init),
    exit: runtime.exit,
    flushMs: Date.now() - answered,
    stderrTail: runtime.stderrTail,
    answered,
  };
}
