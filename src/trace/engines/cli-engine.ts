/**
 * A {@link ContainerEngine} over a docker-compatible command-line tool. docker and podman share
 * it; each subclass says where its CLI behaves differently (lambda-rie.md §8).
 */
import { execFile, spawn } from 'node:child_process';
import { EngineError } from '../../errors.js';
import type {
  ContainerEngine,
  ContainerState,
  EngineName,
  EngineResult,
  ImageConfig,
  LogLine,
  RunSpec,
  Waiter,
} from './engine.js';

/** What docker and podman say when their daemon or service cannot be reached (lambda-rie.md §4, §8). */
const UNREACHABLE =
  /cannot connect to (the docker daemon|podman)|is the docker daemon running|error during connect|unable to connect to podman|dial unix .*: connect:/i;
/** What they say of an image that is not there. */
const NO_IMAGE = /no such image|image not known|failed to find image|image .* not found/i;
/** What they say of a container that is not there. */
export const NO_CONTAINER = /no such container|no container with name or id/i;

/** Runs an engine command; resolves with what it printed and its exit code (an EngineError only when it cannot run at all). */
export function engineRun(bin: string, args: readonly string[], timeoutMs = 120_000): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as
          (NodeJS.ErrnoException & { code?: unknown; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
        if (e && e.code === 'ENOENT') {
          reject(new EngineError(`${bin} is not installed (or not on PATH)`, [bin, ...args]));
          return;
        }
        // an engine killed mid-command (by a signal or our timeout) says nothing itself
        const died = e?.signal
          ? `${stderr === '' ? '' : '\n'}${bin} ${args[0] ?? ''} was killed by ${e.signal}${e.killed ? ` after ${Math.round(timeoutMs / 1000)} s` : ''}`
          : '';
        resolve({ stdout, stderr: stderr + died, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
      },
    );
  });
}

/** The last lines of an engine command's stderr, for messages. */
export function stderrTail(r: EngineResult, lines = 3): string {
  return r.stderr.trim().split('\n').slice(-lines).join(' | ');
}

/** The error for a failed engine command: what it was for, the command, its exit code and the end of its stderr. */
export function engineFailure(bin: string, args: readonly string[], what: string, r: EngineResult): EngineError {
  const tail = stderrTail(r);
  return new EngineError(
    `${what} failed: ${bin} ${args.join(' ')} exited with ${r.code}: ${tail}`,
    [bin, ...args],
    r.code,
    tail,
  );
}

/** The `run -d` argv of a spec. */
export function runArgv(spec: RunSpec): string[] {
  const argv = ['run', '-d', '--name', spec.name];
  for (const [k, v] of Object.entries(spec.labels)) argv.push('--label', `${k}=${v}`);
  if (spec.network) argv.push('--network', spec.network);
  for (const p of spec.publish) argv.push('-p', p);
  for (const m of spec.mounts) argv.push('-v', `${m.source}:${m.target}:ro`);
  for (const [k, v] of Object.entries(spec.env)) argv.push('-e', `${k}=${v}`);
  if (spec.entrypoint !== undefined) argv.push('--entrypoint', spec.entrypoint);
  argv.push(spec.image, ...spec.args);
  return argv;
}

/** Lines of `logs --timestamps` output: each starts with an RFC 3339 time (nanoseconds, Z or an offset). */
export function logLines(text: string, stream: LogLine['stream']): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) ?(.*)$/.exec(line);
    if (!m) {
      out.push({ stream, time: 0, text: line });
      continue;
    }
    const ms = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${m[3]}`);
    out.push({ stream, time: Number.isFinite(ms) ? ms : 0, text: m[4]! });
  }
  return out;
}

/** A container engine over its command-line tool. */
export class CliEngine implements ContainerEngine {
  constructor(
    readonly name: EngineName,
    readonly bin: string,
  ) {}

  protected command(args: readonly string[], timeoutMs?: number): Promise<EngineResult> {
    return engineRun(this.bin, args, timeoutMs);
  }

  async inspectImage(image: string): Promise<ImageConfig> {
    const r = await this.command(['image', 'inspect', image]);
    if (r.code !== 0) throw await this.imageError(image, r);
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

  /**
   * Why `image inspect` failed: the engine cannot be reached (its words say so, or `info` fails
   * too), or the image is missing.
   */
  protected async imageError(image: string, r: EngineResult): Promise<EngineError> {
    const argv = [this.bin, 'image', 'inspect', image];
    const said = stderrTail(r, 2);
    let unreachable = UNREACHABLE.test(r.stderr);
    if (!unreachable && !NO_IMAGE.test(r.stderr)) unreachable = (await this.command(['info'], 20_000)).code !== 0;
    if (unreachable)
      return new EngineError(`${this.unreachableMessage()} (${this.bin} image inspect: ${said})`, argv, r.code, said);
    return new EngineError(
      `image ${image} not found locally (${this.name} image inspect failed: ${said}); build or pull it first`,
      argv,
      r.code,
      said,
    );
  }

  /** The engine does not answer: what to check. */
  protected unreachableMessage(): string {
    return `the ${this.name} engine is not reachable: is it running and does this environment point at it?`;
  }

  run(spec: RunSpec): Promise<EngineResult> {
    return this.command(runArgv(spec));
  }

  start(name: string): Promise<EngineResult> {
    return this.command(['start', name]);
  }

  async port(name: string, containerPort: string): Promise<{ addresses: string[]; result: EngineResult }> {
    const result = await this.command(['port', name, containerPort]);
    const addresses = result.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    return { addresses, result };
  }

  exec(name: string, argv: readonly string[]): Promise<EngineResult> {
    return this.command(['exec', name, ...argv]);
  }

  wait(name: string): Waiter {
    const w = spawn(this.bin, ['wait', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    w.stdout.on('data', (d: Buffer) => (out += d.toString()));
    w.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<{ code: number } | { error: string }>((resolve) => {
      w.on('error', (e) => resolve({ error: e.message }));
      w.on('close', (status, signal) => {
        const code = Number.parseInt(out.trim(), 10);
        if (status === 0 && Number.isInteger(code)) resolve({ code });
        else
          resolve({
            error: signal
              ? `${this.bin} wait was ended by ${signal}`
              : `${this.bin} wait exited with ${status}: ${err.trim().split('\n').at(-1) ?? ''}`,
          });
      });
    });
    return { done, cancel: () => void w.kill() };
  }

  async logs(name: string, tail: number): Promise<readonly LogLine[]> {
    const r = await this.command(['logs', '--timestamps', '--tail', String(tail), name]);
    if (r.code !== 0) return [];
    return [...logLines(r.stdout, 'stdout'), ...logLines(r.stderr, 'stderr')].sort((a, b) => a.time - b.time);
  }

  signal(name: string, signal: 'TERM' | 'KILL'): Promise<EngineResult> {
    return this.command(['kill', '--signal', signal, name]);
  }

  copyOut(name: string, path: string, dest: string): Promise<EngineResult> {
    return this.command(['cp', `${name}:${path}`, dest]);
  }

  remove(name: string): Promise<EngineResult> {
    return this.command(['rm', '-f', name]);
  }

  async state(name: string): Promise<ContainerState | { readonly error: string }> {
    const r = await this.command(
      ['container', 'inspect', '--format', '{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}', name],
      20_000,
    );
    if (r.code !== 0 && NO_CONTAINER.test(r.stderr)) return { status: 'removed', running: false, exitCode: null };
    if (r.code !== 0) return { error: `${this.bin} container inspect exited with ${r.code}: ${stderrTail(r, 1)}` };
    const [status = '', running, code] = r.stdout.trim().split(/\s+/);
    const exitCode = Number.parseInt(code ?? '', 10);
    return { status, running: running === 'true', exitCode: Number.isInteger(exitCode) ? exitCode : null };
  }
}
