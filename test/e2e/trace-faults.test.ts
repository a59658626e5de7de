/**
 * trace --cmd under faults: an agent that leaves a broken file or a stale lock, an output
 * filesystem that is full or read-only, a function that cannot start (no such program, a wrong
 * main class, no agent library), a script in front of the JVM, a trace whose events all crash
 * over a good earlier output. Each ends with a clear message, no process and no temp directory
 * left (in the CLIs' own TMPDIR), and an earlier good config untouched unless replacing it is
 * asked for. (The container faults are in trace-container-faults.test.ts; a JVM restarted twice,
 * after a crash and after a timeout, is in trace-local.test.ts; a connection reset mid-response
 * in test/trace/rie.test.ts.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { GREET, JAVA_FN as FN, cli, suiteDir, tempDirsLeft, type Run } from './trace-suite.js';

const work = suiteDir('faults-local');
const classes = join(work, 'classes');
const root = process.getuid?.() === 0;
const GOOD = '{\n  "reflection": [\n    {\n      "type": "example.Earlier"\n    }\n  ]\n}\n';
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  mkdirSync(classes);
  const sources = readdirSync(join(FN, 'src', 'example')).map((f) => join(FN, 'src', 'example', f));
  execFileSync('javac', ['-d', classes, ...sources]);
  execFileSync('cp', ['-r', join(FN, 'resources', 'templates'), classes]);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs trace with the stand-in agent (several may run at once); `env` adds to the environment. */
function trace(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return cli(['trace', '--agent-path', agent, ...args], { tmp: work, env });
}

/** A function command: a shell script that prepares the agent's output directory, then runs the Java fixture under the agent. */
function fnScript(name: string, prepare: string): string {
  const path = join(work, `${name}.sh`);
  writeFileSync(
    path,
    `#!/bin/sh\n# the parent of config-output-dir=DIR/run-{pid}-{datetime}\ndir=$(printf '%s' "$JAVA_TOOL_OPTIONS" | sed -n 's/.*config-output-dir=\\([^,]*\\)\\/run-.*/\\1/p')\n${prepare}\nexec java -cp ${classes} example.Bootstrap\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** The JVMs of this suite's fixture that still run. */
const javaLeft = (): string => spawnSync('pgrep', ['-f', `-cp ${classes} example`], { encoding: 'utf8' }).stdout.trim();

/** An output directory holding a good config from an earlier run. */
function earlier(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'reachability-metadata.json'), GOOD);
  return dir;
}

describe('trace under faults: the agent', () => {
  it('left a file that is not JSON: named by run and place, nothing written, the earlier config untouched', async () => {
    const out = earlier(join(work, 'bad-json'));
    const script = fnScript(
      'bad-json',
      `mkdir -p "$dir/run-bad" && printf '[\\n  {"name": "a.B",\\n' > "$dir/run-bad/reflect-config.json"`,
    );
    const r = await trace(['--cmd', script, '--event', GREET, '-o', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'agent-output/run-bad/reflect-config.json:3:1: error [json-syntax] expected a property name in double quotes, found the end of the file',
    );
    expect(r.stderr).toContain('the agent left files that cannot be read');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual(['reachability-metadata.json']);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(tempDirsLeft(work)).toEqual([]);
  });

  it('left a stale .lock from an earlier, killed run: reported by run, and what that run wrote is still merged', async () => {
    const out = join(work, 'stale-lock');
    const script = fnScript(
      'stale-lock',
      `mkdir -p "$dir/run-old" && echo 999999 > "$dir/run-old/.lock" && echo '[{"name": "example.Old"}]' > "$dir/run-old/reflect-config.json"`,
    );
    const r = await trace(['--cmd', script, '--event', GREET, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.staleLocks).toEqual(['run-old/.lock']);
    expect(report.runs).toBe(2);
    const types = (
      JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')) as { reflection: { type: string }[] }
    ).reflection.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['example.Greeting', 'example.Old']));
    const text = await trace(['--cmd', script, '--event', GREET, '-o', join(work, 'stale-lock-text')]);
    expect(text.stderr).toContain(
      'warning: the agent did not finish its last write (lock left in run-old); what it wrote periodically is used',
    );
  });
});

describe.runIf(root)('trace under faults: the output filesystem (a small tmpfs)', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', [m]);
  });
  function tmpfs(name: string): string {
    const dir = join(work, name);
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  }

  it('is full: a clear message, nothing half-written, the earlier config untouched', async () => {
    const fs = tmpfs('full');
    const out = earlier(join(fs, 'out'));
    // fill every byte that is left
    for (let i = 0; ; i++) {
      try {
        writeFileSync(join(fs, `filler-${i}`), Buffer.alloc(4096, 1));
      } catch {
        break;
      }
    }
    const before = readdirSync(fs).sort();
    const r = await trace(['--cmd', fnScript('plain', ''), '--event', GREET, '-o', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no space left on device/i);
    expect(r.stderr).toContain(out);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(readdirSync(fs).sort()).toEqual(before);
    expect(readdirSync(out)).toEqual(['reachability-metadata.json']);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
  });

  it('is read-only: a clear message, the earlier config untouched', async () => {
    const fs = tmpfs('read-only');
    const out = earlier(join(fs, 'out'));
    execFileSync('mount', ['-o', 'remount,ro', fs]);
    const r = await trace(['--cmd', fnScript('plain', ''), '--event', GREET, '-o', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/read-only file system/i);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
  });
});

describe('trace under faults: the function', () => {
  it('a program that is not there is named as such, before anything runs', async () => {
    const r = await trace(['--cmd', `jav -cp ${classes} example.Bootstrap`, '--event', GREET, '-o', join(work, 'jav')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('ni-config: --cmd: there is no program jav on PATH\n');
    const path = await trace(['--cmd', './bin/nope', '--event', GREET, '-o', join(work, 'nope')]);
    expect(path.stderr).toContain(
      `--cmd: there is no program ./bin/nope (no executable file at ${join(FN, 'bin', 'nope')})`,
    );
    expect(tempDirsLeft(work)).toEqual([]);
  });

  it('a wrong main class: each crash shows what the JVM said, in the report and in --json', async () => {
    const cmd = `java -cp ${classes} example.NoSuch`;
    const json = await trace(['--cmd', cmd, '--events', 'events/*.json', '-o', join(work, 'no-main'), '--json']);
    expect(json.code, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as TraceJson;
    expect(report.events.map((e) => e.output)).toEqual([
      [
        'Error: Could not find or load main class example.NoSuch',
        'Caused by: java.lang.ClassNotFoundException: example.NoSuch',
      ],
      [
        'Error: Could not find or load main class example.NoSuch',
        'Caused by: java.lang.ClassNotFoundException: example.NoSuch',
      ],
    ]);
    const text = await trace(['--cmd', cmd, '--events', 'events/*.json', '-o', join(work, 'no-main-text')]);
    expect(text.stderr).toContain(
      'events/01-greet.json: crash: the process exited (code 1) during the invocation\n  the function printed last:\n    Error: Could not find or load main class example.NoSuch\n    Caused by: java.lang.ClassNotFoundException: example.NoSuch\nevents/02-greet-again.json: crash: the process exited (code 1) during the invocation\n  (it printed the same last lines)\n',
    );
  });

  it("no agent library (no GraalVM, no --agent-path): the JVM's own reason, which it prints on stdout, is shown whole", async () => {
    const r = await cli(
      ['trace', '--cmd', `java -cp ${classes} example.Bootstrap`, '--event', GREET, '-o', join(work, 'no-agent')],
      {
        tmp: work,
      },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      'the agent wrote no configuration: the JVM did not start with native-image-agent (-agentlib: a GraalVM JDK has it; else give --agent-path). It said: Error occurred during initialization of VM | Could not find agent library native-image-agent on the library path',
    );
    expect(tempDirsLeft(work)).toEqual([]);
  });

  it('a script that runs java without exec: the JVM that holds the lock gets SIGTERM (not the script), writes at exit, and none is left', async () => {
    const script = join(work, 'no-exec.sh');
    writeFileSync(script, `#!/bin/sh\njava -cp ${classes} example.Bootstrap\necho "the JVM ended: $?" >&2\n`);
    chmodSync(script, 0o755);
    // no periodic write after the first (--period 600): the exit-time write must happen
    const r = await trace([
      '--cmd',
      script,
      '--event',
      GREET,
      '--period',
      '600',
      '-o',
      join(work, 'no-exec'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.stopped).toEqual([{ pid: expect.any(Number), command: `java -cp ${classes} example.Bootstrap` }]);
    expect(report.staleLocks).toEqual([]);
    expect(report.flushMs).toBeLessThan(10_000);
    expect(readFileSync(join(work, 'no-exec', 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
    expect(javaLeft()).toBe('');
    expect(tempDirsLeft(work)).toEqual([]);
  });

  it('every event crashes: a good earlier output is not replaced by nothing, even with --force', async () => {
    const out = earlier(join(work, 'all-crash'));
    // a JVM that cannot start: the agent loads, records nothing and writes empty files at exit
    const crash = ['--cmd', `java -cp ${classes} example.NoSuch`, '--event', GREET];
    for (const extra of [[], ['--force'], ['--allow-errors']]) {
      const r = await trace([...crash, ...extra, '-o', out, '--json']);
      const report = JSON.parse(r.stdout) as TraceJson;
      expect(report.written).toEqual([]);
      expect(report.kept).toEqual([join(out, 'reachability-metadata.json')]);
      expect(report.warnings[0]).toMatch(
        /^the trace collected nothing \(1 of 1 events failed\), so .* was kept as it was/,
      );
      expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    }
  });

  it('events failed and fewer entries were collected: the earlier output stays unless --force or --allow-errors', async () => {
    // an earlier output with more entries than this trace finds
    const big = `{\n  "reflection": [\n${Array.from({ length: 30 }, (_, i) => `    {\n      "type": "example.Earlier${i}"\n    }`).join(',\n')}\n  ]\n}\n`;
    const out = join(work, 'fewer');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'reachability-metadata.json'), big);
    const args = [
      '--cmd',
      `java -cp ${classes} example.Bootstrap`,
      '--event',
      GREET,
      '--event',
      '{"action":"throw"}',
      '-o',
      out,
    ];
    const kept = await trace(args);
    expect(kept.code, kept.stderr).toBe(1);
    expect(kept.stderr).toMatch(
      /1 of 2 events failed and the trace collected \d+ entries, fewer than the 30 in .*, so it was kept as it was; give --force \(or --allow-errors\) to replace it/,
    );
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(big);
    const forced = await trace([...args, '--force']);
    expect(forced.code, forced.stderr).toBe(1);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
    writeFileSync(join(out, 'reachability-metadata.json'), big);
    const allowed = await trace([...args, '--allow-errors']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
    // with every event succeeding, the new trace is the truth: it replaces a larger one
    writeFileSync(join(out, 'reachability-metadata.json'), big);
    const ok = await trace(['--cmd', `java -cp ${classes} example.Bootstrap`, '--event', GREET, '-o', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
  });
});
