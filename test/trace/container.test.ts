/**
 * The container flow in-process, over a {@link ContainerEngine} of the test's own: a "container"
 * is a local process (the stand-in runtime of test/cli/fixtures) whose file system root for the
 * agent's output is a temp directory. Shows what trace asks of an engine, in which order, and
 * what it makes of each engine failure; the real engines are tested end to end in test/e2e.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { CONTAINER_AGENT_DIR, runContainer } from '../../src/trace/container.js';
import type {
  ContainerEngine,
  ContainerState,
  EngineResult,
  ImageConfig,
  LogLine,
  RunSpec,
  Waiter,
} from '../../src/trace/engines/engine.js';
import { REPO } from '../helpers.js';

const FAKE = join(REPO, 'test', 'cli', 'fixtures', 'fake-runtime.mjs');
const AGENT_OUTPUT = join(REPO, 'examples', 'hello-clojure', 'agent-output', 'run-1');
const OK: EngineResult = { stdout: '', stderr: '', code: 0 };

/** An engine whose containers are local processes; every call is recorded. */
class ProcessEngine implements ContainerEngine {
  readonly name = 'podman' as const;
  readonly bin = 'fake-engine';
  readonly calls: string[] = [];
  readonly specs: RunSpec[] = [];
  private proc: ChildProcess | undefined;
  private exited: Promise<number> = Promise.resolve(0);
  /** Results to give instead of the real behaviour, by method: always, or (a list) one per call, then the real behaviour. */
  readonly fail: Partial<Record<'copyOut' | 'remove' | 'run', EngineResult | EngineResult[]>> = {};
  /** `wait` fails at once with this, and `inspect` too when `stateFails`. */
  waitFails: string | undefined;
  stateFails: string | undefined;
  /** `run` takes this long to return (the container exists from the start). */
  runDelayMs = 0;
  /** What the "container" printed: its log. */
  readonly log: LogLine[] = [];
  private removed = false;

  constructor(private readonly root: string) {}

  async inspectImage(image: string): Promise<ImageConfig> {
    this.calls.push(`inspect ${image}`);
    return { entrypoint: ['/lambda-bootstrap.sh'], cmd: [], env: { JAVA_TOOL_OPTIONS: '-Xshare:auto' } };
  }

  private failure(method: 'copyOut' | 'remove' | 'run'): EngineResult | undefined {
    const f = this.fail[method];
    return Array.isArray(f) ? f.shift() : f;
  }

  async run(spec: RunSpec): Promise<EngineResult> {
    this.calls.push(`run ${spec.name}`);
    this.specs.push(spec);
    const failed = this.failure('run');
    if (failed) return failed;
    // the container's /tmp/ni-config-agent is this engine's root
    const env = { ...process.env, ...spec.env };
    const options = spec.env.JAVA_TOOL_OPTIONS;
    if (options !== undefined) env.JAVA_TOOL_OPTIONS = options.replace(CONTAINER_AGENT_DIR, this.root);
    const proc = spawn(process.execPath, [FAKE, AGENT_OUTPUT], { env, stdio: 'ignore' });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? 137 : 0))));
    if (this.runDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.runDelayMs));
    this.calls.push(`run returned`);
    return OK;
  }

  async start(name: string): Promise<EngineResult> {
    this.calls.push(`start ${name}`);
    return OK;
  }

  async port(): Promise<{ addresses: string[]; result: EngineResult }> {
    return { addresses: [], result: OK };
  }

  async exec(name: string, argv: readonly string[]): Promise<EngineResult> {
    const script = argv.at(-1) ?? '';
    const what = script.includes('kill -TERM')
      ? 'terminate'
      : script.includes('@@argv')
        ? 'describe'
        : script.includes('kill -0')
          ? 'locks'
          : argv[0];
    this.calls.push(`exec ${name} ${what}`);
    // the SIGTERM script: the JVM is the one process, and it holds the lock
    if (what === 'terminate' && this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      return { ...OK, stdout: `@@stopped ${this.proc.pid} node fake-runtime.mjs\n` };
    }
    return OK;
  }

  wait(name: string): Waiter {
    this.calls.push(`wait ${name}`);
    if (this.waitFails !== undefined)
      return { done: Promise.resolve({ error: this.waitFails }), cancel: () => undefined };
    return { done: this.exited.then((code) => ({ code })), cancel: () => undefined };
  }

  async logs(): Promise<readonly LogLine[]> {
    return this.log;
  }

  async signal(name: string, signal: 'TERM' | 'KILL'): Promise<EngineResult> {
    this.calls.push(`signal ${name} ${signal}`);
    this.proc?.kill(`SIG${signal}`);
    return OK;
  }

  async copyOut(name: string, path: string, dest: string): Promise<EngineResult> {
    this.calls.push(`cp ${name}:${path}`);
    const failed = this.failure('copyOut');
    if (failed) return failed;
    cpSync(this.root, dest, { recursive: true });
    return OK;
  }

  async remove(name: string): Promise<EngineResult> {
    this.calls.push(`rm ${name}`);
    const failed = this.failure('remove');
    if (failed) return failed;
    this.proc?.kill('SIGKILL');
    this.removed = true;
    return { ...OK, stdout: `${name}\n` };
  }

  async state(): Promise<ContainerState | { error: string }> {
    if (this.stateFails !== undefined) return { error: this.stateFails };
    if (this.removed || this.proc === undefined) return { status: 'removed', running: false, exitCode: null };
    const code = this.proc.exitCode ?? (this.proc.signalCode ? 137 : null);
    return code === null
      ? { status: 'running', running: true, exitCode: 0 }
      : { status: 'exited', running: false, exitCode: code };
  }
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ni-config-test-'));
  mkdirSync(join(work, 'root'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const events = [{ name: 'one', body: '{}' }];
/** The function traced in Runtime API mode over `engine`, with the agent writing every two seconds. */
const tracedIn = (engine: ContainerEngine, evs = events) =>
  runContainer({
    engine,
    mode: 'runtime-api',
    image: 'fn',
    events: evs,
    timeoutMs: 10_000,
    env: {},
    agent: { periodSeconds: 2, collectTo: join(work, 'out') },
  });

describe('runContainer over a ContainerEngine', () => {
  it('runs the image with the agent option and labels, drives the events, copies the output out and removes the container', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    const run = await runContainer({
      engine,
      mode: 'runtime-api',
      image: 'fn:latest',
      events,
      timeoutMs: 10_000,
      env: { STAGE: 'test' },
      labels: { 'ni-config-test-run': 'x' },
      agent: { periodSeconds: 3, library: '/opt/graal/lib/libnative-image-agent.so', collectTo: join(work, 'out') },
    });
    expect(run.results.map((r) => r.result.status)).toEqual(['success']);
    const spec = engine.specs[0]!;
    expect(spec.network).toBe('host');
    expect(spec.labels).toEqual({ 'ni-config-test-run': 'x' });
    expect(spec.mounts).toEqual([{ source: '/opt/graal/lib', target: '/ni-config-agent-lib' }]);
    expect(spec.env.STAGE).toBe('test');
    // appended to what the image sets
    expect(spec.env.JAVA_TOOL_OPTIONS).toBe(
      `-Xshare:auto -agentpath:/ni-config-agent-lib/libnative-image-agent.so=config-output-dir=${CONTAINER_AGENT_DIR}/run-{pid}-{datetime},config-write-period-secs=3`,
    );
    // after the first answer the JVM's class path is asked for; at the end the JVM that holds the
    // lock is signalled, and the output copied out once no live lock is left
    expect(engine.calls.map((c) => c.replace(/ ni-config-trace-\S+/, ''))).toEqual([
      'inspect fn:latest',
      'run',
      'run returned',
      'wait',
      'exec describe',
      'exec terminate',
      'exec locks',
      'cp',
      'rm',
    ]);
    expect(run.stopped).toEqual([{ pid: expect.any(Number), command: 'node fake-runtime.mjs' }]);
    const copied = join(work, 'out');
    expect(existsSync(copied)).toBe(true);
    expect(readFileSync(join(copied, readdirSync(copied)[0]!, 'reflect-config.json'), 'utf8').length).toBeGreaterThan(
      0,
    );
  });

  it('says what a failed cp was, and never reads it as "the agent wrote nothing"', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.copyOut = { stdout: '', stderr: 'Error: open /proc/42/ns/mnt: no such process', code: 125 };
    await expect(tracedIn(engine)).rejects.toThrow(
      /copying the agent's output out of the container failed: fake-engine cp exited with 125/,
    );
    expect(engine.calls.at(-1)).toMatch(/^rm /);
  });

  it('carries a failed removal into its warnings, with the command that removes the container', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.remove = { stdout: '', stderr: 'Error: engine is gone', code: 125 };
    const run = await runContainer({ engine, mode: 'runtime-api', image: 'fn', events, timeoutMs: 10_000, env: {} });
    expect(run.warnings.join('\n')).toMatch(
      /could not be removed \(Error: engine is gone\); remove it with: fake-engine rm -f ni-config-trace-/,
    );
  });

  it('removes the container even when run -d itself failed', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.run = { stdout: '', stderr: 'Error: interrupted', code: 130 };
    const run = await runContainer({ engine, mode: 'runtime-api', image: 'fn', events, timeoutMs: 10_000, env: {} });
    expect(run.results.map((r) => r.result.status)).toEqual(['crash']);
    expect(engine.calls.filter((c) => c.startsWith('rm '))).toHaveLength(1);
  });

  it('when cp fails and rm fails too, the error carries the command that removes the container', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.copyOut = { stdout: '', stderr: 'Error: engine is gone', code: 125 };
    engine.fail.remove = { stdout: '', stderr: 'Error: engine is gone', code: 125 };
    const e = await tracedIn(engine).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(EngineError);
    const name = engine.specs[0]!.name;
    expect((e as EngineError).message).toMatch(/copying the agent's output out of the container failed/);
    expect((e as EngineError).message).toContain(`remove it with: fake-engine rm -f ${name}`);
    expect((e as EngineError).json().warnings).toEqual([expect.stringContaining(`fake-engine rm -f ${name}`)]);
  });

  it('retries cp once the container has settled: a cp refused while it is torn down is not "no output"', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.copyOut = [
      { stdout: '', stderr: 'Error: open /proc/4242/ns/mnt: no such file or directory', code: 125 },
    ];
    const run = await tracedIn(engine);
    expect(engine.calls.filter((c) => c.startsWith('cp '))).toHaveLength(2);
    expect(run.results.map((r) => r.result.status)).toEqual(['success']);
    expect(existsSync(join(work, 'out'))).toBe(true);
  });

  it('waits for a run still in flight before removing (Ctrl-C during run -d), so the container cannot appear after the rm', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.runDelayMs = 800;
    const { runCleanups } = await import('../../src/io/cleanup.js');
    const running = runContainer({ engine, mode: 'runtime-api', image: 'fn', events, timeoutMs: 10_000, env: {} });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(engine.calls.map((c) => c.replace(/ ni-config-trace-\S+/, ''))).toEqual(['inspect fn', 'run']);
    await runCleanups();
    const calls = engine.calls.map((c) => c.replace(/ ni-config-trace-\S+/, ''));
    expect(calls.indexOf('rm')).toBeGreaterThan(calls.indexOf('run returned'));
    await running.catch(() => undefined);
  });

  it('a failing wait is not an exit: the container is watched by its state, and the run goes on', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.waitFails = 'fake-engine wait was ended by SIGKILL';
    const run = await tracedIn(engine, [...events, { name: 'two', body: '{}' }]);
    expect(run.results.map((r) => r.result.status)).toEqual(['success', 'success']);
    expect(run.warnings).toEqual([]);
  });

  it('a failing wait while the engine cannot tell the state either: the engine is named, never the agent', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.waitFails = 'fake-engine wait exited with 125: Cannot connect to Podman';
    engine.stateFails = 'fake-engine container inspect exited with 125: Cannot connect to Podman';
    engine.fail.copyOut = { stdout: '', stderr: 'Cannot connect to Podman', code: 125 };
    const e = await tracedIn(engine, [...events, { name: 'two', body: '{}' }]).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as Error).message).toMatch(
      /^fake-engine stopped answering while the container ran \(fake-engine wait exited with 125: Cannot connect to Podman; fake-engine container inspect exited with 125: Cannot connect to Podman\), so whether it still runs is not known; copying the agent's output out of the container failed/,
    );
  });
});
