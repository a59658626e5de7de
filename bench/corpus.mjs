// Figures for the foundation on the whole reference corpus, each as a ratio to a baseline
// measured in the same run:
//   1. validate + normalise + merge-all, in process, vs the floor of JSON.parse over the same bytes
//   2. `ni-config merge` of every reflect-config.json vs jq doing a plain union of the same files
//   3. peak RSS of `ni-config merge` over the whole corpus
//   4. `ni-config --version` cold start vs `node -e 0`
// Targets: ≤ 4× the parse floor, ≥ 3× faster than jq, ≤ 400 MB, ≤ 1.5× node's start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kindOfFileName } from '../dist/model/kinds.js';
import { loadSources } from '../dist/ops/load.js';
import { schemaFindings } from '../dist/ops/schema.js';

const repo = resolve(import.meta.dirname, '..');
const corpus = process.env.NI_CONFIG_CORPUS ?? join(repo, '..', 'shared', 'reference', 'corpus');
const bin = join(repo, 'bin', 'ni-config.js');
const work = mkdtempSync(join(tmpdir(), 'ni-config-bench-'));

function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (kindOfFileName(e.name)) out.push(p);
    }
  };
  walk(corpus);
  return out.sort();
}

function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeProcess(argv, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  }
  return times;
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const files = corpusFiles();
const sources = files.map((path) => ({
  file: path,
  text: readFileSync(path, 'utf8'),
  kind: kindOfFileName(path.slice(path.lastIndexOf('/') + 1)),
}));
const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
console.log(`corpus: ${files.length} metadata files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);

// 1. in process: floor and ours interleaved, best of 15 each, so that both see the same machine
let floor = Infinity;
let ours = Infinity;
let entries = 0;
for (let i = 0; i < 15; i++) {
  floor = Math.min(
    floor,
    best(1, () => {
      for (const s of sources) JSON.parse(s.text);
    }),
  );
  ours = Math.min(
    ours,
    best(1, () => {
      entries = loadSources(sources, { schema: schemaFindings }).set.reflection.length;
    }),
  );
}
console.log(
  `validate + normalise + merge-all: ${fmt(ours)} vs JSON.parse floor ${fmt(floor)} → ${(ours / floor).toFixed(2)}× the floor (target ≤ 4×; ${entries} merged reflection entries)`,
);

// 2. against jq on the reflect files
const reflect = files.filter((f) => f.endsWith('/reflect-config.json'));
const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
if (jq.status === 0) {
  const jqTimes = timeProcess(
    ['sh', '-c', `jq -s 'add | unique' "$@" > ${join(work, 'jq.json')}`, 'jq', ...reflect],
    5,
  );
  const niTimes = timeProcess(
    [process.execPath, bin, 'merge', ...reflect, '-o', join(work, 'ni'), '--format', 'legacy'],
    5,
  );
  const j = median(jqTimes);
  const n = median(niTimes);
  console.log(
    `union of ${reflect.length} reflect-config.json files: ni-config merge ${fmt(n)} vs ${jq.stdout.trim()} ${fmt(j)} → ${(j / n).toFixed(2)}× faster than jq (target ≥ 3×)`,
  );
} else {
  console.log('jq not found (apt-get install jq): the jq comparison was not run');
}

// 3. peak RSS of the CLI merging the whole corpus
const rss = spawnSync(
  '/usr/bin/time',
  ['-f', '%M', process.execPath, bin, 'merge', corpus, '-o', join(work, 'all'), '--format', 'unified'],
  { encoding: 'utf8' },
);
if (rss.status === 0) {
  const kb = Number(rss.stderr.trim().split('\n').at(-1));
  console.log(`peak RSS of ni-config merge over the whole corpus: ${(kb / 1024).toFixed(0)} MB (target ≤ 400 MB)`);
} else {
  console.log(`peak RSS not measured: ${rss.error?.message ?? rss.stderr.trim().split('\n').at(-1)}`);
}

// 4. cold start
const nodeStart = median(timeProcess([process.execPath, '-e', '0'], 21));
const ourStart = median(timeProcess([process.execPath, bin, '--version'], 21));
const helpStart = median(timeProcess([process.execPath, bin, '--help'], 11));
console.log(
  `cold start: ni-config --version ${fmt(ourStart)} vs node -e 0 ${fmt(nodeStart)} → ${(ourStart / nodeStart).toFixed(2)}× (target ≤ 1.5×); --help ${fmt(helpStart)} (${(helpStart / nodeStart).toFixed(2)}×)`,
);

rmSync(work, { recursive: true, force: true });
