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
