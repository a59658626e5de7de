/** How io/inputs.ts reads a file whole: the size limit at its edge, files larger than the first read, pipes. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectSources } from '../../src/io/inputs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ni-config-test-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file of exactly `bytes` bytes (at least 8) with characters of one to four bytes in it. Collecting reads it, never parses it. */
function fileOf(bytes: number, name = 'reflect-config.json'): string {
  const wide = 'ü€𝄞'; // 2 + 3 + 4 bytes
  const n = Math.floor((bytes - 4) / 18);
  const body = wide.repeat(n) + 'a'.repeat(bytes - 4 - 9 * n);
  const file = join(dir, name);
  writeFileSync(file, `["${body}"]`);
  expect(readFileSync(file).length).toBe(bytes);
  return file;
}

describe('reading a file whole', () => {
  it('reads a file of exactly the size limit, and reports one a byte larger', async () => {
    const file = fileOf(3000);
    const at = await collectSources([file], { maxFileSize: 3000 });
    expect(at.findings).toEqual([]);
    expect(at.sources[0]!.text).toBe(readFileSync(file, 'utf8'));
    const over = await collectSources([file], { maxFileSize: 2999 });
    expect(over.sources).toEqual([]);
    expect(over.findings).toEqual([
      expect.objectContaining({ code: 'too-large', message: expect.stringContaining('the file has 3000 bytes') }),
    ]);
  });

  it('reads files of the size of its first read and larger as they are, and a small one after them', async () => {
    // the first read is 1 MiB: a file of that size fits it, one a byte larger does not
    for (const bytes of [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20, 8]) {
      const file = fileOf(bytes);
      const r = await collectSources([file], { maxFileSize: 8 << 20 });
      expect(r.findings, `${bytes} bytes`).toEqual([]);
      expect(r.sources[0]!.text === readFileSync(file, 'utf8'), `${bytes} bytes`).toBe(true);
    }
  });

  /** The text of `file`, collected through a named pipe that another process writes it to. */
  const throughPipe = async (file: string, maxFileSize?: number) => {
    const fifo = join(dir, 'reflect-config.json');
    await new Promise<void>((done, fail) =>
      spawn('mkfifo', [fifo], { stdio: 'ignore' }).on('exit', (c) =>
        c === 0 ? done() : fail(new Error(`mkfifo: ${c}`)),
      ),
    );
    // the writer is another process: reading blocks this one until the text is all there
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1" 2>/dev/null', file, fifo], { stdio: 'ignore' });
    const r = await collectSources([fifo], maxFileSize === undefined ? {} : { maxFileSize });
    await new Promise((done) => writer.on('exit', done));
    rmSync(fifo);
    return r;
  };

  it('reads a named pipe (as the shell makes for <(...)), of any size up to the limit', async () => {
    for (const bytes of [5000, (1 << 20) + 1, 3 << 20]) {
      const file = fileOf(bytes, 'text');
      const r = await throughPipe(file, 8 << 20);
      expect(r.findings, `${bytes} bytes`).toEqual([]);
      expect(r.sources[0]!.text === readFileSync(file, 'utf8'), `${bytes} bytes`).toBe(true);
    }
  });

  it('reports a named pipe with more bytes than the limit as too large, below the first read and above it', async () => {
    for (const [bytes, limit] of [
      [3000, 2999],
      [3 << 20, 2 << 20],
    ] as const) {
      const r = await throughPipe(fileOf(bytes, 'text'), limit);
      expect(r.sources).toEqual([]);
      expect(r.findings).toEqual([
        expect.objectContaining({
          code: 'too-large',
          message: expect.stringContaining(`it has more than ${limit} bytes; expected at most ${limit}`),
        }),
      ]);
    }
  });
});
