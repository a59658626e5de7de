/**
 * `ni-config write IN --group G --artifact A`: the META-INF/native-image/<group>/<artifact>/
 * layout with a native-image.properties, replaced as a whole; `--check` for CI.
 * read → compute (the files and what changes) → apply (one transaction), unless --check or --dry-run.
 */
import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { structuredPatch } from 'diff';
import { UsageError } from '../errors.js';
import { JOURNAL, replaceFileSet } from '../io/transaction.js';
import { emitLegacy, emitUnified, toJsonText } from '../model/emit/index.js';
import { kindOfFileName, type Format } from '../model/kinds.js';
import type { ConfigSet } from '../model/model.js';
import { loadSources } from '../ops/load.js';
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
}

/** The result of write: its `--json` output. */
export interface WriteResult {
  /** False only for --check when the files differ. */
  readonly ok: boolean;
  readonly dir: string;
  readonly format: Format;
  readonly check: boolean;
  readonly dryRun: boolean;
  readonly upToDate: boolean;
  /** One line per file that differs (a unified hunk for native-image.properties). */
  readonly changes: readonly string[];
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** Metadata files ni-config did not write that stay (native-image reads them too). */
  readonly kept: readonly string[];
  readonly warnings: readonly string[];
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

/** Reads the inputs and writes their layout. */
export async function runWrite(options: WriteOptions, deps: CommandDeps): Promise<WriteResult> {
  const { config } = await readProject(options, deps);
  layoutDir(options, config, deps.cwd); // bad coordinates are a usage error before anything is read
  const inputs = await readableInputs(options.paths, config, deps);
  const format = options.format ?? config.write?.format ?? chooseFormat(undefined, config, inputs.files);
  return writeLayout(inputs.set, { ...options, format }, config, deps);
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
    const added = [...after].filter((e) => !before.has(e)).length;
    const removed = [...before].filter((e) => !after.has(e)).length;
    changes.push(
      added + removed === 0
        ? `${name}: same entries, different layout`
        : `${name}: ${added} entr${added === 1 ? 'y' : 'ies'} added, ${removed} removed`,
    );
  }
  for (const d of deletions) changes.push(`${d}: removed (no longer part of the output)`);
  if ((await readFile(join(dir, JOURNAL)).catch(() => undefined)) !== undefined)
    changes.push(`${JOURNAL}: an interrupted write will be completed`);
  return changes;
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
