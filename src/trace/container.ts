/**
 * `trace --container IMAGE` in Runtime API mode: the image runs as it is (its ENTRYPOINT and
 * CMD kept) on the host network with AWS_LAMBDA_RUNTIME_API pointing at ni-config's server, the
 * agent option appended to the image's JAVA_TOOL_OPTIONS, and a host agent library mounted
 * read-only when one is given. At the end the JVM inside gets SIGTERM (via exec), the agent's
 * output is copied out with `cp`, and the container is removed — whatever happened.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { onInterrupt } from '../io/cleanup.js';
import { EngineError, engineFailure, engineRun, inspectImage, type Engine } from './engine.js';
import { drive, waitForLocks, type FunctionRuntime, type Invoker, type LocalRunResult } from './local.js';
import { invokeRie, waitForRie } from './rie.js';
import { RuntimeApiServer } from './runtime-api.js';
import type { TraceEvent } from './events.js';

export interface ContainerRunOptions {
  readonly engine: Engine;
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
  /** Host path of an agent library to mount and load with -agentpath; else -agentlib:native-image-agent. */
  readonly agentPath?: string;
  /** Agent options after `=`, with the container-side output directory. */
  readonly agentOptions?: string;
  /** Host directory the agent's output is copied to. */
  readonly collectTo?: string;
  readonly flushTimeoutMs?: number;
  readonly onProgress?: Parameters<typeof drive>[2]['onProgress'];
}

/** Where the agent writes inside the container. */
export const CONTAINER_AGENT_DIR = '/tmp/ni-config-agent';

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

class ContainerFunction implements FunctionRuntime {
  exited: Promise<void> = Promise.resolve();
  exit: FunctionRuntime['exit'];
  startFailed = false;
  stderrTail = '';
  readonly warnings: string[] = [];
  private created = false;
  private waiter: ReturnType<typeof spawn> | undefined;

  constructor(
    private readonly engine: Engine,
    readonly name: string,
    private readonly runArgs: readonly string[],
    private readonly server: { crash(reason: string): void },
    private readonly rieMode: boolean,
  ) {
    if (!rieMode) this.flushed = undefined;
  }

  /** Under the emulator the container outlives the JVM: the output is complete when no agent lock is left. */
  flushed?: () => Promise<void> = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      // locks whose JVM still runs; one left by a JVM that crashed or was killed never goes
      const live = `for l in ${CONTAINER_AGENT_DIR}/*/.lock; do [ -f "$l" ] && kill -0 "$(cat "$l")" 2>/dev/null && echo "$l"; done; true`;
      const r = await engineRun(this.engine, ['exec', this.name, 'sh', '-c', live]);
      if (this.exit !== undefined) return;
      // an exec that fails while the container runs is retried (the caller bounds the wait)
      if (r.code === 0 && r.stdout.trim() === '') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  /** The published address of the emulator's port 8080 (all lines of `port`, IPv4 preferred). */
  async rieBase(): Promise<string> {
    const out = await engineRun(this.engine, ['port', this.name, '8080/tcp']);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const v4 = lines.find((l) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(l));
    const any = v4 ?? lines[0];
    if (any === undefined) throw new EngineError(`the container publishes no port 8080 (${out.stderr.trim()})`);
    const port = any.slice(any.lastIndexOf(':') + 1);
    return v4 ? `http://127.0.0.1:${port}` : `http://[::1]:${port}`;
  }

  async start(): Promise<void> {
    this.exit = undefined;
    const r = this.created
      ? await engineRun(this.engine, ['start', this.name])
      : await engineRun(this.engine, ['run', '-d', '--name', this.name, ...this.runArgs]);
    this.created = true;
    if (r.code !== 0) {
      this.startFailed = true;
      this.exit = { code: r.code, signal: null };
      this.stderrTail = r.stderr.slice(-4096);
      this.server.crash(`the container did not start: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
      return;
    }
    // `wait` returns when the container's main process ends
    this.exited = new Promise<void>((resolve) => {
      const w = spawn(this.engine.bin, ['wait', this.name], { stdio: ['ignore', 'pipe', 'ignore'] });
      this.waiter = w;
      let out = '';
      w.stdout.on('data', (d: Buffer) => (out += d.toString()));
      w.on('close', () => {
        void engineRun(this.engine, ['logs', '--tail', '30', this.name]).then((logs) => {
          this.stderrTail = (logs.stdout + logs.stderr).slice(-4096);
          this.exit = { code: Number.parseInt(out.trim(), 10) || 0, signal: null };
          this.server.crash(`the container exited (code ${out.trim() || '?'}) during the invocation`);
          resolve();
        });
      });
    });
  }

  async terminate(): Promise<void> {
    const r = await engineRun(this.engine, [
      'exec',
      this.name,
      'sh',
      '-c',
      this.rieMode ? TERMINATE_JAVA_NOT_INIT : TERMINATE_JAVA,
    ]);
    if (r.code === 0) return;
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`;
    if (this.rieMode) {
      // the emulator is process 1: stopping it stops the JVM before the agent can write at exit
      this.warnings.push(
        `the JVM could not be signalled inside the container (${this.engine.bin} exec: ${why}); the container was stopped instead, so only the agent's periodic writes are there`,
      );
    }
    await engineRun(this.engine, ['kill', '--signal', 'TERM', this.name]);
  }

  async kill(): Promise<void> {
    if (this.exit === undefined) await engineRun(this.engine, ['kill', this.name]);
  }

  async remove(): Promise<void> {
    if (this.created) {
      const r = await engineRun(this.engine, ['rm', '-f', this.name]).catch((e: Error) => ({
        code: 1,
        stderr: e.message,
        stdout: '',
      }));
      if (r.code !== 0)
        this.warnings.push(
          `the container ${this.name} could not be removed (${r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`}); remove it with: ${this.engine.bin} rm -f ${this.name}`,
        );
    }
    // `wait` ends with the container; if it is still there, this process must not wait on it
    this.waiter?.kill();
  }
}

export async function runContainer(options: ContainerRunOptions): Promise<LocalRunResult> {
  const image = await inspectImage(options.engine, options.image);
  const rieMode = options.mode === 'rie';
  const server = new RuntimeApiServer();
  const api = rieMode ? undefined : await server.start();
  const env: Record<string, string> = {
    ...(api ? { AWS_LAMBDA_RUNTIME_API: api } : {}),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(options.timeoutMs / 1000)),
    ...options.env,
  };
  const runArgs: string[] = rieMode ? ['-p', '127.0.0.1::8080'] : ['--network', 'host'];
  if (options.agentOptions !== undefined) {
    const agent = options.agentPath
      ? `-agentpath:/ni-config-agent-lib/${basename(options.agentPath)}=${options.agentOptions}`
      : `-agentlib:native-image-agent=${options.agentOptions}`;
    // appended to, not instead of, what the image sets
    env.JAVA_TOOL_OPTIONS = [options.env.JAVA_TOOL_OPTIONS ?? image.env.JAVA_TOOL_OPTIONS, agent]
      .filter((x) => x)
      .join(' ');
    if (options.agentPath) runArgs.push('-v', `${dirname(options.agentPath)}:/ni-config-agent-lib:ro`);
  }
  for (const [k, v] of Object.entries(env)) runArgs.push('-e', `${k}=${v}`);
  if (rieMode && options.rie !== undefined) {
    // an emulator from the host, in front of the image's own entrypoint and command
    runArgs.push(
      '-v',
      `${dirname(options.rie)}:/ni-config-rie:ro`,
      '--entrypoint',
      `/ni-config-rie/${basename(options.rie)}`,
      options.image,
      ...image.entrypoint,
      ...image.cmd,
    );
  } else {
    runArgs.push(options.image);
  }
  const name = `ni-config-trace-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fn = new ContainerFunction(options.engine, name, runArgs, server, rieMode);
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
    if (options.collectTo !== undefined && !fn.startFailed) {
      // copied out after the JVM ended: owned by us, no SELinux relabelling, no half-written state
      const cp = await engineRun(options.engine, ['cp', `${name}:${CONTAINER_AGENT_DIR}`, options.collectTo]);
      // no output directory at all is the agent's failure, reported with the JVM's own words later
      if (cp.code !== 0 && !/no such file|could not find|not found/i.test(cp.stderr))
        throw engineFailure(options.engine, ['cp'], "copying the agent's output out of the container", cp);
      if (cp.code === 0) staleLocks = await waitForLocks(options.collectTo, 0, false);
    }
    // the same array: remove() below may still add to it
    return { ...run, flushMs: Date.now() - run.answered, staleLocks, warnings: fn.warnings };
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
    flushed: () => fn.flushed!(),
    restartsItself: true,
  };
}
