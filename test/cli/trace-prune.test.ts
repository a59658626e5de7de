/**
 * trace and prune share one prune plan: the same agent output with the same settings (presets,
 * rules, keep, aggressive from ni-config.jsonc) gives byte-identical metadata from both. The
 * traced function is a stand-in process that leaves a fixed agent output, so no JVM runs.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

const AGENT_OUTPUT = join(REPO, 'examples', 'hello-clojure', 'agent-output', 'run-1');
const FAKE = join(REPO, 'test', 'cli', 'fixtures', 'fake-runtime.mjs');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(AGENT_OUTPUT, join(dir, 'agent-output'), { recursive: true });
});
afterEach(async () => cleanup());

async function files(out: string): Promise<Record<string, string>> {
  const names = (await readdir(join(dir, out))).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, out, n), 'utf8')])));
}

const trace = (extra: string[]) =>
  run(['trace', '--cmd', `${process.execPath} ${FAKE} ${join(dir, 'agent-output')}`, '--event', '{}', ...extra], dir);

describe('trace and prune, one plan', () => {
  it('give the same metadata for the same agent output and project settings', async () => {
    await writeFile(
      join(dir, 'rules.jsonc'),
      '{ "rules": [{ "excludeClasses": "java.net.http.**", "reason": "the client is built at image build time" }] }',
    );
    await writeFile(join(dir, 'keep.json'), '[{ "name": "java.net.http.HttpClient" }]');
    await writeFile(
      join(dir, 'ni-config.jsonc'),
      '{ "prune": { "presets": ["clojure", "default"], "rules": ["rules.jsonc"], "keep": ["keep.json"], "aggressive": true } }',
    );
    const traced = await trace(['-o', 'traced', '--format', 'legacy']);
    expect(traced.code, traced.stderr).toBe(0);
    const pruned = await run(['prune', 'agent-output', '-o', 'pruned', '--format', 'legacy'], dir);
    expect(pruned.code, pruned.stderr).toBe(0);
    const a = await files('traced');
    expect(a).toEqual(await files('pruned'));
    // the settings took effect: namespace noise gone, the rule file's exclusion done, the pin kept
    const names = (JSON.parse(a['reflect-config.json']!) as { name: string }[]).map((e) => e.name);
    expect(names.filter((n) => n.endsWith('__init'))).toEqual([]);
    expect(names.filter((n) => n.startsWith('java.net.http.'))).toEqual(['java.net.http.HttpClient']);
  });

  it('flags override the project file in both', async () => {
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "prune": { "presets": ["clojure"] } }');
    expect((await trace(['-o', 'traced', '--preset', 'hidden-classes'])).code).toBe(0);
    expect(
      (await run(['prune', 'agent-output', '-o', 'pruned', '--preset', 'hidden-classes', '--format', 'unified'], dir))
        .code,
    ).toBe(0);
    const a = await files('traced');
    expect(a).toEqual(await files('pruned'));
    expect(a['reachability-metadata.json']).toMatch(/__init/);
  });
});
