/**
 * The native-image agent as trace drives it: the one place its option string is built, the
 * wait for its locks (the agent deletes `.lock` once its exit-time write is done), and the
 * collection of what it wrote (every `run-*` directory, `*.tmp` write directories and locks
 * ignored).
 */
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { collectSources, type Source } from '../io/inputs.js';

/** Where the agent writes, how often, and whether it records where each lookup came from. */
export interface AgentOutput {
  /** The directory the JVM sees; each JVM writes to its own `run-{pid}-{datetime}` below it. */
  readonly dir: string;
  /** `config-write-period-secs`: a crash or a SIGKILL loses at most this much. */
  readonly periodSeconds: number;
  /**
   * Record the call tree of every lookup (`experimental-conditional-config-part`,
   * docs/evidence.md): the tree, with each node's config, replaces the config files and is
   * written only when the JVM exits normally.
   */
  readonly evidence?: boolean;
}

/** The file the agent's call-tree mode writes into each run directory. */
export const CALL_TREE_FILE = 'partial-config-with-origins.json';

/**
 * `-agentlib:native-image-agent=…`, or `-agentpath:LIB=…` for a library given by path (as the
 * JVM sees it). Each JVM gets its own run directory, so a restarted one never meets the lock
 * of the one before it.
 */
export function agentOption(output: AgentOutput, libraryPath?: string): string {
  const dir = `config-output-dir=${output.dir}/run-{pid}-{datetime}`;
  // the call-tree mode writes at exit only: a write period would be ignored
  const options = output.evidence
    ? `${dir},experimental-conditional-config-part`
    : `${dir},config-write-period-secs=${output.periodSeconds}`;
  return libraryPath ? `-agentpath:${libraryPath}=${options}` : `-agentlib:native-image-agent=${options}`;
}

/** JAVA_TOOL_OPTIONS with `option` appended to (not instead of) what is already set. */
export function appendToolOption(existing: string | undefined, option: string): string {
  return [existing, option].filter((x) => x !== undefined && x !== '').join(' ');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits (bounded) until no run directory holds a `.lock` whose process still runs; returns the
 * locks left. A lock whose process is gone (killed, crashed) is stale at once: waiting cannot
 * help. Without `checkLiveness` (locks copied out of a container) every lock left is stale.
 */
export async function waitForLocks(dir: string, timeoutMs: number, checkLiveness: boolean): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live: string[] = [];
    const stale: string[] = [];
    for (const run of await readdir(dir).catch(() => [] as string[])) {
      const lock = join(dir, run, '.lock');
      const pid = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (
        !(await access(lock).then(
          () => true,
          () => false,
        ))
      )
        continue;
      (checkLiveness && Number.isInteger(pid) && pid > 0 && alive(pid) ? live : stale).push(lock);
    }
    if (live.length === 0 || Date.now() >= deadline) return [...live, ...stale].sort();
    await delay(50);
  }
}

/**
 * The live processes that hold an agent lock below `dir` (each `.lock` holds its JVM's pid), with
 * their command lines: the JVMs to signal so that the agent writes at exit, whatever runs in front
 * of them (a script that did not `exec`, a wrapper). Where /proc tells a process's environment, a
 * pid counts only if its JAVA_TOOL_OPTIONS points into `dir`: a pid reused since is not ours.
 */
export async function lockHolders(dir: string): Promise<{ pid: number; command: string }[]> {
  const out: { pid: number; command: string }[] = [];
  for (const run of (await readdir(dir).catch(() => [] as string[])).sort()) {
    const pid = Number((await readFile(join(dir, run, '.lock'), 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => undefined);
    if (environ !== undefined && !environ.includes(dir)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    out.push({
      pid,
      command: cmdline
        .split('\0')
        .filter((a) => a !== '')
        .join(' '),
    });
  }
  return out;
}

/** A run's call tree (the agent's call-tree mode). */
export interface CallTreeFile {
  /** The run directory's name. */
  readonly run: string;
  readonly file: string;
  readonly text: string;
}

/**
 * What the agent left: every metadata file and call tree of every run, the runs there were, and
 * the runs that wrote neither (a JVM that never started the agent, or was killed before it wrote).
 */
export async function collectAgentOutput(
  agentDir: string,
): Promise<{ sources: Source[]; trees: CallTreeFile[]; runs: number; empty: string[] }> {
  const collected = await collectSources([agentDir]);
  const dirs = (await readdir(agentDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory() && e.name.startsWith('run-'))
    .map((e) => e.name)
    .sort();
  const trees: CallTreeFile[] = [];
  for (const run of dirs) {
    const file = join(agentDir, run, CALL_TREE_FILE);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) trees.push({ run, file, text });
  }
  const withConfig = new Set(collected.sources.map((s) => s.file.slice(agentDir.length + 1).split('/')[0]!));
  for (const t of trees) withConfig.add(t.run);
  return { sources: collected.sources, trees, runs: withConfig.size, empty: dirs.filter((d) => !withConfig.has(d)) };
}

/** Each (run directory, modification time) of a reflect-config.json is one write the agent finished. */
export async function countWrites(agentDir: string, seen: Set<string>): Promise<void> {
  for (const run of await readdir(agentDir).catch(() => [] as string[])) {
    const info = await stat(join(agentDir, run, 'reflect-config.json')).catch(() => undefined);
    if (info) seen.add(`${run}@${info.mtimeMs}`);
  }
}
