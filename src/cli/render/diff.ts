/**
 * Renderers of a semantic diff: text for terminals, markdown for a PR comment (kept under
 * GitHub's 65,536-character limit), JSON, and GitHub workflow-command annotations.
 */
import { SECTION_NAMES } from '../../model/section-names.js';
import type { Change, DiffResult } from '../../ops/diff.js';
import { RISKS } from '../../ops/risks.js';
import { annotationData, annotationProperty, paint, printable, type Style } from './text.js';

/** GitHub rejects comments over 65,536 characters; leave room for a sticky-comment marker. */
export const MARKDOWN_LIMIT = 65_000;

const SIGN: Record<Change['kind'], string> = { added: '+', removed: '-', changed: '~', moved: '>' };

function totals(d: DiffResult): string {
  const t = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const s of SECTION_NAMES) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += d.stat[s][k];
  return `${t.added} added, ${t.removed} removed, ${t.changed} changed, ${t.moved} moved`;
}

function sectionStat(d: DiffResult): string[] {
  return SECTION_NAMES.filter((s) => Object.values(d.stat[s]).some((n) => n > 0)).map((s) => {
    const x = d.stat[s];
    return `${s}: +${x.added} -${x.removed} ~${x.changed}${x.moved ? ` >${x.moved}` : ''}`;
  });
}

/** `events/order.json (run-1)`: the event that first needed an entry, and the JVM run. */
function neededBy(a: NonNullable<Change['neededBy']>): string {
  return `${printable(a.event)} (${printable(a.run)})`;
}

function riskText(c: Change): string {
  return c.risks.map((r) => `[${r}] ${RISKS[r]}`).join('; ');
}

/** A diff for a terminal: totals, what needs attention, then each section. */
export function renderText(d: DiffResult, style: Style, statOnly: boolean): string {
  if (d.changes.length === 0) return 'no semantic differences\n';
  const lines = [`${totals(d)}`, ...sectionStat(d).map((s) => `  ${s}`)];
  if (statOnly) return lines.join('\n') + '\n';
  const risky = d.changes.filter((c) => c.risks.length > 0);
  const color = (c: Change): string => (c.kind === 'added' ? '32' : c.kind === 'removed' ? '31' : '33');
  const entry = (c: Change): string[] => [
    `  ${paint(style, color(c), `${SIGN[c.kind]} ${printable(c.entry)}`)}${c.risks.length > 0 ? `  ${paint(style, '33', riskText(c))}` : ''}${c.neededBy ? `  ${paint(style, '2', `needed by ${neededBy(c.neededBy)}`)}` : ''}`,
    ...c.details.map((x) => `      ${printable(x)}`),
  ];
  if (risky.length > 0) {
    lines.push('', paint(style, '1;33', `Needs attention (${risky.length}):`));
    for (const c of risky) lines.push(...entry({ ...c, entry: `${c.section}: ${c.entry}` }));
  }
  for (const s of SECTION_NAMES) {
    const rest = d.changes.filter((c) => c.section === s && c.risks.length === 0);
    if (rest.length === 0) continue;
    lines.push('', paint(style, '1', `${s}:`));
    for (const c of rest) lines.push(...entry(c));
  }
  return lines.join('\n') + '\n';
}

/** Text for a code span: no backtick to end it early, no line break to end the list item. */
function code(text: string): string {
  return printable(text).replace(/`/g, "'");
}

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, '\\$&');
}

/**
 * Added entries grouped by the event that first needed them (`event (run)`), in the order the
 * events first appear; those with no event last. Empty when no added entry has one.
 */
function addedByEvent(d: DiffResult): [string | undefined, Change[]][] {
  const added = d.changes.filter((c) => c.kind === 'added');
  if (!added.some((c) => c.neededBy)) return [];
  const groups = new Map<string | undefined, Change[]>();
  for (const c of added) {
    const key = c.neededBy ? `${c.neededBy.event} (${c.neededBy.run})` : undefined;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const unknown = groups.get(undefined);
  groups.delete(undefined);
  return [...groups, ...(unknown ? [[undefined, unknown] as [undefined, Change[]]] : [])];
}

/** A diff as a PR comment: a summary table and collapsible sections, kept under GitHub's limit. */
export function renderMarkdown(d: DiffResult, title: string, statOnly: boolean): string {
  const head = [`### ${md(title)}`, ''];
  if (d.changes.length === 0) return [...head, 'No semantic differences.', ''].join('\n');
  head.push(`**${totals(d)}**`, '', '| section | added | removed | changed | moved |', '|---|---:|---:|---:|---:|');
  for (const s of SECTION_NAMES) {
    const x = d.stat[s];
    if (Object.values(x).some((n) => n > 0))
      head.push(`| ${s} | ${x.added} | ${x.removed} | ${x.changed} | ${x.moved} |`);
  }
  head.push('');
  if (statOnly) return head.join('\n');
  const item = (c: Change, withSection: boolean): string[] => [
    `- ${c.kind} \`${code(c.entry)}\`${withSection ? ` (${c.section})` : ''}${c.risks.length > 0 ? ` — ${md(c.risks.map((r) => RISKS[r]).join('; '))}` : ''}${c.neededBy ? ` · needed by \`${code(c.neededBy.event)}\`` : ''}`,
    ...c.details.map((x) => `  - \`${code(x)}\``),
  ];
  const blocks: string[][] = [];
  const risky = d.changes.filter((c) => c.risks.length > 0);
  if (risky.length > 0)
    blocks.push([`#### ⚠️ Needs attention (${risky.length})`, '', ...risky.flatMap((c) => item(c, true)), '']);
  const byEvent = addedByEvent(d);
  if (byEvent.length > 0) {
    const lines = ['#### Added entries by the event that first needed them', ''];
    for (const [event, changes] of byEvent) {
      const names = changes.slice(0, 20).map((c) => `\`${code(c.entry)}\` (${c.section})`);
      if (changes.length > 20) names.push(`and ${changes.length - 20} more`);
      lines.push(`* ${event === undefined ? 'no event recorded' : `\`${code(event)}\``}: ${names.join(', ')}`);
    }
    blocks.push([...lines, '']);
  }
  for (const s of SECTION_NAMES) {
    const rest = d.changes.filter((c) => c.section === s && c.risks.length === 0);
    if (rest.length === 0) continue;
    blocks.push([
      `<details><summary>${s}: ${rest.length} change${rest.length === 1 ? '' : 's'}</summary>`,
      '',
      ...rest.flatMap((c) => item(c, false)),
      '',
      '</details>',
      '',
    ]);
  }
  // Whole lines only, and a notice when something had to go.
  const out = [...head];
  let length = out.join('\n').length;
  let shown = 0;
  const total = d.changes.length;
  for (const block of blocks) {
    const closing = block[0]!.startsWith('<details>') ? ['', '</details>', ''] : [''];
    for (let i = 0; i < block.length; i++) {
      const line = block[i]!;
      if (length + line.length + 1 + 400 > MARKDOWN_LIMIT) {
        if (block[0]!.startsWith('<details>') && i > 0) out.push(...closing);
        out.push(
          `> **Truncated:** ${total - shown} of ${total} changes are not shown (GitHub limits a comment to 65,536 characters). Run \`ni-config diff\` locally or see the job log for all of them.`,
          '',
        );
        return out.join('\n');
      }
      out.push(line);
      length += line.length + 1;
      if (line.startsWith('- ')) shown++;
    }
  }
  return out.join('\n');
}

/** `::warning` for changes that need attention, `::notice` for the rest; removals have no place in the new files. */
export function renderGithub(d: DiffResult): string {
  const lines: string[] = [];
  for (const c of d.changes) {
    if (c.kind === 'removed') continue;
    const level = c.risks.length > 0 ? 'warning' : 'notice';
    const title = `${c.section}: ${c.kind} ${c.entry}`;
    const message = [c.risks.length > 0 ? riskText(c) : `${c.kind} ${c.entry}`, ...c.details].join('\n');
    const props = [
      c.location ? `file=${annotationProperty(c.location.file)},line=${c.location.line}` : '',
      `title=${annotationProperty(title)}`,
    ]
      .filter((p) => p !== '')
      .join(',');
    lines.push(`::${level} ${props}::${annotationData(message)}`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** What each `--format` of diff renders: a new format is a row here. */
export const DIFF_RENDERERS = {
  text: { summary: 'for a terminal', render: (d, o) => renderText(d, o.style, o.stat) },
  markdown: {
    summary: "a PR comment, under GitHub's size limit",
    render: (d, o) => renderMarkdown(d, o.title, o.stat),
  },
  json: { summary: 'the documented contract', render: (_d, o) => JSON.stringify(o.json, null, 2) + '\n' },
  github: { summary: 'workflow-command annotations on the new files', render: (d) => renderGithub(d) },
} as const satisfies Record<
  string,
  {
    summary: string;
    render: (d: DiffResult, o: { style: Style; stat: boolean; title: string; json: unknown }) => string;
  }
>;
export type DiffFormat = keyof typeof DIFF_RENDERERS;
export const DIFF_FORMATS = Object.keys(DIFF_RENDERERS) as DiffFormat[];
