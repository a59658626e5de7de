/**
 * `ni-config diff OLD NEW` or `ni-config diff --base REV [--head REV] [PATH...]`: the semantic
 * difference of two config sets, for review.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GitError, InputError, UsageError } from '../errors.js';
import { sourcesAtRevision } from '../io/git.js';
import { collectSources, statIfThere, type Source } from '../io/inputs.js';
import { pointerTokens, isBlocking } from '../model/findings.js';
import { TextLocator, locatePointer } from '../model/json-text.js';
import type { ConfigSet } from '../model/model.js';
import type { EntryPointers } from '../model/parse/index.js';
import { diffSets, unifiedView, type Attribute, type Change, type DiffResult, type Locate } from '../ops/diff.js';
import { EVIDENCE_FILE } from '../ops/evidence/file.js';
import { PARTIAL_CONFIG_WITH_ORIGINS as CALL_TREE_FILE } from '../ops/evidence/origins.js';
import { evidenceKeyOf } from '../ops/evidence/types.js';
import { wholeText } from '../ops/load.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { boundHeapGrowth, inputSize, readableSources, warnIfTooLarge } from './inputs.js';
import type { evidenceBeside } from './prune-plan.js';
import { readProject } from './project.js';

export interface DiffOptions extends GlobalOptions {
  readonly paths: readonly string[];
  readonly base?: string | undefined;
  readonly head?: string | undefined;
  /** Find where each added or changed entry is in the new files (for annotations). */
  readonly locate?: boolean | undefined;
}

/** The result of diff: its `--json` output (schemas/ni-config-diff.schema.json). */
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
  /** The paths on disk it was read from (undefined for a git revision). */
  readonly paths?: readonly string[];
}

/** Reads both sides (files, directories, or git revisions) and compares them. */
export async function runDiff(options: DiffOptions, deps: CommandDeps): Promise<DiffJson> {
  const { config } = await readProject(options, deps);
  let before: Side;
  let after: Side;
  if (options.base !== undefined || options.paths.length !== 2) {
    const paths = options.paths.length > 0 ? options.paths : (config.inputs ?? []);
    if (paths.length === 0)
      throw new UsageError('give OLD NEW, or --base REV with paths (or "inputs" in ni-config.jsonc)');
    const base = options.base ?? 'HEAD';
    before = await atRevision(base, paths, deps.cwd).catch((e: unknown) => {
      throw e instanceof GitError && /not in a git repository/.test(e.message) ? outsideGit(e, options, paths) : e;
    });
    after =
      options.head !== undefined
        ? await atRevision(options.head, paths, deps.cwd)
        : await onDisk(paths, deps, 'working tree');
  } else {
    if (options.head !== undefined) throw new UsageError('--head goes with --base');
    before = await onDisk([options.paths[0]!], deps, options.paths[0]!);
    after = await onDisk([options.paths[1]!], deps, options.paths[1]!);
  }
  // both sides are in memory at once
  const size = inputSize(before.sources) + inputSize(after.sources);
  warnIfTooLarge(size, deps);
  // V8's flag is set back after, as the bin makes its code cache under the flags of the start
  const unbound = boundHeapGrowth(size);
  try {
    const pointers: EntryPointers | undefined = options.locate ? new Map() : undefined;
    // from here on only the sets are compared: the texts read go before each set is built (but the
    // new side's, to locate entries in)
    const readA = readableSources(before.sources, before.label);
    before = withoutTexts(before);
    const a = readA.set;
    const readB = readableSources(after.sources, after.label, pointers);
    if (!pointers) after = withoutTexts(after);
    const b = readB.set;
    // When either side is in the unified format, both are compared as that format sees them:
    // a legacy set and its conversion are then equal, and only real changes show. A side read
    // from one unified file already is that view (parse → emit → parse is the identity there);
    // several files may hold entries that only emitting joins, so those are converted.
    const unified = [before, after].some((side) => side.sources.some((src) => src.kind === 'unified'));
    const view = (side: Side, set: ConfigSet): ConfigSet =>
      side.sources.length === 1 && side.sources[0]!.kind === 'unified' ? set : unifiedView(set);
    const locate = pointers && locator(pointers, after.sources);
    // the new side's evidence file (trace --attribute) says which event first needed each added entry
    const beside = after.paths && (await evidenceFor(after.paths, deps.cwd));
    const attributions = beside?.attributions;
    const attribute: Attribute | undefined =
      attributions && attributions.size > 0
        ? (item) => {
            const key = evidenceKeyOf(item);
            return key === undefined ? undefined : attributions.get(key);
          }
        : undefined;
    const diff = unified
      ? diffSets(view(before, a), view(after, b), locate, attribute)
      : diffSets(a, b, locate, attribute);
    return { schemaVersion: 1, base: before.label, head: after.label, stat: diff.stat, changes: diff.changes };
  } finally {
    unbound();
  }
}

/**
 * The evidence beside the new side's paths (prune-plan.ts's `evidenceBeside`). That module
 * brings the prune machinery and its file globbing with it, so it is loaded only when a file it
 * would read may be there: its evidence file, or call-tree files there or one level down.
 */
async function evidenceFor(paths: readonly string[], cwd: string): ReturnType<typeof evidenceBeside> {
  if (!mayHoldEvidence(paths, cwd)) return undefined;
  return (await import('./prune-plan.js')).evidenceBeside(paths, cwd);
}

function mayHoldEvidence(paths: readonly string[], cwd: string): boolean {
  for (const input of paths) {
    if (input === '-') continue;
    const abs = resolve(cwd, input);
    const dir = statIfThere(abs)?.isDirectory() ? abs : dirname(abs);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    if (names.includes(EVIDENCE_FILE) || names.includes(CALL_TREE_FILE)) return true;
    for (const name of names) {
      if (!name.startsWith('.') && statIfThere(join(dir, name, CALL_TREE_FILE)) !== undefined) return true;
    }
  }
  return false;
}

/** A side without the texts of its sources (what is known about them stays). */
function withoutTexts(side: Side): Side {
  return { ...side, sources: side.sources.map((s) => ({ ...s, text: '' })) };
}

/** What to do instead, when diff needs git and there is none: it depends on what was asked. */
function outsideGit(e: GitError, options: DiffOptions, paths: readonly string[]): GitError {
  if (options.base !== undefined) return new GitError(`${e.message}, so --base ${options.base} names nothing`, e.argv);
  const given =
    options.paths.length === 0
      ? 'the project file\'s "inputs"'
      : paths.length === 1
        ? 'one path'
        : `${paths.length} paths`;
  return new GitError(
    `${e.message}: with ${given}, diff compares the working tree with git's HEAD; to compare two directories or files, give both (ni-config diff OLD NEW)`,
    e.argv,
  );
}

/** Line of each recorded entry, worked out only for the entries asked about. */
function locator(pointers: EntryPointers, sources: readonly Source[]): Locate {
  const byFile = new Map(sources.map((s) => [s.file, s]));
  // a text read in chunks is read whole only when an entry of it is asked about
  const texts = new Map<string, { text: string; locator: TextLocator } | undefined>();
  return (part, key) => {
    const at = pointers.get(`${part}\u0000${key}`);
    const source = at && byFile.get(at.file);
    if (at === undefined || source === undefined) return undefined;
    if (!texts.has(at.file)) {
      const text = wholeText(source);
      texts.set(at.file, text === undefined ? undefined : { text, locator: new TextLocator(text) });
    }
    const t = texts.get(at.file);
    if (t === undefined) return undefined;
    return { file: at.file, line: t.locator.lineCol(locatePointer(t.text, pointerTokens(at.pointer))).line };
  };
}

async function atRevision(rev: string, paths: readonly string[], cwd: string): Promise<Side> {
  const { sources, findings } = await sourcesAtRevision(rev, paths, cwd);
  if (findings.length > 0) throw new InputError(`a path is missing at revision ${rev}`, findings);
  return { label: rev, sources };
}

async function onDisk(
  paths: readonly string[],
  deps: Pick<CommandDeps, 'cwd' | 'readStdin'>,
  label: string,
): Promise<Side> {
  const absolute = paths.map((p) => (p === '-' ? p : resolve(deps.cwd, p)));
  const { sources, findings } = await collectSources(absolute, { readStdin: deps.readStdin });
  const blocking = findings.filter(isBlocking);
  if (blocking.length > 0) throw new InputError(`${label}: the input could not be read`, blocking);
  const cwd = deps.cwd.endsWith('/') ? deps.cwd : deps.cwd + '/';
  return {
    label,
    sources: sources.map((s) => ({ ...s, file: s.file.startsWith(cwd) ? s.file.slice(cwd.length) : s.file })),
    paths: paths.filter((p) => p !== '-'),
  };
}
