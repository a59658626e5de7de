/**
 * `trace --container IMAGE`: the image runs as it is (its ENTRYPOINT and CMD kept), with the
 * agent option appended to the image's JAVA_TOOL_OPTIONS and a host agent library mounted
 * read-only when one is given. In RIE mode events go through the emulator in the image (or one
 * from the host mounted over the entrypoint), published on 127.0.0.1; in Runtime API mode
 * ni-config serves the Runtime API itself and the container runs on the host network. At the
 * end the JVM inside gets SIGTERM (via exec), the agent's output is copied out, and the
 * container is removed — whatever happened. Every engine command goes through a
 * {@link ContainerEngine}.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { javaClasspath } from '../io/classpath.js';
import { EngineError } from '../errors.js';
import { onInterrupt } from '../io/cleanup.js';
import { agentOption, appendToolOption, waitForLocks, type AgentOutput } from './agent.js';
import { drive, type FunctionRuntime, type Invoker, type OnEvent, type RunResult } from './drive.js';
import { engineFailure, stderrTail } from './engines/cli-engine.js';
import type { ContainerEngine, Mount, RunSpec, Waiter } from './engines/engine.js';
import type { TraceEvent } from './events.js';
import { invokeRie, waitForRie } from './rie.js';
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
}

/** Where the agent writes inside the container. */
export const CONTAINER_AGENT_DIR = '/tmp/ni-config-agent';
const AGENT_LIB_DIR = '/ni-config-agent-lib';
const RIE_PATH = '/ni-config-rie/aws-lambda-rie';

// Signals the JVM itself, not an init process or emulator in front of it: every process whose
// command line names java gets SIGTERM. busybox and every base image's sh can run this. The shell
// running the loop names java too (in this very text): it skips itself, or it could signal itself
// before reaching the JVM (/proc is walked in lexical order, so pid 105 comes before pid 28).
// It fails when it signalled no JVM, and the caller then signals the container.
function terminateJava(skip: string): string {
  return `n=0; for p in /proc/[0-9]*; do case "\${p#/proc/}" in ${skip}) continue;; esac; c=$(tr '\\000' ' ' < "$p/cmdline" 2>/dev/null); case "$c" in *java*) kill -TERM "\${p#/proc/}" && n=1;; esac; done; [ $n = 1 ]`;
}
export const TERMINATE_JAVA = terminateJava('$$');
// Under the emulator, process 1 is the emulator: it must live on until the output is copied
// (and when it is itself a JVM, as the tests' stand-in is, it must not get the signal).
export const TERMINATE_JAVA_NOT_INIT = terminateJava('1|$$');

// For each JVM that holds an agent lock: its pid, working directory, command line and CLASSPATH.
const DESCRIBE_AGENT_JVMS = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] || continue; p=$(cat "$l"); [ -d "/proc/$p" ] || continue; echo "@@pid $p"; echo "@@cwd $(readlink "/proc/$p/cwd")"; echo "@@argv"; tr '\\000' '\\n' < "/proc/$p/cmdline"; echo "@@env"; tr '\\000' '\\n' < "/proc/$p/environ" | grep '^CLASSPATH='; echo "@@end"; done; true`;

/** The first JVM described by {@link DESCRIBE_AGENT_JVMS}. */
function describedJvm(out: string): { cwd: string; argv: string[]; env: Record<string, string> } | undefined {
  const block = /@@pid \d+\n@@cwd (.*)\n@@argv\n([\s\S]*?)@@env\n([\s\S]*?)@@end/.exec(out);
  if (!block) return undefined;
  const argv = block[2]!.split('\n').filter((a) => a !== '');
  const env: Record<string, string> = {};
  for (const line of block[3]!.split('\n')) if (line.startsWith('CLASSPATH=')) env.CLASSPATH = line.slice(10);
  return { cwd: block[1]!, argv, env };
}

class ContainerFunction implements FunctionRuntime {
  exited: Promise<void> = Promise.resolve();
  exit: FunctionRuntime['exit'];
  startFailed = false;
  stderrTail = '';
  readonly warnings: string[] = [];
  /** The traced JVM's class path, copied out (once, while it runs). */
  classpath: { paths: string[]; java: string } | undefined;
  private classpathTried = false;
  /** Where the class path is copied to; undefined when nothing is traced. */
  classpathDir: string | undefined;
  /** True from the moment `run` is asked for: the name is known, so removal never depends on `run` having returned. */
  private maybeCreated = false;
  private created = false;
  private waiter: Waiter | undefined;

  constructor(
    private readonly engine: ContainerEngine,
    private readonly spec: RunSpec,
    private readonly server: { crash(reason: string): void },
    private readonly rieMode: boolean,
  ) {}

  get name(): string {
    return this.spec.name;
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
    this.classpath = { paths, java: jvm.argv[0] ?? 'java' };
  }

  /** Under the emulator the container outlives the JVM: the output is complete when no agent lock is left. */
  async locksGone(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      // locks whose JVM still runs; one left by a JVM that crashed or was killed never goes
      const live = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] && kill -0 "$(cat "$l")" 2>/dev/null && echo "$l"; done; true`;
      const r = await this.engine.exec(this.name, ['sh', '-c', live]);
      if (this.exit !== undefined) return;
      // an exec that fails while the container runs is retried (the caller bounds the wait)
      if (r.code === 0 && r.stdout.trim() === '') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The published address of the emulator's port 8080 (every line of `port`, IPv4 preferred). */
  async rieBase(): Promise<string> {
    const { addresses, result } = await this.engine.port(this.name, '8080/tcp');
    const v4 = addresses.find((l) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(l));
    const any = v4 ?? addresses[0];
    if (any === undefined) throw new EngineError(`the container publishes no port 8080 (${result.stderr.trim()})`);
    const port = any.slice(any.lastIndexOf(':') + 1);
    return v4 ? `http://127.0.0.1:${port}` : `http://[::1]:${port}`;
  }

  async start(): Promise<void> {
    this.exit = undefined;
    this.maybeCreated = true;
    const r = this.created ? await this.engine.start(this.name) : await this.engine.run(this.spec);
    this.created = true;
    if (r.code !== 0) {
      this.startFailed = true;
      this.exit = { code: r.code, signal: null };
      this.stderrTail = r.stderr.slice(-4096);
      this.server.crash(`the container did not start: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
      return;
    }
    // `wait` returns when the container's main process ends
    const waiter = this.engine.wait(this.name);
    this.waiter = waiter;
    this.exited = waiter.done.then(async (done) => {
      this.stderrTail = (await this.engine.logs(this.name, 30)).slice(-4096);
      if ('code' in done) {
        this.exit = { code: done.code, signal: null };
        this.server.crash(`the container exited (code ${done.code}) during the invocation`);
      } else {
        this.exit = { code: null, signal: null };
        this.server.crash(`the container could not be watched (${done.error})`);
      }
    });
  }

  async terminate(): Promise<void> {
    const r = await this.engine.exec(this.name, ['sh', '-c', this.rieMode ? TERMINATE_JAVA_NOT_INIT : TERMINATE_JAVA]);
    if (r.code === 0) return;
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`;
    if (this.rieMode) {
      // the emulator is process 1: stopping it stops the JVM before the agent can write at exit
      this.warnings.push(
        `the JVM could not be signalled inside the container (${this.engine.bin} exec: ${why}); the container was stopped instead, so only the agent's periodic writes are there`,
      );
    }
    await this.engine.signal(this.name, 'TERM');
  }

  async kill(): Promise<void> {
    if (this.exit === undefined) await this.engine.signal(this.name, 'KILL');
  }

  async remove(): Promise<void> {
    if (this.maybeCreated) {
      const r = await this.engine.remove(this.name).catch((e: Error) => ({ code: 1, stderr: e.message, stdout: '' }));
      const gone = /no such container|no container with name/i.test(r.stderr);
      if (r.code !== 0 && !(gone && !this.created))
        this.warnings.push(
          `the container ${this.name} could not be removed (${stderrTail(r, 1) || `exit ${r.code}`}); remove it with: ${this.engine.bin} rm -f ${this.name}`,
        );
    }
    // `wait` ends with the container; if it is still there, this process must not wait on it
    this.waiter?.cancel();
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
  const unregister = onInterrupt(() => fn.remove());
  try {
    let invoker: Invoker = server;
    if (rieMode) {
      await fn.start();
      if (fn.startFailed)
        throw new EngineError(`the container did not start: ${fn.stderrTail.trim().split('\n').at(-1) ?? ''}`);
      const base = await fn.rieBase();
      await waitForRie(base, 60_000).catch((e: Error) => {
        throw new EngineError(e.message);
      });
      invoker = { invoke: (event, timeoutMs) => invokeRie(base, event, timeoutMs), initFailure: undefined };
    }
    const run = await drive(invoker, rieMode ? wrapStarted(fn) : fn, options);
    let staleLocks: string[] = [];
    if (options.agent !== undefined && !fn.startFailed) {
      // copied out after the JVM ended: owned by us, no SELinux relabelling, no half-written state
      const cp = await engine.copyOut(fn.name, CONTAINER_AGENT_DIR, options.agent.collectTo);
      // no output directory at all is the agent's failure, reported with the JVM's own words later
      if (cp.code !== 0 && !/no such file|could not find|not found/i.test(cp.stderr))
        throw engineFailure(engine.bin, ['cp'], "copying the agent's output out of the container", cp);
      if (cp.code === 0) staleLocks = await waitForLocks(options.agent.collectTo, 0, false);
    }
    // the same array: remove() below may still add to it
    return {
      ...run,
      flushMs: Date.now() - run.answered,
      staleLocks,
      warnings: fn.warnings,
      ...(fn.classpath ? { classpath: fn.classpath } : {}),
    };
  } finally {
    unregister();
    await fn.remove();
    await server.close();
  }
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
    terminate: () => fn.terminate(),
    kill: () => fn.kill(),
    get stderrTail() {
      return fn.stderrTail;
    },
    flushed: () => fn.locksGone(),
    afterAnswer: () => fn.afterAnswer(),
    restartsItself: true,
  };
}
