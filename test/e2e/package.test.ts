/**
 * The npm package as users get it: `npm pack`, installed into an empty prefix, run from there.
 * It ships the bundle, the schemas and the README, never tests or fixtures, under a size cap.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

/** Packed (gzip) size cap; the bundle is most of it. */
const MAX_PACKED_BYTES = 400 * 1024;
const work = mkdtempSync(join(tmpdir(), 'ni-config-package-e2e-'));
let pack: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

beforeAll(() => {
  // `npm test` has built dist/ already; prepack would build it again
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  pack = (JSON.parse(out) as (typeof pack)[])[0]!;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('ships the bin, the bundle, every schema and the README, nothing from test/, fixtures/, bench/ or src/, under the size cap', () => {
    const files = pack.files.map((f) => f.path);
    console.log(
      `package: ${pack.filename}, ${Math.round(pack.size / 1024)} KB packed, ${Math.round(pack.unpackedSize / 1024)} KB unpacked, ${files.length} files`,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/ni-config.js',
        'dist/bundle/cli.cjs',
        'bin/package.json',
        'dist/bundle/load.cjs',
        'package.json',
        'README.md',
        'schemas/reachability-metadata-v1.2.schema.json',
        'schemas/ni-config.schema.json',
        'schemas/ni-config-rules.schema.json',
        'schemas/ni-config-diff.schema.json',
      ]),
    );
    expect(
      files.filter(
        (f) => /^(test|fixtures|bench|src|scripts|examples|build)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'),
      ),
    ).toEqual([]);
    expect(pack.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });

  it('installs into an empty prefix and runs --help, validate and diff from there', () => {
    const prefix = join(work, 'prefix');
    execFileSync(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(work, pack.filename),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const bin = join(prefix, 'bin', 'ni-config');
    const cli = (...args: string[]) =>
      spawnSync(bin, args, { cwd: join(REPO, 'fixtures', 'merge', 'conditions'), encoding: 'utf8' });
    const help = cli('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: ni-config');
    const validate = cli('validate', 'a', 'b', '--json');
    expect(validate.status, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true });
    const diff = cli('diff', 'a', 'b', '--format', 'markdown');
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^#|\|/m);
  }, 180_000);
});
