/**
 * The Clojure fixture function AOT-compiled as for a native-image build (its build.sh: gen-class
 * and clojure.core/compile into classes, run from them and from clojure's __init classes), traced
 * by the built CLI under the stand-in agent: what the handler needs at run time is recorded, so is
 * the noise of loading namespaces, and nothing is compiled at run time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-clojure', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-test-'));
const build = join(work, 'build');
const raw = join(work, 'raw');

/** What these tests read of `trace --json` (the command's JSON contract). */
interface TraceReport {
  events: { event: string; status: string; errorType?: string }[];
  initError?: { errorType: string; body: string };
}

interface ReflectEntry {
  name: string;
  methods?: { name: string; parameterTypes: string[] }[];
  fields?: { name: string }[];
}

let built: { status: number | null; stdout: string; stderr: string };
let traced: { status: number | null; stdout: string; stderr: string };

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: FN,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
}

const reflection = (dir: string): ReflectEntry[] =>
  JSON.parse(readFileSync(join(dir, 'reflect-config.json'), 'utf8')) as ReflectEntry[];
const names = (dir: string): string[] => reflection(dir).map((e) => e.name);
const resources = (dir: string): string[] =>
  (
    JSON.parse(readFileSync(join(dir, 'resource-config.json'), 'utf8')) as {
      resources: { includes: { pattern: string }[] };
    }
  ).resources.includes.map((r) => r.pattern.replace(/^\\Q(.*)\\E$/, '$1'));

beforeAll(() => {
  const agent = buildAgent() as string;
  built = spawnSync('bash', [join(FN, 'build.sh'), build], { encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) throw new Error(`build.sh failed (exit ${built.status}):\n${built.stderr}`);
  traced = cli([
    'trace',
    '--cmd',
    built.stdout.trim(),
    '--agent-path',
    agent,
    '--events',
    'events/*.json',
    '--event',
    '{"name":"ada,grace"}',
    '--event',
    '{"throw":true}',
    '--allow-errors',
    '--format',
    'legacy',
    '-o',
    raw,
    '--json',
  ]);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Clojure fixture, AOT-compiled', () => {
  it('build.sh compiles hello.core into classes and prints the java command that runs them', () => {
    expect(existsSync(join(build, 'classes', 'hello', 'core__init.class'))).toBe(true);
    expect(existsSync(join(build, 'classes', 'hello', 'core.class'))).toBe(true);
    expect(existsSync(join(build, 'resources', 'hello', 'config.edn'))).toBe(true);
    // clojure.jar first, then the jars its manifest names (spec.alpha, core.specs.alpha)
    const cmd = built.stdout.trim();
    expect(cmd).toMatch(
      /^java -cp \/usr\/share\/java\/clojure\.jar:[^:\s]*spec\.alpha[^:\s]*\.jar:[^:\s]*core\.specs\.alpha[^:\s]*\.jar:/,
    );
    expect(cmd.endsWith(`:${build}/classes:${build}/resources hello.core`), cmd).toBe(true);
    // the one call left to clojure.lang.Reflector on purpose
    expect(built.stderr.match(/^Reflection warning.*$/gm)).toEqual([
      expect.stringMatching(/^Reflection warning, hello\/core\.clj:\d+:\d+ - call to method get can't be resolved/),
    ]);
  });

  it('runs the events: greetings, and a function error for "throw"', () => {
    expect(traced.status, traced.stderr).toBe(0);
    const report = JSON.parse(traced.stdout) as TraceReport;
    expect(report.events.map((e) => [e.event, e.status])).toEqual([
      ['events/01.json', 'success'],
      ['--event #1', 'success'],
      ['--event #2', 'function-error'],
    ]);
  });

  it("records what the handler needs at run time: Reflector's lookup, its config resource, the into-array class", () => {
    const list = reflection(raw).find((e) => e.name === 'java.util.AbstractList');
    expect(list?.methods).toEqual([{ name: 'get', parameterTypes: ['int'] }]);
    expect(resources(raw)).toContain('hello/config.edn');
    // `(into-array CharSequence ...)`: the class literal is loaded by name (RT.classForName) when
    // hello.core loads; the stand-in does not see the Array.newInstance that makes CharSequence[]
    expect(names(raw)).toContain('java.lang.CharSequence');
  });

  it('records the noise of loading namespaces from their __init classes', () => {
    const reflected = names(raw);
    expect(reflected).toEqual(expect.arrayContaining(['hello.core__init', 'clojure.core__init', 'clojure.edn__init']));
    expect(reflected).toEqual(expect.arrayContaining(['clojure.lang.RT', 'clojure.core.protocols.CollReduce']));
    expect(resources(raw)).toEqual(
      expect.arrayContaining([
        'hello/core__init.class',
        'hello/core.clj',
        'clojure/core__init.class',
        'clojure/core.clj',
        'clojure/version.properties',
      ]),
    );
  });

  it('compiles nothing at run time: no eval or fn classes, no compiler field lookups', () => {
    const reflected = reflection(raw);
    expect(reflected.filter((e) => /\$(eval|fn__)\d+/.test(e.name) || e.name.startsWith('hello.core$'))).toEqual([]);
    expect(reflected.find((e) => e.name === 'clojure.lang.Compiler')?.fields).toBeUndefined();
    expect(names(raw)).not.toContain('clojure.core.specs.alpha__init');
  });

  it('--preset clojure removes the namespace noise and keeps what the handler needs', () => {
    const pruned = join(work, 'pruned');
    const r = cli(['prune', raw, '--preset', 'clojure', '-o', pruned]);
    expect(r.status, r.stderr).toBe(0);
    expect(names(pruned).filter((n) => n.endsWith('__init') || /^clojure\./.test(n))).toEqual([]);
    expect(resources(pruned)).toEqual(['hello/config.edn']);
    expect(reflection(pruned).find((e) => e.name === 'java.util.AbstractList')?.methods).toEqual([
      { name: 'get', parameterTypes: ['int'] },
    ]);
  });
});
