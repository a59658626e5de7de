/**
 * The native-image agent as trace drives it: the one place its option string is built, the
 * wait for its locks (the agent deletes `.lock` once its exit-time write is done), and the
 * collection of what it wrote (every `run-*` directory, `*.tmp` write directories and locks
 * ignored).
 */
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { collectSources, type Source } from '../io/inputs.js';

/** Where the agent writes, and how often. */
export interface AgentOutput {
  /** The directory the JVM sees; each JVM writes to its own `run-{pid}-{datetime}` below it. */
  readonly dir: string;
  /** `config-write-period-secs`: a crash or a SIGKILL loses at most this much. */
  readonly periodSeconds: number;
}

/**
 * `-agentlib:native-image-agent=…`, or `-agentpath:LIB=…` for a library given by path (as the
 * JVM sees it). Each JVM gets its own run directory, so a restarted one never meets the lock
 * of the one before it.
 */
export function agentOption(output: AgentOutput, libraryPath?: string): string {
  const options = `config-output-dir=${output.dir}/run-{pid}-{datetime},config-write-period-secs=${output.periodSeconds}`;
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

/** What the agent left: every metadata file of every run, and how many runs there were. */
export async function collectAgentOutput(agentDir: string): Promise<{ sources: Source[]; runs: number }> {
  const collected = await collectSources([agentDir]);
  const runs = new Set(collected.sources.map((s) => s.file.slice(agentDir.length + 1).split('/')[0])).size;
  return { sources: collected.sources, runs };
}

/** Each (run directory, modification time) of a reflect-config.json is one write the agent finished. */
export async function countWrites(agentDir: string, seen: Set<string>): Promise<void> {
  for (const run of await readdir(agentDir).catch(() => [] as string[])) {
    const info = await stat(join(agentDir, run, 'reflect-config.json')).catch(() => undefined);
    if (info) seen.add(`${run}@${info.mtimeMs}`);
  }
}
