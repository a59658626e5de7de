/** validate, convert and merge as a user runs them, in-process, on real temp directories. */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CombineResult as CombineJson } from '../../src/commands/combine.js';
import type { ValidateResult as ValidateJson } from '../../src/commands/validate.js';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(join(REPO, 'examples', 'hello-lambda', 'agent-output'), join(dir, 'runs'), { recursive: true });
});
afterEach(async () => cleanup());

const read = (p: string): string => readFileSync(join(dir, p), 'utf8');

describe('validate', () => {
  it('passes clean agent output and says what it checked', async () => {
    const r = await run(['validate', 'runs'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('checked 10 files: 0 errors, 0 warnings, 0 notes\n');
  });

  it('fails on errors, and on warnings only with --strict (flag or project file)', async () => {
    await mkdir(join(dir, 'w'));
    await writeFile(join(dir, 'w', 'reflect-config.json'), '[{"name": "a.B"}, {"name": "a.B"}]');
    expect((await run(['validate', 'w'], dir)).code).toBe(0);
    expect((await run(['validate', '--strict', 'w'], dir)).code).toBe(1);
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "strict": true, "inputs": ["w"] }');
    const r = await run(['validate'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^w\/reflect-config\.json:1:19: warning \[duplicate-entry\]/);
  });

  it('--json is the documented contract, with positions', async () => {
    await mkdir(join(dir, 'e'));
    await writeFile(
      join(dir, 'e', 'reachability-metadata.json'),
      '{\n  "reflection": [\n    {"type": "a.B", "condition": {"typeReachable": "c.D"}}\n  ]\n}\n',
    );
    const r = await run(['validate', '--json', 'e'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as ValidateJson;
    expect(out).toEqual({
      ok: false,
      strict: false,
      inputErrors: 0,
      counts: { error: 1, warning: 0, info: 0 },
      files: [{ file: 'e/reachability-metadata.json', kind: 'unified' }],
      findings: [
        {
          code: 'wrong-condition-key',
          severity: 'error',
          file: 'e/reachability-metadata.json',
          line: 3,
          col: 35,
          jsonPointer: '/reflection/0/condition/typeReachable',
          message: "reachability-metadata.json take 'typeReached'; native-image rejects 'typeReachable' here",
        },
      ],
    });
  });

  it('writes GitHub annotations with --format github', async () => {
    await mkdir(join(dir, 'g'));
    await writeFile(join(dir, 'g', 'reflect-config.json'), '[\n  {"name": "a/B"}\n]');
    const r = await run(['validate', '--format', 'github', 'g'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      "::error file=g/reflect-config.json,line=2,col=4,title=bad-class-name::'a/B': '/' is not a package separator in a class name (expected 'a.B')\n",
    );
  });

  it('reads stdin for -', async () => {
    const r = await run(['validate', '-'], dir, '{"reflection": [{"type": "a/B"}]}');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/<stdin>:1:\d+: error \[bad-class-name\] 'a\/B': '\/' is not a package separator/);
  });

  it('finds files that native-image.properties wires in under other names', async () => {
    const meta = join(dir, 'lib', 'META-INF', 'native-image', 'g', 'a');
    await mkdir(meta, { recursive: true });
    await writeFile(
      join(meta, 'native-image.properties'),
      'Args = --initialize-at-build-time=clojure \\\n  -H:ReflectionConfigurationResources=${.}/reflection-custom.json\n',
    );
    await writeFile(join(meta, 'reflection-custom.json'), '[{"name": "x.Y", "bogus": true}]');
    const r = await run(['validate', '--json', 'lib'], dir);
    const out = JSON.parse(r.stdout) as ValidateJson;
    expect(out.files).toEqual([{ file: 'lib/META-INF/native-image/g/a/reflection-custom.json', kind: 'reflect' }]);
    // the file is read; the packaging lints say the option is experimental and the name not the standard one
    expect(out.findings.map((f) => f.code)).toEqual(['experimental-option', 'nonstandard-name', 'ignored-key']);
  });
});

describe('convert and merge', () => {
  it('merge writes the same bytes whatever the order of the inputs', async () => {
    expect((await run(['merge', 'runs/run-1', 'runs/run-2', '-o', 'a', '--format', 'unified'], dir)).code).toBe(0);
    expect((await run(['merge', 'runs/run-2', 'runs/run-1', '-o', 'b', '--format', 'unified'], dir)).code).toBe(0);
    expect((await readdir(join(dir, 'a'))).sort()).toEqual(['reachability-metadata.json', 'resource-config.json']);
    for (const f of ['reachability-metadata.json', 'resource-config.json']) expect(read(`a/${f}`)).toBe(read(`b/${f}`));
  });

  it("merge keeps the inputs' format when they agree, and says what it wrote", async () => {
    const r = await run(['merge', 'runs', '-o', 'legacy-out'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /wrote legacy metadata \(9 reflection entries, 1 JNI entry, 1 proxy, 1 serialization entry, 3 resources, 1 bundle\) to legacy-out \(6 files\)\n$/,
    );
    expect(JSON.parse(read('legacy-out/proxy-config.json'))).toEqual([{ interfaces: ['example.OrderRepository'] }]);
    // a second identical run changes nothing on disk
    const again = await run(['merge', 'runs', '-o', 'legacy-out', '--json'], dir);
    const out = JSON.parse(again.stdout) as CombineJson;
    expect(out.written).toEqual([]);
    expect(out.unchanged).toHaveLength(6);
  });

  it('convert to a named .json file, and to stdout', async () => {
    expect((await run(['convert', 'runs/run-1', '--to', 'unified', '-o', 'out/app.json'], dir)).code).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['app.json']);
    const r = await run(['convert', 'runs/run-1', '--to', 'unified', '-o', '-'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read('out/app.json'));
    const legacy = await run(['convert', 'runs/run-1', '--to', 'legacy', '-o', '-'], dir);
    expect(legacy.code).toBe(2);
    expect(legacy.stderr).toMatch(/the legacy output is 6 files .*; give a directory with -o/);
  });

  it('carries through what validate would flag, and says so, but refuses input it cannot read', async () => {
    await mkdir(join(dir, 'odd'));
    await writeFile(
      join(dir, 'odd', 'reflect-config.json'),
      '[{"name": " a.B"}, {"name": "c.D", "condition": {"typeReachable": "x.Y$$Lambda$1/0x01"}}]',
    );
    const r = await run(['merge', 'odd', '-o', 'out'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/error \[bad-class-name\] ' a\.B': the name has leading or trailing white space/);
    expect(r.stderr).toMatch(/the inputs have 1 error\(s\) and 1 warning\(s\), carried as they are/);
    await writeFile(join(dir, 'odd', 'jni-config.json'), '[{"name": 1}]');
    const bad = await run(['merge', 'odd', '-o', 'out2'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /odd\/jni-config\.json:1:\d+: error \[wrong-type\][\s\S]*part of the input could not be read; nothing was written/,
    );
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  it('--dry-run writes nothing', async () => {
    const r = await run(['merge', 'runs', '-o', 'dry', '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/would write legacy metadata/);
    expect(existsSync(join(dir, 'dry'))).toBe(false);
  });

  it('warns about metadata files in the output directory that it does not replace', async () => {
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', 'reflect-config.json'), '[]');
    const r = await run(['convert', 'runs', '--to', 'unified', '-o', 'out'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/out\/reflect-config\.json is not part of this output but native-image will read it too/);
    expect(read('out/reflect-config.json')).toBe('[]');
  });

  it('names everything the unified format cannot hold', async () => {
    const r = await run(
      [
        'convert',
        join(REPO, 'fixtures', 'reference-examples', 'serialization-config.json'),
        join(REPO, 'fixtures', 'reference-examples', 'reflect-config.json'),
        '--to',
        'unified',
        '-o',
        'u',
        '--json',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as CombineJson;
    expect(out.notes.map((n) => n.code)).toEqual(['implied-queries', 'side-file']);
    expect(out.notes.find((n) => n.code === 'side-file')?.entries).toEqual([
      'lambda-capturing type com.example.Lambdas',
      'serialization com.example.CacheEntry (if com.example.Cache) with customTargetConstructorClass java.lang.Object',
    ]);
    expect(JSON.parse(read('u/serialization-config.json')).lambdaCapturingTypes).toEqual([
      { name: 'com.example.Lambdas' },
    ]);
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await run(['convert', 'runs', '-o', 'x'], dir)).code).toBe(2);
    expect((await run(['convert', 'runs', '--to', 'yaml', '-o', 'x'], dir)).code).toBe(2);
    expect((await run(['merge', 'runs', '-o', 'x.json', '--format', 'legacy'], dir)).stderr).toMatch(
      /-o must name a directory/,
    );
    expect((await run(['frobnicate'], dir)).code).toBe(2);
    expect((await run(['validate'], dir)).stderr).toMatch(/no input paths/);
  });
});
