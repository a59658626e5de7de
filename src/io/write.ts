/**
 * Writes generated files so that a reader (or a crash) never sees a truncated file: every file
 * goes to a temp file in the target directory, is flushed to disk, and only when all of them
 * are written are they renamed into place. A failure before the renames leaves the old files
 * untouched and no temp file behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteError } from '../errors.js';
import { onInterrupt } from './cleanup.js';
import { describeIoError } from './inputs.js';

export { WriteError } from '../errors.js';

export interface WriteResult {
  /** Files whose content changed (or that are new). */
  readonly written: string[];
  /** Files that already had exactly this content and were left alone. */
  readonly unchanged: string[];
}

/**
 * A file's content: its whole text, or a function giving its text in pieces (a large document,
 * written and compared piece by piece, never whole in memory).
 */
export type FileContent = string | (() => Iterable<string>);

/** Pieces are gathered to about this many characters before each is encoded and written. */
const BATCH = 1 << 20;

/** The content in batches of about {@link BATCH} characters, each as UTF-8 bytes. */
function* batches(content: FileContent): Generator<Buffer, void, undefined> {
  if (typeof content === 'string') {
    for (let at = 0; at < content.length;) {
      let end = Math.min(content.length, at + BATCH);
      // never split a surrogate pair between two batches
      if (end < content.length && (content.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
      yield Buffer.from(content.slice(at, end), 'utf8');
      at = end;
    }
    return;
  }
  let batch = '';
  for (const piece of content()) {
    batch += piece;
    if (batch.length >= BATCH) {
      yield Buffer.from(batch, 'utf8');
      batch = '';
    }
  }
  if (batch.length > 0) yield Buffer.from(batch, 'utf8');
}

/** The existing file at `path` opened for reading, with its size; undefined when there is no regular file. */
async function openExisting(path: string): Promise<{ handle: FileHandle; size: number } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  const info = await handle.stat().catch(() => undefined);
  if (info?.isFile()) return { handle, size: info.size };
  await handle.close();
  return undefined;
}

/** Whether the next `bytes.length` bytes of `existing` from `at` are `bytes`. */
async function sameBytes(existing: FileHandle, at: number, bytes: Buffer): Promise<boolean> {
  const old = Buffer.allocUnsafe(bytes.length);
  let read = 0;
  while (read < old.length) {
    const { bytesRead } = await existing.read(old, read, old.length - read, at + read);
    if (bytesRead === 0) return false;
    read += bytesRead;
  }
  return old.equals(bytes);
}

/** Copies the first `length` bytes of `from` to `to`. */
async function copyPrefix(from: FileHandle, to: FileHandle, length: number): Promise<void> {
  const chunk = Buffer.allocUnsafe(Math.min(length, BATCH * 4));
  for (let at = 0; at < length;) {
    const { bytesRead } = await from.read(chunk, 0, Math.min(chunk.length, length - at), at);
    if (bytesRead === 0) throw new Error('the existing file shrank while it was read');
    await to.write(chunk, 0, bytesRead);
    at += bytesRead;
  }
}

/** Writes files into a directory so that no reader ever sees a truncated one; unchanged files are left alone. */
export async function writeFilesAtomically(dir: string, files: ReadonlyMap<string, FileContent>): Promise<WriteResult> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new WriteError(`${dir}: ${describeIoError(e, 'cannot create the output directory')}`, dir, { cause: e });
  }
  const temps: { tmp: string; target: string }[] = [];
  const unchanged: string[] = [];
  const order = [...files.keys()].map((name) => join(dir, name));
  const removeTemps = async (): Promise<void> => {
    await Promise.all(temps.map((t) => unlink(t.tmp).catch(() => undefined)));
  };
  const unregister = onInterrupt(removeTemps);
  try {
    // Temp files are written and flushed concurrently: the flushes wait on the disk, not the CPU.
    await Promise.all(
      [...files].map(async ([name, content]) => {
        const target = join(dir, name);
        // The content is compared with the file already there as it is made; only at the first
        // difference is a temp file opened, with the equal part copied from the old file.
        const existing = await openExisting(target);
        let handle: FileHandle | undefined;
        try {
          let at = 0;
          const startTemp = async (): Promise<FileHandle> => {
            const tmp = join(dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
            temps.push({ tmp, target });
            const h = await open(tmp, 'wx', 0o644);
            if (existing !== undefined && at > 0) await copyPrefix(existing.handle, h, at);
            return h;
          };
          for (const bytes of batches(content)) {
            if (
              handle === undefined &&
              (existing === undefined ||
                at + bytes.length > existing.size ||
                !(await sameBytes(existing.handle, at, bytes)))
            )
              handle = await startTemp();
            if (handle !== undefined) await handle.write(bytes, 0, bytes.length);
            at += bytes.length;
          }
          if (handle === undefined) {
            if (existing !== undefined && at === existing.size) {
              unchanged.push(target);
              return;
            }
            handle = await startTemp(); // shorter than the old file, or no file yet (empty content)
          }
          await handle.sync();
        } catch (e) {
          if (e instanceof WriteError) throw e;
          throw new WriteError(`${target}: ${describeIoError(e, 'cannot write the file')}`, target, { cause: e });
        } finally {
          await handle?.close();
          await existing?.handle.close();
        }
      }),
    );
    // Renames in the order the files were given, so that the result does not depend on timing.
    temps.sort((a, b) => order.indexOf(a.target) - order.indexOf(b.target));
    unchanged.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const t of temps) {
      try {
        await rename(t.tmp, t.target);
      } catch (e) {
        throw new WriteError(`${t.target}: ${describeIoError(e, 'cannot replace the file')}`, t.target, {
          cause: e,
        });
      }
    }
    return { written: temps.map((t) => t.target), unchanged };
  } catch (e) {
    await removeTemps();
    throw e;
  } finally {
    unregister();
  }
}
