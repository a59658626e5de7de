/** `validate`: flags, mapping and rendering. */
import type { ValidateOptions, ValidateResult } from '../../commands/validate.js';
import { EXIT } from '../../errors.js';
import { command } from '../command.js';
import { annotationData, annotationProperty, findingLine, plural, styleFor, writeOut } from '../render/text.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

export const validate = command({
  summary: 'check metadata against the JSON Schemas and for semantic mistakes',
  description:
    'Checks metadata files against the JSON Schemas and for mistakes native-image does not catch: malformed class names, duplicates, hidden-class conditions, bad regexes, wrong condition keys, empty proxies, ignored keys. Findings print as file:line:col with a JSON pointer.',
  args: {
    spec: '[paths...]',
    help: 'files or directories (searched recursively); - reads stdin; default: "inputs" of ni-config.jsonc',
  },
  flags: {
    strict: { type: 'boolean', flags: '--strict', help: 'warnings fail too' },
    format: {
      type: 'choice',
      flags: '--format <format>',
      help: 'text lines, or GitHub workflow-command annotations',
      choices: ['text', 'github'],
      default: 'text',
    },
  },
  examples: [
    'ni-config validate src/main/resources/META-INF/native-image',
    'ni-config validate --strict --json reachability-metadata.json',
  ],
  exitCodes: '0 valid, 1 errors (or warnings with --strict), 2 unreadable input or bad usage',
  options: (paths, f, g): ValidateOptions & { readonly format: 'text' | 'github' } => ({
    paths,
    config: g.config,
    ...(f.strict ? { strict: true } : {}),
    format: f.format ?? 'text',
  }),
  run: async (o, deps) => (await import('../../commands/validate.js')).runValidate(o, deps),
  render: async (r: ValidateResult, o, { ctx, json }) => {
    if (json) await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    else if (o.format === 'github') {
      const lines = r.findings.map(
        (f) =>
          `::${LEVEL[f.severity]} file=${annotationProperty(f.file)},line=${f.line},col=${f.col},title=${annotationProperty(f.code)}::${annotationData(f.message)}`,
      );
      if (lines.length > 0) await writeOut(ctx.stdout, lines.join('\n') + '\n');
    } else {
      const style = styleFor(ctx.stdout);
      if (r.findings.length > 0)
        await writeOut(ctx.stdout, r.findings.map((f) => findingLine(f, style)).join('\n') + '\n');
      const c = r.counts;
      await writeOut(
        ctx.stderr,
        `checked ${plural(r.files.length, 'file')}: ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'note')}${r.strict ? ' (strict: warnings fail)' : ''}\n`,
      );
    }
    return r.inputErrors > 0 ? EXIT.error : r.ok ? EXIT.ok : EXIT.findings;
  },
});
