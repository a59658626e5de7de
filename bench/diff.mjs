// `ni-config diff` against `diff -u` of the two canonical files (each side merged to one
// reachability-metadata.json first, which is what a reviewer would diff), in the same run:
// hibernate-core 6.6.0.Final → 7.0.0.Final from the legacy snapshot of the corpus. Target ≤ 2×. A
// reference row, with no target, says what a diff with no checks at all (no-checks-diff.cjs) of
// the same canonical files costs against the same `diff -u`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, CORPUS, NODE, REPO, hasCorpus, measure, paired, printTable, removeDir, row, tempDir } from './lib.mjs';

export async function rows() {
  if (!hasCorpus()) return [];
  const work = tempDir('diff');
  try {
    const lib = join(CORPUS, 'reachability/legacy-2026-03-13/metadata/org.hibernate.orm/hibernate-core');
    const [a, b] = ['6.6.0.Final', '7.0.0.Final'].map((v) => join(lib, v));
    const canonical = (dir, name) => {
      const file = join(work, name);
      measure([NODE, BIN, 'merge', dir, '-o', file, '--format', 'unified'], { ok: [0] });
      return file;
    };
    const ca = canonical(a, 'a.json');
    const cb = canonical(b, 'b.json');
    const ours = () => measure([NODE, BIN, 'diff', a, b, '--format', 'json']);
    const base = () => measure(['diff', '-u', ca, cb]);
    const noChecks = () => measure([NODE, join(REPO, 'bench', 'no-checks-diff.cjs'), ca, cb]);
    return [
      row('`diff` hibernate-core 6.6.0 → 7.0.0', '`diff -u` of the two canonical files', paired(ours, base), {
        target: { wall: 2 },
      }),
      row(
        'reference (no target): a diff with no checks at all (no-checks-diff.cjs)',
        'the same `diff -u`',
        paired(noChecks, base),
        {
          show: ['wall'],
        },
      ),
    ];
  } finally {
    removeDir(work);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await rows());
