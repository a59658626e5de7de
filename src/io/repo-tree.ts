/**
 * Reading a tree shaped like the GraalVM Reachability Metadata Repository's
 * `metadata/<groupId>/<artifactId>/<version>/`, for `validate --profile reachability-repo`:
 * from the repository root, `metadata/`, a group, an artifact or one version directory.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { REPO_METADATA_FILE, type RepoArtifact, type RepoVersion } from '../ops/packaging/reachability-repo.js';

/** Directories of metadata/ that hold no group. */
const NOT_GROUPS: ReadonlySet<string> = new Set(['schemas']);

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

export interface RepoTree {
  readonly artifacts: readonly RepoArtifact[];
  readonly findings: readonly Finding[];
}

/** The artifacts and versions below the given paths. */
export async function readRepoTree(paths: readonly string[], cwd: string): Promise<RepoTree> {
  const artifacts = new Map<string, { a: Omit<RepoArtifact, 'versions'>; versions: RepoVersion[] }>();
  const findings: Finding[] = [];
  for (const given of paths) {
    if (given === '-') continue;
    let abs = resolve(cwd, given);
    let shownRoot = given.replace(/\/+$/, '');
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) continue; // the metadata walk reports it
    if (!info.isDirectory()) {
      abs = dirname(abs);
      shownRoot = shownRoot.includes('/') ? shownRoot.slice(0, shownRoot.lastIndexOf('/')) : '.';
    }
    // where metadata/ is: the path itself or above it, or just below it (the repository root)
    const parts = abs.split(/[\\/]/);
    let depth = -1;
    for (let i = parts.length - 1; i >= 0; i--) {
      if (parts[i] === 'metadata') {
        depth = parts.length - 1 - i;
        break;
      }
    }
    if (depth < 0 && (await stat(join(abs, 'metadata')).catch(() => undefined))?.isDirectory()) {
      abs = join(abs, 'metadata');
      shownRoot = `${shownRoot}/metadata`;
      depth = 0;
    }
    if (depth < 0 || depth > 3) {
      findings.push(
        finding(
          'repo-layout',
          given,
          '',
          depth < 0
            ? 'not inside the metadata repository: expected the repository root, metadata/, or metadata/<groupId>/<artifactId>[/<version>]'
            : 'too deep: expected metadata/<groupId>/<artifactId>/<version>/ at most',
          0,
        ),
      );
      continue;
    }
    // walk down to the version directories
    let level: { abs: string; shown: string; names: string[] }[] = [{ abs, shown: shownRoot, names: [] }];
    for (let d = depth; d < 3; d++) {
      const next: typeof level = [];
      for (const l of level)
        for (const name of await subdirectories(l.abs)) {
          if (d === 0 && NOT_GROUPS.has(name)) continue;
          next.push({ abs: join(l.abs, name), shown: `${l.shown}/${name}`, names: [...l.names, name] });
        }
      level = next;
    }
    for (const v of level) {
      const version = basename(v.abs);
      const artifactDir = dirname(v.abs);
      const artifact = basename(artifactDir);
      const group = basename(dirname(artifactDir));
      const key = artifactDir;
      let entry = artifacts.get(key);
      if (entry === undefined) {
        const indexFile = `${v.shown.slice(0, v.shown.lastIndexOf('/'))}/index.json`;
        const indexText = await readFile(join(artifactDir, 'index.json'), 'utf8').catch(() => undefined);
        entry = { a: { group, artifact, indexFile, ...(indexText !== undefined ? { indexText } : {}) }, versions: [] };
        artifacts.set(key, entry);
      }
      if (entry.versions.some((x) => x.dir === v.shown)) continue;
      const entries = (await readdir(v.abs).catch(() => [] as string[])).sort();
      const metadataName = entries.find((n) => n.toLowerCase() === REPO_METADATA_FILE);
      const metadataText =
        metadataName === undefined
          ? undefined
          : await readFile(join(v.abs, metadataName), 'utf8').catch(() => undefined);
      entry.versions.push({
        version,
        dir: v.shown,
        entries,
        ...(metadataName !== undefined && metadataText !== undefined
          ? { metadataFile: `${v.shown}/${metadataName}`, metadataText }
          : {}),
      });
    }
  }
  return { artifacts: [...artifacts.values()].map(({ a, versions }) => ({ ...a, versions })), findings };
}
