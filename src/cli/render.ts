/**
 * Renders findings for people (`file:line:col: severity [code] message`) and for machines
 * (the `--json` contract, see {@link FindingJson}). Positions are worked out here, from the
 * text of each file, and only for the findings that are shown.
 */
import { TextLocator } from '../model/json-text.js';
import type { Finding, Severity } from '../model/findings.js';

/** One finding in `--json` output. */
export interface FindingJson {
  readonly code: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly jsonPointer: string;
  readonly message: string;
}

export class Positions {
  private readonly locators = new Map<string, TextLocator>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  of(f: Finding): { line: number; col: number } {
    const text = this.texts.get(f.file);
    if (text === undefined) return { line: 1, col: 1 };
    let loc = this.locators.get(f.file);
    if (loc === undefined) this.locators.set(f.file, (loc = new TextLocator(text)));
    return loc.position(f);
  }
}

export function findingJson(f: Finding, positions: Positions): FindingJson {
  const { line, col } = positions.of(f);
  return {
    code: f.code,
    severity: f.severity,
    file: f.file,
    line,
    col,
    jsonPointer: f.jsonPointer,
    message: f.message,
  };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Sorted for reading: by file, then position, then severity. */
export function sortedFindingJson(findings: readonly Finding[], positions: Positions): FindingJson[] {
  return findings
    .map((f) => findingJson(f, positions))
    .sort((a, b) =>
      a.file < b.file
        ? -1
        : a.file > b.file
          ? 1
          : a.line - b.line || a.col - b.col || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
}

export interface Style {
  readonly color: boolean;
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  return { color: Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb' };
}

const COLORS: Record<Severity, string> = { error: '31', warning: '33', info: '36' };

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

export function findingLine(f: FindingJson, style: Style): string {
  const where = `${printable(f.file)}:${f.line}:${f.col}`;
  const pointer = f.jsonPointer === '' ? '' : ` (at ${printable(f.jsonPointer)})`;
  return `${paint(style, '1', where)}: ${paint(style, COLORS[f.severity], f.severity)} [${f.code}] ${printable(f.message)}${pointer}`;
}

/** GitHub workflow-command escapes: a property value (file, title) and the message. */
export function annotationProperty(text: string): string {
  return annotationData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationData(text: string): string {
  return printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Writes large output through one place; resolves when the stream has taken it. */
export function writeOut(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolvePromise()));
  });
}
