/**
 * `ni-config write IN --group G --artifact A`: the META-INF/native-image/<group>/<artifact>/
 * layout with a native-image.properties, replaced as a whole; `--check` for CI.
 * `ni-config write --fix [PATHS]`: what the packaging lints found in every native-image.properties
 * below the paths, repaired in place (files renamed to their standard names, options made
 * unnecessary dropped, deprecated ones replaced), shown as a diff first.
 * read → compute (the files and what changes) → apply (one transaction per directory), unless
 * --check or --dry-run.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { structuredPatch } from 'diff';
import { UsageError } from '../errors.js';
import { findPropertiesFiles, readNamed } from '../io/properties-files.js';
import { JOURNAL, replaceFileSet } from '../io/transaction.js';
import { emitLegacy, emitUnified, toJsonText } from '../model/emit/index.js';
import { kindOfFileName, type Format } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import { loadSources } from '../ops/load.js';
import { planFix, type FixPlan } from '../ops/packaging/fix.js';
import { analyseProperties } from '../ops/packaging/lint.js';
import { readProperties, renderProperties } from '../ops/properties.js';
import type { ProjectConfig } from '../ops/settings.js';
import type { CommandDeps, GlobalOptions } from './deps.js';
import { readableInputs } from './inputs.js';
import { chooseFormat } from './output.js';
import { readProject } from './project.js';

export interface WriteOptions extends GlobalOptions {
  readonly paths: readonly string[];
  readonly group?: string | undefined;
  readonly artifact?: string | undefined;
  readonly root?: string | undefined;
  readonly format?: Format | undefined;
  readonly check?: boolean | undefined;
  readonly force?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  /** Repair the native-image.properties files below the paths instead of writing a layout. */
  readonly fix?: boolean | undefined;
}

/** What both forms of write report: whether --check found the files up to date, and what changed on disk. */
interface WriteOutcome {
  /** False only for --check when something differs (is left to fix). */
  readonly ok: boolean;
  readonly check: boolean;
  readonly dryRun: boolean;
  /** Nothing to change. */
  readonly upToDate: boolean;
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly warnings: readonly string[];
  /** With --check, when something differs: the command that brings it up to date. */
  readonly hint?: string;
}

/** The result of write: its `--json` output. */
export interface WriteResult extends WriteOutcome {
  readonly dir: string;
  readonly format: Format;
  /** One line per file that differs (a unified hunk for native-image.properties). */
  readonly changes: readonly string[];
  /** Metadata files ni-config did not write that stay (native-image reads them too). */
  readonly kept: readonly string[];
}

/** What `write --fix` did (or would do) in one directory. */
export interface FixDirectory {
  /** The native-image.properties, as shown to the user. */
  readonly properties: string;
  readonly dir: string;
  /** One line per change, with its reason. */
  readonly changes: readonly string[];
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  readonly created: readonly string[];
  /** A unified diff of native-image.properties, then the renames and new files. */
  readonly diff: string;
  /** What the lints report that --fix leaves for a person, and why. */
  readonly unfixed: readonly string[];
}

/** The result of write --fix: its `--json` output. */
export interface FixResult extends WriteOutcome {
  readonly fix: true;
  /** Every directory with a native-image.properties, changed or not. */
  readonly directories: readonly FixDirectory[];
}

const PROPERTIES = 'native-image.properties';

/** A Maven/Gradle coordinate part that is one path segment inside the layout, never a way out of it. */
function coordinateProblem(what: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return `give --${what} (or "write": {"${what}": ...} in ni-config.jsonc)`;
  if (value.includes('/') || value.includes('\\'))
    return `--${what} '${value}' contains a path separator; it must be one directory name (e.g. com.example)`;
  if (value === '.' || value === '..' || value.includes('\0')) return `--${what} '${value}' is not a directory name`;
  return undefined;
}

/** Reads the inputs and writes their layout (or, with --fix, repairs their native-image.properties). */
export async function runWrite(options: WriteOptions, deps: CommandDeps): Promise<WriteResult | FixResult> {
  if (options.fix) return runFix(options, deps);
  const { config } = await readProject(options, deps);
  layoutDir(options, config, deps.cwd); // bad coordinates are a usage error before anything is read
  const inputs = await readableInputs(options.paths, config, deps);
  const format = options.format ?? config.write?.format ?? chooseFormat(undefined, config, inputs.files);
  const result = await writeLayout(inputs.set, { ...options, format }, config, deps);
  if (!result.check || result.upToDate) return result;
  const flags = [
    ...options.paths,
    ...(options.group ? ['--group', options.group] : []),
    ...(options.artifact ? ['--artifact', options.artifact] : []),
    ...(options.root ? ['--root', options.root] : []),
    ...(options.format ? ['--format', options.format] : []),
    ...(options.force ? ['--force'] : []),
    ...(options.config ? ['--config', options.config] : []),
  ];
  return { ...result, hint: ['ni-config', 'write', ...flags].map(shellWord).join(' ') };
}

/** A word as a POSIX shell reads it back. */
function shellWord(w: string): string {
  return /^[\w./@:=+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * `write --fix`: every native-image.properties below the paths (default: "inputs", else the
 * configured layout directory), analysed by the packaging lints and repaired in place, one
 * transaction per directory.
 */
async function runFix(options: WriteOptions, deps: CommandDeps): Promise<FixResult> {
  if (options.format || options.force)
    throw new UsageError(
      '--fix repairs native-image.properties in place: it takes paths, --check and --dry-run; --format and --force are for writing a layout',
    );
  const { config } = await readProject(options, deps);
  let paths: readonly string[] = options.paths;
  if (paths.length === 0) paths = config.inputs ?? [];
  if (paths.length === 0 && (options.group ?? config.write?.group) && (options.artifact ?? config.write?.artifact))
    paths = [layoutDir(options, config, deps.cwd).dir];
  if (paths.length === 0)
    throw new UsageError(
      'no paths: name the directories whose native-image.properties to fix, or list them under "inputs" in ni-config.jsonc',
    );
  const found = await findPropertiesFiles(paths, deps.cwd, {
    ...(config.maxFileSize !== undefined ? { maxFileSize: config.maxFileSize } : {}),
  });
  const warnings = found.findings.map((f) => `${f.file}: ${f.message}`);
  if (found.files.length === 0) warnings.push(`no native-image.properties below ${paths.join(', ')}`);
  const plans: { plan: FixPlan; osDir: string }[] = [];
  for (const p of found.files) {
    const analysis = analyseProperties(p);
    const osDir = dirname(resolve(deps.cwd, p.file));
    const contents = readNamed(
      osDir,
      analysis.renames.map((r) => r.from),
    );
    plans.push({ plan: planFix(analysis, contents), osDir });
  }
  const pending = plans.filter(({ plan }) => plan.files.size > 0 || plan.deletions.length > 0);
  const check = Boolean(options.check);
  const dryRun = Boolean(options.dryRun);
  const written: string[] = [];
  const deleted: string[] = [];
  if (!check && !dryRun)
    for (const { plan, osDir } of pending) {
      const r = await replaceFileSet(osDir, plan.files, plan.deletions);
      written.push(...r.written);
      deleted.push(...r.deleted);
    }
  const upToDate = pending.length === 0;
  const directories = plans.map(({ plan, osDir }) => ({
    properties: plan.file,
    dir: osDir,
    changes: plan.changes,
    renames: plan.renames,
    created: plan.created,
    diff: plan.diff,
    unfixed: plan.unfixed,
  }));
  const hintArgs = [
    'ni-config',
    'write',
    '--fix',
    ...options.paths,
    ...(options.config ? ['--config', options.config] : []),
  ];
  return {
    fix: true,
    ok: !check || upToDate,
    check,
    dryRun,
    upToDate,
    directories,
    written,
    deleted,
    warnings,
    ...(check && !upToDate ? { hint: hintArgs.map(shellWord).join(' ') } : {}),
  };
}

/** The layout directory the options and the project file name. */
function layoutDir(
  options: Pick<WriteOptions, 'group' | 'artifact' | 'root'>,
  config: ProjectConfig,
  cwd: string,
): { root: string; dir: string } {
  const settings = config.write ?? {};
  const group = options.group ?? settings.group;
  const artifact = options.artifact ?? settings.artifact;
  const problem = coordinateProblem('group', group) ?? coordinateProblem('artifact', artifact);
  if (problem) throw new UsageError(problem);
  const root = resolve(cwd, options.root ?? settings.root ?? 'src/main/resources');
  const dir = join(root, 'META-INF', 'native-image', group!, artifact!);
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel) || !dir.startsWith(root + sep))
    throw new UsageError(`the layout would leave ${root}; check --group and --artifact`);
  return { root, dir };
}

/** Writes a set as the layout (trace --write comes here with what it traced). */
export async function writeLayout(
  set: ConfigSet,
  options: Omit<WriteOptions, 'paths'>,
  config: ProjectConfig,
  deps: Pick<CommandDeps, 'cwd'>,
): Promise<WriteResult> {
  const settings = config.write ?? {};
  const { dir } = layoutDir(options, config, deps.cwd);
  const format = options.format ?? settings.format ?? 'unified';
  const emitted = format === 'unified' ? emitUnified(set) : emitLegacy(set, { allFiles: false });
  const files = new Map([...emitted.files].map(([name, value]) => [name, toJsonText(value)]));

  const present = await readdir(dir).catch(() => [] as string[]);
  const existingProps = await readFile(join(dir, PROPERTIES), 'utf8').catch(() => undefined);
  const managed = new Set(existingProps === undefined ? [] : readProperties(existingProps).managedFiles);
  const stale = present.filter((n) => kindOfFileName(n) !== undefined && !files.has(n));
  const deletions = stale.filter((n) => managed.has(n) || options.force);
  const kept = stale.filter((n) => !deletions.includes(n));
  files.set(
    PROPERTIES,
    renderProperties(
      existingProps,
      settings.args ?? [],
      [...files.keys()].filter((n) => n !== PROPERTIES),
      deletions,
    ),
  );

  const changes = await describeChanges(dir, files, deletions);
  const warnings = [
    ...kept.map(
      (n) => `${join(dir, n)} was not written by ni-config and is kept (native-image reads it too); --force removes it`,
    ),
    ...emitted.notes.map((n) => `${n.severity}: ${n.message}`),
  ];
  const check = Boolean(options.check);
  const dryRun = Boolean(options.dryRun);
  const upToDate = changes.length === 0;
  let written: string[] = [];
  let deleted: string[] = [];
  if (!check && !dryRun && !upToDate) ({ written, deleted } = await replaceFileSet(dir, files, deletions));
  return { ok: !check || upToDate, dir, format, check, dryRun, upToDate, changes, written, deleted, kept, warnings };
}

/** A short semantic summary per file of what writing would change; empty when nothing would. */
async function describeChanges(
  dir: string,
  files: ReadonlyMap<string, string>,
  deletions: readonly string[],
): Promise<string[]> {
  const changes: string[] = [];
  for (const [name, text] of files) {
    const old = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (old === text) continue;
    if (old === undefined) {
      changes.push(`${name}: new`);
      continue;
    }
    const kind = kindOfFileName(name);
    if (kind === undefined) {
      // native-image.properties: a reviewer wants the lines, as a unified hunk
      const patch = structuredPatch(name, name, old, text, '', '', { context: 1 });
      changes.push(
        `${name}: changed`,
        ...patch.hunks.flatMap((h) => [
          `  @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
          ...h.lines.map((l) => `  ${l}`),
        ]),
      );
      continue;
    }
    const before = entryTexts(name, old);
    const after = entryTexts(name, text);
    const added = [...after].filter((e) => !before.has(e));
    const removed = [...before].filter((e) => !after.has(e));
    changes.push(
      added.length + removed.length === 0
        ? `${name}: same entries, different layout`
        : `${name}: ${added.length} entr${added.length === 1 ? 'y' : 'ies'} added, ${removed.length} removed`,
      ...entryLines('+', added),
      ...entryLines('-', removed),
    );
  }
  for (const d of deletions) changes.push(`${d}: removed (no longer part of the output)`);
  if ((await readFile(join(dir, JOURNAL)).catch(() => undefined)) !== undefined)
    changes.push(`${JOURNAL}: an interrupted write will be completed`);
  return changes;
}

/** The first entries that differ, one per line, so that a reviewer sees which. */
const SHOWN_ENTRIES = 3;
const SHOWN_WIDTH = 160;

function entryLines(sign: '+' | '-', entries: readonly string[]): string[] {
  const shown = [...entries]
    .sort()
    .slice(0, SHOWN_ENTRIES)
    .map((e) => {
      const text = e.slice(e.indexOf(':') + 1);
      return `  ${sign} ${text.length > SHOWN_WIDTH ? `${text.slice(0, SHOWN_WIDTH - 1)}…` : text}`;
    });
  if (entries.length > SHOWN_ENTRIES) shown.push(`  ${sign} … and ${entries.length - SHOWN_ENTRIES} more`);
  return shown;
}

/** Each entry of a metadata file as canonical text, for counting what changed. */
function entryTexts(name: string, text: string): Set<string> {
  const loaded = loadSources([{ file: name, text, kind: kindOfFileName(name) }]);
  const out = new Set<string>();
  const emitted = emitLegacy(loaded.set, { allFiles: false });
  for (const [file, value] of emitted.files) {
    const items = Array.isArray(value)
      ? value
      : Object.values(value as Record<string, unknown>).flatMap((v) =>
          Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v).flat() : [v],
        );
    for (const item of items) out.add(`${file}:${JSON.stringify(item)}`);
  }
  return out;
}
