/** `convert` and `merge`: one use case, two commands. */
import type { CombineOptions, CombineResult } from '../../commands/combine.js';
import { FORMAT_NAMES } from '../../commands/catalog.js';
import { EXIT } from '../../errors.js';
import type { FindingJson } from '../../model/placed.js';
import { command, type Output } from '../command.js';
import { findingLine, styleFor, writeOut } from '../render/text.js';
import { dryRunFlag, formatFlag, noteLines, outFlag, summaryLine } from './shared.js';

const run = async (o: CombineOptions, deps: Parameters<typeof import('../../commands/combine.js').runCombine>[1]) =>
  (await import('../../commands/combine.js')).runCombine(o, deps);

/** The inputs' errors shown, the rest counted, then what the emit noted. */
export function inputReport(
  findings: readonly FindingJson[],
  r: { notes: CombineResult['notes']; warnings: readonly string[] },
  out: Output,
): string[] {
  const style = styleFor(out.ctx.stderr);
  const lines = findings.filter((f) => f.severity === 'error').map((f) => findingLine(f, style));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  if (counts.error + counts.warning > 0)
    lines.push(
      `note: the inputs have ${counts.error} error(s) and ${counts.warning} warning(s), carried as they are; \`ni-config validate\` lists them`,
    );
  return [...lines, ...noteLines(r.notes, r.warnings)];
}

async function render(r: CombineResult, o: CombineOptions, out: Output): Promise<number> {
  const { ctx } = out;
  if (out.json) {
    await writeOut(o.out === '-' ? ctx.stderr : ctx.stdout, JSON.stringify(r, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines = inputReport(r.findings, r, out);
  if (o.out !== '-') lines.push(summaryLine(r.format, r.entries, r, r.dryRun, r.output));
  if (lines.length > 0) await writeOut(ctx.stderr, lines.join('\n') + '\n');
  return EXIT.ok;
}

export const convert = command({
  summary: 'convert between legacy *-config.json files and reachability-metadata.json',
  description:
    'Converts between the legacy per-kind files and reachability-metadata.json. What the target cannot express goes to a legacy side file or is reported by name.',
  args: { spec: '[paths...]', help: 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc' },
  flags: {
    to: { type: 'choice', flags: '--to <format>', help: 'target format', choices: FORMAT_NAMES, required: true },
    out: { ...outFlag, required: true },
    dryRun: dryRunFlag,
  },
  examples: [
    'ni-config convert META-INF/native-image/com.example/app --to unified -o out/',
    'ni-config convert reachability-metadata.json --to legacy -o legacy-config/',
  ],
  exitCodes: '0 written, 2 unreadable input (nothing written) or bad usage',
  options: (paths, f, g): CombineOptions => ({ paths, config: g.config, format: f.to, out: f.out!, dryRun: f.dryRun }),
  run,
  render,
});

export const merge = command({
  summary: "merge config sets with the semantics of GraalVM's own merge",
  description:
    'Merges any mix of legacy directories, legacy files and reachability-metadata.json files: entries keyed by condition and type, flags OR-ed, member access none < queried < accessed, members covered by an all* flag collapsed.',
  args: { spec: '[paths...]', help: 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc' },
  flags: { out: { ...outFlag, required: true }, format: formatFlag, dryRun: dryRunFlag },
  examples: [
    'ni-config merge run-1/ run-2/ -o merged/',
    'ni-config merge agent-out/ existing/reachability-metadata.json --format unified -o merged.json',
  ],
  exitCodes: '0 written, 2 unreadable input (nothing written) or bad usage',
  options: (paths, f, g): CombineOptions => ({
    paths,
    config: g.config,
    format: f.format,
    out: f.out!,
    dryRun: f.dryRun,
  }),
  run,
  render,
});
