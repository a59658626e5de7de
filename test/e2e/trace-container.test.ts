/**
 * trace --container with podman (set up by test/container/setup-podman.sh, image built by
 * test/container/build-image.sh; .ci/run does both): Runtime API mode, the stand-in agent
 * mounted read-only, failure paths, and nothing left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult as TraceJson } from '../../src/commands/trace.js';
import { REPO } from '../helpers.js';
import { IMAGE, containersLeft, ensureTestImage } from './container.js';
import { buildAgent } from '../../scripts/build-agent.mjs';

const BIN = join(REPO, 'bin', 'ni-config.js');
const FN = join(REPO, 'test', 'fixtures-java', 'hello');
const work = mkdtempSync(join(tmpdir(), 'ni-config-container-e2e-'));
let agent: string;

beforeAll(() => {
  agent = buildAgent() as string;
  ensureTestImage();
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function trace(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(
    process.execPath,
    [BIN, 'trace', '--engine', 'podman', '--runtime-api', '--agent-path', agent, ...args],
    { cwd: FN, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, timeout: 120_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDirsLeft = (): string[] =>
  readdirSync(tmpdir()).filter((d) => d.startsWith('ni-config-trace-') && !d.includes('e2e'));

describe('trace --container (podman, Runtime API mode)', () => {
  it('traces the image, copies the agent output out and removes the container', () => {
    const out = join(work, 'out1');
    const before = tempDirsLeft();
    const r = trace(['--container', IMAGE, '--events', 'events/*.json', '-o', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.counts.success).toBe(2);
    expect(report.runs).toBe(1);
    const metadata = JSON.parse(readFileSync(join(out, 'reachability-metadata.json'), 'utf8'));
    expect(metadata.reflection).toContainEqual({
      type: 'example.Greeting',
      methods: [
        { name: '<init>', parameterTypes: ['java.lang.String'] },
        { name: 'text', parameterTypes: [] },
      ],
    });
    expect(containersLeft()).toBe('');
    expect(tempDirsLeft()).toEqual(before);
  });

  it('merges the run of the JVM restarted after a crash in the container', () => {
    const out = join(work, 'out2');
    const r = trace([
      '--container',
      IMAGE,
      '--event',
      '{"action":"sleep","ms":"1600"}',
      '--event',
      '{"action":"crash"}',
      '--event',
      '{"action":"greet","model":"Greeting","name":"Ada"}',
      '--period',
      '1',
      '-o',
      out,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as TraceJson;
    expect(report.events.map((e) => e.status)).toEqual(['success', 'crash', 'success']);
    expect(report.runs).toBe(2);
    expect(containersLeft()).toBe('');
  });

  it('traces the Clojure function in the same image and prunes its namespace noise', () => {
    const out = join(work, 'clj');
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        'trace',
        '--engine',
        'podman',
        '--runtime-api',
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
        'default',
        '--format',
        'legacy',
        '-o',
        out,
      ],
      { cwd: join(REPO, 'test', 'fixtures-clojure', 'hello'), encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const names = (JSON.parse(readFileSync(join(out, 'reflect-config.json'), 'utf8')) as { name: string }[]).map(
      (e) => e.name,
    );
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => n.endsWith('__init') || /\$(eval|fn__)\d+/.test(n))).toEqual([]);
    expect(readFileSync(join(out, 'resource-config.json'), 'utf8')).toContain('hello/config.edn');
    expect(containersLeft()).toBe('');
  });

  it('says clearly when the image is missing or the engine is not installed', () => {
    const missing = trace([
      '--container',
      'localhost/ni-config-test/no-such-image:1',
      '--events',
      'events/*.json',
      '-o',
      join(work, 'out3'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/image localhost\/ni-config-test\/no-such-image:1 not found locally/);
    const noEngine = trace(['--container', IMAGE, '--events', 'events/*.json', '-o', join(work, 'out4')], {
      ...process.env,
      PATH: work,
    });
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toMatch(/podman is not installed/);
  });

  it('removes the container and its temp directory on Ctrl-C', async () => {
    const before = tempDirsLeft();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'trace',
        '--engine',
        'podman',
        '--runtime-api',
        '--agent-path',
        agent,
        '--container',
        IMAGE,
        '--event',
        '{"action":"sleep","ms":"60000"}',
        '-o',
        join(work, 'out5'),
      ],
      { cwd: FN, stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && containersLeft() === ''; i++) await new Promise((r) => setTimeout(r, 100));
    expect(containersLeft()).not.toBe('');
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(containersLeft()).toBe('');
    expect(tempDirsLeft()).toEqual(before);
  });
});
