// Inputs at scale: peak RSS and time of merge, diff and validate on the whole corpus and on a
// synthetic config of NI_CONFIG_SCALE_MB megabytes (default 200), each beside the floor of
// reading and JSON.parse-ing the same bytes in a bare node process, measured in the same run.
// Target (foundation issue): peak RSS ≤ 400 MB, met on the corpus; a synthetic 200 MB config
// needs far more (about 15× the input), which the figures show as they are.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const repo = resolve(import.meta.dirname, '..');
const corpus = process.env.NI_CONFIG_CORPUS ?? join(repo, '..', 'shared', 'reference', 'corpus');
const bin = join(repo, 'bin', 'ni-config.js');
const work = mkdtempSync(join(tmpdir(), 'ni-config-bench-scale-'));
const targetMb = Number(process.env.NI_CONFIG_SCALE_MB ?? 200);

/** Peak RSS (MB) and wall time (s) of a command, through GNU time. */
function measure(args, options = {}) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    ...options,
  });
  const seconds = (performance.now() - started) / 1000;
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  if (!Number.isFinite(kb)) throw new Error(`${args.join(' ')}: ${r.stderr.slice(-500)}`);
  return { mb: kb / 1024, seconds, status: r.status, stderr: r.stderr };
}

/** A synthetic unified config: reflection entries with methods and fields, resources, some conditions. */
async function synthetic(dir, mb, variant) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'reachability-metadata.json');
  const out = createWriteStream(file);
  const write = async (s) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{\n  "reflection": [\n');
  let bytes = 0;
  let i = 0;
  let first = true;
  const limit = mb * 1024 * 1024;
  while (bytes < limit) {
    // the variant drops every 1000th type and adds a field to every 997th
    const skip = variant && i % 1000 === 0;
    const extra = variant && i % 997 === 0 ? `, {"name": "added${i}"}` : '';
    const cond = i % 7 === 0 ? `"condition": {"typeReached": "com.example.gen.p${i % 50}.Trigger"}, ` : '';
    const entry = `    {${cond}"type": "com.example.gen.p${i % 500}.Class${i}", "methods": [{"name": "<init>", "parameterTypes": []}, {"name": "get${i}", "parameterTypes": ["java.lang.String", "int[]"]}], "fields": [{"name": "value"}${extra}], "allDeclaredConstructors": true}`;
    if (!skip) {
      await write(`${first ? '' : ',\n'}${entry}`);
      first = false;
      bytes += entry.length + 2;
    }
    i++;
  }
  await write('\n  ],\n  "resources": [\n');
  for (let r = 0; r < 2000; r++) await write(`${r === 0 ? '' : ',\n'}    {"glob": "gen/r${r}/**/*.properties"}`);
  await write('\n  ]\n}\n');
  out.end();
  await once(out, 'finish');
  return { file, entries: i };
}

const floorScript = 'const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8"); JSON.parse(t);';
const row = (label, m, floor) =>
  console.log(
    `${label.padEnd(44)} ${m.mb.toFixed(0).padStart(5)} MB  ${m.seconds.toFixed(2).padStart(6)} s${floor ? `   (${(m.mb / floor.mb).toFixed(2)}× the parse floor's RSS, ${(m.seconds / floor.seconds).toFixed(1)}× its time)` : ''}${m.status > 1 ? `  exit ${m.status}: ${m.stderr.split('\n').slice(0, 3).join(' ')}` : ''}`,
  );

try {
  console.log('peak RSS and wall time (GNU time); the floor reads and JSON.parses the same file in bare node');
  if (statSync(corpus, { throwIfNoEntry: false })) {
    row('merge, whole corpus', measure([process.execPath, bin, 'merge', corpus, '-o', join(work, 'corpus-merged')]));
    row('diff, whole corpus against itself', measure([process.execPath, bin, 'diff', corpus, corpus, '--stat']));
  }
  const a = await synthetic(join(work, 'a'), targetMb, false);
  const b = await synthetic(join(work, 'b'), targetMb, true);
  const size = statSync(a.file).size / 1024 / 1024;
  console.log(
    `synthetic config: ${size.toFixed(0)} MB, ${a.entries} types (a second one differs in ${Math.ceil(b.entries / 1000) + Math.ceil(b.entries / 997)} of them)`,
  );
  const floor = measure([process.execPath, '-e', floorScript, a.file]);
  row('floor: read + JSON.parse', floor);
  row('validate a', measure([process.execPath, bin, 'validate', join(work, 'a')]), floor);
  row(
    'merge a -o out (normalise and rewrite)',
    measure([process.execPath, bin, 'merge', join(work, 'a'), '-o', join(work, 'merged')]),
    floor,
  );
  row(
    'diff a b --stat (both sides in memory)',
    measure([process.execPath, bin, 'diff', join(work, 'a'), join(work, 'b'), '--stat']),
    floor,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
