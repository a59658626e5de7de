// prune on the holy-lambda raw/cleaned gold pairs: recall (must be 100%) and the number of extra
// entries kept beyond the hand-cleaned file, without and with the agent's trace as evidence;
// then the time to prune the whole corpus with every preset, against loading it alone.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kindOfFileName } from '../dist/model/kinds.js';
import { loadSources } from '../dist/ops/load.js';
import { PRESETS, expandPresets } from '../dist/ops/presets.js';
import { prune } from '../dist/ops/prune.js';
import { traceEvidence } from '../dist/ops/trace-evidence.js';

const repo = resolve(import.meta.dirname, '..');
const corpus = process.env.NI_CONFIG_CORPUS ?? join(repo, '..', 'shared', 'reference', 'corpus');
const holy = join(corpus, 'others/FieryCod__holy-lambda/7484c85');
const pairs = [
  'examples/bb/native/cognitect.aws.api',
  'examples/bb/native/hl.aws-bucket',
  'modules/holy-lambda-babashka-tasks',
];
const rules = expandPresets(['clojure', 'default']).flatMap((n) => PRESETS[n].rules);
const load = (f) => loadSources([{ file: f, text: readFileSync(f, 'utf8'), kind: 'reflect' }]).set;
const key = (t) => JSON.stringify([t.condition, t.type]);

for (const p of pairs) {
  const dir = join(holy, p, 'resources/native-configuration');
  const raw = load(join(dir, 'reflect-config.orig.json'));
  const clean = load(join(dir, 'reflect-config.json'));
  const trace = traceEvidence(JSON.parse(readFileSync(join(dir, 'traces.json'), 'utf8')), 'traces.json').evidence;
  const figures = [undefined, trace].map((t) => {
    const out = prune(raw, { rules, ...(t ? { trace: t } : {}) }).set.reflection;
    const outKeys = new Set(out.map(key));
    const cleanKeys = new Set(clean.reflection.map(key));
    const kept = clean.reflection.filter((c) => outKeys.has(key(c))).length;
    return { recall: kept / clean.reflection.length, extras: out.filter((t2) => !cleanKeys.has(key(t2))).length };
  });
  console.log(
    `${p.split('/').at(-1)}: raw ${raw.reflection.length}, cleaned ${clean.reflection.length}; --preset clojure,default: recall ${(figures[0].recall * 100).toFixed(0)}%, ${figures[0].extras} extra; with --trace: recall ${(figures[1].recall * 100).toFixed(0)}%, ${figures[1].extras} extra`,
  );
}

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (kindOfFileName(e.name)) files.push(p);
  }
};
walk(corpus);
const sources = files.map((f) => ({
  file: f,
  text: readFileSync(f, 'utf8'),
  kind: kindOfFileName(f.slice(f.lastIndexOf('/') + 1)),
}));
const everything = expandPresets(['clojure', 'default']).flatMap((n) => PRESETS[n].rules);
let loadOnly = Infinity;
let withPrune = Infinity;
for (let i = 0; i < 7; i++) {
  let t = performance.now();
  const set = loadSources(sources).set;
  loadOnly = Math.min(loadOnly, performance.now() - t);
  t = performance.now();
  prune(set, { rules: everything });
  withPrune = Math.min(withPrune, performance.now() - t);
}
console.log(
  `prune of the merged corpus with clojure+default: ${withPrune.toFixed(1)} ms, ${(withPrune / loadOnly).toFixed(2)}× the time to load it (${loadOnly.toFixed(1)} ms)`,
);
