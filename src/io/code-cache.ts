/**
 * Loads the CLI's bundle (dist/bundle/cli.cjs) for the bin, with a V8 code cache: the bytecode V8
 * made from the bundle the last time, so that a command does not parse and compile 1.3 MB of
 * JavaScript again before it starts. Node 20 gives ES modules no such cache (Node 22's
 * `module.enableCompileCache` does), so the bundle is a CommonJS script compiled by `node:vm`, which
 * takes one.
 *
 * The cache is one file per bundle file (by what its stat says: device, inode, size, and its
 * modification and change times to the nanosecond, which any write changes), Node version,
 * architecture and Node options, in the user's cache directory (`NI_CONFIG_CODE_CACHE` names
 * another, or `off`). Nothing is hashed in JavaScript: a SHA-1 of the 1.3 MB bundle, and loading
 * node:crypto to make one, cost each run about 11 ms, where a stat costs microseconds. It is made
 * by the first run that finds none, or finds one V8 turns down, and made again by the first run of
 * each command it does not list (with that command's code added); never by tests running the CLI
 * in-process. V8 checks its version, its flags, the source's length and (asked to:
 * {@link CHECKSUM_FLAG}) a checksum of its data; the file's own header checks the rest: the
 * bundle's identity, the data's length, and on POSIX that the file is the user's and no one else
 * can write it (V8 runs what the cache holds). The default directory is written only in a home
 * that is the user's (not by root in someone else's, under `sudo -E`). Reading or writing it never
 * fails a command: a cache that cannot be used is compiled around, one that cannot be written is
 * skipped.
 */
import {
  type BigIntStats,
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
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** Names the cache's directory, or turns the cache off (`off`). */
export const CODE_CACHE_ENV = 'NI_CONFIG_CODE_CACHE';
/** How many cache files the directory keeps (the newest): one per build, Node version and option set. */
export const KEEP_FILES = 8;
const MAGIC = Buffer.from('ni-config code cache 4\n');

/**
 * Has V8 put a checksum of a code cache's data in it, and check it before it runs any of it (it
 * does neither by default in release builds). Natively, and at no measurable cost: a checksum in
 * JavaScript took 3-9 ms a run, by the cache's size. Set before the bundle is compiled and never
 * set back, so that the cache is made and read under the same flags (V8 turns down data made under
 * others). A damaged cache is then one V8 turns down, and made again as such a one is.
 */
export const CHECKSUM_FLAG = '--verify-snapshot-checksum';

/** The bundle's module scope, as Node's CommonJS loader gives it (one line: line numbers stay). */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_TAIL = '\n})';

/** A cache file's name: `ni-config-code-<bundle's hash>-<Node version>-<arch>-<options hash>.bin`. */
const CACHE_FILE = /^ni-config-code-[0-9a-f]{16}-v[^/\\]*\.bin$/;
/** A temporary file older than this is left from a run that died while writing it. */
const STALE_TMP_MS = 10 * 60 * 1000;

/** Where the cache lives. */
export interface CacheLocation {
  readonly dir: string;
  /** A directory that must be the user's before anything is made below it (the home, for the default). */
  readonly within?: string;
}

const hex32 = (n: number): string => n.toString(16).padStart(8, '0');

/** 64 bits of a short text's hash as 16 hex digits: for names, not for checks. */
function textHash(text: string): string {
  let a = 0x811c9dc5 | 0;
  let b = 0x1b873593 | 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x5bd1e995) ^ (b >>> 13);
  }
  return hex32(a >>> 0) + hex32(b >>> 0);
}

/**
 * What the cache is kept by: the bundle file as its stat tells it (a file written again, or another
 * file put in its place, has another change time), and the wrapper it is compiled in.
 */
export function bundleIdentity(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${textHash(WRAP_HEAD + WRAP_TAIL)}`;
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

/** The cache file's name for a bundle's identity under this Node, architecture and option set. */
export function cacheFileName(identity: string, env: NodeJS.ProcessEnv = process.env): string {
  const options = textHash(JSON.stringify([process.execArgv, env.NODE_OPTIONS ?? '']));
  return `ni-config-code-${textHash(identity)}-${process.version}-${process.arch}-${options.slice(0, 8)}.bin`;
}

/**
 * A cache file's contents: V8's data, and the runs it holds the code of (by command, `help` for help:
 * see {@link LoadedBundle.save}).
 */
export interface CachedCode {
  readonly data: Buffer;
  readonly covers: readonly string[];
}

/**
 * A run's name as a cache file lists it: a command's name, or `help` for a run of none; `*` for
 * all runs, in a cache saved for no command, which is never written again.
 */
const COVER = /^(?:[a-z-]{1,32}|\*)$/;
const ALL = '*';
/** How many runs a cache file lists at most (the commands, and help). */
const MAX_COVERS = 32;

/**
 * The contents of `file` if it is whole, made for the bundle `identity` names, and safe to run;
 * else undefined. After its magic line, the file holds a line of the bundle's identity, one of the
 * length of the rest, then the rest: the runs it covers on one line, comma-separated, then V8's
 * data (whose checksum V8 checks: {@link CHECKSUM_FLAG}).
 */
export function readCache(file: string, identity: string): CachedCode | undefined {
  let fd: number;
  try {
    // not blocking: a FIFO put there is opened, then refused as not a file
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= MAGIC.length) return undefined;
    if (process.getuid !== undefined && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    // a file cut short or grown since the stat fails the length below; V8 checks what its data says
    const buf = readFileSync(fd);
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const idEnd = buf.indexOf(0x0a, MAGIC.length);
    if (idEnd < 0 || buf.toString('latin1', MAGIC.length, idEnd) !== identity) return undefined;
    const lengthEnd = buf.indexOf(0x0a, idEnd + 1);
    if (lengthEnd < 0) return undefined;
    const rest = buf.subarray(lengthEnd + 1);
    if (buf.toString('latin1', idEnd + 1, lengthEnd) !== String(rest.length)) return undefined;
    const eol = rest.indexOf(0x0a);
    if (eol < 0) return undefined;
    const line = rest.toString('latin1', 0, eol);
    const covers = line === '' ? [] : line.split(',');
    const data = rest.subarray(eol + 1);
    return data.length > 0 && covers.every((c) => COVER.test(c)) ? { data, covers } : undefined;
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
 * Writes `data` as the cache for the bundle `identity` names in `file`, covering the runs `covers` names, whole or
 * not at all (a temporary file of its own, renamed over it: a run reading it at the same time sees
 * the old file or the new one), then removes all but the newest {@link KEEP_FILES} cache files
 * beside it, and temporary files left by runs that died writing one.
 */
export function writeCache(file: string, identity: string, data: Buffer, covers: readonly string[] = []): void {
  const dir = dirname(file);
  // this process's own (written only if it is not there): its id and the time
  const tmp = `${file}.${hex32(process.pid).slice(-6)}${hex32(Date.now() & 0xffffff).slice(-6)}.tmp`;
  const listed = covers.filter((c) => COVER.test(c)).slice(0, MAX_COVERS);
  const rest = Buffer.concat([Buffer.from(`${listed.join(',')}\n`, 'latin1'), data]);
  try {
    // a new file, never one that is there (a link someone put in a shared directory is not followed)
    const head = Buffer.from(`${identity}\n${rest.length}\n`, 'latin1');
    writeFileSync(tmp, Buffer.concat([MAGIC, head, rest]), { mode: 0o600, flag: 'wx' });
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
  /** Whether {@link LoadedBundle.save} of a run of `command` would write the cache. */
  wouldSave(command?: string): boolean;
  /**
   * Writes the cache, once, if this run found none, or one V8 turned down, or one made by runs of
   * other commands only (`command`: the command this run ran, `help` for none). A cache that
   * served is written again with what this run compiled too, so that a command run again finds
   * its code whichever command made the cache; it then lists this command, and no later run of it
   * writes the cache again. Saved for no command (as the bin saves one V8 turned down, before the
   * command changes V8's flags), a cache is never written again: a flag some command does not
   * set back would otherwise have every other run write a cache the next one turns down. The
   * caller calls it while V8's flags are the ones the bundle was compiled under.
   */
  save(command?: string): void;
}

/** Compiles and runs the CommonJS bundle `file` with its code cache, as Node's loader would run it. */
export function loadBundle(file: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  // the text and its identity from one open file: one put in its place meanwhile is not mixed in
  const fd = openSync(file, constants.O_RDONLY);
  let text: Buffer;
  let identity: string;
  try {
    identity = bundleIdentity(fstatSync(fd, { bigint: true }));
    text = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  const location = cacheDir(env);
  if (location !== undefined) setFlagsFromString(CHECKSUM_FLAG);
  const cacheFile = location === undefined ? undefined : join(location.dir, cacheFileName(identity, env));
  const cached = cacheFile === undefined ? undefined : readCache(cacheFile, identity);
  const script = new Script(WRAP_HEAD + text.toString('utf8') + WRAP_TAIL, {
    filename: file,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  const cache =
    cacheFile === undefined
      ? 'off'
      : cached === undefined
        ? 'missing'
        : script.cachedDataRejected === true
          ? 'rejected'
          : 'used';
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as Record<string, unknown> };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = cache === 'off';
  const wouldSave = (command?: string): boolean =>
    !saved &&
    (cache !== 'used' ||
      (command !== undefined &&
        COVER.test(command) &&
        cached!.covers.length < MAX_COVERS &&
        !cached!.covers.includes(command) &&
        !cached!.covers.includes(ALL)));
  return {
    exports: module.exports,
    cache,
    wouldSave,
    save(command) {
      if (!wouldSave(command) || cacheFile === undefined || location === undefined) return;
      saved = true;
      // the directory first: where none can be written, V8 is not asked to serialize
      if (!cacheDirReady(location)) return;
      try {
        // V8's data holds what the cache held (no bytecode is let go of while a command runs:
        // cli/v8-tuning.ts) and what this run compiled. A cache V8 turned down is made again as
        // one that lists every run, saved before a command (as the bin does) or after a run of
        // none: were some flag not set back, one that listed fewer would be made again by each
        // run of another command, and turned down by the next
        const made = script.createCachedData();
        const covers =
          cache === 'used'
            ? [...cached!.covers, command!]
            : cache === 'rejected' || command === undefined
              ? [ALL]
              : [command];
        writeCache(cacheFile, identity, made, covers);
      } catch {
        // a cache that cannot be written costs the next run its compile, nothing more
      }
    },
  };
}
