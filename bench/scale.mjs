// Inputs at scale: peak RSS and time of merge, validate and diff on a synthetic config of
// NI_CONFIG_SCALE_MB megabytes (default 200), each against the floor of reading and JSON.parse-ing
// the same file in a bare node process, measured in the same run (paired). Targets: ≤ 1.5× the
// floor's memory and ≤ 3× its time. Also the whole corpus merged and diffed against itself
// (peak RSS, against the same floor over the corpus). A reference row, with no target, says what a
// diff with no checks at all (no-checks-diff.cjs) of the same two files costs against the same
// floor. The synthetic files are written to the temp directory and removed after.
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, NODE, REPO, measure, paired, printTable, removeDir, row, tempDir } from './lib.mjs';

const targetMb = Number(process.env.NI_CONFIG_SCALE_MB ?? 200);

/** A synthetic unified config: reflection entries with methods and fields, resources, some conditions. */
export async function synthetic(dir, mb, variant) {
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
  let chunk = '';
  while (bytes < limit) {
    // the variant drops every 1000th type and adds a field to every 997th
    const skip = variant && i % 1000 === 0;
    const extra = variant && i % 997 === 0 ? `, {"name": "added${i}"}` : '';
    const cond = i % 7 === 0 ? `"condition": {"typeReached": "com.example.gen.p${i % 50}.Trigger"}, ` : '';
    const entry = `    {${cond}"type": "com.example.gen.p${i % 500}.Class${i}", "methods": [{"name": "<init>", "parameterTypes": []}, {"name": "get${i}", "parameterTypes": ["java.lang.String", "int[]"]}], "fields": [{"name": "value"}${extra}], "allDeclaredConstructors": true}`;
    if (!skip) {
      chunk += `${first ? '' : ',\n'}${entry}`;
      first = false;
      bytes += entry.length + 2;
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
    i++;
  }
  await write(chunk);
  await write('\n  ],\n  "resources": [\n');
  for (let r = 0; r < 2000; r++) await write(`${r === 0 ? '' : ',\n'}    {"glob": "gen/r${r}/**/*.properties"}`);
  await write('\n  ]\n}\n');
  out.end();
  await once(out, 'finish');
  return { file, entries: i };
}

const FLOOR = 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));';

export async function rows() {
  const work = tempDir('scale');
  try {
    const a = await synthetic(join(work, 'a'), targetMb, false);
    await synthetic(join(work, 'b'), targetMb, true);
    const size = statSync(a.file).size / 1024 / 1024;
    const floor = () => measure([NODE, '-e', FLOOR, a.file]);
    const what = `${size.toFixed(0)} MB synthetic config (${(a.entries / 1e6).toFixed(2)} M types)`;
    const base = 'floor: node reads and JSON.parses it';
    const target = { mb: 1.5, wall: 3 };
    const show = ['mb', 'wall', 'cpu'];
    const merge = () => measure([NODE, BIN, 'merge', join(work, 'a'), '-o', join(work, 'merged')]);
    const validate = () => measure([NODE, BIN, 'validate', join(work, 'a')]);
    const diff = () => measure([NODE, BIN, 'diff', join(work, 'a'), join(work, 'b'), '--stat']);
    const [fa, fb] = ['a', 'b'].map((side) => join(work, side, 'reachability-metadata.json'));
    const noChecks = () => measure([NODE, join(REPO, 'bench', 'no-checks-diff.cjs'), fa, fb]);
    return [
      row(`merge of a ${what}`, base, paired(merge, floor), { show, target }),
      row(`validate of it`, base, paired(validate, floor), { show, target }),
      row(`diff of it and a variant (both in memory)`, `${base} (one file)`, paired(diff, floor), { show, target }),
      row(
        'reference (no target): a diff of the two with no checks at all (no-checks-diff.cjs)',
        `${base} (one file)`,
        paired(noChecks, floor),
        {
          show,
        },
      ),
    ];
  } finally {
    removeDir(work);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await rows());
