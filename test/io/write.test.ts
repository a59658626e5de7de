import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCleanups } from '../../src/io/cleanup.js';
import { WriteError, writeFilesAtomically } from '../../src/io/write.js';
import { tempDir } from '../cli/harness.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

describe('writeFilesAtomically', () => {
  it('writes new files and leaves identical ones alone', async () => {
    const files = new Map([
      ['a.json', '1\n'],
      ['b.json', '2\n'],
    ]);
    expect((await writeFilesAtomically(dir, files)).written).toHaveLength(2);
    const again = await writeFilesAtomically(
      dir,
      new Map([
        ['a.json', '1\n'],
        ['b.json', '3\n'],
      ]),
    );
    expect(again.unchanged).toEqual([join(dir, 'a.json')]);
    expect(again.written).toEqual([join(dir, 'b.json')]);
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('3\n');
  });

  it('on failure leaves the old files whole and no temp file behind', async () => {
    await writeFile(join(dir, 'a.json'), 'old a\n');
    await mkdir(join(dir, 'b.json')); // a directory where a file must go: its rename fails
    await expect(
      writeFilesAtomically(
        dir,
        new Map([
          ['b.json', 'new b\n'],
          ['a.json', 'new a\n'],
        ]),
      ),
    ).rejects.toThrow(WriteError);
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.json']);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('old a\n');
  });

  it('has nothing left to clean up after it is done', async () => {
    await writeFilesAtomically(dir, new Map([['a.json', '1\n']]));
    await runCleanups();
    expect(await readdir(dir)).toEqual(['a.json']);
  });
});

describe('writeFilesAtomically with content in pieces', () => {
  const pieces =
    (...list: string[]) =>
    () =>
      list;
  const big = 'x'.repeat(3 << 20);

  it('writes the pieces joined, and finds an identical file unchanged', async () => {
    const first = await writeFilesAtomically(dir, new Map([['a.json', pieces('{', big, '}\n')]]));
    expect(first.written).toEqual([join(dir, 'a.json')]);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe(`{${big}}\n`);
    const again = await writeFilesAtomically(dir, new Map([['a.json', pieces('{', big.slice(1), 'x}', '\n')]]));
    expect(again.unchanged).toEqual([join(dir, 'a.json')]);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('replaces a file that differs at the end, is longer or is shorter, with no temp file left', async () => {
    await writeFilesAtomically(dir, new Map([['a.json', `${big}é\n`]]));
    for (const content of [`${big}è\n`, `${big}è\nmore`, big.slice(7), '', `${big}é\n`]) {
      const r = await writeFilesAtomically(dir, new Map([['a.json', pieces(content.slice(0, 5), content.slice(5))]]));
      expect(r.written).toEqual([join(dir, 'a.json')]);
      expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe(content);
      expect(await readdir(dir)).toEqual(['a.json']);
    }
  });

  it('keeps a surrogate pair whole across batches', async () => {
    const text = `${'a'.repeat((1 << 20) - 1)}😀b`;
    await writeFilesAtomically(dir, new Map([['a.json', text]]));
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe(text);
  });
});
