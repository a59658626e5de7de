/**
 * validate on native-image.properties and the layout (the packaging lints), files that are not
 * metadata, --quiet, --max-warnings and --profile reachability-repo, as a user runs them.
 */
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ValidateResult } from '../../src/commands/validate.js';
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
const json = async (argv: string[]): Promise<{ code: number; out: ValidateResult }> => {
  const r = await run([...argv, '--json'], dir);
  return { code: r.code, out: JSON.parse(r.stdout) as ValidateResult };
};

describe('validate: the paths shown', () => {
  it('shows a file below a directory given with a trailing slash as below it, metadata and properties alike', async () => {
    for (const given of ['p/seeds/netty-like', 'p/seeds/netty-like/', './p/seeds/netty-like//']) {
      const { out } = await json(['validate', given]);
      const base = given.replace(/\/+$/, '');
      expect(out.files.map((f) => f.file).sort(), given).toEqual([
        `${base}${NETTY.slice('p/seeds/netty-like'.length)}/reflection-config.json`,
      ]);
      expect(new Set(out.findings.map((f) => f.file)), given).toEqual(
        new Set([`${base}${NETTY.slice('p/seeds/netty-like'.length)}/native-image.properties`]),
      );
    }
  });
});

describe('validate: native-image.properties', () => {
  it('reports the seed options at their properties line, and the file wired in under another name', async () => {
    const r = await run(['validate', 'p/seeds/netty-like'], dir);
    expect(r.code).toBe(1); // the bare --initialize-at-build-time is an error
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/\] .*/, ']'))).toEqual([
      `${NETTY}/native-image.properties:5:8: warning [experimental-option]`,
      `${NETTY}/native-image.properties:5:44: warning [nonstandard-name]`,
      `${NETTY}/native-image.properties:6:8: warning [deprecated-option]`,
      `${NETTY}/native-image.properties:7:8: warning [deprecated-option]`,
      `${NETTY}/native-image.properties:8:8: error [removed-option]`,
    ]);
    expect(r.stderr).toBe('checked 1 file and 1 native-image.properties: 1 error, 4 warnings, 0 notes\n');
  });

  it('--json carries the properties files and every finding with its place', async () => {
    const { out } = await json(['validate', 'p/seeds/netty-like']);
    expect(out.properties).toEqual([`${NETTY}/native-image.properties`]);
    expect(out.files).toEqual([{ file: `${NETTY}/reflection-config.json`, kind: 'reflect' }]);
    expect(out.findings.find((f) => f.code === 'removed-option')).toMatchObject({
      severity: 'error',
      line: 8,
      col: 8,
      jsonPointer: '',
    });
  });

  it('validates a native-image.properties named on the command line, and the file it wires in', async () => {
    const { out } = await json(['validate', `${NETTY}/native-image.properties`]);
    expect(out.files).toEqual([{ file: `${NETTY}/reflection-config.json`, kind: 'reflect' }]);
    expect(out.findings.map((f) => f.code)).toContain('removed-option');
    expect(out.findings.some((f) => f.code === 'json-syntax')).toBe(false);
  });

  it('on real library files (clj-easy/graal-config): experimental options, non-standard names, pre-1.0 forms', async () => {
    const { code, out } = await json(['validate', 'p/clj-easy__graal-config']);
    expect(code).toBe(0); // warnings only
    const byCode = (c: string): number => out.findings.filter((f) => f.code === c).length;
    expect(out.properties).toHaveLength(2);
    expect(byCode('experimental-option')).toBe(7);
    expect(byCode('nonstandard-name')).toBe(2);
  });

  it('metadata directly in META-INF/native-image, and a reflection-config.json nothing wires in', async () => {
    const { out } = await json(['validate', 'p/seeds/flat']);
    expect(out.findings.map((f) => `${f.code} ${f.file.replace(/.*\//, '')}`)).toEqual([
      'layout reflect-config.json',
      'nonstandard-name reflection-config.json',
    ]);
  });
});

describe('validate: files that are not metadata', () => {
  it('refuses package.json with one finding instead of a dozen ignored keys', async () => {
    const r = await run(['validate', 'p/not-metadata/package.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^p\/not-metadata\/package\.json: error \[not-metadata\] not a metadata file: /);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const { out } = await json(['validate', 'p/not-metadata/package.json']);
    expect(out.files).toEqual([{ file: 'p/not-metadata/package.json', kind: null }]);
  });

  it('still reads a metadata document under another name, and one on stdin', async () => {
    await writeFile(join(dir, 'custom.json'), '{"reflection": [{"type": "a.B", "bogus": 1}]}');
    const { out } = await json(['validate', 'custom.json']);
    expect(out.findings.map((f) => f.code)).toEqual(['ignored-key']);
    const stdin = await run(['validate', '-'], dir, '{"name": "x", "version": "1"}');
    expect(stdin.stdout).toMatch(/^<stdin>: error \[not-metadata\]/);
  });
});

describe('validate: --quiet and --max-warnings', () => {
  it('--quiet shows errors only; the counts and the exit code still see the warnings', async () => {
    const r = await run(['validate', '--quiet', 'p/seeds/netty-like'], dir);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('[removed-option]');
    expect(r.stderr).toContain('1 error, 4 warnings, 0 notes (--quiet: only errors shown)');
    const { out } = await json(['validate', '--quiet', 'p/seeds/flat']);
    expect(out).toMatchObject({ ok: true, quiet: true, counts: { warning: 2 }, findings: [] });
  });

  it('--max-warnings N fails on more than N warnings, as eslint does', async () => {
    expect((await run(['validate', '--max-warnings', '2', 'p/seeds/flat'], dir)).code).toBe(0);
    const over = await run(['validate', '--max-warnings', '1', 'p/seeds/flat'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('(more than --max-warnings 1)');
    const bad = await run(['validate', '--max-warnings', 'x', 'p/seeds/flat'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-warnings expects a whole number/);
  });
});

describe('validate --profile reachability-repo', () => {
  const ROOT = 'p/reachability-repo';
  it('passes an artifact that meets the repository checks', async () => {
    const r = await run(['validate', '--profile', 'reachability-repo', `${ROOT}/metadata/com.example/good-lib`], dir);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports each check the repository runs, at its place', async () => {
    const { code, out } = await json(['validate', '--profile', 'reachability-repo', ROOT]);
    expect(code).toBe(1);
    expect(out.profile).toBe('reachability-repo');
    const repo = out.findings
      .filter((f) => f.code.startsWith('repo-'))
      .map((f) => `${f.code} ${f.file.replace(`${ROOT}/metadata/com.example/`, '')}:${f.line}`);
    expect(repo).toEqual([
      'repo-unconditional bad-lib/1.0.0/reachability-metadata.json:3',
      'repo-condition bad-lib/1.0.0/reachability-metadata.json:7', // java.lang
      'repo-condition bad-lib/1.0.0/reachability-metadata.json:7', // not in allowed-packages either
      'repo-condition bad-lib/1.0.0/reachability-metadata.json:11',
      'repo-duplicate bad-lib/1.0.0/reachability-metadata.json:18',
      'repo-schema bad-lib/1.0.0/reachability-metadata.json:23',
      'repo-file bad-lib/1.0.0/reflect-config.json:1',
      'repo-file bad-lib/2.0.0:1',
      'repo-file bad-lib/2.0.0/notes.txt:1',
      'repo-index bad-lib/index.json:1', // no entry for 2.0.0
      'repo-index bad-lib/index.json:8', // the 0.9.0 entry lacks tested-versions
      'repo-index bad-lib/index.json:8', // and allowed-packages
      'repo-index no-index/index.json:1',
    ]);
  });

  it('without the profile none of these is reported', async () => {
    const { out } = await json(['validate', ROOT]);
    expect(out.findings.filter((f) => f.code.startsWith('repo-'))).toEqual([]);
  });

  it('says when a path is not a metadata repository tree', async () => {
    const { out } = await json(['validate', '--profile', 'reachability-repo', 'p/seeds/flat']);
    expect(out.findings.map((f) => f.code)).toContain('repo-layout');
  });
});
