/**
 * JSON text → value, with findings that say where and what went wrong, and the way back from
 * a JSON pointer to `line:col` for rendering. `JSON.parse` does the work on good input; the
 * slower jsonc-parser scanner runs only to explain bad input or to place a finding.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { finding, pointerTokens, type Finding } from './findings.js';

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; finding: Finding };

const EXPECTED: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a JSON value',
  InvalidNumberFormat: 'a number',
  PropertyNameExpected: 'a property name in double quotes',
  ValueExpected: 'a value',
  ColonExpected: "':'",
  CommaExpected: "',' or a closing bracket",
  CloseBraceExpected: "'}'",
  CloseBracketExpected: "']'",
  EndOfFileExpected: 'the end of the file',
  InvalidCommentToken: 'no comment',
  UnexpectedEndOfComment: "'*/' to end the comment",
  UnexpectedEndOfString: "'\"' to end the string",
  UnexpectedEndOfNumber: 'more digits',
  InvalidUnicode: 'a \\uXXXX escape',
  InvalidEscapeCharacter: 'a valid escape',
  InvalidCharacter: 'a printable character (control characters must be escaped)',
};

function describeFound(text: string, offset: number, length: number): string {
  if (offset >= text.length) return 'the end of the file';
  const token = text.slice(offset, offset + Math.max(1, Math.min(length, 24)));
  const printable = JSON.stringify(token);
  return length > 24 ? `${printable}…` : printable;
}

/**
 * Parses JSON text. `allowComments` is for the user-edited `.jsonc` files (comments and
 * trailing commas allowed); metadata `.json` files must be plain JSON, as native-image reads them.
 */
export function parseJsonText(text: string, file: string, allowComments = false): JsonParseResult {
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      ok: false,
      finding: finding('json-bom', file, '', 'found a UTF-8 byte order mark at the start; expected the JSON value to start right away (save the file as UTF-8 without BOM)', 0),
    };
  }
  if (!allowComments) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      if (e instanceof RangeError) return { ok: false, finding: finding('json-syntax', file, '', 'the JSON is nested too deeply to read', 0) };
      // fall through to the scanner, which says where and why
    }
  }
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJsonc(text, errors, { disallowComments: !allowComments, allowTrailingComma: allowComments, allowEmptyContent: false });
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, finding: finding('json-syntax', file, '', 'the JSON is nested too deeply to read', 0) };
    throw e;
  }
  const first = errors[0];
  if (first === undefined) {
    if (allowComments) return { ok: true, value };
    // JSON.parse refused what the scanner accepts (e.g. a lone surrogate): still report it.
    return { ok: false, finding: finding('json-syntax', file, '', 'the file is not valid JSON', 0) };
  }
  const codeName = printParseErrorCode(first.error);
  if (codeName === 'InvalidCommentToken') {
    return {
      ok: false,
      finding: finding('json-comment', file, '', 'found a comment; expected plain JSON (native-image does not accept comments in metadata files)', first.offset),
    };
  }
  const expected = EXPECTED[codeName] ?? 'valid JSON';
  const found = describeFound(text, first.offset, first.length);
  return { ok: false, finding: finding('json-syntax', file, '', `expected ${expected}, found ${found}`, first.offset) };
}

/** Resolves finding positions in one file's text; builds its syntax tree only when first asked. */
export class TextLocator {
  private lineStarts: number[] | undefined;
  private tree: Node | undefined | null = null;

  constructor(private readonly text: string) {}

  /** 1-based line and column of a character offset. */
  lineCol(offset: number): { line: number; col: number } {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  /** Offset of the value (or, for object members, the key) a JSON pointer names; the nearest existing ancestor otherwise. */
  offsetOf(pointer: string): number {
    if (this.tree === null) {
      try {
        this.tree = parseTree(this.text, [], { allowTrailingComma: true }) ?? undefined;
      } catch (e) {
        // The tree builder recurses; text nested deeper than the stack is placed at its start.
        if (!(e instanceof RangeError)) throw e;
        this.tree = undefined;
      }
    }
    const root = this.tree;
    if (root === undefined) return 0;
    const tokens = pointerTokens(pointer);
    for (let n = tokens.length; n >= 0; n--) {
      const path = pathFor(root, tokens.slice(0, n));
      const node = path && findNodeAtLocation(root, path);
      if (node) return node.parent?.type === 'property' ? node.parent.offset : node.offset;
    }
    return 0;
  }

  position(f: Finding): { line: number; col: number } {
    return this.lineCol(f.offset ?? this.offsetOf(f.jsonPointer));
  }
}

function pathFor(root: Node, tokens: readonly string[]): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  let node: Node | undefined = root;
  for (const t of tokens) {
    if (node === undefined) return undefined;
    if (node.type === 'array') {
      const i = Number(t);
      if (!Number.isInteger(i)) return undefined;
      path.push(i);
      node = node.children?.[i];
    } else {
      path.push(t);
      node = node.children?.find((p) => p.children?.[0]?.value === t)?.children?.[1];
    }
  }
  return path;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
