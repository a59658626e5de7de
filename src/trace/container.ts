/**
 * `trace --container IMAGE`: the image runs as it is (its ENTRYPOINT and CMD kept), with the
 * agent option appended to the image's JAVA_TOOL_OPTIONS and a host agent library mounted
 * read-only when one is given. In RIE mode events go through the emulator in the image (or one
 * from the host mounted over the entrypoint), published on 127.0.0.1; in Runtime API mode
 * ni-config serves the Runtime API itself and the container runs on the host network. At the
 * end exactly the JVMs that hold an agent lock get SIGTERM (via exec), the agent's output is
 * copied out once the container's state has settled, and the container is removed — whatever
 * happened, also when `run` was still in flight. Every engine command goes through a
 * {@link ContainerEngine}; what an engine failure means is told apart from what the function did.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { javaClasspath, listTracedJdkEarly } from '../io/classpath.js';
import { EngineError } from '../errors.js';
import { onInterrupt } from '../io/cleanup.js';
import { agentOption, appendToolOption, waitForLocks, type AgentOutput } from './agent.js';
import {
  drive,
  type EventWatch,
  type FunctionRuntime,
  type Invoker,
  type OnEvent,
  type RunResult,
  type StoppedProcess,
} from './drive.js';
import { NO_CONTAINER, engineFailure, stderrTail } from './engines/cli-engine.js';
import type { ContainerEngine, EngineResult, LogLine, Mount, RunSpec } from './engines/engine.js';
import type { TraceEvent } from './events.js';
import { OUTPUT_LINES, telling } from './local.js';
import { EmulatorGone, RieClient, waitForRie } from './rie.js';
import { RuntimeApiServer } from './runtime-api.js';

export interface ContainerRunOptions {
  readonly engine: ContainerEngine;
  /**
   * `rie`: events go through the Runtime Interface Emulator in the image (port 8080 published on
   * 127.0.0.1), or through `rie` mounted over the entrypoint; `runtime-api`: ni-config serves the
   * Runtime API itself and the container runs on the host network.
   */
  readonly mode: 'rie' | 'runtime-api';
  /** Host path of an aws-lambda-rie binary to run the image's entrypoint under (RIE mode). */
  readonly rie?: string;
  readonly image: string;
  readonly events: readonly TraceEvent[];
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string>>;
  /** Labels every container gets (`--label KEY=VALUE`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The agent, when tracing: its write period, a host library to mount (else -agentlib), and where its output is copied to. */
  readonly agent?: {
    readonly periodSeconds: number;
    readonly library?: string;
    readonly evidence?: boolean;
    readonly collectTo: string;
  };
  readonly flushTimeoutMs?: number;
  readonly onEvent?: OnEvent;
  readonly watch?: EventWatch;
}

/** Where the agent writes inside the container. */
export const CONTAINER_AGENT_DIR = '/tmp/ni-config-agent';
const AGENT_LIB_DIR = '/ni-config-agent-lib';
const RIE_PATH = '/ni-config-rie/aws-lambda-rie';

// SIGTERM to exactly the JVMs that hold an agent lock (the agent writes its pid into `.lock` when
// it loads and removes the file once its exit-time write is done): never an emulator, an init or
// an entry script in front of the JVM, whatever their command lines say (a script that runs the
// emulator without `exec` puts `java` in the emulator's argv). A zombie's lock is skipped. Each
// JVM signalled is named (`@@stopped PID COMMAND`); the script always succeeds, so a failure is
// the engine's. busybox and every base image's sh can run it.
export const TERMINATE_AGENT_JVMS = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] || continue; p=$(cat "$l" 2>/dev/null); case "$p" in ''|*[!0-9]*) continue;; esac; [ -r "/proc/$p/stat" ] || continue; read -r st < "/proc/$p/stat"; st=\${st##*) }; [ "\${st%% *}" = Z ] && continue; c=$(tr '\\000' ' ' < "/proc/$p/cmdline" 2>/dev/null); kill -TERM "$p" 2>/dev/null && echo "@@stopped $p $c"; done; true`;

// The locks whose JVM still runs; one left by a JVM that crashed or was killed never goes.
const LIVE_LOCKS = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] && kill -0 "$(cat "$l")" 2>/dev/null && echo "$l"; done; true`;

/** The processes {@link TERMINATE_AGENT_JVMS} signalled. */
function stoppedIn(out: string): StoppedProcess[] {
  return [...out.matchAll(/^@@stopped (\d+) ?(.*)$/gm)].map((m) => ({ pid: Number(m[1]), command: m[2]!.trim() }));
}

/**
 * A line the emulator itself writes to the container's log (lambda-rie.md §1.1; FakeRie.java
 * keeps the format): its own log lines, `02 Jan 2006 15:04:05,000 [LEVEL] (rapid) …`, and the
 * START/END/REPORT lines of each invoke. Everything else is the function's.
 */
export function isEmulatorLine(line: LogLine): boolean {
  return (
    /^\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d,\d{3} \[[A-Z]+\] \(rapid\) /.test(line.text) ||
    /^(START|END|REPORT) RequestId: /.test(line.text)
  );
}

/** What `cp` says when the path is not in the container: the agent never wrote there. */
function noOutputDir(r: EngineResult): boolean {
  return (
    r.stderr.includes(CONTAINER_AGENT_DIR) && /could not find|could not be found|no such file|not found/i.test(r.stderr)
  );
}

/** A pause between polls: it holds the process while it waits. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A bound on a wait for something else: it must not keep the process alive once that is done. */
function bound(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// For each JVM that holds an agent lock: its pid, working directory, command line and CLASSPATH.
const DESCRIBE_AGENT_JVMS = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] || continue; p=$(cat "$l"); [ -d "/proc/$p" ] || continue; echo "@@pid $p"; echo "@@cwd $(readlink "/proc/$p/cwd")"; echo "@@exe $(readlink "/proc/$p/exe")"; echo "@@argv"; tr '\\000' '\\n' < "/proc/$p/cmdline"; echo "@@env"; tr '\\000' '\\n' < "/proc/$p/environ" | grep '^CLASSPATH='; echo "@@end"; done; true`;

/** The first JVM described by {@link DESCRIBE_AGENT_JVMS}. */
function describedJvm(
  out: string,
): { cwd: string; exe: string | undefined; argv: string[]; env: Record<string, string> } | undefined {
  const block = /@@pid \d+\n@@cwd (.*)\n(?:@@exe (.*)\n)?@@argv\n([\s\S]*?)@@env\n([\s\S]*?)@@end/.exec(out);
  if (!block) return undefined;
  const argv = block[3]!.split('\n').filter((a) => a !== '');
  const env: Record<string, string> = {};
  for (const line of block[4]!.split('\n')) if (line.startsWith('CLASSPATH=')) env.CLASSPATH = line.slice(10);
  return { cwd: block[1]!, exe: block[2] || undefined, argv, env };
}

class ContainerFunction implements FunctionRuntime {
  exited: Promise<void> = Promise.resolve();
  exit: FunctionRuntime['exit'];
  startFailed = false;
  why: string | undefined;
  stderrTail = '';
  readonly warnings: string[] = [];
  /** The JVMs signalled at the end. */
  stopped: StoppedProcess[] = [];
  /** The traced JVM's class path and its JDK's modules file (null: none could be copied), copied out (once, while it runs). */
  classpath: { paths: string[]; modules: string | null } | undefined;
  private classpathTried = false;
  /** Where the class path is copied to; undefined when nothing is traced. */
  classpathDir: string | undefined;
  /** The engine stopped answering while the container ran: its `wait` failed and its state could not be read. */
  lost: string | undefined;
  /** Aborted once the container's main process has ended: waits on its emulator end at once. */
  gone = new AbortController();
  /** True from the moment `run` is asked for: the name is known, so removal never depends on `run` having returned. */
  private maybeCreated = false;
  private created = false;
  /** The `run` or `start` in flight: removal waits for it, or the container could appear after the `rm`. */
  private starting: Promise<EngineResult> | undefined;
  private lastStart: EngineResult | undefined;
  private watcher: { cancel(): void } | undefined;
  private removed = false;
  /** A signal went to the container's main process: it is going down, and `cp` waits until it is down. */
  private signalled = false;
  /** When the first and the current run started (epoch ms): the function's output is read from then. */
  private firstStart = 0;
  private runStart = 0;

  constructor(
    private readonly engine: ContainerEngine,
    private readonly spec: RunSpec,
    private readonly server: { crash(reason: string): void },
    private readonly rieMode: boolean,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get wasCreated(): boolean {
    return this.created;
  }

  /** What the agent has written so far, copied out (trace --attribute looks at it after each event). */
  async agentSnapshot(dest: string): Promise<boolean> {
    return (await this.engine.copyOut(this.name, CONTAINER_AGENT_DIR, dest)).code === 0;
  }

  /**
   * While the traced JVM answers: its class path (its command line and CLASSPATH, relative to its
   * working directory, Java's `dir/*` expanded), copied out before the container goes.
   */
  async afterAnswer(): Promise<void> {
    if (this.classpathTried || this.classpathDir === undefined) return;
    this.classpathTried = true;
    const jvm = describedJvm((await this.engine.exec(this.name, ['sh', '-c', DESCRIBE_AGENT_JVMS])).stdout);
    const cp = jvm && javaClasspath(jvm.argv, jvm.env);
    if (jvm === undefined || cp === undefined) return;
    const items: string[] = [];
    for (const item of cp.items.flatMap((i) => i.split(':')).filter((i) => i !== '')) {
      const abs = posix.isAbsolute(item) ? item : posix.join(jvm.cwd, item);
      if (!abs.endsWith('/*')) items.push(abs);
      else {
        const dir = abs.slice(0, -2);
        const ls = await this.engine.exec(this.name, [
          'sh',
          '-c',
          'for f in "$1"/*.jar "$1"/*.JAR; do [ -f "$f" ] && echo "$f"; done; true',
          'sh',
          dir,
        ]);
        items.push(...ls.stdout.split('\n').filter((l) => l !== ''));
      }
    }
    const paths: string[] = [];
    for (const [i, item] of items.entries()) {
      const dest = join(this.classpathDir, `${i}-${posix.basename(item)}`);
      await mkdir(this.classpathDir, { recursive: true });
      if ((await this.engine.copyOut(this.name, item, dest)).code === 0) paths.push(dest);
    }
    // its JDK's classes, for stale entries: the JDK in the image, never this machine's
    const home = jvm.exe === undefined ? undefined : posix.dirname(posix.dirname(jvm.exe));
    const modules = join(this.classpathDir, 'jdk-modules');
    const copied =
      home !== undefined && (await this.engine.copyOut(this.name, `${home}/lib/modules`, modules)).code === 0;
    this.classpath = { paths, modules: copied ? modules : null };
    // listed while the events go on (jimage takes seconds over a full JDK)
    listTracedJdkEarly(this.classpath);
  }

  /** Under the emulator the container outlives the JVM: the output is complete when no agent lock is left. */
  async locksGone(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const r = await this.engine.exec(this.name, ['sh', '-c', LIVE_LOCKS]);
      if (this.exit !== undefined) return;
      // an exec that fails while the container runs is retried (the caller bounds the wait)
      if (r.code === 0 && r.stdout.trim() === '') return;
      await delay(100);
    }
  }

  /** The agent's output is complete: no live lock is left once the JVMs signalled have written, or the container ended. */
  async flushed(): Promise<void> {
    if (this.stopped.length > 0) return this.locksGone();
    if (this.signalled) return this.exited;
  }

  /** The published address of the emulator's port 8080 (every line of `port`, IPv4 preferred). */
  async rieBase(): Promise<string> {
    const { addresses, result } = await this.engine.port(this.name, '8080/tcp');
    const v4 = addresses.find((l) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(l));
    const any = v4 ?? addresses[0];
    if (any === undefined) {
      // docker's `port` on an exited container exits 1 ("No public port"), podman's says nothing
      const s = await this.engine.state(this.name);
      if (this.exit !== undefined || ('status' in s && !s.running)) throw new EngineError(await this.exitedEarly());
      throw new EngineError(
        `the container publishes no port 8080 (${stderrTail(result, 1) || 'port printed nothing'})`,
      );
    }
    const port = any.slice(any.lastIndexOf(':') + 1);
    return v4 ? `http://127.0.0.1:${port}` : `http://[::1]:${port}`;
  }

  /** The container ended before its emulator answered: how it ended, and the end of its log (the emulator's lines too). */
  async exitedEarly(): Promise<string> {
    await Promise.race([this.exited, bound(5000)]);
    if (this.lost !== undefined) return this.why!;
    let code = this.exit?.code;
    if (code === undefined || code === null) {
      const s = await this.engine.state(this.name);
      if ('status' in s) code = s.exitCode;
    }
    const tail = (await this.engine.logs(this.name, 20))
      .map((l) => l.text.trim())
      .filter((l) => l !== '')
      .slice(-6)
      .join(' | ');
    return `the container exited (${code === undefined || code === null ? 'its exit code unknown' : `code ${code}`}) before its emulator answered; ${tail === '' ? 'it logged nothing' : `the end of its log: ${tail}`}`;
  }

  async start(): Promise<void> {
    this.exit = undefined;
    this.maybeCreated = true;
    this.gone = new AbortController();
    this.runStart = Date.now();
    if (this.firstStart === 0) this.firstStart = this.runStart;
    const verb = this.created ? 'start' : 'run';
    const pending = this.created ? this.engine.start(this.name) : this.engine.run(this.spec);
    this.starting = pending;
    let r: EngineResult;
    try {
      r = await pending;
    } finally {
      this.starting = undefined;
    }
    this.created = true;
    this.lastStart = r;
    if (r.code !== 0) {
      this.startFailed = true;
      this.exit = { code: r.code, signal: null };
      this.stderrTail = r.stderr.slice(-4096);
      this.why = `the container did not start: ${stderrTail(r, 1) || `${this.engine.bin} ${verb} exited with ${r.code}`}`;
      this.server.crash(this.why);
      return;
    }
    if (this.removed) {
      // removed while `run` was in flight (Ctrl-C): there is nothing left to watch or drive
      this.startFailed = true;
      this.why = 'the container was removed while it started (the trace was interrupted)';
      this.exit = { code: null, signal: null };
      this.server.crash(this.why);
      return;
    }
    this.watch();
  }

  /** Watches the container with `wait`; when `wait` itself fails, with its state, until the engine stops answering. */
  private watch(): void {
    const waiter = this.engine.wait(this.name);
    let cancelled = false;
    this.watcher = {
      cancel: () => {
        cancelled = true;
        waiter.cancel();
      },
    };
    this.exited = waiter.done.then(async (done) => {
      if (cancelled) return;
      if ('code' in done) return this.ended(done.code);
      // `wait` failed (killed, or the engine went away): that says nothing of the container itself
      const seen = await this.pollState(() => cancelled);
      if (cancelled) return;
      if ('code' in seen) return this.ended(seen.code);
      this.lose(`${done.error}; ${seen.error}`);
    });
  }

  /** Until the container no longer runs, by `inspect`; an error once the engine failed to tell three times running. */
  private async pollState(cancelled: () => boolean): Promise<{ code: number | null } | { error: string }> {
    let failures = 0;
    for (;;) {
      const s = await this.engine.state(this.name);
      if (cancelled()) return { code: null };
      if ('error' in s) {
        if (++failures >= 3) return { error: s.error };
      } else {
        failures = 0;
        if (!s.running) return { code: s.exitCode };
      }
      await delay(500);
    }
  }

  private async ended(code: number | null): Promise<void> {
    this.stderrTail = (await this.output(this.runStart, 60)).join('\n').slice(-4096);
    this.exit = { code, signal: null };
    const how = code === null ? 'its exit code unknown' : `code ${code}`;
    this.gone.abort(new Error(`the container exited (${how})`));
    this.server.crash(`the container exited (${how}) during the invocation`);
  }

  /** The engine stopped answering: nothing can be started or watched, the events left are not sent. */
  private lose(reason: string): void {
    this.lost = reason;
    this.startFailed = true;
    this.why = `${this.engine.bin} stopped answering while the container ran (${reason}), so whether it still runs is not known`;
    this.exit = { code: null, signal: null };
    this.gone.abort(new Error(this.why));
    this.server.crash(this.why);
  }

  /** The function's own last lines of output since `since` (the emulator's lines left out). */
  async output(since: number, count = OUTPUT_LINES): Promise<string[]> {
    // the log driver has a line a moment after the runtime printed it, and the emulator answers at once
    if (this.rieMode) await delay(150);
    const lines = await this.engine.logs(this.name, 500).catch(() => [] as LogLine[]);
    return lines
      .filter((l) => (l.time === 0 || l.time >= since) && telling(l.text) && !(this.rieMode && isEmulatorLine(l)))
      .map((l) => l.text)
      .slice(-count);
  }

  /** Everything the function printed in this container, for messages once it is gone. */
  async allOutput(): Promise<string> {
    return (await this.output(this.firstStart, 60)).join('\n').slice(-4096);
  }

  async terminate(): Promise<void> {
    const r = await this.engine.exec(this.name, ['sh', '-c', TERMINATE_AGENT_JVMS]);
    if (r.code === 0) {
      this.stopped = stoppedIn(r.stdout);
      // no JVM holds a lock: it ended already (after a crash or a timeout nothing is left to write),
      // or it has no agent (invoke); in Runtime API mode the container's main process ends the run
      if (this.stopped.length === 0 && !this.rieMode) await this.signal('TERM');
      return;
    }
    // it ended meanwhile: there is nothing left to stop
    if (this.exit !== undefined) return;
    const why = stderrTail(r, 1) || `exit ${r.code}`;
    if (this.rieMode) {
      // the emulator is process 1: stopping it stops the JVM before the agent can write at exit
      this.warnings.push(
        `the agent's JVM could not be signalled inside the container (${this.engine.bin} exec: ${why}); the container was stopped instead, so only the agent's periodic writes are there`,
      );
    }
    await this.signal('TERM');
  }

  private async signal(sig: 'TERM' | 'KILL'): Promise<void> {
    this.signalled = true;
    await this.engine.signal(this.name, sig);
  }

  async kill(): Promise<void> {
    if (this.exit === undefined) await this.signal('KILL');
  }

  /**
   * Waits (bounded) until the container's state has settled before `cp`: one whose main process
   * was signalled, or ended with the JVM, is waited for until the engine has it down (podman's
   * `cp` into a container being torn down fails: "open /proc/N/ns/mnt").
   */
  async settle(): Promise<void> {
    const goingDown = this.signalled || (!this.rieMode && this.stopped.some((p) => p.pid === 1));
    if (goingDown && this.exit === undefined) await Promise.race([this.exited, bound(15_000)]);
    for (let i = 0; i < 40; i++) {
      const s = await this.engine.state(this.name);
      if ('error' in s || ['running', 'exited', 'stopped', 'created', 'removed', 'dead'].includes(s.status)) return;
      await delay(250);
    }
  }

  /**
   * Removes the container; a `run` still in flight is waited for first (bounded), and a `run`
   * that did not end cleanly is given a moment to create its container after all. Returns the
   * warning when the container could not be removed (also kept in `warnings`).
   */
  async remove(): Promise<string | undefined> {
    this.removed = true;
    let warning: string | undefined;
    if (this.maybeCreated) {
      if (this.starting) await Promise.race([this.starting.catch(() => undefined), bound(60_000)]);
      let r = await this.rm();
      const nothingThere = r.code === 0 && !r.stdout.includes(this.name);
      if (nothingThere && this.lastStart?.code !== 0) {
        // a run killed mid-way (Ctrl-C reaches the engine's CLI too): its daemon may still create the container
        for (let i = 0; i < 4; i++) {
          await delay(250);
          const s = await this.engine.state(this.name);
          if ('status' in s && s.status !== 'removed') {
            r = await this.rm();
            break;
          }
        }
      }
      if (r.code !== 0)
        warning = `the container ${this.name} could not be removed (${stderrTail(r, 1) || `exit ${r.code}`}); remove it with: ${this.engine.bin} rm -f ${this.name}`;
    }
    // `wait` ends with the container; if it is still there, this process must not wait on it
    this.watcher?.cancel();
    if (warning) this.warnings.push(warning);
    return warning;
  }

  /** `rm -f`; a container the engine does not know counts as removed. */
  private async rm(): Promise<EngineResult> {
    const r = await this.engine
      .remove(this.name)
      .catch((e: Error): EngineResult => ({ code: 1, stderr: e.message, stdout: '' }));
    return r.code !== 0 && NO_CONTAINER.test(r.stderr) ? { code: 0, stdout: '', stderr: r.stderr } : r;
  }
}

/** The `run -d` of the traced container. */
function runSpec(
  options: ContainerRunOptions,
  image: { entrypoint: readonly string[]; cmd: readonly string[]; env: Readonly<Record<string, string>> },
  api: string | undefined,
): RunSpec {
  const env: Record<string, string> = {
    ...(api ? { AWS_LAMBDA_RUNTIME_API: api } : {}),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(options.timeoutMs / 1000)),
    ...options.env,
  };
  const mounts: Mount[] = [];
  if (options.agent) {
    const output: AgentOutput = {
      dir: CONTAINER_AGENT_DIR,
      periodSeconds: options.agent.periodSeconds,
      evidence: Boolean(options.agent.evidence),
    };
    const library = options.agent.library;
    const option = agentOption(output, library ? `${AGENT_LIB_DIR}/${basename(library)}` : undefined);
    env.JAVA_TOOL_OPTIONS = appendToolOption(options.env.JAVA_TOOL_OPTIONS ?? image.env.JAVA_TOOL_OPTIONS, option);
    // the library's directory: a GraalVM agent may load libraries beside it
    if (library) mounts.push({ source: dirname(library), target: AGENT_LIB_DIR });
  }
  const rieMode = options.mode === 'rie';
  // an emulator from the host, in front of the image's own entrypoint and command: the file alone is mounted
  const hostRie = rieMode && options.rie !== undefined;
  if (hostRie) mounts.push({ source: options.rie!, target: RIE_PATH });
  return {
    name: `ni-config-trace-${process.pid}-${randomBytes(4).toString('hex')}`,
    image: options.image,
    ...(rieMode ? {} : { network: 'host' as const }),
    publish: rieMode ? ['127.0.0.1::8080'] : [],
    env,
    mounts,
    labels: options.labels ?? {},
    ...(hostRie ? { entrypoint: RIE_PATH } : {}),
    args: hostRie ? [...image.entrypoint, ...image.cmd] : [],
  };
}

/** Runs the image, drives the events, and copies the agent's output out before the container goes. */
export async function runContainer(options: ContainerRunOptions): Promise<RunResult> {
  const engine = options.engine;
  const image = await engine.inspectImage(options.image);
  const rieMode = options.mode === 'rie';
  const server = new RuntimeApiServer();
  const api = rieMode ? undefined : await server.start();
  const fn = new ContainerFunction(engine, runSpec(options, image, api), server, rieMode);
  if (options.agent) fn.classpathDir = join(dirname(options.agent.collectTo), 'classpath');
  const unregister = onInterrupt(async () => void (await fn.remove()));
  let run: RunResult;
  try {
    run = await traceIn(fn, server, options);
  } catch (e) {
    unregister();
    const left = await fn.remove();
    await server.close();
    throw left === undefined ? e : withWarning(e, left);
  }
  unregister();
  // run.warnings is fn.warnings: a removal that fails is reported with the rest
  await fn.remove();
  await server.close();
  return run;
}

/** An error with what else went wrong on the way out, so that the command that cleans up is not lost. */
function withWarning(e: unknown, warning: string): unknown {
  if (e instanceof EngineError)
    return new EngineError(`${e.message}; also, ${warning}`, e.argv, e.exitCode, e.stderrTail, {
      cause: e,
      warnings: [...e.warnings, warning],
    });
  if (e instanceof Error) e.message = `${e.message}; also, ${warning}`;
  return e;
}

async function traceIn(
  fn: ContainerFunction,
  server: RuntimeApiServer,
  options: ContainerRunOptions,
): Promise<RunResult> {
  const engine = options.engine;
  const rieMode = options.mode === 'rie';
  let invoker: Invoker = server;
  if (rieMode) {
    await fn.start();
    if (fn.startFailed)
      throw new EngineError(
        fn.why ?? 'the container did not start',
        [engine.bin, 'run'],
        fn.exit?.code ?? null,
        fn.stderrTail,
      );
    const base = await fn.rieBase();
    try {
      await waitForRie(base, 60_000, fn.gone.signal);
    } catch (e) {
      throw new EngineError(e instanceof EmulatorGone ? await fn.exitedEarly() : (e as Error).message);
    }
    invoker = new RieClient(base, fn.gone.signal);
  }
  const run = await drive(invoker, rieMode ? wrapStarted(fn) : fn, options);
  let staleLocks: string[] = [];
  if (options.agent !== undefined && fn.wasCreated && (!fn.startFailed || fn.lost !== undefined)) {
    // copied out after the JVM ended: owned by us, no SELinux relabelling, no half-written state
    await fn.settle();
    let cp = await engine.copyOut(fn.name, CONTAINER_AGENT_DIR, options.agent.collectTo);
    if (cp.code !== 0 && !noOutputDir(cp)) {
      // once more, after a moment: a container being torn down refuses it
      await delay(1000);
      await fn.settle();
      cp = await engine.copyOut(fn.name, CONTAINER_AGENT_DIR, options.agent.collectTo);
    }
    // no output directory at all is the agent's failure, reported with the JVM's own words later;
    // any other failure of cp is the engine's, never "the agent wrote nothing"
    if (cp.code !== 0 && !noOutputDir(cp)) {
      const e = engineFailure(engine.bin, ['cp'], "copying the agent's output out of the container", cp);
      throw fn.lost === undefined ? e : new EngineError(`${fn.why}; ${e.message}`, e.argv, e.exitCode, e.stderrTail);
    }
    if (cp.code === 0) staleLocks = await waitForLocks(options.agent.collectTo, 0, false);
    if (fn.lost !== undefined) fn.warnings.push(fn.why!);
  } else if (fn.lost !== undefined) {
    throw new EngineError(fn.why!);
  }
  const stderrTail = rieMode || run.stderrTail === '' ? await fn.allOutput() : run.stderrTail;
  // the same array: remove() may still add to it
  return {
    ...run,
    flushMs: Date.now() - run.answered,
    staleLocks,
    stderrTail,
    warnings: fn.warnings,
    ...(fn.stopped.length > 0 ? { stopped: fn.stopped } : {}),
    ...(fn.startFailed && fn.lost === undefined && fn.why ? { startFailure: fn.why } : {}),
    ...(fn.classpath ? { classpath: fn.classpath } : {}),
  };
}

/** The emulator restarts the runtime itself; the container is already started once driving begins. */
function wrapStarted(fn: ContainerFunction): FunctionRuntime {
  return {
    start: async () => undefined,
    get exited() {
      return fn.exited;
    },
    get exit() {
      return fn.exit;
    },
    get startFailed() {
      return fn.startFailed;
    },
    get why() {
      return fn.why;
    },
    terminate: () => fn.terminate(),
    kill: () => fn.kill(),
    get stderrTail() {
      return fn.stderrTail;
    },
    flushed: () => fn.flushed(),
    afterAnswer: () => fn.afterAnswer(),
    output: (since) => fn.output(since),
    agentSnapshot: (dest) => fn.agentSnapshot(dest),
    restartsItself: true,
  };
}
