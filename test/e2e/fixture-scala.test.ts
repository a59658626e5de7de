/**
 * The Scala fixture function (Debian's scala 2.11, its own Runtime API client over
 * HttpURLConnection), compiled by its build.sh and traced by the built CLI under the stand-in
 * agent: what the function needs is recorded, no preset takes it away, and a failed init is
 * reported through the Runtime API's init/error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-scala', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-test-'));
const build = join(work, 'build');
const raw = join(work, 'raw');

/** What these tests read of `trace --json` (the command's JSON contract). */
interface TraceReport {
  events: { event: string; status: string; errorType?: string }[];
  initError?: { errorType: string; body: string };
}

/** What these tests read of `prune --json`. */
interface PruneReport {
  removed: unknown[];
  before: Record<string, number>;
  after: Record<string, number>;
}

interface ReflectEntry {
  name: string;
  methods?: { name: string; parameterTypes: string[] }[];
  fields?: { name: string }[];
}

let agent: string;
let cmd: string;
let traced: { status: number | null; stdout: string; stderr: string };

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: FN,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
}

function trace(command: string, out: string, extra: string[] = []) {
  return cli([
    'trace',
    '--cmd',
    command,
    '--agent-path',
    agent,
    '--events',
    'events/*.json',
    ...extra,
    '--format',
    'legacy',
    '-o',
    out,
    '--json',
  ]);
}

const reflection = (dir: string): ReflectEntry[] =>
  JSON.parse(readFileSync(join(dir, 'reflect-config.json'), 'utf8')) as ReflectEntry[];
const resources = (dir: string): string[] =>
  (
    JSON.parse(readFileSync(join(dir, 'resource-config.json'), 'utf8')) as {
      resources: { includes: { pattern: string }[] };
    }
  ).resources.includes.map((r) => r.pattern.replace(/^\\Q(.*)\\E$/, '$1'));

beforeAll(() => {
  agent = buildAgent() as string;
  const built = spawnSync('bash', [join(FN, 'build.sh'), build], { encoding: 'utf8', timeout: 180_000 });
  if (built.status !== 0) throw new Error(`build.sh failed (exit ${built.status}):\n${built.stderr}`);
  cmd = built.stdout.trim();
  traced = trace(cmd, raw, ['--event', '{"throw":true}', '--allow-errors']);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Scala fixture', () => {
  it('build.sh compiles the function and prints the java command, scala-library on the class path', () => {
    expect(existsSync(join(build, 'classes', 'hello', 'Main.class'))).toBe(true);
    expect(existsSync(join(build, 'classes', 'hello', 'Handler.class'))).toBe(true);
    expect(existsSync(join(build, 'resources', 'hello', 'greeting.properties'))).toBe(true);
    expect(cmd).toBe(`java -cp /usr/share/java/scala-library.jar:${build}/classes:${build}/resources hello.Main`);
  });

  it('runs the events: greetings, and a function error for "throw"', () => {
    expect(traced.status, traced.stderr).toBe(0);
    const report = JSON.parse(traced.stdout) as TraceReport;
    expect(report.events.map((e) => [e.event, e.status, e.errorType])).toEqual([
      ['events/01.json', 'success', undefined],
      ['events/02.json', 'success', undefined],
      ['--event #1', 'function-error', 'Unhandled'],
    ]);
  });

  it('records what the function needs: its resource and the reflective close() of its loan pattern', () => {
    expect(resources(raw)).toContain('hello/greeting.properties');
    const entries = reflection(raw);
    expect(entries.map((e) => e.name)).toContain('scala.io.BufferedSource');
    // close() is declared by scala.io.Source: an agent that records the method on its declaring
    // class puts it there, next to the queried scala.io.BufferedSource
    const close = entries
      .filter((e) => e.name === 'scala.io.BufferedSource' || e.name === 'scala.io.Source')
      .flatMap((e) => e.methods ?? []);
    expect(close).toContainEqual({ name: 'close', parameterTypes: [] });
  });

  it("records the standard library's lookups at class init: forkjoin's Unsafe offsets, library.properties", () => {
    const fields = Object.fromEntries(reflection(raw).map((e) => [e.name, (e.fields ?? []).map((f) => f.name)]));
    expect(fields['scala.concurrent.forkjoin.ForkJoinPool']).toEqual(['ctl', 'indexSeed', 'plock', 'stealCount']);
    expect(fields['scala.concurrent.forkjoin.ForkJoinTask']).toEqual(['status']);
    expect(fields['java.lang.Thread']).toEqual(['parkBlocker']);
    expect(resources(raw)).toContain('library.properties');
  });

  it('no preset removes any of it', () => {
    const r = cli(['prune', raw, '--preset', 'clojure', 'default', '--json', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as PruneReport;
    expect(report.removed).toEqual([]);
    expect(report.after).toEqual(report.before);
  });

  it('is written with the Args its native build needs: --enable-url-protocols=http for the Runtime API calls', () => {
    const config = join(work, 'ni-config.jsonc');
    writeFileSync(
      config,
      JSON.stringify({ write: { group: 'example', artifact: 'hello-scala', args: ['--enable-url-protocols=http'] } }),
    );
    const root = join(work, 'resources');
    const r = cli(['write', raw, '--root', root, '--config', config]);
    expect(r.status, r.stderr).toBe(0);
    const dir = join(root, 'META-INF', 'native-image', 'example', 'hello-scala');
    expect(readFileSync(join(dir, 'native-image.properties'), 'utf8')).toMatch(/^Args = --enable-url-protocols=http$/m);
    expect(reflection(dir).map((e) => e.name)).toContain('scala.io.BufferedSource');
    const v = cli(['validate', '--strict', dir]);
    expect(v.status, v.stdout).toBe(0);
  });

  it('reports a failed init through init/error', () => {
    const noResources = cmd.replace(`:${build}/resources`, '');
    expect(noResources).not.toBe(cmd);
    const r = trace(noResources, join(work, 'init-error'));
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as TraceReport;
    expect(report.initError?.errorType).toBe('Runtime.InitError');
    expect(report.initError?.body).toContain('hello/greeting.properties is not on the class path');
  });
});
