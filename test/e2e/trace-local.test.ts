/**
 * trace and invoke in --cmd mode, end to end: the built CLI runs the Java fixture function
 * (test/fixtures-java/hello) under the stand-in native-image agent, or under the real one when
 * GRAALVM_HOME names a GraalVM.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { GREETING_ENTRY, suiteDir, tempDirsLeft as sessionsIn } from './trace-suite.js';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-java', 'hello');
// the spawned CLIs' TMPDIR too: their session directories are looked for there only
const work = suiteDir('local');
const env = { ...process.env, NO_COLOR: '1', TMPDIR: work };
const classes = join(work, 'classes');
const graal = process.env.GRAALVM_HOME;
let agent: string;

beforeAll(() => {
  agent = graal ? join(graal, 'lib', 'libnative-image-agent.so') : (buildAgent() as string);
  mkdirSync(classes);
  const sources = readdirSync(join(FN, 'src', 'example')).map((f) => join(FN, 'src', 'example', f));
  execFileSync(graal ? join(graal, 'bin', 'javac') : 'javac', ['-d', classes, ...sources]);
  execFileSync('cp', ['-r', join(FN, 'resources', 'templates'), classes]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const java = graal ? join(graal, 'bin', 'java') : 'java';
const cmd = `${java} -cp ${classes} example.Bootstrap`;

function trace(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'trace', '--cmd', cmd, '--agent-path', agent, ...args], {
    cwd: FN,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDirsLeft = (): string[] => sessionsIn(work);

describe(`trace --cmd (${graal ? 'GraalVM agent' : 'stand-in agent'})`, () => {
  it('drives the events, collects what the agent recorded and writes it', () => {
    const out = join(work, 'out1');
    const r = trace(['--events', 'events/*.json', '-o', out, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => [e.event, e.status])).toEqual([
      ['events/01-greet.json', 'success'],
      ['events/02-greet-again.json', 'success'],
    ]);
    expect(report.runs).toBe(1);
    expect(report.staleLocks).toEqual([]);
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection).toContainEqual(GREETING_ENTRY);
    expect(metadata.resources).toContainEqual({ glob: 'templates/greeting.txt' });
    expect(tempDirsLeft()).toEqual([]);
  });

  it('reports a function error, a timeout and a crash, and merges the run of the JVM that replaced the crashed one', () => {
    const out = join(work, 'out2');
    const r = trace([
      '--event',
      '{"action":"greet","model":"Greeting","name":"Ada"}',
      '--event',
      '{"action":"sleep","ms":"1600"}',
      '--event',
      '{"action":"throw"}',
      '--event',
      '{"action":"crash"}',
      '--event',
      '{"action":"sleep","ms":"9000"}',
      '--event',
      '{"action":"greet","model":"Greeting","name":"Grace"}',
      // generous enough for a JVM to start under a loaded CI machine, shorter than the sleep
      '--period',
      '1',
      '--timeout',
      '5',
      '-o',
      out,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual([
      'success',
      'success',
      'function-error',
      'crash',
      'timeout',
      'success',
    ]);
    // three JVMs: the first wrote periodically before it crashed, the second was killed at the
    // timeout after a periodic write (its lock stays), the third wrote at exit
    expect(report.runs).toBe(3);
    expect(report.staleLocks.length).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toBe('');
    expect(existsSync(join(out, 'reachability-metadata.json'))).toBe(true);
    expect(trace(['--event', '{"action":"throw"}', '--allow-errors', '-o', join(work, 'out3')]).code).toBe(0);
  });

  it('--write prunes and writes the META-INF layout per ni-config.jsonc; --merge-into keeps an existing config', () => {
    const project = join(work, 'project');
    mkdirSync(join(project, 'pinned'), { recursive: true });
    execFileSync('cp', ['-r', join(FN, 'events'), project]);
    writeFileSync(
      join(project, 'ni-config.jsonc'),
      '{ "write": { "group": "com.example", "artifact": "hello", "args": ["--enable-url-protocols=http"] }, "prune": { "presets": ["default"] } }',
    );
    writeFileSync(
      join(project, 'pinned', 'reflect-config.json'),
      '[{"name": "example.Pinned", "fields": [{"name": "x"}]}]',
    );
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'trace',
        '--cmd',
        cmd,
        '--agent-path',
        agent,
        '--events',
        'events/*.json',
        '--merge-into',
        'pinned',
        '--write',
      ],
      { cwd: project, encoding: 'utf8', env, timeout: 60_000 },
    );
    expect(r.status).toBe(0);
    const dir = join(project, 'src/main/resources/META-INF/native-image/com.example/hello');
    expect(readdirSync(dir).sort()).toEqual(['native-image.properties', 'reachability-metadata.json']);
    const metadata = JSON.parse(readFileSync(join(dir, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection.map((e: { type: string }) => e.type)).toEqual([
      'example.Greeting',
      'example.Handler',
      'example.Pinned',
    ]);
    expect(readFileSync(join(dir, 'native-image.properties'), 'utf8')).toContain(
      'Args = --enable-url-protocols=http\n',
    );
  });

  it('reports an init failure', () => {
    const r = trace(['--events', 'events/01-greet.json', '-e', 'HANDLER=example.Missing', '-o', join(work, 'out4')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the function's init failed: Runtime\.ClassNotFound/);
  });

  it('rejects events that are not JSON, with the position', () => {
    const r = trace(['--event', '{"action": greet}', '-o', join(work, 'out5')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--event #1:1:12: error \[json-syntax\] expected a JSON value/);
  });

  it('leaves no process and no temp directory behind on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'trace',
        '--cmd',
        cmd,
        '--agent-path',
        agent,
        '--event',
        '{"action":"sleep","ms":"30000"}',
        '-o',
        join(work, 'out6'),
      ],
      { cwd: FN, stdio: 'ignore', env },
    );
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    await new Promise((r) => setTimeout(r, 300));
    expect(tempDirsLeft()).toEqual([]);
    const javaLeft = spawnSync('pgrep', ['-f', `-cp ${classes} example.Bootstrap`], { encoding: 'utf8' }).stdout.trim();
    expect(javaLeft).toBe('');
  });
});

describe('invoke --cmd', () => {
  it('drives the events without an agent', () => {
    const r = spawnSync(process.execPath, [BIN, 'invoke', '--cmd', cmd, '--events', 'events/*.json', '--json'], {
      cwd: FN,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.counts.success).toBe(2);
    expect(report.written).toEqual([]);
  });

  it("shows the function's answers: their start in the report, whole in --json", () => {
    const events = [
      '--events',
      'events/01-greet.json',
      '--event',
      '{"action":"big","bytes":"1000"}',
      '--event',
      '{"action":"throw"}',
      '--allow-errors',
    ];
    const run = (extra: string[]) =>
      spawnSync(process.execPath, [BIN, 'invoke', '--cmd', cmd, ...events, ...extra], {
        cwd: FN,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
    const big = `{"pad":"${'x'.repeat(990)}"}`;
    const error = '{"errorMessage":"asked to fail","errorType":"java.lang.IllegalStateException"}';
    const json = run(['--json']);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as TraceJson;
    expect(report.events.map((e) => [e.event, e.status, e.answer])).toEqual([
      ['events/01-greet.json', 'success', '{"message":"Greeting: hello, Ada"}'],
      ['--event #1', 'success', big],
      ['--event #2', 'function-error', error],
    ]);
    const text = run([]);
    expect(text.status, text.stderr).toBe(0);
    const lines = text.stderr.split('\n');
    expect(lines[0]).toMatch(
      /^\[1\/3\] events\/01-greet\.json: success \(\d+(\.\d+)? ms\) \{"message":"Greeting: hello, Ada"\}$/,
    );
    // not a terminal here, and still cut: a report line stays a line (the whole answer is in --json)
    expect(lines[1]).toMatch(/^\[2\/3\] --event #1: success \(\d+(\.\d+)? ms\) (.*)$/);
    expect(lines[1]!.endsWith(` ${big.slice(0, 200)}… (1000 bytes)`)).toBe(true);
    expect(lines[2]).toMatch(
      /^\[3\/3\] --event #2: function-error \(\d+(\.\d+)? ms\) Unhandled \{"errorMessage":"asked to fail","errorType":"java\.lang\.IllegalStateException"\}$/,
    );
  });
});
