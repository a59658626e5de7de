/**
 * Loads the CLI's bundle (dist/bundle/cli.cjs) for the bin, with a V8 code cache: the bytecode V8
 * made from the bundle the last time, so that a command does not parse and compile 1.3 MB of
 * JavaScript again before it starts. Node 20 gives ES modules no such cache (Node 22's
 * `module.enableCompileCache` does), so the bundle is a CommonJS script compiled by `node:vm`, which
 * takes one.
 *
 * The cache is one file per compiled text (by its hash: the bundle and the wrapper below), Node
 * version, architecture and Node options, in the user's cache directory (`NI_CONFIG_CODE_CACHE`
 * names another, or `off`). It is made by the first run that finds none, or finds one V8 turns
 * down, and never by tests running the CLI in-process. V8 checks its version, its flags and the
 * source's length; the file's own header checks the rest: the text's hash, the data's hash, and on
 * POSIX that the file is the user's and no one else can write it (V8 runs what the cache holds).
 * The default directory is written only in a home that is the user's (not by root in someone
 * else's, under `sudo -E`). Reading or writing it never fails a command: a cache that cannot be used is
 * compiled around, one that cannot be written is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** Names the cache's directory, or turns the cache off (`off`). */
export const CODE_CACHE_ENV = 'NI_CONFIG_CODE_CACHE';
/** How many cache files the directory keeps (the newest): one per build, Node version and option set. */
export const KEEP_FILES = 8;
const MAGIC = Buffer.from('ni-config code cache 1\n');
const HASH_BYTES = 20;
const HEADER_BYTES = MAGIC.length + 2 * HASH_BYTES;

/** The bundle's module scope, as Node's CommonJS loader gives it (one line: line numbers stay). */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_TAIL = '\n})';

const sha1 = (data: Uint8Array | string): Buffer => createHash('sha1').update(data).digest();
/** A cache file's name: `ni-config-code-<text hash>-<Node version>-<arch>-<options hash>.bin`. */
const CACHE_FILE = /^ni-config-code-[0-9a-f]{16}-v[^/\\]*\.bin$/;
/** A temporary file older than this is left from a run that died while writing it. */
const STALE_TMP_MS = 10 * 60 * 1000;

/** Where the cache lives. */
export interface CacheLocation {
  readonly dir: string;
  /** A directory that must be the user's before anything is made below it (the home, for the default). */
  readonly within?: string;
}

/** The hash the cache is kept by: of the text V8 compiles, the bundle in its wrapper. */
export function compiledTextHash(bundle: Uint8Array): Buffer {
  return createHash('sha1').update(WRAP_HEAD).update(bundle).update(WRAP_TAIL).digest();
}

/**
 * Where the cache lives: `NI_CONFIG_CODE_CACHE`, else the platform's per-user cache directory;
 * none when turned off or when there is no home to put it in.
 */
export function cacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): CacheLocation | undefined {
  const set = env[CODE_CACHE_ENV];
  if (set === 'off') return undefined;
  if (set) return { dir: resolve(set) };
  let base: string;
  try {
    base = home();
  } catch {
    return undefined;
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local && isAbsolute(local) ? { dir: join(local, 'ni-config', 'Cache') } : undefined;
  }
  if (!isAbsolute(base)) return undefined;
  if (platform === 'darwin') return { dir: join(base, 'Library', 'Caches', 'ni-config'), within: base };
  const xdg = env.XDG_CACHE_HOME;
  return xdg && isAbsolute(xdg)
    ? { dir: join(xdg, 'ni-config') }
    : { dir: join(base, '.cache', 'ni-config'), within: base };
}

/** The cache file's name for a compiled text's hash under this Node, architecture and option set. */
export function cacheFileName(textHash: Buffer, env: NodeJS.ProcessEnv = process.env): string {
  const options = sha1(JSON.stringify([process.execArgv, env.NODE_OPTIONS ?? ''])).toString('hex');
  return `ni-config-code-${textHash.toString('hex', 0, 8)}-${process.version}-${process.arch}-${options.slice(0, 8)}.bin`;
}

/** The cached data in `file` if it is whole, made for `textHash`, and safe to run; else undefined. */
export function readCache(file: string, textHash: Buffer): Buffer | undefined {
  let fd: number;
  try {
    // not blocking: a FIFO put there is opened, then refused as not a file
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= HEADER_BYTES) return undefined;
    if (process.getuid !== undefined && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    // a file cut short or changed since the stat fails the hashes below
    const buf = readFileSync(fd);
    if (buf.length <= HEADER_BYTES) return undefined;
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (!buf.subarray(MAGIC.length, MAGIC.length + HASH_BYTES).equals(textHash)) return undefined;
    const data = buf.subarray(HEADER_BYTES);
    return sha1(data).equals(buf.subarray(MAGIC.length + HASH_BYTES, HEADER_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the cache's directory if it is not there, and says whether a cache can be written in it:
 * never below a `within` that is not the user's (root's run under `sudo -E` leaves the user's
 * cache, and their `~/.cache`, alone).
 */
export function cacheDirReady(location: CacheLocation): boolean {
  try {
    if (location.within !== undefined && process.getuid !== undefined) {
      if (statSync(location.within).uid !== process.getuid()) return false;
    }
    mkdirSync(location.dir, { recursive: true, mode: 0o700 });
    accessSync(location.dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `data` as the cache for `textHash` in `file`, whole or not at all (a temporary file of
 * its own, renamed over it: a run reading it at the same time sees the old file or the new one),
 * then removes all but the newest {@link KEEP_FILES} cache files beside it, and temporary files
 * left by runs that died writing one.
 */
export function writeCache(file: string, textHash: Buffer, data: Buffer): void {
  const dir = dirname(file);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // a new file, never one that is there (a link someone put in a shared directory is not followed)
    writeFileSync(tmp, Buffer.concat([MAGIC, textHash, sha1(data), data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(tmp, { force: true });
    throw e;
  }
  const now = Date.now();
  const files: { path: string; mtime: number }[] = [];
  const mtimeOf = (path: string): number => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (CACHE_FILE.test(name)) files.push({ path, mtime: mtimeOf(path) });
    else if (CACHE_FILE.test(name.replace(/\.[0-9a-f]{12}\.tmp$/, '')) && now - mtimeOf(path) > STALE_TMP_MS)
      rmSync(path, { force: true });
  }
  files.sort((a, b) => b.mtime - a.mtime);
  for (const old of files.slice(KEEP_FILES)) if (old.path !== file) rmSync(old.path, { force: true });
}

/** A bundle loaded by {@link loadBundle}. */
export interface LoadedBundle {
  /** What the bundle exports. */
  readonly exports: Record<string, unknown>;
  /** How the cache served this run: used, or to be made by {@link LoadedBundle.save}, or off. */
  readonly cache: 'used' | 'missing' | 'rejected' | 'off';
  /**
   * Writes the cache if this run found none or one V8 turned down; once. The caller calls it while
   * V8's flags are the ones the bundle was compiled under (V8 turns down a cache made under others).
   */
  save(): void;
}

/** Compiles and runs the CommonJS bundle `file` with its code cache, as Node's loader would run it. */
export function loadBundle(file: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const text = readFileSync(file);
  const textHash = compiledTextHash(text);
  const location = cacheDir(env);
  const cacheFile = location === undefined ? undefined : join(location.dir, cacheFileName(textHash, env));
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, textHash);
  const script = new Script(WRAP_HEAD + text.toString('utf8') + WRAP_TAIL, { filename: file, cachedData });
  const cache =
    cacheFile === undefined
      ? 'off'
      : cachedData === undefined
        ? 'missing'
        : script.cachedDataRejected === true
          ? 'rejected'
          : 'used';
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = cache === 'used' || cache === 'off';
  return {
    exports: module.exports,
    cache,
    save() {
      if (saved || cacheFile === undefined || location === undefined) return;
      saved = true;
      // the directory first: where none can be written, V8 is not asked to serialize
      if (!cacheDirReady(location)) return;
      try {
        writeCache(cacheFile, textHash, script.createCachedData());
      } catch {
        // a cache that cannot be written costs the next run its compile, nothing more
      }
    },
  };
}
