/**
 * Reads jars: the native-image metadata a jar ships (`META-INF/native-image/**`, for
 * `prune --library-config`), entry names, entry texts and the manifest's main attributes. The zip
 * format (zip64 included, which uberjars of more than 65,535 entries need) is yauzl's business;
 * this module reads the central directory once per jar through a read-ahead window, and turns
 * the library's errors into a `JarError` that names the jar and says what is wrong.
 */
import { close, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { JarError } from '../errors.js';
import { kindOfFileName, type FileKind } from '../model/kinds.js';
import { DEFAULT_MAX_FILE_SIZE, describeIoError, propertiesReferences } from './inputs.js';

export interface JarEntryText {
  readonly name: string;
  readonly text: string;
  readonly kind: FileKind;
}

export { JarError } from '../errors.js';

/** A jar that cannot be read: the message starts with the jar's path and says what is wrong. */
function jarError(path: string, message: string): JarError {
  return new JarError(`${path}: ${message}`, path);
}

export interface JarOptions {
  /** Largest entry read, in bytes (uncompressed). Defaults to what a string can hold. */
  readonly maxEntrySize?: number;
}

/** The main attributes of `META-INF/MANIFEST.MF`. */
export interface JarManifest {
  /** In file order, names as written, continuation lines joined. */
  readonly attributes: ReadonlyMap<string, string>;
  /** One attribute's value; names are case-insensitive, as the jar specification has them. */
  get(name: string): string | undefined;
}

/** An open jar: its central directory has been read once; entries are read on demand. */
export interface Jar {
  readonly path: string;
  /** Every entry name, in central directory order (directories end in `/`). */
  names(): readonly string[];
  has(name: string): boolean;
  /** An entry's content. */
  readBytes(name: string): Promise<Buffer>;
  /** An entry's content as UTF-8 text. */
  readText(name: string): Promise<string>;
  /** The manifest's main attributes, or undefined when the jar has no `META-INF/MANIFEST.MF`. */
  manifest(): Promise<JarManifest | undefined>;
  /** Releases the file. Reads already under way finish first. */
  close(): void;
}

export const MANIFEST_NAME = 'META-INF/MANIFEST.MF';

/** Opens a jar, reading its central directory once; entries are read on demand. */
export async function openJar(path: string, options: JarOptions = {}): Promise<Jar> {
  const maxEntrySize = options.maxEntrySize ?? DEFAULT_MAX_FILE_SIZE;
  const fd = await new Promise<number>((resolve, reject) =>
    open(path, 'r', (err, fd) => (err ? reject(ioError(path, err)) : resolve(fd))),
  );
  let zip: ZipFile;
  try {
    const size = await new Promise<number>((resolve, reject) =>
      fstat(fd, (err, stats) => (err ? reject(ioError(path, err)) : resolve(stats.size))),
    );
    zip = await yauzl.fromRandomAccessReaderPromise(new WindowReader(fd), size, {
      autoClose: false,
      // names are decoded here as the JVM does (UTF-8), and are never turned into paths, so
      // names yauzl would refuse to extract (`..`, `\`) do not make the jar unreadable
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (e) {
    close(fd, () => {});
    throw e instanceof JarError ? e : zipError(path, e, 'open');
  }

  // After the directory is read, the only error yauzl emits is one closing a read-only
  // descriptor, which has nothing to tell; unheard, it would be thrown as an uncaught exception.
  zip.on('error', () => {});

  const names: string[] = [];
  // With names repeated, the last entry wins, as in java.util.zip.
  const byName = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileNameRaw.toString('utf8');
      names.push(name);
      byName.set(name, entry);
    }
  } catch (e) {
    zip.close();
    throw zipError(path, e, 'central');
  }

  const readBytes = async (name: string): Promise<Buffer> => {
    const entry = byName.get(name);
    if (entry === undefined) throw jarError(path, `has no entry ${name}`);
    if (entry.isEncrypted()) throw jarError(path, `${name} is encrypted, which is not supported`);
    if (entry.uncompressedSize > maxEntrySize)
      throw jarError(
        path,
        `${name} has ${entry.uncompressedSize} bytes uncompressed; expected at most ${maxEntrySize} to read it`,
      );
    try {
      return await readAll(await zip.openReadStreamPromise(entry));
    } catch (e) {
      throw zipError(path, e, 'entry', name);
    }
  };

  return {
    path,
    names: () => names,
    has: (name) => byName.has(name),
    readBytes,
    readText: async (name) => (await readBytes(name)).toString('utf8'),
    manifest: async () => (byName.has(MANIFEST_NAME) ? parseManifest(await readBytes(MANIFEST_NAME)) : undefined),
    close: () => zip.close(),
  };
}

/** Opens the jar, hands it to `use`, and closes it whatever happens. */
export async function withJar<T>(path: string, use: (jar: Jar) => Promise<T>, options?: JarOptions): Promise<T> {
  const jar = await openJar(path, options);
  try {
    return await use(jar);
  } finally {
    jar.close();
  }
}

/** The main attributes of a jar's manifest, or undefined when it has none. */
export async function jarManifest(path: string): Promise<JarManifest | undefined> {
  return withJar(path, (jar) => jar.manifest());
}

/**
 * The metadata files a jar ships: known file names below `META-INF/native-image/`, and the files a
 * `native-image.properties` there wires in with `${.}/…`. Sorted by entry name.
 */
export async function readJarMetadata(path: string): Promise<JarEntryText[]> {
  return withJar(path, async (jar) => {
    const wanted = new Map<string, FileKind>();
    for (const name of jar.names()) {
      if (!name.startsWith('META-INF/native-image/')) continue;
      const slash = name.lastIndexOf('/');
      const base = name.slice(slash + 1);
      const kind = kindOfFileName(base);
      if (kind) wanted.set(name, kind);
      if (base === 'native-image.properties') {
        const dir = name.slice(0, slash + 1);
        for (const ref of propertiesReferences(await jar.readText(name))) {
          if (jar.has(dir + ref.path)) wanted.set(dir + ref.path, ref.kind);
        }
      }
    }
    const sorted = [...wanted].sort(([a], [b]) => (a < b ? -1 : 1));
    return Promise.all(sorted.map(async ([name, kind]) => ({ name, kind, text: await jar.readText(name) })));
  });
}

/**
 * The main section of a manifest: `Name: value` lines up to the first empty line, a line that
 * starts with one space continuing the one before. Lines without `: ` are skipped. Lines are
 * joined before the bytes are decoded, since the jar tool folds lines at 72 bytes, in the middle of
 * a UTF-8 character if need be.
 */
export function parseManifest(bytes: Uint8Array): JarManifest {
  const utf8 = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .split(/\r\n|\r|\n/);
  const raw: [string, string][] = [];
  for (const line of lines) {
    if (line === '') break;
    const last = raw.at(-1);
    if (line.startsWith(' ')) {
      if (last) last[1] += line.slice(1);
      continue;
    }
    const colon = line.indexOf(': ');
    if (colon > 0) raw.push([line.slice(0, colon), line.slice(colon + 2)]);
    else raw.push(['', '']); // not an attribute: a line after it does not continue the one before
  }
  const attributes = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const [name, value] of raw) {
    if (name === '') continue;
    const key = utf8(name);
    attributes.delete(key); // a repeated name takes the later value and place
    attributes.set(key, utf8(value));
    folded.set(key.toLowerCase(), utf8(value));
  }
  return { attributes, get: (name) => folded.get(name.toLowerCase()) };
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (err) => {
      stream.destroy(); // lets yauzl release its hold on the file
      reject(err);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * yauzl's random access over a file descriptor, reading ahead: the central directory is read as
 * two small reads per entry, which for a 70,000-entry jar would be 140,000 trips through the
 * thread pool. A read that starts in or just after the window refills it from there with a large
 * block; a read elsewhere (a local header) with a small one. The descriptor is closed when yauzl
 * lets go of the reader and no read is under way.
 */
const SEQUENTIAL_BLOCK = 1024 * 1024;
const RANDOM_BLOCK = 4096;

class WindowReader extends yauzl.RandomAccessReader {
  #window: Buffer = Buffer.alloc(0);
  #start = 0;
  #reading = 0;
  #closing: (() => void) | undefined;

  constructor(readonly fd: number) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    const end = this.#start + this.#window.length;
    if (position >= this.#start && position + length <= end) {
      this.#window.copy(buffer, offset, position - this.#start, position - this.#start + length);
      callback(null, length);
      return;
    }
    const sequential = position >= this.#start && position <= end;
    const block = Buffer.allocUnsafe(Math.max(length, sequential ? SEQUENTIAL_BLOCK : RANDOM_BLOCK));
    this.readFd(block, position, (err, bytesRead) => {
      if (err) return callback(err);
      this.#window = block.subarray(0, bytesRead);
      this.#start = position;
      const n = Math.min(length, bytesRead);
      block.copy(buffer, offset, 0, n);
      callback(null, n);
    });
  }

  /** One `pread`, counted so that close waits for it. */
  readFd(buffer: Buffer, position: number, callback: (err: Error | null, bytesRead: number) => void): void {
    this.#reading++;
    read(this.fd, buffer, 0, buffer.length, position, (err, bytesRead) => {
      this.#reading--;
      callback(err, bytesRead);
      if (this.#reading === 0) this.#closing?.();
    });
  }

  // not fs.ReadStream: that closes its descriptor when destroyed, which yauzl does to every stream
  override _readStreamForRange(start: number, end: number): Readable {
    let position = start;
    const stream: Readable = new Readable({
      read: (size) => {
        const n = Math.min(size, end - position);
        if (n <= 0) return void stream.push(null);
        const chunk = Buffer.allocUnsafe(n);
        this.readFd(chunk, position, (err, bytesRead) => {
          if (err) return void stream.destroy(err);
          if (bytesRead === 0) return void stream.push(null); // the file shrank: yauzl counts the bytes
          position += bytesRead;
          stream.push(chunk.subarray(0, bytesRead));
        });
      },
    });
    return stream;
  }

  override close(callback: (err: Error | null) => void): void {
    this.#closing = () => {
      this.#closing = undefined;
      close(this.fd, (err) => callback(err ?? null));
    };
    if (this.#reading === 0) this.#closing();
  }
}

function ioError(path: string, e: unknown): JarError {
  return jarError(path, `${describeIoError(e, 'cannot read the jar')}`);
}

/** A yauzl or zlib error as a JarError; `stage` tells what was being read when it happened. */
function zipError(path: string, e: unknown, stage: 'open' | 'central' | 'entry', entry?: string): JarError {
  if (e instanceof JarError) return e;
  const err = e as NodeJS.ErrnoException;
  const message = String(err?.message ?? e);
  if (typeof err?.code === 'string' && !err.code.startsWith('Z_') && err.code !== 'ERR_ZLIB_INIT')
    return ioError(path, e);
  if (/End of central directory record signature not found/.test(message))
    return jarError(path, `not a jar (zip) file, or one cut short: found no end-of-central-directory record`);
  const compression = /unsupported compression method: (\d+)/.exec(message);
  if (compression)
    return jarError(
      path,
      `${entry} uses zip compression method ${compression[1]}, which is not supported (stored and deflated are)`,
    );
  if (/multi-disk/.test(message)) return jarError(path, `split (multi-disk) zip files are not supported`);
  if (/encrypt/.test(message)) return jarError(path, `encrypted zip entries are not supported (${message})`);
  if (message === 'closed') return jarError(path, `the jar was closed before ${entry} was read`);
  const detail = message === 'unexpected EOF' ? 'it runs past the end of the file' : message;
  switch (stage) {
    case 'open':
      return jarError(path, `damaged zip end-of-central-directory record: ${detail}`);
    case 'central':
      return jarError(path, `damaged zip central directory: ${detail}`);
    case 'entry':
      return jarError(path, `damaged zip entry ${entry}: ${detail}`);
  }
}
