/**
 * The Clojure fixture function AOT-compiled as a native-image build has it (its build.sh, run
 * when the test image is built), traced with --preset clojure in the test image on every engine
 * here, and locally with the command build.sh prints: each gives exactly the checked-in expected
 * set (fixtures/trace/clojure-aot/, whose README says why each entry stays) — the handler's
 * lookups, its resource, what clojure.lang.Reflector needs, nothing from loading namespaces —
 * and the evidence file beside it, whose call trees show each kept entry looked up at run time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { REPO } from '../helpers.js';
import { IMAGE, cleanupRun, containersLeft, engines, ensureTestImage } from './engines.js';
import { CLOJURE_FN, cli, suiteDir, tempDirsLeft, trace } from './trace-suite.js';

const EXPECTED = join(REPO, 'fixtures', 'trace', 'clojure-aot', 'expected', 'reachability-metadata.json');
const tmp = suiteDir('clojure-aot');
let agent: string;
beforeAll(() => {
  agent = buildAgent() as string;
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface EvidenceFile {
  readonly precision: string;
  readonly frames: readonly string[];
  readonly entries: readonly { section: string; name: string; paths: number[][] }[];
}

/**
 * A frame of namespace loading (docs/evidence.md): RT.load or Compiler.load, an `__init` class's
 * static initialiser, or the runtime's own start (RT.doInit: clojure.core, user.clj).
 */
const LOADING = /^clojure\.lang\.(RT|Compiler)#load$|__init#<clinit>$|^clojure\.lang\.RT#doInit$/;

/** The output matches the expected set byte for byte, and its evidence explains it. */
function checkOutput(out: string, report: TraceJson): void {
  expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(readFileSync(EXPECTED, 'utf8'));
  expect(report.evidence).toBe(join(out, 'ni-config-evidence.json'));
  const evidence = JSON.parse(readFileSync(join(out, 'ni-config-evidence.json'), 'utf8')) as EvidenceFile;
  expect(evidence.precision).toBe('tree');
  const loadingOnly = (e: EvidenceFile['entries'][number]): boolean =>
    e.paths.length > 0 && e.paths.every((p) => p.some((i) => LOADING.test(evidence.frames[i]!)));
  const kept = [
    ['reflection', 'java.util.AbstractList'],
    ['reflection', 'java.util.Arrays$ArrayList'],
    ['resources', 'hello/config.edn'],
  ];
  for (const [section, name] of kept) {
    const e = evidence.entries.find((x) => x.section === section && x.name === name);
    expect(e, `${section} ${name} in the evidence`).toBeDefined();
    // looked up at run time: some call of it is not below a namespace's loading
    expect(loadingOnly(e!), `${name} looked up at run time`).toBe(false);
  }
  // and the rest was looked up only while namespaces loaded
  const rest = evidence.entries.filter((e) => !kept.some(([s, n]) => e.section === s && e.name === n));
  expect(rest.length).toBeGreaterThan(100);
  expect(rest.filter((e) => !loadingOnly(e)).map((e) => `${e.section} ${e.name}`)).toEqual([]);
  expect(report.pruned).toBe(rest.length);
}

describe.each(engines)('the AOT-compiled Clojure fixture traced in a container on $name', (engine) => {
  beforeAll(() => ensureTestImage(engine), 300_000);
  afterEach(() => cleanupRun(engine));

  it('--preset clojure gives exactly the expected set, and the evidence file beside it', async () => {
    const out = join(tmp, `container-${engine.name}`);
    const r = await trace(
      engine,
      [
        '--agent-path',
        agent,
        '--container',
        IMAGE,
        '-e',
        'FUNCTION=clojure',
        '--events',
        'events/*.json',
        '--preset',
        'clojure',
        '-o',
        out,
        '--json',
      ],
      { tmp, cwd: CLOJURE_FN },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success']);
    // from the AOT classes: the JVM runs hello.core, no clojure.main compiles anything
    expect(report.stopped?.[0]?.command).toMatch(/ -cp \S*:\/var\/clj\/classes:\/var\/clj\/resources hello\.core$/);
    checkOutput(out, report);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });
});

describe('the AOT-compiled Clojure fixture traced locally', () => {
  it('with the command build.sh prints, --preset clojure gives the same set', async () => {
    const build = join(tmp, 'build');
    const built = spawnSync('bash', [join(CLOJURE_FN, 'build.sh'), build], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    expect(existsSync(join(build, 'classes', 'hello', 'core__init.class'))).toBe(true);
    const out = join(tmp, 'local');
    const r = await cli(
      [
        'trace',
        '--cmd',
        built.stdout.trim(),
        '--agent-path',
        agent,
        '--events',
        'events/*.json',
        '--preset',
        'clojure',
        '-o',
        out,
        '--json',
      ],
      { tmp, cwd: CLOJURE_FN },
    );
    expect(r.code, r.stderr).toBe(0);
    checkOutput(out, JSON.parse(r.stdout) as TraceJson);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });
});
