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
  private index: PointerIndex | undefined;

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
    return (this.index ??= new PointerIndex(this.text)).locate(pointerTokens(pointer));
  }

  position(f: Finding): { line: number; col: number } {
    return this.lineCol(f.offset ?? this.offsetOf(f.jsonPointer));
  }
}

let lastIndex: PointerIndex | undefined;

/**
 * Finds where a JSON pointer points in JSON text. Returns the offset of the member key (for
 * object members) or of the array element; when the path does not exist, the offset of the
 * deepest part of it that does. Asked again about the same text, it goes on from what it
 * learnt (see {@link PointerIndex}).
 */
export function locatePointer(text: string, tokens: readonly string[]): number {
  if (lastIndex === undefined || lastIndex.text !== text) lastIndex = new PointerIndex(text);
  return lastIndex.locate(tokens);
}

/** One object or array of the text, read as far as a lookup needed and no further. */
interface Container {
  readonly isArray: boolean;
  /** Arrays: the offset of each element read so far. */
  readonly elements: number[];
  /** Objects: each key read so far (the first of repeated keys) → the offsets of the key and of its value. */
  readonly members: Map<string, readonly [number, number]>;
  /** Where reading goes on: the value of the last child read (not yet skipped), or after the opening bracket. */
  pos: number;
  skipPending: boolean;
  done: boolean;
}

/**
 * JSON pointers → offsets in one text, with no tree built and no recursion. Each container on a
 * path is read lazily, child by child, only as far as the lookup needs, and what was read is
 * kept: the many findings of one large file (hundreds in a 10,000-line file) cost about one
 * scan of it, not one scan each.
 */
export class PointerIndex {
  private readonly containers = new Map<number, Container>();

  constructor(readonly text: string) {}

  locate(tokens: readonly string[]): number {
    const text = this.text;
    let at = skipSpace(text, 0);
    let best = at;
    for (const token of tokens) {
      const c = text.charCodeAt(at);
      if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return best;
      let box = this.containers.get(at);
      if (box === undefined) {
        box = { isArray: c === 0x5b, elements: [], members: new Map(), pos: at + 1, skipPending: false, done: false };
        this.containers.set(at, box);
      }
      if (box.isArray) {
        if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return best;
        const i = Number(token);
        while (box.elements.length <= i && this.next(box));
        const element = box.elements[i];
        if (element === undefined) return best;
        best = at = element;
      } else {
        while (!box.members.has(token) && this.next(box));
        const member = box.members.get(token);
        if (member === undefined) return best;
        [best, at] = member;
      }
    }
    return best;
  }

  /** Reads the next child of a container; false when it has no more. */
  private next(box: Container): boolean {
    if (box.done) return false;
    const text = this.text;
    let i = box.skipPending ? skipValue(text, box.pos) : box.pos;
    i = skipSpace(text, i);
    let c = text.charCodeAt(i);
    if (c === 0x2c /* , */) {
      i = skipSpace(text, i + 1);
      c = text.charCodeAt(i);
    }
    if (c === 0x5d /* ] */ || c === 0x7d /* } */ || Number.isNaN(c) || (!box.isArray && c !== 0x22)) {
      box.done = true;
      return false;
    }
    if (box.isArray) {
      box.elements.push(i);
      box.pos = i;
    } else {
      const end = stringEnd(text, i);
      const raw = text.slice(i + 1, end);
      let key = raw;
      if (raw.includes('\\')) {
        try {
          key = JSON.parse(`"${raw}"`) as string;
        } catch {
          // a key with a broken escape is matched as written
        }
      }
      let v = skipSpace(text, end + 1);
      if (text.charCodeAt(v) === 0x3a /* : */) v = skipSpace(text, v + 1);
      if (!box.members.has(key)) box.members.set(key, [i, v]);
      box.pos = v;
    }
    box.skipPending = true;
    return true;
  }
}

/**
 * A JSON text read a chunk at a time: the part of it still needed and where that starts in the
 * whole. Offsets are in the whole text. A chunk that cannot be read ends the text early
 * (`failed`): what was scanned then cannot be the whole document.
 */
class ChunkWindow {
  text = '';
  base = 0;
  ended = false;
  failed = false;
  private readonly source: Iterator<string>;

  constructor(chunks: Iterable<string>) {
    this.source = chunks[Symbol.iterator]();
  }

  /** Reads the next chunk, dropping the text before `keep`; false at the end. */
  more(keep: number): boolean {
    if (this.ended) return false;
    let next: IteratorResult<string>;
    try {
      next = this.source.next();
    } catch {
      this.failed = true;
      next = { done: true, value: undefined };
    }
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.text = this.text.slice(keep - this.base) + next.value;
    this.base = keep;
    return true;
  }

  /** Lets go of the chunks not read (a file's, closed). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.source.return?.();
    } catch {
      // a chunk source that cannot let go has nothing more to give
    }
  }

  charAt(at: number): number {
    return this.text.charCodeAt(at - this.base);
  }

  slice(from: number, to: number): string {
    return this.text.slice(from - this.base, to - this.base);
  }

  /** The offset of the first character from `at` that is no white space, reading on as needed (keeping the text from `keep`). */
  white(at: number, keep: number): number {
    for (;;) {
      const i = skipWhite(this.text, at - this.base);
      const end = this.base + i;
      if (i < this.text.length || !this.more(keep)) return end;
      at = end;
    }
  }

  /**
   * The offset of the first `pattern` that starts from `from` and before `limit`, reading on as
   * needed (keeping the text from `keep`); -1 when there is none.
   */
  find(pattern: string, from: number, limit: number, keep: number): number {
    for (;;) {
      const i = this.text.indexOf(pattern, from - this.base);
      if (i >= 0) return this.base + i < limit ? this.base + i : -1;
      // none in what is read: one may start in its last characters and go on in the next chunk
      from = Math.max(from, this.base + this.text.length - pattern.length + 1);
      if (from >= limit || !this.more(keep)) return -1;
    }
  }

  /** The offset just after the value at `at`, reading on until it is complete (keeping the text from `keep`). */
  valueEnd(at: number, keep: number): number {
    for (;;) {
      const i = skipValue(this.text, at - this.base);
      // a value that reaches the end of what is read may go on in the next chunk
      if (i < this.text.length) return this.base + i;
      const end = this.base + i;
      if (!this.more(keep)) return end;
    }
  }
}

/** What {@link documentRuns} found besides the runs. */
export interface DocumentRest {
  /** The members of the top-level object other than the split one, as `"key":value` texts. */
  readonly members: readonly string[];
  /** Whether the split member was there (an array). */
  readonly split: boolean;
  /** How many runs the native look-up cut (see arrayRunsOf); the others were found by skipping over each element. */
  readonly lookedUp: number;
}

/**
 * A JSON document scanned a chunk at a time, without its whole text in memory or its whole tree
 * built: the elements of its main list (the top-level array, or the array of the top-level
 * object's member `key`) go to `onRun` parsed, in runs of about `size` characters of text, and
 * the object's other members come back as text, each named to `onMember` as it is found.
 * Undefined when the text is no such document as far as the scan can tell (the scan is no
 * validator: a caller still parses the members it takes out), when a run does not parse, when a
 * member is there twice, when a chunk could not be read, or when `onRun` or `onMember` says
 * false. The chunks are let go of however the scan ends.
 */
export function documentRuns(
  chunks: Iterable<string>,
  key: string | undefined,
  size: number,
  onRun: (items: unknown[]) => boolean,
  onMember: (name: string) => boolean = () => true,
): DocumentRest | undefined {
  const w = new ChunkWindow(chunks);
  try {
    return scanDocument(w, key, size, onRun, onMember);
  } finally {
    w.close();
  }
}

function scanDocument(
  w: ChunkWindow,
  key: string | undefined,
  size: number,
  onRun: (items: unknown[]) => boolean,
  onMember: (name: string) => boolean,
): DocumentRest | undefined {
  let i = w.white(0, 0);
  const members: string[] = [];
  let split = false;
  const counts = { lookedUp: 0 };
  if (key === undefined) {
    if (w.charAt(i) !== 0x5b) return undefined;
    const end = arrayRunsOf(w, i, size, onRun, counts);
    if (end === undefined) return undefined;
    i = end;
  } else {
    if (w.charAt(i) !== 0x7b) return undefined;
    const seen = new Set<string>();
    i = w.white(i + 1, i);
    if (w.charAt(i) === 0x7d) i++;
    else
      for (;;) {
        const start = i;
        if (w.charAt(i) !== 0x22) return undefined;
        const keyEnd = w.valueEnd(i, start);
        let name: string;
        try {
          name = JSON.parse(w.slice(i, keyEnd)) as string;
        } catch {
          return undefined;
        }
        if (seen.has(name) || (name !== key && !onMember(name))) return undefined;
        seen.add(name);
        i = w.white(keyEnd, start);
        if (w.charAt(i) !== 0x3a) return undefined;
        i = w.white(i + 1, start);
        if (name === key) {
          if (w.charAt(i) !== 0x5b) return undefined;
          const end = arrayRunsOf(w, i, size, onRun, counts);
          if (end === undefined) return undefined;
          split = true;
          i = end;
        } else {
          const end = w.valueEnd(i, start);
          if (end === i) return undefined;
          members.push(`${JSON.stringify(name)}:${w.slice(i, end)}`);
          i = end;
        }
        i = w.white(i, i);
        const c = w.charAt(i);
        if (c === 0x7d) {
          i++;
          break;
        }
        if (c !== 0x2c) return undefined;
        i = w.white(i + 1, i + 1);
      }
  }
  // nothing but white space after it, and every chunk read
  i = w.white(i, i);
  if (!Number.isNaN(w.charAt(i)) || w.failed) return undefined;
  return { members, split, lookedUp: counts.lookedUp };
}

/** A run of elements parsed, as a list; undefined when it is not one. */
function parseRun(run: string): unknown[] | undefined {
  try {
    return JSON.parse(`[${run}]`) as unknown[];
  } catch {
    // a syntax error, or nesting too deep for the parser
    return undefined;
  }
}

/**
 * The elements of the array at `at` to `onRun`, parsed, in runs of about `size` characters; the
 * offset after the array.
 *
 * Each element is skipped over character by character to find where a run may end, unless the
 * list is printed with a line break between its elements. Then the text between the first two
 * (the line's indent before the closing brace, the brace, the comma and line break, the opening
 * brace) is looked for, natively, from `size` characters into each run, and the run is cut after
 * the brace it finds: no JSON string holds a raw line break, so only a boundary of elements or a
 * nested object printed with the same indent looks like that. Only the parse can tell, and it
 * does: the text from a boundary up to a closing brace parses as a list only when that brace
 * closes an element of this one (inside a string or deeper in an element, a string or an
 * object is left open). A run that does not parse is scanned the first way, and so is the rest
 * of the list, so that a list the look-up misleads costs one parse more, not one per run.
 * `counts.lookedUp` counts the runs the look-up cut.
 */
function arrayRunsOf(
  w: ChunkWindow,
  at: number,
  size: number,
  onRun: (items: unknown[]) => boolean,
  counts: { lookedUp: number },
): number | undefined {
  let i = w.white(at + 1, at);
  if (w.charAt(i) === 0x5d) return i + 1;
  let runStart = i;
  // the text between two elements, once the first two showed it, and where in it the first one ends
  let boundary: string | undefined;
  let closeEnd = 0;
  let first = true;
  // whether the run that starts at runStart is still to be looked for its end (once per run)
  let look = false;
  for (;;) {
    if (look && boundary !== undefined) {
      look = false;
      const b = w.find(boundary, runStart + size, runStart + 2 * size, runStart);
      if (b >= 0) {
        const items = parseRun(w.slice(runStart, b + closeEnd));
        if (items !== undefined) {
          if (!onRun(items)) return undefined;
          counts.lookedUp++;
          // the next run starts at the next element's opening brace
          runStart = b + boundary.length - 1;
          i = runStart;
          look = true;
          continue;
        }
        boundary = undefined;
      }
    }
    const end = w.valueEnd(i, runStart);
    if (end === i) return undefined;
    const j = w.white(end, runStart);
    const c = w.charAt(j);
    if (c === 0x5d) {
      const items = parseRun(w.slice(runStart, j));
      return items !== undefined && onRun(items) ? j + 1 : undefined;
    }
    if (c !== 0x2c) return undefined;
    const next = w.white(j + 1, runStart);
    if (first) {
      first = false;
      boundary = boundaryOf(w, i, end, next);
      if (boundary !== undefined) closeEnd = boundary.indexOf('}') + 1;
      look = true;
    }
    if (j - runStart >= size) {
      const items = parseRun(w.slice(runStart, j));
      if (items === undefined || !onRun(items)) return undefined;
      runStart = j + 1;
      look = true;
    }
    i = next;
  }
}

/**
 * The text from the line break before an element's closing brace to the next element's opening
 * brace, when both are objects and a line break is between them; undefined otherwise.
 */
function boundaryOf(w: ChunkWindow, start: number, end: number, next: number): string | undefined {
  if (w.charAt(start) !== 0x7b || w.charAt(end - 1) !== 0x7d || w.charAt(next) !== 0x7b) return undefined;
  const gap = w.slice(end, next);
  if (!gap.includes('\n')) return undefined;
  // the closing brace's own line: its indent, from the line break before it, if only white space is there
  let k = end - 2;
  while (k > start && (w.charAt(k) === 0x20 || w.charAt(k) === 0x09)) k--;
  const indent = w.charAt(k) === 0x0a ? w.slice(k, end - 1) : '';
  return `${indent}}${gap}{`;
}

/** Skips JSON white space only (no comments: a metadata file with one must fail to parse, not be split around it). */
function skipWhite(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The offset just after the JSON value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i) + 1;
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let k = i; k < text.length; k++) {
      const d = text.charCodeAt(k);
      if (d === 0x22) k = stringEnd(text, k);
      else if (d === 0x2f) k = Math.max(k, commentEnd(text, k) - 1);
      else if (d === 0x7b || d === 0x5b) depth++;
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return k + 1;
    }
    return text.length;
  }
  let k = i;
  while (k < text.length) {
    const d = text.charCodeAt(k);
    if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    k++;
  }
  return k;
}

/** The offset of the quote that closes the string opening at `start` (the text's length when none does). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    // a quote after an odd number of backslashes is part of the string
    let b = q - 1;
    while (b > start && text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

/** Skips white space, and the comments of the user-edited `.jsonc` files. */
function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2f /* / */) {
      const end = commentEnd(text, i);
      if (end === i) break;
      i = end;
      continue;
    }
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The offset after a `//` or `/* *\/` comment at `i`; `i` itself when none starts there. */
function commentEnd(text: string, i: number): number {
  const next = text.charCodeAt(i + 1);
  if (next === 0x2f) {
    const nl = text.indexOf('\n', i + 2);
    return nl < 0 ? text.length : nl + 1;
  }
  if (next === 0x2a) {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  return i;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
