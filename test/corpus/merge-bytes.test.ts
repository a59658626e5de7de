/**
 * Output bytes on the whole corpus stay what they were: the merge of the corpus (and of the
 * unified tree alone, the benchmark's case) in both formats, a hash per emitted file, and every
 * corpus file converted both ways with its findings, a hash per source file. The expected hashes
 * are committed (fixtures/speed/corpus-bytes.txt); a speed change that moves one byte fails here.
 * Update with `vitest -u` only for a change that means to alter the output, and say so.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { collectSources } from '../../src/io/inputs.js';
import { emitLegacy, emitUnified, toJsonText, type Emitted } from '../../src/model/emit/index.js';
import type { Finding } from '../../src/model/findings.js';
import type { EntryPointers } from '../../src/model/parse/index.js';
import { loadSources } from '../../src/ops/load.js';
import { expectGolden } from '../golden.js';
import { FULL_CORPUS, corpusFiles, describeCorpus } from '../helpers.js';

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

function emittedLines(label: string, emitted: Emitted): string[] {
  const lines = [...emitted.files].map(([name, value]) => `${label} ${name} ${hash(toJsonText(value))}`);
  lines.push(`${label} notes ${hash(JSON.stringify(emitted.notes))}`);
  return lines;
}

function findingsText(findings: readonly Finding[], root: string): string {
  return JSON.stringify(
    findings.map((f) => [
      f.code,
      f.file.startsWith(root) ? f.file.slice(root.length) : f.file,
      f.jsonPointer,
      f.message,
      f.offset,
    ]),
  );
}

describeCorpus('output bytes on the corpus', () => {
  const root = FULL_CORPUS!;

  it('merges the corpus (all of it, and the unified tree) to the same bytes, with the same findings and entry pointers', async () => {
    const lines: string[] = [];
    for (const [label, dir] of [
      ['all', root],
      ['unified-tree', join(root, 'reachability/unified-2026-05-22')],
    ] as const) {
      const collected = await collectSources([dir]);
      const pointers: EntryPointers = new Map();
      const loaded = loadSources(collected.sources, { pointers });
      lines.push(
        `merge ${label} sources ${collected.sources.length} ${hash(collected.sources.map((s) => s.file.slice(root.length)).join('\n'))}`,
      );
      lines.push(`merge ${label} findings ${loaded.findings.length} ${hash(findingsText(loaded.findings, root))}`);
      const pointerText = [...pointers]
        .map(([k, v]) => `${k}\u0001${v.file.slice(root.length)}\u0001${v.pointer}`)
        .sort()
        .join('\n');
      lines.push(`merge ${label} pointers ${pointers.size} ${hash(pointerText)}`);
      lines.push(...emittedLines(`merge ${label} unified`, emitUnified(loaded.set)));
      lines.push(...emittedLines(`merge ${label} legacy`, emitLegacy(loaded.set)));
    }
    await expectGolden(lines.join('\n') + '\n', 'speed/corpus-merge.txt');
  });

  it('converts every corpus file both ways to the same bytes, with the same findings', async () => {
    const lines: string[] = [];
    for (const f of corpusFiles()) {
      const loaded = loadSources([{ file: f.rel, text: readFileSync(f.path, 'utf8'), kind: f.kind }]);
      const h = createHash('sha256');
      h.update(findingsText(loaded.findings, ''));
      for (const emitted of [emitUnified(loaded.set), emitLegacy(loaded.set)]) {
        for (const [name, value] of emitted.files) h.update(`\u0000${name}\u0000${toJsonText(value)}`);
        h.update(JSON.stringify(emitted.notes));
      }
      lines.push(`${h.digest('hex').slice(0, 16)} ${f.rel}`);
    }
    await expectGolden(lines.join('\n') + '\n', 'speed/corpus-convert.txt');
  });
});
