// `npm run bench`: one table, every row a ratio to a baseline measured in the same run (paired
// runs, medians of at least 5; NI_CONFIG_BENCH_RUNS for more). The rows come from corpus.mjs
// (merge, validate), diff.mjs, start.mjs (cold start), trace.mjs (Runtime API overhead, tail
// latency) and scale.mjs (200 MB inputs; NI_CONFIG_SCALE_MB, 0 leaves them out); each also runs
// alone. prune.mjs (recall on the holy-lambda pairs) is a separate report.
import { cpus } from 'node:os';
import { printTable } from './lib.mjs';

const parts = ['corpus', 'diff', 'start', 'trace', ...(process.env.NI_CONFIG_SCALE_MB === '0' ? [] : ['scale'])];
const rows = [];
for (const part of parts) {
  process.stderr.write(`bench: ${part}…\n`);
  const mod = await import(`./${part}.mjs`);
  rows.push(...(await mod.rows()));
}
console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
printTable(rows);
