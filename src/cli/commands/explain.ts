/** `explain`: flags, mapping and the report of why each entry is there. */
import type { ExplainOptions, ExplainResult } from '../../commands/explain.js';
import { EXIT } from '../../errors.js';
import { command } from '../command.js';
import { paint, printable, styleFor, writeOut } from '../render/text.js';
import { pruneFlags, pruneOptions } from './shared.js';

export const explain = command({
  summary: 'say why entries are in the metadata: the rules, pins and jars that decide, and the lookups behind them',
  description:
    "Explains entries of the metadata under the prune settings (flags, else ni-config.jsonc): every rule that matches each entry in order (the last decides), the keep file that pins it, the jar on the class path that ships it, whether it is stale, and the lookups the evidence shows (its callers, while namespaces loaded or at run time). A trace's ni-config-evidence.json beside the input is used unless --evidence names another.",
  args: {
    spec: '<entries...>',
    help: 'class names, resource paths or bundle names, or globs over them (a.*, **/*.clj); a last argument that is a file or directory is the input',
  },
  flags: {
    in: {
      type: 'list',
      flags: '--in <path...>',
      help: 'the metadata to explain (default: "inputs" of ni-config.jsonc)',
    },
    ...pruneFlags,
  },
  examples: [
    "ni-config explain 'java.util.AbstractList' traced/",
    "ni-config explain 'clojure.core__init' '**/*.clj' --in agent-out --preset clojure --evidence traces.json",
  ],
  exitCodes: '0 every query matched an entry, 1 a query matched none, 2 unreadable input or bad usage',
  options: (entries, f, g): ExplainOptions => ({ entries, paths: f.in, config: g.config, ...pruneOptions(f) }),
  run: async (o, deps) => (await import('../../commands/explain.js')).runExplain(o, deps),
  render: async (r: ExplainResult, _o, { ctx, json }) => {
    if (json) {
      await writeOut(ctx.stdout, JSON.stringify(r, null, 2) + '\n');
      return r.ok ? EXIT.ok : EXIT.findings;
    }
    const style = styleFor(ctx.stdout);
    const lines: string[] = [];
    for (const x of r.explanations) {
      const verb = x.decision === 'kept' ? paint(style, '32', 'kept') : paint(style, '31', x.decision);
      lines.push(
        `${paint(style, '1', `${x.section} ${printable(x.entry)}`)}: ${verb}${x.decidedBy ? ` by ${printable(x.decidedBy)}` : ' (no rule matches it)'}`,
      );
      if (x.reason) lines.push(`  why: ${printable(x.reason)}`);
      for (const o of x.overruled)
        lines.push(`  overruled by the evidence: ${o.id} (${o.action}: ${printable(o.reason)})`);
      if (x.neededBy) lines.push(`  first needed by ${printable(x.neededBy.event)} (${printable(x.neededBy.run)})`);
      if (x.pinnedBy) lines.push(`  pinned by ${printable(x.pinnedBy)}: never removed`);
      for (const s of x.shippedBy) lines.push(`  shipped by ${printable(s)}`);
      if (x.stale) lines.push('  stale: its class is neither on the class path nor in the JDK (N15)');
      if (x.rules.length > 1)
        lines.push(`  rules that match, in order: ${x.rules.map((m) => `${m.id} (${m.action})`).join(', ')}`);
      const ev = x.evidence;
      lines.push(
        ev.verdict === 'none'
          ? '  evidence: none for this entry'
          : `  evidence: looked up ${ev.verdict === 'loading' ? 'only while namespaces loaded' : 'at run time'}`,
      );
      for (const l of ev.lookups)
        lines.push(
          `    ${l.loading ? 'load' : 'run '}  ${l.frames.map(printable).join(' > ')}${l.loadsAtRunTime ? '  (loads a namespace while the function runs)' : ''}`,
        );
    }
    for (const q of r.unmatched) lines.push(`no entry matches ${printable(q)}`);
    if (r.evidence) lines.push(`(evidence from ${printable(r.evidence)})`);
    await writeOut(ctx.stdout, lines.join('\n') + '\n');
    return r.ok ? EXIT.ok : EXIT.findings;
  },
});
