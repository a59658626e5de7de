/**
 * Writes generated files so that a reader (or a crash) never sees a truncated file: every file
 * goes to a temp file in the target directory, is flushed to disk, and only when all of them
 * are written are they renamed into place. A failure before the renames leaves the old files
 * untouched and no temp file behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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

/** Writes files into a directory so that no reader ever sees a truncated one; unchanged files are left alone. */
export async function writeFilesAtomically(dir: string, files: ReadonlyMap<string, string>): Promise<WriteResult> {
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
        if ((await readFile(target, 'utf8').catch(() => undefined)) === content) {
          unchanged.push(target);
          return;
        }
        const tmp = join(dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
        temps.push({ tmp, target });
        let handle;
        try {
          handle = await open(tmp, 'wx', 0o644);
          await handle.writeFile(content, 'utf8');
          await handle.sync();
        } catch (e) {
          throw new WriteError(`${target}: ${describeIoError(e, 'cannot write the file')}`, target, { cause: e });
        } finally {
          await handle?.close();
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
