/** `diff`: flags, mapping and the renderers of its formats. */
import type { DiffJson, DiffOptions } from '../../commands/diff.js';
import { EXIT } from '../../errors.js';
import { command } from '../command.js';
import { DIFF_FORMATS, DIFF_RENDERERS } from '../render/diff.js';
import { styleFor, writeOut } from '../render/text.js';

export const diff = command({
  summary: 'semantic diff for review: text, markdown (PR comment), json, GitHub annotations',
  description:
    'Shows what changed between two config sets, whatever their format and order: per section the types added and removed, flags and members gained and lost, entries moved between conditions, resources and bundles. Changes that broaden access (all* flags, unsafeAllocated, serializable types, broad resource patterns, JNI, proxies, security-sensitive packages) come first, under "needs attention". With --base, reads revisions through git without a checkout; with no arguments, the working tree against HEAD for the "inputs" of ni-config.jsonc.',
  args: { spec: '[paths...]', help: 'OLD NEW (files or directories), or with --base the paths to compare' },
  flags: {
    base: { type: 'string', flags: '--base <rev>', help: 'git revision of the old side' },
    head: { type: 'string', flags: '--head <rev>', help: 'git revision of the new side (default: the working tree)' },
    format: {
      type: 'choice',
      flags: '--format <format>',
      help: 'output format',
      choices: DIFF_FORMATS,
      default: 'text',
    },
    title: { type: 'string', flags: '--title <title>', help: 'heading of the markdown output' },
    exitCode: { type: 'boolean', flags: '--exit-code', help: 'exit 1 when the sets differ, like git diff' },
    stat: { type: 'boolean', flags: '--stat', help: 'only the counts per section' },
  },
  examples: [
    'ni-config diff old/ new/',
    'ni-config diff --base origin/main --format markdown src/main/resources/META-INF/native-image',
  ],
  exitCodes:
    '0 done (with --exit-code: no differences), 1 --exit-code and they differ, 2 unreadable input, unknown revision, path missing at a revision, not a git repository',
  options: (paths, f, g) => {
    const format = g.json ? 'json' : (f.format ?? 'text');
    const o: DiffOptions = { paths, config: g.config, base: f.base, head: f.head, locate: format === 'github' };
    return { ...o, format, title: f.title, exitCode: f.exitCode, stat: f.stat };
  },
  run: async (o, deps) => (await import('../../commands/diff.js')).runDiff(o, deps),
  render: async (r: DiffJson, o, { ctx }) => {
    const title = o.title ?? `ni-config diff: ${r.base} → ${r.head}`;
    const text = DIFF_RENDERERS[o.format].render(r, { style: styleFor(ctx.stdout), stat: o.stat, title, json: r });
    await writeOut(ctx.stdout, text);
    return o.exitCode && r.changes.length > 0 ? EXIT.findings : EXIT.ok;
  },
});
