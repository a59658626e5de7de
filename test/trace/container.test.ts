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
import { CONTAINER_AGENT_DIR, runContainer } from '../../src/trace/container.js';
import type {
  ContainerEngine,
  ContainerState,
  EngineResult,
  ImageConfig,
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
  /** Results to give instead of the real behaviour, by method. */
  readonly fail: Partial<Record<'copyOut' | 'remove' | 'run', EngineResult>> = {};

  constructor(private readonly root: string) {}

  async inspectImage(image: string): Promise<ImageConfig> {
    this.calls.push(`inspect ${image}`);
    return { entrypoint: ['/lambda-bootstrap.sh'], cmd: [], env: { JAVA_TOOL_OPTIONS: '-Xshare:auto' } };
  }

  async run(spec: RunSpec): Promise<EngineResult> {
    this.calls.push(`run ${spec.name}`);
    this.specs.push(spec);
    if (this.fail.run) return this.fail.run;
    // the container's /tmp/ni-config-agent is this engine's root
    const env = { ...process.env, ...spec.env };
    const options = spec.env.JAVA_TOOL_OPTIONS;
    if (options !== undefined) env.JAVA_TOOL_OPTIONS = options.replace(CONTAINER_AGENT_DIR, this.root);
    const proc = spawn(process.execPath, [FAKE, AGENT_OUTPUT], { env, stdio: 'ignore' });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? 137 : 0))));
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
    const what = script.includes('kill -TERM') ? 'terminate' : script.includes('@@argv') ? 'describe' : argv[0];
    this.calls.push(`exec ${name} ${what}`);
    // the SIGTERM script: the JVM is the one process
    if (what === 'terminate') this.proc?.kill('SIGTERM');
    return OK;
  }

  wait(name: string): Waiter {
    this.calls.push(`wait ${name}`);
    return { done: this.exited.then((code) => ({ code })), cancel: () => undefined };
  }

  async logs(): Promise<string> {
    return '';
  }

  async signal(name: string, signal: 'TERM' | 'KILL'): Promise<EngineResult> {
    this.calls.push(`signal ${name} ${signal}`);
    this.proc?.kill(`SIG${signal}`);
    return OK;
  }

  async copyOut(name: string, path: string, dest: string): Promise<EngineResult> {
    this.calls.push(`cp ${name}:${path}`);
    if (this.fail.copyOut) return this.fail.copyOut;
    cpSync(this.root, dest, { recursive: true });
    return OK;
  }

  async remove(name: string): Promise<EngineResult> {
    this.calls.push(`rm ${name}`);
    this.proc?.kill('SIGKILL');
    return this.fail.remove ?? OK;
  }

  async state(): Promise<ContainerState | undefined> {
    return undefined;
  }
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'ni-config-test-'));
  mkdirSync(join(work, 'root'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const events = [{ name: 'one', body: '{}' }];

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
    // after the first answer the JVM's class path is asked for; at the end the JVM is signalled
    expect(engine.calls.map((c) => c.replace(/ ni-config-trace-\S+/, ''))).toEqual([
      'inspect fn:latest',
      'run',
      'wait',
      'exec describe',
      'exec terminate',
      'cp',
      'rm',
    ]);
    const copied = join(work, 'out');
    expect(existsSync(copied)).toBe(true);
    expect(readFileSync(join(copied, readdirSync(copied)[0]!, 'reflect-config.json'), 'utf8').length).toBeGreaterThan(
      0,
    );
  });

  it('says what a failed cp was, and never reads it as "the agent wrote nothing"', async () => {
    const engine = new ProcessEngine(join(work, 'root'));
    engine.fail.copyOut = { stdout: '', stderr: 'Error: open /proc/42/ns/mnt: no such process', code: 125 };
    await expect(
      runContainer({
        engine,
        mode: 'runtime-api',
        image: 'fn',
        events,
        timeoutMs: 10_000,
        env: {},
        agent: { periodSeconds: 2, collectTo: join(work, 'out') },
      }),
    ).rejects.toThrow(/copying the agent's output out of the container failed: fake-engine cp exited with 125/);
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
});
