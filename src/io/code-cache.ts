/**
 * Loads the CLI's bundle (dist/bundle/cli.cjs) for the bin, with a V8 code cache: the bytecode V8
 * made from the bundle the last time, so that a command does not parse and compile 1.3 MB of
 * JavaScript again before it starts. Node 20 gives ES modules no such cache (Node 22's
 * `module.enableCompileCache` does), so the bundle is a CommonJS script compiled by `node:vm`, which
 * takes one.
 *
 * The cache is one file per bundle (by the hash of its text), Node version, architecture and Node
 * options, in the user's cache directory (`NI_CONFIG_CODE_CACHE` names another, or `off`). It is
 * made by the first run that finds none, or finds one V8 turns down, and never by tests running the
 * CLI in-process. V8 checks its version, its flags and the source's length; the file's own header
 * checks the rest: the bundle's hash, the data's hash, and on POSIX that the file is the user's and
 * no one else can write it (V8 runs what the cache holds). Reading or writing it never fails a
 * command: a cache that cannot be used is compiled around, one that cannot be written is skipped.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
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

/**
 * The directory the cache lives in: `NI_CONFIG_CODE_CACHE`, else the platform's per-user cache
 * directory; none when turned off or when there is no home to put it in.
 */
export function cacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string | undefined {
  const set = env[CODE_CACHE_ENV];
  if (set === 'off') return undefined;
  if (set) return resolve(set);
  let base: string;
  try {
    base = home();
  } catch {
    return undefined;
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local && isAbsolute(local) ? join(local, 'ni-config', 'Cache') : undefined;
  }
  if (!isAbsolute(base)) return undefined;
  if (platform === 'darwin') return join(base, 'Library', 'Caches', 'ni-config');
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(base, '.cache'), 'ni-config');
}

/** The cache file's name for a bundle's hash under this Node, architecture and option set. */
export function cacheFileName(bundleHash: Buffer, env: NodeJS.ProcessEnv = process.env): string {
  const options = sha1(JSON.stringify([process.execArgv, env.NODE_OPTIONS ?? ''])).toString('hex');
  return `code-${bundleHash.toString('hex', 0, 8)}-${process.version}-${process.arch}-${options.slice(0, 8)}.bin`;
}

/** The cached data in `file` if it is whole, made for `bundleHash`, and safe to run; else undefined. */
export function readCache(file: string, bundleHash: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= HEADER_BYTES) return undefined;
    if (process.getuid !== undefined && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let read = 0;
    while (read < buf.length) {
      const n = readSync(fd, buf, read, buf.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (!buf.subarray(MAGIC.length, MAGIC.length + HASH_BYTES).equals(bundleHash)) return undefined;
    const data = buf.subarray(HEADER_BYTES);
    return sha1(data).equals(buf.subarray(MAGIC.length + HASH_BYTES, HEADER_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` as the cache for `bundleHash` in `file`, whole or not at all (a temporary file
 * renamed over it: a run reading it at the same time sees the old file or the new one), then
 * removes all but the newest {@link KEEP_FILES} cache files beside it.
 */
export function writeCache(file: string, bundleHash: Buffer, data: Buffer): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    // a new file, never one that is there (a link someone put in a shared directory is not followed)
    writeFileSync(tmp, Buffer.concat([MAGIC, bundleHash, sha1(data), data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(tmp, { force: true });
    throw e;
  }
  const files = readdirSync(dir)
    .filter((n) => n.startsWith('code-') && n.endsWith('.bin'))
    .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of files.slice(KEEP_FILES)) if (old.path !== file) rmSync(old.path, { force: true });
}

/** A bundle loaded by {@link loadBundle}. */
export interface LoadedBundle {
  /** What the bundle exports. */
  readonly exports: Record<string, unknown>;
  /** How the cache served this run: used, or to be made by {@link LoadedBundle.save}, or off. */
  readonly cache: 'used' | 'missing' | 'rejected' | 'off';
  /**
   * Writes the cache if this run found none or one V8 turned down; once, and only while V8's flags
   * are still the ones the bundle was compiled under (V8 turns down a cache made under others).
   */
  save(): void;
}

/** Compiles and runs the CommonJS bundle `file` with its code cache, as Node's loader would run it. */
export function loadBundle(file: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const text = readFileSync(file);
  const bundleHash = sha1(text);
  const dir = cacheDir(env);
  const cacheFile = dir === undefined ? undefined : join(dir, cacheFileName(bundleHash, env));
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, bundleHash);
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
      if (saved || cacheFile === undefined) return;
      saved = true;
      try {
        writeCache(cacheFile, bundleHash, script.createCachedData());
      } catch {
        // a cache that cannot be written costs the next run its compile, nothing more
      }
    },
  };
}
