// A reference for the diff row, not a tool: the least a semantic diff of two canonical
// reachability-metadata.json files does, with no checks at all. It reads and parses both, indexes
// each section's entries by name and condition, calls an entry changed when its JSON differs, and
// prints the added, removed and changed entries as JSON. It reads no legacy files, compares no
// members one by one, weighs no risks and locates nothing. Usage: node no-checks-diff.cjs <a> <b>
'use strict';
const fs = require('node:fs');

const [a, b] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const nameOf = (e) => (typeof e.type === 'string' ? e.type : JSON.stringify(e.type ?? e.glob ?? e.bundle ?? e));
const keyOf = (e) => `${nameOf(e)}\n${e.condition?.typeReached ?? ''}`;
const index = (list) => new Map((Array.isArray(list) ? list : []).map((e) => [keyOf(e), e]));
const changes = [];
for (const section of new Set([...Object.keys(a), ...Object.keys(b)])) {
  const before = index(a[section]);
  const after = index(b[section]);
  for (const [key, e] of before) {
    const f = after.get(key);
    if (f === undefined) changes.push({ section, kind: 'removed', entry: key, before: e });
    else if (JSON.stringify(e) !== JSON.stringify(f))
      changes.push({ section, kind: 'changed', entry: key, before: e, after: f });
  }
  for (const [key, f] of after) if (!before.has(key)) changes.push({ section, kind: 'added', entry: key, after: f });
}
changes.sort((x, y) => (x.entry < y.entry ? -1 : x.entry > y.entry ? 1 : 0));
process.stdout.write(`${JSON.stringify({ changes }, null, 2)}\n`);
