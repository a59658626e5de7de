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
}

export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

export async function runLocal(options: LocalRunOptions, signal?: AbortSignal): Promise<LocalRunResult> {
  const server = new RuntimeApiServer();
  const api = await server.start();
  const toolOptions = [options.env.JAVA_TOOL_OPTIONS, options.agentOption].filter((x) => x !== undefined && x !== '').join(' ');
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    AWS_LAMBDA_RUNTIME_API: api,
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(options.timeoutMs / 1000)),
    ...(toolOptions ? { JAVA_TOOL_OPTIONS: toolOptions } : {}),
  };
  let child: ChildProcess | undefined;
  let stderrTail = '';
  let exit: LocalRunResult['exit'];
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  let startFailed = false;
  const start = (): void => {
    starts++;
    exit = undefined;
    const proc = spawn(options.argv[0]!, options.argv.slice(1), { cwd: options.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    exited = new Promise<void>((resolve) => {
      proc.stderr!.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString('utf8')).slice(-4096)));
      proc.on('error', (e) => {
        stderrTail += `\n${e.message}`;
        startFailed = true;
        exit = { code: null, signal: null };
        server.crash(`the command could not start: ${e.message}`);
        resolve();
      });
      proc.on('exit', (code, sig) => {
        exit = { code, signal: sig };
        server.crash(`the process exited (${sig ?? `code ${code}`}) during the invocation`);
        resolve();
      });
    });
  };
  // Ctrl-C or SIGTERM of ni-config itself: the function's process must not outlive it.
  const unregister = onInterrupt(() => void child?.kill('SIGKILL'));
  const abort = (): void => void child?.kill('SIGTERM');
  signal?.addEventListener('abort', abort);
  start();
  const results: { event: string; result: InvocationResult }[] = [];
  try {
    for (const e of options.events) {
      // Like Lambda, a runtime that crashed or timed out is started afresh for the next event
      // (a new JVM, so a new agent run directory); an init failure or a start failure is final.
      if (exit !== undefined && !startFailed && server.initFailure === undefined && starts <= options.events.length) {
        await exited;
        start();
      }
      if (signal?.aborted || exit !== undefined) {
        results.push({ event: e.name, result: { requestId: '', status: 'crash', durationMs: 0, body: server.initFailure ? 'the function failed to initialise' : 'the process is no longer running' } });
        continue;
      }
      const result = await server.invoke(e.body, options.timeoutMs);
      results.push({ event: e.name, result });
      options.onProgress?.(results.length, options.events.length, e.name, result);
      if (result.status === 'timeout') {
        child!.kill('SIGKILL');
        await exited;
      }
      if (result.status === 'crash') await exited;
    }
    const answered = Date.now();
    // End the JVM itself so that the agent's exit-time write runs, then wait for its locks.
    if (exit === undefined) child!.kill('SIGTERM');
    const flushTimeout = options.flushTimeoutMs ?? 30_000;
    await Promise.race([exited, delay(flushTimeout)]);
    if (exit === undefined) {
      child!.kill('SIGKILL');
      await exited;
    }
    const staleLocks = options.agentDir ? await waitForLocks(options.agentDir, Math.max(0, flushTimeout - (Date.now() - answered))) : [];
    return { results, initError: server.initFailure, exit, flushMs: Date.now() - answered, staleLocks, stderrTail };
  } finally {
    signal?.removeEventListener('abort', abort);
    unregister();
    if (exit === undefined) child?.kill('SIGKILL');
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
export async function waitForLocks(dir: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live: string[] = [];
    const stale: string[] = [];
    for (const run of await readdir(dir).catch(() => [] as string[])) {
      const lock = join(dir, run, '.lock');
      const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (!(await access(lock).then(() => true, () => false))) continue;
      (Number.isInteger(pid) && pid > 0 && alive(pid) ? live : stale).push(lock);
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
