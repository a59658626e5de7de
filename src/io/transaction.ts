/**
 * Replaces a set of files in one directory so that a crash or Ctrl-C at any moment leaves the
 * old set or the new one, never a mix or a truncated file:
 *   1. every new file goes to a temp file in the directory and is flushed;
 *   2. a journal naming every rename and deletion is written (atomically, by rename);
 *   3. the renames and deletions are done, then the journal is removed.
 * Before step 2 an interruption removes the temp files (the old set stays); after it, the
 * journal is rolled forward, by the interrupted process's cleanup or by the next writer.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { onInterrupt } from './cleanup.js';
import { describeIoError } from './inputs.js';
import { WriteError } from '../errors.js';

export const JOURNAL = '.ni-config-write.journal';

interface Journal {
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  readonly deletions: readonly string[];
}

export interface TransactionResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly deleted: string[];
}

/** Completes a write that an earlier process was interrupted in; returns whether there was one. */
export async function recover(dir: string): Promise<boolean> {
  const text = await readFile(join(dir, JOURNAL), 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    await unlink(join(dir, JOURNAL)); // a journal is renamed into place whole; a broken one was never committed
    return false;
  }
  await rollForward(dir, journal);
  return true;
}

async function rollForward(dir: string, journal: Journal): Promise<void> {
  for (const r of journal.renames) {
    await rename(join(dir, r.from), join(dir, r.to)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e; // already renamed before the interruption
    });
  }
  for (const d of journal.deletions) await rm(join(dir, d), { force: true });
  await unlink(join(dir, JOURNAL)).catch(() => undefined);
}

async function writeFlushed(path: string, content: string, flag: 'wx' | 'w'): Promise<void> {
  const handle = await open(path, flag, 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the files of a directory as one set: the old set or the new one survives any interruption. */
export async function replaceFileSet(
  dir: string,
  files: ReadonlyMap<string, string>,
  deletions: readonly string[],
): Promise<TransactionResult> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new WriteError(`${dir}: ${describeIoError(e, 'cannot create the output directory')}`, dir, { cause: e });
  }
  await recover(dir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const renames: { from: string; to: string }[] = [];
  const unchanged: string[] = [];
  let committed = false;
  const abandon = async (): Promise<void> => {
    if (committed) await recover(dir);
    else await Promise.all(renames.map((r) => unlink(join(dir, r.from)).catch(() => undefined)));
  };
  const unregister = onInterrupt(abandon);
  try {
    for (const [name, content] of files) {
      if ((await readFile(join(dir, name), 'utf8').catch(() => undefined)) === content) {
        unchanged.push(join(dir, name));
        continue;
      }
      const tmp = `.${name}.${tag}.tmp`;
      renames.push({ from: tmp, to: name });
      try {
        await writeFlushed(join(dir, tmp), content, 'wx');
      } catch (e) {
        throw new WriteError(`${join(dir, name)}: ${describeIoError(e, 'cannot write the file')}`, join(dir, name), {
          cause: e,
        });
      }
    }
    // Renames must not fail once committed: a directory in a file's place is found now.
    for (const r of renames) {
      const existing = await lstat(join(dir, r.to)).catch(() => undefined);
      if (existing?.isDirectory())
        throw new WriteError(`${join(dir, r.to)}: cannot replace the file: it is a directory`, join(dir, r.to));
    }
    const journal: Journal = { renames, deletions };
    if (renames.length > 0 || deletions.length > 0) {
      const tmpJournal = `${JOURNAL}.${tag}.tmp`;
      await writeFlushed(join(dir, tmpJournal), JSON.stringify(journal), 'wx');
      await rename(join(dir, tmpJournal), join(dir, JOURNAL));
      committed = true;
      await rollForward(dir, journal);
    }
    return { written: renames.map((r) => join(dir, r.to)), unchanged, deleted: deletions.map((d) => join(dir, d)) };
  } catch (e) {
    await abandon().catch(() => undefined);
    if (e instanceof WriteError) throw e;
    throw new WriteError(`${dir}: ${describeIoError(e, 'cannot replace the files')}`, dir, { cause: e });
  } finally {
    unregister();
  }
}
