/**
 * The container engine: the docker or podman CLI, always with argv arrays (never a shell string).
 * `docker` that is really podman counts as podman.
 */
import { execFile } from 'node:child_process';

export type EngineName = 'docker' | 'podman';

export interface Engine {
  readonly name: EngineName;
  /** The executable to run. */
  readonly bin: string;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly argv: readonly string[] = [],
    readonly exitCode: number | null = null,
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

export interface EngineResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export function engineRun(engine: Engine, args: readonly string[], timeoutMs = 120_000): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    execFile(
      engine.bin,
      [...args],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as
          (NodeJS.ErrnoException & { code?: unknown; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
        if (e && e.code === 'ENOENT') {
          reject(new EngineError(`${engine.bin} is not installed (or not on PATH)`, [engine.bin, ...args]));
          return;
        }
        // an engine killed mid-command (by a signal or our timeout) says nothing itself
        const died = e?.signal
          ? `${stderr === '' ? '' : '\n'}${engine.bin} ${args[0] ?? ''} was killed by ${e.signal}${e.killed ? ` after ${Math.round(timeoutMs / 1000)} s` : ''}`
          : '';
        resolve({ stdout, stderr: stderr + died, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
      },
    );
  });
}

/** Runs and requires success; a failure names the command, its exit code and the end of its stderr. */
export async function engineCheck(
  engine: Engine,
  args: readonly string[],
  what: string,
  timeoutMs?: number,
): Promise<string> {
  const r = await engineRun(engine, args, timeoutMs);
  if (r.code !== 0) throw engineFailure(engine, args, what, r);
  return r.stdout;
}

/** The error for a failed engine command: what it was for, the command, its exit code and the end of its stderr. */
export function engineFailure(engine: Engine, args: readonly string[], what: string, r: EngineResult): EngineError {
  const tail = r.stderr.trim().split('\n').slice(-3).join(' | ');
  return new EngineError(
    `${what} failed: ${engine.bin} ${args.join(' ')} exited with ${r.code}: ${tail}`,
    [engine.bin, ...args],
    r.code,
    tail,
  );
}

/** The engine to use: the one asked for, else a working docker (that is not podman), else podman. */
export async function detectEngine(preferred?: EngineName): Promise<Engine> {
  const probe = async (bin: string): Promise<EngineResult | undefined> =>
    engineRun({ name: 'podman', bin }, ['--version'], 10_000).catch(() => undefined);
  const candidates: EngineName[] = preferred ? [preferred] : ['docker', 'podman'];
  for (const bin of candidates) {
    const v = await probe(bin);
    if (v === undefined || v.code !== 0) continue;
    const isPodman = /podman/i.test(v.stdout);
    if (bin === 'docker' && !isPodman && !preferred) {
      // a docker client without a daemon cannot run anything: try podman then
      const info = await engineRun({ name: 'docker', bin }, ['info', '--format', '{{.ServerVersion}}'], 10_000).catch(
        () => undefined,
      );
      if (info === undefined || info.code !== 0) continue;
    }
    return { name: isPodman ? 'podman' : 'docker', bin };
  }
  throw new EngineError(
    preferred
      ? `${preferred} is not installed (or not on PATH)`
      : 'no container engine found: install docker or podman, or trace a local process with --cmd',
  );
}

export interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export async function inspectImage(engine: Engine, image: string): Promise<ImageConfig> {
  const r = await engineRun(engine, ['image', 'inspect', image]);
  if (r.code !== 0)
    throw new EngineError(
      `image ${image} not found locally (${engine.name} image inspect failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}); build or pull it first`,
      [engine.bin, 'image', 'inspect', image],
      r.code,
    );
  const parsed = JSON.parse(r.stdout) as {
    Config?: { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] | null };
  }[];
  const config = parsed[0]?.Config ?? {};
  const env: Record<string, string> = {};
  for (const kv of config.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return { entrypoint: config.Entrypoint ?? [], cmd: config.Cmd ?? [], env };
}
