/** `prune`: flags, mapping and rendering (the summary per rule, `--explain`). */
import type { PruneOptions, PruneResultJson } from '../../commands/prune.js';
import { EXIT } from '../../errors.js';
import { staleWarning } from '../../ops/prune/classpath.js';
import { command } from '../command.js';
import { plural, printable, writeOut } from '../render/text.js';
import { inputReport } from './combine.js';
import { PRESET_LIST, formatFlag, outFlag, pruneFlags, pruneOptions, summaryLine } from './shared.js';

export const prune = command({
  summary: 'remove noise by rules and presets; --explain says which rule removed what',
  description: `Removes agent-output noise by rules: built-in presets (${PRESET_LIST}), rule files (JSONC, or the agent's filter files as they are), trace evidence, and metadata that libraries already ship. Later rules win; --keep pins entries that no rule removes and that a re-trace never loses.`,
  args: { spec: '[paths...]', help: 'files or directories; - reads stdin; default: "inputs" of ni-config.jsonc' },
  flags: {
    out: outFlag,
    ...pruneFlags,
    explain: {
      type: 'boolean',
      flags: '--explain',
      help: 'list every removed entry with the rule that removed it and why',
    },
    format: formatFlag,
    dryRun: { type: 'boolean', flags: '--dry-run', help: 'say what would be removed and written, write nothing' },
  },
  examples: [
    'ni-config prune agent-out/ --preset clojure --preset default -o pruned/ --explain',
    'ni-config prune agent-out/ --preset clojure --trace traces.json --keep pinned/ --library-config lib/aws-lambda-java-runtime-interface-client.jar --dry-run',
  ],
  exitCodes: '0 pruned (or would prune), 2 unreadable input, bad rule file or bad usage (nothing written)',
  options: (paths, f, g): PruneOptions & { readonly explain: boolean } => ({
    paths,
    config: g.config,
    out: f.out,
    format: f.format,
    dryRun: f.dryRun,
    explain: f.explain,
    ...pruneOptions(f),
  }),
  run: async (o, deps) => (await import('../../commands/prune.js')).runPrune(o, deps),
  render: async (r: PruneResultJson, o, out) => {
    const { ctx } = out;
    // with -o -, stdout carries the metadata
    const side = o.out === '-' ? ctx.stderr : ctx.stdout;
    if (out.json) {
      await writeOut(side, JSON.stringify(r, null, 2) + '\n');
      return EXIT.ok;
    }
    if (o.explain) {
      const lines = r.removed.flatMap((x) => {
        const line = `${x.whole ? 'removed' : 'trimmed'} ${x.section} ${printable(x.entry)}  [${x.rule}] ${printable(x.reason)}`;
        if (x.evidence === undefined) return [line];
        const when = x.evidence.verdict === 'loading' ? 'only while namespaces loaded' : 'at run time too';
        const n = x.evidence.lookups;
        return [
          line,
          `    evidence: ${n} lookup${n === 1 ? '' : 's'}, ${when}, e.g. ${x.evidence.example.map(printable).join(' > ')}`,
        ];
      });
      for (const w of r.rewritten)
        lines.push(
          `rewrote ${printable(w)}  [rewrite/K2] the agent records Method.canAccess; AccessibleObject declares it`,
        );
      if (lines.length > 0) await writeOut(side, lines.join('\n') + '\n');
    }
    const lines = inputReport(r.findings, r, out);
    if (r.evidence !== undefined) lines.push(`lookup evidence: ${printable(r.evidence)}`);
    for (const [rule, n] of Object.entries(r.counts)) lines.push(`${String(n).padStart(6)}  ${rule}`);
    for (const w of staleWarning(r.stale, Boolean(r.counts['classpath/N15']))) lines.push(`warning: ${printable(w)}`);
    const total = r.removed.filter((x) => x.whole).length;
    const verb = r.dryRun ? 'would prune' : 'pruned';
    const presets = r.presets.length > 0 ? ` (presets: ${r.presets.join(', ')})` : '';
    lines.push(
      total === 0 && r.removed.length === 0
        ? `${r.dryRun ? 'would prune' : 'pruned'} nothing${presets}`
        : `${verb} ${plural(total, 'entry')} by ${plural(Object.keys(r.counts).length, 'rule')}${presets}`,
    );
    if (r.output !== undefined && r.output !== '-') lines.push(summaryLine(r.format, r.after, r, r.dryRun, r.output));
    await writeOut(ctx.stderr, lines.join('\n') + '\n');
    return EXIT.ok;
  },
});
