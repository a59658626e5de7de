/**
 * What the trace e2e suites share on top of engines.ts: the built CLI spawned with this run's
 * label and a TMPDIR of the suite's own (so that "no temp dir left" looks only there), engine
 * shims put first on PATH to inject faults, and a decoy (a user's own trace container and temp
 * dir, without the run label) that must survive every suite that uses it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { REPO } from '../helpers.js';
import { IMAGE, RUN_LABEL, TEST_RUN, engineSync, type TestEngine } from './engines.js';

export const BIN = join(REPO, 'bin', 'ni-config.js');
export const JAVA_FN = join(REPO, 'test', 'fixtures-java', 'hello');
export const CLOJURE_FN = join(REPO, 'test', 'fixtures-clojure', 'hello');
export const SCALA_FN = join(REPO, 'test', 'fixtures-scala', 'hello');
export const GREET = '{"action":"greet","model":"Greeting","name":"Ada"}';
/** The reflection entry a greet event needs (its model class, made and asked for its text). */
export const GREETING_ENTRY = {
  type: 'example.Greeting',
  methods: [
    { name: '<init>', parameterTypes: ['java.lang.String'] },
    { name: 'text', parameterTypes: [] },
  ],
};
/** The session directories trace makes (src/trace/session.ts WORK_PREFIX). */
export const WORK_PREFIX = 'ni-config-trace-';

/** A temp directory of the suite's own, in the real temp directory; the spawned CLIs' TMPDIR. */
export function suiteDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `ni-config-e2e-${name}-`));
}

/** The trace session directories left in `tmp` (the CLIs' TMPDIR), and nothing else. */
export function tempDirsLeft(tmp: string): string[] {
  return readdirSync(tmp).filter((d) => d.startsWith(WORK_PREFIX));
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Added to the environment (PATH included, for shims). */
  readonly env?: Readonly<Record<string, string>>;
  /** The CLIs' TMPDIR: the suite's own directory. */
  readonly tmp: string;
  readonly timeoutMs?: number;
  /** Called once the process runs, with it. */
  readonly onStart?: (child: ReturnType<typeof spawn>) => void;
  /** Its own process group, so that a Ctrl-C can reach it and its children together, as a terminal's does. */
  readonly group?: boolean;
}

/** Runs the built CLI (`args` as they are), asynchronously; several may run at once. */
export function cli(args: readonly string[], o: CliOptions): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? JAVA_FN,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: o.tmp, ...o.env },
      detached: o.group ?? false,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 150_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    o.onStart?.(child);
  });
}

/** `trace` on an engine with this run's label: `--engine` given explicitly, so that detection plays no part. */
export function trace(engine: TestEngine, args: readonly string[], o: CliOptions): Promise<Run> {
  return cli(['trace', '--engine', engine.name, '--label', RUN_LABEL, ...args], o);
}

/** The real executable of an engine, for a shim to run. */
export function realBin(engine: TestEngine): string {
  return execFileSync('sh', ['-c', `command -v ${engine.bin}`], { encoding: 'utf8' }).trim();
}

/**
 * A directory to put first on PATH holding a shim of the engine's CLI: `body` is shell that runs
 * before the real CLI (`$REAL`, with the command in `$1`) and may end the shim itself. Each call
 * the shim gets is appended to `calls.log` in the directory (one line of argv).
 */
export function engineShim(engine: TestEngine, dir: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const shim = join(dir, engine.bin);
  writeFileSync(
    shim,
    `#!/bin/sh\nREAL=${realBin(engine)}\nHERE=${dir}\nprintf '%s\\n' "$*" >> "$HERE/calls.log"\n${body}\nexec "$REAL" "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return dir;
}

/** The engine's commands the shim in `dir` saw, one argv line each. */
export function shimCalls(dir: string): string[] {
  const log = join(dir, 'calls.log');
  return existsSync(log)
    ? execFileSync('cat', [log], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l !== '')
    : [];
}

/** PATH with `dir` first. */
export function pathWith(dir: string): string {
  return `${dir}:${process.env.PATH ?? ''}`;
}

/**
 * A user's own trace, running beside the suite: a container named like one of ni-config's
 * (without this run's label) and a session-like temp dir in the real temp directory. Both are
 * made before the suite's tests and must be there, unchanged, after all of them.
 */
export function withDecoy(engine: TestEngine): void {
  const name = `${WORK_PREFIX}decoy-${TEST_RUN}-${engine.name}`;
  let dir = '';
  beforeAll(() => {
    engineSync(engine, ['rm', '-f', name]);
    const r = engineSync(engine, [
      'run',
      '-d',
      '--name',
      name,
      '--entrypoint',
      '/bin/sh',
      IMAGE,
      '-c',
      'trap "exit 0" TERM; while :; do sleep 1; done',
    ]);
    expect(r.status, r.stderr).toBe(0);
    dir = mkdtempSync(join(tmpdir(), `${WORK_PREFIX}decoy-`));
    writeFileSync(join(dir, 'mine.txt'), 'a user trace in progress\n');
  }, 60_000);
  afterAll(() => {
    try {
      const state = engineSync(engine, ['container', 'inspect', '--format', '{{.State.Running}}', name]);
      expect(state.stdout.trim(), `the decoy container ${name} did not survive the suite`).toBe('true');
      expect(existsSync(join(dir, 'mine.txt')), `the decoy temp dir ${dir} did not survive the suite`).toBe(true);
    } finally {
      engineSync(engine, ['rm', '-f', name]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
}
