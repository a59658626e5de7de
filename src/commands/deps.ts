/**
 * What a use case needs from the world, in one object: the CLI passes the process's, tests pass
 * their own. Use cases print nothing themselves: data output goes to `writeStdout`, what is worth
 * saying while they work (a warning before heavy work, trace progress) to `notify`.
 */
import type { ContainerEngine, EngineName } from '../trace/engines/engine.js';
import type { InvocationResult } from '../trace/runtime-api.js';

/** Something a command says while it works. */
export type Notice =
  | { readonly kind: 'warning'; readonly message: string }
  | {
      readonly kind: 'event';
      readonly done: number;
      readonly total: number;
      readonly name: string;
      readonly result: InvocationResult;
      /** Agent writes finished so far (local runs on a terminal); undefined when not counted. */
      readonly agentWrites: number | undefined;
    };

export interface CommandDeps {
  readonly cwd: string;
  /** The environment the traced function inherits. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readStdin: () => Promise<Buffer>;
  /** The command's data output (`-o -`), written as it is. */
  readonly writeStdout: (text: string) => Promise<void>;
  readonly notify: (notice: Notice) => void;
  /** Someone watches progress on a terminal: worth counting the agent's writes for it. */
  readonly terminal: boolean;
  /** The container engine to use (default: the one asked for, else detected); tests pass their own. */
  readonly engine?: (preferred: EngineName | undefined) => Promise<ContainerEngine>;
}

/** Options every command takes. */
export interface GlobalOptions {
  /** The project file; default `ni-config.jsonc` in the working directory when there is one. */
  readonly config?: string | undefined;
}
