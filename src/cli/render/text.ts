/**
 * Text for people: colour only on a terminal, every untrusted string made printable, findings
 * as `file:line:col: severity [code] message`, GitHub workflow-command escapes, and the one
 * helper every large output goes through.
 */
import type { Severity } from '../../model/findings.js';
import type { FindingJson } from '../../model/placed.js';

export interface Style {
  readonly color: boolean;
}

/** Colour only on a terminal, and never with NO_COLOR or TERM=dumb. */
export function styleFor(stream: { readonly isTTY?: boolean }): Style {
  return { color: Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb' };
}

const COLORS: Record<Severity, string> = { error: '31', warning: '33', info: '36' };

/** `text` in an SGR colour when the style allows it. */
export function paint(style: Style, code: string, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

// Control characters (C0, DEL, C1, line and paragraph separators) and bidi overrides: from a
// class name in someone's pull request they could move the cursor, clear a terminal, break an
// annotation or make text read in another order.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of text with every such character shown as a `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One finding as `file:line:col: severity [code] message (at pointer)`. */
export function findingLine(f: FindingJson, style: Style): string {
  // a finding about the whole file (missing, unreadable, not metadata) has no place in it
  const whole = f.jsonPointer === '' && f.line === 1 && f.col === 1;
  const where = whole ? printable(f.file) : `${printable(f.file)}:${f.line}:${f.col}`;
  const pointer = f.jsonPointer === '' ? '' : ` (at ${printable(f.jsonPointer)})`;
  return `${paint(style, '1', where)}: ${paint(style, COLORS[f.severity], f.severity)} [${f.code}] ${printable(f.message)}${pointer}`;
}

/** GitHub workflow-command escapes: a property value (file, title) and the message. */
export function annotationProperty(text: string): string {
  return annotationData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A GitHub workflow-command message, escaped. */
export function annotationData(text: string): string {
  return printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/**
 * Writes large output through one place; resolves when the stream has taken it. A reader that
 * went away (`| head -1`) is not an error: the rest is dropped.
 */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.write(text, (err) =>
      !err || (err as NodeJS.ErrnoException).code === 'EPIPE' ? resolvePromise() : reject(err),
    );
  });
}

/** `1 file`, `2 files`; `entry` → `entries`. */
export function plural(n: number, noun: string): string {
  if (n === 1) return `${n} ${noun}`;
  return `${n} ${noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}
