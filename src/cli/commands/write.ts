/** `write`: flags, mapping and rendering. */
import type { FixResult, WriteOptions, WriteResult } from '../../commands/write.js';
import { EXIT } from '../../errors.js';
import { command, type Output } from '../command.js';
import { printable, writeOut } from '../render/text.js';
import { formatFlag } from './shared.js';

/** The human report of a layout write (also trace --write's). */
export function writeLines(r: WriteResult): string[] {
  const lines = r.warnings.map((w) => `warning: ${printable(w)}`);
  const changes = r.changes.map((c) => `  ${printable(c)}`);
  if (r.check)
    lines.push(r.upToDate ? `${r.dir} is up to date` : `${r.dir} differs from what would be written:`, ...changes);
  else if (r.upToDate) lines.push(`${r.dir} is up to date`);
  else lines.push(`${r.dryRun ? 'would write' : 'wrote'} ${r.format} metadata to ${r.dir}:`, ...changes);
  if (r.hint) lines.push(`run \`${printable(r.hint)}\` to update them`);
  return lines;
}

/** The human report of write --fix: the summary on stderr (the diff goes to stdout). */
export function fixLines(r: FixResult): string[] {
  const lines = r.warnings.map((w) => `warning: ${printable(w)}`);
  const verb = r.check || r.dryRun ? 'would' : 'did';
  for (const d of r.directories) {
    if (d.changes.length === 0 && d.unfixed.length === 0) {
      lines.push(`${printable(d.properties)}: nothing to fix`);
      continue;
    }
    if (d.changes.length > 0)
      lines.push(
        `${printable(d.properties)}: ${verb === 'did' ? 'fixed' : 'would fix'}:`,
        ...d.changes.map((c) => `  ${printable(c)}`),
      );
    if (d.unfixed.length > 0)
      lines.push(`${printable(d.properties)}: left for you:`, ...d.unfixed.map((c) => `  ${printable(c)}`));
  }
  if (r.hint) lines.push(`run \`${printable(r.hint)}\` to apply the fixes`);
  else if (r.dryRun && !r.upToDate) lines.push('nothing was written (--dry-run)');
  return lines;
}

function isFix(r: WriteResult | FixResult): r is FixResult {
  return 'fix' in r;
}

export const write = command({
  summary: 'write META-INF/native-image/<group>/<artifact>/ with a native-image.properties; --fix repairs one',
  description:
    'Writes the metadata into META-INF/native-image/<group>/<artifact>/ under the resource root, with a native-image.properties whose Args come from ni-config.jsonc (existing hand-written lines, other keys and ${.} references are kept). The set of files is replaced as a whole: an interruption leaves the old set or the new one. Files an earlier write made that the new format no longer has are removed; other files only with --force. With --fix it repairs every native-image.properties below the paths instead, as validate reports them: metadata files wired in under other names get their standard names and their -H:…ConfigurationResources options go, deprecated options with a known replacement are replaced; it prints the diff, and --dry-run or --check write nothing.',
  args: { spec: '[paths...]', help: 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc' },
  flags: {
    group: { type: 'string', flags: '--group <group>', help: 'groupId (one directory name)' },
    artifact: { type: 'string', flags: '--artifact <artifact>', help: 'artifactId (one directory name)' },
    root: { type: 'string', flags: '--root <dir>', help: 'resource root (default: src/main/resources)' },
    format: formatFlag,
    check: {
      type: 'boolean',
      flags: '--check',
      help: 'write nothing; exit 1 with the entries that differ when the files on disk differ from what would be written (with --fix: when something is left to fix)',
    },
    force: {
      type: 'boolean',
      flags: '--force',
      help: 'also remove metadata files in the directory that ni-config did not write',
    },
    dryRun: { type: 'boolean', flags: '--dry-run', help: 'say what would change, write nothing' },
    fix: {
      type: 'boolean',
      flags: '--fix',
      help: 'repair the native-image.properties below the paths (renames, dropped and replaced options); prints a diff',
    },
  },
  examples: [
    'ni-config write pruned/ --group com.example --artifact my-fn',
    'ni-config write --fix --dry-run src/main/resources   # the diff; without --dry-run it is applied',
  ],
  exitCodes:
    '0 written (or up to date), 1 --check found differences (or something to fix), 2 unreadable input, bad coordinates or unwritable target',
  options: (paths, f, g): WriteOptions => {
    const { fix, ...rest } = f;
    return { paths, config: g.config, ...rest, ...(fix ? { fix: true } : {}) };
  },
  run: async (o, deps) => (await import('../../commands/write.js')).runWrite(o, deps),
  render: async (r: WriteResult | FixResult, _o, { ctx, json }: Output) => {
    if (json) await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    else if (isFix(r)) {
      const diff = r.directories.map((d) => d.diff).join('');
      if (diff !== '') await writeOut(ctx.stdout, diff);
      await writeOut(ctx.stderr, fixLines(r).join('\n') + '\n');
    } else await writeOut(ctx.stderr, writeLines(r).join('\n') + '\n');
    return r.check && !r.upToDate ? EXIT.findings : EXIT.ok;
  },
});
