/**
 * The Scala fixture function (Debian's scala 2.11, its own Runtime API client over
 * HttpURLConnection; compiled by its build.sh, on the host for the local trace and when the test
 * image is built for FUNCTION=scala) traced in the test image on every engine here, under the
 * emulator and with --runtime-api: each gives byte for byte the set the local trace with the
 * command build.sh prints gives — its resource, the reflective close() of its loan pattern, the
 * standard library's lookups at class init.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { buildAgent } from '../../scripts/build-agent.mjs';
import { IMAGE, cleanupRun, containersLeft, engines, ensureTestImage } from './engines.js';
import { SCALA_FN, cli, suiteDir, tempDirsLeft, trace, withDecoy } from './trace-suite.js';

const tmp = suiteDir('scala');
let agent: string;
/** The local trace's reachability-metadata.json: what every container trace must give. */
let local: string;

beforeAll(async () => {
  agent = buildAgent() as string;
  const build = join(tmp, 'build');
  const built = spawnSync('bash', [join(SCALA_FN, 'build.sh'), build], { encoding: 'utf8', timeout: 180_000 });
  if (built.status !== 0) throw new Error(`build.sh failed (exit ${built.status}):\n${built.stderr}`);
  const out = join(tmp, 'local');
  const r = await cli(
    ['trace', '--cmd', built.stdout.trim(), '--agent-path', agent, '--events', 'events/*.json', '-o', out, '--json'],
    { tmp, cwd: SCALA_FN },
  );
  if (r.code !== 0) throw new Error(`the local trace failed (exit ${r.code}):\n${r.stderr}`);
  local = readFileSync(join(out, 'reachability-metadata.json'), 'utf8');
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Metadata {
  readonly reflection: readonly { type: string; methods?: { name: string }[]; fields?: { name: string }[] }[];
  readonly resources: readonly { glob: string }[];
}

describe('the Scala fixture traced locally', () => {
  it('records what the function needs, so that the same set from a container means something', () => {
    const m = JSON.parse(local) as Metadata;
    expect(m.resources.map((r) => r.glob)).toEqual(expect.arrayContaining(['hello/greeting.properties']));
    const types = m.reflection.map((e) => e.type);
    expect(types).toContain('scala.io.BufferedSource');
    expect(m.reflection.find((e) => e.type === 'scala.concurrent.forkjoin.ForkJoinTask')?.fields).toEqual([
      { name: 'status' },
    ]);
  });
});

describe.each(engines)('the Scala fixture traced in a container on $name', (engine) => {
  beforeAll(() => ensureTestImage(engine), 300_000);
  withDecoy(engine);
  afterEach(() => cleanupRun(engine));

  it.each([
    ['under the emulator in the image', []],
    ['with --runtime-api', ['--runtime-api']],
  ])('%s gives the set the local trace gives', async (mode, extra) => {
    const out = join(tmp, `container-${engine.name}-${extra.length}`);
    const r = await trace(
      engine,
      [
        '--agent-path',
        agent,
        '--container',
        IMAGE,
        ...extra,
        '-e',
        'FUNCTION=scala',
        '--events',
        'events/*.json',
        '-o',
        out,
        '--json',
      ],
      { tmp, cwd: SCALA_FN },
    );
    expect(r.code, `${mode}: ${r.stderr}`).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => [e.event, e.status, e.answer])).toEqual([
      ['events/01.json', 'success', '{"message":"Hello, ADA"}'],
      ['events/02.json', 'success', '{"message":"Hello, GRACE"}'],
    ]);
    // the Scala function, with scala-library where build.sh has it, and its own classes
    expect(report.stopped?.map((p) => p.command)).toEqual([
      '/jre/bin/java -cp /usr/share/java/scala-library.jar:/var/scala/classes:/var/scala/resources hello.Main',
    ]);
    expect(readFileSync(join(out, 'reachability-metadata.json'), 'utf8')).toBe(local);
    expect(containersLeft(engine)).toEqual([]);
    expect(tempDirsLeft(tmp)).toEqual([]);
  });
});
