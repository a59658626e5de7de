/**
 * write --fix (the native-image.properties the packaging lints flag, repaired in place after a
 * diff) and write --check naming the entries that differ and the command that updates them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixResult } from '../../src/commands/write.js';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(join(REPO, 'fixtures', 'packaging'), join(dir, 'p'), { recursive: true });
});
afterEach(async () => cleanup());

const NETTY = 'p/seeds/netty-like/META-INF/native-image/io.example/netty-like';
const POSTGRES =
  'p/clj-easy__graal-config/137d643/config/org.postgresql/postgresql/resources/META-INF/native-image/org.postgresql/postgresql';
const read = (p: string): string => readFileSync(join(dir, p), 'utf8');
const names = async (p: string): Promise<string[]> => (await readdir(join(dir, p))).sort();

describe('write --fix', () => {
  it('--dry-run prints the diff and the renames, writes nothing', async () => {
    const before = read(`${NETTY}/native-image.properties`);
    const r = await run(['write', '--fix', '--dry-run', 'p/seeds/netty-like'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- a/${NETTY}/native-image.properties\n+++ b/${NETTY}/native-image.properties\n@@ `);
    expect(r.stdout).toContain('\n-       -H:-AllowVMInspection \\\n');
    expect(r.stdout).toContain('\n+Args = --initialize-at-build-time \\\n');
    expect(r.stdout).toContain(`rename ${NETTY}/reflection-config.json → ${NETTY}/reflect-config.json\n`);
    expect(r.stderr).toContain(
      `${NETTY}/native-image.properties: would fix:\n  drop -H:ReflectionConfigurationResources=`,
    );
    expect(r.stderr).toContain('left for you:\n  --initialize-at-build-time: name the packages or classes');
    expect(r.stderr).toContain('nothing was written (--dry-run)');
    expect(read(`${NETTY}/native-image.properties`)).toBe(before);
    expect(await names(NETTY)).toEqual(['native-image.properties', 'reflection-config.json']);
  });

  it('--check exits 1 while something is left to fix and names the command', async () => {
    const r = await run(['write', '--fix', '--check', 'p/seeds/netty-like'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run `ni-config write --fix p\/seeds\/netty-like` to apply the fixes\n$/);
  });

  it('applies the fix in one transaction; validate then reports only what is left; a second run changes nothing', async () => {
    const reflection = read(`${NETTY}/reflection-config.json`);
    const r = await run(['write', '--fix', 'p/seeds/netty-like'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(': fixed:\n');
    expect(await names(NETTY)).toEqual(['native-image.properties', 'reflect-config.json']);
    expect(read(`${NETTY}/reflect-config.json`)).toBe(reflection);
    const props = read(`${NETTY}/native-image.properties`);
    expect(props).toContain('ImageName = netty-like\nArgs = --initialize-at-build-time \\\n');
    expect(props).toContain('\nJavaArgs = -Xmx2g\n');
    expect(props).toMatch(/^# Hand-written: /);
    const after = await run(['validate', '--json', 'p/seeds/netty-like'], dir);
    expect((JSON.parse(after.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code)).toEqual([
      'removed-option',
    ]);
    const again = await run(['write', '--fix', '--check', 'p/seeds/netty-like'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
  });

  it('a real library file (clj-easy postgresql): renamed, and the properties file that only wired it in goes', async () => {
    const r = await run(['write', '--fix', '--json', POSTGRES], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as FixResult;
    expect(out).toMatchObject({ fix: true, ok: true, upToDate: false, check: false, dryRun: false });
    expect(out.directories[0]!.renames).toEqual([{ from: 'reflection-config.json', to: 'reflect-config.json' }]);
    expect(await names(POSTGRES)).toEqual(['reflect-config.json']);
    expect(out.deleted.map((d) => d.replace(/.*\//, '')).sort()).toEqual([
      'native-image.properties',
      'reflection-config.json',
    ]);
  });

  it('leaves what it cannot fix and says why (clj-easy clj-test-containers)', async () => {
    const r = await run(
      ['write', '--fix', '--dry-run', 'p/clj-easy__graal-config/137d643/config/clj-test-containers'],
      dir,
    );
    expect(r.stderr).toContain('drop -H:+JNI: JNI support is on by default: remove it');
    expect(r.stderr).toMatch(/left for you:\n {2}-H:IncludeResources.*resource-config\.json already exists here/);
  });

  it('without paths it needs "inputs" or a layout in the project file, and refuses layout-only flags', async () => {
    const r = await run(['write', '--fix'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no paths: name the directories/);
    const format = await run(['write', '--fix', '--format', 'unified', 'p/seeds/netty-like'], dir);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format and --force are for writing a layout/);
  });
});

describe('write --check', () => {
  it('names the first entries that differ per file and the command that updates them', async () => {
    await cp(join(REPO, 'examples', 'hello-lambda', 'agent-output'), join(dir, 'runs'), { recursive: true });
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "write": { "group": "com.example", "artifact": "hello" } }');
    expect((await run(['write', 'runs', '--format', 'unified'], dir)).code).toBe(0);
    const r = await run(['write', 'runs/run-1', '--format', 'unified', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ {2}reachability-metadata\.json: \d+ entr(y|ies) added, \d+ removed\n {4}\+ \{"name":/);
    expect(r.stderr).toMatch(/\n {4}- \{"interfaces":\["example\.OrderRepository"\]\}\n/);
    expect(r.stderr).toMatch(/\n {4}- … and \d+ more\n/);
    expect(r.stderr).toMatch(/\nrun `ni-config write runs\/run-1 --format unified` to update them\n$/);
    expect(existsSync(join(dir, 'src/main/resources/META-INF/native-image/com.example/hello'))).toBe(true);
  });
});
