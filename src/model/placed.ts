/**
 * Findings placed at line and column: the form every `--json` output and every text line shows.
 * Positions are worked out from each file's text, and only for the findings that are shown.
 */
import type { Finding, Severity } from './findings.js';
import { TextLocator } from './json-text.js';

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

/** Places findings in the files whose texts it holds (1:1 for a file it has no text of). */
export class Positions {
  private readonly locators = new Map<string, TextLocator>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  /** Line and column of a finding. */
  of(f: Finding): { line: number; col: number } {
    const text = this.texts.get(f.file);
    if (text === undefined) return { line: 1, col: 1 };
    let loc = this.locators.get(f.file);
    if (loc === undefined) this.locators.set(f.file, (loc = new TextLocator(text)));
    return loc.position(f);
  }
}

/** A finding as `--json` shows it. */
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

/** Placed and sorted for reading: by file, then position, then severity. */
export function placeFindings(findings: readonly Finding[], texts: ReadonlyMap<string, string>): FindingJson[] {
  const positions = new Positions(texts);
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
