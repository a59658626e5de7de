// `ni-config diff` against `diff -u` of the two canonical pretty-printed files, in the same run:
//   1. two large real configs: hibernate-core 6.6.0.Final → 7.0.0.Final (legacy snapshot)
//   2. the whole legacy corpus snapshot → its unified successor
// Target: ≤ 2× the `diff -u` baseline, and under 1 s for the hibernate pair.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emitUnified, toJsonText } from '../dist/model/emit/index.js';
import { kindOfFileName } from '../dist/model/kinds.js';
import { loadSources } from '../dist/ops/load.js';

const repo = resolve(import.meta.dirname, '..');
const corpus = process.env.NI_CONFIG_CORPUS ?? join(repo, '..', 'shared', 'reference', 'corpus');
const bin = join(repo, 'bin', 'ni-config.js');
const work = mkdtempSync(join(tmpdir(), 'ni-config-bench-diff-'));

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (kindOfFileName(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The canonical pretty-printed text of a directory's metadata (what a reviewer would diff). */
function canonicalFile(dir, name) {
  const set = loadSources(
    files(dir).map((f) => ({
      file: f,
      text: readFileSync(f, 'utf8'),
      kind: kindOfFileName(f.slice(f.lastIndexOf('/') + 1)),
    })),
  ).set;
  const text = [...emitUnified(set).files.values()].map(toJsonText).join('');
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

function median(argv, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const cases = [
  [
    'hibernate-core 6.6.0 → 7.0.0',
    join(corpus, 'reachability/legacy-2026-03-13/metadata/org.hibernate.orm/hibernate-core/6.6.0.Final'),
    join(corpus, 'reachability/legacy-2026-03-13/metadata/org.hibernate.orm/hibernate-core/7.0.0.Final'),
  ],
  [
    'legacy corpus → unified corpus',
    join(corpus, 'reachability/legacy-2026-03-13'),
    join(corpus, 'reachability/unified-2026-05-22'),
  ],
];
for (const [name, a, b] of cases) {
  const ca = canonicalFile(a, 'a.json');
  const cb = canonicalFile(b, 'b.json');
  const baseline = median(['diff', '-u', ca, cb], 5);
  const ours = median([process.execPath, bin, 'diff', a, b, '--format', 'json'], 5);
  console.log(
    `${name}: ni-config diff ${ours.toFixed(0)} ms vs diff -u of the canonical files ${baseline.toFixed(0)} ms → ${(ours / baseline).toFixed(2)}× (target ≤ 2×${name.startsWith('hibernate') ? ', < 1 s' : ''})`,
  );
}
rmSync(work, { recursive: true, force: true });
