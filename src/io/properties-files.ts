/**
 * Finding the native-image.properties files below the paths a user gives, for the packaging
 * lints and `write --fix`: each with its text and the names of the files next to it. A walk of
 * its own (the metadata walk in inputs.ts looks for metadata names), skipping what that walk
 * skips: dot directories, node_modules, the agent's `*.tmp` write directories, symbolic links.
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { DEFAULT_MAX_FILE_SIZE, describeIoError, statIfThere, tooLarge } from './inputs.js';
import { walkTree, type TreeListings } from './walk.js';

export const PROPERTIES_FILE_NAME = 'native-image.properties';

export interface FoundProperties {
  /** The path as shown to the user. */
  readonly file: string;
  /** Absolute and `/`-separated. */
  readonly path: string;
  readonly text: string;
  /** Names of the files in its directory. */
  readonly siblings: readonly string[];
}

export interface FoundPropertiesResult {
  readonly files: readonly FoundProperties[];
  /** Properties files that could not be read. */
  readonly findings: readonly Finding[];
}

/** `/`-separated, whatever the platform. */
export function slashed(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The native-image.properties files below `root`, sorted (unreadable directories below it skipped: the metadata walk reports them). */
async function walk(root: string, listings: TreeListings | undefined): Promise<string[]> {
  try {
    return walkTree(root, (name) => name === PROPERTIES_FILE_NAME, listings ? { listings } : {}).sort();
  } catch {
    return [];
  }
}

/** Names of the regular files in a directory (none when it cannot be listed). */
export function fileNames(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/** The native-image.properties files the paths stand for (directories searched, files taken when so named). */
export async function findPropertiesFiles(
  paths: readonly string[],
  cwd: string,
  options: { readonly maxFileSize?: number; readonly listings?: TreeListings } = {},
): Promise<FoundPropertiesResult> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const files: FoundProperties[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    if (given === '-') continue;
    const root = resolve(cwd, given);
    const info = statIfThere(root);
    if (info === undefined) continue; // the metadata walk reports it
    const found = info.isDirectory()
      ? (await walk(root, options.listings)).map((rel) => ({
          abs: join(root, rel),
          shown: `${given.replace(/\/+$/, '')}/${rel}`,
        }))
      : root.endsWith(sep + PROPERTIES_FILE_NAME) || root === PROPERTIES_FILE_NAME
        ? [{ abs: root, shown: given }]
        : [];
    for (const { abs, shown } of found) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      try {
        const st = lstatSync(abs);
        if (st.size > maxFileSize) {
          findings.push(tooLarge(shown, `the file has ${st.size} bytes`, maxFileSize));
          continue;
        }
        const text = readFileSync(abs, 'utf8');
        const dir = abs.slice(0, abs.length - PROPERTIES_FILE_NAME.length - 1);
        files.push({ file: shown, path: slashed(abs), text, siblings: fileNames(dir) });
      } catch (e) {
        findings.push(finding('unreadable', shown, '', describeIoError(e, 'cannot read it'), 0));
      }
    }
  }
  return { files, findings };
}

/** The texts of some files of one directory; a file that cannot be read is left out. */
export function readNamed(dir: string, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    try {
      out.set(n, readFileSync(join(dir, n), 'utf8'));
    } catch {
      // left out
    }
  }
  return out;
}

/** The paths (as shown, relative to `cwd`) that are regular files. */
export function existingFiles(cwd: string, paths: readonly string[]): string[] {
  return paths.filter((p) => statIfThere(resolve(cwd, p))?.isFile() === true);
}
