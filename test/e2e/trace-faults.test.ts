/**
 * trace under faults: an agent that leaves a broken file or a stale lock, an output filesystem
 * that is full or read-only, a container engine that dies mid-command, a container killed from
 * outside, two traces at once. Each ends with a clear message, no container and no temp
 * directory left, and an earlier good config untouched. (A JVM restarted twice, after a crash
 * and after a timeout, is in trace-local.test.ts; a connection reset mid-response in
 * test/trace/rie.test.ts.)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { REPO } from '../helpers.js';
import { IMAGE, containersLeft, ensureTestImage } from './container.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-java', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-faults-e2e-'));
const classes = join(work, 'classes');
const root = process.getuid?.() === 0;
const GREET = '{"action":"greet","model":"Greeting","name":"Ada"}';
const GOOD = '{\n  "reflection": [\n    {\n      "type": "example.Earlier"\n    }\n  ]\n}\n';
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  mkdirSync(classes);
  const sources = readdirSync(join(FN, 'src', 'example')).map((f) => join(FN, 'src', 'example', f));
  execFileSync('javac', ['-d', classes, ...sources]);
  execFileSync('cp', ['-r', join(FN, 'resources', 'templates'), classes]);
  ensureTestImage();
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs trace asynchronously (several may run at once); `env` adds to the environment. */
function trace(args: string[], env: Record<string, string> = {}, onStart?: () => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'trace', '--agent-path', agent, ...args], {
      cwd: FN,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart?.();
  });
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

const tempDirsLeft = (): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith('ni-config-trace-'));

/** An output directory holding a good config from an earlier run. */
function earlier(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'reachability-metadata.json'), GOOD);
  return dir;
}

describe('trace under faults: the agent', () => {
  it('left a file that is not JSON: named by run and place, nothing written, the earlier config untouched', async () => {
    const out = earlier(join(work, 'bad-json'));
    const before = tempDirsLeft();
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
    expect(tempDirsLeft()).toEqual(before);
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

describe('trace under faults: the container', () => {
  /** A `podman` first on PATH that dies (SIGKILL) when it is asked to run NI_FAULT_AT. */
  function dyingEngine(): string {
    const dir = join(work, 'dying-engine');
    mkdirSync(dir, { recursive: true });
    const real = execFileSync('sh', ['-c', 'command -v podman'], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'podman'), `#!/bin/sh\n[ "$1" = "$NI_FAULT_AT" ] && kill -KILL $$\nexec ${real} "$@"\n`);
    chmodSync(join(dir, 'podman'), 0o755);
    return dir;
  }

  it('engine dies mid-command (copying the output out): a clear message, the container and temp dirs gone, the earlier config untouched', async () => {
    const out = earlier(join(work, 'engine-dies'));
    const before = tempDirsLeft();
    const r = await trace(['--engine', 'podman', '--container', IMAGE, '--event', GREET, '-o', out], {
      PATH: `${dyingEngine()}:${process.env.PATH ?? ''}`,
      NI_FAULT_AT: 'cp',
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /copying the agent's output out of the container failed: .*podman cp was killed by SIGKILL/,
    );
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(GOOD);
    expect(containersLeft()).toBe('');
    expect(tempDirsLeft()).toEqual(before);
  });

  it.each([
    ['run', 2, /the container did not start: podman run was killed by SIGKILL/],
    ['port', 2, /the container publishes no port 8080 \(podman port was killed by SIGKILL\)/],
    [
      'exec',
      2,
      /the agent wrote no configuration: the JVM could not be signalled inside the container \(podman exec: .*SIGKILL\); the container was stopped instead/,
    ],
  ] as const)(
    'engine dies at "%s": exit %i with a message that says so, no container and no temp dir left',
    async (at, code, message) => {
      const before = tempDirsLeft();
      // no periodic write in the run (--period 600): what is collected depends only on the ending
      const r = await trace(
        [
          '--engine',
          'podman',
          '--container',
          IMAGE,
          '--event',
          GREET,
          '--period',
          '600',
          '-o',
          join(work, `engine-dies-${at}`),
        ],
        { PATH: `${dyingEngine()}:${process.env.PATH ?? ''}`, NI_FAULT_AT: at },
      );
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(containersLeft()).toBe('');
      expect(tempDirsLeft()).toEqual(before);
    },
  );

  it('engine dies removing the container: the output is written, a warning names the container and the command that removes it', async () => {
    const out = join(work, 'engine-dies-rm');
    const r = await trace(['--engine', 'podman', '--container', IMAGE, '--event', GREET, '-o', out], {
      PATH: `${dyingEngine()}:${process.env.PATH ?? ''}`,
      NI_FAULT_AT: 'rm',
    });
    const left = containersLeft();
    spawnSync('podman', ['rm', '-f', left]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: the container ${left} could not be removed (podman rm was killed by SIGKILL); remove it with: podman rm -f ${left}`,
    );
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
  });

  it('is killed from outside mid-event: the event is a crash, what the agent wrote before is kept, nothing left behind', async () => {
    const out = join(work, 'killed');
    const before = tempDirsLeft();
    let killed = '';
    const r = await trace(
      [
        '--engine',
        'podman',
        '--container',
        IMAGE,
        '--event',
        GREET,
        '--event',
        '{"action":"sleep","ms":"60000"}',
        '--period',
        '1',
        '--timeout',
        '90',
        '-o',
        out,
        '--json',
      ],
      {},
      () => {
        void (async () => {
          // once the first event has been answered and a periodic write has landed
          for (let i = 0; i < 300 && killed === ''; i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            const name = containersLeft();
            if (name === '') continue;
            const written = spawnSync(
              'podman',
              ['exec', name, 'sh', '-c', 'cat /tmp/ni-config-agent/*/reflect-config.json 2>/dev/null'],
              { encoding: 'utf8' },
            ).stdout;
            if (written.includes('example.Greeting')) {
              await new Promise((resolve) => setTimeout(resolve, 500));
              spawnSync('podman', ['kill', name]);
              killed = name;
            }
          }
        })();
      },
    );
    expect(killed).not.toBe('');
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'crash']);
    const types = (
      JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')) as { reflection: { type: string }[] }
    ).reflection.map((e) => e.type);
    expect(types).toContain('example.Greeting');
    expect(containersLeft()).toBe('');
    expect(tempDirsLeft()).toEqual(before);
  });
});

describe('two traces at once on one machine', () => {
  it('do not collide: containers, ports, agent dirs and outputs are their own', async () => {
    const before = tempDirsLeft();
    const outs = ['a', 'b', 'c'].map((x) => join(work, `together-${x}`));
    const [a, b, c] = await Promise.all([
      trace(['--engine', 'podman', '--container', IMAGE, '--events', 'events/*.json', '-o', outs[0]!, '--json']),
      trace([
        '--engine',
        'podman',
        '--container',
        IMAGE,
        '--event',
        '{"action":"greet","model":"Greeting","name":"Bo"}',
        '-o',
        outs[1]!,
        '--json',
      ]),
      trace(['--cmd', fnScript('plain', ''), '--events', 'events/*.json', '-o', outs[2]!, '--json']),
    ]);
    for (const [r, out] of [
      [a, outs[0]],
      [b, outs[1]],
      [c, outs[2]],
    ] as const) {
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as TraceJson).runs).toBe(1);
      expect(existsSync(join(out!, 'reachability-metadata.json'))).toBe(true);
      expect(readFileSync(join(out!, 'reachability-metadata.json'), 'utf8')).toContain('example.Greeting');
    }
    expect(containersLeft()).toBe('');
    expect(tempDirsLeft()).toEqual(before);
  });
});
