/** The project file drives trace: `ni-config trace` alone repeats the team's trace, and flags override it key by key. */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/commands/trace.js';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

const AGENT_OUTPUT = join(REPO, 'examples', 'hello-clojure', 'agent-output', 'run-1');
const FAKE = join(REPO, 'test', 'cli', 'fixtures', 'fake-runtime.mjs');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(AGENT_OUTPUT, join(dir, 'agent-output'), { recursive: true });
  await mkdir(join(dir, 'events'));
  await writeFile(join(dir, 'events', 'a.json'), '{"n": 1}');
  await writeFile(join(dir, 'events', 'b.json'), '{"n": 2}');
  const project = {
    trace: {
      cmd: `${process.execPath} ${FAKE} ${join(dir, 'agent-output')}`,
      events: ['events/*.json'],
      env: { STAGE: 'test' },
      timeout: 30,
      period: 5,
      out: 'traced',
      format: 'legacy',
    },
    prune: { presets: ['clojure'] },
  };
  await writeFile(join(dir, 'ni-config.jsonc'), `// the team's trace\n${JSON.stringify(project, null, 2)}\n`);
});
afterEach(async () => cleanup());

describe('trace from ni-config.jsonc', () => {
  it('runs with no flags at all', async () => {
    const r = await run(['trace', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as TraceResult;
    expect(out.events.map((e) => e.event)).toEqual(['events/a.json', 'events/b.json']);
    expect(out.format).toBe('legacy');
    expect(out.output).toBe('traced');
    const names = (
      JSON.parse(await readFile(join(dir, 'traced', 'reflect-config.json'), 'utf8')) as { name: string }[]
    ).map((e) => e.name);
    expect(names.some((n) => n.endsWith('__init'))).toBe(false);
  });

  it('lets each flag override its key', async () => {
    const r = await run(['trace', '--event', '{"n": 3}', '-o', 'other.json', '--format', 'unified', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as TraceResult;
    expect(out.events.map((e) => e.event)).toEqual(['--event #1']);
    expect(existsSync(join(dir, 'other.json'))).toBe(true);
    expect(existsSync(join(dir, 'traced'))).toBe(false);
  });

  it('refuses a trace section the schema does not know, at the key', async () => {
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "trace": { "evnts": ["x"] } }');
    const r = await run(['trace'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ni-config\.jsonc:1:\d+: error \[schema\] unknown setting 'evnts'/);
  });

  it('invoke reads the same section', async () => {
    const r = await run(['invoke', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as TraceResult).events).toHaveLength(2);
  });
});

describe('merge and convert read "inputs" when no paths are given', () => {
  it('merge', async () => {
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "inputs": ["agent-output"] }');
    const r = await run(['merge', '-o', 'merged'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'merged', 'reflect-config.json'))).toBe(true);
    expect((await run(['convert', '--to', 'unified', '-o', 'u.json'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'u.json'))).toBe(true);
  });

  it('and say how to give paths when there are none', async () => {
    const r = await run(['merge', '-o', 'merged'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no input paths: name files or directories, or list them under "inputs"/);
  });
});
