/** The bin's loader of the CLI's bundle and its V8 code cache (io/code-cache.ts), on bundles of its own. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lutimesSync,
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
  cacheDirReady,
  cacheFileName,
  CHECKSUM_FLAG,
  bundleIdentity,
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

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.bin'));
const textHash = (file: string): string => bundleIdentity(statSync(file, { bigint: true }));
const dirOf = (...args: Parameters<typeof cacheDir>): string | undefined => cacheDir(...args)?.dir;

describe('cacheDir', () => {
  const home = () => '/home/u';
  it('is NI_CONFIG_CODE_CACHE, resolved, when set; none when it says off', () => {
    expect(dirOf({ [CODE_CACHE_ENV]: '/tmp/c' }, 'linux', home)).toBe('/tmp/c');
    expect(dirOf({ [CODE_CACHE_ENV]: 'rel' }, 'linux', home)).toBe(join(process.cwd(), 'rel'));
    expect(dirOf({ [CODE_CACHE_ENV]: 'off' }, 'linux', home)).toBeUndefined();
  });
  it("is the platform's per-user cache directory otherwise", () => {
    expect(dirOf({}, 'linux', home)).toBe('/home/u/.cache/ni-config');
    expect(dirOf({ XDG_CACHE_HOME: '/x' }, 'linux', home)).toBe('/x/ni-config');
    // the XDG spec: a relative path is ignored
    expect(dirOf({ XDG_CACHE_HOME: 'x' }, 'linux', home)).toBe('/home/u/.cache/ni-config');
    expect(dirOf({}, 'darwin', home)).toBe('/home/u/Library/Caches/ni-config');
    // (the path module is this platform's: an absolute path here stands for Windows')
    expect(dirOf({ LOCALAPPDATA: '/local' }, 'win32', home)).toBe('/local/ni-config/Cache');
  });
  it("is written below the home only when the home is the user's; a directory named is written as named", () => {
    expect(cacheDir({}, 'linux', home)).toEqual({ dir: '/home/u/.cache/ni-config', within: '/home/u' });
    expect(cacheDir({}, 'darwin', home)?.within).toBe('/home/u');
    expect(cacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', home)?.within).toBeUndefined();
    expect(cacheDir({ [CODE_CACHE_ENV]: '/c' }, 'linux', home)?.within).toBeUndefined();
  });

  it('is none without a home to put it in (never a directory relative to where the command runs)', () => {
    expect(dirOf({}, 'linux', () => '')).toBeUndefined();
    expect(
      dirOf({}, 'linux', () => {
        throw new Error('no home');
      }),
    ).toBeUndefined();
    expect(dirOf({}, 'win32', home)).toBeUndefined();
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
    expect(name).toBe(cacheFileName(textHash(file), env));
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

  it("adds a command's code to a cache made by another command's run, once per command", () => {
    const { file, env, dir } = setup(
      [
        "'use strict';",
        'function a() { const inner = (n) => { let s = 0; for (let i = 0; i < n; i++) s += i * 3; return s; }; return inner(10); }',
        "function b() { const inner = (n) => { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(97 + (i % 26)); return s; }; return inner(30).length; }",
        'module.exports = { a, b };',
      ].join('\n'),
    );
    const run = (fn: 'a' | 'b', command: string, writes: boolean): void => {
      mkdirSync(dir, { recursive: true });
      const before = statSync(join(dir, cacheFiles(dir)[0] ?? 'none'), { throwIfNoEntry: false });
      const l = loadBundle(file, env);
      (l.exports[fn] as () => number)();
      expect(l.wouldSave(command), `${fn} ${command}`).toBe(writes);
      l.save(command);
      const after = statSync(join(dir, cacheFiles(dir)[0]!));
      if (writes) expect(after.ino, `${fn} ${command}`).not.toBe(before?.ino);
      else expect(after).toMatchObject({ ino: before!.ino, mtimeMs: before!.mtimeMs });
      expect(cacheFiles(dir)).toHaveLength(1);
    };
    const covers = (): readonly string[] | undefined =>
      readCache(join(dir, cacheFiles(dir)[0]!), textHash(file))?.covers;
    run('a', 'first', true);
    expect(covers()).toEqual(['first']);
    const small = statSync(join(dir, cacheFiles(dir)[0]!)).size;
    run('a', 'first', false);
    // another command: its code is added, and the cache lists both
    run('b', 'second', true);
    expect(covers()).toEqual(['first', 'second']);
    expect(statSync(join(dir, cacheFiles(dir)[0]!)).size).toBeGreaterThan(small);
    run('b', 'second', false);
    run('a', 'first', false);
    // a name no command has is not listed
    const l = loadBundle(file, env);
    expect(l.wouldSave('Not A Command')).toBe(false);
    // saved for no command, a cache is never written again
    const other = setup(BUNDLE);
    const made = loadBundle(other.file, other.env);
    made.save();
    const path = join(other.dir, cacheFiles(other.dir)[0]!);
    expect(readCache(path, textHash(other.file))?.covers).toEqual(['*']);
    const used = loadBundle(other.file, other.env);
    expect(used.cache).toBe('used');
    expect(used.wouldSave('any')).toBe(false);
  });

  it('refuses a cache file whose list of runs is not one it writes', () => {
    const { file, env, dir } = setup(BUNDLE);
    loadBundle(file, env).save('validate');
    const path = join(dir, cacheFiles(dir)[0]!);
    const good = readFileSync(path);
    // magic, identity, the rest's length, covers: the data follows the fourth line
    let at = 0;
    for (let line = 0; line < 4; line++) at = good.indexOf(0x0a, at) + 1;
    const data = good.subarray(at);
    const head = `ni-config code cache 4\n${textHash(file)}\n`;
    const file_ = (rest: Buffer): Buffer => Buffer.concat([Buffer.from(`${head}${rest.length}\n`), rest]);
    expect(file_(Buffer.concat([Buffer.from('validate\n'), data])).equals(good)).toBe(true);
    for (const line of ['Validate', 'a b', 'x,', 'x'.repeat(33)]) {
      writeFileSync(path, file_(Buffer.concat([Buffer.from(`${line}\n`), data])), { mode: 0o600 });
      expect(readCache(path, textHash(file)), line).toBeUndefined();
    }
    writeFileSync(path, file_(Buffer.concat([Buffer.from('validate,merge\n'), data])), { mode: 0o600 });
    expect(readCache(path, textHash(file))?.covers).toEqual(['validate', 'merge']);
  });

  it('never uses the cache of another bundle, even one of the same length (V8 checks only the length)', () => {
    const { file, env, dir } = setup(BUNDLE);
    const a = loadBundle(file, env);
    (a.exports.work as (n: number) => number)(1000);
    a.save();
    const [old] = cacheFiles(dir);
    // a file's times move with the kernel's clock tick (a few milliseconds): a bundle written
    // again within one tick, at the same length, is not told apart (no build writes one so fast)
    const was = statSync(file, { bigint: true }).ctimeNs;
    while (statSync(file, { bigint: true }).ctimeNs === was) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      writeFileSync(file, BUNDLE.replace('s += double(i)', 's -= double(i)'));
    }
    // by name: the other bundle's file is not looked at
    const b = loadBundle(file, env);
    expect(b.cache).toBe('missing');
    expect((b.exports.work as (n: number) => number)(4)).toBe(-12);
    b.save();
    expect(cacheFiles(dir)).toHaveLength(2);
    // by its header: the other bundle's file under this one's name is not used either
    writeFileSync(join(dir, cacheFileName(textHash(file), env)), readFileSync(join(dir, old!)), { mode: 0o600 });
    const c = loadBundle(file, env);
    expect(c.cache).toBe('missing');
    expect((c.exports.work as (n: number) => number)(4)).toBe(-12);
  });

  it('compiles around a cache file that is cut short, longer, or not what it says, and writes it again', () => {
    const { file, env, dir } = setup(BUNDLE);
    loadBundle(file, env).save();
    const path = join(dir, cacheFiles(dir)[0]!);
    const good = readFileSync(path);
    const bundleHash = textHash(file);
    expect(readCache(path, bundleHash)).toBeDefined();
    const bad: [string, Buffer][] = [
      ['cut short', good.subarray(0, good.length - 10)],
      ['a byte added', Buffer.concat([good, Buffer.from([0])])],
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
    expect(readCache(path, 'another bundle')).toBeUndefined();
  });

  it('asks V8 for a checksum with a flag this V8 has (an unknown flag would be ignored without a word)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain(`  ${CHECKSUM_FLAG} (`);
  });

  it('says so when V8 turns the cached data down, and makes it again on save', () => {
    const { file, env, dir } = setup(BUNDLE);
    const bundleHash = textHash(file);
    const path = join(dir, cacheFileName(bundleHash, env));
    // whole and for this bundle by its own header, but not data V8 made
    expect(cacheDirReady({ dir })).toBe(true);
    writeCache(path, bundleHash, Buffer.alloc(4096, 7));
    const b = loadBundle(file, env);
    expect(b.cache).toBe('rejected');
    expect((b.exports.work as (n: number) => number)(4)).toBe(12);
    // made again after a run of no command too, it lists every run: no command makes it again
    b.save('help');
    expect(readCache(path, bundleHash)?.covers).toEqual(['*']);
    const c = loadBundle(file, env);
    expect(c.cache).toBe('used');
    expect(c.wouldSave('validate')).toBe(false);
  });

  it.runIf(process.getuid !== undefined)('does not run a cache that others could have written', () => {
    const { file, env, dir } = setup(BUNDLE);
    loadBundle(file, env).save();
    const path = join(dir, cacheFiles(dir)[0]!);
    for (const mode of [0o622, 0o602, 0o620]) {
      chmodSync(path, mode);
      expect(loadBundle(file, env).cache, mode.toString(8)).toBe('missing');
    }
    chmodSync(path, 0o600);
    expect(loadBundle(file, env).cache).toBe('used');
  });

  it.runIf(process.getuid?.() === 0)(
    "does not run another user's cache, and writes none in another user's home",
    () => {
      const { file, env, dir } = setup(BUNDLE);
      loadBundle(file, env).save();
      const path = join(dir, cacheFiles(dir)[0]!);
      chownSync(path, 65534, 65534);
      expect(loadBundle(file, env).cache).toBe('missing');
      chownSync(path, 0, 0);
      expect(loadBundle(file, env).cache).toBe('used');
      // root with a user's home (sudo -E): nothing is made there, not even the home's .cache
      const home = join(work, `home-${n}`);
      mkdirSync(home);
      chownSync(home, 65534, 65534);
      const location = cacheDir({}, 'linux', () => home)!;
      expect(cacheDirReady(location)).toBe(false);
      expect(readdirSync(home)).toEqual([]);
      chownSync(home, 0, 0);
      expect(cacheDirReady(location)).toBe(true);
      expect(statSync(location.dir).mode & 0o777).toBe(0o700);
    },
  );

  it('does not hang on a FIFO where the cache should be', () => {
    const { file, env, dir } = setup(BUNDLE);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, cacheFileName(textHash(file), env));
    execFileSync('mkfifo', [path]);
    expect(readCache(path, textHash(file))).toBeUndefined();
    expect(loadBundle(file, env).cache).toBe('missing');
  });

  it('leaves a temporary file of its own, never one that is there, and sweeps those a dead run left', () => {
    const { file, env, dir } = setup(BUNDLE);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, cacheFileName(textHash(file), env));
    const stale = `${path}.0123456789ab.tmp`;
    const fresh = `${path}.ba9876543210.tmp`;
    const victim = join(work, `victim-${n}`);
    writeFileSync(victim, 'mine');
    symlinkSync(victim, stale);
    writeFileSync(fresh, 'a run writing now');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    lutimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    loadBundle(file, env).save();
    expect(readFileSync(victim, 'utf8')).toBe('mine');
    expect(readdirSync(dir).sort()).toEqual([
      cacheFileName(textHash(file), env),
      `${cacheFileName(textHash(file), env)}.ba9876543210.tmp`,
    ]);
    expect(readCache(path, textHash(file))).toBeDefined();
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
    const old = Array.from(
      { length: KEEP_FILES + 2 },
      (_, i) => `ni-config-code-${String(i).padStart(16, '0')}-v0-x64-0.bin`,
    );
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), 1_000_000 + i, 1_000_000 + i);
    });
    // a file of another kind, even one named like the old caches, is not the cache's to remove
    for (const other of ['notes.txt', 'code-0123456789abcdef-v20-x64-0.bin']) {
      writeFileSync(join(dir, other), 'kept');
      utimesSync(join(dir, other), 1, 1);
    }
    loadBundle(file, env).save();
    const kept = cacheFiles(dir).filter((f) => f.startsWith('ni-config-'));
    expect(kept).toHaveLength(KEEP_FILES);
    expect(kept).toContain(cacheFileName(textHash(file), env));
    // the oldest went first
    for (const gone of old.slice(0, 3)) expect(kept).not.toContain(gone);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['notes.txt', 'code-0123456789abcdef-v20-x64-0.bin']));
  });
});
