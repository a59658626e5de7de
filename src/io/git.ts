/**
 * Reads metadata files at a git revision without a checkout (`git ls-tree`, `git cat-file`), for
 * `diff --base`. argv arrays only, never a shell.
 */
import { relative, resolve } from 'node:path';
import { finding, type Finding } from '../model/findings.js';
import { FILE_KINDS, kindOfFileName } from '../model/kinds.js';
import { compareStrings } from '../model/model.js';
import type { Source } from './inputs.js';
import { GitError } from '../errors.js';

export { GitError } from '../errors.js';

// node:child_process (and the net and stream modules it loads, about 20 ms) is imported when git
// first runs: `diff OLD NEW` of two paths runs none.
async function git(args: readonly string[], cwd: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolvePromise, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ENOENT') reject(new GitError('git is not installed (or not on PATH)', ['git', ...args]));
        else
          reject(
            new GitError(`git ${args.join(' ')}: ${stderr.trim().split('\n').at(-1) ?? err.message}`, ['git', ...args]),
          );
      } else resolvePromise(stdout);
    });
  });
}

/** The repository's top directory; a clear error when `cwd` is not inside one. */
export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message))
      throw new GitError(`${cwd} is not in a git repository`, ['git', 'rev-parse', '--show-toplevel']);
    throw e;
  }
}

/** The commit a revision names; a clear error when it names none. */
export async function resolveRevision(rev: string, cwd: string): Promise<string> {
  try {
    return (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd)).trim();
  } catch {
    throw new GitError(
      `unknown revision '${rev}': git knows no commit by that name (fetch it first, e.g. git fetch origin main)`,
    );
  }
}

const KNOWN = new Set<string>(Object.values(FILE_KINDS).flatMap((k) => [k.fileName, ...k.aliases]));

/**
 * The metadata files under `paths` (relative to `cwd`) at `rev`. Sources are named by their path
 * from the repository root, as GitHub annotations want them.
 */
export async function sourcesAtRevision(
  rev: string,
  paths: readonly string[],
  cwd: string,
): Promise<{ sources: Source[]; findings: Finding[] }> {
  const root = await repositoryRoot(cwd);
  const commit = await resolveRevision(rev, cwd);
  const sources: Source[] = [];
  const findings: Finding[] = [];
  for (const p of paths) {
    const fromRoot = relative(root, resolve(cwd, p)) || '.';
    // `.` for the whole tree (git refuses an empty pathspec). Entries NUL-separated, never quoted;
    // each file is read by its blob id, so that a name that is not UTF-8 (shown with U+FFFD) is read too
    const listed = (await git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', fromRoot], root))
      .split('\0')
      .flatMap((entry) => {
        // <mode> SP <type> SP <object> TAB <path>
        const tab = entry.indexOf('\t');
        const [, type, object] = entry.slice(0, tab).split(' ');
        const file = entry.slice(tab + 1);
        return tab > 0 && type === 'blob' && object !== undefined && KNOWN.has(file.slice(file.lastIndexOf('/') + 1))
          ? [{ file, object }]
          : [];
      })
      .sort((a, b) => compareStrings(a.file, b.file));
    if (listed.length === 0) {
      findings.push(
        finding('no-metadata', `${rev}:${fromRoot}`, '', `found no metadata files at ${fromRoot} in revision ${rev}`),
      );
      continue;
    }
    for (const { file, object } of listed) {
      const text = await git(['cat-file', 'blob', object], root);
      sources.push({ file, text, kind: kindOfFileName(file.slice(file.lastIndexOf('/') + 1)) });
    }
  }
  return { sources, findings };
}
