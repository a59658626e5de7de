/**
 * What `trace` and `invoke` run, from their options: the function (a local command or an
 * image on an engine), its environment, the agent, the events. Everything a user can get wrong
 * is a usage or input error here, before anything starts.
 */
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { detectEngine, type EngineName } from '../trace/engines/index.js';
import { loadEvents, splitCommand } from '../trace/events.js';
import { findProgram, pathKind } from '../trace/host.js';
import type { Format } from '../model/kinds.js';
import type { TraceSection } from '../ops/settings.js';
import type { FunctionSpec } from '../trace/run.js';
import type { CommandDeps } from './deps.js';

/** The options that say what runs and how. */
export interface TargetOptions {
  /** A local command, or: */
  readonly cmd?: string | undefined;
  /** a container image, run with `engine`. */
  readonly container?: string | undefined;
  /** Serve the Runtime API (always for --cmd); else containers run under the emulator (RIE). */
  readonly runtimeApi?: boolean | undefined;
  /** An aws-lambda-rie binary to run the image under (RIE mode, for images without one). */
  readonly rie?: string | undefined;
  readonly engine?: EngineName | undefined;
  /** Labels for the containers (`KEY=VALUE`). */
  readonly labels?: readonly string[] | undefined;
  readonly events?: readonly string[] | undefined;
  readonly event?: readonly string[] | undefined;
  readonly agentPath?: string | undefined;
  readonly period?: number | undefined;
  /** Per-event timeout in seconds (AWS_LAMBDA_FUNCTION_TIMEOUT). */
  readonly timeout?: number | undefined;
  readonly env?: readonly string[] | undefined;
  /** Record where each lookup came from (the agent's call trees); default: when the prune plan uses evidence. */
  readonly recordEvidence?: boolean | undefined;
}

/**
 * The options with the project file's `trace` section under them: each flag overrides its key;
 * a --cmd or --container given replaces the project's target, --events or --event its events,
 * -o or --write its output;
 * -e and --label add to (and override) the project's environment and labels.
 */
export function withProjectTrace<O extends TargetOptions & { readonly out?: string | undefined }>(
  options: O,
  section: TraceSection = {},
): O & { write?: boolean; mergeInto?: string; format?: Format; allowErrors?: boolean; attribute?: boolean } {
  const targetGiven = options.cmd !== undefined || options.container !== undefined;
  const eventsGiven = options.events !== undefined || options.event !== undefined;
  const asPairs = (o: Readonly<Record<string, string>> | undefined): string[] =>
    Object.entries(o ?? {}).map(([k, v]) => `${k}=${v}`);
  const pick = <K extends keyof TraceSection>(key: K, flag: unknown): Pick<TraceSection, K> | object =>
    flag === undefined && section[key] !== undefined ? { [key]: section[key] } : {};
  const o = options as O & {
    write?: boolean;
    mergeInto?: string;
    format?: Format;
    allowErrors?: boolean;
    attribute?: boolean;
  };
  return {
    ...options,
    ...(targetGiven ? {} : { ...pick('cmd', undefined), ...pick('container', undefined) }),
    ...(eventsGiven ? {} : { events: section.events }),
    ...pick('engine', options.engine),
    ...(options.runtimeApi ? {} : pick('runtimeApi', undefined)),
    ...pick('rie', options.rie),
    ...pick('agentPath', options.agentPath),
    ...pick('period', options.period),
    ...pick('timeout', options.timeout),
    // -o or --write given replaces the project's output
    ...(options.out !== undefined || o.write ? {} : { ...pick('out', undefined), ...pick('write', undefined) }),
    ...pick('mergeInto', o.mergeInto),
    ...pick('format', o.format),
    ...(o.allowErrors ? {} : pick('allowErrors', undefined)),
    ...(o.attribute ? {} : pick('attribute', undefined)),
    env: [...asPairs(section.env), ...(options.env ?? [])],
    labels: [...asPairs(section.labels), ...(options.labels ?? [])],
  };
}

function pairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`${flag} ${kv}: expected NAME=VALUE`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/**
 * A file a flag names, checked before anything runs: an engine would mount a missing one as an
 * empty directory (docker creates it on the host) and the function would fail far from the cause.
 */
function hostFile(path: string, flag: string): string {
  const kind = pathKind(path);
  if (kind === 'missing') throw new UsageError(`${flag} ${path}: no such file`);
  if (kind !== 'file') throw new UsageError(`${flag} ${path}: not a file (a ${kind})`);
  return path;
}

/** The function to run, checked; `withAgent` false for invoke. */
export async function functionSpec(
  options: TargetOptions & { readonly wantsEvidence?: boolean },
  withAgent: boolean,
  deps: Pick<CommandDeps, 'cwd' | 'env' | 'engine'>,
): Promise<FunctionSpec> {
  if ((options.cmd === undefined) === (options.container === undefined))
    throw new UsageError('give either --cmd "COMMAND" (a local process) or --container IMAGE');
  const env = pairs(options.env ?? [], '-e');
  const labels = pairs(options.labels ?? [], '--label');
  const period = options.period ?? 2;
  if (!Number.isInteger(period) || period <= 0)
    throw new UsageError('--period takes a whole number of seconds, at least 1');
  const timeout = options.timeout ?? 900;
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new UsageError('--timeout takes a whole number of seconds, at least 1');
  const loaded = await loadEvents(options.events ?? [], options.event ?? [], deps.cwd);
  if (loaded.findings.length > 0) throw new InputError('the events are not valid', loaded.findings, loaded.texts);
  if (loaded.events.length === 0) throw new UsageError('no events: give --events GLOB or --event JSON');
  const library =
    withAgent && options.agentPath ? hostFile(resolve(deps.cwd, options.agentPath), '--agent-path') : undefined;
  const agent = withAgent
    ? {
        periodSeconds: period,
        evidence: options.recordEvidence ?? Boolean(options.wantsEvidence),
        ...(library ? { library } : {}),
      }
    : undefined;
  const common = { events: loaded.events, timeoutMs: timeout * 1000, ...(agent ? { agent } : {}) };
  if (options.cmd !== undefined) {
    let argv: string[];
    try {
      argv = splitCommand(options.cmd);
    } catch (e) {
      throw new UsageError(`--cmd: ${(e as Error).message}`);
    }
    if (argv.length === 0) throw new UsageError('--cmd is empty');
    const processEnv = { ...deps.env, ...env };
    if (findProgram(argv[0]!, processEnv, deps.cwd) === undefined)
      throw new UsageError(
        argv[0]!.includes('/')
          ? `--cmd: there is no program ${argv[0]} (no executable file at ${resolve(deps.cwd, argv[0]!)})`
          : `--cmd: there is no program ${argv[0]} on PATH`,
      );
    return { ...common, target: { kind: 'local', argv, cwd: deps.cwd, env: processEnv } };
  }
  const rie = options.rie ? hostFile(resolve(deps.cwd, options.rie), '--rie') : undefined;
  return {
    ...common,
    target: {
      kind: 'container',
      image: options.container!,
      engine: await (deps.engine ?? detectEngine)(options.engine),
      mode: options.runtimeApi ? 'runtime-api' : 'rie',
      ...(rie ? { rie } : {}),
      env,
      labels,
    },
  };
}
