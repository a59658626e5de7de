/**
 * `ni-config diff OLD NEW` or `ni-config diff --base REV [--head REV] [PATH...]`: the semantic
 * difference of two config sets, for review.
 */
import { GitError, sourcesAtRevision } from '../../io/git.js';
import { collectSources, type Source } from '../../io/inputs.js';
import { isBlocking } from '../../model/findings.js';
import { loadSources } from '../../ops/load.js';
import { diffSets, unifiedView, type Change, type DiffResult } from '../../ops/diff.js';
import type { ConfigSet } from '../../model/model.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import {
  DIFF_FORMATS,
  entryLocations,
  renderGithub,
  renderMarkdown,
  renderText,
  type DiffFormat,
} from '../diff-render.js';
import { styleFor, writeOut } from '../render.js';
import { warnIfTooLarge } from './inputs.js';
import { resolve } from 'node:path';

export interface DiffOptions extends GlobalOptions {
  readonly paths: readonly string[];
  readonly base?: string;
  readonly head?: string;
  readonly format?: DiffFormat;
  readonly exitCode?: boolean;
  readonly stat?: boolean;
  readonly title?: string;
}

/** The `--json` output of diff (schemas/ni-config-diff.schema.json). */
export interface DiffJson {
  readonly schemaVersion: 1;
  readonly base: string;
  readonly head: string;
  readonly stat: DiffResult['stat'];
  readonly changes: readonly Change[];
}

interface Side {
  readonly label: string;
  readonly sources: Source[];
}

export async function runDiff(options: DiffOptions, ctx: CommandContext): Promise<number> {
  const { config } = await projectConfig(options, ctx);
  const format: DiffFormat = options.json ? 'json' : (options.format ?? 'text');
  if (!DIFF_FORMATS.includes(format))
    throw new UsageError(`unknown format '${format}'; expected one of ${DIFF_FORMATS.join(', ')}`);

  let before: Side;
  let after: Side;
  try {
    if (options.base !== undefined || options.paths.length !== 2) {
      const base = options.base ?? 'HEAD';
      const paths = options.paths.length > 0 ? options.paths : (config.inputs ?? []);
      if (paths.length === 0)
        throw new UsageError('give OLD NEW, or --base REV with paths (or "inputs" in ni-config.jsonc)');
      before = await atRevision(base, paths, ctx);
      after =
        options.head !== undefined
          ? await atRevision(options.head, paths, ctx)
          : await onDisk(paths, ctx, 'working tree');
    } else {
      if (options.head !== undefined) throw new UsageError('--head goes with --base');
      before = await onDisk([options.paths[0]!], ctx, options.paths[0]!);
      after = await onDisk([options.paths[1]!], ctx, options.paths[1]!);
    }
  } catch (e) {
    if (e instanceof GitError) throw new InputError(e.message, [], new Map(), { cause: e });
    throw e;
  }

  // When either side is in the unified format, both are compared as that format sees them:
  // a legacy set and its conversion are then equal, and only real changes show.
  // both sides are in memory at once
  await warnIfTooLarge(
    [before, after].reduce((n, side) => side.sources.reduce((m, src) => m + src.text.length, n), 0),
    ctx,
  );
  const [a, b] = [load(before), load(after)];
  const unified = [before, after].some((side) => side.sources.some((src) => src.kind === 'unified'));
  // a side read from one unified file already is that view (parse → emit → parse is the
  // identity there, as the corpus and property tests check); several files may hold entries
  // that only emitting joins, so those are converted
  const view = (side: typeof before, set: ConfigSet): ConfigSet =>
    side.sources.length === 1 && side.sources[0]!.kind === 'unified' ? set : unifiedView(set);
  const diff = unified ? diffSets(view(before, a), view(after, b)) : diffSets(a, b);
  const differs = diff.changes.length > 0;
  const title = options.title ?? `ni-config diff: ${before.label} → ${after.label}`;
  switch (format) {
    case 'json': {
      const out: DiffJson = {
        schemaVersion: 1,
        base: before.label,
        head: after.label,
        stat: diff.stat,
        changes: diff.changes,
      };
      await writeOut(ctx.stdout, JSON.stringify(out, null, 2) + '\n');
      break;
    }
    case 'markdown':
      await writeOut(ctx.stdout, renderMarkdown(diff, title, Boolean(options.stat)));
      break;
    case 'github':
      await writeOut(ctx.stdout, renderGithub(diff, entryLocations(after.sources)));
      break;
    case 'text':
      await writeOut(ctx.stdout, renderText(diff, styleFor(ctx.stdout), Boolean(options.stat)));
      break;
  }
  return options.exitCode && differs ? EXIT.findings : EXIT.ok;
}

function load(side: Side): ConfigSet {
  const loaded = loadSources(side.sources);
  const blocking = loaded.findings.filter(isBlocking);
  if (blocking.length > 0)
    throw new InputError(
      `${side.label}: part of the input could not be read`,
      blocking,
      new Map(side.sources.map((s) => [s.file, s.text])),
    );
  return loaded.set;
}

async function atRevision(rev: string, paths: readonly string[], ctx: CommandContext): Promise<Side> {
  const { sources, findings } = await sourcesAtRevision(rev, paths, ctx.cwd);
  if (findings.length > 0) throw new InputError(`a path is missing at revision ${rev}`, findings);
  return { label: rev, sources };
}

async function onDisk(paths: readonly string[], ctx: CommandContext, label: string): Promise<Side> {
  const absolute = paths.map((p) => (p === '-' ? p : resolve(ctx.cwd, p)));
  const { sources, findings } = await collectSources(absolute, { readStdin: ctx.readStdin });
  const blocking = findings.filter(isBlocking);
  if (blocking.length > 0) throw new InputError(`${label}: the input could not be read`, blocking);
  const cwd = ctx.cwd.endsWith('/') ? ctx.cwd : ctx.cwd + '/';
  return {
    label,
    sources: sources.map((s) => ({ ...s, file: s.file.startsWith(cwd) ? s.file.slice(cwd.length) : s.file })),
  };
}
