/**
 * Renderers of a semantic diff: text for terminals, markdown for a PR comment (kept under
 * GitHub's 65,536-character limit), JSON, and GitHub workflow-command annotations.
 */
import { TextLocator, locatePointer } from '../model/json-text.js';
import { pointerTokens } from '../model/findings.js';
import { sniffKind, kindOfFileName } from '../model/kinds.js';
import { typeKey } from '../model/model.js';
import { normaliseTypeName } from '../model/names.js';
import { literalGlob } from '../model/regex.js';
import { DIFF_SECTIONS, RISKS, type Change, type DiffResult } from '../ops/diff.js';
import { annotationData, annotationProperty, paint, printable, type Style } from './render.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json', 'github'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** GitHub rejects comments over 65,536 characters; leave room for a sticky-comment marker. */
export const MARKDOWN_LIMIT = 65_000;

const SIGN: Record<Change['kind'], string> = { added: '+', removed: '-', changed: '~', moved: '>' };

function totals(d: DiffResult): string {
  const t = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const s of DIFF_SECTIONS) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += d.stat[s][k];
  return `${t.added} added, ${t.removed} removed, ${t.changed} changed, ${t.moved} moved`;
}

function sectionStat(d: DiffResult): string[] {
  return DIFF_SECTIONS.filter((s) => Object.values(d.stat[s]).some((n) => n > 0)).map((s) => {
    const x = d.stat[s];
    return `${s}: +${x.added} -${x.removed} ~${x.changed}${x.moved ? ` >${x.moved}` : ''}`;
  });
}

function riskText(c: Change): string {
  return c.risks.map((r) => `[${r}] ${RISKS[r]}`).join('; ');
}

export function renderText(d: DiffResult, style: Style, statOnly: boolean): string {
  if (d.changes.length === 0) return 'no semantic differences\n';
  const lines = [`${totals(d)}`, ...sectionStat(d).map((s) => `  ${s}`)];
  if (statOnly) return lines.join('\n') + '\n';
  const risky = d.changes.filter((c) => c.risks.length > 0);
  const color = (c: Change): string => (c.kind === 'added' ? '32' : c.kind === 'removed' ? '31' : '33');
  const entry = (c: Change): string[] => [
    `  ${paint(style, color(c), `${SIGN[c.kind]} ${printable(c.entry)}`)}${c.risks.length > 0 ? `  ${paint(style, '33', riskText(c))}` : ''}`,
    ...c.details.map((x) => `      ${printable(x)}`),
  ];
  if (risky.length > 0) {
    lines.push('', paint(style, '1;33', `Needs attention (${risky.length}):`));
    for (const c of risky) lines.push(...entry({ ...c, entry: `${c.section}: ${c.entry}` }));
  }
  for (const s of DIFF_SECTIONS) {
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

export function renderMarkdown(d: DiffResult, title: string, statOnly: boolean): string {
  const head = [`### ${md(title)}`, ''];
  if (d.changes.length === 0) return [...head, 'No semantic differences.', ''].join('\n');
  head.push(`**${totals(d)}**`, '', '| section | added | removed | changed | moved |', '|---|---:|---:|---:|---:|');
  for (const s of DIFF_SECTIONS) {
    const x = d.stat[s];
    if (Object.values(x).some((n) => n > 0))
      head.push(`| ${s} | ${x.added} | ${x.removed} | ${x.changed} | ${x.moved} |`);
  }
  head.push('');
  if (statOnly) return head.join('\n');
  const item = (c: Change, withSection: boolean): string[] => [
    `- ${c.kind} \`${code(c.entry)}\`${withSection ? ` (${c.section})` : ''}${c.risks.length > 0 ? ` — ${md(c.risks.map((r) => RISKS[r]).join('; '))}` : ''}`,
    ...c.details.map((x) => `  - \`${code(x)}\``),
  ];
  const blocks: string[][] = [];
  const risky = d.changes.filter((c) => c.risks.length > 0);
  if (risky.length > 0)
    blocks.push([`#### ⚠️ Needs attention (${risky.length})`, '', ...risky.flatMap((c) => item(c, true)), '']);
  for (const s of DIFF_SECTIONS) {
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

/** Where each entry of the new files is: (section, condition, type) or resource value → file and line. */
export function entryLocations(
  sources: readonly { file: string; text: string; kind: string | undefined }[],
): Map<string, { file: string; line: number }> {
  const out = new Map<string, { file: string; line: number }>();
  for (const s of sources) {
    let value: unknown;
    try {
      value = JSON.parse(s.text);
    } catch {
      continue;
    }
    const kind = s.kind ?? sniffKind(value) ?? kindOfFileName(s.file);
    const locator = new TextLocator(s.text);
    const put = (k: string, pointer: string): void => {
      if (!out.has(k))
        out.set(k, { file: s.file, line: locator.lineCol(locatePointer(s.text, pointerTokens(pointer))).line });
    };
    const types = (list: unknown, ptr: string, section: string): void => {
      if (!Array.isArray(list)) return;
      list.forEach((e: unknown, i) => {
        if (e === null || typeof e !== 'object') return;
        const o = e as Record<string, unknown>;
        const t = o.type ?? o.name;
        const c = o.condition as Record<string, unknown> | undefined;
        const condition = String(c?.typeReached ?? c?.typeReachable ?? '');
        const tk =
          typeof t === 'string'
            ? normaliseTypeName(t)
            : t && typeof t === 'object' && Array.isArray((t as { proxy?: unknown }).proxy)
              ? typeKey({ kind: 'proxy', interfaces: (t as { proxy: string[] }).proxy.map(normaliseTypeName) })
              : undefined;
        if (tk === undefined) return;
        put(`${section}\u0000${condition}\u0000${tk}`, `${ptr}/${i}`);
        if (o.jniAccessible === true) put(`jni\u0000${condition}\u0000${tk}`, `${ptr}/${i}`);
      });
    };
    const resources = (list: unknown, ptr: string): void => {
      if (!Array.isArray(list)) return;
      list.forEach((e: unknown, i) => {
        const o = (e ?? {}) as Record<string, unknown>;
        const v =
          typeof o.glob === 'string'
            ? o.glob
            : typeof o.pattern === 'string'
              ? (literalGlob(o.pattern) ?? o.pattern)
              : undefined;
        if (v !== undefined) put(`resources\u0000${v}`, `${ptr}/${i}`);
      });
    };
    const doc = (value ?? {}) as Record<string, unknown>;
    if (kind === 'reflect' || kind === 'jni') types(value, '', kind === 'reflect' ? 'reflection' : 'jni');
    if (kind === 'unified') {
      types(doc.reflection, '/reflection', 'reflection');
      types(doc.jni, '/jni', 'jni');
      resources(doc.resources, '/resources');
    }
    if (kind === 'resource') {
      const r = doc.resources as Record<string, unknown> | unknown[] | undefined;
      if (Array.isArray(r)) resources(r, '/resources');
      else if (r) resources((r as Record<string, unknown>).includes, '/resources/includes');
      resources(doc.globs, '/globs');
    }
  }
  return out;
}

/** `::warning` for changes that need attention, `::notice` for the rest; removals have no place in the new files. */
export function renderGithub(d: DiffResult, locations: ReadonlyMap<string, { file: string; line: number }>): string {
  const lines: string[] = [];
  for (const c of d.changes) {
    if (c.kind === 'removed') continue;
    const where =
      c.key !== undefined
        ? locations.get(`${c.section}\u0000${c.key.condition}\u0000${c.key.type}`)
        : c.section === 'resources'
          ? locations.get(`resources\u0000${c.entry.replace(/^(exclude |regex )*/, '').replace(/ \(if .*\)$/, '')}`)
          : undefined;
    const level = c.risks.length > 0 ? 'warning' : 'notice';
    const title = `${c.section}: ${c.kind} ${c.entry}`;
    const message = [c.risks.length > 0 ? riskText(c) : `${c.kind} ${c.entry}`, ...c.details].join('\n');
    const props = [
      where ? `file=${annotationProperty(where.file)},line=${where.line}` : '',
      `title=${annotationProperty(title)}`,
    ]
      .filter((p) => p !== '')
      .join(',');
    lines.push(`::${level} ${props}::${annotationData(message)}`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
