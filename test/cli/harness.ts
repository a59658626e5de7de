/** Runs the CLI in-process against real temp directories, capturing its streams. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/cli/context.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(argv: readonly string[], cwd: string, stdin = ''): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {
    cwd,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    readStdin: async () => Buffer.from(stdin),
  };
  const code = await main(argv, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ni-config-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
