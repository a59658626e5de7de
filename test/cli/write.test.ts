/** write: the META-INF layout, native-image.properties, whole-set replacement, --check. */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL, recover, replaceFileSet } from '../../src/io/transaction.js';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

let dir: string;
let cleanup: () => Promise<void>;
const LAYOUT = 'src/main/resources/META-INF/native-image/com.example/hello';
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(join(REPO, 'examples', 'hello-lambda', 'agent-output'), join(dir, 'runs'), { recursive: true });
  await writeFile(
    join(dir, 'ni-config.jsonc'),
    '{\n  // the function\n  "write": { "group": "com.example", "artifact": "hello", "args": ["--initialize-at-build-time=example", "--enable-url-protocols=http"] }\n}\n',
  );
});
afterEach(async () => cleanup());

const read = (p: string): string => readFileSync(join(dir, LAYOUT, p), 'utf8');
const files = async (): Promise<string[]> => (await readdir(join(dir, LAYOUT))).sort();

describe('write', () => {
  it('writes the layout and a native-image.properties with continued Args; --check agrees afterwards', async () => {
    const r = await run(['write', 'runs', '--format', 'unified'], dir);
    expect(r.code).toBe(0);
    expect(await files()).toEqual(['native-image.properties', 'reachability-metadata.json', 'resource-config.json']);
    expect(read('native-image.properties')).toMatch(
      /^Args = --initialize-at-build-time=example \\\n {7}--enable-url-protocols=http\n$/m,
    );
    expect((await run(['write', 'runs', '--format', 'unified', '--check'], dir)).code).toBe(0);
    const changed = await run(['write', 'runs/run-1', '--format', 'unified', '--check'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(
      /differs from what would be written:\n {2}reachability-metadata\.json: \d+ entr(y|ies) added, \d+ removed/,
    );
    await writeFile(
      join(dir, 'ni-config.jsonc'),
      '{ "write": { "group": "com.example", "artifact": "hello", "args": ["--initialize-at-build-time=example"] } }',
    );
    const props = await run(['write', 'runs', '--format', 'unified', '--check'], dir);
    expect(props.code).toBe(1);
    expect(props.stderr).toContain('  native-image.properties: changed\n    @@ -');
    expect(props.stderr).toContain('\n    -       --enable-url-protocols=http\n');
    expect(props.stderr).toContain('\n    +Args = --initialize-at-build-time=example\n');
  });

  it('keeps hand-written lines, other keys and ${.} references, and drops references to files it removes', async () => {
    await mkdir(join(dir, LAYOUT), { recursive: true });
    await writeFile(
      join(dir, LAYOUT, 'native-image.properties'),
      '# hand-written\nImageName = bootstrap\nArgs = -H:ReflectionConfigurationResources=${.}/custom.json \\\n  --enable-url-protocols=http\nJavaArgs = -Xmx4g\n',
    );
    expect((await run(['write', 'runs', '--format', 'legacy'], dir)).code).toBe(0);
    const props = read('native-image.properties');
    expect(props).toContain('# hand-written\nImageName = bootstrap\n');
    expect(props).toContain('JavaArgs = -Xmx4g\n');
    expect(props).toMatch(
      /Args = --initialize-at-build-time=example \\\n {7}--enable-url-protocols=http \\\n {7}-H:ReflectionConfigurationResources=\$\{\.\}\/custom\.json\n/,
    );
  });

  it('removes the files an earlier write made when the format changes, and others only with --force', async () => {
    expect((await run(['write', 'runs', '--format', 'legacy'], dir)).code).toBe(0);
    expect(await files()).toContain('reflect-config.json');
    await writeFile(join(dir, LAYOUT, 'predefined-classes-config.json'), '[]');
    const r = await run(['write', 'runs', '--format', 'unified'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/predefined-classes-config\.json was not written by ni-config and is kept/);
    expect(await files()).toEqual([
      'native-image.properties',
      'predefined-classes-config.json',
      'reachability-metadata.json',
      'resource-config.json',
    ]);
    expect((await run(['write', 'runs', '--format', 'unified', '--force'], dir)).code).toBe(0);
    expect(await files()).toEqual(['native-image.properties', 'reachability-metadata.json', 'resource-config.json']);
  });

  it('refuses coordinates that would leave the root', async () => {
    for (const [flag, value] of [
      ['--group', '../etc'],
      ['--artifact', 'a/b'],
      ['--group', '..'],
      ['--artifact', 'x\\y'],
    ] as const) {
      const r = await run(['write', 'runs', flag, value], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/path separator|not a directory name/);
    }
    expect(existsSync(join(dir, 'src'))).toBe(false);
  });

  it('reports an unwritable target and writes nothing', async () => {
    await writeFile(join(dir, 'src'), 'a file where the resource root should be');
    const r = await run(['write', 'runs'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot create the output directory/);
  });
});

describe('replaceFileSet', () => {
  it('completes a write that was interrupted after its journal was committed', async () => {
    const d = join(dir, 'set');
    await mkdir(d);
    await writeFile(join(d, 'a.json'), 'old a');
    await writeFile(join(d, 'b.json'), 'old b');
    // as left by a process killed between two renames: a already replaced, b's temp waiting
    await writeFile(join(d, 'a.json'), 'new a');
    await writeFile(join(d, '.b.json.1-x.tmp'), 'new b');
    await writeFile(
      join(d, JOURNAL),
      JSON.stringify({
        renames: [
          { from: '.a.json.1-x.tmp', to: 'a.json' },
          { from: '.b.json.1-x.tmp', to: 'b.json' },
        ],
        deletions: ['c.json'],
      }),
    );
    await writeFile(join(d, 'c.json'), 'stale');
    expect(await recover(d)).toBe(true);
    expect((await readdir(d)).sort()).toEqual(['a.json', 'b.json']);
    expect(readFileSync(join(d, 'b.json'), 'utf8')).toBe('new b');
  });

  it('leaves the old set whole when a file cannot be written', async () => {
    const d = join(dir, 'set');
    await mkdir(join(d, 'b.json'), { recursive: true }); // a directory where a file must go
    await writeFile(join(d, 'a.json'), 'old a');
    await expect(
      replaceFileSet(
        d,
        new Map([
          ['a.json', 'new a'],
          ['b.json', 'new b'],
        ]),
        [],
      ),
    ).rejects.toThrow();
    expect((await readdir(d)).sort()).toEqual(['a.json', 'b.json']);
    expect(readFileSync(join(d, 'a.json'), 'utf8')).toBe('old a');
  });
});
