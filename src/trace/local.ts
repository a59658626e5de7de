/**
 * `trace --cmd` / `invoke --cmd`: runs the function as a local process against ni-config's own
 * Runtime API, with the agent option in its JAVA_TOOL_OPTIONS. Its output (stderr and stdout: the
 * JVM prints a failed VM start, such as an agent library it cannot find, on stdout) is kept, the
 * last lines of it for each crash. At the end exactly the processes that hold an agent lock get
 * SIGTERM, whatever runs in front of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { onInterrupt } from '../io/cleanup.js';
import { appendToolOption, lockHolders, waitForLocks } from './agent.js';
import {
  drive,
  type FunctionRuntime,
  type EventWatch,
  type OnEvent,
  type RunResult,
  type StoppedProcess,
} from './drive.js';
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
  readonly watch?: EventWatch;
}

/** How many lines of the function's output a crash carries. */
export const OUTPUT_LINES = 12;
/** How many lines of output are kept at all. */
const KEPT_LINES = 400;

/** A line worth showing for a crash: not empty, and not the `Picked up JAVA_TOOL_OPTIONS` that every JVM start prints. */
export function telling(line: string): boolean {
  return line.trim() !== '' && !/^Picked up (JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS):/.test(line);
}

/** The lines a process printed, from both streams in the order they came, each with its time. */
class OutputLog {
  private readonly lines: { time: number; text: string }[] = [];
  private readonly partial = { stdout: '', stderr: '' };

  add(stream: 'stdout' | 'stderr', chunk: string): void {
    const parts = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = parts.pop()!;
    const time = Date.now();
    for (const text of parts) this.lines.push({ time, text: text.replace(/\r$/, '') });
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }

  /** The unfinished last line of each stream counts too (a process that died mid-line). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream] !== '') this.add(stream, '\n');
  }

  since(time: number, count = OUTPUT_LINES): string[] {
    return this.lines
      .filter((l) => l.time >= time && telling(l.text))
      .map((l) => l.text)
      .slice(-count);
  }

  tail(bytes = 4096): string {
    return this.lines
      .map((l) => l.text)
      .join('\n')
      .slice(-bytes);
  }
}

/** A local process, started with the Runtime API's address and the agent option in its environment. */
class LocalProcess implements FunctionRuntime {
  exited: Promise<void> = Promise.resolve();
  exit: FunctionRuntime['exit'];
  startFailed = false;
  why: string | undefined;
  stopped: StoppedProcess[] = [];
  private child: ChildProcess | undefined;
  private readonly log = new OutputLog();

  constructor(
    private readonly options: LocalRunOptions,
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly server: RuntimeApiServer,
  ) {}

  get stderrTail(): string {
    return this.log.tail();
  }

  async start(): Promise<void> {
    this.exit = undefined;
    const program = this.options.argv[0]!;
    const proc = spawn(program, this.options.argv.slice(1), {
      cwd: this.options.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = proc;
    this.exited = new Promise<void>((resolve) => {
      proc.stdout!.on('data', (d: Buffer) => this.log.add('stdout', d.toString('utf8')));
      proc.stderr!.on('data', (d: Buffer) => this.log.add('stderr', d.toString('utf8')));
      proc.on('error', (e: NodeJS.ErrnoException) => {
        const why =
          e.code === 'ENOENT'
            ? `there is no program ${program} (${e.message})`
            : e.code === 'EACCES'
              ? `${program} cannot be run: permission denied (${e.message})`
              : `${program} could not be started (${e.message})`;
        this.log.add('stderr', `${e.message}\n`);
        this.startFailed = true;
        this.why = why;
        this.exit = { code: null, signal: null };
        this.server.crash(`the command could not start: ${why}`);
        resolve();
      });
      proc.on('exit', (code, sig) => {
        if (this.startFailed) return;
        // its last output is read first; a child it left behind may hold the pipes open, so not for long
        const closed = new Promise<void>((done) => proc.once('close', () => done()));
        void Promise.race([closed, new Promise((done) => setTimeout(done, 300))]).then(() => {
          this.log.flush();
          this.exit = { code, signal: sig };
          this.server.crash(`the process exited (${sig ?? `code ${code}`}) during the invocation`);
          resolve();
        });
      });
    });
  }

  async output(since: number): Promise<readonly string[]> {
    return this.log.since(since);
  }

  /** SIGTERM to exactly the processes that hold an agent lock; to the process started when none does (or for invoke). */
  async terminate(): Promise<void> {
    this.stopped = this.options.agent ? await lockHolders(this.options.agent.dir) : [];
    for (const p of this.stopped) signal(p.pid, 'SIGTERM');
    if (this.stopped.length === 0) this.child?.kill('SIGTERM');
  }

  /** SIGKILL to the process started and to every live lock holder (a JVM a script started without `exec`). */
  async kill(): Promise<void> {
    if (this.options.agent) for (const p of await lockHolders(this.options.agent.dir)) signal(p.pid, 'SIGKILL');
    if (this.exit === undefined) this.child?.kill('SIGKILL');
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // it ended meanwhile
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
  // Ctrl-C or SIGTERM of ni-config itself: the function's processes must not outlive it.
  const unregister = onInterrupt(() => proc.kill());
  try {
    const run = await drive(server, proc, options);
    const flushTimeout = options.flushTimeoutMs ?? 30_000;
    const staleLocks = options.agent
      ? await waitForLocks(options.agent.dir, Math.max(0, flushTimeout - (Date.now() - run.answered)), true)
      : [];
    return {
      ...run,
      flushMs: Date.now() - run.answered,
      staleLocks,
      warnings: [],
      ...(proc.stopped.length > 0 ? { stopped: proc.stopped } : {}),
      ...(proc.startFailed && proc.why ? { startFailure: proc.why } : {}),
    };
  } finally {
    unregister();
    await proc.kill();
    await server.close();
  }
}
