/** `trace` and `invoke`: one use case; flags, mapping and the report. */
import { ENGINE_NAMES, FORMAT_NAMES } from '../../commands/catalog.js';
import type { TraceOptions, TraceResult } from '../../commands/trace.js';
import { EXIT } from '../../errors.js';
import { shownPath } from '../../model/paths.js';
import { command, type Output } from '../command.js';
import { answerStart } from '../context.js';
import type { FlagSpecs } from '../flags.js';
import { plural, printable, writeOut } from '../render/text.js';
import { pruneFlags, pruneOptions, summaryLine } from './shared.js';
import { writeLines } from './write.js';

const runFlags = {
  cmd: {
    type: 'string',
    flags: '--cmd <command>',
    help: 'the function as a local process; split into argv like a shell would, but no shell runs it',
  },
  container: {
    type: 'string',
    flags: '--container <image>',
    help: 'the function as a container image (its ENTRYPOINT and CMD kept), on the host network',
  },
  runtimeApi: {
    type: 'boolean',
    flags: '--runtime-api',
    help: 'containers: serve the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API) instead of going through the emulator in the image; --cmd always does',
  },
  rie: {
    type: 'string',
    flags: '--rie <file>',
    help: 'containers: an aws-lambda-rie binary to run the image under, for images without one',
  },
  engine: {
    type: 'choice',
    flags: '--engine <engine>',
    help: 'container engine (default: a working docker, else podman; docker that is podman counts as podman)',
    choices: ENGINE_NAMES,
  },
  label: {
    type: 'list',
    flags: '--label <key=value...>',
    help: 'containers: labels for every container the run starts',
  },
  events: {
    type: 'list',
    flags: '--events <glob...>',
    help: 'event files (sorted); each must be JSON of at most 6 MB',
  },
  event: { type: 'list', flags: '--event <json...>', help: 'inline events' },
  timeout: {
    type: 'integer',
    flags: '--timeout <seconds>',
    help: 'per-event timeout (AWS_LAMBDA_FUNCTION_TIMEOUT)',
    default: 900,
  },
  env: { type: 'list', flags: '-e, --env <name=value...>', help: 'extra environment for the function' },
  allowErrors: { type: 'boolean', flags: '--allow-errors', help: 'exit 0 even when events fail' },
} as const satisfies FlagSpecs;

const { trace: _alias, evidence: _file, ...tracePruneFlags } = pruneFlags;
const agentFlags = {
  agentPath: {
    type: 'string',
    flags: '--agent-path <file>',
    help: 'a native-image agent library to load with -agentpath (default: -agentlib:native-image-agent from the JVM)',
  },
  period: {
    type: 'integer',
    flags: '--period <seconds>',
    help: 'config-write-period-secs of the agent',
    default: 2,
  },
  out: {
    type: 'string',
    flags: '-o, --out <path>',
    help: 'where the collected metadata goes: a directory, or a .json file (unified)',
  },
  write: {
    type: 'boolean',
    flags: '--write',
    help: 'prune, validate and write the META-INF layout as ni-config.jsonc says (like ni-config write), instead of -o',
  },
  force: {
    type: 'boolean',
    flags: '--force',
    help: 'replace an earlier output at -o even when events failed and the trace collected fewer entries than it holds (an empty collection never replaces anything)',
  },
  mergeInto: {
    type: 'string',
    flags: '--merge-into <path>',
    help: 'merge into this existing config; its entries are never lost',
  },
  evidence: {
    type: 'switch',
    flags: '--evidence',
    help: "record each lookup's call tree (the agent's experimental-conditional-config-part), prune by it and write ni-config-evidence.json beside the output; the default with --preset clojure or --aggressive. The agent then writes only when the JVM exits normally",
    negatedHelp: 'no call trees: the agent writes every --period seconds, prune guesses from names',
  },
  attribute: {
    type: 'boolean',
    flags: '--attribute',
    help: 'record in ni-config-evidence.json which event first needed each entry (explain and diff show it): the agent writes every second and ni-config looks after each event, about a second per event; with call trees the events run a second time for it',
  },
  ...tracePruneFlags,
  format: {
    type: 'choice',
    flags: '--format <format>',
    help: 'output format (default: unified)',
    choices: FORMAT_NAMES,
  },
} as const satisfies FlagSpecs;

async function render(r: TraceResult, o: TraceOptions, out: Output): Promise<number> {
  const { ctx } = out;
  if (out.json) {
    await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    return r.ok ? EXIT.ok : EXIT.findings;
  }
  const c = r.counts;
  const lines = [
    `${plural(r.events.length, 'event')}: ${c.success} succeeded, ${c['function-error']} function errors, ${c.timeout} timeouts, ${c.crash} crashes`,
  ];
  if (r.initError) {
    lines.push(
      `the function's init failed: ${[printable(r.initError.errorType), r.initError.body === '' ? '' : answerStart(r.initError.body)].filter((s) => s !== '').join(' ')}`,
    );
    lines.push(...saidLines(r.initError.output));
  }
  lines.push(...failureLines(r));
  if (!o.invokeOnly) {
    if (r.layout) lines.push(...writeLines(r.layout));
    else if (r.entries && r.format && r.output !== undefined)
      lines.push(
        summaryLine(r.format, r.entries, { written: r.written, unchanged: r.unchanged ?? [] }, false, r.output),
      );
    if (r.staleLocks.length > 0)
      lines.push(
        `warning: the agent did not finish its last write (lock left in ${r.staleLocks.map((l) => l.replace(/\/\.lock$/, '')).join(', ')}); what it wrote periodically is used`,
      );
    const stopped =
      r.stopped && r.stopped.length > 0
        ? ` (SIGTERM to ${r.stopped.map((p) => `pid ${p.pid}${p.command ? `: ${printable(p.command.slice(0, 120))}` : ''}`).join('; ')})`
        : '';
    lines.push(`collected ${plural(r.runs, 'agent run')}, ${r.flushMs} ms after the last answer${stopped}`);
    if (r.evidence !== undefined)
      lines.push(
        r.attributed !== undefined
          ? `the events that first needed ${plural(r.attributed, 'entry')} are in ${printable(shownPath(r.evidence, ctx.cwd))} (ni-config explain ENTRY, ni-config diff)`
          : `lookup evidence in ${printable(shownPath(r.evidence, ctx.cwd))}`,
      );
  }
  for (const w of r.warnings) lines.push(`warning: ${printable(w)}`);
  await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return r.ok ? EXIT.ok : EXIT.findings;
}

/** What the function printed last, indented under the line it explains. */
function saidLines(output: readonly string[] | undefined): string[] {
  if (output === undefined || output.length === 0) return [];
  return ['  the function printed last:', ...output.map((l) => `    ${printable(l.slice(0, 400))}`)];
}

/** Each crash with why, and what the function printed last (once for a run of events that printed the same). */
function failureLines(r: TraceResult): string[] {
  const lines: string[] = [];
  let previous: string | undefined;
  for (const e of r.events) {
    if (e.status !== 'crash') continue;
    const said = e.output?.join('\n');
    lines.push(
      `${printable(e.event)}: crash${e.errorType ? ` (${printable(e.errorType)})` : ''}: ${printable((e.reason ?? '').slice(0, 300))}`,
    );
    if (said !== undefined && said === previous) lines.push('  (it printed the same last lines)');
    else lines.push(...saidLines(e.output));
    if (said !== undefined) previous = said;
  }
  return lines;
}

export const trace = command({
  summary: 'run the function under the native-image agent, drive events, collect and write its metadata',
  description:
    'Runs the function as a local process (--cmd) or a container image (--container) under the native-image agent. Locally, and with --runtime-api, ni-config serves the Lambda Runtime API itself (AWS_LAMBDA_RUNTIME_API), so every invocation is known to end and why; otherwise events go through the emulator in the image. Events are sent one at a time; then the JVM gets SIGTERM so that the agent writes at exit, ni-config waits until its lock is gone (falling back to the last periodic write), merges every run directory, prunes with the same settings as prune (flags, else ni-config.jsonc), and writes.',
  flags: { ...runFlags, ...agentFlags },
  examples: [
    "ni-config trace --cmd 'java -cp target/classes example.Bootstrap' --events 'events/*.json' -o traced/",
    "ni-config trace --cmd 'java -jar target/fn.jar' --agent-path /opt/graalvm/lib/libnative-image-agent.so --events 'events/**/*.json' --preset clojure default -o traced/",
  ],
  exitCodes:
    '0 every event succeeded (or --allow-errors), 1 an event failed or init failed, 2 bad usage, bad events, or the agent wrote nothing',
  options: (_paths, f, g): TraceOptions => ({
    config: g.config,
    cmd: f.cmd,
    container: f.container,
    runtimeApi: f.runtimeApi,
    rie: f.rie,
    engine: f.engine,
    labels: f.label,
    events: f.events,
    event: f.event,
    timeout: f.timeout,
    env: f.env,
    allowErrors: f.allowErrors,
    agentPath: f.agentPath,
    period: f.period,
    out: f.out,
    ...(f.force ? { force: true } : {}),
    ...(f.attribute ? { attribute: true } : {}),
    write: f.write,
    mergeInto: f.mergeInto,
    format: f.format,
    recordEvidence: f.evidence,
    ...pruneOptions({ ...f, evidence: undefined }),
  }),
  run: async (o, deps) => (await import('../../commands/trace.js')).runTrace(o, deps),
  render,
});

export const invoke = command({
  summary: 'drive events against the function only (warm-up, smoke tests)',
  description:
    'Runs the function as a local process (against the Lambda Runtime API that ni-config serves) or a container image, and sends the events one at a time, with no agent.',
  flags: runFlags,
  examples: [
    "ni-config invoke --cmd 'java -jar target/fn.jar' --events 'events/*.json'",
    'ni-config invoke --cmd ./bootstrap --event \'{"ping": true}\' --json',
  ],
  exitCodes: '0 every event succeeded (or --allow-errors), 1 an event failed or init failed, 2 bad usage or bad events',
  options: (_paths, f, g): TraceOptions => ({
    config: g.config,
    invokeOnly: true,
    cmd: f.cmd,
    container: f.container,
    runtimeApi: f.runtimeApi,
    rie: f.rie,
    engine: f.engine,
    labels: f.label,
    events: f.events,
    event: f.event,
    timeout: f.timeout,
    env: f.env,
    allowErrors: f.allowErrors,
  }),
  run: async (o, deps) => (await import('../../commands/trace.js')).runTrace(o, deps),
  render,
});
