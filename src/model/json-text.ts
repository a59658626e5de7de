/**
 * JSON text → value, with findings that say where and what went wrong, and the way back from
 * a JSON pointer to `line:col` for rendering. `JSON.parse` does the work on good input; the
 * slower jsonc-parser scanner runs only to explain bad input or to place a finding.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
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
      finding: finding(
        'json-bom',
        file,
        '',
        'found a UTF-8 byte order mark at the start; expected the JSON value to start right away (save the file as UTF-8 without BOM)',
        0,
      ),
    };
  }
  if (!allowComments) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      if (e instanceof RangeError)
        return { ok: false, finding: finding('json-syntax', file, '', 'the JSON is nested too deeply to read', 0) };
      // fall through to the scanner, which says where and why
    }
  }
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJsonc(text, errors, {
      disallowComments: !allowComments,
      allowTrailingComma: allowComments,
      allowEmptyContent: false,
    });
  } catch (e) {
    if (e instanceof RangeError)
      return { ok: false, finding: finding('json-syntax', file, '', 'the JSON is nested too deeply to read', 0) };
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
      finding: finding(
        'json-comment',
        file,
        '',
        'found a comment; expected plain JSON (native-image does not accept comments in metadata files)',
        first.offset,
      ),
    };
  }
  const expected = EXPECTED[codeName] ?? 'valid JSON';
  const found = describeFound(text, first.offset, first.length);
  return { ok: false, finding: finding('json-syntax', file, '', `expected ${expected}, found ${found}`, first.offset) };
}

/** Resolves finding positions in one file's text. */
export class TextLocator {
  private lineStarts: number[] | undefined;

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
    return locatePointer(this.text, pointerTokens(pointer));
  }

  position(f: Finding): { line: number; col: number } {
    return this.lineCol(f.offset ?? this.offsetOf(f.jsonPointer));
  }
}

/**
 * Finds where a JSON pointer points in JSON text with one forward scan that builds nothing:
 * no tree, no recursion, so large and deeply nested files are cheap to place findings in.
 * Returns the offset of the member key (for object members) or of the array element; when the
 * path does not exist, the offset of the deepest part of it that does.
 */
export function locatePointer(text: string, tokens: readonly string[]): number {
  let best = skipSpace(text, 0);
  if (tokens.length === 0) return best;
  // `matched` = k: the scan is inside the member that tokens[0..k-1] select; the containers
  // on the stack are the ones entered, their depth is their position on the stack (from 1).
  const stack: { array: boolean; index: number }[] = [];
  let matched = 0;
  const select = (at: number): boolean => {
    matched = stack.length;
    best = at;
    return matched === tokens.length;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      // A string in an object followed by ':' is a key.
      if (top && !top.array && matched === stack.length - 1 && text.charCodeAt(skipSpace(text, end + 1)) === 0x3a) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (key === tokens[stack.length - 1] && select(i)) return i;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ array: c === 0x5b, index: 0 });
      if (c === 0x5b && matched === stack.length - 1 && tokens[stack.length - 1] === '0') {
        const at = skipSpace(text, i + 1);
        if (text.charCodeAt(at) !== 0x5d && select(at)) return at;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      // The container on the path ends: what the pointer names further down is not there.
      if (matched >= stack.length - 1) return best;
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (matched === stack.length) return best; // the selected member ended without the rest of the path
      if (top.array) {
        top.index++;
        if (matched === stack.length - 1 && tokens[stack.length - 1] === String(top.index)) {
          const at = skipSpace(text, i + 1);
          if (select(at)) return at;
        }
      }
    }
  }
  return best;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
