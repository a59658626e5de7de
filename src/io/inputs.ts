/**
 * Turns the paths a user gives into metadata sources: directories are searched recursively
 * for every known file name (any mix of formats, `META-INF/native-image/**` trees, and files that
 * a `native-image.properties` wires in with `-H:…ConfigurationResources=${.}/…`), files are
 * read as they are, `-` reads stdin.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { FILE_KINDS, PROPERTIES_OPTION_KINDS, kindOfFileName, readInPieces, type FileKind } from '../model/kinds.js';
import type { ChunkedText } from '../ops/load.js';
import { joinerOf, walkTree, type TreeListings } from './walk.js';

export interface Source {
  /** The path as shown to the user. */
  readonly file: string;
  /** The text; a large file of a kind read in pieces is read from disk a chunk at a time when parsed. */
  readonly text: string | ChunkedText;
  /** Undefined when the kind must be told from the content. */
  readonly kind: FileKind | undefined;
}

export interface CollectResult {
  readonly sources: Source[];
  /** Problems reading the inputs: unreadable, too large, not UTF-8, nothing found. */
  readonly findings: Finding[];
}

export interface CollectOptions {
  /** Largest file read, in bytes. */
  readonly maxFileSize?: number;
  /** Reads standard input for `-`. */
  readonly readStdin?: () => Promise<Buffer>;
  /** The command's tree listings, when it walks the same paths for other files too (validate). */
  readonly listings?: TreeListings;
  /**
   * Large files of a kind read in pieces are read in chunks: from this size, this many bytes at
   * a time (defaults: model/kinds.ts `readInPieces`, 8 MiB; tests set them small).
   */
  readonly chunked?: Chunking;
}

/** From what size a file is read in chunks (undefined: model/kinds.ts decides), and how large they are. */
interface Chunking {
  readonly from: number | undefined;
  readonly bytes: number;
}

/** Bytes read at a time from a file read in chunks. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Node's strings stop a little short of 512 MiB; refuse clearly before that. */
export const DEFAULT_MAX_FILE_SIZE = 512 * 1024 * 1024 - 64;

const KNOWN_NAMES = Object.values(FILE_KINDS).flatMap((k) => [k.fileName, ...k.aliases]);
const WANTED: ReadonlySet<string> = new Set([...KNOWN_NAMES, 'native-image.properties']);

/**
 * Paths (relative, `/`-separated) of the metadata files and native-image.properties below
 * `root` (io/walk.ts: dot directories, node_modules and `*.tmp` skipped, no symbolic links
 * followed). A plain walk: the names are fixed, no pattern matching needed.
 */
function walk(root: string, listings: TreeListings | undefined): string[] {
  return walkTree(root, (name) => WANTED.has(name), { unreadable: 'throw', ...(listings ? { listings } : {}) });
}

/** The metadata sources the paths stand for (files, directories searched recursively, `-`), and what could not be read. */
export async function collectSources(paths: readonly string[], options: CollectOptions = {}): Promise<CollectResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const chunking: Chunking = options.chunked ?? { from: undefined, bytes: CHUNK_BYTES };
  const sources: Source[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();

  // Files are read one after another (see readText), and kept in the order in which they were found.
  const pending: { display: string; absolute: string; kind: FileKind | undefined; text?: string | ChunkedText }[] = [];
  const addFile = async (display: string, absolute: string, kind: FileKind | undefined): Promise<void> => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    pending.push({ display, absolute, kind });
  };

  for (const path of paths) {
    if (path === '-') {
      if (!options.readStdin) {
        findings.push(finding('unreadable', '<stdin>', '', 'standard input is not available here'));
        continue;
      }
      const text = decode('<stdin>', await options.readStdin(), findings);
      if (text !== undefined) pending.push({ display: '<stdin>', absolute: '', kind: undefined, text });
      continue;
    }
    const absolute = resolve(path);
    let info;
    try {
      info = statSync(absolute);
    } catch (e) {
      findings.push(finding('unreadable', path, '', describeIoError(e, 'cannot read it')));
      continue;
    }
    if (info.isDirectory()) {
      const before = pending.length;
      await collectDirectory(path, absolute, addFile, findings, maxFileSize, options.listings);
      if (pending.length === before && !findings.some((f) => f.file.startsWith(path))) {
        findings.push(
          finding(
            'no-metadata',
            path,
            '',
            `found no metadata files in this directory; expected one of ${KNOWN_NAMES.join(', ')} at any depth`,
          ),
        );
      }
    } else {
      const base = absolute.slice(absolute.lastIndexOf(sep) + 1);
      await addFile(path, absolute, kindOfFileName(base));
    }
  }
  const texts = pending.map(
    (p) => p.text ?? readText(p.display, p.absolute, maxFileSize, findings, { kind: p.kind, ...chunking }),
  );
  pending.forEach((p, i) => {
    const text = texts[i];
    if (text !== undefined) sources.push({ file: p.display, text, kind: p.kind });
  });
  return { sources, findings };
}

async function collectDirectory(
  display: string,
  absolute: string,
  addFile: (display: string, absolute: string, kind: FileKind | undefined) => Promise<void>,
  findings: Finding[],
  maxFileSize: number,
  listings: TreeListings | undefined,
): Promise<void> {
  let found: string[];
  try {
    found = walk(absolute, listings);
  } catch (e) {
    findings.push(finding('unreadable', display, '', describeIoError(e, 'cannot list the directory')));
    return;
  }
  found.sort();
  const shown = joinerOf(display);
  const below = joinerOf(absolute);
  for (const rel of found) {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const abs = below(rel);
    if (base === 'native-image.properties') {
      const text = readText(shown(rel), abs, maxFileSize, findings);
      if (typeof text !== 'string') continue;
      for (const ref of propertiesReferences(text)) {
        const target = join(dirname(abs), ref.path);
        if (!target.startsWith(absolute + sep)) continue; // never read outside the given tree
        try {
          if (!statSync(target).isFile()) continue;
        } catch {
          continue; // a reference to a file that is not there is native-image's business
        }
        await addFile(shown(relative(absolute, target)), target, ref.kind);
      }
      continue;
    }
    await addFile(shown(rel), abs, kindOfFileName(base));
  }
}

/** Files a `native-image.properties` wires in relative to itself (`${.}/name.json`). */
export function propertiesReferences(text: string): { kind: FileKind; path: string }[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const out: { kind: FileKind; path: string }[] = [];
  for (const m of joined.matchAll(/-H:(\w+Configuration)(?:Resources|Files)=(\S+)/g)) {
    const kind = PROPERTIES_OPTION_KINDS[m[1]!];
    if (kind === undefined) continue;
    for (const item of m[2]!.split(',')) {
      if (item.startsWith('${.}/')) out.push({ kind, path: item.slice('${.}/'.length) });
    }
  }
  return out;
}

/**
 * One file's text. Synchronous on purpose: a command reads its inputs before anything else
 * happens, and for the hundreds of small files of a metadata tree one open/read/close in a row
 * is several times faster than the same calls bounced through the thread pool. A large file of
 * a kind read in pieces (model/kinds.ts `readInPieces`) is only checked to be UTF-8 here, a
 * chunk at a time, and read again a chunk at a time when it is parsed: its text is never whole
 * in memory.
 *
 * A file is first read into a buffer of {@link FIRST_READ} bytes, without asking its size: most
 * metadata files are a few kilobytes, and Node 20's `fstatSync` makes four `Date`s for each
 * (15 ms over the corpus's 1,854 files). Only a file with more bytes than that (or than the
 * size limit), one to be read in pieces at the size read, or one read again (`same`), is
 * stat-ed after all and read as before; a pipe is read on from where the first read stopped.
 */
function readText(
  display: string,
  absolute: string,
  maxFileSize: number,
  findings: Finding[],
  chunked?: Chunking & { readonly kind: FileKind | undefined },
  same?: FileStamp,
): string | ChunkedText | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const limit = Math.min(FIRST_READ, maxFileSize);
    if (same === undefined) {
      const whole = readUpTo(fd, limit);
      if (whole !== undefined && !(chunked && readInPieces(chunked.kind, whole.length, chunked.from)))
        return decode(display, whole, findings);
    }
    const info = fstatSync(fd);
    if (same === undefined && !info.isFile()) {
      // a pipe has no size to ask, and the bytes the first read took are gone from it: read on
      const all = readOn(fd, firstRead!.subarray(0, limit + 1), maxFileSize);
      if (all !== undefined) return decode(display, all, findings);
      findings.push(tooLarge(display, `it has more than ${maxFileSize} bytes`, maxFileSize));
      return undefined;
    }
    const size = info.size;
    if (same !== undefined && !sameFile(same, info)) {
      findings.push(finding('unreadable', display, '', 'cannot read it again: it changed on disk since it was read'));
      return undefined;
    }
    if (size > maxFileSize) {
      findings.push(tooLarge(display, `the file has ${size} bytes`, maxFileSize));
      return undefined;
    }
    if (chunked && readInPieces(chunked.kind, size, chunked.from)) {
      checkUtf8(fd, size, chunked.bytes);
      return new FileText(absolute, info, maxFileSize, chunked.bytes);
    }
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break; // the file shrank while being read: take what is there
      read += n;
    }
    return decode(display, read === size ? bytes : bytes.subarray(0, read), findings);
  } catch (e) {
    if (e instanceof NotUtf8) findings.push(notUtf8(display, e.at));
    else findings.push(finding('unreadable', display, '', describeIoError(e, 'cannot read it')));
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file over the size limit: what it has, what is expected, and how to raise the limit. */
export function tooLarge(display: string, has: string, maxFileSize: number): Finding {
  return finding(
    'too-large',
    display,
    '',
    `${has}; expected at most ${maxFileSize} (set maxFileSize in ni-config.jsonc to raise the limit)`,
  );
}

/** How much of a file is read before its size is asked for (see readText). */
const FIRST_READ = 1 << 20;

/** The buffer of readUpTo, made on first use and kept: its bytes are decoded (copied) at once. */
let firstRead: Buffer | undefined;

/**
 * The whole file, from the start (it was just opened), if it has at most `limit` bytes;
 * undefined when it has more. Read on from where the file is, so that a pipe can be read too.
 */
function readUpTo(fd: number, limit: number): Buffer | undefined {
  const buf = (firstRead ??= Buffer.allocUnsafeSlow(FIRST_READ + 1));
  let read = 0;
  while (read <= limit) {
    const n = readSync(fd, buf, read, limit + 1 - read, null);
    if (n === 0) return buf.subarray(0, read);
    read += n;
  }
  return undefined;
}

/** What follows `head` in a pipe, with it, if the two have at most `limit` bytes; undefined when they have more. */
function readOn(fd: number, head: Uint8Array, limit: number): Buffer | undefined {
  const parts: Buffer[] = [Buffer.from(head)];
  let total = head.length;
  while (total <= limit) {
    const part = Buffer.allocUnsafe(Math.min(FIRST_READ, limit + 1 - total));
    const n = readSync(fd, part, 0, part.length, null);
    if (n === 0) return Buffer.concat(parts, total);
    parts.push(n === part.length ? part : part.subarray(0, n));
    total += n;
  }
  return undefined;
}

/** What tells a file read again from the one collected: replaced (a command's own output written over it) or changed. */
interface FileStamp {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

function sameFile(a: FileStamp, b: FileStamp): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * A large metadata file, read from disk a chunk at a time when it is parsed, and whole only when
 * it must be. Each read checks that the file is still the one collected: a merge may have
 * written its output over it by the time its findings are placed.
 */
class FileText implements ChunkedText {
  readonly bytes: number;
  private readonly stamp: FileStamp;

  constructor(
    private readonly absolute: string,
    info: FileStamp,
    private readonly maxFileSize: number,
    private readonly chunkBytes: number,
  ) {
    this.bytes = info.size;
    this.stamp = { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
  }

  *chunks(): Generator<string, void, undefined> {
    const fd = openSync(this.absolute, 'r');
    try {
      if (!sameFile(this.stamp, fstatSync(fd))) throw new Error(`${this.absolute} changed on disk since it was read`);
      for (const chunk of utf8Chunks(fd, this.bytes, this.chunkBytes)) yield chunk.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  whole(file: string): string | Finding {
    const findings: Finding[] = [];
    const text = readText(file, this.absolute, this.maxFileSize, findings, undefined, this.stamp);
    return typeof text === 'string' ? text : (findings[0] ?? finding('unreadable', file, '', 'cannot read it'));
  }
}

/** The first byte of a file that is not UTF-8 (at its offset). */
class NotUtf8 extends Error {
  constructor(readonly at: number) {
    super(`not UTF-8 at byte ${at}`);
  }
}

/** Reads a file through, a chunk at a time, and throws {@link NotUtf8} where it stops being UTF-8. */
function checkUtf8(fd: number, size: number, chunkBytes: number): void {
  const chunks = utf8Chunks(fd, size, chunkBytes);
  while (!chunks.next().done);
}

/**
 * The first `size` bytes from `fd`, about `chunkBytes` at a time, each cut before the lead byte of a
 * sequence that may go on in the next (a character is never split) and checked to be UTF-8;
 * throws {@link NotUtf8} at the first invalid byte. A chunk is valid until the next is asked for.
 */
function* utf8Chunks(fd: number, size: number, chunkBytes: number): Generator<Buffer, void, undefined> {
  const buf = Buffer.allocUnsafe(Math.min(size, chunkBytes) + 4);
  let carry = 0; // bytes of the last sequence, moved to the front
  let pos = 0; // the file offset of buf[0]
  for (;;) {
    const want = Math.min(buf.length - carry, size - pos - carry);
    const n = want > 0 ? readSync(fd, buf, carry, want, pos + carry) : 0;
    const filled = carry + n;
    let cut = filled;
    if (n > 0 && buf[filled - 1]! >= 0x80) {
      // back to the lead byte of the last sequence (at most three continuation bytes before it)
      let k = filled - 1;
      while (k > filled - 4 && k > 0 && (buf[k]! & 0xc0) === 0x80) k--;
      // more continuation bytes than a sequence has: invalid here, and checked here
      cut = (buf[k]! & 0xc0) === 0x80 ? filled : k;
    }
    const chunk = buf.subarray(0, cut);
    if (!isUtf8(chunk)) throw new NotUtf8(pos + firstInvalidUtf8(chunk));
    if (cut > 0) yield chunk;
    if (n === 0) return; // the end (or the file shrank while being read: what is there)
    buf.copy(buf, 0, cut, filled);
    carry = filled - cut;
    pos += cut;
  }
}

function decode(display: string, bytes: Buffer, findings: Finding[]): string | undefined {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  findings.push(notUtf8(display, firstInvalidUtf8(bytes)));
  return undefined;
}

function notUtf8(display: string, at: number): Finding {
  return finding('json-syntax', display, '', `expected UTF-8 text, found an invalid byte sequence at byte ${at}`, 0);
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, found by bisection with the fatal decoder.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * What a path's stat says, or undefined when it cannot be had (not there, not readable). The
 * file system is asked synchronously, here as in the walk: a command reads its inputs one after
 * another anyway, and most runs then never load node:fs/promises (about 2.5 ms).
 */
export function statIfThere(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A file-system error in words: what was being done and why it failed. */
export function describeIoError(e: unknown, what: string): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return `${what}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied`;
    case 'EISDIR':
      return `${what}: it is a directory`;
    case 'ENOTDIR':
      return `${what}: a part of the path is not a directory`;
    default:
      return `${what}: ${err.message ?? String(e)}`;
  }
}
