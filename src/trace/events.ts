/** Events to send: files matched by globs (sorted) and inline JSON, each valid JSON of at most 6 MB. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { finding, type Finding } from '../model/findings.js';
import { parseJsonText } from '../model/json-text.js';
import { describeIoError } from '../io/inputs.js';
import { MAX_PAYLOAD } from './runtime-api.js';

export interface TraceEvent {
  /** A file path, or `--event #n` for inline events. */
  readonly name: string;
  readonly body: string;
}

/** The events the globs and inline texts name, each checked to be JSON Lambda accepts. */
export async function loadEvents(
  globs: readonly string[],
  inline: readonly string[],
  cwd: string,
): Promise<{ events: TraceEvent[]; findings: Finding[]; texts: Map<string, string> }> {
  const events: TraceEvent[] = [];
  const findings: Finding[] = [];
  const texts = new Map<string, string>();
  for (const g of globs) {
    const files = (await fg(g, { cwd, onlyFiles: true, dot: false })).sort();
    if (files.length === 0) findings.push(finding('no-match', g, '', `no event file matches ${g}`));
    for (const file of files) {
      try {
        const info = await stat(resolve(cwd, file));
        if (info.size > MAX_PAYLOAD) {
          findings.push(
            finding('too-large', file, '', `the event has ${info.size} bytes; Lambda accepts at most ${MAX_PAYLOAD}`),
          );
          continue;
        }
        const text = await readFile(resolve(cwd, file), 'utf8');
        texts.set(file, text);
        const parsed = parseJsonText(text, file);
        if (!parsed.ok) findings.push(parsed.finding);
        else events.push({ name: file, body: text });
      } catch (e) {
        findings.push(finding('unreadable', file, '', describeIoError(e, 'cannot read the event')));
      }
    }
  }
  inline.forEach((text, i) => {
    const name = `--event #${i + 1}`;
    texts.set(name, text);
    const parsed = parseJsonText(text, name);
    if (!parsed.ok) findings.push(parsed.finding);
    else if (Buffer.byteLength(text) > MAX_PAYLOAD)
      findings.push(finding('too-large', name, '', `the event is larger than Lambda's ${MAX_PAYLOAD} bytes`));
    else events.push({ name, body: text });
  });
  return { events, findings, texts };
}

/** Splits a command line into argv the way a POSIX shell would, without running a shell. */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < cmd.length && '"\\$`'.includes(cmd[i + 1]!)) cur += cmd[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in the command`);
  if (started) out.push(cur);
  return out;
}
