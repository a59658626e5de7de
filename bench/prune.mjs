// `node bench/prune.mjs`: what prune keeps on real raw/hand-cleaned pairs, through the built CLI
// as a user runs it. For each holy-lambda pair of the reference corpus (raw agent output, the
// cleaned file its author kept, the agent's traces.json of the same run): recall (every hand-kept
// entry kept, with at least its members; must be 100%) and the entries kept beyond the cleaned
// file, for the presets alone, with --aggressive, and with the trace as evidence. Then the
// regression fixture of a function that carries an old runtime client's metadata itself:
// --preset default must keep all of it. Figures, not timings: speed is in `npm run bench`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, CORPUS, NODE, REPO, hasCorpus, removeDir, tempDir } from './lib.mjs';

const HOLY = join(CORPUS, 'others/FieryCod__holy-lambda/7484c85');
const PAIRS = [
  'examples/bb/native/cognitect.aws.api',
  'examples/bb/native/hl.aws-bucket',
  'modules/holy-lambda-babashka-tasks',
];
/**
 * holy-lambda's cleaner compares the agent's `[Z` names with the `boolean[]` names it normalised
 * the trace's to, so in the one pair written with `[Z` names it keeps primitive arrays whose only
 * lookups were clojure.genclass's init (test/ops/prune.test.ts says more). Not counted as misses.
 */
const CLEANER_ARTEFACTS = { 'cognitect.aws.api': ['boolean[]', 'double[]', 'float[]', 'int[]', 'long[]', 'short[]'] };

const work = tempDir('prune');

function cli(args) {
  const r = spawnSync(NODE, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`ni-config ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r;
}

/** Entries by name, with their members as the legacy file spells them. */
function entries(file) {
  return new Map(JSON.parse(readFileSync(file, 'utf8')).map((e) => [arrayName(e.name ?? e.type), e]));
}

/** `[Z` → `boolean[]`, `[Lx.Y;` → `x.Y[]`: the agent writes either form. */
function arrayName(name) {
  const prim = { Z: 'boolean', B: 'byte', C: 'char', S: 'short', I: 'int', J: 'long', F: 'float', D: 'double' };
  let dims = 0;
  while (name[dims] === '[') dims++;
  if (dims === 0) return name;
  const rest = name.slice(dims);
  const base = rest.startsWith('L') && rest.endsWith(';') ? rest.slice(1, -1) : (prim[rest] ?? rest);
  return base + '[]'.repeat(dims);
}

/** Whether `kept` has everything `wanted` registers (flags and members). */
function covers(kept, wanted) {
  if (kept === undefined) return false;
  for (const [k, v] of Object.entries(wanted)) {
    if (k === 'name' || k === 'type' || k === 'condition') continue;
    if (v === true && kept[k] !== true && !(k.startsWith('queryAll') && kept[k.replace('queryAll', 'all')] === true))
      return false;
    if (Array.isArray(v)) {
      const have = new Set((kept[k] ?? []).map((m) => JSON.stringify(m)));
      if (v.some((m) => !have.has(JSON.stringify(m)))) return false;
    }
  }
  return true;
}

function figures(pruned, clean, artefacts) {
  const out = entries(pruned);
  const gold = entries(clean);
  const missing = [...gold].filter(([n, e]) => !covers(out.get(n), e) && !artefacts.includes(n)).map(([n]) => n);
  const extras = [...out.keys()].filter((n) => !gold.has(n)).length;
  return { recall: (gold.size - missing.length) / gold.size, missing, extras, kept: out.size };
}

const rows = [];
if (!hasCorpus()) {
  console.log(`no reference corpus at ${CORPUS} (NI_CONFIG_CORPUS names one): the holy-lambda pairs are skipped`);
} else {
  for (const pair of PAIRS) {
    const name = pair.split('/').at(-1);
    const dir = join(HOLY, pair, 'resources/native-configuration');
    const raw = join(work, name, 'raw');
    mkdirSync(raw, { recursive: true });
    copyFileSync(join(dir, 'reflect-config.orig.json'), join(raw, 'reflect-config.json'));
    const clean = join(dir, 'reflect-config.json');
    const rawCount = JSON.parse(readFileSync(join(raw, 'reflect-config.json'), 'utf8')).length;
    const cleanCount = JSON.parse(readFileSync(clean, 'utf8')).length;
    const modes = {
      'presets clojure, default': [],
      '--aggressive': ['--aggressive'],
      '--evidence traces.json': ['--evidence', join(dir, 'traces.json')],
    };
    for (const [mode, extra] of Object.entries(modes)) {
      const out = join(work, name, mode.replace(/\W+/g, '-'));
      cli(['prune', raw, '--preset', 'clojure', 'default', ...extra, '--format', 'legacy', '-o', out]);
      const f = figures(join(out, 'reflect-config.json'), clean, CLEANER_ARTEFACTS[name] ?? []);
      rows.push({ pair: name, raw: rawCount, cleaned: cleanCount, mode, ...f });
    }
  }
}

// A function built against an old runtime client that shipped no metadata: its own copy stays.
const old = join(REPO, 'fixtures/prune/old-runtime-client/agent-output');
const oldOut = join(work, 'old-client');
cli(['prune', old, '--preset', 'default', '--format', 'legacy', '-o', oldOut]);
const count = (d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('-config.json'))
    .reduce((n, f) => {
      const v = JSON.parse(readFileSync(join(d, f), 'utf8'));
      return n + (Array.isArray(v) ? v.length : (v.resources?.includes?.length ?? 0) + (v.bundles?.length ?? 0));
    }, 0);
rows.push({
  pair: 'old runtime client (fixture)',
  raw: count(old),
  cleaned: count(old),
  mode: 'presets default',
  recall: count(oldOut) / count(old),
  missing: [],
  extras: 0,
  kept: count(oldOut),
});
removeDir(work);

const pct = (x) => `${(x * 100).toFixed(0)}%`;
const table = [
  ['pair', 'raw', 'hand-kept', 'mode', 'kept', 'recall', 'extra'],
  ...rows.map((r) => [r.pair, r.raw, r.cleaned, r.mode, r.kept, pct(r.recall), r.extras]),
].map((r) => r.map(String));
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table)
  console.log(r.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
for (const [pair, names] of Object.entries(CLEANER_ARTEFACTS))
  console.log(
    `not counted as missed in ${pair}: ${names.join(', ')} (the cleaner's [Z-name artefacts; the evidence shows them as loading noise)`,
  );
const misses = rows.filter((r) => r.missing.length > 0);
for (const r of misses) console.log(`missed in ${r.pair} (${r.mode}): ${r.missing.join(', ')}`);
if (misses.length > 0 || rows.some((r) => r.recall < 1)) process.exitCode = 1;
