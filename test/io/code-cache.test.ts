/** The bin's loader of the CLI's bundle and its V8 code cache (io/code-cache.ts), on bundles of its own. */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CODE_CACHE_ENV,
  KEEP_FILES,
  cacheDir,
  cacheFileName,
  loadBundle,
  readCache,
  writeCache,
} from '../../src/io/code-cache.js';

const work = mkdtempSync(join(tmpdir(), 'ni-config-test-code-cache-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

/** A bundle with a module beside it, and a cache directory of its own. */
function setup(source: string): { file: string; env: NodeJS.ProcessEnv; dir: string } {
  const root = join(work, `case-${n++}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'helper.cjs'), 'module.exports = (x) => x * 2;\n');
  const file = join(root, 'bundle.cjs');
  writeFileSync(file, source);
  const dir = join(root, 'cache');
  return { file, env: { [CODE_CACHE_ENV]: dir }, dir };
}

const BUNDLE = [
  "'use strict';",
  "const double = require('./helper.cjs');",
  'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += double(i); return s; }',
  'module.exports = { work, file: __filename, dir: __dirname, self: (function () { return this; })(), same: this === exports };',
].join('\n');

const sha1 = (data: Uint8Array | string): Buffer => createHash('sha1').update(data).digest();
const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.bin'));

describe('cacheDir', () => {
  const home = () => '/home/u';
  it('is NI_CONFIG_CODE_CACHE, resolved, when set; none when it says off', () => {
    expect(cacheDir({ [CODE_CACHE_ENV]: '/tmp/c' }, 'linux', home)).toBe('/tmp/c');
    expect(cacheDir({ [CODE_CACHE_ENV]: 'rel' }, 'linux', home)).toBe(join(process.cwd(), 'rel'));
    expect(cacheDir({ [CODE_CACHE_ENV]: 'off' }, 'linux', home)).toBeUndefined();
  });
  it("is the platform's per-user cache directory otherwise", () => {
    expect(cacheDir({}, 'linux', home)).toBe('/home/u/.cache/ni-config');
    expect(cacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', home)).toBe('/x/ni-config');
    // the XDG spec: a relative path is ignored
    expect(cacheDir({ XDG_CACHE_HOME: 'x' }, 'linux', home)).toBe('/home/u/.cache/ni-config');
    expect(cacheDir({}, 'darwin', home)).toBe('/home/u/Library/Caches/ni-config');
    // (the path module is this platform's: an absolute path here stands for Windows')
    expect(cacheDir({ LOCALAPPDATA: '/local' }, 'win32', home)).toBe('/local/ni-config/Cache');
  });
  it('is none without a home to put it in (never a directory relative to where the command runs)', () => {
    expect(cacheDir({}, 'linux', () => '')).toBeUndefined();
    expect(
      cacheDir({}, 'linux', () => {
        throw new Error('no home');
      }),
    ).toBeUndefined();
    expect(cacheDir({}, 'win32', home)).toBeUndefined();
  });
});

describe('loadBundle', () => {
  it('runs the bundle as Node runs a CommonJS module: require beside it, __filename, __dirname, strict', () => {
    const { file, env } = setup(BUNDLE);
    const b = loadBundle(file, env);
    expect(b.exports.work).toBeTypeOf('function');
    expect((b.exports.work as (n: number) => number)(4)).toBe(12);
    expect(b.exports).toMatchObject({ file, dir: join(file, '..'), self: undefined, same: true });
  });

  it('makes the cache on save when there is none, and uses it the next time', () => {
    const { file, env, dir } = setup(BUNDLE);
    const first = loadBundle(file, env);
    expect(first.cache).toBe('missing');
    (first.exports.work as (n: number) => number)(1000);
    first.save();
    const [name] = cacheFiles(dir);
    expect(name).toBe(cacheFileName(sha1(readFileSync(file)), env));
    const st = statSync(join(dir, name!));
    expect(st.mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    first.save(); // once
    expect(statSync(join(dir, name!)).mtimeMs).toBe(st.mtimeMs);
    const second = loadBundle(file, env);
    expect(second.cache).toBe('used');
    expect((second.exports.work as (n: number) => number)(4)).toBe(12);
    second.save(); // a cache that served is not written again
    expect(statSync(join(dir, name!)).mtimeMs).toBe(st.mtimeMs);
    expect(readdirSync(dir)).toEqual([name]); // no temporary file left
  });

  it('never uses the cache of another bundle, even one of the same length (V8 checks only the length)', () => {
    const { file, env, dir } = setup(BUNDLE);
    const a = loadBundle(file, env);
    a.save();
    writeFileSync(file, BUNDLE.replace('s += double(i)', 's -= double(i)'));
    const b = loadBundle(file, env);
    expect(b.cache).toBe('missing');
    expect((b.exports.work as (n: number) => number)(4)).toBe(-12);
    b.save();
    expect(cacheFiles(dir)).toHaveLength(2);
  });

  it('compiles around a cache file that is cut short, changed, or not what it says, and writes it again', () => {
    const { file, env, dir } = setup(BUNDLE);
    loadBundle(file, env).save();
    const path = join(dir, cacheFiles(dir)[0]!);
    const good = readFileSync(path);
    const bundleHash = sha1(readFileSync(file));
    expect(readCache(path, bundleHash)).toBeDefined();
    const bad: [string, Buffer][] = [
      ['cut short', good.subarray(0, good.length - 10)],
      ['a byte changed', Buffer.concat([good.subarray(0, -1), Buffer.from([good.at(-1)! ^ 1])])],
      ['another magic', Buffer.concat([Buffer.from('x'), good.subarray(1)])],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of bad) {
      writeFileSync(path, bytes, { mode: 0o600 });
      expect(readCache(path, bundleHash), what).toBeUndefined();
      const b = loadBundle(file, env);
      expect(b.cache, what).toBe('missing');
      expect((b.exports.work as (n: number) => number)(4), what).toBe(12);
      b.save();
      expect(readCache(path, bundleHash), what).toBeDefined();
    }
    expect(readCache(path, sha1('another bundle'))).toBeUndefined();
  });

  it('says so when V8 turns the cached data down, and makes it again on save', () => {
    const { file, env, dir } = setup(BUNDLE);
    const bundleHash = sha1(readFileSync(file));
    const path = join(dir, cacheFileName(bundleHash, env));
    // whole and for this bundle by its own header, but not data V8 made
    writeCache(path, bundleHash, Buffer.alloc(4096, 7));
    const b = loadBundle(file, env);
    expect(b.cache).toBe('rejected');
    expect((b.exports.work as (n: number) => number)(4)).toBe(12);
    b.save();
    expect(loadBundle(file, env).cache).toBe('used');
  });

  it.runIf(process.getuid?.() === 0)(
    "does not run a cache that someone else could have written: another user's, or writable by others",
    () => {
      const { file, env, dir } = setup(BUNDLE);
      loadBundle(file, env).save();
      const path = join(dir, cacheFiles(dir)[0]!);
      chmodSync(path, 0o622);
      expect(loadBundle(file, env).cache).toBe('missing');
      chmodSync(path, 0o600);
      chownSync(path, 65534, 65534);
      expect(loadBundle(file, env).cache).toBe('missing');
      chownSync(path, 0, 0);
      expect(loadBundle(file, env).cache).toBe('used');
    },
  );

  it('writes through no link put where its temporary file goes', () => {
    const { file, env, dir } = setup(BUNDLE);
    mkdirSync(dir, { recursive: true });
    const victim = join(work, `victim-${n}`);
    writeFileSync(victim, 'mine');
    const path = join(dir, cacheFileName(sha1(readFileSync(file)), env));
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    const b = loadBundle(file, env);
    expect(() => b.save()).not.toThrow();
    expect(readFileSync(victim, 'utf8')).toBe('mine');
    expect(cacheFiles(dir)).toEqual([]);
    expect(lstatSync(`${path}.${process.pid}.tmp`).isSymbolicLink()).toBe(true);
  });

  it('turned off, reads and writes no cache', () => {
    const { file, dir } = setup(BUNDLE);
    const b = loadBundle(file, { [CODE_CACHE_ENV]: 'off' });
    expect(b.cache).toBe('off');
    b.save();
    expect(statSync(dir, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('runs when the cache cannot be written (its directory is a file)', () => {
    const { file, dir } = setup(BUNDLE);
    writeFileSync(dir, 'not a directory');
    const b = loadBundle(file, { [CODE_CACHE_ENV]: join(dir, 'below') });
    expect(b.cache).toBe('missing');
    expect(() => b.save()).not.toThrow();
    expect((b.exports.work as (n: number) => number)(4)).toBe(12);
  });

  it(`keeps the newest ${KEEP_FILES} cache files, and only its own kind of file`, () => {
    const { file, env, dir } = setup(BUNDLE);
    mkdirSync(dir, { recursive: true });
    const old = Array.from({ length: KEEP_FILES + 2 }, (_, i) => `code-old${i}.bin`);
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), 1_000_000 + i, 1_000_000 + i);
    });
    writeFileSync(join(dir, 'notes.txt'), 'kept');
    utimesSync(join(dir, 'notes.txt'), 1, 1);
    loadBundle(file, env).save();
    const kept = cacheFiles(dir).sort();
    expect(kept).toHaveLength(KEEP_FILES);
    expect(kept).toContain(cacheFileName(sha1(readFileSync(file)), env));
    // the oldest went first
    expect(kept).not.toContain('code-old0.bin');
    expect(kept).not.toContain('code-old1.bin');
    expect(kept).not.toContain('code-old2.bin');
    expect(readdirSync(dir)).toContain('notes.txt');
  });
});
