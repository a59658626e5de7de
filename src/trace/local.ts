/**
 * `trace --cmd` / `invoke --cmd`: runs the function as a local process against ni-config's own
 * Runtime API, with the agent option in its JAVA_TOOL_OPTIONS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { onInterrupt } from '../io/cleanup.js';
import { appendToolOption, waitForLocks } from './agent.js';
import { drive, type FunctionRuntime, type OnEvent, type RunResult } from './drive.js';
import type { TraceEvent } from './events.js';
import { RuntimeApiServer } from './runtime-api.js';

export interface LocalRunOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly events: readonly TraceEvent[];
  /** Per-invocation timeout, as AWS_LAMBDA_FUNCTION_TIMEOUT. */
  readonly timeoutMs: number;
  /** The `-agentpath:`/`-agentlib:` option to append to JAVA_TOOL_OPTIONS, and the directory it writes to; none for invoke. */
  readonly agent?: { readonly option: string; readonly dir: string };
  /** How long to wait for the JVM to end and the agent to remove its lock. */
  readonly flushTimeoutMs?: number;
  readonly onEvent?: OnEvent;
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
    private readonly env: Readonly<Record<string, string | undefined>>,
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

/** Runs the function locally, drives the events and waits for the agent's locks. */
export async function runLocal(options: LocalRunOptions): Promise<RunResult> {
  const server = new RuntimeApiServer();
  const api = await server.start();
  const toolOptions = options.agent
    ? appendToolOption(options.env.JAVA_TOOL_OPTIONS, options.agent.option)
    : options.env.JAVA_TOOL_OPTIONS;
  const env = {
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
    const staleLocks = options.agent
      ? await waitForLocks(options.agent.dir, Math.max(0, flushTimeout - (Date.now() - run.answered)), true)
      : [];
    return { ...run, flushMs: Date.now() - run.answered, staleLocks, warnings: [] };
  } finally {
    unregister();
    await proc.kill();
    await server.close();
  }
}
