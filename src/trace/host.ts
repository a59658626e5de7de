/**
 * What a trace needs from this machine before anything runs: the files its flags name, and the
 * program a `--cmd` starts. Checked first, because an engine mounts a missing path silently
 * (docker creates it as a directory on the host) and a missing program would only show as a
 * crash of every event.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** What a path is on this machine. */
export function pathKind(path: string): 'file' | 'directory' | 'other' | 'missing' {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Where `program` is: as a path (relative to `cwd`) when it has a slash, else on `PATH`;
 * undefined when there is no such executable file.
 */
export function findProgram(
  program: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : (env.PATH ?? '').split(delimiter).map((dir) => join(dir === '' ? cwd : resolve(cwd, dir), program));
  for (const c of candidates) {
    if (pathKind(c) !== 'file') continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not executable: look further
    }
  }
  return undefined;
}
