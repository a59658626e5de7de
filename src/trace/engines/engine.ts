/**
 * The container engine as trace needs it: one small interface, implemented over the docker and
 * podman command-line tools (cli-engine.ts), and drivable in-process by tests with a fake.
 * Every method runs argv arrays, never a shell string.
 */
export type EngineName = 'docker' | 'podman';

/** What an engine command printed and how it ended. */
export interface EngineResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** The parts of an image's configuration that a trace keeps. */
export interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** A file or directory of the host, mounted read-only. */
export interface Mount {
  readonly source: string;
  readonly target: string;
}

/** Everything `run -d` is given. */
export interface RunSpec {
  readonly name: string;
  readonly image: string;
  /** `host`, or undefined for the engine's default network. */
  readonly network?: 'host';
  /** Published ports, as `-p` takes them (`127.0.0.1::8080`). */
  readonly publish: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly mounts: readonly Mount[];
  readonly labels: Readonly<Record<string, string>>;
  /** Replaces the image's entrypoint; `args` then follow it. */
  readonly entrypoint?: string;
  readonly args: readonly string[];
}

/** The container's state as `inspect` tells it; status `removed` when the engine knows no such container. */
export interface ContainerState {
  readonly status: string;
  readonly running: boolean;
  readonly exitCode: number | null;
}

/** One line of a container's log, with its time (`logs --timestamps`) and the stream it came on. */
export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  /** Epoch milliseconds; 0 when the engine gave no time. */
  readonly time: number;
  readonly text: string;
}

/** A running `wait`: resolves with the container's exit code when its main process ends. */
export interface Waiter {
  /** The exit code, or an error message when `wait` itself failed (engine gone, container removed). */
  readonly done: Promise<{ readonly code: number } | { readonly error: string }>;
  cancel(): void;
}

export interface ContainerEngine {
  readonly name: EngineName;
  /** The executable, for messages (`remove it with: podman rm -f NAME`). */
  readonly bin: string;
  /** The image's entrypoint, command and environment; an EngineError when it is missing or the engine is down. */
  inspectImage(image: string): Promise<ImageConfig>;
  /** Creates and starts a container (`run -d`). */
  run(spec: RunSpec): Promise<EngineResult>;
  /** Starts an existing container again. */
  start(name: string): Promise<EngineResult>;
  /** The host addresses a container port is published on, one per line of `port`. */
  port(
    name: string,
    containerPort: string,
  ): Promise<{ readonly addresses: readonly string[]; readonly result: EngineResult }>;
  exec(name: string, argv: readonly string[]): Promise<EngineResult>;
  wait(name: string): Waiter;
  /** The last `tail` lines of each stream, in time order. */
  logs(name: string, tail: number): Promise<readonly LogLine[]>;
  /** Sends a signal to the container's main process. */
  signal(name: string, signal: 'TERM' | 'KILL'): Promise<EngineResult>;
  /** Copies a path out of the container (`cp`), so ownership and SELinux labels are no issue. */
  copyOut(name: string, path: string, dest: string): Promise<EngineResult>;
  /** Removes the container, killing it if it runs (`rm -f`). */
  remove(name: string): Promise<EngineResult>;
  /** The container's state, or why the engine could not tell it. */
  state(name: string): Promise<ContainerState | { readonly error: string }>;
}
