/** `validate`: flags, mapping and rendering. */
import type { ValidateOptions, ValidateResult } from '../../commands/validate.js';
import { PROFILE_NAMES } from '../../ops/packaging/profiles.js';
import { EXIT } from '../../errors.js';
import { command } from '../command.js';
import { annotationData, annotationProperty, findingLine, plural, styleFor, writeOut } from '../render/text.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

export const validate = command({
  summary: 'check metadata and its native-image.properties for mistakes',
  description:
    'Checks metadata files against the JSON Schemas and for mistakes native-image does not catch: malformed class names, duplicates, hidden-class conditions, bad regexes, wrong condition keys, empty proxies, ignored keys. Checks every native-image.properties below the paths too: experimental, deprecated and removed Args options (with the GraalVM version and the replacement), files wired in under names native-image does not read by itself, and files outside META-INF/native-image/<groupId>/<artifactId>/ (write --fix repairs what it can). Refuses files that are not metadata. Findings print as file:line:col with a JSON pointer.',
  args: {
    spec: '[paths...]',
    help: 'files or directories (searched recursively); - reads stdin; default: "inputs" of ni-config.jsonc',
  },
  flags: {
    strict: { type: 'boolean', flags: '--strict', help: 'warnings fail too' },
    quiet: {
      type: 'boolean',
      flags: '--quiet',
      help: 'show errors only (warnings still count for --strict and --max-warnings)',
    },
    maxWarnings: {
      type: 'integer',
      flags: '--max-warnings <n>',
      help: 'exit 1 when there are more than n warnings',
    },
    profile: {
      type: 'choice',
      flags: '--profile <profile>',
      help: "also apply a rule set: reachability-repo = the GraalVM Reachability Metadata Repository's checks",
      choices: PROFILE_NAMES,
    },
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
    'ni-config validate --quiet --max-warnings 0 --profile reachability-repo metadata/com.example/lib',
  ],
  exitCodes: '0 valid, 1 errors (or warnings with --strict, more than --max-warnings), 2 unreadable input or bad usage',
  options: (paths, f, g): ValidateOptions & { readonly format: 'text' | 'github' } => ({
    paths,
    config: g.config,
    ...(f.strict ? { strict: true } : {}),
    ...(f.quiet ? { quiet: true } : {}),
    ...(f.maxWarnings !== undefined ? { maxWarnings: f.maxWarnings } : {}),
    ...(f.profile !== undefined ? { profile: f.profile } : {}),
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
        `checked ${plural(r.files.length, 'file')}${r.properties ? ` and ${r.properties.length} native-image.properties` : ''}: ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'note')}${r.strict ? ' (strict: warnings fail)' : ''}${r.maxWarnings !== undefined && c.warning > r.maxWarnings ? ` (more than --max-warnings ${r.maxWarnings})` : ''}${r.quiet && c.warning + c.info > 0 ? ' (--quiet: only errors shown)' : ''}\n`,
      );
    }
    return r.inputErrors > 0 ? EXIT.error : r.ok ? EXIT.ok : EXIT.findings;
  },
});
