/**
 * What a command is to the CLI: its help, its flags (declared once), the mapping from argv to
 * the use case's options (done once), the use case (loaded only when the command runs), and
 * the renderer that turns the result into output and an exit code.
 */
import type { CommandDeps } from '../commands/deps.js';
import type { CommandContext } from './context.js';
import { readFlags, type FlagSpecs, type FlagValues } from './flags.js';

/** The options every command has. */
export interface Globals {
  readonly json: boolean;
  readonly config: string | undefined;
}

/** Where a renderer writes, and how. */
export interface Output {
  readonly ctx: CommandContext;
  readonly json: boolean;
}

export interface CliCommand<S extends FlagSpecs, O, R> {
  readonly summary: string;
  readonly description: string;
  /** The positional arguments: `[paths...]` or `<paths...>`, with their help. */
  readonly args?: { readonly spec: string; readonly help: string };
  readonly flags: S;
  readonly examples: readonly [string, string];
  readonly exitCodes: string;
  /** argv → the use case's options. */
  readonly options: (paths: string[], flags: FlagValues<S>, globals: Globals) => O;
  readonly run: (options: O, deps: CommandDeps) => Promise<R>;
  /** Writes the result; returns the exit code. */
  readonly render: (result: R, options: O, out: Output) => Promise<number>;
}

/** A declared command with its types closed over: what the command table holds. */
export interface CommandEntry {
  readonly def: Pick<
    CliCommand<FlagSpecs, unknown, unknown>,
    'summary' | 'description' | 'args' | 'flags' | 'examples' | 'exitCodes'
  >;
  /** The use case's options for parsed argv (what the argv → options test checks). */
  options(paths: string[], parsed: Readonly<Record<string, unknown>>, globals: Globals): unknown;
  /** Maps, runs and renders; resolves to the exit code. */
  execute(
    paths: string[],
    parsed: Readonly<Record<string, unknown>>,
    globals: Globals,
    deps: CommandDeps,
    out: Output,
  ): Promise<number>;
}

/** Declares a command; its flag, option and result types are inferred from the declaration. */
export function command<const S extends FlagSpecs, O, R>(c: CliCommand<S, O, R>): CommandEntry {
  const options = (paths: string[], parsed: Readonly<Record<string, unknown>>, globals: Globals): O =>
    c.options(paths, readFlags(c.flags, parsed), globals);
  return {
    def: c,
    options,
    execute: async (paths, parsed, globals, deps, out) => {
      const o = options(paths, parsed, globals);
      return c.render(await c.run(o, deps), o, out);
    },
  };
}
