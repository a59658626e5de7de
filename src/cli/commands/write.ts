/** `write`: flags, mapping and rendering. */
import type { WriteOptions, WriteResult } from '../../commands/write.js';
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
  return lines;
}

export const write = command({
  summary: 'write META-INF/native-image/<group>/<artifact>/ with a native-image.properties',
  description:
    'Writes the metadata into META-INF/native-image/<group>/<artifact>/ under the resource root, with a native-image.properties whose Args come from ni-config.jsonc (existing hand-written lines, other keys and ${.} references are kept). The set of files is replaced as a whole: an interruption leaves the old set or the new one. Files an earlier write made that the new format no longer has are removed; other files only with --force.',
  args: { spec: '[paths...]', help: 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc' },
  flags: {
    group: { type: 'string', flags: '--group <group>', help: 'groupId (one directory name)' },
    artifact: { type: 'string', flags: '--artifact <artifact>', help: 'artifactId (one directory name)' },
    root: { type: 'string', flags: '--root <dir>', help: 'resource root (default: src/main/resources)' },
    format: formatFlag,
    check: {
      type: 'boolean',
      flags: '--check',
      help: 'write nothing; exit 1 with a summary when the files on disk differ from what would be written',
    },
    force: {
      type: 'boolean',
      flags: '--force',
      help: 'also remove metadata files in the directory that ni-config did not write',
    },
    dryRun: { type: 'boolean', flags: '--dry-run', help: 'say what would change, write nothing' },
  },
  examples: [
    'ni-config write pruned/ --group com.example --artifact my-fn',
    'ni-config write pruned/ --check   # in CI: exit 1 when the committed files are out of date',
  ],
  exitCodes:
    '0 written (or up to date), 1 --check found differences, 2 unreadable input, bad coordinates or unwritable target',
  options: (paths, f, g): WriteOptions => ({ paths, config: g.config, ...f }),
  run: async (o, deps) => (await import('../../commands/write.js')).runWrite(o, deps),
  render: async (r: WriteResult, _o, { ctx, json }: Output) => {
    if (json) await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    else await writeOut(ctx.stderr, writeLines(r).join('\n') + '\n');
    return r.check && !r.upToDate ? EXIT.findings : EXIT.ok;
  },
});
