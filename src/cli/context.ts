/**
 * What a command needs from the world, in one object, so tests can run commands in-process
 * with their own streams and working directory.
 */
import { loadProject, type ProjectConfig } from '../io/project.js';
import { InputError } from './errors.js';

export interface CommandContext {
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly readStdin: () => Promise<Buffer>;
}

export interface GlobalOptions {
  readonly json?: boolean;
  readonly config?: string;
}

export function processContext(): CommandContext {
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** Loads ni-config.jsonc (or the file --config names); a broken project file is an input error. */
export async function projectConfig(
  options: GlobalOptions,
  ctx: CommandContext,
): Promise<{ config: ProjectConfig; path: string | undefined }> {
  const loaded = await loadProject(options.config, ctx.cwd);
  if (loaded.findings.length > 0) {
    const texts = new Map(loaded.path !== undefined && loaded.text !== undefined ? [[loaded.path, loaded.text]] : []);
    throw new InputError(`the project file ${loaded.path ?? ''} is not valid`, loaded.findings, texts);
  }
  return { config: loaded.config, path: loaded.path };
}
