/**
 * What the CLI needs from the world, in one object, so tests can run it in-process with their
 * own streams and working directory; and the use cases' dependencies made from it.
 */
import type { CommandDeps, Notice } from '../commands/deps.js';
import { printable, writeOut } from './render/text.js';

export interface CommandContext {
  readonly cwd: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly readStdin: () => Promise<Buffer>;
  /** The environment the traced function inherits (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces engine detection (tests drive container flows in-process with their own engine). */
  readonly engine?: CommandDeps['engine'];
}

/**
 * A reader that went away (`ni-config … | head -1`) ends the output quietly: the stream's EPIPE
 * error is dropped instead of crashing the process with a stack trace. Other errors stay errors.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

/** The context of this process: its working directory, streams and stdin. */
export function processContext(): CommandContext {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** How much of an answer a progress line shows: the start of its first line. */
export const ANSWER_SHOWN = 200;

/**
 * The start of the function's answer on one printable line: all of it when it is one line of at
 * most {@link ANSWER_SHOWN} characters, else the start of its first line and its size in bytes
 * (the whole answer is in --json, as `events[].answer`).
 */
export function answerStart(answer: string): string {
  if (answer === '') return '(empty answer)';
  const eol = answer.search(/\r?\n/);
  const first = eol < 0 ? answer : answer.slice(0, eol);
  if (eol < 0 && first.length <= ANSWER_SHOWN) return printable(answer);
  let cut = Math.min(first.length, ANSWER_SHOWN);
  // never half a surrogate pair
  if (cut < first.length && /[\ud800-\udbff]/.test(first.charAt(cut - 1))) cut--;
  return `${printable(first.slice(0, cut))}… (${Buffer.byteLength(answer, 'utf8')} bytes)`;
}

/**
 * One progress line per event: status, duration, the function's answer (its start: see
 * {@link answerStart}) or what happened, and the agent's writes when counted. A crash or a
 * timeout says what happened in the words the report uses (its reason), since its body may be
 * empty (an emulator's 502 after a failed init) or say nothing.
 */
export function eventLine(n: Extract<Notice, { kind: 'event' }>): string {
  const r = n.result;
  const what =
    r.status === 'crash' || r.status === 'timeout'
      ? printable((r.reason ?? r.body).slice(0, 300))
      : answerStart(r.answer ?? r.body);
  const said = [r.errorType ? printable(r.errorType) : '', what].filter((s) => s !== '').join(' ');
  const shown = said === '' ? '' : ` ${said}`;
  const writes =
    n.agentWrites === undefined
      ? ''
      : n.agentWrites === 0
        ? ' · waiting for the first agent write'
        : ` · agent writes seen: ${n.agentWrites}`;
  return `[${n.done}/${n.total}] ${n.name}: ${r.status} (${r.durationMs} ms)${shown}${writes}\n`;
}

/** The use cases' dependencies: warnings and progress go to stderr (progress not with --json). */
export function commandDeps(ctx: CommandContext, json: boolean): CommandDeps {
  return {
    cwd: ctx.cwd,
    env: ctx.env ?? process.env,
    readStdin: ctx.readStdin,
    writeStdout: (text) => writeOut(ctx.stdout, text),
    terminal: Boolean(ctx.stderr.isTTY) && !json,
    notify: (n) => {
      if (n.kind === 'warning') void writeOut(ctx.stderr, `ni-config: warning: ${printable(n.message)}\n`);
      else if (!json) void writeOut(ctx.stderr, eventLine(n));
    },
    ...(ctx.engine ? { engine: ctx.engine } : {}),
  };
}
