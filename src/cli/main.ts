/**
 * The command table and the one exit point: commander is configured from each command's
 * declaration, the parsed flags go through that command's mapping to its use case, and every
 * result and every error becomes output and an exit code here.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../commands/version.js';
import { EXIT, InputError, ReportedError } from '../errors.js';
import type { CommandEntry, Globals } from './command.js';
import { convert, merge } from './commands/combine.js';
import { diff } from './commands/diff.js';
import { explain } from './commands/explain.js';
import { init } from './commands/init.js';
import { prune } from './commands/prune.js';
import { invoke, trace } from './commands/trace.js';
import { validate } from './commands/validate.js';
import { write } from './commands/write.js';
import { commandDeps, processContext, type CommandContext } from './context.js';
import { addFlags } from './flags.js';
import { findingLine, printable, styleFor, writeOut } from './render/text.js';

export { runCleanups } from '../commands/cleanup.js';
export { VERSION };

/** Every command, in the order help lists them. */
export const COMMANDS = {
  init,
  validate,
  convert,
  merge,
  prune,
  explain,
  write,
  diff,
  trace,
  invoke,
} as const satisfies Record<string, CommandEntry>;
export type CommandName = keyof typeof COMMANDS;

function afterHelp(c: CommandEntry['def']): string {
  return `\nExamples:\n${c.examples.map((e) => `  $ ${e}`).join('\n')}\n\nExit codes: ${c.exitCodes}\n`;
}

/** Builds the command tree; `run` receives each command's mapped options. */
export function buildProgram(
  ctx: CommandContext,
  run: (name: CommandName, paths: string[], parsed: Record<string, unknown>) => Promise<void>,
): Command {
  const program = new Command('ni-config')
    .description(
      'GraalVM native-image metadata for JVM AWS Lambda functions: trace, prune, merge, validate, diff and write it.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'machine-readable output on stdout (logs stay on stderr)')
    .option('--config <file>', 'project file with defaults (default: ./ni-config.jsonc when present)')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void writeOut(ctx.stdout, s),
      writeErr: (s) => void writeOut(ctx.stderr, s),
      // a fixed width off a terminal, so that help text (and the README made from it) is stable
      getOutHelpWidth: () => (ctx.stdout.isTTY ? (ctx.stdout.columns ?? 80) : 100),
      getErrHelpWidth: () => (ctx.stderr.isTTY ? (ctx.stderr.columns ?? 80) : 100),
    });
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const c = COMMANDS[name].def;
    const cmd = program.command(name).summary(c.summary).description(c.description);
    if (c.args) cmd.argument(c.args.spec, c.args.help);
    addFlags(cmd, c.flags);
    cmd.addHelpText('after', afterHelp(c)).action(async function (this: Command, ...args: unknown[]) {
      const paths = c.args ? ((args[0] as string[] | undefined) ?? []) : [];
      await run(name, paths, this.optsWithGlobals());
    });
  }
  return program;
}

/** The global options of parsed argv. */
export function globalsOf(parsed: Readonly<Record<string, unknown>>): Globals {
  return { json: parsed.json === true, config: typeof parsed.config === 'string' ? parsed.config : undefined };
}

/** What the process running the CLI does around it (the bin's; tests running it in-process give none). */
export interface MainHooks {
  /** Called once a command is about to run (not for help or a usage error), with its name. */
  readonly beforeCommand?: (command: CommandName) => Promise<void>;
}

/**
 * V8's settings for a command's process (cli/v8-tuning.ts), for the bin's `beforeCommand`: the
 * module, and node:v8 with it (4 ms), are loaded only when a command runs, not for `--help`.
 */
export async function tuneV8(): Promise<void> {
  (await import('./v8-tuning.js')).tuneV8();
}

/** Sets V8's defaults back after {@link tuneV8}, for the bin to make a code cache (io/code-cache.ts). */
export async function untuneV8(): Promise<void> {
  (await import('./v8-tuning.js')).untuneV8();
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  ctx: CommandContext = processContext(),
  hooks: MainHooks = {},
): Promise<number> {
  const wantsJson = argv.includes('--json');
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, async (name, paths, parsed) => {
    await hooks.beforeCommand?.(name);
    const globals = globalsOf(parsed);
    const deps = commandDeps(ctx, globals.json);
    exitCode = await COMMANDS[name].execute(paths, parsed, globals, deps, { ctx, json: globals.json });
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.error;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    return reportError(e, ctx, wantsJson);
  }
}

/** Every error, once: a line (and findings) on stderr, and with --json an error object on stdout. */
async function reportError(e: unknown, ctx: CommandContext, json: boolean): Promise<number> {
  if (e instanceof CommanderError) {
    // help and version are not errors; commander has already printed its message
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return EXIT.ok;
    if (json)
      await writeOut(
        ctx.stdout,
        JSON.stringify({ ok: false, error: e.message.replace(/^error: /, ''), type: 'usage' }, null, 2) + '\n',
      );
    return EXIT.error;
  }
  const reported = e instanceof ReportedError;
  const err = e instanceof Error ? e : new Error(String(e));
  // placing findings reads their texts: loaded only when there are findings to place
  const findings =
    e instanceof InputError ? (await import('../model/placed.js')).placeFindings(e.findings, e.texts) : [];
  const fields = reported ? (e as ReportedError).json() : { type: 'internal' as const };
  if (json)
    await writeOut(ctx.stdout, JSON.stringify({ ok: false, error: err.message, ...fields, findings }, null, 2) + '\n');
  const style = styleFor(ctx.stderr);
  const lines = findings.map((f) => findingLine(f, style));
  if (reported && fields.type !== 'internal') lines.push(`ni-config: ${printable(err.message)}`);
  else {
    const detail = process.env.NI_CONFIG_DEBUG
      ? `\n${err.stack ?? ''}`
      : ' (set NI_CONFIG_DEBUG=1 for the stack trace)';
    lines.push(`ni-config: internal error: ${err.message}${detail}`);
  }
  await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.error;
}
