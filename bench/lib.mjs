// What every benchmark shares: whole processes timed by GNU time (wall, CPU, peak RSS), paired
// runs against a baseline measured in the same run, medians, and the one table they all print.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..');
export const CORPUS = process.env.NI_CONFIG_CORPUS ?? join(REPO, '..', 'shared', 'reference', 'corpus');
export const BIN = join(REPO, 'bin', 'ni-config.js');
export const NODE = process.execPath;
/**
 * The bin keeps a V8 code cache (src/io/code-cache.ts). The bench gives it a directory of its own,
 * made here by a `--help`, the run that leaves the least in it; the first run of each command adds
 * that command's code to it (one sample of each row's first, which the median leaves out), so the
 * rows are what a user's later runs of a command get, and never depend on the user's cache. A row
 * that wants none says so (`NI_CONFIG_CODE_CACHE=off`).
 */
const ownCodeCache = process.env.NI_CONFIG_CODE_CACHE === undefined;
if (ownCodeCache) process.env.NI_CONFIG_CODE_CACHE = mkdtempSync(join(tmpdir(), 'ni-config-bench-code-cache-'));
process.on('exit', () => {
  if (ownCodeCache) rmSync(process.env.NI_CONFIG_CODE_CACHE, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
if (spawnSync(NODE, [BIN, '--help'], { stdio: 'ignore' }).status !== 0) throw new Error(`${BIN} --help failed`);

/** Paired runs per row (at least 5: medians of fewer say little on a noisy machine). */
export const RUNS = Math.max(5, Number(process.env.NI_CONFIG_BENCH_RUNS ?? 5));

export function hasCorpus() {
  return statSync(CORPUS, { throwIfNoEntry: false }) !== undefined;
}

export function has(tool, args = ['--version']) {
  return spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
}

export function tempDir(name) {
  return mkdtempSync(join(tmpdir(), `ni-config-bench-${name}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Files below `dir` whose name `keep` accepts, sorted. */
export function filesBelow(dir, keep) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const timeFile = join(tmpdir(), `ni-config-bench-time-${process.pid}`);
// getrusage(RUSAGE_CHILDREN) of a one-child wrapper: CPU to the microsecond and the child's
// peak RSS, where GNU time rounds to 10 ms (too coarse for a 50 ms cold start).
const RUSAGE = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(r.stderr[-4000:])
print(wall, u.ru_utime, u.ru_stime, u.ru_maxrss, r.returncode)`;
const python = spawnSync('python3', ['-c', 'import resource'], { stdio: 'ignore' }).status === 0;

/**
 * Runs a command once: wall and CPU seconds, peak RSS in MB. Exit codes in `ok` (default 0 and
 * 1: findings or differences are answers, not failures) are accepted.
 */
export function measure(argv, { ok = [0, 1], cwd, env } = {}) {
  const r = python
    ? spawnSync('python3', ['-c', RUSAGE, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd, env })
    : spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M 0', ...argv], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        cwd,
        env,
      });
  const line = python ? r.stdout : readFileSync(timeFile, 'utf8');
  const [wall, user, sys, kb, code] = line.trim().split('\n').at(-1).split(' ').map(Number);
  const status = python ? code : r.status;
  if (!ok.includes(status))
    throw new Error(`${argv.join(' ').slice(0, 300)}: exit ${status}\n${r.stderr.slice(-2000)}`);
  return { wall, cpu: user + sys, mb: kb / 1024 };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * `runs` paired runs, baseline then ours, one right after the other so that both see the same
 * machine; the medians of each, and the median of the per-pair ratios.
 */
export function paired(ours, baseline, runs = RUNS) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    b.push(baseline());
    a.push(ours());
  }
  const med = (xs, k) => median(xs.map((x) => x[k]));
  const ratio = (k) => median(a.map((x, i) => x[k] / b[i][k]));
  return {
    ours: { wall: med(a, 'wall'), cpu: med(a, 'cpu'), mb: med(a, 'mb') },
    base: { wall: med(b, 'wall'), cpu: med(b, 'cpu'), mb: med(b, 'mb') },
    ratio: { wall: ratio('wall'), cpu: ratio('cpu'), mb: ratio('mb') },
    runs,
  };
}

const seconds = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);
const mb = (m) => (m >= 1024 ? `${(m / 1024).toFixed(2)} GB` : `${m.toFixed(0)} MB`);

/**
 * One row of the table. `measure` says what the ratio is about ('wall', 'cpu', 'mb' or several);
 * `target` is the ratio to stay at or under, per measure.
 */
export function row(work, baseline, p, { show = ['wall', 'cpu'], target = {} } = {}) {
  const cell = (k, side) => (k === 'mb' ? mb(side[k]) : seconds(side[k]));
  const parts = show.map((k) => {
    const ratio = p.ratio[k];
    const t = target[k];
    const verdict = t === undefined ? '' : ratio <= t ? ' ✓' : ` ✗ (target ≤ ${t}×)`;
    return { k, ours: cell(k, p.ours), base: cell(k, p.base), ratio: `${ratio.toFixed(2)}×${verdict}` };
  });
  return { work, baseline, parts, runs: p.runs };
}

/** A row without a baseline process: a figure with its target. */
export function figureRow(work, baseline, value, target) {
  return { work, baseline, parts: [{ k: '', ours: value, base: '—', ratio: target }], runs: undefined };
}

const LABEL = { wall: 'wall', cpu: 'CPU', mb: 'peak RSS', '': '' };

/** Prints rows as one markdown table. */
export function printTable(rows) {
  const lines = [
    '| work | baseline (same run) | measure | ni-config | baseline | ratio | runs |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    r.parts.forEach((p, i) => {
      lines.push(
        `| ${i === 0 ? r.work : ''} | ${i === 0 ? r.baseline : ''} | ${LABEL[p.k]} | ${p.ours} | ${p.base} | ${p.ratio} | ${i === 0 && r.runs ? r.runs : ''} |`,
      );
    });
  }
  console.log(lines.join('\n'));
}
