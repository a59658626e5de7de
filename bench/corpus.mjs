// The corpus rows: merging the unified tree of the reference corpus (1,854 reachability-metadata.json
// files, 11 MB) into one file, against the floor of walking, reading and JSON.parse-ing the same
// files in a bare node process and against jq's union of the reflection arrays alone; validating
// the same tree against ajv-cli checking the same files with the same schema (and no semantic
// checks). A reference row, with no target, says what a merge with no checks at all
// (no-checks-merge.cjs) costs against the same floor: the least any merge of these files costs.
// Runs alone (`node bench/corpus.mjs`) or as part of `npm run bench`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BIN,
  CORPUS,
  NODE,
  REPO,
  filesBelow,
  has,
  hasCorpus,
  measure,
  paired,
  printTable,
  removeDir,
  row,
  tempDir,
} from './lib.mjs';

const FLOOR = `
const fs = require('fs'), path = require('path');
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
  const p = path.join(d, e.name);
  if (e.isDirectory()) { if (!e.name.startsWith('.')) walk(p); }
  else if (e.name === 'reachability-metadata.json') JSON.parse(fs.readFileSync(p, 'utf8'));
} };
walk(process.argv[1]);`;

export async function rows() {
  if (!hasCorpus()) return [];
  const tree = join(CORPUS, 'reachability/unified-2026-05-22');
  const work = tempDir('corpus');
  const out = [];
  try {
    const files = filesBelow(tree, (n) => n === 'reachability-metadata.json');
    const merge = () => measure([NODE, BIN, 'merge', tree, '-o', join(work, 'merged.json'), '--format', 'unified']);
    const floor = () => measure([NODE, '-e', FLOOR, tree]);
    out.push(
      row(
        `merge of the ${files.length} unified corpus files to one file`,
        'floor: node walks, reads and JSON.parses them',
        paired(merge, floor),
        {
          target: { wall: 1.5 },
        },
      ),
    );
    const noChecks = () =>
      measure([NODE, join(REPO, 'bench', 'no-checks-merge.cjs'), tree, join(work, 'no-checks.json')]);
    out.push(
      row(
        'reference (no target): a merge with no checks at all (no-checks-merge.cjs)',
        'the same floor',
        paired(noChecks, floor),
        { show: ['wall'] },
      ),
    );
    if (has('jq')) {
      const jq = () => measure(['jq', '-s', 'map(.reflection // []) | add', ...files]);
      out.push(row('', '`jq -s` union of the reflection arrays only', paired(merge, jq), { target: { wall: 0.6 } }));
    }
    const ajv = join(REPO, 'node_modules', 'ajv-cli', 'dist', 'index.js');
    const schema = join(REPO, 'schemas', 'reachability-metadata-v1.2.schema.json');
    const validate = () => measure([NODE, BIN, 'validate', tree]);
    const ajvRun = () =>
      measure([NODE, ajv, 'validate', '--spec=draft2019', '-s', schema, '-d', `${tree}/**/reachability-metadata.json`]);
    out.push(
      row(
        'validate of the same tree',
        'ajv-cli 5: the same files, the same schema, no semantic checks',
        paired(validate, ajvRun),
        {
          show: ['cpu', 'wall'],
          target: { cpu: 0.5 },
        },
      ),
    );
  } finally {
    removeDir(work);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) printTable(await rows());
