/**
 * `trace --cmd` / `invoke --cmd`: runs the function as a local process against ni-config's own
 * Runtime API, sends the events one at a time, ends the JVM with SIGTERM so the agent writes its
 * final config, and waits until every agent lock is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { onInterrupt } from '../io/cleanup.js';
import { RuntimeApiServer, type InvocationResult } from './runtime-api.js';
import type { TraceEvent } from './events.js';

export interface LocalRunOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly events: readonly TraceEvent[];
  /** Per-invocation timeout, as AWS_LAMBDA_FUNCTION_TIMEOUT. */
  readonly timeoutMs: number;
  /** The `-agentpath:`/`-agentlib:` option to append to JAVA_TOOL_OPTIONS; none for invoke. */
  readonly agentOption?: string;
  /** Where the agent writes (its run-* directories); waited on for locks at the end. */
  readonly agentDir?: string;
  /** How long to wait for the JVM to end and the agent to remove its lock. */
  readonly flushTimeoutMs?: number;
  readonly onProgress?: (done: number, total: number, name: string, result: InvocationResult) => void;
}

export interface LocalRunResult {
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
  readonly warnings?: readonly string[];
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
}

/** Where events go: ni-config's Runtime API server, or the emulator's invoke endpoint. */
export interface Invoker {
  invoke(event: string, timeoutMs: number): Promise<InvocationResult>;
  readonly initFailure: { errorType: string; body: string } | undefined;
}

export interface DriveOptions {
  readonly events: readonly TraceEvent[];
  readonly timeoutMs: number;
  readonly flushTimeoutMs?: number;
  readonly onProgress?: (done: number, total: number, name: string, result: InvocationResult) => void;
}

/**
 * Sends the events one at a time, starting the runtime again after a crash or a timeout as
 * Lambda does, then ends it so that the agent writes at exit.
 */
export async function drive(
  server: Invoker,
  runtime: FunctionRuntime,
  options: DriveOptions,
): Promise<Omit<LocalRunResult, 'staleLocks'> & { answered: number }> {
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
    options.onProgress?.(results.length, options.events.length, e.name, result);
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

/** A local process, started with the Runtime API's address and the agent option in its environment. */
class LocalProcess implements FunctionRuntime {
  exited: Promise<void> = Promise.resolve();
  exit: FunctionRuntime['exit'];
  startFailed = false;
  stderrTail = '';
  private child: ChildProcess | undefined;

  constructor(
    private readonly options: LocalRunOptions,
    private readonly env: NodeJS.ProcessEnv,
    private readonly server: RuntimeApiServer,
  ) {}

  async start(): Promise<void> {
    this.exit = undefined;
    const proc = spawn(this.options.argv[0]!, this.options.argv.slice(1), {
      cwd: this.options.cwd,
      env: this.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = proc;
    this.exited = new Promise<void>((resolve) => {
      proc.stderr!.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-4096)));
      proc.on('error', (e) => {
        this.stderrTail += `\n${e.message}`;
        this.startFailed = true;
        this.exit = { code: null, signal: null };
        this.server.crash(`the command could not start: ${e.message}`);
        resolve();
      });
      proc.on('exit', (code, sig) => {
        this.exit = { code, signal: sig };
        this.server.crash(`the process exited (${sig ?? `code ${code}`}) during the invocation`);
        resolve();
      });
    });
  }

  async terminate(): Promise<void> {
    this.child?.kill('SIGTERM');
  }

  async kill(): Promise<void> {
    if (this.exit === undefined) this.child?.kill('SIGKILL');
  }
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const server = new RuntimeApiServer();
  const api = await server.start();
  const toolOptions = [options.env.JAVA_TOOL_OPTIONS, options.agentOption]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    AWS_LAMBDA_RUNTIME_API: api,
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(options.timeoutMs / 1000)),
    ...(toolOptions ? { JAVA_TOOL_OPTIONS: toolOptions } : {}),
  };
  const proc = new LocalProcess(options, env, server);
  // Ctrl-C or SIGTERM of ni-config itself: the function's process must not outlive it.
  const unregister = onInterrupt(() => proc.kill());
  try {
    const run = await drive(server, proc, options);
    const flushTimeout = options.flushTimeoutMs ?? 30_000;
    const staleLocks = options.agentDir
      ? await waitForLocks(options.agentDir, Math.max(0, flushTimeout - (Date.now() - run.answered)), true)
      : [];
    return { ...run, flushMs: Date.now() - run.answered, staleLocks };
  } finally {
    unregister();
    await proc.kill();
    await server.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Waits (bounded) until no run directory holds a `.lock` whose process still runs; returns the
 * locks left. A lock whose process is gone (killed, crashed) is stale at once: waiting cannot help.
 */
export async function waitForLocks(dir: string, timeoutMs: number, checkLiveness: boolean): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live: string[] = [];
    const stale: string[] = [];
    for (const run of await readdir(dir).catch(() => [] as string[])) {
      const lock = join(dir, run, '.lock');
      const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (
        !(await access(lock).then(
          () => true,
          () => false,
        ))
      )
        continue;
      (checkLiveness && Number.isInteger(pid) && pid > 0 && alive(pid) ? live : stale).push(lock);
    }
    if (live.length === 0 || Date.now() >= deadline) return [...live, ...stale].sort();
    await delay(50);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
