/**
 * Merge semantics on fixtures: fixtures/merge/<case>/{a,b}/ are merged; the result in both
 * formats must equal fixtures/merge/<case>/expected-{legacy,unified}/ (update with `vitest -u`
 * and review the golden diff like code).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSources } from '../../src/io/inputs.js';
import { emitLegacy, emitUnified, toJsonText } from '../../src/model/emit/index.js';
import { loadSources } from '../../src/ops/load.js';
import { mergeSets } from '../../src/ops/merge.js';
import { expectGolden } from '../golden.js';
import { REPO } from '../helpers.js';

const root = join(REPO, 'fixtures', 'merge');

async function load(dir: string) {
  const { sources, findings } = await collectSources([dir]);
  expect(findings).toEqual([]);
  const r = loadSources(sources.map((s) => ({ ...s, file: s.file.slice(root.length + 1) })));
  expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  return r.set;
}

describe('merge fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    it(name, async () => {
      const a = await load(join(root, name, 'a'));
      const b = await load(join(root, name, 'b'));
      const merged = mergeSets([a, b]);
      for (const [format, emitted] of [
        ['legacy', emitLegacy(merged, { allFiles: false })],
        ['unified', emitUnified(merged)],
      ] as const) {
        for (const [file, value] of emitted.files) {
          await expectGolden(toJsonText(value), join('merge', name, `expected-${format}`, file));
        }
      }
      // either order gives the same bytes
      expect([...emitUnified(mergeSets([b, a])).files].map(([, v]) => toJsonText(v))).toEqual(
        [...emitUnified(merged).files].map(([, v]) => toJsonText(v)),
      );
    });
  }
});
