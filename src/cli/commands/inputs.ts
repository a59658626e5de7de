/** Reading the config inputs a command names (or the project file's `inputs`) into one model. */
import { collectSources } from '../../io/inputs.js';
import type { ProjectConfig } from '../../io/project.js';
import type { Finding } from '../../model/findings.js';
import { loadSources, type LoadResult, type SchemaCheck } from '../../ops/load.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { writeOut } from '../render.js';

export interface LoadedInputs extends LoadResult {
  /** Problems reading the files at all (exit 2 whatever the command). */
  readonly ioFindings: readonly Finding[];
  /** The text of every file a finding names, to place it at line and column. */
  readonly texts: ReadonlyMap<string, string>;
}

export function inputPaths(given: readonly string[], project: ProjectConfig): readonly string[] {
  if (given.length > 0) return given;
  if (project.inputs && project.inputs.length > 0) return project.inputs;
  throw new UsageError('no input paths: name files or directories, or list them under "inputs" in ni-config.jsonc');
}

export async function loadInputs(
  paths: readonly string[],
  project: ProjectConfig,
  ctx: CommandContext,
  schema?: SchemaCheck,
): Promise<LoadedInputs> {
  const absolute = paths.map((p) => (p === '-' ? p : resolve(ctx.cwd, p)));
  const collected = await collectSources(absolute, {
    readStdin: ctx.readStdin,
    ...(project.maxFileSize !== undefined ? { maxFileSize: project.maxFileSize } : {}),
  });
  // Show paths as the user wrote them, not as resolved.
  const shown = (file: string): string => {
    for (let i = 0; i < paths.length; i++) {
      const abs = absolute[i]!;
      if (file === abs) return paths[i]!;
      if (file.startsWith(abs + '/')) return paths[i]! + file.slice(abs.length);
    }
    return file;
  };
  await warnIfTooLarge(
    collected.sources.reduce((n, s) => n + s.text.length, 0),
    ctx,
  );
  const sources = collected.sources.map((s) => ({ ...s, file: shown(s.file) }));
  const ioFindings = collected.findings.map((f) => ({ ...f, file: shown(f.file) }));
  const loaded = loadSources(sources, schema ? { schema } : {});
  // texts place findings at line and column; the others need not stay in memory
  const named = new Set([...ioFindings, ...loaded.findings].map((f) => f.file));
  return {
    ...loaded,
    ioFindings,
    texts: new Map(sources.filter((s) => named.has(s.file)).map((s) => [s.file, s.text])),
  };
}

/**
 * Peak memory is roughly this many times the JSON read (bench/scale.mjs: 11× to merge two
 * files, 15× one 200 MB file, up to 19× to diff). Node.js ends a process that outgrows its
 * heap with a fatal error nothing can catch, so say beforehand what to do about it.
 */
const MEMORY_PER_INPUT_BYTE = 16;

/** Warns when `chars` of JSON (everything one command reads) may not fit in this heap. */
export async function warnIfTooLarge(chars: number, ctx: CommandContext): Promise<void> {
  const limit = getHeapStatistics().heap_size_limit;
  const need = chars * MEMORY_PER_INPUT_BYTE;
  if (need <= limit) return;
  const mb = (n: number): number => Math.round(n / 1024 / 1024);
  const suggest = Math.ceil((need * 1.25) / 1024 / 1024 / 1024) * 1024;
  await writeOut(
    ctx.stderr,
    `ni-config: warning: the inputs hold ${mb(chars)} MB of JSON; that needs about ${mb(need)} MB of memory and this Node.js allows ${mb(limit)} MB. If it runs out, give it more: NODE_OPTIONS=--max-old-space-size=${suggest}\n`,
  );
}
