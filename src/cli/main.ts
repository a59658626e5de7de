/**
 * Commander wiring only: each command parses its options and calls one run function. This is
 * the one place that turns results and errors into an exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { processContext, type CommandContext, type GlobalOptions } from './context.js';
import { EXIT, InputError, UsageError } from './errors.js';
import { Positions, findingLine, printable, sortedFindingJson, styleFor, writeOut } from './render.js';

export { runCleanups } from '../io/cleanup.js';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Help text that commander does not make: examples and exit codes, per command. */
export const COMMAND_NOTES: Record<string, { examples: readonly string[]; exitCodes: string }> = {
  validate: {
    examples: [
      'ni-config validate src/main/resources/META-INF/native-image',
      'ni-config validate --strict --json reachability-metadata.json',
    ],
    exitCodes: '0 valid, 1 errors (or warnings with --strict), 2 unreadable input or bad usage',
  },
  convert: {
    examples: [
      'ni-config convert META-INF/native-image/com.example/app --to unified -o out/',
      'ni-config convert reachability-metadata.json --to legacy -o legacy-config/',
    ],
    exitCodes: '0 written, 2 unreadable input (nothing written) or bad usage',
  },
  prune: {
    examples: [
      'ni-config prune agent-out/ --preset clojure --preset default -o pruned/ --explain',
      'ni-config prune agent-out/ --preset clojure --trace traces.json --keep pinned/ --library-config lib/aws-lambda-java-runtime-interface-client.jar --dry-run',
    ],
    exitCodes: '0 pruned (or would prune), 2 unreadable input, bad rule file or bad usage (nothing written)',
  },
  write: {
    examples: [
      'ni-config write pruned/ --group com.example --artifact my-fn',
      'ni-config write pruned/ --check   # in CI: exit 1 when the committed files are out of date',
    ],
    exitCodes:
      '0 written (or up to date), 1 --check found differences, 2 unreadable input, bad coordinates or unwritable target',
  },
  diff: {
    examples: [
      'ni-config diff old/ new/',
      'ni-config diff --base origin/main --format markdown src/main/resources/META-INF/native-image',
    ],
    exitCodes:
      '0 done (with --exit-code: no differences), 1 --exit-code and they differ, 2 unreadable input, unknown revision, path missing at a revision, not a git repository',
  },
  trace: {
    examples: [
      "ni-config trace --cmd 'java -cp target/classes example.Bootstrap' --events 'events/*.json' -o traced/",
      "ni-config trace --cmd 'java -jar target/fn.jar' --agent-path /opt/graalvm/lib/libnative-image-agent.so --events 'events/**/*.json' --preset clojure default -o traced/",
    ],
    exitCodes:
      '0 every event succeeded (or --allow-errors), 1 an event failed or init failed, 2 bad usage, bad events, or the agent wrote nothing',
  },
  invoke: {
    examples: [
      "ni-config invoke --cmd 'java -jar target/fn.jar' --events 'events/*.json'",
      'ni-config invoke --cmd ./bootstrap --event \'{"ping": true}\' --json',
    ],
    exitCodes:
      '0 every event succeeded (or --allow-errors), 1 an event failed or init failed, 2 bad usage or bad events',
  },
  merge: {
    examples: [
      'ni-config merge run-1/ run-2/ -o merged/',
      'ni-config merge agent-out/ existing/reachability-metadata.json --format unified -o merged.json',
    ],
    exitCodes: '0 written, 2 unreadable input (nothing written) or bad usage',
  },
};

const FORMAT_CHOICES = ['unified', 'legacy'] as const;

function afterHelp(name: string): string {
  const notes = COMMAND_NOTES[name]!;
  return `\nExamples:\n${notes.examples.map((e) => `  $ ${e}`).join('\n')}\n\nExit codes: ${notes.exitCodes}\n`;
}

/** Builds the command tree; `run` receives the parsed command and its options. */
export function buildProgram(
  ctx: CommandContext,
  run: (name: string, options: Record<string, unknown>) => Promise<number>,
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
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
      // a fixed width off a terminal, so that help text (and the README made from it) is stable
      getOutHelpWidth: () => (ctx.stdout.isTTY ? (ctx.stdout.columns ?? 80) : 100),
      getErrHelpWidth: () => (ctx.stderr.isTTY ? (ctx.stderr.columns ?? 80) : 100),
    });

  const action = (name: string) =>
    async function (this: Command, ...args: unknown[]): Promise<void> {
      const paths = (args[0] as string[] | undefined) ?? [];
      await run(name, { ...this.optsWithGlobals(), paths });
    };

  program
    .command('validate')
    .summary('check metadata against the JSON Schemas and for semantic mistakes')
    .description(
      'Checks metadata files against the JSON Schemas and for mistakes native-image does not catch: malformed class names, duplicates, hidden-class conditions, bad regexes, wrong condition keys, empty proxies, ignored keys. Findings print as file:line:col with a JSON pointer.',
    )
    .argument(
      '[paths...]',
      'files or directories (searched recursively); - reads stdin; default: "inputs" of ni-config.jsonc',
    )
    .option('--strict', 'warnings fail too')
    .addOption(
      new Option('--format <format>', 'text lines, or GitHub workflow-command annotations')
        .choices(['text', 'github'])
        .default('text'),
    )
    .addHelpText('after', afterHelp('validate'))
    .action(action('validate'));

  program
    .command('convert')
    .summary('convert between legacy *-config.json files and reachability-metadata.json')
    .description(
      'Converts between the legacy per-kind files and reachability-metadata.json. What the target cannot express goes to a legacy side file or is reported by name.',
    )
    .argument('<paths...>', 'files or directories; - reads stdin')
    .addOption(new Option('--to <format>', 'target format').choices(FORMAT_CHOICES).makeOptionMandatory())
    .requiredOption('-o, --out <path>', 'output directory, a .json file (unified), or - for stdout')
    .option('--dry-run', 'say what would be written, write nothing')
    .addHelpText('after', afterHelp('convert'))
    .action(action('convert'));

  program
    .command('merge')
    .summary("merge config sets with the semantics of GraalVM's own merge")
    .description(
      'Merges any mix of legacy directories, legacy files and reachability-metadata.json files: entries keyed by condition and type, flags OR-ed, member access none < queried < accessed, members covered by an all* flag collapsed.',
    )
    .argument('<paths...>', 'files or directories; - reads stdin')
    .requiredOption('-o, --out <path>', 'output directory, a .json file (unified), or - for stdout')
    .addOption(
      new Option(
        '--format <format>',
        "output format (default: the inputs' format when they agree, else unified)",
      ).choices(FORMAT_CHOICES),
    )
    .option('--dry-run', 'say what would be written, write nothing')
    .addHelpText('after', afterHelp('merge'))
    .action(action('merge'));

  program
    .command('prune')
    .summary('remove noise by rules and presets; --explain says which rule removed what')
    .description(
      `Removes agent-output noise by rules: built-in presets (${PRESET_NAMES_TEXT}), rule files (JSONC, or the agent's filter files as they are), trace evidence, and metadata that libraries already ship. Later rules win; --keep pins entries that no rule removes and that a re-trace never loses.`,
    )
    .argument('[paths...]', 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc')
    .option('-o, --out <path>', 'output directory, a .json file (unified), or - for stdout')
    .option('--preset <name...>', `built-in presets, in order: ${PRESET_NAMES_TEXT}`)
    .option('--rules <file...>', 'rule files, applied after the presets')
    .option('--trace <file>', "the agent's trace-output: name-only entries only the Clojure runtime looked up may go")
    .option('--keep <path...>', 'pinned metadata: never pruned, and added back when the input lacks it')
    .option(
      '--library-config <path...>',
      'directories or jars whose META-INF/native-image metadata need not be repeated',
    )
    .option(
      '--aggressive',
      'also remove name-only JDK and third-party entries and primitive arrays without trace evidence',
    )
    .option('--explain', 'list every removed entry with the rule that removed it and why')
    .addOption(
      new Option(
        '--format <format>',
        "output format (default: the inputs' format when they agree, else unified)",
      ).choices(FORMAT_CHOICES),
    )
    .option('--dry-run', 'say what would be removed and written, write nothing')
    .addHelpText('after', afterHelp('prune'))
    .action(action('prune'));

  program
    .command('write')
    .summary('write META-INF/native-image/<group>/<artifact>/ with a native-image.properties')
    .description(
      'Writes the metadata into META-INF/native-image/<group>/<artifact>/ under the resource root, with a native-image.properties whose Args come from ni-config.jsonc (existing hand-written lines, other keys and ${.} references are kept). The set of files is replaced as a whole: an interruption leaves the old set or the new one. Files an earlier write made that the new format no longer has are removed; other files only with --force.',
    )
    .argument('[paths...]', 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc')
    .option('--group <group>', 'groupId (one directory name)')
    .option('--artifact <artifact>', 'artifactId (one directory name)')
    .option('--root <dir>', 'resource root (default: src/main/resources)')
    .addOption(
      new Option(
        '--format <format>',
        "output format (default: the inputs' format when they agree, else unified)",
      ).choices(FORMAT_CHOICES),
    )
    .option('--check', 'write nothing; exit 1 with a summary when the files on disk differ from what would be written')
    .option('--force', 'also remove metadata files in the directory that ni-config did not write')
    .option('--dry-run', 'say what would change, write nothing')
    .addHelpText('after', afterHelp('write'))
    .action(action('write'));

  program
    .command('diff')
    .summary('semantic diff for review: text, markdown (PR comment), json, GitHub annotations')
    .description(
      'Shows what changed between two config sets, whatever their format and order: per section the types added and removed, flags and members gained and lost, entries moved between conditions, resources and bundles. Changes that broaden access (all* flags, unsafeAllocated, serializable types, broad resource patterns, JNI, proxies, security-sensitive packages) come first, under "needs attention". With --base, reads revisions through git without a checkout; with no arguments, the working tree against HEAD for the "inputs" of ni-config.jsonc.',
    )
    .argument('[paths...]', 'OLD NEW (files or directories), or with --base the paths to compare')
    .option('--base <rev>', 'git revision of the old side')
    .option('--head <rev>', 'git revision of the new side (default: the working tree)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json', 'github']).default('text'),
    )
    .option('--title <title>', 'heading of the markdown output')
    .option('--exit-code', 'exit 1 when the sets differ, like git diff')
    .option('--stat', 'only the counts per section')
    .addHelpText('after', afterHelp('diff'))
    .action(action('diff'));

  const traceOptions = (cmd: Command, withAgent: boolean): Command => {
    cmd
      .option(
        '--cmd <command>',
        'the function as a local process; split into argv like a shell would, but no shell runs it',
      )
      .option(
        '--container <image>',
        'the function as a container image (its ENTRYPOINT and CMD kept), on the host network',
      )
      .option(
        '--runtime-api',
        'containers: serve the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API) instead of going through the emulator in the image; --cmd always does',
      )
      .option('--rie <file>', 'containers: an aws-lambda-rie binary to run the image under, for images without one')
      .addOption(
        new Option(
          '--engine <engine>',
          'container engine (default: a working docker, else podman; docker that is podman counts as podman)',
        ).choices(['docker', 'podman']),
      )
      .option('--events <glob...>', 'event files (sorted); each must be JSON of at most 6 MB')
      .option('--event <json...>', 'inline events')
      .option('--timeout <seconds>', 'per-event timeout (AWS_LAMBDA_FUNCTION_TIMEOUT)', (v) => Number(v), 900)
      .option('-e, --env <name=value...>', 'extra environment for the function')
      .option('--allow-errors', 'exit 0 even when events fail');
    if (withAgent) {
      cmd
        .option(
          '--agent-path <file>',
          'a native-image agent library to load with -agentpath (default: -agentlib:native-image-agent from the JVM)',
        )
        .option('--period <seconds>', 'config-write-period-secs of the agent', (v) => Number(v), 2)
        .option('-o, --out <path>', 'where the collected metadata goes: a directory, or a .json file (unified)')
        .option(
          '--write',
          'prune, validate and write the META-INF layout as ni-config.jsonc says (like ni-config write), instead of -o',
        )
        .option('--merge-into <path>', 'merge into this existing config; its entries are never lost')
        .option('--preset <name...>', `prune the collected metadata with these presets: ${PRESET_NAMES_TEXT}`)
        .addOption(new Option('--format <format>', 'output format (default: unified)').choices(FORMAT_CHOICES));
    }
    return cmd;
  };
  traceOptions(
    program
      .command('trace')
      .summary('run the function under the native-image agent, drive events, collect and write its metadata')
      .description(
        'Runs the function as a local process (--cmd) under the native-image agent, serving the Lambda Runtime API itself (AWS_LAMBDA_RUNTIME_API), so every invocation is known to end and why. Events are sent one at a time; then the JVM gets SIGTERM so that the agent writes at exit, ni-config waits until its lock is gone (falling back to the last periodic write), merges every run directory, prunes if asked, and writes.',
      ),
    true,
  )
    .addHelpText('after', afterHelp('trace'))
    .action(action('trace'));
  traceOptions(
    program
      .command('invoke')
      .summary('drive events against the function only (warm-up, smoke tests)')
      .description(
        'Runs the function as a local process against the Lambda Runtime API that ni-config serves and sends the events one at a time, with no agent.',
      ),
    false,
  )
    .addHelpText('after', afterHelp('invoke'))
    .action(action('invoke'));

  return program;
}

const PRESET_NAMES_TEXT = 'clojure, launcher, hidden-classes, class-resources, lambda-runtime, default';

async function runCommand(name: string, o: Record<string, unknown>, ctx: CommandContext): Promise<number> {
  const global: GlobalOptions = {
    json: o.json === true,
    ...(typeof o.config === 'string' ? { config: o.config } : {}),
  };
  const paths = o.paths as string[];
  switch (name) {
    case 'validate': {
      const { runValidate } = await import('./commands/validate.js');
      return runValidate(
        {
          ...global,
          paths,
          strict: o.strict === true ? true : undefined,
          format: o.format === 'github' ? 'github' : 'text',
        },
        ctx,
      );
    }
    case 'convert':
    case 'merge': {
      const { runCombine } = await import('./commands/combine.js');
      const format = (name === 'convert' ? o.to : o.format) as 'unified' | 'legacy' | undefined;
      return runCombine(
        { ...global, paths, out: o.out as string, dryRun: o.dryRun === true, ...(format ? { format } : {}) },
        ctx,
      );
    }
    case 'prune': {
      const { runPrune } = await import('./commands/prune.js');
      const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);
      return runPrune(
        {
          ...global,
          paths,
          ...(typeof o.out === 'string' ? { out: o.out } : {}),
          ...(o.format ? { format: o.format as 'unified' | 'legacy' } : {}),
          ...(list(o.preset) ? { presets: list(o.preset)! } : {}),
          ...(list(o.rules) ? { rules: list(o.rules)! } : {}),
          ...(typeof o.trace === 'string' ? { trace: o.trace } : {}),
          ...(list(o.keep) ? { keep: list(o.keep)! } : {}),
          ...(list(o.libraryConfig) ? { libraryConfig: list(o.libraryConfig)! } : {}),
          ...(o.aggressive === true ? { aggressive: true } : {}),
          explain: o.explain === true,
          dryRun: o.dryRun === true,
        },
        ctx,
      );
    }
    case 'write': {
      const { runWrite } = await import('./commands/write.js');
      const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      return runWrite(
        {
          ...global,
          paths,
          ...(str(o.group) !== undefined ? { group: str(o.group)! } : {}),
          ...(str(o.artifact) !== undefined ? { artifact: str(o.artifact)! } : {}),
          ...(str(o.root) !== undefined ? { root: str(o.root)! } : {}),
          ...(o.format ? { format: o.format as 'unified' | 'legacy' } : {}),
          check: o.check === true,
          force: o.force === true,
          dryRun: o.dryRun === true,
        },
        ctx,
      );
    }
    case 'diff': {
      const { runDiff } = await import('./commands/diff.js');
      return runDiff(
        {
          ...global,
          paths,
          ...(typeof o.base === 'string' ? { base: o.base } : {}),
          ...(typeof o.head === 'string' ? { head: o.head } : {}),
          ...(typeof o.format === 'string' ? { format: o.format as 'text' } : {}),
          ...(typeof o.title === 'string' ? { title: o.title } : {}),
          exitCode: o.exitCode === true,
          stat: o.stat === true,
        },
        ctx,
      );
    }
    case 'trace':
    case 'invoke': {
      const { runTrace } = await import('./commands/trace.js');
      const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);
      return runTrace(
        {
          ...global,
          ...(typeof o.cmd === 'string' ? { cmd: o.cmd } : {}),
          ...(typeof o.container === 'string' ? { container: o.container } : {}),
          ...(o.engine === 'docker' || o.engine === 'podman' ? { engine: o.engine } : {}),
          runtimeApi: o.runtimeApi === true,
          ...(typeof o.rie === 'string' ? { rie: o.rie } : {}),
          invokeOnly: name === 'invoke',
          ...(list(o.events) ? { events: list(o.events)! } : {}),
          ...(list(o.event) ? { event: list(o.event)! } : {}),
          ...(list(o.env) ? { env: list(o.env)! } : {}),
          ...(typeof o.agentPath === 'string' ? { agentPath: o.agentPath } : {}),
          ...(typeof o.period === 'number' ? { period: o.period } : {}),
          ...(typeof o.timeout === 'number' ? { timeout: o.timeout } : {}),
          ...(typeof o.out === 'string' ? { out: o.out } : {}),
          ...(o.format ? { format: o.format as 'unified' | 'legacy' } : {}),
          ...(list(o.preset) ? { presets: list(o.preset)! } : {}),
          allowErrors: o.allowErrors === true,
          write: o.write === true,
          ...(typeof o.mergeInto === 'string' ? { mergeInto: o.mergeInto } : {}),
        },
        ctx,
      );
    }
    default:
      throw new UsageError(`unknown command ${name}`);
  }
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], ctx: CommandContext = processContext()): Promise<number> {
  const wantsJson = argv.includes('--json');
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, async (name, options) => (exitCode = await runCommand(name, options, ctx)));
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

async function reportError(e: unknown, ctx: CommandContext, json: boolean): Promise<number> {
  if (e instanceof CommanderError) {
    // help and version are not errors; commander has already printed its message
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help'
      ? EXIT.ok
      : EXIT.error;
  }
  if (e instanceof UsageError) {
    await writeOut(ctx.stderr, `ni-config: ${printable(e.message)}\n`);
    return EXIT.error;
  }
  if (e instanceof InputError) {
    const findings = sortedFindingJson(e.findings, new Positions(e.texts));
    if (json) {
      await writeOut(ctx.stdout, JSON.stringify({ ok: false, error: e.message, findings }, null, 2) + '\n');
    } else {
      const style = styleFor(ctx.stderr);
      const lines = findings.map((f) => findingLine(f, style));
      await writeOut(ctx.stderr, [...lines, `ni-config: ${printable(e.message)}`].join('\n') + '\n');
    }
    return EXIT.error;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const detail = process.env.NI_CONFIG_DEBUG ? `\n${err.stack ?? ''}` : ' (set NI_CONFIG_DEBUG=1 for the stack trace)';
  await writeOut(ctx.stderr, `ni-config: internal error: ${err.message}${detail}\n`);
  return EXIT.error;
}
