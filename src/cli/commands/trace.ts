/**
 * `ni-config trace --cmd "java ..."` and `ni-config invoke --cmd "java ..."`: run the function as
 * a local process against ni-config's own Runtime API, drive the events, and (trace) collect,
 * merge, prune and write what the native-image agent recorded.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { onInterrupt } from '../../io/cleanup.js';
import { collectSources } from '../../io/inputs.js';
import { isBlocking } from '../../model/findings.js';
import type { Format } from '../../model/kinds.js';
import { countEntries, type ConfigSet } from '../../model/model.js';
import { loadSources } from '../../ops/load.js';
import { PRESETS, PRESET_NAMES, expandPresets, isPresetName, type PresetName } from '../../ops/presets.js';
import { prune } from '../../ops/prune.js';
import { loadEvents, splitCommand } from '../../trace/events.js';
import { runLocal, type LocalRunResult } from '../../trace/local.js';
import { CONTAINER_AGENT_DIR, runContainer } from '../../trace/container.js';
import { EngineError, detectEngine, type EngineName } from '../../trace/engine.js';
import type { InvocationResult, InvocationStatus } from '../../trace/runtime-api.js';
import { projectConfig, type CommandContext, type GlobalOptions } from '../context.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { printable, writeOut } from '../render.js';
import { summaryLine } from './combine.js';
import { emitAndWrite, readableInputs } from './output.js';
import { ConfigBuilder } from '../../model/model.js';
import { emitUnified, toJsonText } from '../../model/emit/index.js';
import { kindOfFileName } from '../../model/kinds.js';
import { schemaFindings } from '../../ops/schema.js';
import type { Finding } from '../../model/findings.js';

/** Errors the written files would have: the set emitted as it will be written, then validated. */
function validateSet(set: ConfigSet): Finding[] {
  const sources = [...emitUnified(set).files].map(([name, value]) => ({
    file: name,
    text: toJsonText(value),
    kind: kindOfFileName(name),
  }));
  return loadSources(sources, { schema: schemaFindings }).findings.filter((f) => f.severity === 'error');
}

export interface TraceOptions extends GlobalOptions {
  /** A local command, or: */
  readonly cmd?: string;
  /** a container image, run with `engine`. */
  readonly container?: string;
  /** Serve the Runtime API (always for --cmd); else containers run under the emulator (RIE). */
  readonly runtimeApi?: boolean;
  /** An aws-lambda-rie binary to run the image under (RIE mode, for images without one). */
  readonly rie?: string;
  readonly engine?: EngineName;
  readonly events?: readonly string[];
  readonly event?: readonly string[];
  /** Drive the events only: no agent, nothing collected (`invoke`). */
  readonly invokeOnly?: boolean;
  readonly agentPath?: string;
  readonly period?: number;
  readonly timeout?: number;
  readonly env?: readonly string[];
  readonly out?: string;
  readonly format?: Format;
  readonly presets?: readonly string[];
  readonly allowErrors?: boolean;
  /** Merge the collected metadata into this existing config (its entries are never lost). */
  readonly mergeInto?: string;
  /** Prune, validate and write the META-INF layout per ni-config.jsonc instead of -o. */
  readonly write?: boolean;
}

/** The `--json` output of trace and invoke. */
export interface TraceJson {
  readonly ok: boolean;
  readonly events: readonly {
    readonly event: string;
    readonly status: InvocationStatus;
    readonly durationMs: number;
    readonly errorType?: string;
  }[];
  readonly counts: Record<InvocationStatus, number>;
  readonly initError?: { readonly errorType: string; readonly body: string };
  readonly flushMs: number;
  readonly staleLocks: readonly string[];
  /** Cleanup that failed or a fallback taken, each a sentence. */
  readonly warnings: readonly string[];
  readonly runs: number;
  readonly entries?: Record<string, number>;
  readonly written: readonly string[];
}

export async function runTrace(options: TraceOptions, ctx: CommandContext): Promise<number> {
  const { config } = await projectConfig(options, ctx);
  const presetNames = options.presets ?? [];
  const unknown = presetNames.filter((p) => !isPresetName(p));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown preset ${unknown.map((u) => `'${u}'`).join(', ')}; the presets are ${PRESET_NAMES.join(', ')}`,
    );
  if ((options.cmd === undefined) === (options.container === undefined))
    throw new UsageError('give either --cmd "COMMAND" (a local process) or --container IMAGE');
  let argv: string[] = [];
  if (options.cmd !== undefined) {
    try {
      argv = splitCommand(options.cmd);
    } catch (e) {
      throw new UsageError(`--cmd: ${(e as Error).message}`);
    }
    if (argv.length === 0) throw new UsageError('--cmd is empty');
  }
  if (!options.invokeOnly && (options.out === undefined) === !options.write)
    throw new UsageError(
      'give -o OUT for the collected metadata, or --write to write the META-INF layout per ni-config.jsonc',
    );
  const extraEnv: Record<string, string> = {};
  for (const kv of options.env ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`-e ${kv}: expected NAME=VALUE`);
    extraEnv[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  const period = options.period ?? 2;
  if (!Number.isInteger(period) || period <= 0)
    throw new UsageError('--period takes a whole number of seconds, at least 1');
  const timeoutMs = (options.timeout ?? 900) * 1000;

  const loaded = await loadEvents(options.events ?? [], options.event ?? [], ctx.cwd);
  if (loaded.findings.length > 0) throw new InputError('the events are not valid', loaded.findings, loaded.texts);
  if (loaded.events.length === 0) throw new UsageError('no events: give --events GLOB or --event JSON');

  const work = await mkdtemp(join(tmpdir(), 'ni-config-trace-'));
  const removeWork = (): Promise<void> => rm(work, { recursive: true, force: true });
  const unregister = onInterrupt(removeWork);
  const agentDir = join(work, 'agent');
  try {
    if (agentDir.includes(','))
      throw new InputError(
        `the temp directory ${agentDir} contains a comma, which the agent's option syntax cannot carry`,
      );
    const agentOutput = `config-output-dir=${agentDir}/run-{pid}-{datetime},config-write-period-secs=${period}`;
    const agentOption = options.invokeOnly
      ? undefined
      : options.agentPath
        ? `-agentpath:${options.agentPath}=${agentOutput}`
        : `-agentlib:native-image-agent=${agentOutput}`;
    // Progress: a line per event; on a terminal also how many agent writes have landed so far
    // (local runs, where the output directory is on this machine).
    const writes = new Set<string>();
    const watch =
      ctx.stderr.isTTY && !options.json && options.cmd !== undefined && !options.invokeOnly
        ? setInterval(() => void countWrites(agentDir, writes), 500)
        : undefined;
    const onProgress = (done: number, total: number, name: string, r: InvocationResult): void => {
      if (options.json) return;
      const seen = watch ? ` · agent writes seen: ${writes.size}` : '';
      void writeOut(
        ctx.stderr,
        `[${done}/${total}] ${name}: ${r.status} (${r.durationMs} ms)${r.status === 'success' ? '' : ` ${printable(`${r.errorType ?? ''} ${r.body.slice(0, 200)}`)}`.trimEnd()}${seen}\n`,
      );
    };
    let run: LocalRunResult;
    if (options.container !== undefined) {
      let engine;
      try {
        engine = await detectEngine(options.engine);
        run = await runContainer({
          engine,
          mode: options.runtimeApi ? 'runtime-api' : 'rie',
          ...(options.rie ? { rie: resolve(ctx.cwd, options.rie) } : {}),
          image: options.container,
          events: loaded.events,
          timeoutMs,
          env: extraEnv,
          ...(options.invokeOnly
            ? {}
            : {
                agentOptions: `config-output-dir=${CONTAINER_AGENT_DIR}/run-{pid}-{datetime},config-write-period-secs=${period}`,
                collectTo: agentDir,
              }),
          ...(options.agentPath ? { agentPath: resolve(ctx.cwd, options.agentPath) } : {}),
          onProgress,
        });
      } catch (e) {
        if (e instanceof EngineError) throw new InputError(e.message, [], new Map(), { cause: e });
        throw e;
      }
    } else {
      run = await runLocal({
        argv,
        cwd: ctx.cwd,
        env,
        events: loaded.events,
        timeoutMs,
        ...(agentOption ? { agentOption, agentDir } : {}),
        onProgress,
      });
    }
    if (watch) clearInterval(watch);
    return await report(
      options,
      ctx,
      run,
      agentDir,
      (presetNames.length > 0 ? presetNames : (config.prune?.presets ?? [])) as PresetName[],
      config.format,
    );
  } finally {
    await removeWork();
    unregister();
  }
}

async function report(
  options: TraceOptions,
  ctx: CommandContext,
  run: LocalRunResult,
  agentDir: string,
  presets: PresetName[],
  projectFormat: Format | undefined,
): Promise<number> {
  const counts: Record<InvocationStatus, number> = { success: 0, 'function-error': 0, timeout: 0, crash: 0 };
  for (const r of run.results) counts[r.result.status]++;
  const failed = run.results.length - counts.success;
  const lines: string[] = [];
  if (run.initError)
    lines.push(
      `the function's init failed: ${printable(`${run.initError.errorType} ${run.initError.body.slice(0, 300)}`)}`,
    );
  let set: ConfigSet | undefined;
  let runs = 0;
  let written: string[] = [];
  if (!options.invokeOnly) {
    const collected = await collectSources([agentDir]);
    runs = new Set(collected.sources.map((s) => s.file.slice(agentDir.length + 1).split('/')[0])).size;
    if (collected.sources.length === 0) {
      throw new InputError(
        run.warnings && run.warnings.length > 0
          ? `the agent wrote no configuration: ${run.warnings.join('; ')}`
          : `the agent wrote no configuration. Is ${options.agentPath ?? 'native-image-agent (-agentlib)'} loadable by this JVM? The process said: ${run.stderrTail.trim().split('\n').slice(-3).join(' | ') || '(nothing)'}`,
      );
    }
    const loaded = loadSources(collected.sources);
    const blocking = loaded.findings.filter(isBlocking);
    if (blocking.length > 0) {
      // named by run directory and file: the temp directory they were in is removed on exit
      const rel = (file: string): string => `agent-output/${file.slice(agentDir.length + 1)}`;
      throw new InputError(
        `the agent left files that cannot be read (a JVM that died mid-write, or an agent of another version); nothing was written`,
        blocking.map((f) => ({ ...f, file: rel(f.file) })),
        new Map(collected.sources.map((s) => [rel(s.file), s.text])),
      );
    }
    set = loaded.set;
    if (options.mergeInto !== undefined) {
      // the existing config is kept whole: the new trace adds to it, and its entries are pinned
      const existing = (await readableInputs([options.mergeInto], {}, ctx)).set;
      set = prune(new ConfigBuilder().addSet(set).build(), {
        rules: expandPresets(presets).flatMap((p) => PRESETS[p].rules),
        keep: { source: options.mergeInto, set: existing },
      }).set;
    } else if (presets.length > 0) {
      set = prune(set, { rules: expandPresets(presets).flatMap((p) => PRESETS[p].rules) }).set;
    }
    if (options.write) {
      const { runWrite } = await import('./write.js');
      const problems = validateSet(set);
      if (problems.length > 0)
        throw new InputError('the traced metadata does not validate; nothing was written', problems);
      const code = await runWrite(
        {
          paths: [],
          set,
          ...(options.format ? { format: options.format } : {}),
          ...(options.config ? { config: options.config } : {}),
        },
        ctx,
      );
      if (code !== EXIT.ok) return code;
    } else {
      const format = options.format ?? projectFormat ?? 'unified';
      const result = await emitAndWrite(set, format, options.out!, false, ctx);
      written = result.written;
      for (const w of result.warnings) lines.push(`warning: ${printable(w)}`);
      lines.push(summaryLine(format, countEntries(set), result, false));
    }
    if (run.staleLocks.length > 0)
      lines.push(
        `warning: the agent did not finish its last write (lock left in ${run.staleLocks.map((l) => relative(agentDir, dirname(l))).join(', ')}); what it wrote periodically is used`,
      );
    lines.push(`collected ${runs} agent run${runs === 1 ? '' : 's'}, ${run.flushMs} ms after the last answer`);
  }
  for (const w of run.warnings ?? []) lines.push(`warning: ${w}`);
  const ok = run.initError === undefined && (failed === 0 || Boolean(options.allowErrors));
  if (options.json) {
    const out: TraceJson = {
      ok,
      events: run.results.map((r) => ({
        event: r.event,
        status: r.result.status,
        durationMs: r.result.durationMs,
        ...(r.result.errorType ? { errorType: r.result.errorType } : {}),
      })),
      counts,
      ...(run.initError ? { initError: run.initError } : {}),
      flushMs: run.flushMs,
      // by run directory: the temp directory they were in is gone
      staleLocks: run.staleLocks.map((l) => relative(agentDir, l)),
      warnings: run.warnings ?? [],
      runs,
      ...(set ? { entries: countEntries(set) } : {}),
      written,
    };
    await writeOut(ctx.stdout, JSON.stringify(out, null, 2) + '\n');
  } else {
    lines.unshift(
      `${run.results.length} event${run.results.length === 1 ? '' : 's'}: ${counts.success} succeeded, ${counts['function-error']} function errors, ${counts.timeout} timeouts, ${counts.crash} crashes`,
    );
    await writeOut(ctx.stderr, lines.join('\n') + '\n');
  }
  return ok ? EXIT.ok : EXIT.findings;
}

/** Each (run directory, modification time) of a reflect-config.json is one write the agent finished. */
async function countWrites(agentDir: string, seen: Set<string>): Promise<void> {
  for (const run of await readdir(agentDir).catch(() => [] as string[])) {
    const info = await stat(join(agentDir, run, 'reflect-config.json')).catch(() => undefined);
    if (info) seen.add(`${run}@${info.mtimeMs}`);
  }
}
