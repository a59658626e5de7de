/** prune as a user runs it: presets, rule files, trace, keep, library jars, --explain, --json, bad input. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PruneResultJson as PruneJson } from '../../src/commands/prune.js';
import { CORPUS } from '../helpers.js';
import { run, tempDir } from './harness.js';

const HOLY_TASKS = join(
  CORPUS,
  'others/FieryCod__holy-lambda/7484c85/modules/holy-lambda-babashka-tasks/resources/native-configuration',
);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, 'raw'));
  await cp(join(HOLY_TASKS, 'reflect-config.orig.json'), join(dir, 'raw', 'reflect-config.json'));
  await cp(join(HOLY_TASKS, 'resource-config.json'), join(dir, 'raw', 'resource-config.json'));
});
afterEach(async () => cleanup());

describe('prune', () => {
  it('removes noise, explains each removal and counts per rule', async () => {
    const r = await run(
      [
        'prune',
        'raw',
        '--preset',
        'clojure',
        'default',
        '--trace',
        join(HOLY_TASKS, 'traces.json'),
        '--explain',
        '-o',
        'out',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    // the trace shows it was looked up only while namespaces loaded: the evidence decides
    expect(r.stdout).toMatch(
      /^removed reflection clojure\.core__init {2}\[clojure\/evidence\] looked up only while namespaces loaded/m,
    );
    expect(r.stderr).toMatch(/^ +\d+ {2}clojure\/evidence$/m);
    expect(r.stderr).toMatch(
      /pruned \d+ entries by \d+ rules \(presets: clojure, launcher, hidden-classes, class-resources, lambda-runtime\)/,
    );
    const out = JSON.parse(readFileSync(join(dir, 'out', 'reflect-config.json'), 'utf8')) as { name: string }[];
    expect(out.some((e) => e.name.endsWith('__init'))).toBe(false);
    expect(out.map((e) => e.name)).toContain('java.util.Properties');
  });

  it('--json reports removals, counts and the sets before and after; --dry-run writes nothing', async () => {
    const r = await run(['prune', 'raw', '--preset', 'clojure', '--dry-run', '--json', '-o', 'out'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PruneJson;
    expect(out.before.reflection).toBe(211);
    expect(out.after.reflection).toBe(
      out.before.reflection! - out.removed.filter((x) => x.whole && x.section === 'reflection').length,
    );
    expect(Object.values(out.counts).reduce((a, b) => a + b, 0)).toBe(out.removed.length);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reads presets and rules from ni-config.jsonc, and the agent filter format as it is', async () => {
    await cp(join(HOLY_TASKS, 'reflections-filters.json'), join(dir, 'filters.json'));
    await writeFile(join(dir, 'ni-config.jsonc'), '{ "prune": { "rules": ["filters.json"] } }');
    const r = await run(['prune', 'raw', '--dry-run', '--json'], dir);
    const out = JSON.parse(r.stdout) as PruneJson;
    expect(Object.keys(out.counts)).toEqual(['filters.json/rules/0']);
    expect(out.removed.every((x) => x.entry.startsWith('clojure.'))).toBe(true);
  });

  it('subtracts what a library jar ships in META-INF/native-image', async () => {
    const meta = join(dir, 'lib', 'META-INF', 'native-image', 'g', 'a');
    await mkdir(meta, { recursive: true });
    await writeFile(join(meta, 'reflect-config.json'), '[{"name": "java.util.Properties", "allPublicMethods": true}]');
    execFileSync('jar', ['cf', join(dir, 'lib.jar'), '-C', join(dir, 'lib'), 'META-INF']);
    const r = await run(['prune', 'raw', '--library-config', 'lib.jar', '--dry-run', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PruneJson;
    expect(out.removed).toEqual([
      {
        section: 'reflection',
        entry: 'java.util.Properties',
        rule: 'library:lib.jar',
        reason: 'lib.jar ships this itself (N16)',
        whole: true,
      },
    ]);
  });

  it('names both the keep file and the rule when a pin wins', async () => {
    await writeFile(join(dir, 'keep.json'), '[{"name": "clojure.core__init"}]');
    const r = await run(['prune', 'raw', '--preset', 'clojure', '--keep', 'keep.json', '-o', 'out'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: clojure\.core__init: kept by keep\.json, although rule clojure\/N1 removes it/);
  });

  it('refuses an unknown preset, naming the one it most likely meant and the valid ones', async () => {
    const r = await run(['prune', 'raw', '--preset', 'clojur', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unknown preset 'clojur' \(did you mean 'clojure'\?\); the presets are clojure, launcher, hidden-classes, class-resources, lambda-runtime, libraries, default/,
    );
    const json = await run(['--json', 'prune', 'raw', '--preset', 'nothing-like-it', '-o', 'out'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, type: 'usage' });
    expect(json.stdout).not.toContain('did you mean');
  });

  it('names the key or value a typo in the project file or a metadata file meant', async () => {
    await writeFile(join(dir, 'ni-config.jsonc'), '{"prune": {"presetz": ["clojure"]}, "format": "unifed"}');
    const project = await run(['validate', 'raw'], dir);
    expect(project.code).toBe(2);
    const said = project.stdout + project.stderr;
    expect(said).toContain("unknown setting 'presetz' (see schemas/ni-config.schema.json); did you mean 'presets'?");
    expect(said).toContain('expected one of "unified", "legacy", found "unifed"; did you mean \'unified\'?');
    await writeFile(join(dir, 'ni-config.jsonc'), '{}');
    await writeFile(join(dir, 'typo.json'), '[{"name": "a.B", "allDeclaredFeilds": true}]');
    const metadata = await run(['validate', 'typo.json'], dir);
    expect(metadata.stdout).toContain(
      "unknown key 'allDeclaredFeilds' in a reflect-config.json entry; native-image ignores it; did you mean 'allDeclaredFields'?",
    );
  });

  it('refuses rule files with syntax errors or regexes that do not compile, with positions', async () => {
    await writeFile(join(dir, 'broken.jsonc'), '{\n  // mine\n  "rules": [ {"excludeClasses": "a.**"} \n');
    const r = await run(['prune', 'raw', '--rules', 'broken.jsonc', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.jsonc:4:1: error \[json-syntax\] expected .*, found the end of the file/);
    await writeFile(join(dir, 'regex.jsonc'), '{\n  "rules": [\n    {"excludeRegex": "clojure\\\\.(core"}\n  ]\n}\n');
    const r2 = await run(['prune', 'raw', '--rules', 'regex.jsonc', '-o', 'out'], dir);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/regex\.jsonc:3:6: error \[bad-regex\] the regex "clojure\\\\.\(core" does not compile/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('says when it would prune nothing, and names the presets that default stands for', async () => {
    await mkdir(join(dir, 'clean'));
    await writeFile(join(dir, 'clean', 'reflect-config.json'), '[{"name": "app.Handler", "allDeclaredMethods": true}]');
    const r = await run(['prune', 'clean', '--preset', 'default', '--dry-run'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^would prune nothing \(presets: launcher, hidden-classes, class-resources, lambda-runtime\)$/m,
    );
  });

  it('asks for -o or --dry-run', async () => {
    const r = await run(['prune', 'raw', '--preset', 'clojure'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give -o OUT/);
  });
});
