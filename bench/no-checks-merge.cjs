// A reference for the corpus rows, not a tool: the least a merge of a tree of
// reachability-metadata.json files does, with no checks at all. It walks, reads and parses every
// file (as the floor does), then keeps the first entry of each name and condition of each section,
// sorts by name and writes the result with JSON.stringify(…, null, 2). It reads no legacy files,
// merges no members, canonicalizes nothing, finds nothing wrong and places nothing: what a merge
// costs past the floor before any of the work ni-config does. Usage: node no-checks-merge.cjs <tree> <out>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const docs = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) walk(p);
    } else if (e.name === 'reachability-metadata.json') docs.push(JSON.parse(fs.readFileSync(p, 'utf8')));
  }
};
walk(process.argv[2]);
const nameOf = (e) => (typeof e.type === 'string' ? e.type : (e.glob ?? e.bundle ?? e.name ?? ''));
const merged = {};
for (const doc of docs)
  for (const section of Object.keys(doc)) {
    const list = doc[section];
    if (!Array.isArray(list)) continue;
    const seen = (merged[section] ??= new Map());
    for (const e of list) {
      const key = `${nameOf(e)}\n${e.condition?.typeReached ?? ''}`;
      if (!seen.has(key)) seen.set(key, e);
    }
  }
const out = {};
for (const [section, seen] of Object.entries(merged)) {
  out[section] = [...seen.values()].sort((a, b) => {
    const x = nameOf(a);
    const y = nameOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
fs.writeFileSync(process.argv[3], `${JSON.stringify(out, null, 2)}\n`);
