/**
 * `native-image.properties`: the `Args` line ni-config writes, merged into an existing file so
 * that hand-written lines, other keys and `${.}` references stay.
 */

export const MANIFEST_PREFIX = '# ni-config files:';
/** The Args options the last write put there: options not among them are hand-written and kept. */
export const ARGS_PREFIX = '# ni-config args:';
const HEADER = '# Written by `ni-config write`. Hand-written lines and other keys are kept; Args options are merged.';

interface Logical {
  /** Physical lines this logical line spans (continuations joined). */
  readonly raw: string[];
  readonly key: string | undefined;
  readonly value: string;
}

/** Splits a properties text into logical lines, following `\` continuations. */
function logicalLines(text: string): Logical[] {
  const physical = text.replace(/\r\n?/g, '\n').split('\n');
  if (physical.at(-1) === '') physical.pop();
  const out: Logical[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = [physical[i]!];
    const first = physical[i]!.trimStart();
    if (first === '' || first.startsWith('#') || first.startsWith('!')) {
      out.push({ raw, key: undefined, value: '' });
      continue;
    }
    let joined = physical[i]!;
    while (endsWithContinuation(joined) && i + 1 < physical.length) {
      i++;
      raw.push(physical[i]!);
      joined = joined.slice(0, -1) + physical[i]!.trimStart();
    }
    const m = /^\s*((?:\\.|[^\s:=\\])+)\s*[:=]?\s*(.*)$/.exec(joined);
    out.push({ raw, key: m?.[1], value: m?.[2] ?? '' });
  }
  return out;
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

export interface ExistingProperties {
  /** Args options, in order. */
  readonly args: readonly string[];
  /** Files the previous `ni-config write` wrote, from its manifest comment. */
  readonly managedFiles: readonly string[];
  /** Args options the previous `ni-config write` wrote. */
  readonly managedArgs: readonly string[];
}

/** What ni-config wrote into an existing native-image.properties, and the rest of it. */
export function readProperties(text: string): ExistingProperties {
  const lines = logicalLines(text);
  const args = lines.filter((l) => l.key === 'Args').flatMap((l) => l.value.split(/\s+/).filter((t) => t !== ''));
  const manifest = lines.find((l) => l.raw[0]!.startsWith(MANIFEST_PREFIX));
  const managedFiles = manifest
    ? manifest.raw[0]!.slice(MANIFEST_PREFIX.length)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
  const argsLine = lines.find((l) => l.raw[0]!.startsWith(ARGS_PREFIX));
  let managedArgs: string[] = [];
  try {
    const parsed: unknown = argsLine ? JSON.parse(argsLine.raw[0]!.slice(ARGS_PREFIX.length)) : [];
    if (Array.isArray(parsed)) managedArgs = parsed.filter((a): a is string => typeof a === 'string');
  } catch {
    // a hand-edited manifest line: treat every option as hand-written
  }
  return { args, managedFiles, managedArgs };
}

/**
 * The new properties text: configured Args first, then existing options not among them (a
 * `${.}/file` reference to a metadata file that is no longer written is dropped), one option
 * per continued line; every other line of the existing file kept as it was.
 */
export function renderProperties(
  existing: string | undefined,
  args: readonly string[],
  files: readonly string[],
  removedFiles: readonly string[],
): string {
  const lines = existing === undefined ? [] : logicalLines(existing);
  const previous = existing === undefined ? undefined : readProperties(existing);
  // options an earlier write put there and the configuration no longer has go; hand-written ones stay
  const old =
    previous === undefined ? [] : previous.args.filter((a) => args.includes(a) || !previous.managedArgs.includes(a));
  const dropped = new Set(removedFiles.map((f) => `\${.}/${f}`));
  const merged: string[] = [];
  for (const a of [...args, ...old]) {
    if (merged.includes(a)) continue;
    const ref = /\$\{\.\}\/[^,\s]+/.exec(a)?.[0];
    if (ref !== undefined && dropped.has(ref)) continue;
    merged.push(a);
  }
  const out: string[] = [HEADER, `${MANIFEST_PREFIX} ${files.join(', ')}`, `${ARGS_PREFIX} ${JSON.stringify(args)}`];
  let argsWritten = false;
  const argsBlock =
    merged.length === 0
      ? []
      : merged.map((a, i) => (i === 0 ? `Args = ${a}` : `       ${a}`) + (i < merged.length - 1 ? ' \\' : ''));
  for (const l of lines) {
    if (l.raw[0] === HEADER || l.raw[0]!.startsWith(MANIFEST_PREFIX) || l.raw[0]!.startsWith(ARGS_PREFIX)) continue;
    if (l.key === 'Args') {
      if (!argsWritten) out.push(...argsBlock);
      argsWritten = true;
      continue;
    }
    out.push(...l.raw);
  }
  if (!argsWritten) out.push(...argsBlock);
  return out.join('\n') + '\n';
}

// -- reading native-image.properties with positions, and editing its Args in place ------------

/** One whitespace-separated value of a key, unescaped, with where it is in the text. */
export interface PropertiesToken {
  /** The value as native-image reads it (escapes resolved). */
  readonly text: string;
  /** Offsets of its first character and one past its last in the original text. */
  readonly start: number;
  readonly end: number;
}

/** One key of a properties text: the physical lines it spans and its value's tokens. */
export interface PropertiesEntry {
  readonly key: string;
  /** Offset of the key in the text. */
  readonly offset: number;
  /** Index of the first and last physical line (0-based). */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly tokens: readonly PropertiesToken[];
}

export interface PropertiesText {
  /** Physical lines, without their terminators. */
  readonly lines: readonly string[];
  /** Offset of each physical line's first character. */
  readonly lineStarts: readonly number[];
  readonly eol: string;
  /** Whether the text ended with a line terminator. */
  readonly finalEol: boolean;
  readonly entries: readonly PropertiesEntry[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/**
 * Reads a properties text as java.util.Properties does (comments, `\` continuations whose next
 * line's leading blanks are skipped, `=`, `:` or blank after the key, `\uXXXX` and `\x`
 * escapes), keeping the offset of every value character, and splits each value at blanks the way
 * native-image splits `Args`.
 */
export function parsePropertiesText(text: string): PropertiesText {
  const eol = /\r\n/.test(text) ? '\r\n' : text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
  const lines: string[] = [];
  const lineStarts: number[] = [];
  const re = /\r\n|\r|\n/g;
  let at = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    lines.push(text.slice(at, m.index));
    lineStarts.push(at);
    at = m.index + m[0].length;
  }
  const finalEol = at === text.length && text.length > 0;
  if (!finalEol || text.length === 0) {
    lines.push(text.slice(at));
    lineStarts.push(at);
  }
  if (finalEol && lines.length === 0) {
    lines.push('');
    lineStarts.push(0);
  }
  const entries: PropertiesEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    const lead = first.length - first.trimStart().length;
    if (lead === first.length || first[lead] === '#' || first[lead] === '!') continue;
    // the logical line as (character, offset) pairs, continuations joined
    const chars: { c: string; at: number }[] = [];
    const firstLine = i;
    let line = first;
    let from = lead;
    for (;;) {
      const continued = endsWithContinuation(line);
      const stop = continued ? line.length - 1 : line.length;
      for (let k = from; k < stop; k++) chars.push({ c: line[k]!, at: lineStarts[i]! + k });
      if (!continued || i + 1 >= lines.length) break;
      i++;
      line = lines[i]!;
      from = line.length - line.trimStart().length;
    }
    entries.push(entryOf(chars, firstLine, i));
  }
  return { lines, lineStarts, eol, finalEol, entries };
}

function entryOf(chars: readonly { c: string; at: number }[], firstLine: number, lastLine: number): PropertiesEntry {
  let k = 0;
  let key = '';
  while (k < chars.length) {
    const c = chars[k]!.c;
    if (c === '\\' && k + 1 < chars.length) {
      key += chars[k + 1]!.c;
      k += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    key += c;
    k++;
  }
  while (k < chars.length && /[ \t\f]/.test(chars[k]!.c)) k++;
  if (k < chars.length && (chars[k]!.c === '=' || chars[k]!.c === ':')) k++;
  while (k < chars.length && /[ \t\f]/.test(chars[k]!.c)) k++;
  // unescape, keeping each value character's offset
  const value: { c: string; at: number; end: number }[] = [];
  while (k < chars.length) {
    const { c, at } = chars[k]!;
    if (c === '\\' && k + 1 < chars.length) {
      const n = chars[k + 1]!.c;
      if (n === 'u' && k + 5 < chars.length) {
        const hex = chars
          .slice(k + 2, k + 6)
          .map((x) => x.c)
          .join('');
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          value.push({ c: String.fromCharCode(parseInt(hex, 16)), at, end: chars[k + 5]!.at + 1 });
          k += 6;
          continue;
        }
      }
      value.push({ c: SIMPLE_ESCAPES[n] ?? n, at, end: chars[k + 1]!.at + 1 });
      k += 2;
      continue;
    }
    value.push({ c, at, end: at + 1 });
    k++;
  }
  const tokens: PropertiesToken[] = [];
  let current: { text: string; start: number; end: number } | undefined;
  for (const v of value) {
    if (/\s/.test(v.c)) {
      if (current) tokens.push(current);
      current = undefined;
    } else if (current) {
      current.text += v.c;
      current.end = v.end;
    } else current = { text: v.c, start: v.at, end: v.end };
  }
  if (current) tokens.push(current);
  return { key, offset: chars[0]?.at ?? 0, firstLine, lastLine, tokens };
}

/** A properties value written so that java.util.Properties reads it back as `text`. */
function escapeValue(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

/**
 * The text with some `Args` tokens replaced or removed, every other character kept: a token's
 * replacement goes where it was (several tokens joined by a blank), a removed token takes its
 * blank with it, a continued line left without tokens goes, and the `\` continuations are put
 * right again. `edits` maps a token's start offset to its replacement (`[]` removes it).
 */
export function editArgs(text: string, edits: ReadonlyMap<number, readonly string[]>): string {
  if (edits.size === 0) return text;
  const parsed = parsePropertiesText(text);
  const lines = [...parsed.lines];
  const drop = new Set<number>();
  for (const entry of parsed.entries) {
    if (entry.key !== 'Args' || !entry.tokens.some((t) => edits.has(t.start))) continue;
    const lineOf = (offset: number): number => {
      let l = entry.firstLine;
      while (l < entry.lastLine && parsed.lineStarts[l + 1]! <= offset) l++;
      return l;
    };
    const spans = entry.tokens.some((t) => lineOf(t.start) !== lineOf(t.end - 1));
    const kept = entry.tokens.flatMap((t) => edits.get(t.start) ?? [t.text]);
    if (spans) {
      // a token continued over a line break: write the entry again, one token per line
      const block = kept.map((t, n) => (n === 0 ? `Args = ${escapeValue(t)}` : `       ${escapeValue(t)}`));
      for (let l = entry.firstLine; l <= entry.lastLine; l++) drop.add(l);
      if (block.length > 0) {
        drop.delete(entry.firstLine);
        lines[entry.firstLine] = block.map((b, n) => (n < block.length - 1 ? `${b} \\` : b)).join(parsed.eol);
      }
      continue;
    }
    const bodies: { line: number; tokens: string[] }[] = [];
    for (let l = entry.firstLine; l <= entry.lastLine; l++) {
      const start = parsed.lineStarts[l]!;
      let body = lines[l]!;
      if (endsWithContinuation(body)) body = body.slice(0, -1);
      const onLine = entry.tokens.filter((t) => lineOf(t.start) === l);
      // right to left, so that earlier offsets stay valid
      for (const t of [...onLine].reverse()) {
        const replacement = edits.get(t.start);
        if (replacement === undefined) continue;
        const a = t.start - start;
        const b = t.end - start;
        if (replacement.length > 0) body = body.slice(0, a) + replacement.map(escapeValue).join(' ') + body.slice(b);
        else {
          const after = /^[ \t\f]*/.exec(body.slice(b))![0].length;
          body = body.slice(0, a) + body.slice(b + after);
        }
      }
      const remaining = onLine.flatMap((t) => edits.get(t.start) ?? [t.text]);
      bodies.push({ line: l, tokens: remaining });
      lines[l] = body.trimEnd();
    }
    if (kept.length === 0) {
      for (let l = entry.firstLine; l <= entry.lastLine; l++) drop.add(l);
      continue;
    }
    // lines left without tokens go; the key's line takes the next line's tokens if it lost its own
    const live = bodies.filter((b) => b.tokens.length > 0 || b.line === entry.firstLine).map((b) => b.line);
    for (const b of bodies) if (!live.includes(b.line)) drop.add(b.line);
    const firstBody = bodies[0]!;
    if (firstBody.tokens.length === 0 && live.length > 1) {
      const next = live[1]!;
      const head = lines[entry.firstLine]!.trimEnd();
      lines[entry.firstLine] =
        `${head}${/[=:]$/.test(head) && !/\s[=:]$/.test(head) ? '' : ' '}${lines[next]!.trimStart()}`;
      drop.add(next);
      live.splice(1, 1);
    }
    live.forEach((l, n) => {
      lines[l] = n < live.length - 1 ? `${lines[l]!.trimEnd()} \\` : lines[l]!.trimEnd();
    });
  }
  const out = lines.filter((_, l) => !drop.has(l));
  return out.join(parsed.eol) + (parsed.finalEol && out.length > 0 ? parsed.eol : '');
}
